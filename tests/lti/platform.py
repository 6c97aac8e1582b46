"""A real LTI 1.3 platform for the tests: the `lti1p3platform` package (OIDC login, signed
launches, deep-linking responses, OAuth 2 client-credentials tokens checked against the tool's
key set) served over HTTP on a loopback port, with line items, scores and a roster kept in
memory so the tests can read what Dasi sent.

The package leaves its HTTP endpoints to the host framework; the handlers below only route
requests to it. LTI Dynamic Registration is not in the package: its two endpoints
(openid-configuration, registration) are written here from the specification.
"""

from __future__ import annotations

import html
import json
import secrets
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlencode, urlsplit

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from lti1p3platform.ltiplatform import LTI1P3PlatformConfAbstract
from lti1p3platform.message_launch import LTIAdvantageMessageLaunchAbstract
from lti1p3platform.oidc_login import OIDCLoginAbstract
from lti1p3platform.registration import Registration
from lti1p3platform.request import RequestBase

SCORE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"
LINEITEM = "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem"
NRPS = "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly"
LEARNER = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"
INSTRUCTOR = "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"


def rsa_pair() -> tuple[str, str]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    public = (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    return private, public


class _Request(RequestBase):
    def __init__(self, method: str, get: dict, form: dict, headers):
        self.request = {
            "method": method,
            "form_data": form,
            "get_data": get,
            "headers": headers,
            "content_type": headers.get("Content-Type"),
            "path": "",
            "json": None,
        }


class PlatformConf(LTI1P3PlatformConfAbstract):
    def init_platform_config(self, registration: Registration) -> None:
        self._registration = registration

    def get_registration_by_params(self, **kwargs) -> Registration:
        return self._registration


class Login(OIDCLoginAbstract):
    def set_lti_message_hint(self, **kwargs) -> None:
        self._lti_message_hint = kwargs["hint"]

    def get_redirect(self, url: str) -> str:
        return url


@dataclass
class LaunchSpec:
    """What the platform puts in one launch."""

    sub: str
    roles: list[str]
    name: str = ""
    locale: str = "ko-KR"
    deep_link: bool = False
    custom: dict = field(default_factory=dict)
    resource_link_id: str = "link-1"
    lineitem: str | None = None
    scopes: list[str] = field(default_factory=lambda: [SCORE])
    nrps: bool = False
    claims: dict = field(default_factory=dict)  # extra or overriding claims (forgeries)
    expiration: int = 300


class Launch(LTIAdvantageMessageLaunchAbstract):
    spec: LaunchSpec
    platform: Platform

    def render_launch_form(self, launch_data, **kwargs) -> str:
        fields = "".join(
            f'<input type="hidden" name="{name}" value="{html.escape(launch_data[name])}">'
            for name in ("id_token", "state")
        )
        return (
            f'<html><body><form id="launch" method="post" '
            f'action="{html.escape(launch_data["launch_url"])}">{fields}'
            '<button type="submit">Launch</button></form>'
            "<script>document.getElementById('launch').submit()</script></body></html>"
        )

    def prepare_launch(self, preflight_response, **kwargs) -> None:
        spec, base = self.spec, self.platform.issuer
        self.set_user_data(spec.sub, spec.roles, full_name=spec.name or None)
        self.set_resource_link_claim(spec.resource_link_id, title="Dasi")
        self.set_launch_context_claim("course-1", context_title="Reskilling 101")
        if spec.custom:
            self.set_custom_parameters_claim(spec.custom)
        self.set_extra_claims({"locale": spec.locale})
        self.set_id_token_expiration(spec.expiration)
        if spec.deep_link:
            self.set_dl(f"{base}/deep_link_return", title="Dasi", accept_types={"ltiResourceLink"})
        elif spec.lineitem:
            self.set_ags(
                lineitems_url=f"{base}/lineitems",
                lineitem_url=spec.lineitem,
                allow_creating_lineitems=LINEITEM in spec.scopes,
                results_service_enabled=False,
                scores_service_enabled=SCORE in spec.scopes,
            )
        if spec.nrps:
            self.set_nrps(f"{base}/memberships")
        if spec.claims:
            self.set_extra_claims(spec.claims)


class Platform:
    """One platform (issuer) with one registration of Dasi, on 127.0.0.1:port."""

    def __init__(self, port: int, tool_base: str, client_id: str = "dasi-client"):
        self.port = port
        self.issuer = f"http://127.0.0.1:{port}"
        self.client_id = client_id
        self.deployment_id = "deployment-1"
        self.private_key, self.public_key = rsa_pair()
        self.pending: dict[str, LaunchSpec] = {}
        self.lineitems: dict[str, dict] = {}
        self.scores: list[dict] = []
        self.content_items: list[dict] = []
        self.members: list[dict] = []
        self.registrations: list[dict] = []
        self.registration_token = secrets.token_urlsafe(16)
        self.point_at(tool_base)
        self._server: ThreadingHTTPServer | None = None

    def point_at(self, tool_base: str) -> None:
        self.tool_base = tool_base
        self.registration = (
            Registration()
            .set_iss(self.issuer)
            .set_client_id(self.client_id)
            .set_deployment_id(self.deployment_id)
            .set_launch_url(f"{tool_base}/lti/launch/")
            .set_deeplink_launch_url(f"{tool_base}/lti/launch/")
            .set_oidc_login_url(f"{tool_base}/lti/login/")
            .set_tool_key_set_url(f"{tool_base}/lti/jwks/")
            .set_platform_public_key(self.public_key)
            .set_platform_private_key(self.private_key)
        )
        self.conf = PlatformConf(registration=self.registration)

    # What a centre admin types into Dasi's admin (manual registration).
    def values(self) -> dict:
        return {
            "name": "Test platform",
            "issuer": self.issuer,
            "client_id": self.client_id,
            "deployment_ids": [self.deployment_id],
            "auth_login_url": f"{self.issuer}/auth",
            "auth_token_url": f"{self.issuer}/token",
            "key_set_url": f"{self.issuer}/jwks",
        }

    def lineitem_create(self, label: str, resource_id: str = "") -> str:
        url = f"{self.issuer}/lineitems/{len(self.lineitems) + 1}"
        self.lineitems[url] = {
            "id": url,
            "label": label,
            "scoreMaximum": 100,
            "resourceId": resource_id,
        }
        return url

    def login_url(self, spec: LaunchSpec) -> str:
        """The third-party login initiation the platform sends the browser to."""
        hint = secrets.token_urlsafe(8)
        self.pending[hint] = spec
        login = Login(None, self.conf)
        login.set_lti_message_hint(hint=hint)
        return login.prepare_preflight_url(spec.sub)

    # --- HTTP ---------------------------------------------------------------------------

    def start(self) -> Platform:
        platform = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _reply(self, status: int, body, content_type="application/json"):
                data = (
                    body
                    if isinstance(body, bytes)
                    else (json.dumps(body) if not isinstance(body, str) else body).encode()
                )
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _form(self) -> dict:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode()
                if "json" in (self.headers.get("Content-Type") or ""):
                    return json.loads(raw or "{}")
                return dict(parse_qsl(raw))

            def _bearer(self, scope: str) -> bool:
                token = (self.headers.get("Authorization") or "").removeprefix("Bearer ")
                try:
                    return platform.conf.validate_token(token, allowed_scopes=[scope])
                except Exception:  # noqa: BLE001 — any bad token is a 401
                    return False

            def do_GET(self):
                url = urlsplit(self.path)
                query = dict(parse_qsl(url.query))
                if url.path == "/jwks":
                    return self._reply(200, {"keys": platform.registration.get_jwks()})
                if url.path == "/auth":
                    return platform.authorize(self, query)
                if url.path == "/memberships":
                    if not self._bearer(NRPS):
                        return self._reply(401, {"error": "invalid token"})
                    return self._reply(
                        200,
                        {
                            "id": url.path,
                            "context": {"id": "course-1"},
                            "members": platform.members,
                        },
                        "application/vnd.ims.lti-nrps.v2.membershipcontainer+json",
                    )
                if url.path == "/.well-known/openid-configuration":
                    return self._reply(200, platform.openid_configuration())
                return self._reply(404, {"error": "not found"})

            def do_POST(self):
                url = urlsplit(self.path)
                form = self._form()
                if url.path == "/token":
                    try:
                        return self._reply(200, platform.conf.get_access_token(form))
                    except Exception as exc:  # noqa: BLE001 — a refused assertion is a 400
                        return self._reply(400, {"error": "invalid_client", "detail": str(exc)})
                if url.path.startswith("/lineitems/") and url.path.endswith("/scores"):
                    if not self._bearer(SCORE):
                        return self._reply(401, {"error": "invalid token"})
                    lineitem = platform.issuer + url.path.removesuffix("/scores")
                    if lineitem not in platform.lineitems:
                        return self._reply(404, {"error": "no such line item"})
                    platform.scores.append({"lineitem": lineitem, **form})
                    return self._reply(200, {})
                if url.path == "/deep_link_return":
                    try:
                        items = platform.conf.validate_deeplinking_resp(form)
                    except Exception as exc:  # noqa: BLE001 — a refused response is a 400
                        return self._reply(400, {"error": str(exc)})
                    for item in items:
                        if "lineItem" in item:
                            item["lineitem_url"] = platform.lineitem_create(
                                item["lineItem"].get("label", ""),
                                item["lineItem"].get("resourceId", ""),
                            )
                    platform.content_items.extend(items)
                    return self._reply(200, "<html><body>Added</body></html>", "text/html")
                if url.path == "/register":
                    auth = self.headers.get("Authorization") or ""
                    if auth != f"Bearer {platform.registration_token}":
                        return self._reply(401, {"error": "invalid registration token"})
                    platform.registrations.append(form)
                    return self._reply(
                        200,
                        {
                            **form,
                            "client_id": platform.client_id,
                            "https://purl.imsglobal.org/spec/lti-tool-configuration": {
                                **form.get(
                                    "https://purl.imsglobal.org/spec/lti-tool-configuration", {}
                                ),
                                "deployment_id": platform.deployment_id,
                            },
                        },
                    )
                return self._reply(404, {"error": "not found"})

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def authorize(self, handler, query: dict) -> None:
        """The OIDC authentication endpoint: a signed launch, auto-posted to the tool."""
        spec = self.pending.get(query.get("lti_message_hint", ""))
        if spec is None or query.get("login_hint") != spec.sub:
            return handler._reply(400, {"error": "unknown launch"})
        message = Launch(_Request("GET", query, {}, handler.headers), self.conf)
        message.spec, message.platform = spec, self
        try:
            page = message.lti_launch()
        except Exception as exc:  # noqa: BLE001 — a refused preflight is a 400
            return handler._reply(400, {"error": str(exc)})
        return handler._reply(200, page, "text/html")

    def openid_configuration(self) -> dict:
        return {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/auth",
            "token_endpoint": f"{self.issuer}/token",
            "jwks_uri": f"{self.issuer}/jwks",
            "registration_endpoint": f"{self.issuer}/register",
            "token_endpoint_auth_methods_supported": ["private_key_jwt"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "https://purl.imsglobal.org/spec/lti-platform-configuration": {
                "product_family_code": "lti1p3platform",
                "version": "0.1.8",
            },
        }

    def registration_url(self, tool_register_url: str) -> str:
        joiner = "&" if "?" in tool_register_url else "?"
        return (
            tool_register_url
            + joiner
            + urlencode(
                {
                    "openid_configuration": f"{self.issuer}/.well-known/openid-configuration",
                    "registration_token": self.registration_token,
                }
            )
        )
