"""CVs and job postings through the pages: upload, confirm or reject, demand, and who may."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape

import pytest

from lms.accounts.models import Role as MemberRole
from lms.skills.engine.documents import MAX_BYTES
from lms.skills.models import JobPosting, PostingSkill, TextClaim
from lms.skills.selectors import learner_profile
from lms.skills.services import DOCUMENT_MESSAGES
from tests.conftest import A_HOST
from tests.factories import member

from .conftest import SQL, STATISTICS
from .documents import docx, pdf_with_text, pdf_without_text

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.skills.urls")]


def _upload(client, name: str, data: bytes):
    return client.post(
        reverse("skills:cv"), {"file": SimpleUploadedFile(name, data)}, HTTP_HOST=A_HOST
    )


@pytest.fixture
def counsellor_a(centre_a):
    return member(centre_a, MemberRole.COUNSELLOR, username="counsellor-a")


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("cv.pdf", pdf_with_text(["SQL", "통계학"])),
        ("cv.docx", docx(["SQL", "통계학"])),
        ("cv.txt", "SQL\n통계학".encode()),
    ],
)
def test_an_uploaded_cv_becomes_suggestions_that_count_only_once_confirmed(
    client, taxonomy, learner_a, name, data
):
    client.force_login(learner_a)
    assert _upload(client, name, data).status_code == 302
    claims = {
        c.skill.esco_uri: c for c in TextClaim.objects.filter(user=learner_a, skill__isnull=False)
    }
    assert set(claims) == {SQL, STATISTICS}
    assert {c.status for c in claims.values()} == {"suggested"}
    assert {c.document_name for c in claims.values()} == {name}
    assert learner_profile(user=learner_a).levels == {}
    page = client.get(reverse("skills:cv"), HTTP_HOST=A_HOST).content.decode()
    assert "Confirm" in page or "확인" in page

    review = reverse("skills:claim_review", args=[claims[SQL].pk])
    assert client.post(review, {"decision": "confirm"}, HTTP_HOST=A_HOST).status_code == 302
    review = reverse("skills:claim_review", args=[claims[STATISTICS].pk])
    assert client.post(review, {"decision": "reject"}, HTTP_HOST=A_HOST).status_code == 302
    assert learner_profile(user=learner_a).levels == {SQL: 2}


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        ("big.txt", b"SQL\n" * (MAX_BYTES // 4 + 1), "too_large"),
        ("photo.png", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, "binary"),
        ("scan.pdf", pdf_without_text(), "no_text_layer"),
        ("cv.hwp", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512, "hwp"),
        ("mixed.txt", "Pyth\u043en, SQL".encode(), "mixed_scripts"),
    ],
)
def test_bad_uploads_get_a_clear_message_and_nothing_is_stored_or_lost(
    client, taxonomy, learner_a, name, data, code
):
    client.force_login(learner_a)
    client.post(reverse("skills:cv"), {"text": "SQL"}, HTTP_HOST=A_HOST)
    before = list(TextClaim.objects.filter(user=learner_a).values_list("pk", "phrase", "status"))
    response = _upload(client, name, data)
    assert response.status_code == 400
    expected = str(DOCUMENT_MESSAGES[code]) % {"detail": "Pyth\u043en"}
    assert escape(expected) in response.content.decode()
    after = list(TextClaim.objects.filter(user=learner_a).values_list("pk", "phrase", "status"))
    assert after == before


def test_an_empty_upload_or_empty_form_is_refused(client, taxonomy, learner_a):
    client.force_login(learner_a)
    assert _upload(client, "empty.txt", b"").status_code == 400
    response = client.post(reverse("skills:cv"), {"text": "  "}, HTTP_HOST=A_HOST)
    assert response.status_code == 400
    assert not TextClaim.objects.filter(user=learner_a).exists()


def test_pasted_text_over_one_megabyte_is_refused(client, taxonomy, learner_a):
    client.force_login(learner_a)
    response = client.post(
        reverse("skills:cv"), {"text": "데이터 " * (MAX_BYTES // 9)}, HTTP_HOST=A_HOST
    )
    assert response.status_code == 400
    assert not TextClaim.objects.filter(user=learner_a).exists()


def test_a_counsellor_of_the_centre_confirms_and_provenance_names_them(
    client, taxonomy, learner_a, counsellor_a
):
    client.force_login(learner_a)
    client.post(reverse("skills:cv"), {"text": "SQL"}, HTTP_HOST=A_HOST)
    claim = TextClaim.objects.get(user=learner_a, skill__isnull=False)
    client.force_login(counsellor_a)
    page = client.get(reverse("skills:staff_learner", args=[learner_a.pk]), HTTP_HOST=A_HOST)
    assert reverse("skills:claim_review", args=[claim.pk]) in page.content.decode()
    response = client.post(
        reverse("skills:claim_review", args=[claim.pk]), {"decision": "confirm"}, HTTP_HOST=A_HOST
    )
    assert response.status_code == 302
    claim.refresh_from_db()
    assert (claim.status, claim.reviewed_by) == ("confirmed", counsellor_a)
    (source,) = learner_profile(user=learner_a).skills[SQL].sources
    assert counsellor_a.display_name in source.label


def test_nobody_else_can_review_a_learners_claims(
    client, taxonomy, learner_a, learner_b, counsellor_b, admin_b, centre_a
):
    client.force_login(learner_a)
    client.post(reverse("skills:cv"), {"text": "SQL"}, HTTP_HOST=A_HOST)
    claim = TextClaim.objects.get(user=learner_a, skill__isnull=False)
    instructor = member(centre_a, MemberRole.INSTRUCTOR, username="instructor-a")
    peer = member(centre_a, MemberRole.LEARNER, username="peer-a")
    url = reverse("skills:claim_review", args=[claim.pk])
    for intruder in (learner_b, counsellor_b, admin_b, instructor, peer):
        client.force_login(intruder)
        assert client.post(url, {"decision": "confirm"}, HTTP_HOST=A_HOST).status_code == 404
    claim.refresh_from_db()
    assert claim.status == "suggested" and claim.reviewed_by is None


def test_an_unmatched_phrase_cannot_be_confirmed(client, taxonomy, learner_a):
    client.force_login(learner_a)
    client.post(reverse("skills:cv"), {"text": "knitting"}, HTTP_HOST=A_HOST)
    claim = TextClaim.objects.get(user=learner_a)
    url = reverse("skills:claim_review", args=[claim.pk])
    assert client.post(url, {"decision": "confirm"}, HTTP_HOST=A_HOST).status_code == 400
    assert client.post(url, {"decision": "maybe"}, HTTP_HOST=A_HOST).status_code == 400


def test_cv_use_goes_through_one_gate(client, taxonomy, learner_a, monkeypatch):
    from lms.skills import selectors, services

    client.force_login(learner_a)
    client.post(reverse("skills:cv"), {"text": "SQL"}, HTTP_HOST=A_HOST)
    claim = TextClaim.objects.get(user=learner_a, skill__isnull=False)
    services.claim_review(claim=claim, reviewer=learner_a, confirm=True)
    assert learner_profile(user=learner_a).levels == {SQL: 2}
    monkeypatch.setattr(selectors, "cv_use_allowed", lambda *, user: False)
    monkeypatch.setattr(services, "cv_use_allowed", lambda *, user: False)
    assert learner_profile(user=learner_a).levels == {}
    response = client.post(reverse("skills:cv"), {"text": "statistics"}, HTTP_HOST=A_HOST)
    assert response.status_code == 400
    assert list(TextClaim.objects.filter(user=learner_a)) == [claim]


POSTING = """[동탄] 데이터 분석가 채용
- SQL
- 엑셀 활용
- 통계학"""


def test_staff_paste_postings_and_the_role_explorer_shows_demand(
    client, taxonomy, learner_a, counsellor_a, centre_a
):
    client.force_login(counsellor_a)
    response = client.post(
        reverse("skills:postings"), {"title": "", "text": POSTING}, HTTP_HOST=A_HOST
    )
    assert response.status_code == 302
    posting = JobPosting.objects.get(centre=centre_a)
    assert posting.title == "[동탄] 데이터 분석가 채용"
    asked = set(
        PostingSkill.objects.filter(posting=posting).values_list("skill__esco_uri", flat=True)
    )
    assert SQL in asked
    client.force_login(learner_a)
    overview = client.get(reverse("skills:overview"), HTTP_HOST=A_HOST).content.decode()
    assert "지역 채용 공고 1건에서 역량 11개 중 3개 요구" in overview
    role = client.get(reverse("skills:role", args=["data-analyst"]), HTTP_HOST=A_HOST)
    assert 'id="demand-heading"' in role.content.decode()


def test_learners_and_other_centres_cannot_see_or_delete_postings(
    client, taxonomy, learner_a, counsellor_a, counsellor_b, centre_a
):
    client.force_login(counsellor_a)
    client.post(reverse("skills:postings"), {"text": POSTING}, HTTP_HOST=A_HOST)
    posting = JobPosting.objects.get(centre=centre_a)
    for intruder in (learner_a, counsellor_b):
        client.force_login(intruder)
        assert client.get(reverse("skills:postings"), HTTP_HOST=A_HOST).status_code == 404
        delete = reverse("skills:posting_delete", args=[posting.pk])
        assert client.post(delete, HTTP_HOST=A_HOST).status_code == 404
    assert JobPosting.objects.filter(pk=posting.pk).exists()


@pytest.mark.parametrize("text", ["", "   ", "Pyth\u043en", "SQL\x00\x00\x00\x00\x00\x00"])
def test_a_bad_posting_is_refused_and_nothing_is_stored(client, taxonomy, counsellor_a, text):
    client.force_login(counsellor_a)
    response = client.post(reverse("skills:postings"), {"text": text}, HTTP_HOST=A_HOST)
    assert response.status_code == 400
    assert not JobPosting.objects.exists()


def test_a_suggestion_can_be_confirmed_but_no_other_skill(client, taxonomy, learner_a):
    client.force_login(learner_a)
    client.post(reverse("skills:cv"), {"text": "knitting"}, HTTP_HOST=A_HOST)
    claim = TextClaim.objects.get(user=learner_a)
    offered = [s["skill"] for s in claim.suggestions]
    assert offered and claim.skill is None
    url = reverse("skills:claim_review", args=[claim.pk])
    other = next(uri for uri in (SQL, STATISTICS) if uri not in offered)
    response = client.post(url, {"decision": "confirm", "skill": other}, HTTP_HOST=A_HOST)
    assert response.status_code == 400
    claim.refresh_from_db()
    assert claim.skill is None and claim.status == "suggested"
    response = client.post(url, {"decision": "confirm", "skill": offered[0]}, HTTP_HOST=A_HOST)
    assert response.status_code == 302
    claim.refresh_from_db()
    assert (claim.skill.esco_uri, claim.status) == (offered[0], "confirmed")
    assert learner_profile(user=learner_a).levels == {offered[0]: 1}
