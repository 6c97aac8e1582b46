"""Public verification, published keys and status lists; learners' own certificates."""

from __future__ import annotations

import json

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from hub_sites.models import Centre, CentreSettings
from lms.accounts.models import STAFF_ROLES
from lms.accounts.selectors import centres_where
from lms.privacy.models import AuditEvent
from lms.privacy.services import audit_record

from . import credential as vc
from .keys import public_jwk
from .models import Certificate, IssuerKey
from .services import certificate_urls, key_url
from .status_list import status_list_credential
from .verify import UnreadableError, holder_erased_result, verify_bytes, verify_token


class VerifyUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Certificate PDF or credential file"),
        help_text=gettext_lazy("The PDF you received, or its credential (JSON or token)."),
    )


def _public_view(certificate: Certificate) -> dict:
    """Only what is printed on the certificate: never the e-mail or account."""
    return {
        "number": certificate.number,
        # Empty once the holder's record was erased (lms/privacy): the name is gone from Dasi.
        "learner_name": certificate.learner_name or _("A person whose record was erased"),
        "course_title": certificate.course_title,
        "hours": certificate.hours,
        "skills": certificate.skills,
        "issued_at": certificate.issued_at,
        "centre": CentreSettings.for_site(certificate.centre.site),
    }


def verify(request: HttpRequest, certificate_id) -> HttpResponse:
    """The public page a QR code leads to: valid, revoked or invalid, and what was certified."""
    certificate = get_object_or_404(
        Certificate.objects.select_related("centre__site"), pk=certificate_id
    )
    result = (
        verify_token(certificate.credential_jwt)
        if certificate.credential_jwt
        else holder_erased_result(certificate)
    )
    return render(
        request,
        "certificates/verify.html",
        {
            "certificate": _public_view(certificate),
            "result": result,
            "form": VerifyUploadForm(),
            "credential_url": certificate_urls(certificate.pk, certificate.centre)["credential"],
            "certificate_id": certificate.pk,
            "revoked_at": certificate.revoked_at,
            "reason": certificate.revocation_reason,
        },
    )


def verify_upload(request: HttpRequest) -> HttpResponse:
    """Upload a PDF or credential to check it, without logging in."""
    form = VerifyUploadForm(request.POST or None, request.FILES or None)
    result = certificate = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                result = verify_bytes(upload.read(10 * 1024 * 1024 + 1))
            except UnreadableError as exc:
                form.add_error("file", str(exc))
                status = 400
            else:
                if result.certificate_id and result.status != "invalid":
                    found = Certificate.objects.select_related("centre__site").get(
                        pk=result.certificate_id
                    )
                    certificate = _public_view(found)
                if not result.valid:
                    status = 200
        else:
            status = 400
    return render(
        request,
        "certificates/verify_upload.html",
        {"form": form, "result": result, "certificate": certificate},
        status=status,
    )


@require_GET
def credential_json(request: HttpRequest, certificate_id) -> JsonResponse:
    """The credential for wallets: the decoded Open Badges document and its signed token."""
    certificate = get_object_or_404(Certificate, pk=certificate_id)
    if not certificate.credential_jwt:  # the holder's record was erased; their copy remains
        raise Http404
    payload = vc.jwt.decode(certificate.credential_jwt, options={"verify_signature": False})
    return JsonResponse(
        {"credential": payload["vc"], "jwt": certificate.credential_jwt},
        json_dumps_params={"ensure_ascii": False},
    )


