"""Dasi's LTI signing keys (RSA, one active per centre), encrypted at rest."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jwcrypto.jwk import JWK

from hub_sites.models import Centre
from lms import encryption

from .models import ToolKey


def _kek() -> Fernet:
    """The key-encryption key: DASI_KEY_ENCRYPTION_KEY (production requires it)."""
    return encryption.key_for(encryption.LTI_KEYS)


@transaction.atomic
def tool_key_create(*, centre: Centre) -> ToolKey:
    """Make a new RSA key the centre's active LTI key; the previous one stays published."""
    Centre.objects.select_for_update().filter(pk=centre.pk).first()
    ToolKey.objects.filter(centre=centre, retired_at__isnull=True).update(retired_at=timezone.now())
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public_pem = (
        private.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    private_pem = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return ToolKey.objects.create(
        centre=centre,
        kid=JWK.from_pem(public_pem.encode()).thumbprint(),
        public_pem=public_pem,
        private_key_encrypted=_kek().encrypt(private_pem),
    )


def active_tool_key(*, centre: Centre) -> ToolKey:
    """The centre's LTI signing key, created on first use."""
    key = ToolKey.objects.filter(centre=centre, retired_at__isnull=True).first()
    return key or tool_key_create(centre=centre)


def private_pem(key: ToolKey) -> str:
    return _kek().decrypt(bytes(key.private_key_encrypted)).decode()


def public_jwk(key: ToolKey) -> dict:
    jwk = JWK.from_pem(key.public_pem.encode()).export_public(as_dict=True)
    return {**jwk, "kid": key.kid, "alg": "RS256", "use": "sig"}


def centre_jwks(*, centre: Centre) -> dict:
    """The centre's LTI key set: the active key and the retired ones."""
    active_tool_key(centre=centre)
    return {"keys": [public_jwk(key) for key in ToolKey.objects.filter(centre=centre)]}
