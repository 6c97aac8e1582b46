"""LRS secrets at rest: encrypted with a key derived from the platform's key-encryption key
(DASI_KEY_ENCRYPTION_KEY), never stored or shown in clear."""

from __future__ import annotations

import base64
from functools import lru_cache

from django.conf import settings

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF


@lru_cache(maxsize=4)
def _fernet(secret: str) -> Fernet:
    derived = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=b"dasi-lrs-credentials", info=b"fernet"
    ).derive(secret.encode())
    return Fernet(base64.urlsafe_b64encode(derived))


def encrypt(secret: str) -> bytes:
    return _fernet(settings.DASI_KEY_ENCRYPTION_KEY).encrypt(secret.encode())


def decrypt(token: bytes) -> str:
    """The clear secret; an empty string when it was encrypted under another key."""
    try:
        return _fernet(settings.DASI_KEY_ENCRYPTION_KEY).decrypt(bytes(token)).decode()
    except InvalidToken:
        return ""
