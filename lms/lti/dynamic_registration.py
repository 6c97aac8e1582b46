"""LTI Dynamic Registration 1.0: Dasi registers itself with a platform that offers it.

The address a centre admin gives the platform carries a signed ticket naming the centre
(valid for TICKET_DAYS), so nobody else can register a platform with a centre.
"""

from __future__ import annotations

from urllib.parse import urlparse

from django.core import signing
from django.utils.translation import gettext_lazy as _

import requests

from hub_sites.models import Centre

from .models import Registration
from .services import deployment_add, registration_create

TICKET_SALT = "dasi.lti.dynamic-registration"
TICKET_DAYS = 7
TIMEOUT_SECONDS = 10
TOOL_CONFIGURATION = "https://purl.imsglobal.org/spec/lti-tool-configuration"
PLATFORM_CONFIGURATION = "https://purl.imsglobal.org/spec/lti-platform-configuration"
SCOPES = [
    "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem",
    "https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly",
    "https://purl.imsglobal.org/spec/lti-ags/scope/score",
    "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly",
]


class Refused(Exception):
    def __init__(self, message, status: int = 400):
        super().__init__(message)
        self.message = message
        self.status = status


def ticket_for(centre: Centre) -> str:
    return signing.dumps({"centre": centre.pk}, salt=TICKET_SALT)


def _centre_of(ticket: str) -> int | None:
    try:
        return signing.loads(ticket, salt=TICKET_SALT, max_age=TICKET_DAYS * 86400)["centre"]
    except (signing.BadSignature, KeyError, TypeError):
        return None


def _json(response: requests.Response) -> dict:
    try:
        body = response.json()
    except ValueError as exc:
        raise Refused(_("The platform answered something that is not JSON.")) from exc
    if not isinstance(body, dict):
        raise Refused(_("The platform answered something that is not JSON."))
    return body


def tool_configuration(*, tool: dict, name: str) -> dict:
    """The client registration Dasi asks the platform for."""
    return {
        "application_type": "web",
        "response_types": ["id_token"],
        "grant_types": ["implicit", "client_credentials"],
        "initiate_login_uri": tool["login"],
        "redirect_uris": [tool["launch"]],
        "client_name": name,
        "jwks_uri": tool["jwks"],
        "token_endpoint_auth_method": "private_key_jwt",
        "scope": " ".join(SCOPES),
        TOOL_CONFIGURATION: {
            "domain": tool["host"],
            "target_link_uri": tool["launch"],
            "claims": ["iss", "sub", "name", "locale"],
            "messages": [
                {"type": "LtiResourceLinkRequest", "target_link_uri": tool["launch"]},
                {"type": "LtiDeepLinkingRequest", "target_link_uri": tool["launch"]},
            ],
        },
    }


def register(
    *, centre: Centre, ticket: str, openid_configuration: str, registration_token: str, tool: dict
) -> Registration:
    """Read the platform's configuration, register Dasi there, and keep the registration
    for the centre. Refuses a missing or foreign ticket, a configuration whose issuer is not
    on the host it was served from, and a platform that does not return a client id."""
    if _centre_of(ticket) != centre.pk:
        raise Refused(_("This registration address is not valid for this centre."), 403)
    config_url = urlparse(openid_configuration)
    if config_url.scheme not in ("http", "https") or not config_url.netloc:
        raise Refused(_("The platform did not say where its configuration is."))
    config = _json(requests.get(openid_configuration, timeout=TIMEOUT_SECONDS))
    issuer = str(config.get("issuer", ""))
    if urlparse(issuer).netloc != config_url.netloc:
        raise Refused(_("The platform's issuer does not match its configuration address."))
    for field in ("registration_endpoint", "authorization_endpoint", "token_endpoint", "jwks_uri"):
        if not str(config.get(field, "")).startswith(("http://", "https://")):
            raise Refused(_("The platform's configuration lacks %(field)s.") % {"field": field})
    product = (config.get(PLATFORM_CONFIGURATION) or {}).get("product_family_code", "")
    headers = {"Authorization": f"Bearer {registration_token}"} if registration_token else {}
    answer = requests.post(
        config["registration_endpoint"],
        json=tool_configuration(tool=tool, name=f"Dasi · {centre}"),
        headers=headers,
        timeout=TIMEOUT_SECONDS,
    )
    if not answer.ok:
        raise Refused(
            _("The platform refused the registration (%(status)s).")
            % {"status": answer.status_code}
        )
    client = _json(answer)
    client_id = str(client.get("client_id", ""))
    if not client_id:
        raise Refused(_("The platform did not return a client id."))
    deployment_id = str((client.get(TOOL_CONFIGURATION) or {}).get("deployment_id", ""))
    existing = Registration.objects.filter(issuer=issuer, client_id=client_id).first()
    if existing is not None:
        if existing.centre_id != centre.pk:
            raise Refused(_("This platform is registered with another centre."), 409)
        return deployment_add(registration=existing, deployment_id=deployment_id)
    return registration_create(
        centre=centre,
        name=str(product or issuer)[:120],
        issuer=issuer,
        client_id=client_id,
        deployment_ids=[deployment_id] if deployment_id else [],
        auth_login_url=config["authorization_endpoint"],
        auth_token_url=config["token_endpoint"],
        key_set_url=config["jwks_uri"],
    )
