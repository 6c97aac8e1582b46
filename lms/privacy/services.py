"""Writes on privacy: consents, the audit log, data exports, erasure and retention."""

from __future__ import annotations

import io
import json
import logging
import zipfile
from collections.abc import Iterable
from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from hub_sites.models import Centre
from lms.accounts.models import STAFF_ROLES, Membership, Role
from lms.accounts.oidc import hub_username
from lms.sandboxes.hub import HubClient, HubError, hub_configured

from . import selectors
from .datamap import DELETE, PARTS, SCRUB
from .models import (
    OPTIONAL_PURPOSES,
    REQUIRED_PURPOSES,
    AuditEvent,
    CentrePrivacyPolicy,
    ConsentRecord,
    DataExport,
    ErasureRequest,
    Purpose,
)
from .texts import CURRENT_VERSION, TEXTS

log = logging.getLogger(__name__)

EXPORT_SALT = "dasi.privacy.export"

# --- Consent -------------------------------------------------------------------------------


@transaction.atomic
def record_consents(
    *,
    user,
    purposes: Iterable[str],
    text_version: str,
    language: str,
    source: str = ConsentRecord.Source.ARRIVAL,
) -> list[ConsentRecord]:
    """Record a person's answer to the consent form: "yes" to each purpose in `purposes`,
    "no" to every other purpose. The required purposes must be among them.

    For sign-up, first SSO or LTI arrival (the consent page) and the privacy page alike.
    Raises ValidationError for an unknown text version, language or purpose.
    """
    purposes = set(purposes)
    if text_version not in TEXTS:
        raise ValidationError(_("Unknown consent text version."))
    if language not in dict(settings.LANGUAGES):
        raise ValidationError(_("Unknown language."))
    unknown = purposes - set(Purpose.values)
    if unknown:
        raise ValidationError(_("Unknown purpose: %(p)s") % {"p": ", ".join(sorted(unknown))})
    if not set(REQUIRED_PURPOSES) <= purposes:
        raise ValidationError(_("Dasi cannot run your courses without the required consent."))
    latest = selectors.consent_latest(user=user)
    written = []
    for purpose in (*REQUIRED_PURPOSES, *OPTIONAL_PURPOSES):
        granted = purpose in purposes
        before = latest.get(purpose)
        if before and before.granted == granted and before.text_version == text_version:
            continue  # the same answer to the same text: nothing new to record
        record = ConsentRecord(
            user=user,
            purpose=purpose,
            granted=granted,
            text_version=text_version,
            language=language,
            source=source,
        )
        record.full_clean()
        record.save()
        written.append(record)
    return written


def consent_withdraw(*, user, purpose: str, language: str) -> ConsentRecord:
    """Withdraw one optional consent (takes effect at once: see docs/privacy.md)."""
    if purpose not in OPTIONAL_PURPOSES:
        raise ValidationError(_("This consent cannot be withdrawn; erasing your account ends it."))
    latest = selectors.consent_latest(user=user)
    granted = {p for p, r in latest.items() if r.granted} - {purpose}
    version = latest[REQUIRED_PURPOSES[0]].text_version if REQUIRED_PURPOSES[0] in latest else ""
    record_consents(
        user=user,
        purposes=granted | set(REQUIRED_PURPOSES),
        text_version=version or CURRENT_VERSION,
        language=language,
        source=ConsentRecord.Source.ACCOUNT,
    )
    return selectors.consent_latest(user=user)[purpose]


# --- Audit ---------------------------------------------------------------------------------


def audit_record(
    *, actor, action: str, learner=None, centre: Centre | None = None, what: str = ""
) -> AuditEvent:
    """Write one entry of the privacy audit log (staff or system action on personal data)."""
    event = AuditEvent(
        centre=centre,
        actor=actor if getattr(actor, "pk", None) else None,
        learner=learner if getattr(learner, "pk", None) else None,
        action=action,
        what=what[:200],
    )
    event.full_clean()
    event.save()
    return event


# --- Policies ------------------------------------------------------------------------------

POLICY_FIELDS = (
    "inactive_account_days",
    "submission_days",
    "access_log_days",
    "erasure_grace_days",
    "notes_in_export",
)


