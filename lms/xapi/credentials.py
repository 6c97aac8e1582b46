"""LRS secrets at rest: encrypted with a key derived from the platform's key-encryption key
(DASI_KEY_ENCRYPTION_KEY), never stored or shown in clear."""

from __future__ import annotations

from cryptography.fernet import InvalidToken

from lms import encryption


def encrypt(secret: str) -> bytes:
    return encryption.key_for(encryption.LRS_CREDENTIALS).encrypt(secret.encode())


def decrypt(token: bytes) -> str:
    """The clear secret; an empty string when it was encrypted under another key."""
    try:
        return encryption.key_for(encryption.LRS_CREDENTIALS).decrypt(bytes(token)).decode()
    except InvalidToken:
        return ""
