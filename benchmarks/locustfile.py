"""Mixed traffic for benchmarks/load.py (locust, headless): anonymous visitors reading the
catalogue and lessons, signed-in learners reading lessons and saving quiz answers, counsellors
reading their caseload. The pages come from DASI_LOAD_* variables that load.py sets; every
request goes to the --host it names (127.0.0.1)."""

from __future__ import annotations

import itertools
import json
import os
import re

from locust import HttpUser, between, task

HOST_HEADER = os.environ.get("DASI_LOAD_HOST", "dongtan.localhost")
PASSWORD = os.environ.get("DASI_LOAD_PASSWORD", "")
CATALOGUE = os.environ.get("DASI_LOAD_CATALOGUE", "/")
LESSONS = json.loads(os.environ.get("DASI_LOAD_LESSONS", "[]"))
QUIZ = os.environ.get("DASI_LOAD_QUIZ", "")  # /assessments/<quiz>/in/<lesson>/
LEARNERS = itertools.cycle(json.loads(os.environ.get("DASI_LOAD_LEARNERS", "[]")))
COUNSELLORS = itertools.cycle(json.loads(os.environ.get("DASI_LOAD_COUNSELLORS", "[]")))
SHORT_TEXT = re.compile(r'type="text" name="q-([\w-]+)" maxlength')  # the short-text question


class _Person(HttpUser):
    abstract = True
    wait_time = between(0.5, 1.5)

    def on_start(self):
        self.client.headers["Host"] = HOST_HEADER

    def sign_in(self, username: str) -> None:
        self.client.get("/accounts/login/", name="sign-in form")
        token = self.client.cookies.get("csrftoken", "")
        with self.client.post(
            "/accounts/login/",
            data={"login": username, "password": PASSWORD, "csrfmiddlewaretoken": token},
            allow_redirects=False,
            name="sign in",
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"sign-in of {username} answered {response.status_code}")

    def post(self, path: str, name: str, **kwargs):
        token = self.client.cookies.get("csrftoken", "")
        headers = {"X-CSRFToken": token, **kwargs.pop("headers", {})}
        return self.client.post(path, name=name, headers=headers, **kwargs)


class Visitor(_Person):
    """Not signed in: the catalogue and the lessons (served from the shared page cache)."""

    weight = 3

    @task(1)
    def catalogue(self):
        self.client.get(CATALOGUE, name="anonymous: catalogue")

    @task(3)
    def lesson(self):
        for path in LESSONS:
            self.client.get(path, name="anonymous: lesson")


class Learner(_Person):
    """Signed in: reads lessons (progress recorded), takes the quiz and saves answers."""

    weight = 4

    def on_start(self):
        super().on_start()
        self.sign_in(next(LEARNERS))
        self.attempt = ""
        self.questions: list[str] = []

    @task(4)
    def lesson(self):
        for path in LESSONS:
            self.client.get(path, name="learner: lesson")

    @task(2)
    def quiz_answer(self):
        if not self.attempt:
            response = self.post(QUIZ, "learner: quiz start", data={}, allow_redirects=True)
            if response.status_code != 200 or "/attempts/" not in response.url:
                return
            self.attempt = response.url.split("/attempts/")[1].split("/")[0]
            self.questions = SHORT_TEXT.findall(response.text)
        if not self.questions:
            return
        question = self.questions[0]
        self.post(
            f"/assessments/attempts/{self.attempt}/answer/",
            "learner: save quiz answer",
            data=json.dumps({"question": question, "value": "pandas"}),
            headers={"Content-Type": "application/json"},
        )


class Counsellor(_Person):
    """Signed in staff: the caseload of their centre."""

    weight = 1

    def on_start(self):
        super().on_start()
        self.sign_in(next(COUNSELLORS))

    @task
    def caseload(self):
        self.client.get("/counselling/", name="counsellor: caseload")
