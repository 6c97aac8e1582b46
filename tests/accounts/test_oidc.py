"""Dasi as OpenID Connect provider for the hub: code flow with PKCE, claims, signed ID token."""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest

from lms.accounts.models import Role
from lms.sandboxes.services import hub_client_register
from tests.conftest import A_HOST
from tests.factories import member

pytestmark = pytest.mark.django_db
HUB = "http://hub.test"
CALLBACK = f"{HUB}/hub/oauth_callback"
SECRET = "hub-client-secret"  # noqa: S105


@pytest.fixture
def hub_client(db):
    return hub_client_register(hub_url=HUB, client_secret=SECRET)


def _pkce() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode()).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def _authorize(client, challenge: str | None = None):
    params = {
        "response_type": "code",
        "client_id": "jupyterhub",
        "redirect_uri": CALLBACK,
        "scope": "openid profile",
        "state": "s1",
    }
    if challenge:
        params |= {"code_challenge": challenge, "code_challenge_method": "S256"}
    return client.get("/o/authorize/", params, HTTP_HOST=A_HOST)


def _tokens(client, user) -> dict:
    client.force_login(user)
    verifier, challenge = _pkce()
    response = _authorize(client, challenge)
    assert response.status_code == 302 and response["Location"].startswith(CALLBACK)
    code = parse_qs(urlsplit(response["Location"]).query)["code"][0]
    basic = base64.b64encode(f"jupyterhub:{SECRET}".encode()).decode()
    token = client.post(
        "/o/token/",
        {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": CALLBACK,
            "code_verifier": verifier,
        },
        HTTP_AUTHORIZATION=f"Basic {basic}",
        HTTP_HOST=A_HOST,
    )
    assert token.status_code == 200, token.content
    return token.json()


def _userinfo(client, access_token: str) -> dict:
    response = client.get(
        "/o/userinfo/", HTTP_AUTHORIZATION=f"Bearer {access_token}", HTTP_HOST=A_HOST
    )
    assert response.status_code == 200
    return response.json()


def test_learner_gets_a_stable_name_and_the_learners_group(client, hub_client, centre_a):
    learner = member(centre_a, Role.LEARNER, username="jiyoung", name="김지영")
    tokens = _tokens(client, learner)
    claims = _userinfo(client, tokens["access_token"])
    assert claims["preferred_username"] == f"dasi-{learner.pk}"
    assert claims["name"] == "김지영"
    assert claims["groups"][0] == "learners"
    assert "centre-dongtan-learner" in claims["groups"]
    assert "staff" not in claims["groups"]

    # Renaming the person in Dasi never gives them a second hub account.
    learner.username = "jiyoung-kim"
    learner.name = "김지영 (개명)"
    learner.save()
    again = _userinfo(client, _tokens(client, learner)["access_token"])
    assert again["preferred_username"] == claims["preferred_username"]


def test_staff_are_never_in_the_learners_group(client, hub_client, centre_a):
    counsellor = member(centre_a, Role.COUNSELLOR, username="counsellor")
    counsellor.memberships.create(centre=centre_a, role=Role.LEARNER)  # also learns
    claims = _userinfo(client, _tokens(client, counsellor)["access_token"])
    assert "staff" in claims["groups"] and "learners" not in claims["groups"]


def test_id_token_is_signed_with_the_published_key(client, hub_client, centre_a):
    learner = member(centre_a, Role.LEARNER, username="jiyoung")
    tokens = _tokens(client, learner)
    jwks = client.get("/o/.well-known/jwks.json", HTTP_HOST=A_HOST).json()
    key = jwt.PyJWK.from_dict(jwks["keys"][0]).key
    claims = jwt.decode(tokens["id_token"], key, algorithms=["RS256"], audience="jupyterhub")
    assert claims["sub"] == str(learner.pk)
    discovery = client.get("/o/.well-known/openid-configuration", HTTP_HOST=A_HOST).json()
    assert discovery["userinfo_endpoint"].endswith("/o/userinfo/")


def test_pkce_is_required(client, hub_client, centre_a):
    client.force_login(member(centre_a, Role.LEARNER, username="jiyoung"))
    response = _authorize(client, challenge=None)
    assert "code=" not in response.get("Location", "")
    assert response.status_code in (400, 302)
    if response.status_code == 302:
        assert "error=invalid_request" in response["Location"]


def test_a_wrong_secret_or_redirect_gets_no_token(client, hub_client, centre_a):
    client.force_login(member(centre_a, Role.LEARNER, username="jiyoung"))
    verifier, challenge = _pkce()
    code = parse_qs(urlsplit(_authorize(client, challenge)["Location"]).query)["code"][0]
    basic = base64.b64encode(b"jupyterhub:wrong").decode()
    response = client.post(
        "/o/token/",
        {"grant_type": "authorization_code", "code": code, "redirect_uri": CALLBACK,
         "code_verifier": verifier},
        HTTP_AUTHORIZATION=f"Basic {basic}",
        HTTP_HOST=A_HOST,
    )  # fmt: skip
    assert response.status_code == 401
    assert "access_token" not in json.loads(response.content)
    elsewhere = client.get(
        "/o/authorize/",
        {"response_type": "code", "client_id": "jupyterhub", "scope": "openid",
         "redirect_uri": "http://evil.test/hub/oauth_callback", "code_challenge": challenge,
         "code_challenge_method": "S256"},
        HTTP_HOST=A_HOST,
    )  # fmt: skip
    assert "evil.test" not in elsewhere.get("Location", "")


def test_anonymous_authorize_goes_to_the_dasi_login(client, hub_client, centre_a):
    _verifier, challenge = _pkce()
    response = _authorize(client, challenge)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
