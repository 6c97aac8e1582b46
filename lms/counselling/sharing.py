"""The one place that decides which learners a counsellor may see.

Every counsellor-facing read goes through it: the lists (caseload, at-risk, the caseload
CSV, the weekly digest, the cohort heatmap, the staff start page's panel) through
`shared_learners`, one learner's record (overview, notes, plan, skills page, CV review)
through `sharing_refused`. A learner who withdrew consent to share their record with the
centre's counsellors is left out of every list and refused on every page; aggregate counts
(funnels, "n learners not listed") stay anonymous numbers.

The learner's consent lives in a higher layer (lms/privacy), which registers its answer to
the `counselling_sharing_withdrawn` hook: a `values("user_id")`-style queryset of the
learners who withdrew, used as a subquery so a list costs no extra query. Centre admins and
superusers are not gated: what the required processing needs (enrolments, grades,
certificates, erasure) is theirs to run (docs/privacy.md).
"""

from __future__ import annotations

from django.db.models import QuerySet

from wagtail import hooks

from hub_sites.models import Centre
from lms.accounts.models import Membership, Role, User

_KNOWN = "_counselling_sees_all"


def sees_every_learner(*, viewer, centre: Centre) -> bool:
    """Whether `viewer` is exempt from the gate: a superuser or a centre admin of `centre`.

    Kept on the viewer object for its lifetime (one request, as Django keeps permissions), so
    a page that passes the gate several times asks once.
    """
    if viewer.is_superuser:
        return True
    known = viewer.__dict__.setdefault(_KNOWN, {})
    if centre.pk not in known:
        known[centre.pk] = Membership.objects.filter(
            user=viewer, centre=centre, role=Role.CENTRE_ADMIN
        ).exists()
    return known[centre.pk]


def remember_roles(*, viewer, centre: Centre, roles: set[str]) -> None:
    """Tell the gate the viewer's roles in the centre, read already by whoever let them in
    (the cockpit), so that it does not ask again."""
    viewer.__dict__.setdefault(_KNOWN, {})[centre.pk] = Role.CENTRE_ADMIN in roles


def _withdrawn(learners: QuerySet[User]) -> QuerySet[User]:
    """The learners of `learners` that some hook says withdrew sharing."""
    found = learners.none()
    for withdrawn in hooks.get_hooks("counselling_sharing_withdrawn"):
        found = found | learners.filter(pk__in=withdrawn())
    return found


def shared_learners(learners: QuerySet[User], *, viewer, centre: Centre) -> QuerySet[User]:
    """`learners` without those who withdrew sharing with counsellors, unless `viewer` sees
    every learner (see `sees_every_learner`); lazy, no query of its own but the role check."""
    if sees_every_learner(viewer=viewer, centre=centre):
        return learners
    for withdrawn in hooks.get_hooks("counselling_sharing_withdrawn"):
        learners = learners.exclude(pk__in=withdrawn())
    return learners


def withheld_count(learners: QuerySet[User], *, viewer, centre: Centre) -> int:
    """How many of `learners` the gate leaves out for `viewer` (an anonymous number)."""
    if sees_every_learner(viewer=viewer, centre=centre):
        return 0
    return _withdrawn(learners).count()


def sharing_refused(*, viewer, learner: User, centre: Centre) -> bool:
    """Whether `viewer` may not open `learner`'s record (the learner withdrew sharing and the
    viewer is no centre admin of `centre`)."""
    if viewer.pk == learner.pk or sees_every_learner(viewer=viewer, centre=centre):
        return False
    return _withdrawn(User.objects.filter(pk=learner.pk)).exists()
