"""Certificates: issue, render, verify (and every way to fail), revoke, reissue, access."""

from __future__ import annotations

import hashlib
import io
import json
import subprocess
import sys
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

import pytest

from lms.accounts.models import Role
from lms.certificates import credential as vc
from lms.certificates.keys import active_key, issuer_key_create, private_key
from lms.certificates.models import Certificate
from lms.certificates.render import CREDENTIAL_ATTACHMENT
from lms.certificates.services import certificate_issue, certificate_reissue, certificate_revoke
from lms.certificates.status_list import is_revoked
from lms.certificates.verify import UnreadableError, verify_bytes
from lms.learning.models import Enrolment
from lms.learning.services import enrolment_create
from tests.conftest import A_HOST
from tests.factories import member

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def issued(learner_a, course_a, centre_a, admin_a):
    enrolment_create(user=learner_a, course=course_a, centre=centre_a)
    return certificate_issue(
        learner=learner_a, course=course_a, centre=centre_a, user=admin_a, require_completion=False
    )


def _pdf(certificate) -> bytes:
    with certificate.pdf.open("rb") as handle:
        return handle.read()


def _swap_attachment(pdf: bytes, token: str) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    writer.attachments  # noqa: B018 — loads the name tree
    writer._root_object["/Names"].pop("/EmbeddedFiles", None)  # drop the original credential
    writer.add_attachment(CREDENTIAL_ATTACHMENT, token.encode())
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_valid_round_trip(issued):
    result = verify_bytes(_pdf(issued))
    assert (result.valid, result.status, result.certificate_id) == (True, "valid", str(issued.pk))
    assert verify_bytes(issued.credential_jwt.encode()).valid
    assert verify_bytes(json.dumps({"jwt": issued.credential_jwt}).encode()).valid


def test_credential_is_an_open_badge_with_skills_and_status(issued, course_a):
    document = vc.jwt.decode(issued.credential_jwt, options={"verify_signature": False})["vc"]
    assert "OpenBadgeCredential" in document["type"]
    assert document["credentialSubject"]["name"] == issued.learner_name
    assert document["credentialSubject"]["identifier"][0]["identityHash"].startswith("sha256$")
    assert issued.user.email not in issued.credential_jwt
    alignments = document["credentialSubject"]["achievement"]["alignment"]
    assert [a["targetUrl"] for a in alignments] == [
        o.skill.esco_uri for o in course_a.skill_outcomes.all()
    ]
    assert document["credentialStatus"]["statusListIndex"] == str(issued.status_index)


def test_pdf_is_pdfa_with_the_credential_attached(issued):
    from pypdf import PdfReader

    pdf = _pdf(issued)
    reader = PdfReader(io.BytesIO(pdf))
    assert reader.attachments[CREDENTIAL_ATTACHMENT][0].decode() == issued.credential_jwt
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data()
    assert b"pdfaid:part" in xmp and b"3" in xmp.split(b"pdfaid:part")[1][:10]
    assert issued.pdf_sha256 == hashlib.sha256(pdf).hexdigest()
    text = reader.pages[0].extract_text()
    assert issued.number in text and issued.learner_name in text


def _font_names(pdf: bytes) -> set[str]:
    from pypdf import PdfReader

    fonts = PdfReader(io.BytesIO(pdf)).pages[0]["/Resources"]["/Font"]
    return {str(font.get_object()["/BaseFont"]).split("+", 1)[1] for font in fonts.values()}


def test_pdf_embeds_its_one_font_once(issued):
    """Noto Sans KR comes in one weight: a bold asked of it would embed the face a second time;
    a name in KS X 1001 needs the compact certificate face alone."""
    assert _font_names(_pdf(issued)) == {"Dasi-Certificate-KR"}


def test_rare_syllable_falls_back_to_the_full_face(learner_a, course_a, centre_a, admin_a):
    """똠, 햏 and 뷁 are outside KS X 1001, so outside the compact face: Noto Sans KR prints them."""
    from pypdf import PdfReader

    learner_a.name = "박똠햏 뷁"
    learner_a.save(update_fields=["name"])
    enrolment_create(user=learner_a, course=course_a, centre=centre_a)
    certificate = certificate_issue(
        learner=learner_a, course=course_a, centre=centre_a, user=admin_a, require_completion=False
    )
    pdf = _pdf(certificate)
    assert certificate.learner_name == "박똠햏 뷁"
    assert _font_names(pdf) == {"Dasi-Certificate-KR", "Dasi-KR"}
    assert "박똠햏 뷁" in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()


