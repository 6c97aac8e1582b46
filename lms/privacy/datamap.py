"""Where a learner's data lives, table by table, and what export and erasure do with it.

Every model with a key to the user, or to a model listed here, is either a `Part` (reached
from the learner through `owner`, exported, and erased, pseudonymised or kept as an
anonymous row) or a link listed in `EXCLUDED_LINKS` with the reason it is not the learner's
data. tests/privacy/test_datamap.py walks every model and fails on a key found in neither, so a
new table holding personal data cannot be forgotten by the download or the erasure.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

# What erasure does with a Part's rows.
DELETE = "delete"  # the rows go (with their files)
SCRUB = "scrub"  # the rows stay for the centre's anonymous counts; `scrub` fields are replaced
KEEP = "keep"  # the rows stay as they are: they hold nothing personal once the user is erased


def numbers_only(value: Any) -> Any:
    """The shape of a JSON value with only its numbers and booleans: scores stay countable,
    free text (outputs, feedback quoting the learner's code) goes."""
    if isinstance(value, dict):
        return {k: numbers_only(v) for k, v in value.items() if not isinstance(v, str)}
    if isinstance(value, list):
        return [numbers_only(v) for v in value if not isinstance(v, str)]
    return value if isinstance(value, bool | int | float) or value is None else None


@dataclass(frozen=True)
class Part:
    """One model's rows of a learner: how to find them and what export and erasure do."""

    label: str  # app_label.ModelName
    owner: str  # lookup from the model to the learner, e.g. "enrolment__user"
    section: str  # key in the export's JSON
    erase: str = DELETE
    scrub: dict[str, Any | Callable[[Any], Any]] = field(default_factory=dict)
    files: tuple[str, ...] = ()  # file fields copied into the archive (and deleted on erasure)
    hidden: tuple[str, ...] = ()  # fields never exported (secrets)
    why: str = ""  # why rows are kept, for docs/privacy.md


PARTS: tuple[Part, ...] = (
    Part("accounts.Membership", "user", "memberships", KEEP, why="anonymous head counts"),
    Part("account.EmailAddress", "user", "email_addresses"),
    Part(
        "account.EmailConfirmation", "email_address__user", "email_confirmations", hidden=("key",)
    ),
    Part("learning.Enrolment", "user", "enrolments", KEEP, why="cohort charts, completion rates"),
    Part(
        "learning.LessonProgress", "enrolment__user", "lesson_progress", KEEP, why="cohort charts"
    ),
    Part(
        "assessments.Attempt",
        "user",
        "attempts",
        SCRUB,
        scrub={"answers": {}, "results": numbers_only},
        files=("submission",),
        why="gradebook statistics (scores only; answers and the notebook are removed)",
    ),
    Part(
        "assessments.GradingResult",
        "attempt__user",
        "grading_results",
        SCRUB,
        scrub={"cells": numbers_only, "error": ""},
        why="per-cell pass rates (numbers only)",
    ),
    Part("skills.SkillEvidence", "user", "skill_evidence", KEEP, why="cohort skill heat maps"),
    Part("skills.LearnerGoal", "user", "goal"),
    Part("skills.TextClaim", "user", "cv_phrases"),
    Part("sandboxes.SandboxLaunch", "user", "notebook_launches"),
    Part("counselling.CaseloadAssignment", "learner", "counsellor_assignments"),
    Part("counselling.LearnerPlan", "learner", "plans"),
    Part("counselling.Note", "learner", "counselling_notes"),
    Part("counselling.NoteVersion", "note__learner", "counselling_note_versions"),
    Part("counselling.LearnerRisk", "learner", "risk_assessments"),
    Part(
        "counselling.StaffAccessLog",
        "learner",
        "staff_access",
        KEEP,
        why="the centre's record of who read what (names no one once the learner is erased)",
    ),
    Part(
        "certificates.Certificate",
        "user",
        "certificates",
        SCRUB,
        scrub={"learner_name": "", "credential_jwt": ""},
        files=("pdf",),
        why="stays verifiable as issued to a person whose record was erased (docs/privacy.md)",
    ),
    Part("oauth2_provider.Grant", "user", "oauth_grants", hidden=("code", "code_challenge")),
    Part("oauth2_provider.AccessToken", "user", "oauth_access_tokens", hidden=("token",)),
    Part("oauth2_provider.RefreshToken", "user", "oauth_refresh_tokens", hidden=("token",)),
    Part("oauth2_provider.IDToken", "user", "oauth_id_tokens", hidden=("jti",)),
    Part("oauth2_provider.DeviceGrant", "user", "oauth_device_grants", hidden=("device_code",)),
    Part("oauth2_provider.Application", "user", "oauth_applications", hidden=("client_secret",)),
    Part("wagtailusers.UserProfile", "user", "admin_profile"),
    Part("wagtailadmin.EditingSession", "user", "admin_editing_sessions"),
    Part("wagtailadmin.FormState", "user", "admin_form_states"),
    Part("wagtailcore.APIToken", "user", "admin_api_tokens", hidden=("key",)),
    Part("wagtailcore.Comment", "user", "admin_comments"),
    Part("wagtailcore.CommentReply", "user", "admin_comment_replies"),
    Part("wagtailcore.PageSubscription", "user", "admin_page_subscriptions"),
    Part("mfa.Authenticator", "user", "sign_in_authenticators", hidden=("data",)),
    Part("xapi.LearnerAlias", "user", "learning_record_aliases"),
    Part("lti.Identity", "user", "lti_identities"),
    Part("lti.GradeGrant", "user", "lti_grade_grants"),
    Part("assessments.Extension", "user", "deadline_extensions"),
    Part("assessments.CalendarFeed", "user", "calendar_feeds", hidden=("token_sha256",)),
    Part("notifications.Notification", "recipient", "notifications"),
    Part("notifications.NotificationPreference", "user", "notification_preferences"),
    Part("notifications.MessageThread", "learner", "message_threads"),
    Part("notifications.Message", "thread__learner", "messages"),
    Part("privacy.ConsentRecord", "user", "consents", KEEP, why="proof of what was agreed"),
    Part("privacy.DataExport", "user", "data_exports", files=()),
    Part("privacy.ErasureRequest", "user", "erasure_requests", KEEP, why="proof of the erasure"),
    Part(
        "privacy.AuditEvent",
        "learner",
        "staff_actions",
        KEEP,
        why="the centre's audit log (names no one once the learner is erased)",
    ),
)

#: Fields of the user row itself that are never exported.
USER_HIDDEN = ("password",)

#: Keys to the user (or to a Part) that do not make a row the learner's data, with the reason.
EXCLUDED_LINKS: dict[tuple[str, str], str] = {
    ("certificates.Certificate", "revoked_by"): "the staff member who revoked it",
    ("certificates.Certificate", "issued_by"): "the staff member who issued it",
    ("certificates.Certificate", "enrolment"): "exported through its holder (`user`)",
    ("certificates.Certificate", "replaces"): "another certificate of the same holder",
    ("certificates.CertificateBatch", "requested_by"): "the staff member who asked",
    ("counselling.CaseloadAssignment", "counsellor"): "the counsellor (staff)",
    ("counselling.CaseloadAssignment", "assigned_by"): "the centre admin (staff)",
    ("counselling.LearnerPlan", "created_by"): "the counsellor who wrote it (staff)",
    ("counselling.Note", "author"): "the counsellor who wrote it (staff)",
    ("counselling.NoteVersion", "replaced_by"): "the counsellor who edited it (staff)",
    ("counselling.StaffAccessLog", "viewer"): "the staff member who read (staff)",
    ("assessments.GradingResult", "requested_by"): "the staff member who asked for a regrade",
    ("assessments.Extension", "granted_by"): "the instructor who granted it (staff)",
    ("sandboxes.SandboxLaunch", "attempt"): "exported through its learner (`user`)",
    ("privacy.ErasureRequest", "requested_by"): "the learner or the centre admin who asked",
    ("privacy.AuditEvent", "actor"): "the staff member who acted",
    ("skills.TextClaim", "reviewed_by"): "who confirmed or rejected it; exported through `user`",
    ("skills.JobPosting", "added_by"): "the staff member who added the centre's job posting",
    ("oauth2_provider.AccessToken", "source_refresh_token"): "exported through `user`",
    ("oauth2_provider.AccessToken", "id_token"): "exported through `user`",
    ("oauth2_provider.AccessToken", "application"): "the client the token is for",
    ("oauth2_provider.RefreshToken", "access_token"): "exported through `user`",
    ("oauth2_provider.RefreshToken", "application"): "the client the token is for",
    ("oauth2_provider.IDToken", "application"): "the client the token is for",
    ("oauth2_provider.Grant", "application"): "the client the grant is for",
    ("wagtailcore.CommentReply", "comment"): "exported through its author (`user`)",
    ("wagtailcore.Comment", "resolved_by"): "the editor who resolved it",
    ("notifications.Announcement", "author"): "the instructor who posted it (staff)",
    ("notifications.MessageThread", "counsellor"): "the counsellor (staff); see `learner`",
    ("notifications.Message", "author"): "the learner or the counsellor; see its thread",
    ("notifications.Notification", "thread"): "a notice of a message; erased with its thread",
}

#: Wagtail's authoring records: written only by people with admin access (staff), and the
#: erasure refuses staff, so a learner has none. Their editors' keys are kept (SET_NULL).
for _label, _field in (
    ("hub_sites.CentreHomePage", "locked_by"),
    ("hub_sites.CentreHomePage", "owner"),
    ("courses.CourseIndexPage", "locked_by"),
    ("courses.CourseIndexPage", "owner"),
    ("courses.CoursePage", "locked_by"),
    ("courses.CoursePage", "owner"),
    ("courses.LessonPage", "locked_by"),
    ("courses.LessonPage", "owner"),
    ("wagtailcore.Page", "locked_by"),
    ("wagtailcore.Page", "owner"),
    ("wagtailcore.Revision", "user"),
    ("wagtailcore.UploadedFile", "uploaded_by_user"),
    ("wagtailcore.WorkflowState", "requested_by"),
    ("wagtailcore.TaskState", "finished_by"),
    ("wagtailcore.ModelLogEntry", "user"),
    ("wagtailcore.PageLogEntry", "user"),
    ("wagtaildocs.Document", "uploaded_by_user"),
    ("wagtailimages.Image", "uploaded_by_user"),
    ("wagtailmedia.Media", "uploaded_by_user"),
):
    EXCLUDED_LINKS[(_label, _field)] = "an editor's authoring record (staff only)"


def covered_links() -> set[tuple[str, str]]:
    """(model, first field of its owner path) for every Part, and every excluded link."""
    return {(p.label, p.owner.split("__")[0]) for p in PARTS} | set(EXCLUDED_LINKS)
