"""One learner, warm: ranking + gaps + paths, in the engine and through the Django selector.

    .venv/bin/python benchmarks/recommender_latency.py [--repeat 200]

Builds a throw-away SQLite database in a temporary directory (migrate, `build_taxonomy
--small`, `seed_demo`), gives the demo learner evidence on a dozen skills, then times:

- engine only: `rank_roles` over the 13 roles, every gap, and `plan_path` for the goal role
  against the centre's catalogue (inputs already in memory);
- `selectors.skill_report`, what the "My skills" page calls: the learner's profile from the
  database (evidence, completed courses, self-ratings, CV claims), the roles, the centre's
  catalogue with outcomes and prerequisites, ranking, gaps and paths.

The first call is discarded (warm-up); median and 95th percentile of the rest.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _stats(samples: list[float]) -> str:
    samples = sorted(samples)
    p95 = samples[int(0.95 * (len(samples) - 1))]
    return f"{1000 * statistics.median(samples):.2f} ms | {1000 * p95:.2f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="dasi-latency-")
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
    os.environ["DJANGO_SETTINGS_MODULE"] = "lms.settings.dev"
    os.environ["DASI_LOG_LEVEL"] = "WARNING"
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.DASI_SKILLS_ARTIFACT = Path(tmp) / "taxonomy.h5"
    call_command("migrate", verbosity=0)
    call_command("build_taxonomy", "--small", verbosity=0)
    call_command("seed_demo", verbosity=0)

    from hub_sites.models import Centre
    from lms.accounts.models import User
    from lms.skills.engine import gap as engine_gap
    from lms.skills.engine import path as engine_path
    from lms.skills.models import Role, RoleSkill, SkillEvidence
    from lms.skills.selectors import catalogue_courses, learner_profile, role_profiles, skill_report
    from lms.skills.services import evidence_record, goal_set

    learner = User.objects.get(username="dongtan-learner")
    centre = Centre.objects.select_related("site__root_page").get(slug="dongtan")
    skills = [r.skill for r in RoleSkill.objects.select_related("skill")[:40:3]]
    for i, skill in enumerate(skills):
        evidence_record(
            user=learner,
            skill=skill,
            level=1 + i % 4,
            score=0.8,
            source_type=SkillEvidence.Source.QUIZ_QUESTION,
            source_id=f"q{i}",
        )
    goal_set(user=learner, role=Role.objects.get(slug="ml-engineer"))

    levels = learner_profile(user=learner).levels
    roles = role_profiles()
    courses = [c.engine for c in catalogue_courses(centre=centre)]
    goal = next(r for r in roles if r.key == "ml-engineer")

    def engine_once() -> None:
        engine_gap.rank_roles(levels, roles)
        engine_path.plan_path(engine_gap.role_fit(levels, goal).gaps, courses, levels=levels)

    def selector_once() -> None:
        skill_report(user=learner, centre=centre, paths_for=1)

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    connection.queries_log.clear()  # a full log (seed_demo) would make the count read 0
    with CaptureQueriesContext(connection) as queries:
        selector_once()
    report = skill_report(user=learner, centre=centre, paths_for=1)
    focus = report.focus
    print(
        f"<!-- skill_report: {len(queries)} SQL queries when warm; "
        f"{len(report.profile.levels)} skills, focus {focus.role.slug}, "
        f"path {[s.course.key for s in focus.path.steps] if focus.path else None} -->"
    )
    for name, fn in [
        ("engine only", engine_once),
        ("skill_report (database + engine)", selector_once),
    ]:
        fn()
        samples = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            fn()
            samples.append(time.perf_counter() - started)
        print(f"| {name} | {_stats(samples)} |")
    print(f"<!-- {len(levels)} learner skills, {len(roles)} roles, {len(courses)} courses -->")


if __name__ == "__main__":
    main()
