"""Centre signing keys: creation, rotation, encryption at rest, and their public form."""

from __future__ import annotations

import base64
import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from cryptography.fernet import Fernet
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)

from hub_sites.models import Centre
from lms import encryption

from .models import IssuerKey


def _kek() -> Fernet:
    """The key-encryption key: DASI_KEY_ENCRYPTION_KEY (production requires it)."""
    return encryption.key_for(encryption.ISSUER_KEYS)


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


@transaction.atomic
def issuer_key_create(*, centre: Centre) -> IssuerKey:
    """Make a new Ed25519 key the centre's active one, retiring the previous key (which
    stays published so older certificates keep verifying)."""
    Centre.objects.select_for_update().filter(pk=centre.pk).first()
    IssuerKey.objects.filter(centre=centre, retired_at__isnull=True).update(
        retired_at=timezone.now()
    )
    private = Ed25519PrivateKey.generate()
    public = private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    raw_private = private.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    kid = f"{centre.slug}-{timezone.now():%Y%m%d}-{secrets.token_hex(4)}"
    return IssuerKey.objects.create(
        centre=centre,
        kid=kid,
        public_key=public,
        private_key_encrypted=_kek().encrypt(raw_private),
    )


def active_key(*, centre: Centre) -> IssuerKey:
    """The centre's signing key, created on first use."""
    key = IssuerKey.objects.filter(centre=centre, retired_at__isnull=True).first()
    return key or issuer_key_create(centre=centre)


def private_key(key: IssuerKey) -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(_kek().decrypt(bytes(key.private_key_encrypted)))


def public_key(key: IssuerKey) -> Ed25519PublicKey:
    return Ed25519PublicKey.from_public_bytes(bytes(key.public_key))


def public_jwk(key: IssuerKey) -> dict:
    """The public key as a JSON Web Key (OKP, Ed25519)."""
    raw = bytes(key.public_key)
    return {
        "kty": "OKP",
        "crv": "Ed25519",
        "x": b64url(raw),
        "kid": key.kid,
        "alg": "EdDSA",
        "use": "sig",
        "x5t#S256": b64url(hashlib.sha256(raw).digest()),
    }
