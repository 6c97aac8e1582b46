"""Open Badges 3.0 export: the downloaded credential conforms to the 1EdTech schema and
contexts (shipped, not fetched), its VC-JWT verifies with the centre's published key and
nothing else, and a revoked one is shown and listed as revoked."""

from __future__ import annotations

import base64
import json

from django.urls import reverse

import jwt
import pytest

from lms.certificates import ob3
from lms.certificates.keys import active_key, public_jwk
from lms.certificates.services import certificate_issue, certificate_revoke
from lms.certificates.status_list import is_revoked
from lms.learning.services import enrolment_create
from tests.conftest import A_HOST

pytestmark = pytest.mark.django_db


@pytest.fixture
def issued(learner_a, course_a, centre_a, admin_a):
    enrolment_create(user=learner_a, course=course_a, centre=centre_a)
    return certificate_issue(
        learner=learner_a, course=course_a, centre=centre_a, user=admin_a, require_completion=False
    )


def _download(client, name, certificate):
    response = client.get(reverse(f"certificates:{name}", args=[certificate.pk]), HTTP_HOST=A_HOST)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    return response


def _centre_keys(client) -> dict:
    jwks = client.get(reverse("certificates:jwks", args=["dongtan"]), HTTP_HOST=A_HOST).json()
    return {key["kid"]: key for key in jwks["keys"]}


def _verify(token: str, keys: dict) -> dict:
    """Verify as a wallet would: the key named by the header's kid URL, from the JWKS."""
    kid = jwt.get_unverified_header(token)["kid"].rsplit("/", 1)[-1].removesuffix(".json")
    key = jwt.PyJWK(keys[kid])
    return jwt.decode(token, key.key, algorithms=["EdDSA"], options={"verify_aud": False})


def test_jsonld_download_conforms_to_the_schema_and_contexts(client, issued):
    response = _download(client, "credential_jsonld", issued)
    assert response["Content-Type"].startswith("application/ld+json")
    credential = json.loads(response.content)
    assert ob3.schema_errors(credential) == []
    assert ob3.undefined_terms(credential) == set()
    assert "OpenBadgeCredential" in credential["type"]
    assert credential["credentialStatus"]["statusPurpose"] == "revocation"


def test_the_checks_catch_what_does_not_conform(issued, client):
    credential = json.loads(_download(client, "credential_jsonld", issued).content)
    broken = {**credential, "credentialSubject": {**credential["credentialSubject"]}}
    del broken["credentialSubject"]["achievement"]
    assert any("achievement" in e for e in ob3.schema_errors(broken))
    assert ob3.undefined_terms({**credential, "hoursSpent": 8}) == {"hoursSpent"}


def test_vc_jwt_verifies_with_the_published_key_and_matches_the_jsonld(client, issued):
    token = _download(client, "credential_jwt", issued).content.decode()
    payload = _verify(token, _centre_keys(client))
    jsonld = json.loads(_download(client, "credential_jsonld", issued).content)
    assert payload["vc"] == jsonld
    assert payload["iss"] == jsonld["issuer"]["id"] and payload["jti"] == jsonld["id"]


def test_tampered_jwt_fails(client, issued, centre_b):
    token = _download(client, "credential_jwt", issued).content.decode()
    keys = _centre_keys(client)
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    claims["vc"]["credentialSubject"]["name"] = "다른 사람"
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    with pytest.raises(jwt.InvalidSignatureError):
        _verify(f"{header}.{forged}.{signature}", keys)
    flipped = signature[:-2] + ("A" if signature[-2] != "A" else "B") + signature[-1]
    with pytest.raises(jwt.InvalidSignatureError):
        _verify(f"{header}.{payload}.{flipped}", keys)
    # Another centre's key does not verify it either.
    other = public_jwk(active_key(centre=centre_b))
    kid = jwt.get_unverified_header(token)["kid"].rsplit("/", 1)[-1].removesuffix(".json")
    with pytest.raises(jwt.InvalidSignatureError):
        _verify(token, {kid: other})


def test_verify_page_offers_the_downloads_and_shows_revocation(client, issued, admin_a):
    url = reverse("certificates:verify", args=[issued.pk])
    page = client.get(url, HTTP_HOST=A_HOST).content.decode()
    assert reverse("certificates:credential_jwt", args=[issued.pk]) in page
    assert reverse("certificates:credential_jsonld", args=[issued.pk]) in page
    certificate_revoke(certificate=issued, user=admin_a, reason="잘못 발급됨")
    page = client.get(url, HTTP_HOST=A_HOST).content.decode()
    assert "has been revoked" in page or "폐기" in page or "취소" in page
    # The downloaded credential's status entry resolves to a set bit in the signed list.
    credential = json.loads(_download(client, "credential_jsonld", issued).content)
    status = client.get(
        credential["credentialStatus"]["statusListCredential"]
        .split(A_HOST.split(":")[0])[-1]
        .split(":80")[-1],
        HTTP_HOST=A_HOST,
    ).content.decode()
    listed = _verify(status, _centre_keys(client))["vc"]["credentialSubject"]["encodedList"]
    assert is_revoked(listed, int(credential["credentialStatus"]["statusListIndex"]))


def test_unknown_certificate_is_404(client):
    for name in ("credential_jsonld", "credential_jwt"):
        url = reverse(f"certificates:{name}", args=["00000000-0000-0000-0000-000000000000"])
        assert client.get(url, HTTP_HOST=A_HOST).status_code == 404
