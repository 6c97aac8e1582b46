"""Secrets at rest: one Fernet key per purpose, derived from the platform's key-encryption key.

DASI_KEY_ENCRYPTION_KEY (production requires it) never encrypts anything itself: HKDF-SHA256
derives a separate key for each purpose from it, with the purpose's own salt, so a key used
for one kind of secret (a certificate signing key, an LTI key, an LRS password) cannot open
another. The salts are fixed: changing one makes every stored secret of that kind unreadable.
"""

from __future__ import annotations

import base64
from functools import lru_cache

from django.conf import settings

from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

ISSUER_KEYS = b"dasi-issuer-keys"
LTI_KEYS = b"dasi-lti-keys"
LRS_CREDENTIALS = b"dasi-lrs-credentials"


@lru_cache(maxsize=16)
def _derive(secret: str, salt: bytes) -> Fernet:
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=b"fernet").derive(
        secret.encode()
    )
    return Fernet(base64.urlsafe_b64encode(derived))


def key_for(purpose: bytes) -> Fernet:
    """The Fernet key of one purpose (one of the salts above), under the current KEK."""
    return _derive(settings.DASI_KEY_ENCRYPTION_KEY, purpose)