@transaction.atomic
def policy_update(*, centre: Centre, actor, **values) -> CentrePrivacyPolicy:
    """Set a centre's retention periods and export policy (the fields of POLICY_FIELDS).

    Validated by the model (`CentrePrivacyPolicy.clean`: no negative or absurd periods);
    a change is written to the centre's audit log with the old and new values.
    """
    unknown = set(values) - set(POLICY_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown setting: %(s)s") % {"s": ", ".join(sorted(unknown))})
    policy = CentrePrivacyPolicy.objects.select_for_update().filter(
        centre=centre
    ).first() or CentrePrivacyPolicy(centre=centre)
    before = {name: getattr(policy, name) for name in POLICY_FIELDS}
    for name, value in values.items():
        setattr(policy, name, value)
    policy.full_clean()
    changed = [
        f"{name} {before[name]}→{getattr(policy, name)}"
        for name in POLICY_FIELDS
        if before[name] != getattr(policy, name)
    ]
    if changed or policy.pk is None:
        policy.save()
    if changed:
        audit_record(
            actor=actor,
            action=AuditEvent.Action.EDIT,
            centre=centre,
            what="privacy policy: " + ", ".join(changed),
        )
    return policy


# --- Export --------------------------------------------------------------------------------


def export_request(*, user) -> DataExport:
    """Queue the building of a person's archive; a queued one is reused, not doubled."""
    # Celery: the task module runs these services, so the service looks the task up here.
    from . import tasks  # noqa: PLC0415

    queued = DataExport.objects.filter(user=user, status=DataExport.Status.QUEUED).first()
    if queued:
        return queued
    export = DataExport.objects.create(user=user)
    transaction.on_commit(lambda: tasks.export_build.delay(str(export.pk)))
    return export


def export_build(*, export: DataExport) -> DataExport:
    """Write the archive: my-data.json, the submitted notebooks and the certificate PDFs."""
    data, files = selectors.learner_data(user=export.user)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("my-data.json", json.dumps(data, ensure_ascii=False, indent=2))
        for name, stored in files:
            try:
                with stored.open("rb") as handle:
                    archive.writestr(name, handle.read())
            except FileNotFoundError:
                log.warning("export %s: %s is missing from storage", export.pk, stored.name)
    now = timezone.now()
    export.archive.save(f"{export.pk}.zip", ContentFile(buffer.getvalue()), save=False)
    export.size = buffer.tell()
    export.status = DataExport.Status.READY
    export.ready_at = now
    export.expires_at = now + timedelta(seconds=settings.DASI_EXPORT_LINK_SECONDS)
    export.save()
    return export


def export_link_token(*, export: DataExport) -> str:
    """A signed token naming the export and its owner; checked by `export_open`."""
    return signing.TimestampSigner(salt=EXPORT_SALT).sign(f"{export.pk}:{export.user_id}")


class LinkRefused(Exception):
    """A download link that is not (or no longer) good for this person; `status` says why."""

    def __init__(self, status: int, reason: str):
        super().__init__(reason)
        self.status = status
        self.reason = reason


def export_open(*, token: str, user) -> DataExport:
    """The export a download link names, for its owner, once; raises LinkRefused (and logs)
    for a forged, expired, replayed or someone else's link."""
    try:
        value = signing.TimestampSigner(salt=EXPORT_SALT).unsign(
            token, max_age=settings.DASI_EXPORT_LINK_SECONDS
        )
        export_id, owner_id = value.split(":")
    except signing.SignatureExpired:
        raise _refuse(user, 404, "expired link") from None
    except (signing.BadSignature, ValueError):
        raise _refuse(user, 404, "forged link") from None
    if str(user.pk) != owner_id:
        raise _refuse(user, 403, f"another person's link (export {export_id})")
    reason = ""
    with transaction.atomic():
        export = DataExport.objects.select_for_update().filter(pk=export_id, user=user).first()
        if export is None or export.status != DataExport.Status.READY:
            reason = "no such export"
        elif export.downloaded_at is not None:
            reason = "replayed link"
        elif export.expires_at and export.expires_at < timezone.now():
            reason = "expired export"
        else:
            export.downloaded_at = timezone.now()
            export.save(update_fields=["downloaded_at"])
    if reason:  # logged outside the transaction, which a refusal would roll back
        raise _refuse(user, 404, reason)
    return export


def _refuse(user, status: int, reason: str) -> LinkRefused:
    log.warning("data export download refused for user %s: %s", user.pk, reason)
    audit_record(actor=user, action=AuditEvent.Action.DENIED, what=f"export download: {reason}")
    return LinkRefused(status, reason)


def exports_expire() -> int:
    """Delete archives past their expiry (scheduled); returns how many."""
    count = 0
    for export in DataExport.objects.filter(
        status=DataExport.Status.READY, expires_at__lt=timezone.now()
    ):
        export.archive.delete(save=False)
        export.status = DataExport.Status.EXPIRED
        export.save(update_fields=["archive", "status"])
        count += 1
    return count


# --- Erasure -------------------------------------------------------------------------------


def _is_staff(user) -> bool:
    return (
        user.is_staff
        or user.is_superuser
        or Membership.objects.filter(user=user, role__in=STAFF_ROLES).exists()
    )


def erasure_request(*, user, requested_by, centre: Centre | None = None) -> ErasureRequest:
    """Ask for a learner's account to be erased when the grace period ends.

    The learner asks for themselves; a centre admin asks for a learner of their centre
    (`centre`). Staff accounts are refused: their roles are removed first.
    """
    if requested_by.pk != user.pk:
        admin = Membership.objects.filter(
            user=requested_by, centre=centre, role=Role.CENTRE_ADMIN
        ).exists()
        learner = Membership.objects.filter(user=user, centre=centre, role=Role.LEARNER).exists()
        if centre is None or not admin or not learner:
            raise PermissionDenied(_("Only a centre admin of the learner's centre can ask."))
    else:
        centre = None
    if _is_staff(user):
        raise ValidationError(
            _("Staff accounts are not erased this way: remove their staff roles first.")
        )
    if selectors.erasure_pending(user=user):
        raise ValidationError(_("An erasure of this account is already waiting."))
    days = selectors.erasure_grace_days(user=user)
    request = ErasureRequest(
        user=user,
        requested_by=requested_by,
        centre=centre,
        due_at=timezone.now() + timedelta(days=days),
    )
    request.full_clean()
    request.save()
    for c in [centre] if centre else Centre.objects.filter(memberships__user=user).distinct():
        audit_record(
            actor=requested_by,
            action=AuditEvent.Action.ERASE_REQUEST,
            learner=user,
            centre=c,
            what=_("erase on %(date)s") % {"date": request.due_at.date().isoformat()},
        )
    return request


def erasure_cancel(*, request: ErasureRequest, by) -> ErasureRequest:
    """Cancel a waiting erasure (the learner, or an admin of the centre that asked)."""
    allowed = by.pk == request.user_id or (
        request.centre_id
        and Membership.objects.filter(
            user=by, centre_id=request.centre_id, role=Role.CENTRE_ADMIN
        ).exists()
    )
    if not allowed:
        raise PermissionDenied(_("You cannot cancel this erasure."))
    if request.status != ErasureRequest.Status.PENDING:
        raise ValidationError(_("This erasure is not waiting any more."))
    request.status = ErasureRequest.Status.CANCELLED
    request.save(update_fields=["status"])
    audit_record(
        actor=by,
        action=AuditEvent.Action.ERASE_CANCEL,
        learner=request.user,
        centre=request.centre,
    )
    return request


def _scrub_value(rule, old):
    return rule(old) if callable(rule) else rule


def _erase_rows(user) -> None:
    for part in reversed(PARTS):  # children (versions, progress) before their parents
        rows = list(selectors.part_rows(part, user=user))
        for row in rows:
            for name in part.files:
                stored = getattr(row, name)
                if stored:
                    stored.delete(save=False)
        if part.erase == DELETE:
            for row in rows:
                row.delete()
        elif part.erase == SCRUB:
            for row in rows:
                for name, rule in part.scrub.items():
                    setattr(row, name, _scrub_value(rule, getattr(row, name)))
                row.save()
        elif part.files:
            for row in rows:
                row.save()


def _scrub_log_labels(terms: list[str]) -> None:
    """Wagtail's action logs copy an object's name into `label`: blank the ones naming them."""
    for label in ("wagtailcore.ModelLogEntry", "wagtailcore.PageLogEntry"):
        model = apps.get_model(label)
        match = Q()
        for term in terms:
            match |= Q(label__icontains=term)
        model.objects.filter(match).update(label="—")


def erasure_run(*, request: ErasureRequest) -> ErasureRequest:
    """Erase a learner: delete or scrub every Part of the data map, pseudonymise the account,
    and delete their notebook hub user (with its home directory).

    Rows staff statistics rely on stay, tied to an account named "erased-<id>" with no name,
    e-mail or password. The hub is called after the database commits; a hub that does not
    answer is recorded on the request and retried by the next scheduled run.
    """
    user = request.user
    terms = [t for t in {user.username, user.email, user.name, user.get_full_name()} if t]
    with transaction.atomic():
        _erase_rows(user)
        _scrub_log_labels(terms)
        user.username = f"erased-{user.pk}"
        user.name = user.first_name = user.last_name = ""
        user.email = ""
        user.is_active = False
        user.set_unusable_password()
        user.save()
        request.status = ErasureRequest.Status.DONE
        request.done_at = timezone.now()
        request.save(update_fields=["status", "done_at"])
        for centre in Centre.objects.filter(memberships__user=user).distinct():
            audit_record(actor=None, action=AuditEvent.Action.ERASE, learner=user, centre=centre)
    request.hub_result = hub_user_delete(user=user)
    request.save(update_fields=["hub_result"])
    return request


def hub_user_delete(*, user) -> str:
    """Delete the person's hub user (the hub removes their home directory); returns what
    happened, in a few words."""
    if not hub_configured():
        return "no hub configured"
    try:
        HubClient().user_delete(hub_username(user))
    except HubError as exc:
        log.warning("hub user of %s not deleted: %s", user.pk, exc)
        return f"failed: {exc}"[:200]
    return "deleted"


def erasures_due() -> int:
    """Carry out every erasure whose grace period is over, and retry failed hub deletions."""
    done = 0
    for request in ErasureRequest.objects.filter(
        status=ErasureRequest.Status.PENDING, due_at__lte=timezone.now()
    ).select_related("user"):
        erasure_run(request=request)
        done += 1
    for request in ErasureRequest.objects.filter(
        status=ErasureRequest.Status.DONE, hub_result__startswith="failed"
    ).select_related("user"):
        request.hub_result = hub_user_delete(user=request.user)
        request.save(update_fields=["hub_result"])
    return done
