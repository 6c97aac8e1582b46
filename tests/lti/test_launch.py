"""End to end against a real LTI 1.3 platform (lti1p3platform): launches, deep linking,
grade passback, roster, dynamic registration, and every forgery refused."""

from __future__ import annotations

import json
from urllib.parse import parse_qsl, urlsplit

import jwt
import pytest
import requests

from assessments.models import Attempt
from assessments.services import attempt_start, attempt_submit
from lms.accounts.models import Membership, Role, User
from lms.learning.models import Enrolment
from lms.lti.dynamic_registration import ticket_for
from lms.lti.models import GradeGrant, Identity, Registration, ResourceLink
from lms.lti.services import registration_create

from .conftest import OTHER_PLATFORM_PORT, launch, post_form
from .platform import INSTRUCTOR, LEARNER, SCORE, LaunchSpec, Platform


def _get(url: str, **kwargs) -> requests.Response:
    return requests.get(url, timeout=30, **kwargs)


def _tables() -> tuple:
    return (
        User.objects.count(),
        Membership.objects.count(),
        Identity.objects.count(),
        ResourceLink.objects.count(),
        GradeGrant.objects.count(),
        Enrolment.objects.count(),
    )


def _deep_link(lti, keys: list[str]) -> list[dict]:
    """An instructor of the platform picks Dasi items; returns the platform's content items."""
    platform = lti["platform"]
    session, answer, _ = launch(
        platform, LaunchSpec(sub="teacher-1", roles=[INSTRUCTOR], deep_link=True)
    )
    assert answer.status_code == 302, answer.text
    picker = session.get(lti["base"] + answer.headers["Location"])
    assert picker.status_code == 200
    for key in keys:
        assert f'value="{key}"' in picker.text
    back = session.post(picker.url, data={"item": keys})
    assert back.status_code == 200, back.text
    assert 'src="/static/lti/autosubmit.js"' in back.text or "lti/autosubmit" in back.text
    returned = post_form(session, back.text)
    assert returned.status_code == 200, returned.text
    return platform.content_items


def _item_launch(lti, content_item: dict, sub="learner-1", **spec):
    spec.setdefault("roles", [LEARNER])
    return launch(
        lti["platform"],
        LaunchSpec(
            sub=sub,
            custom=content_item.get("custom", {}),
            lineitem=content_item.get("lineitem_url"),
            resource_link_id=f"link-{content_item['custom']['dasi_item']}",
            **spec,
        ),
    )


def test_launch_signs_the_learner_in_on_the_centre_in_their_language(lti):
    (item,) = _deep_link(lti, [f"course:{lti['course'].pk}"])
    session, answer, _ = _item_launch(lti, item, name="Kim Jiyoung", locale="en-US")
    assert answer.status_code == 302, answer.text
    assert answer.headers["Location"].startswith("/en/")
    page = session.get(lti["base"] + answer.headers["Location"])
    assert page.status_code == 200
    assert (
        lti["course"]
        .get_translation(lti["course"].locale.__class__.objects.get(language_code="en"))
        .title
        in page.text
    )
    identity = Identity.objects.get(issuer=lti["platform"].issuer, sub="learner-1")
    user = identity.user
    assert user.name == "Kim Jiyoung" and user.preferred_language == "en"
    assert not user.has_usable_password()
    assert Membership.objects.filter(user=user, centre=lti["a"], role=Role.LEARNER).exists()
    assert not Membership.objects.filter(user=user).exclude(role=Role.LEARNER).exists()
    assert Enrolment.objects.filter(user=user, course=lti["course"], centre=lti["a"]).exists()
    # The same sub again is the same account; a Korean locale turns the language back.
    _s, again, _ = _item_launch(lti, item, locale="ko-KR")
    assert again.status_code == 302 and not again.headers["Location"].startswith("/en/")
    assert Identity.objects.filter(sub="learner-1").count() == 1
    user.refresh_from_db()
    assert user.preferred_language == "ko"


def test_same_email_on_another_sub_is_another_account(lti):
    (item,) = _deep_link(lti, [f"course:{lti['course'].pk}"])
    for sub in ("s-1", "s-2"):
        _s, answer, _ = _item_launch(lti, item, sub=sub, claims={"email": "same@example.org"})
        assert answer.status_code == 302
    users = {i.user_id for i in Identity.objects.filter(sub__in=["s-1", "s-2"])}
    assert len(users) == 2


