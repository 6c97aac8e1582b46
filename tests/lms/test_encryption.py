"""Secrets at rest: each purpose's key is the one stored secrets were encrypted with, and no
purpose's key opens another's secrets."""

from __future__ import annotations

import base64

from django.test import override_settings

import pytest
from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from lms import encryption

PURPOSES = [encryption.ISSUER_KEYS, encryption.LTI_KEYS, encryption.LRS_CREDENTIALS]


def _as_stored(kek: str, salt: bytes) -> Fernet:
    """The derivation the stored secrets were written with (HKDF-SHA256, info b"fernet")."""
    raw = HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=b"fernet").derive(kek.encode())
    return Fernet(base64.urlsafe_b64encode(raw))


@pytest.mark.parametrize("purpose", PURPOSES)
@override_settings(DASI_KEY_ENCRYPTION_KEY="a key-encryption key for this test")
def test_secrets_written_before_still_open(purpose):
    token = _as_stored("a key-encryption key for this test", purpose).encrypt(b"secret")
    assert encryption.key_for(purpose).decrypt(token) == b"secret"


@override_settings(DASI_KEY_ENCRYPTION_KEY="a key-encryption key for this test")
def test_one_purpose_cannot_open_another():
    for purpose in PURPOSES:
        token = encryption.key_for(purpose).encrypt(b"secret")
        for other in PURPOSES:
            if other != purpose:
                with pytest.raises(InvalidToken):
                    encryption.key_for(other).decrypt(token)


def test_another_kek_cannot_open_them():
    with override_settings(DASI_KEY_ENCRYPTION_KEY="first"):
        token = encryption.key_for(encryption.LTI_KEYS).encrypt(b"secret")
    with override_settings(DASI_KEY_ENCRYPTION_KEY="second"), pytest.raises(InvalidToken):
        encryption.key_for(encryption.LTI_KEYS).decrypt(token)