def test_certificate_font_is_compact_renamed_and_deterministic(tmp_path):
    from fontTools.ttLib import TTFont

    from lms.certificates import fonts

    built = fonts.ensure()
    assert built is not None and built == fonts.target_path()
    syllables = fonts.ks_x_1001_syllables()
    assert len(syllables) == 2350 and not {ord(c) for c in "똠햏뷁"} & set(syllables)
    font = TTFont(built)
    cmap = font.getBestCmap()
    assert set(syllables) | {ord(c) for c in "A€·©ㄱ"} <= set(cmap)
    assert font["maxp"].numGlyphs < 4000  # Noto Sans KR has 24,964; Hangul began at 10,316
    assert font["name"].getDebugName(1) == "Dasi Certificate KR"
    assert "Noto" not in font["name"].getDebugName(6)
    assert "Open Font License" in font["name"].getDebugName(13)
    again = tmp_path / "again.otf"
    fonts.build(fonts.source_path(), again)
    assert again.read_bytes() == built.read_bytes()


def test_certificate_font_unwritable_folder_means_the_full_face(settings, tmp_path):
    from lms.certificates import fonts

    blocker = tmp_path / "file"
    blocker.write_text("")
    settings.DASI_CERTIFICATE_FONT_DIR = blocker / "fonts"
    assert fonts.ensure() is None


def test_issue_is_idempotent_and_needs_completion(learner_a, course_a, centre_a, issued, learner_b):
    again = certificate_issue(
        learner=learner_a, course=course_a, centre=centre_a, require_completion=False
    )
    assert again.pk == issued.pk and Certificate.objects.count() == 1
    with pytest.raises(ValidationError):
        certificate_issue(learner=learner_b, course=course_a, centre=centre_a)


def test_a_number_another_certificate_drew_is_drawn_again_not_dropped(
    issued, course_a, centre_a, admin_a, monkeypatch
):
    """The random part of a number can repeat across a centre's year: the second learner's
    certificate is still issued, under a fresh number, with its own revocation index."""
    from lms.certificates import services

    real = services._number
    draws = iter([issued.number])  # the first draw repeats the existing number
    monkeypatch.setattr(services, "_number", lambda *a: next(draws, None) or real(*a))
    other = member(centre_a, Role.LEARNER, username="second-learner")
    enrolment_create(user=other, course=course_a, centre=centre_a)
    second = certificate_issue(
        learner=other, course=course_a, centre=centre_a, user=admin_a, require_completion=False
    )
    assert second.user_id == other.pk and second.number != issued.number
    assert second.status_index != issued.status_index
    assert Certificate.objects.filter(user=other).count() == 1
    assert verify_bytes(_pdf(second)).valid


def test_only_the_centres_admins_issue_by_hand(
    learner_a, course_a, centre_a, admin_b, instructor_a
):
    enrolment_create(user=learner_a, course=course_a, centre=centre_a)
    for user in (admin_b, instructor_a):
        with pytest.raises(PermissionDenied):
            certificate_issue(
                learner=learner_a,
                course=course_a,
                centre=centre_a,
                user=user,
                require_completion=False,
            )
    assert not Certificate.objects.exists()


def test_edited_name_in_the_credential_is_rejected(issued):
    header, payload, signature = issued.credential_jwt.split(".")
    claims = json.loads(vc.jwt.utils.base64url_decode(payload))
    claims["vc"]["credentialSubject"]["name"] = "다른 사람"
    forged = ".".join(
        [header, vc.jwt.utils.base64url_encode(json.dumps(claims).encode()).decode(), signature]
    )
    result = verify_bytes(forged.encode())
    assert not result.valid
    assert "signature" in result.reason.lower() or "서명" in result.reason


def test_edited_course_resigned_with_another_centres_key_is_rejected(issued, centre_b):
    claims = vc.jwt.decode(issued.credential_jwt, options={"verify_signature": False})
    claims["vc"]["name"] = "가짜 과정"
    other_key = active_key(centre=centre_b)
    token = vc.jwt.encode(
        claims, private_key(other_key), algorithm="EdDSA", headers={"kid": other_key.kid}
    )
    result = verify_bytes(token.encode())
    assert not result.valid and result.status == "invalid"
    assert "key" in result.reason or "키" in result.reason