def test_quiz_grade_is_posted_to_the_line_item_and_again_when_it_changes(lti):
    (item,) = _deep_link(lti, [f"assessment:{lti['quiz'].pk}:{lti['lesson'].pk}"])
    assert item["lineitem_url"] in lti["platform"].lineitems
    session, answer, _ = _item_launch(lti, item)
    assert answer.status_code == 302
    assert answer.headers["Location"] == f"/assessments/{lti['quiz'].pk}/in/{lti['lesson'].pk}/"
    assert session.get(lti["base"] + answer.headers["Location"]).status_code == 200
    user = Identity.objects.get(sub="learner-1").user
    grant = GradeGrant.objects.get(user=user)

    first = attempt_start(user=user, assessment=lti["quiz"], lesson=lti["lesson"])
    attempt_submit(user=user, attempt_id=first.pk, answers={})
    (score,) = lti["platform"].scores
    body = json.loads(score["_raw"]) if "_raw" in score else score
    assert score["lineitem"] == item["lineitem_url"]
    assert body["userId"] == "learner-1" and float(body["scoreGiven"]) == 0.0
    assert body["gradingProgress"] == "FullyGraded"

    second = attempt_start(user=user, assessment=lti["quiz"], lesson=lti["lesson"])
    question = next(q for q in second.questions if q["type"] == "true_false")
    attempt_submit(user=user, attempt_id=second.pk, answers={question["id"]: True})
    assert len(lti["platform"].scores) == 2
    latest = lti["platform"].scores[-1]
    graded = Attempt.objects.get(pk=second.pk)
    assert float(latest["scoreGiven"]) == float(graded.score) > 0
    assert float(latest["scoreMaximum"]) == float(graded.max_score)
    grant.refresh_from_db()
    assert grant.last_score == graded.score and grant.last_error == ""


def test_course_item_gets_the_course_grade(lti):
    (item,) = _deep_link(lti, [f"course:{lti['course'].pk}"])
    _item_launch(lti, item)
    user = Identity.objects.get(sub="learner-1").user
    attempt = attempt_start(user=user, assessment=lti["quiz"], lesson=lti["lesson"])
    question = next(q for q in attempt.questions if q["type"] == "true_false")
    attempt_submit(user=user, attempt_id=attempt.pk, answers={question["id"]: True})
    (score,) = lti["platform"].scores
    assert float(score["scoreMaximum"]) == 100.0 and float(score["scoreGiven"]) > 0


def test_roster_makes_the_platforms_learners_learners_of_the_centre(lti):
    lti["platform"].members = [
        {"user_id": "roster-1", "name": "Lee Minho", "roles": [LEARNER], "status": "Active"},
        {"user_id": "roster-2", "name": "Gone", "roles": [LEARNER], "status": "Inactive"},
        {"user_id": "teacher-9", "name": "Teacher", "roles": [INSTRUCTOR], "status": "Active"},
    ]
    (item,) = _deep_link(lti, [f"course:{lti['course'].pk}"])
    _s, answer, _ = _item_launch(lti, item, sub="teacher-1", roles=[INSTRUCTOR], nrps=True)
    assert answer.status_code == 302
    synced = Identity.objects.get(sub="roster-1").user
    assert synced.name == "Lee Minho"
    assert Membership.objects.filter(user=synced, centre=lti["a"], role=Role.LEARNER).exists()
    assert not Identity.objects.filter(sub__in=["roster-2", "teacher-9"]).exists()


def test_dynamic_registration_registers_dasi_with_the_platform(lti):
    other = Platform(OTHER_PLATFORM_PORT, lti["base"], client_id="dynamic-client").start()
    try:
        url = other.registration_url(lti["base"] + "/lti/register/?ticket=" + ticket_for(lti["a"]))
        answer = _get(url)
        assert answer.status_code == 200, answer.text
        assert "lti/registered.js" in answer.text
        registration = Registration.objects.get(issuer=other.issuer)
        assert registration.centre == lti["a"]
        assert registration.client_id == "dynamic-client"
        assert registration.deployment_ids == [other.deployment_id]
        (sent,) = other.registrations
        assert sent["initiate_login_uri"] == lti["base"] + "/lti/login/"
        assert sent["jwks_uri"] == lti["base"] + "/lti/jwks/"
        # The new registration launches.
        _s, launched, _ = launch(other, LaunchSpec(sub="dyn-1", roles=[LEARNER]))
        assert launched.status_code == 302, launched.text
        # Without the centre's ticket nothing is registered.
        before = Registration.objects.count()
        refused = _get(other.registration_url(lti["base"] + "/lti/register/?ticket=x"))
        assert refused.status_code == 403
        forged = _get(
            other.registration_url(lti["base_b"] + "/lti/register/?ticket=" + ticket_for(lti["a"]))
        )
        assert forged.status_code == 403
        assert Registration.objects.count() == before
    finally:
        other.stop()


def test_jwks_publishes_the_centres_key(lti):
    keys = _get(lti["base"] + "/lti/jwks/").json()["keys"]
    other = _get(lti["base_b"] + "/lti/jwks/").json()["keys"]
    assert keys and other and keys[0]["kid"] != other[0]["kid"]
    assert set(keys[0]) >= {"kty", "n", "e", "kid", "alg"} and "d" not in keys[0]