def _download(content: str, *, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content.encode(), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
def credential_jsonld_download(request: HttpRequest, certificate_id) -> HttpResponse:
    """The Open Badges 3.0 credential as a JSON-LD file, exactly as it was signed (the
    payload of the VC-JWT). A revoked one says so through its credentialStatus."""
    certificate = get_object_or_404(Certificate, pk=certificate_id)
    payload = vc.jwt.decode(certificate.credential_jwt, options={"verify_signature": False})
    return _download(
        json.dumps(payload["vc"], ensure_ascii=False, indent=2),
        content_type="application/ld+json; charset=utf-8",
        filename=f"{certificate.number}.jsonld",
    )


@require_GET
def credential_jwt_download(request: HttpRequest, certificate_id) -> HttpResponse:
    """The signed credential (VC-JWT, EdDSA with the centre's key), for wallets."""
    certificate = get_object_or_404(Certificate, pk=certificate_id)
    return _download(
        certificate.credential_jwt,
        content_type="application/vc+jwt",
        filename=f"{certificate.number}.jwt",
    )


def _centre(slug: str) -> Centre:
    return get_object_or_404(Centre.objects.select_related("site"), slug=slug)


@require_GET
@cache_control(max_age=300, public=True)
def issuer_profile(request: HttpRequest, slug: str) -> JsonResponse:
    """The centre's Open Badges issuer Profile, with its published verification keys."""
    centre = _centre(slug)
    settings_ = CentreSettings.for_site(centre.site)
    urls = certificate_urls("00000000-0000-0000-0000-000000000000", centre)
    keys = IssuerKey.objects.filter(centre=centre).order_by("created_at")
    return JsonResponse(
        {
            "@context": vc.OB_CONTEXT,
            "id": urls["issuer"],
            "type": ["Profile"],
            "name": settings_.certificate_issuer_name,
            "url": centre.site.root_url,
            "email": settings_.email or None,
            "address": {"type": ["Address"], "streetAddress": settings_.address}
            if settings_.address
            else None,
            "verificationMethod": [
                {
                    "id": key_url(centre, key.kid),
                    "type": "JsonWebKey",
                    "controller": urls["issuer"],
                    "publicKeyJwk": public_jwk(key),
                }
                for key in keys
            ],
        },
        json_dumps_params={"ensure_ascii": False},
    )


@require_GET
@cache_control(max_age=3600, public=True)
def public_key(request: HttpRequest, slug: str, kid: str) -> JsonResponse:
    key = get_object_or_404(IssuerKey, centre=_centre(slug), kid=kid)
    return JsonResponse(public_jwk(key))


@require_GET
@cache_control(max_age=300, public=True)
def jwks(request: HttpRequest, slug: str) -> JsonResponse:
    centre = _centre(slug)
    return JsonResponse({"keys": [public_jwk(k) for k in IssuerKey.objects.filter(centre=centre)]})


@require_GET
@cache_control(max_age=60, public=True)
def status_list(request: HttpRequest, slug: str) -> HttpResponse:
    """The centre's revocation list, a signed Bitstring Status List credential (VC-JWT)."""
    centre = _centre(slug)
    settings_ = CentreSettings.for_site(centre.site)
    urls = certificate_urls("00000000-0000-0000-0000-000000000000", centre)
    token = status_list_credential(
        centre=centre,
        url=urls["status"],
        issuer_url=urls["issuer"],
        issuer_name=settings_.certificate_issuer_name,
    )
    return HttpResponse(token, content_type="application/vc+jwt")


@login_required
def download_pdf(request: HttpRequest, certificate_id) -> FileResponse:
    """The PDF, for its learner and the staff of its centre only."""
    certificate = get_object_or_404(Certificate, pk=certificate_id)
    allowed = (
        certificate.user_id == request.user.pk
        or request.user.is_superuser
        or (
            centres_where(user=request.user, roles=STAFF_ROLES)
            .filter(pk=certificate.centre_id)
            .exists()
        )
    )
    if not allowed or not certificate.pdf:
        raise Http404(_("No such certificate."))
    if certificate.user_id != request.user.pk:
        audit_record(
            actor=request.user,
            action=AuditEvent.Action.EXPORT,
            learner=certificate.user,
            centre=certificate.centre,
            what=f"certificate PDF {certificate.number}",
        )
    return FileResponse(
        certificate.pdf.open("rb"),
        as_attachment=True,
        filename=f"{certificate.number}.pdf",
        content_type="application/pdf",
    )


@login_required
def my_certificates(request: HttpRequest) -> HttpResponse:
    certificates = Certificate.objects.filter(user=request.user).select_related("centre__site")
    rows = [
        {"certificate": c, "verify_url": certificate_urls(c.pk, c.centre)["verify"]}
        for c in certificates
    ]
    return render(request, "certificates/my_certificates.html", {"rows": rows})