def test_credential_of_one_certificate_in_anothers_pdf_is_rejected(
    issued, course_a, centre_a, admin_a
):
    other = member(centre_a, Role.LEARNER, name="두번째 학습자")
    enrolment_create(user=other, course=course_a, centre=centre_a)
    second = certificate_issue(
        learner=other, course=course_a, centre=centre_a, user=admin_a, require_completion=False
    )
    forged = _swap_attachment(_pdf(second), issued.credential_jwt)
    result = verify_bytes(forged)
    assert not result.valid and result.status == "invalid"
    assert "PDF" in result.reason


def test_revoked_certificate_and_status_list(client, issued, admin_a, admin_b):
    with pytest.raises(PermissionDenied):
        certificate_revoke(certificate=issued, user=admin_b, reason="x")
    with pytest.raises(ValidationError):
        certificate_revoke(certificate=issued, user=admin_a, reason="  ")
    certificate_revoke(certificate=issued, user=admin_a, reason="부정 행위 확인")
    result = verify_bytes(_pdf(issued))
    assert (result.valid, result.status) == (False, "revoked")
    assert "부정 행위 확인" in result.reason
    token = client.get(
        reverse("certificates:status_list", args=["dongtan"]), HTTP_HOST=A_HOST
    ).content.decode()
    status_list = vc.jwt.decode(token, options={"verify_signature": False})["vc"]
    assert is_revoked(status_list["credentialSubject"]["encodedList"], issued.status_index)
    assert not is_revoked(status_list["credentialSubject"]["encodedList"], issued.status_index + 1)
    page = client.get(
        reverse("certificates:verify", args=[issued.pk]), HTTP_HOST=A_HOST
    ).content.decode()
    assert "부정 행위 확인" in page


def test_reissue_after_revocation_keeps_the_old_record(issued, admin_a):
    with pytest.raises(ValidationError):
        certificate_reissue(certificate=issued, user=admin_a)
    certificate_revoke(certificate=issued, user=admin_a, reason="이름 오기")
    new = certificate_reissue(certificate=issued, user=admin_a)
    assert new.pk != issued.pk and new.replaces_id == issued.pk
    assert Certificate.objects.count() == 2
    assert verify_bytes(_pdf(new)).valid and not verify_bytes(_pdf(issued)).valid


def test_key_rotation_keeps_old_certificates_valid(issued, centre_a, learner_b, course_a, admin_a):
    old_kid = issued.key.kid
    issuer_key_create(centre=centre_a)
    assert active_key(centre=centre_a).kid != old_kid
    assert verify_bytes(_pdf(issued)).valid


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"%PDF-1.7\n%truncated", "PDF"),
        (b"hello", "neither"),
        (b"", "empty"),
        (b"\xff\xfe\x00", "not text"),
    ],
)
def test_unreadable_input(data, message):
    with pytest.raises(UnreadableError):
        verify_bytes(data)