# --- Refusals: a clear 4xx, logged, nothing changed ------------------------------------------


def _tampered_launch(lti, caplog, mutate, status=400, spec=None):
    """Run a launch whose id_token `mutate` changes before it reaches Dasi."""
    platform = lti["platform"]
    spec = spec or LaunchSpec(sub="mallory", roles=[LEARNER])
    session = requests.Session()
    answer = session.get(platform.login_url(spec), allow_redirects=False)
    page = session.get(answer.headers["Location"]).text
    before = _tables()
    from .conftest import FORM_INPUT  # noqa: PLC0415

    data = dict(FORM_INPUT.findall(page))
    data = mutate(data, platform) or data
    with caplog.at_level("WARNING", logger="dasi.lti"):
        refused = session.post(lti["base"] + "/lti/launch/", data=data, allow_redirects=False)
    assert refused.status_code == status, refused.text
    assert "lti refused" in caplog.text
    assert _tables() == before
    return refused


def _resign(platform, token: str, **changes) -> str:
    body = jwt.decode(token, options={"verify_signature": False})
    body.update(changes)
    header = jwt.get_unverified_header(token)
    return jwt.encode(body, platform.private_key, algorithm="RS256", headers={"kid": header["kid"]})


def test_forged_signature_is_refused(lti, caplog):
    def forge(data, platform):
        from .platform import rsa_pair  # noqa: PLC0415

        other_key, _public = rsa_pair()
        body = jwt.decode(data["id_token"], options={"verify_signature": False})
        kid = jwt.get_unverified_header(data["id_token"])["kid"]
        data["id_token"] = jwt.encode(body, other_key, algorithm="RS256", headers={"kid": kid})

    _tampered_launch(lti, caplog, forge)


def test_unsigned_token_is_refused(lti, caplog):
    def strip(data, platform):
        body = jwt.decode(data["id_token"], options={"verify_signature": False})
        data["id_token"] = jwt.encode(body, "", algorithm="none")

    _tampered_launch(lti, caplog, strip)


def test_expired_token_is_refused(lti, caplog):
    def expire(data, platform):
        data["id_token"] = _resign(platform, data["id_token"], exp=1_000_000_000, iat=999_999_000)

    _tampered_launch(lti, caplog, expire)


def test_wrong_audience_is_refused(lti, caplog):
    def audience(data, platform):
        data["id_token"] = _resign(
            platform, data["id_token"], aud="someone-else", azp="someone-else"
        )

    _tampered_launch(lti, caplog, audience)


def test_wrong_nonce_is_refused(lti, caplog):
    def nonce(data, platform):
        data["id_token"] = _resign(platform, data["id_token"], nonce="not-the-one-dasi-sent")

    _tampered_launch(lti, caplog, nonce)


def test_wrong_state_is_refused(lti, caplog):
    def state(data, platform):
        data["state"] = "state-of-another-browser"

    _tampered_launch(lti, caplog, state)


def test_replayed_launch_is_refused(lti, caplog):
    session, first, data = launch(lti["platform"], LaunchSpec(sub="replay", roles=[LEARNER]))
    assert first.status_code == 302
    before = _tables()
    with caplog.at_level("WARNING", logger="dasi.lti"):
        again = session.post(lti["base"] + "/lti/launch/", data=data, allow_redirects=False)
    assert again.status_code == 400
    assert "already used" in caplog.text
    assert _tables() == before


def test_unknown_deployment_is_refused(lti, caplog):
    def deployment(data, platform):
        data["id_token"] = _resign(
            platform,
            data["id_token"],
            **{"https://purl.imsglobal.org/spec/lti/claim/deployment_id": "not-registered"},
        )

    _tampered_launch(lti, caplog, deployment)


def test_platform_of_one_centre_cannot_launch_into_another(lti, caplog):
    platform = lti["platform"]
    # Login initiation on centre B's site.
    before = _tables()
    spec = LaunchSpec(sub="cross", roles=[LEARNER])
    login = platform.login_url(spec).replace(lti["base"], lti["base_b"])
    with caplog.at_level("WARNING", logger="dasi.lti"):
        answer = _get(login, allow_redirects=False)
    assert answer.status_code == 403
    assert "another centre" in caplog.text
    # A launch posted to centre B's site.
    session = requests.Session()
    page = session.get(
        session.get(platform.login_url(spec), allow_redirects=False).headers["Location"]
    )
    from .conftest import FORM_INPUT  # noqa: PLC0415

    data = dict(FORM_INPUT.findall(page.text))
    refused = session.post(lti["base_b"] + "/lti/launch/", data=data, allow_redirects=False)
    assert refused.status_code == 403
    # An item of centre B named in a launch of centre A's platform.
    _s, foreign, _ = launch(
        platform,
        LaunchSpec(
            sub="cross", roles=[LEARNER], custom={"dasi_item": f"course:{lti['other_course'].pk}"}
        ),
    )
    assert foreign.status_code == 403
    assert _tables() == before


