"""LTI 1.3 endpoints reached by platforms (anonymously, by design) and the deep-linking
picker an instructor of the platform sees. Every refusal is a 4xx with one logged line."""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from django.contrib.auth import login as auth_login
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

import jwt
import requests
from pylti1p3.deep_link_resource import DeepLinkResource
from pylti1p3.exception import LtiException, OIDCException
from pylti1p3.lineitem import LineItem

from . import dynamic_registration
from .keys import centre_jwks
from .models import ItemKind, Registration
from .selectors import Item, centre_items, item_resolve
from .services import (
    CUSTOM,
    NRPS,
    ROLES,
    TEACHING_ROLES,
    identity_user,
    language_of,
    launch_enrol,
    resource_link_record,
)
from .tasks import sync_roster
from .tool import CentreToolConf, message_launch, message_launch_from_cache, oidc_login

logger = logging.getLogger("dasi.lti")

# What the library raises on a launch it refuses, and what decoding or fetching can raise.
REFUSALS = (LtiException, OIDCException, jwt.PyJWTError, ValueError, KeyError, TypeError)
ITEM_PARAM = "dasi_item"


def _refuse(request: HttpRequest, status: int, reason, detail: str = "") -> HttpResponse:
    centre = getattr(request, "centre", None)
    with translation.override("en"):  # the log is read by operators, in English
        logger.warning(
            "lti refused %s %s (centre %s): %s %s",
            request.method,
            request.path,
            getattr(centre, "slug", None),
            str(reason),
            detail,
        )
    response = TemplateResponse(request, "lti/refused.html", {"reason": reason}, status=status)
    response.xframe_options_exempt = True  # platforms show launches in frames
    return response


def _other_centre(request: HttpRequest, issuer: str) -> bool:
    return (
        Registration.objects.filter(issuer=issuer, active=True)
        .exclude(centre=request.centre)
        .exists()
    )


def _launch_url(request: HttpRequest) -> str:
    return request.build_absolute_uri(reverse("lti:launch"))


@require_GET
def jwks(request: HttpRequest) -> HttpResponse:
    """The centre's LTI public key set, which platforms verify Dasi's messages with."""
    if request.centre is None:
        return _refuse(request, 404, _("This address does not belong to a centre."))
    response = JsonResponse(centre_jwks(centre=request.centre))
    response["Cache-Control"] = "public, max-age=300"
    return response


@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def login(request: HttpRequest) -> HttpResponse:
    """OIDC third-party login initiation: checks the platform is registered with this
    centre and sends the browser to the platform's authentication endpoint."""
    if request.centre is None:
        return _refuse(request, 404, _("This address does not belong to a centre."))
    params = request.POST if request.method == "POST" else request.GET
    issuer = params.get("iss", "")
    target = params.get("target_link_uri", "")
    conf = CentreToolConf(request.centre)
    if issuer and not conf.registrations(issuer) and _other_centre(request, issuer):
        return _refuse(request, 403, _("This platform is registered with another centre."))
    if target.split("?")[0] != _launch_url(request):
        return _refuse(request, 400, _("The launch address is not Dasi's."), target)
    try:
        return oidc_login(request, conf).redirect(target)
    except REFUSALS as exc:
        if issuer and _other_centre(request, issuer):
            return _refuse(request, 403, _("This platform is registered with another centre."))
        return _refuse(request, 400, _("This platform is not registered here."), str(exc))


@csrf_exempt
@never_cache
@xframe_options_exempt
@require_POST
def launch(request: HttpRequest) -> HttpResponse:
    """A signed launch from a platform: checked (signature, expiry, audience, nonce, replay,
    deployment, centre), then the person is signed in as their Dasi account and taken to the
    item, or, for a deep-linking request, the picker."""
    if request.centre is None:
        return _refuse(request, 404, _("This address does not belong to a centre."))
    conf = CentreToolConf(request.centre)
    message = message_launch(request, conf)
    try:
        claims = message.get_launch_data()
    except REFUSALS as exc:
        issuer = ""
        try:
            issuer = jwt.decode(
                request.POST.get("id_token", ""), options={"verify_signature": False}
            ).get("iss", "")
        except jwt.PyJWTError:
            issuer = ""
        if issuer and conf.found is None and _other_centre(request, issuer):
            return _refuse(request, 403, _("This platform is registered with another centre."))
        return _refuse(request, 400, _("This launch could not be verified."), str(exc))
    registration = conf.found
    if not message_nonce_fresh(claims):
        return _refuse(request, 400, _("This launch was already used."), claims.get("nonce", ""))
    roles = claims.get(ROLES) or []
    if message.is_deep_link_launch():
        if not any(role in TEACHING_ROLES for role in roles):
            return _refuse(request, 403, _("Only instructors can pick Dasi content."))
        return redirect("lti:deep_link", launch_id=message.get_launch_id())
    if not message.is_resource_launch():
        return _refuse(request, 400, _("Dasi does not handle this kind of launch."))
    key = str((claims.get(CUSTOM) or {}).get(ITEM_PARAM, ""))
    item = item_resolve(centre=request.centre, key=key) if key else None
    if key and item is None:
        return _refuse(request, 403, _("This content is not offered by this centre."), key)
    language = language_of(claims)
    try:
        user = identity_user(
            registration=registration,
            sub=str(claims.get("sub", "")),
            name=str(claims.get("name", "")),
            language=language,
        )
    except ValidationError as exc:
        return _refuse(request, 400, " ".join(exc.messages))
    if item is not None:
        launch_enrol(user=user, item=item, centre=request.centre)
        link = resource_link_record(registration=registration, claims=claims, item=item, user=user)
        if claims.get(NRPS) and any(role in TEACHING_ROLES for role in roles):
            sync_roster.delay(link.pk)
    auth_login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    language = language or user.preferred_language
    response = redirect(_destination(request, item, language))
    response.set_cookie("django_language", language, samesite="Lax")
    return response


