"""The cockpit pages as a counsellor and a centre admin use them, and the learner's data page."""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta

from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

import pytest

from lms.accounts.models import Role
from lms.counselling.models import CaseloadAssignment, LearnerPlan, Note, StaffAccessLog
from lms.counselling.services import note_create, plan_create
from tests.conftest import A_HOST
from tests.factories import SkillFactory, make_quiz, member
from tests.factories.counselling import graded_attempt, history

pytestmark = pytest.mark.django_db


@pytest.fixture
def caseload(centre_a, counsellor_a, long_course, assign):
    paused = member(centre_a, Role.LEARNER, username="paused", name="정멈춤")
    steady = member(centre_a, Role.LEARNER, username="steady", name='=HYPERLINK("x")')
    history(
        learner=paused,
        centre=centre_a,
        course=long_course,
        active_days_ago=[30, 28, 26, 24, 22, 20],
    )
    history(
        learner=steady,
        centre=centre_a,
        course=long_course,
        active_days_ago=[45, 38, 31, 24, 17, 10],
    )
    assign(counsellor_a, paused, steady)
    return {"paused": paused, "steady": steady}


def test_caseload_page_lists_learners_with_risk_reasons(client, counsellor_a, caseload):
    client.force_login(counsellor_a)
    response = client.get(reverse("counselling:caseload"), HTTP_HOST=A_HOST)
    page = response.content.decode()
    assert response.status_code == 200
    assert "정멈춤" in page and "HYPERLINK" in page
    assert "20일" in page  # the reason, in Korean, with its number
    assert page.index("정멈춤") < page.index("HYPERLINK")  # highest risk first
    assert "<caption>" in page and 'scope="col"' in page


def test_bad_filters_answer_400_with_the_form(client, counsellor_a, caseload):
    client.force_login(counsellor_a)
    response = client.get(
        reverse("counselling:caseload") + "?sort=evil&course=abc", HTTP_HOST=A_HOST
    )
    assert response.status_code == 400
    assert "errorlist" in response.content.decode()
    response = client.get(reverse("counselling:caseload_csv") + "?risk=nope", HTTP_HOST=A_HOST)
    assert response.status_code == 400


def test_paging(client, centre_a, counsellor_a, assign):
    learners = [member(centre_a, Role.LEARNER, username=f"p{n:03d}") for n in range(55)]
    assign(counsellor_a, *learners)
    client.force_login(counsellor_a)
    first = client.get(reverse("counselling:caseload") + "?sort=name", HTTP_HOST=A_HOST)
    second = client.get(reverse("counselling:caseload") + "?sort=name&page=2", HTTP_HOST=A_HOST)
    assert "p049" in first.content.decode() and "p050" not in first.content.decode()
    assert "p050" in second.content.decode() and 'rel="prev"' in second.content.decode()
    junk = client.get(reverse("counselling:caseload") + "?page=zzz", HTTP_HOST=A_HOST)
    assert junk.status_code == 200


def test_csv_export_is_streamed_safe_for_spreadsheets_and_logged(
    client, centre_a, counsellor_a, caseload
):
    client.force_login(counsellor_a)
    response = client.get(reverse("counselling:caseload_csv"), HTTP_HOST=A_HOST)
    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content)
    assert body.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0][0] == "이름"
    names = [row[0] for row in rows[1:]]
    assert '\'=HYPERLINK("x")' in names  # formula defused
    assert "정멈춤" in names
    entry = StaffAccessLog.objects.get(what=StaffAccessLog.What.CASELOAD_EXPORT)
    assert entry.count == 2 and entry.viewer == counsellor_a and entry.learner is None


def test_learner_overview_shows_everything_and_is_logged(
    client, centre_a, counsellor_a, long_course, caseload
):
    paused = caseload["paused"]
    quiz = make_quiz(centre_a, long_course, skill=SkillFactory(label_ko="데이터 정제"))
    graded_attempt(
        learner=paused, assessment=quiz, course=long_course, days=21, percent=80, number=1
    )
    plan_create(
        centre=centre_a,
        learner=paused,
        author=counsellor_a,
        target_date=timezone.localdate() + timedelta(days=40),
        agreed="주 3회 학습",
    )
    client.force_login(counsellor_a)
    response = client.get(reverse("counselling:learner", args=[paused.pk]), HTTP_HOST=A_HOST)
    page = response.content.decode()
    assert response.status_code == 200
    for text in (
        "정멈춤",
        "long-course 과정",  # courses and progress
        "80.0%",  # the course grade
        "주 3회 학습",  # the plan
        "“판다스 확인 퀴즈” 제출",  # the timeline
        'role="img"',  # charts, named and described
        "<title id=",
        "<desc id=",
        "최근 12주 주별 활동일",  # the activity chart's table alternative
        "20일 동안 활동이 없습니다",  # the risk reason
    ):
        assert text in page, text
    log = StaffAccessLog.objects.get(learner=paused)
    assert log.what == StaffAccessLog.What.OVERVIEW and log.viewer == counsellor_a