def test_grade_is_not_posted_for_an_item_the_launch_did_not_grant(lti, caplog):
    platform = lti["platform"]
    (course_item,) = _deep_link(lti, [f"lesson:{lti['lesson'].pk}"])
    # A lesson launch carrying a line item: lessons are not graded, nothing is granted.
    _s, answer, _ = _item_launch(
        lti, {**course_item, "lineitem_url": platform.lineitem_create("x")}
    )
    assert answer.status_code == 302
    # A quiz launch whose line item lacks the score scope.
    quiz_key = f"assessment:{lti['quiz'].pk}:{lti['lesson'].pk}"
    _s, answer, _ = _item_launch(
        lti,
        {"custom": {"dasi_item": quiz_key}, "lineitem_url": platform.lineitem_create("quiz")},
        scopes=[],
    )
    assert answer.status_code == 302
    assert not GradeGrant.objects.exists()
    user = Identity.objects.get(sub="learner-1").user
    attempt = attempt_start(user=user, assessment=lti["quiz"], lesson=lti["lesson"])
    attempt_submit(user=user, attempt_id=attempt.pk, answers={})
    assert platform.scores == []
    # A grant whose line item the platform does not know: refused there, recorded, not retried.
    link = ResourceLink.objects.filter(kind="assessment").get()
    link.ags_scopes = [SCORE]
    link.lineitem_url = platform.issuer + "/lineitems/999"
    link.save()
    grant = GradeGrant.objects.create(resource_link=link, user=user, sub="learner-1")
    with caplog.at_level("ERROR", logger="dasi.lti"):
        second = attempt_start(user=user, assessment=lti["quiz"], lesson=lti["lesson"])
        attempt_submit(user=user, attempt_id=second.pk, answers={})
    grant.refresh_from_db()
    assert platform.scores == []
    assert grant.last_error.startswith("refused") and "404" in grant.last_error
    assert grant.last_posted_at is None
    assert "refused" in caplog.text


def test_deep_linking_needs_an_instructor(lti, caplog):
    before = _tables()
    with caplog.at_level("WARNING", logger="dasi.lti"):
        _s, answer, _ = launch(
            lti["platform"], LaunchSpec(sub="student", roles=[LEARNER], deep_link=True)
        )
    assert answer.status_code == 403
    assert _tables() == before


def test_login_refuses_a_target_outside_dasi(lti):
    platform = lti["platform"]
    url = platform.login_url(LaunchSpec(sub="x", roles=[LEARNER]))
    parts = dict(parse_qsl(urlsplit(url).query))
    parts["target_link_uri"] = "https://evil.example/steal"
    answer = _get(lti["base"] + "/lti/login/", params=parts, allow_redirects=False)
    assert answer.status_code == 400


@pytest.mark.parametrize("path", ["/lti/login/", "/lti/register/"])
def test_empty_requests_are_refused(lti, path):
    answer = _get(lti["base"] + path, allow_redirects=False)
    assert 400 <= answer.status_code < 500


def test_manual_registration_rejects_a_second_centre_for_the_same_client(lti):
    from django.core.exceptions import ValidationError  # noqa: PLC0415

    with pytest.raises(ValidationError):
        registration_create(centre=lti["b"], **lti["platform"].values())


def test_grade_waits_out_a_platform_that_is_down(lti, caplog):
    from lms.lti.tasks import retry_unreachable_grades  # noqa: PLC0415

    platform = lti["platform"]
    (item,) = _deep_link(lti, [f"assessment:{lti['quiz'].pk}:{lti['lesson'].pk}"])
    _item_launch(lti, item)
    user = Identity.objects.get(sub="learner-1").user
    platform.stop()
    with caplog.at_level("WARNING", logger="dasi.lti"):
        attempt = attempt_start(user=user, assessment=lti["quiz"], lesson=lti["lesson"])
        attempt_submit(user=user, attempt_id=attempt.pk, answers={})  # the learner's work stands
    assert Attempt.objects.get(pk=attempt.pk).status == Attempt.Status.GRADED
    assert "retrying" in caplog.text
    grant = GradeGrant.objects.get(user=user)
    assert grant.last_posted_at is None and grant.last_error.startswith("unreachable")
    platform.start()
    assert retry_unreachable_grades.delay().get() == 1
    (score,) = platform.scores
    assert score["userId"] == "learner-1"
    grant.refresh_from_db()
    assert grant.last_posted_at is not None and grant.last_error == ""
