"""A learner who withdrew sharing with counsellors is in no counsellor-facing list.

Tried as a counsellor would: every list, the CSV, the weekly e-mail, the staff start page,
the cohort heatmap, the search box as a name oracle, and the learner's pages by id.
"""

from __future__ import annotations

import csv
import io

from django.core import mail
from django.urls import reverse

import pytest

from lms.accounts.models import Role
from lms.counselling.models import StaffAccessLog
from lms.counselling.selectors import learners_of
from lms.counselling.services import digest_send
from lms.counselling.sharing import shared_learners, sharing_refused
from lms.privacy.models import AuditEvent, Purpose
from lms.privacy.services import record_consents
from lms.privacy.texts import CURRENT_VERSION
from tests.conftest import A_HOST
from tests.factories import member
from tests.factories.counselling import history

pytestmark = pytest.mark.django_db

HIDDEN, SHOWN = "정숨김", "김보임"


@pytest.fixture
def learners(centre_a, counsellor_a, long_course, assign):
    """Two flagged learners of the counsellor's caseload; the first withdrew sharing."""
    hidden = member(centre_a, Role.LEARNER, username="hidden-learner", name=HIDDEN)
    shown = member(centre_a, Role.LEARNER, username="shown-learner", name=SHOWN)
    for learner in (hidden, shown):
        history(
            learner=learner,
            centre=centre_a,
            course=long_course,
            active_days_ago=[30, 28, 26, 24, 22, 20],
        )
    assign(counsellor_a, hidden, shown)
    everything = [p.value for p in Purpose]
    record_consents(user=shown, purposes=everything, text_version=CURRENT_VERSION, language="ko")
    record_consents(
        user=hidden,
        purposes=[Purpose.COURSE, Purpose.RECOMMENDATIONS],
        text_version=CURRENT_VERSION,
        language="ko",
    )
    return hidden, shown


def _page(client, user, url: str) -> str:
    client.force_login(user)
    response = client.get(url, HTTP_HOST=A_HOST)
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        reverse("counselling:caseload"),
        reverse("counselling:caseload") + "?scope=all",
        reverse("counselling:at_risk"),
        reverse("counselling:at_risk") + "?scope=all&risk=high",
        reverse("counselling:caseload") + "?scope=all&sort=name&activity=30",
    ],
)
def test_the_lists_leave_the_learner_out_and_say_how_many_are_not_listed(
    client, counsellor_a, learners, url
):
    page = _page(client, counsellor_a, url)
    assert SHOWN in page
    assert HIDDEN not in page and "hidden-learner" not in page
    assert 'data-withheld="1"' in page  # a number, never who


def test_the_search_box_is_no_oracle_for_who_withdrew(client, counsellor_a, learners):
    url = reverse("counselling:caseload") + "?scope=all&q="
    by_name = _page(client, counsellor_a, url + HIDDEN)
    by_nonsense = _page(client, counsellor_a, url + "nobody-at-all")
    assert HIDDEN not in by_name.replace(f'value="{HIDDEN}"', "")
    assert 'data-withheld="1"' in by_name and 'data-withheld="1"' in by_nonsense


def test_the_csv_has_no_row_for_the_learner_and_counts_only_the_rows_sent(
    client, counsellor_a, learners
):
    client.force_login(counsellor_a)
    response = client.get(reverse("counselling:caseload_csv") + "?scope=all", HTTP_HOST=A_HOST)
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    names = [row[0] for row in rows[1:]]
    assert SHOWN in names and HIDDEN not in names
    logged = StaffAccessLog.objects.get(what=StaffAccessLog.What.CASELOAD_EXPORT)
    assert logged.count == len(names)


def test_the_weekly_digest_leaves_the_learner_out(centre_a, counsellor_a, learners):
    assert digest_send(centre=centre_a) == 1
    body = mail.outbox[0].body
    assert SHOWN in body and HIDDEN not in body


def test_the_staff_start_page_panel_leaves_the_learner_out(client, counsellor_a, learners):
    page = _page(client, counsellor_a, "/admin/")
    panel = page[page.index('id="dasi-caseload-dongtan') :].split("</section>", 1)[0]
    assert SHOWN in panel and HIDDEN not in panel
    assert 'data-at-risk="1"' in panel


def test_the_cohort_heatmap_leaves_the_learner_out_and_the_funnel_keeps_the_count(
    client, counsellor_a, long_course, learners
):
    url = reverse("counselling:cohorts") + f"?course={long_course.pk}&scope=all"
    page = _page(client, counsellor_a, url)
    assert SHOWN in page and HIDDEN not in page
    assert 'data-withheld="1"' in page
    # The funnel is anonymous counts: both learners are enrolled.
    assert '<th scope="row">수강 신청</th><td>2</td>' in page


def test_the_learners_pages_by_id_are_refused_without_their_name_and_logged(
    client, centre_a, counsellor_a, learners
):
    hidden, _shown = learners
    client.force_login(counsellor_a)
    for url in (
        reverse("counselling:learner", args=[hidden.pk]),
        reverse("skills:staff_learner", args=[hidden.pk]),
    ):
        response = client.get(url, HTTP_HOST=A_HOST)
        assert response.status_code == 403, url
        assert HIDDEN not in response.content.decode()
    denied = AuditEvent.objects.filter(action=AuditEvent.Action.DENIED, learner=hidden)
    assert denied.count() == 2 and {e.centre for e in denied} == {centre_a}


def test_centre_admins_and_the_learner_again_after_consenting_see_everything(
    client, centre_a, admin_a, counsellor_a, learners
):
    hidden, _shown = learners
    page = _page(client, admin_a, reverse("counselling:caseload") + "?scope=all")
    assert HIDDEN in page and "data-withheld" not in page
    record_consents(
        user=hidden,
        purposes=[p.value for p in Purpose],
        text_version=CURRENT_VERSION,
        language="ko",
    )
    page = _page(client, counsellor_a, reverse("counselling:caseload"))
    assert HIDDEN in page and "data-withheld" not in page


def test_the_gate_on_its_own(centre_a, admin_a, counsellor_a, learners):
    hidden, shown = learners
    everyone = learners_of(centre=centre_a)
    assert set(shared_learners(everyone, viewer=counsellor_a, centre=centre_a)) == {shown}
    assert set(shared_learners(everyone, viewer=admin_a, centre=centre_a)) == {hidden, shown}
    assert sharing_refused(viewer=counsellor_a, learner=hidden, centre=centre_a)
    assert not sharing_refused(viewer=counsellor_a, learner=shown, centre=centre_a)
    assert not sharing_refused(viewer=hidden, learner=hidden, centre=centre_a)
