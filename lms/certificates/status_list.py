"""The centre's revocation list as a W3C Bitstring Status List credential (signed VC-JWT)."""

from __future__ import annotations

import base64
import gzip

from django.utils import timezone

from hub_sites.models import Centre

from . import credential as vc
from .keys import active_key, private_key
from .models import Certificate
from .services import key_url

MIN_BITS = 131_072  # 16 KiB, the specification's minimum for herd privacy


def encoded_list(revoked_indexes: list[int]) -> str:
    """GZIP-compressed, base64url-encoded bitstring with the given bits set (index 0 is the
    left-most bit of the first byte)."""
    size = max(MIN_BITS, ((max(revoked_indexes, default=0) // 8) + 1) * 8)
    bits = bytearray(size // 8)
    for index in revoked_indexes:
        bits[index // 8] |= 0x80 >> (index % 8)
    return "u" + base64.urlsafe_b64encode(gzip.compress(bytes(bits), mtime=0)).rstrip(b"=").decode()


def is_revoked(encoded: str, index: int) -> bool:
    raw = gzip.decompress(base64.urlsafe_b64decode(encoded.removeprefix("u") + "=="))
    return bool(raw[index // 8] & (0x80 >> (index % 8)))


def status_list_credential(*, centre: Centre, url: str, issuer_url: str, issuer_name: str) -> str:
    """The signed status list credential for a centre (revocation purpose)."""
    revoked = list(
        Certificate.objects.filter(centre=centre, status=Certificate.Status.REVOKED).values_list(
            "status_index", flat=True
        )
    )
    now = timezone.now().replace(microsecond=0).isoformat().replace("+00:00", "Z")
    document = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": {"id": issuer_url, "type": ["Profile"], "name": issuer_name},
        "validFrom": now,
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encoded_list(revoked),
        },
    }
    key = active_key(centre=centre)
    return vc.sign(document, private_key=private_key(key), kid_url=key_url(centre, key.kid))
