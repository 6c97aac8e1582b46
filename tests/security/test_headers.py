"""Security headers on a representative set of pages, and the nonce of the CSP."""

from __future__ import annotations

import json
import re

from django.urls import reverse

import pytest

from tests.conftest import A_HOST
from tests.factories import lessons_of
from tests.lms.test_settings import _manage

pytestmark = pytest.mark.django_db


def _policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def _nonce(response) -> str:
    sources = _policy(response)["script-src"]
    nonces = [s for s in sources if s.startswith("'nonce-")]
    assert len(nonces) == 1, sources
    return nonces[0][len("'nonce-") : -1]


def _common_headers(response) -> None:
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    # SAMEORIGIN, not DENY: Wagtail's live preview is a same-origin frame.
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    permissions = response["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
        assert feature in permissions
    policy = _policy(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'self'"]
    assert "'unsafe-eval'" not in policy["script-src"]


@pytest.fixture
def pages(client, course_a, admin_a):
    lesson = lessons_of(course_a)[0]
    return {
        "home": "/",
        "lesson": lesson.url,
        "login": reverse("account_login"),
        "certificate verify": reverse("certificates:verify_upload"),
        "API: issuer keys": reverse("certificates:jwks", args=["dongtan"]),
        "API: OpenID configuration": "/o/.well-known/openid-configuration/",
    }


def test_public_pages_and_apis_carry_every_header_and_a_strict_policy(client, pages):
    for name, url in pages.items():
        response = client.get(url, HTTP_HOST=A_HOST)
        assert response.status_code == 200, name
        _common_headers(response)
        policy = _policy(response)
        for directive in ("script-src", "style-src"):
            assert "'unsafe-inline'" not in policy[directive], (name, directive)
            assert policy[directive][0] == "'self'"
        if response["Content-Type"].startswith("text/html"):
            _nonce(response)
        else:  # nothing inline can run in an API's answer: no nonce is handed out
            assert "nonce" not in response["Content-Security-Policy"], name


def test_the_inline_style_carries_the_nonce_of_its_own_response(client, pages):
    """Anonymous pages come from a cache: each answer still gets a fresh nonce, and the one in
    the HTML is the one in the header."""
    seen = set()
    for _ in range(3):
        response = client.get(pages["lesson"], HTTP_HOST=A_HOST)
        nonce = _nonce(response)
        html = response.content.decode()
        assert f'<style nonce="{nonce}">' in html
        # No inline script, handler or style attribute without it.
        for tag in re.findall(r"<(?:script|style)\b[^>]*>", html):
            assert "src=" in tag or f'nonce="{nonce}"' in tag or "application/json" in tag, tag
        assert not re.search(r"\son[a-z]+=", html)
        assert not re.search(r"\sstyle=", html)
        seen.add(nonce)
    assert len(seen) == 3


def test_the_wagtail_admin_has_its_scoped_allowances_and_nothing_more(client, admin_a):
    client.force_login(admin_a)
    for url in ("/admin/", "/admin/pages/"):
        response = client.get(url, HTTP_HOST=A_HOST)
        assert response.status_code == 200
        _common_headers(response)
        policy = _policy(response)
        assert policy["script-src"] == ["'self'", "'unsafe-inline'"]
        assert policy["style-src"] == ["'self'", "'unsafe-inline'"]
        assert "nonce" not in response["Content-Security-Policy"]


def test_the_hub_is_a_permitted_form_target_only_when_there_is_one(client, settings):
    response = client.get(reverse("account_login"), HTTP_HOST=A_HOST)
    assert _policy(response)["form-action"] == ["'self'"]
    settings.DASI_HUB_URL = "https://lab.dasi.example.org/hub"
    response = client.get(reverse("account_login"), HTTP_HOST=A_HOST)
    assert _policy(response)["form-action"] == ["'self'", "https://lab.dasi.example.org"]


PRODUCTION_VALUES = """
import json
from django.conf import settings
print(json.dumps({
    "hsts": settings.SECURE_HSTS_SECONDS,
    "hsts_subdomains": settings.SECURE_HSTS_INCLUDE_SUBDOMAINS,
    "ssl_redirect": settings.SECURE_SSL_REDIRECT,
    "session_secure": settings.SESSION_COOKIE_SECURE,
    "csrf_secure": settings.CSRF_COOKIE_SECURE,
    "nosniff": settings.SECURE_CONTENT_TYPE_NOSNIFF,
    "frames": settings.X_FRAME_OPTIONS,
    "coop": settings.SECURE_CROSS_ORIGIN_OPENER_POLICY,
    "csp_middleware": "lms.security_headers.ContentSecurityPolicyMiddleware" in settings.MIDDLEWARE,
    "axes_handler": settings.AXES_HANDLER,
    "proxy_hops": settings.DASI_PROXY_HOPS,
}))
"""


def test_production_settings_turn_on_hsts_and_keep_the_policy():
    result = _manage(
        "shell",
        "-c",
        PRODUCTION_VALUES,
        DJANGO_SECRET_KEY="p" * 50,
        DJANGO_ALLOWED_HOSTS="dongtan.example.org",
        DATABASE_URL="postgres://dasi@127.0.0.1:5432/dasi",
        DASI_KEY_ENCRYPTION_KEY="q" * 50,
        CACHE_URL="redis://127.0.0.1:6379/1",
        CELERY_BROKER_URL="redis://127.0.0.1:6379/0",
    )
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values["hsts"] >= 365 * 24 * 60 * 60
    assert values["hsts_subdomains"] is True
    assert values["ssl_redirect"] and values["session_secure"] and values["csrf_secure"]
    assert values["nosniff"] is True
    assert values["frames"] == "SAMEORIGIN"
    assert values["coop"] == "same-origin"
    assert values["csp_middleware"] is True
    # Lockouts are counted in the database, shared by every web process.
    assert values["axes_handler"] == "axes.handlers.database.AxesDatabaseHandler"
    assert values["proxy_hops"] == 1