def message_nonce_fresh(claims: dict) -> bool:
    """True the first time a platform's nonce is seen (a replayed id_token is refused)."""
    # The cache (Redis in production) is shared by every web process, so a nonce is
    # consumed once across all of them; entries outlive the id_token they came with.
    return cache.add(f"lti-nonce:{claims.get('iss')}:{claims.get('nonce')}", 1, timeout=3600)


def _destination(request: HttpRequest, item: Item | None, language: str) -> str:
    with translation.override(language):
        if item is None:
            return request.centre.site.root_page.localized.get_url(request) or "/"
        if item.kind == ItemKind.ASSESSMENT:
            name = (
                "assessments:exercise" if item.assessment.kind == "notebook" else "assessments:quiz"
            )
            return reverse(name, args=[item.assessment.pk, item.page.pk])
        return item.page.localized.get_url(request) or "/"


@csrf_exempt  # the launch id in the address is the capability; no Dasi session is used
@never_cache
@xframe_options_exempt
@require_http_methods(["GET", "POST"])
def deep_link(request: HttpRequest, launch_id: str) -> HttpResponse:
    """The picker: an instructor of the platform chooses Dasi courses, lessons, quizzes or
    notebook exercises; the choice goes back to the platform as a signed deep-linking
    response (auto-submitted by a static script)."""
    if request.centre is None or not launch_id.startswith("lti1p3-launch-"):
        return _refuse(request, 404, _("This picker has expired."))
    conf = CentreToolConf(request.centre)
    try:
        message = message_launch_from_cache(launch_id, request, conf)
    except REFUSALS as exc:
        return _refuse(request, 404, _("This picker has expired."), str(exc))
    if not message.is_deep_link_launch():
        return _refuse(request, 404, _("This picker has expired."))
    items = centre_items(centre=request.centre)
    settings = message.get_launch_data().get(
        "https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings", {}
    )
    if request.method == "GET":
        return TemplateResponse(
            request,
            "lti/deep_link.html",
            {"items": items, "multiple": settings.get("accept_multiple", False)},
        )
    chosen = [item for item in items if item.key in request.POST.getlist("item")]
    if not chosen or (len(chosen) > 1 and not settings.get("accept_multiple", False)):
        return _refuse(request, 400, _("Choose one item to add."))
    resources = [_resource(request, item) for item in chosen]
    response_jwt = message.get_deep_link().get_response_jwt(resources)
    action = settings.get("deep_link_return_url", "")
    response = TemplateResponse(
        request,
        "lti/deep_link_return.html",
        {"action": action, "jwt": response_jwt, "items": chosen},
    )
    # The signed answer is a form posted to the platform: this page's policy lets forms go
    # there, and only there (lms/security_headers.py merges it with the site's form targets).
    target = _origin(action)
    if target:
        response._csp_update = {"form-action": [target]}
    return response


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return (
        f"{parts.scheme}://{parts.netloc}"
        if parts.scheme in ("http", "https") and parts.netloc
        else ""
    )


class WindowResource(DeepLinkResource):
    """A resource link the platform opens in a window of its own: Dasi's pages refuse to be
    framed by other sites (X-Frame-Options). pylti1p3 does not write the property."""

    def to_dict(self) -> dict:
        return {**super().to_dict(), "window": {"targetName": "_blank"}}


def _resource(request: HttpRequest, item: Item) -> DeepLinkResource:
    resource = (
        WindowResource()
        .set_url(_launch_url(request))
        .set_title(item.title)
        .set_custom_params({ITEM_PARAM: item.key})
    )
    if item.gradable:
        resource.set_lineitem(
            LineItem().set_score_maximum(100).set_label(item.title).set_resource_id(item.key)
        )
    return resource


@csrf_exempt
@never_cache
@xframe_options_exempt
@require_GET
def register(request: HttpRequest) -> HttpResponse:
    """LTI Dynamic Registration: a platform's administrator opens this address (with the
    centre's ticket, from Dasi's admin); Dasi registers itself with the platform."""
    if request.centre is None:
        return _refuse(request, 404, _("This address does not belong to a centre."))
    try:
        registration = dynamic_registration.register(
            centre=request.centre,
            ticket=request.GET.get("ticket", ""),
            openid_configuration=request.GET.get("openid_configuration", ""),
            registration_token=request.GET.get("registration_token", ""),
            tool={
                "launch": _launch_url(request),
                "login": request.build_absolute_uri(reverse("lti:login")),
                "jwks": request.build_absolute_uri(reverse("lti:jwks")),
                "host": request.get_host().split(":")[0],
            },
        )
    except dynamic_registration.Refused as exc:
        return _refuse(request, exc.status, exc.message)
    except requests.RequestException as exc:
        return _refuse(request, 502, _("The platform could not be reached."), str(exc))
    return TemplateResponse(request, "lti/registered.html", {"registration": registration})