def test_truncated_pdf_is_unreadable_or_invalid(issued):
    pdf = _pdf(issued)
    try:
        result = verify_bytes(pdf[: len(pdf) // 2])
    except UnreadableError:
        return
    assert not result.valid


def test_private_key_is_never_stored_in_the_clear(issued):
    raw = private_key(issued.key).private_bytes_raw()
    assert raw not in bytes(issued.key.private_key_encrypted)
    issuer_page = json.dumps(
        vc.jwt.decode(issued.credential_jwt, options={"verify_signature": False})
    )
    from lms.certificates.keys import b64url

    assert b64url(raw) not in issuer_page


def test_download_is_for_the_learner_and_the_centres_staff(
    client, issued, learner_b, instructor_a, instructor_b
):
    url = reverse("certificates:pdf", args=[issued.pk])
    client.force_login(issued.user)
    response = client.get(url, HTTP_HOST=A_HOST)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    client.force_login(instructor_a)
    assert client.get(url, HTTP_HOST=A_HOST).status_code == 200
    for other in (learner_b, instructor_b):
        client.force_login(other)
        assert client.get(url, HTTP_HOST=A_HOST).status_code == 404


def test_verify_page_shows_only_what_is_printed(client, issued):
    page = client.get(
        reverse("certificates:verify", args=[issued.pk]), HTTP_HOST=A_HOST
    ).content.decode()
    assert issued.learner_name in page and issued.number in page
    assert issued.user.email not in page and issued.user.username not in page


def test_verify_upload_page(client, issued):
    from django.core.files.uploadedfile import SimpleUploadedFile

    url = reverse("certificates:verify_upload")
    good = client.post(
        url,
        {"file": SimpleUploadedFile("c.pdf", _pdf(issued), "application/pdf")},
        HTTP_HOST=A_HOST,
    )
    assert good.status_code == 200 and issued.number in good.content.decode()
    bad = client.post(
        url,
        {"file": SimpleUploadedFile("c.txt", b"not a certificate", "text/plain")},
        HTTP_HOST=A_HOST,
    )
    assert bad.status_code == 400


def test_public_keys_issuer_profile_and_credential_json(client, issued, centre_a):
    profile = client.get(reverse("certificates:issuer", args=["dongtan"]), HTTP_HOST=A_HOST).json()
    assert (
        profile["type"] == ["Profile"]
        and profile["verificationMethod"][0]["publicKeyJwk"]["crv"] == "Ed25519"
    )
    key = client.get(
        reverse("certificates:key", args=["dongtan", issued.key.kid]), HTTP_HOST=A_HOST
    ).json()
    assert "d" not in key  # never the private part
    credential = client.get(
        reverse("certificates:credential", args=[issued.pk]), HTTP_HOST=A_HOST
    ).json()
    assert credential["jwt"] == issued.credential_jwt


def test_completion_issues_the_certificate(learner_a, course_a, centre_a):
    from django.test import TestCase

    from lms.learning.services import lesson_complete
    from tests.factories import lessons_of

    enrolment = enrolment_create(user=learner_a, course=course_a, centre=centre_a)
    with TestCase.captureOnCommitCallbacks(execute=True):
        for lesson in lessons_of(course_a):
            lesson_complete(user=learner_a, lesson=lesson)
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.COMPLETED
    certificate = Certificate.objects.get(user=learner_a, course=course_a)
    assert verify_bytes(_pdf(certificate)).valid


def _manage(*args):
    import os

    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "lms.settings.test"},
        check=False,
        timeout=120,
    )


def test_verify_certificate_command_exit_codes(tmp_path):
    missing = _manage("verify_certificate", str(tmp_path / "nope.pdf"), "--json")
    assert missing.returncode == 2 and json.loads(missing.stdout)["valid"] is False
    junk = tmp_path / "junk.pdf"
    junk.write_bytes(b"%PDF-1.4 broken")
    result = _manage("verify_certificate", str(junk), "--json")
    assert result.returncode == 2 and "Traceback" not in result.stderr


def test_lost_issue_messages_are_queued_again_once(learner_a, course_a, centre_a):
    """A completion whose issue message was lost (no on-commit run here) and a bulk issue whose
    learners were never reached get their certificates from the resume tasks; running them
    again issues nothing more."""
    from datetime import timedelta

    from django.utils import timezone

    from lms.certificates.models import CertificateBatch
    from lms.certificates.tasks import batches_resume, completions_resume

    old = timezone.now() - timedelta(hours=1)
    completed = enrolment_create(user=learner_a, course=course_a, centre=centre_a)
    Enrolment.objects.filter(pk=completed.pk).update(status="completed", completed_at=old)
    recent = member(centre_a, Role.LEARNER, username="just-completed")
    fresh = enrolment_create(user=recent, course=course_a, centre=centre_a)
    Enrolment.objects.filter(pk=fresh.pk).update(status="completed", completed_at=timezone.now())
    cohort = member(centre_a, Role.LEARNER, username="in-a-batch")
    enrolment_create(user=cohort, course=course_a, centre=centre_a)
    batch = CertificateBatch.objects.create(
        centre=centre_a, course=course_a, learner_ids=[cohort.pk], require_completion=False
    )
    CertificateBatch.objects.filter(pk=batch.pk).update(created_at=old)

    assert completions_resume() == 1  # the one completed an hour ago, not the fresh one
    assert batches_resume() == 1
    assert set(Certificate.objects.values_list("user__username", flat=True)) == {
        learner_a.username,
        "in-a-batch",
    }
    assert completions_resume() == 0 and batches_resume() == 0
    assert Certificate.objects.count() == 2