def test_overview_with_goal_role_draws_the_skill_chart(client, centre_a, counsellor_a, caseload):
    from django.core.management import call_command as run

    run("build_taxonomy", "--small", verbosity=0)
    from lms.skills.models import Role as SkillRole

    role = SkillRole.objects.get(slug="data-analyst")
    plan_create(
        centre=centre_a,
        learner=caseload["steady"],
        author=counsellor_a,
        target_date=timezone.localdate() + timedelta(days=90),
        agreed="분석가",
        goal_role=role,
    )
    client.force_login(counsellor_a)
    page = client.get(
        reverse("counselling:learner", args=[caseload["steady"].pk]), HTTP_HOST=A_HOST
    ).content.decode()
    assert role.name_ko in page
    assert "chart-skills" in page
    requirement = role.requirements.first()
    assert requirement.skill.label_ko in page  # in the chart and its table


def test_writing_a_note_and_a_plan_through_the_page(client, centre_a, counsellor_a, caseload):
    learner = caseload["steady"]
    client.force_login(counsellor_a)
    url = reverse("counselling:note_create", args=[learner.pk])
    response = client.post(url, {"text": "다음 만남: 포트폴리오"}, HTTP_HOST=A_HOST)
    assert response.status_code == 302 and response["Location"].endswith("#notes")
    assert Note.objects.get().text == "다음 만남: 포트폴리오"
    empty = client.post(url, {"text": "   "}, HTTP_HOST=A_HOST)
    assert empty.status_code == 400
    plan_url = reverse("counselling:plan_create", args=[learner.pk])
    past = client.post(plan_url, {"target_date": "2001-01-01", "agreed": "x"}, HTTP_HOST=A_HOST)
    assert past.status_code == 400 and "과거" in past.content.decode()
    nonsense = client.post(
        plan_url, {"target_date": "soon", "agreed": "x", "goal_role": "ghost"}, HTTP_HOST=A_HOST
    )
    assert nonsense.status_code == 400
    future = (timezone.localdate() + timedelta(days=30)).isoformat()
    ok = client.post(plan_url, {"target_date": future, "agreed": "주 2회"}, HTTP_HOST=A_HOST)
    assert ok.status_code == 302
    assert LearnerPlan.objects.get().agreed == "주 2회"


def test_editing_a_note_keeps_history_after_24_hours(client, centre_a, counsellor_a, caseload):
    learner = caseload["steady"]
    note = note_create(centre=centre_a, learner=learner, author=counsellor_a, text="처음")
    Note.objects.filter(pk=note.pk).update(created_at=timezone.now() - timedelta(days=2))
    client.force_login(counsellor_a)
    url = reverse("counselling:note", args=[note.pk])
    assert "처음" in client.get(url, HTTP_HOST=A_HOST).content.decode()
    response = client.post(url, {"text": "나중"}, HTTP_HOST=A_HOST)
    assert response.status_code == 302
    page = client.get(url, HTTP_HOST=A_HOST).content.decode()
    assert "나중" in page and "처음" in page  # the earlier text is listed
    other = member(centre_a, Role.COUNSELLOR, username="colleague")
    client.force_login(other)
    assert client.get(url, HTTP_HOST=A_HOST).status_code == 200  # colleagues may read
    assert client.post(url, {"text": "남의 메모"}, HTTP_HOST=A_HOST).status_code == 403
    assert StaffAccessLog.objects.filter(what="note", learner=learner).count() >= 2


def test_centre_admin_assigns_and_removes(
    client, centre_a, admin_a, counsellor_a, learner_a, learner_b
):
    client.force_login(admin_a)
    url = reverse("counselling:assignments")
    assert client.get(url, HTTP_HOST=A_HOST).status_code == 200
    response = client.post(
        url, {"counsellor": counsellor_a.pk, "learners": [learner_a.pk]}, HTTP_HOST=A_HOST
    )
    assert response.status_code == 302
    assignment = CaseloadAssignment.objects.get()
    assert assignment.learner == learner_a and assignment.assigned_by == admin_a
    other = client.post(
        url, {"counsellor": counsellor_a.pk, "learners": [learner_b.pk]}, HTTP_HOST=A_HOST
    )
    assert other.status_code == 400  # another centre's learner is not a choice
    remove = client.post(reverse("counselling:unassign", args=[assignment.pk]), HTTP_HOST=A_HOST)
    assert remove.status_code == 302 and not CaseloadAssignment.objects.exists()
    missing = client.post(reverse("counselling:unassign", args=[assignment.pk]), HTTP_HOST=A_HOST)
    assert missing.status_code == 404


