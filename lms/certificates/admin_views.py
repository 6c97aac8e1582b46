"""Admin views for centre admins: issue by hand or for a cohort (with progress), revoke,
reissue."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from courses.models import CoursePage
from lms.accounts.models import Role, User
from lms.accounts.selectors import centres_where
from lms.learning.models import Enrolment

from .models import Certificate, CertificateBatch
from .services import certificate_reissue, certificate_revoke
from .tasks import issue_in_batch


def _admin_centres(request: HttpRequest):
    centres = centres_where(user=request.user, roles=[Role.CENTRE_ADMIN]).select_related("site")
    if not request.user.is_superuser and not centres.exists():
        raise PermissionDenied
    return centres


class IssueForm(forms.Form):
    centre = forms.ModelChoiceField(queryset=None, label=gettext_lazy("Centre"))
    course = forms.ModelChoiceField(queryset=None, label=gettext_lazy("Course"))
    learner = forms.CharField(
        label=gettext_lazy("Learner (username)"),
        required=False,
        help_text=gettext_lazy(
            "Leave empty to issue to every learner of the centre who completed the course."
        ),
    )

    def __init__(self, *args, centres, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["centre"].queryset = centres
        self.fields["course"].queryset = (
            CoursePage.objects.live()
            .filter(alias_of__isnull=True, locale__language_code="ko")
            .order_by("title")
        )

    def clean(self):
        cleaned = super().clean()
        username = cleaned.get("learner", "").strip()
        if username:
            learner = User.objects.filter(username=username).first()
            if learner is None:
                raise ValidationError(_("No learner has that username."))
            cleaned["learner_obj"] = learner
        return cleaned


def issue(request: HttpRequest) -> HttpResponse:
    centres = _admin_centres(request)
    form = IssueForm(request.POST or None, centres=centres)
    if request.method == "POST" and form.is_valid():
        centre, course = form.cleaned_data["centre"], form.cleaned_data["course"]
        learner = form.cleaned_data.get("learner_obj")
        if learner is not None:
            ids, require_completion = [learner.pk], False
        else:
            ids = list(
                Enrolment.objects.filter(
                    course=course, centre=centre, status=Enrolment.Status.COMPLETED
                ).values_list("user_id", flat=True)
            )
            require_completion = True
        if not ids:
            form.add_error(None, _("No learner of this centre has completed that course yet."))
        else:
            batch = CertificateBatch.objects.create(
                centre=centre,
                course=course,
                learner_ids=ids,
                require_completion=require_completion,
                requested_by=request.user,
            )
            for learner_id in ids:
                issue_in_batch.delay(batch.pk, learner_id)
            return redirect("certificates_admin_batch", batch_id=batch.pk)
    return TemplateResponse(request, "certificates/admin/issue.html", {"form": form})


def _batch_progress(batch: CertificateBatch) -> dict:
    issued = Certificate.objects.filter(
        course=batch.course, user_id__in=batch.learner_ids, status=Certificate.Status.VALID
    ).count()
    failed = len(batch.errors)
    total = len(batch.learner_ids)
    return {
        "total": total,
        "issued": issued,
        "failed": failed,
        "done": issued + failed >= total,
        "percent": round(100 * (issued + failed) / total) if total else 100,
    }


def batch(request: HttpRequest, batch_id: int) -> HttpResponse:
    centres = _admin_centres(request)
    item = get_object_or_404(CertificateBatch, pk=batch_id, centre__in=centres)
    progress = _batch_progress(item)
    if request.headers.get("Accept", "").startswith("application/json"):
        return JsonResponse(progress)
    return TemplateResponse(
        request, "certificates/admin/batch.html", {"batch": item, "progress": progress}
    )


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )


def revoke(request: HttpRequest, certificate_id) -> HttpResponse:
    centres = _admin_centres(request)
    certificate = get_object_or_404(Certificate, pk=certificate_id, centre__in=centres)
    form = RevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            certificate_revoke(
                certificate=certificate, user=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, _("Certificate %(number)s is revoked.") % {"number": certificate.number}
            )
            return redirect("certificates_admin_list")
    return TemplateResponse(
        request, "certificates/admin/revoke.html", {"certificate": certificate, "form": form}
    )


def reissue(request: HttpRequest, certificate_id) -> HttpResponse:
    if request.method != "POST":
        return HttpResponse(status=405)
    centres = _admin_centres(request)
    certificate = get_object_or_404(Certificate, pk=certificate_id, centre__in=centres)
    try:
        new = certificate_reissue(certificate=certificate, user=request.user)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(request, _("Reissued as %(number)s.") % {"number": new.number})
    return redirect("certificates_admin_list")


def certificate_list(request: HttpRequest) -> HttpResponse:
    centres = _admin_centres(request)
    query = request.GET.get("q", "").strip()[:100]
    certificates = Certificate.objects.filter(centre__in=centres).select_related(
        "user", "centre__site"
    )
    if query:
        certificates = certificates.filter(number__icontains=query) | certificates.filter(
            learner_name__icontains=query
        )
    return TemplateResponse(
        request,
        "certificates/admin/list.html",
        {"certificates": certificates.order_by("-issued_at")[:500], "query": query},
    )
