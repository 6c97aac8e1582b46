"""Faults the platform survives, on the production settings with real processes (scenarios in
tests/faults/scenarios.py; their figures in docs/benchmarks.md through benchmarks/faults.py).
These tests assert outcomes, never timings."""

from __future__ import annotations

import pytest

from tests.faults import scenarios
from tests.stack import COHORT

pytestmark = pytest.mark.sandbox


def test_a_worker_killed_mid_grade_has_the_submission_graded_once_after_restart():
    figures = scenarios.worker_killed_mid_grade()
    assert figures["at_kill"] == [("running", None)]  # killed while it graded
    assert figures["deliveries"] == 2  # the task came back to the new worker
    assert figures["gradings"] == [("done", 6.0)]  # and was recorded once
    assert figures["attempts"] == [("graded", 6.0)]
    assert figures["certificates"] == 1


def test_redis_restarted_during_a_bulk_certificate_run_issues_each_certificate_once():
    figures = scenarios.redis_restarted_during_bulk_issue()
    assert figures["issued_before_resume"] < COHORT, "the restart came too late to lose any"
    assert figures["issued"] == figures["learners"] == COHORT  # none lost
    assert figures["most_per_learner"] == 1  # none twice
    assert figures["distinct_status_indexes"] == COHORT
    assert figures["batch_errors"] == {}


def test_postgresql_restarted_under_load_fails_requests_only_while_it_is_down():
    figures = scenarios.postgresql_restarted_under_load()
    assert not figures["web_restarted"]  # Dasi recovered by itself
    assert figures["failed"] > 0, "no request met the stopped database"
    assert figures["failed_statuses"] == [503]  # "try again", never a hang, a reset or a 500
    assert figures["failed_before_stop"] == 0
    assert figures["failed_after_recovery"] == 0


def test_course_pages_are_unaffected_by_a_hung_hub():
    figures = scenarios.hub_down()
    assert {name: status for name, (status, _s) in figures["pages"].items()} == dict.fromkeys(
        figures["pages"], 200
    )
    assert figures["hub_connections"] == 0, "a course page called the hub"