def test_counsellors_cannot_assign_or_read_the_access_log(client, counsellor_a):
    client.force_login(counsellor_a)
    assert client.get(reverse("counselling:assignments"), HTTP_HOST=A_HOST).status_code == 403
    assert client.get(reverse("counselling:access_log"), HTTP_HOST=A_HOST).status_code == 403


def test_access_log_page_lists_reads(client, admin_a, counsellor_a, caseload):
    client.force_login(counsellor_a)
    client.get(reverse("counselling:learner", args=[caseload["paused"].pk]), HTTP_HOST=A_HOST)
    client.force_login(admin_a)
    page = client.get(reverse("counselling:access_log"), HTTP_HOST=A_HOST).content.decode()
    assert "정멈춤" in page and counsellor_a.display_name in page


def test_cohorts_page_draws_funnels_and_heatmap(client, counsellor_a, long_course, caseload):
    client.force_login(counsellor_a)
    page = client.get(reverse("counselling:cohorts"), HTTP_HOST=A_HOST).content.decode()
    assert "chart-funnel" in page and "long-course 과정" in page
    response = client.get(
        reverse("counselling:cohorts") + f"?course={long_course.pk}&scope=all", HTTP_HOST=A_HOST
    )
    assert response.status_code == 200
    assert "chart-heatmap" in response.content.decode()
    month = timezone.localdate().strftime("%Y-%m")
    assert (
        client.get(
            reverse("counselling:cohorts") + f"?course={long_course.pk}&month={month}",
            HTTP_HOST=A_HOST,
        ).status_code
        == 200
    )
    bad = client.get(reverse("counselling:cohorts") + "?course=99999&month=May", HTTP_HOST=A_HOST)
    assert bad.status_code == 400


def test_navigation_links_staff_to_the_cockpit(client, counsellor_a, learner_a):
    client.force_login(counsellor_a)
    assert (
        reverse("counselling:caseload")
        in client.get(reverse("learning:dashboard"), HTTP_HOST=A_HOST).content.decode()
    )
    client.force_login(learner_a)
    page = client.get(reverse("learning:dashboard"), HTTP_HOST=A_HOST).content.decode()
    assert reverse("counselling:caseload") not in page
    assert reverse("counselling:my_data") in page


def test_learner_sees_who_can_see_their_data_and_downloads_it(
    client, centre_a, counsellor_a, caseload
):
    learner = caseload["paused"]
    plan_create(
        centre=centre_a,
        learner=learner,
        author=counsellor_a,
        target_date=timezone.localdate() + timedelta(days=40),
        agreed="주 3회",
    )
    client.force_login(counsellor_a)
    client.get(reverse("counselling:learner", args=[learner.pk]), HTTP_HOST=A_HOST)
    client.force_login(learner)
    page = client.get(reverse("counselling:my_data"), HTTP_HOST=A_HOST).content.decode()
    assert "상담사" in page and "센터 관리자" in page and "강사" in page
    assert counsellor_a.display_name not in page  # which roles, not which people
    response = client.get(reverse("counselling:my_data_json"), HTTP_HOST=A_HOST)
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    assert data["profile"]["username"] == "paused"
    assert data["enrolments"][0]["lessons"]
    assert data["plans"][0]["agreed"] == "주 3회"
    assert data["staff_access"][0]["what"] == "overview"
    roles = {r["role"] for r in data["staff_roles_with_access"][0]["roles"]}
    assert roles == {"counsellor", "centre_admin", "instructor"}


def test_weekly_digest_mails_each_counsellor_their_flagged_learners(
    centre_a, counsellor_a, caseload
):
    from lms.counselling.tasks import weekly_digest

    assert weekly_digest() == 1
    message = mail.outbox[0]
    assert message.to == [counsellor_a.email]
    assert "정멈춤" in message.body and "20일" in message.body
    assert "HYPERLINK" not in message.body  # not flagged
    assert "/counselling/learners/" in message.body
    out = io.StringIO()
    call_command("counselling_digest", "--centre", "dongtan", stdout=out)
    assert "1" in out.getvalue() and len(mail.outbox) == 2


def test_digest_command_rejects_bad_input():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("counselling_digest", "--centre", "nowhere")


def test_wagtail_admin_menu_links_counsellors_to_the_cockpit(client, counsellor_a, instructor_a):
    client.force_login(counsellor_a)
    admin = client.get("/admin/", HTTP_HOST=A_HOST)
    assert admin.status_code == 200
    assert reverse("counselling:caseload") in admin.content.decode()
    client.force_login(instructor_a)
    assert (
        reverse("counselling:caseload")
        not in client.get("/admin/", HTTP_HOST=A_HOST).content.decode()
    )
