"""Two gunicorn instances and two Celery workers with the production settings, one PostgreSQL
and one Redis, behave as one platform: a learner signs in on A, submits a notebook on B, a
worker grades it in the real sandbox, and A shows the grade and the certificate; the sign-in
rate limit counts attempts made on either instance."""

from __future__ import annotations

import pytest

from tests.stack import Browser, notebook, running_stack, sql, wait_for

pytestmark = pytest.mark.sandbox


@pytest.fixture(scope="module")
def stack():
    with running_stack() as stack:
        stack.web("web-a")
        stack.web("web-b")
        stack.worker("worker-1")
        stack.worker("worker-2")
        yield stack


def _attempts(browser: Browser, port: int, path: str) -> list[dict]:
    response = browser.get(port, path, headers={"Accept": "application/json"})
    assert response.status_code == 200, response.text[:500]
    return response.json()["attempts"]


def test_a_learner_moves_between_instances_and_gets_graded_and_certified(stack):
    a, b = stack.ports["web-a"], stack.ports["web-b"]
    exercise = f"/assessments/{stack.ids['exercise']}/exercise/{stack.ids['lesson']}/"
    learner = Browser()

    signed_in = learner.sign_in(a, "stack-learner")
    assert signed_in.status_code == 302, signed_in.text[:500]
    # The session made on A is known on B: the exercise page is the learner's, not a sign-in.
    page = learner.get(b, exercise)
    assert page.status_code == 200
    assert "stack-learner" in page.text or "submit" in page.text.lower()

    sent = learner.post(
        b,
        exercise,
        files={"notebook": ("correct.ipynb", notebook("correct.ipynb"), "application/json")},
    )
    assert sent.status_code == 302, sent.text[:500]

    graded = wait_for(
        lambda: [x for x in _attempts(learner, a, exercise) if x["grading"] == "done"],
        timeout=120,
        what="the submission graded, as seen on instance A",
        interval=0.5,
    )
    assert graded[0]["score"] == graded[0]["max_score"] == 6.0
    grades = learner.get(a, "/assessments/grades/")
    assert grades.status_code == 200 and "파이썬 기초 실습" in grades.text

    certificates = wait_for(
        lambda: "/certificates/verify/" in (page := learner.get(a, "/certificates/")).text and page,
        timeout=120,
        what="the certificate listed on instance A",
        interval=0.5,
    )
    assert "stack-course" in certificates.text
    rows = sql(
        stack.database_url,
        "SELECT count(*) FROM certificates_certificate c JOIN accounts_user u ON u.id = c.user_id"
        " WHERE u.username = 'stack-learner'",
    )
    assert rows == [(1,)]
    # One of the two workers graded it, once.
    ran = [
        name
        for name in ("worker-1", "worker-2")
        if "assessments.grade_submission" in stack.processes[name].output()
        and "succeeded" in stack.processes[name].output()
    ]
    assert len(ran) >= 1
    assert sql(stack.database_url, "SELECT count(*) FROM assessments_gradingresult") == [(1,)]


def test_the_sign_in_rate_limit_counts_attempts_on_both_instances(stack):
    """Five failed sign-ins of one account from one address lock that pair (django-axes,
    counted in the shared database): 3 on A and 2 on B reach the limit only if both instances
    (and their 2 processes each) count together; with counts per process none would have seen
    more than two."""
    a, b = stack.ports["web-a"], stack.ports["web-b"]
    statuses = []
    for port in (a, b, a, b, a):
        attacker = Browser()
        response = attacker.sign_in(port, "stack-learner-2", password="wrong-password")
        statuses.append(response.status_code)
    # Each failure shows the form again; the fifth reaches the limit and is refused.
    assert statuses == [200, 200, 200, 200, 429], statuses
    for port in (b, a):  # even the right password is now refused, on either instance
        browser = Browser()
        blocked = browser.sign_in(port, "stack-learner-2", prefix="/en")
        # Refused by allauth's per-account limit (the form again) or by the axes lockout
        # page, whichever answers first; either way nobody is signed in.
        assert blocked.status_code in (200, 429), blocked.status_code
        assert (
            "Too many failed login attempts" in blocked.text
            or "Too many failed sign-ins for this account" in blocked.text
        )
        assert browser.get(port, "/learning/").status_code == 302  # to the sign-in page
