"""Consent: recorded at sign-up and on arrival, versioned, withdrawn with effect."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.test import Client

import pytest

from lms.privacy import services
from lms.privacy.models import ConsentRecord, Purpose
from lms.privacy.selectors import consent_needed, consent_withdrawn
from lms.privacy.texts import CURRENT_VERSION
from lms.skills.models import TextClaim
from lms.skills.selectors import learner_profile
from tests.factories import UserFactory

ALL = [p.value for p in Purpose]


def _signed_in(user, host="dongtan.localhost"):
    client = Client(HTTP_HOST=host)
    client.force_login(user)
    return client


def _form(*purposes, version=CURRENT_VERSION):
    return {"text_version": version, **{f"consent_{p}": "on" for p in purposes}}


@pytest.mark.django_db
def test_sign_up_records_each_purpose_with_its_version_and_language(centre_a):
    response = Client(HTTP_HOST="dongtan.localhost").post(
        "/en/accounts/signup/",
        {
            "email": "new@example.org",
            "username": "newcomer",
            "password1": "a-long-enough-passphrase-42",
            "password2": "a-long-enough-passphrase-42",
            "name": "New Comer",
            "preferred_language": "en",
            **_form(Purpose.COURSE, Purpose.RECOMMENDATIONS),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    records = {r.purpose: r for r in ConsentRecord.objects.filter(user__username="newcomer")}
    assert set(records) == set(ALL)
    assert records[Purpose.COURSE].granted and records[Purpose.RECOMMENDATIONS].granted
    assert not records[Purpose.COUNSELLING].granted and not records[Purpose.MARKETING].granted
    assert {r.text_version for r in records.values()} == {CURRENT_VERSION}
    assert {r.language for r in records.values()} == {"en"}
    assert {r.source for r in records.values()} == {ConsentRecord.Source.SIGNUP}


@pytest.mark.django_db
def test_sign_up_without_the_required_consent_is_refused(centre_a):
    response = Client(HTTP_HOST="dongtan.localhost").post(
        "/accounts/signup/",
        {
            "email": "new@example.org",
            "username": "newcomer",
            "password1": "a-long-enough-passphrase-42",
            "password2": "a-long-enough-passphrase-42",
            "name": "새 학습자",
            "preferred_language": "ko",
            **_form(Purpose.MARKETING),
        },
    )
    assert response.status_code == 200  # the form again, with the error
    assert not ConsentRecord.objects.exists()


@pytest.mark.django_db
def test_first_arrival_is_sent_to_the_consent_page_and_back(settings, centre_a):
    settings.DASI_CONSENT_REQUIRED = True
    user = UserFactory()
    client = _signed_in(user)
    response = client.get("/learning/")
    assert response.status_code == 302
    assert response["Location"].startswith("/privacy/consent/?next=")
    page = client.get(response["Location"])
    assert "[필수]" in page.content.decode()  # the Korean text, the page's language
    refused = client.post("/privacy/consent/?next=/learning/", _form(Purpose.MARKETING))
    assert refused.status_code == 400
    done = client.post("/privacy/consent/?next=/learning/", _form(Purpose.COURSE))
    assert done.status_code == 302 and done["Location"] == "/learning/"
    assert not consent_needed(user=user)
    assert client.get("/learning/").status_code == 200
    evil = client.post("/privacy/consent/?next=/%5Cevil.example", _form(Purpose.COURSE))
    assert "evil" not in evil["Location"]


@pytest.mark.django_db
def test_a_new_text_version_asks_again_and_unknown_versions_are_refused():
    user = UserFactory()
    services.record_consents(
        user=user, purposes=[Purpose.COURSE], text_version=CURRENT_VERSION, language="ko"
    )
    assert not consent_needed(user=user)
    ConsentRecord.objects.filter(user=user).update(text_version="2020-01-01")
    assert consent_needed(user=user)
    with pytest.raises(ValidationError):
        services.record_consents(
            user=user, purposes=[Purpose.COURSE], text_version="1999-01-01", language="ko"
        )
    with pytest.raises(ValidationError):
        services.consent_withdraw(user=user, purpose=Purpose.COURSE, language="ko")


def test_withdrawing_the_cv_consent_keeps_cv_phrases_out_of_the_profile(world):
    a, _b = world
    owner = a.people["owner"]
    services.record_consents(user=owner, purposes=ALL, text_version=CURRENT_VERSION, language="ko")
    skill = a.objects["course"].skill_outcomes.first().skill
    TextClaim.objects.create(
        user=owner,
        phrase="MARK-dongtan-cv SQL",
        skill=skill,
        method=TextClaim.Method.LABEL,
        status=TextClaim.Status.CONFIRMED,  # only a confirmed CV phrase counts
    )
    profile = learner_profile(user=owner)
    sources = {p.source for s in profile.skills.values() for p in s.sources}
    assert "text" in sources
    client = _signed_in(owner, a.host)
    response = client.post(
        "/privacy/consents/", _form(Purpose.COURSE, Purpose.COUNSELLING, Purpose.MARKETING)
    )
    assert response.status_code == 302
    assert consent_withdrawn(user=owner, purpose=Purpose.RECOMMENDATIONS)
    sources = {p.source for s in learner_profile(user=owner).skills.values() for p in s.sources}
    assert "text" not in sources
    assert 'data-testid="cv-unused"' in client.get("/skills/cv/").content.decode()


def test_withdrawing_counsellor_sharing_hides_the_record_from_counsellors_only(world):
    a, _b = world
    owner = a.people["owner"]
    url = f"/counselling/learners/{owner.pk}/"
    counsellor = _signed_in(a.people["counsellor"], a.host)
    assert counsellor.get(url).status_code == 200
    services.record_consents(
        user=owner, purposes=[Purpose.COURSE], text_version=CURRENT_VERSION, language="ko"
    )
    refused = counsellor.get(url)
    assert refused.status_code == 403
    assert "MARK-dongtan-cv" not in refused.content.decode()
    assert counsellor.get(f"/skills/learners/{owner.pk}/").status_code == 403
    assert counsellor.get(f"/counselling/notes/{a.objects['note'].pk}/").status_code == 403
    written = counsellor.post(f"/counselling/learners/{owner.pk}/notes/", {"text": "x"})
    assert written.status_code == 403
    assert _signed_in(a.people["admin"], a.host).get(url).status_code == 200
