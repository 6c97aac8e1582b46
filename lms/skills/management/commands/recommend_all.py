"""Score every learner against every role and write their top roles to HDF5."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

import numpy as np

from hub_sites.models import Centre
from lms.accounts.models import Role as MemberRole
from lms.accounts.models import User
from lms.skills.engine.artefact import recommendations_write
from lms.skills.engine.gap import RoleMatrix
from lms.skills.models import Skill
from lms.skills.selectors import learner_profile, role_profiles, roles_active


class Command(BaseCommand):
    help = "Rank roles for every learner (or one centre's) and write the top N to an HDF5 file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--centre", help="Only this centre's learners.")
        parser.add_argument("--top", type=int, default=5, help="Roles kept per learner (5).")
        parser.add_argument(
            "--output",
            type=Path,
            default=None,
            help="HDF5 file (default var/skills/recommendations.h5).",
        )

    def handle(self, *args, **options) -> None:
        from tqdm import tqdm

        started = time.perf_counter()
        if options["top"] < 1:
            raise CommandError(f"--top must be at least 1, not {options['top']}")
        learners = User.objects.filter(memberships__role=MemberRole.LEARNER, is_active=True)
        if options["centre"]:
            centre = Centre.objects.filter(slug=options["centre"]).first()
            if centre is None:
                raise CommandError(f"unknown centre {options['centre']!r}")
            learners = learners.filter(memberships__centre=centre)
        user_ids = list(learners.distinct().order_by("pk").values_list("pk", flat=True))
        roles_qs = roles_active()
        profiles = role_profiles(roles_qs)
        if not profiles:
            raise CommandError("no roles: run `manage.py build_taxonomy` first")
        skills = list(Skill.objects.order_by("pk").values_list("esco_uri", flat=True))
        index = {uri: i for i, uri in enumerate(skills)}
        matrix = RoleMatrix(profiles, skills)
        rows, cols, levels = [], [], []
        for row, user in enumerate(
            tqdm(
                User.objects.filter(pk__in=user_ids).order_by("pk").iterator(),
                total=len(user_ids),
                desc="learner profiles",
                unit="learner",
                file=sys.stderr,
                disable=options["verbosity"] == 0,
            )
        ):
            for uri, level in learner_profile(user=user).levels.items():
                rows.append(row)
                cols.append(index[uri])
                levels.append(level)
        onehot = RoleMatrix.level_onehot(
            np.asarray(rows, dtype=np.int64),
            np.asarray(cols, dtype=np.int64),
            np.asarray(levels, dtype=np.int64),
            len(user_ids),
            len(skills),
        )
        k = min(options["top"], len(profiles))
        top_idx, top_val = matrix.top_roles(onehot, k)
        # Learners sharing no skill with enough roles still get k roles (readiness 0).
        for r in range(len(user_ids)):
            taken = set(top_idx[r][top_idx[r] >= 0].tolist())
            spare = (i for i in range(len(profiles)) if i not in taken)
            for c in range(k):
                if top_idx[r, c] < 0:
                    top_idx[r, c] = next(spare)
        output = (
            options["output"] or Path(settings.BASE_DIR) / "var" / "skills" / "recommendations.h5"
        )
        recommendations_write(
            output,
            user_ids=np.asarray(user_ids, dtype=np.int64),
            top_roles=top_idx,
            top_readiness=top_val,
            role_keys=[p.key for p in profiles],
            roles_version=",".join(f"{r.slug}@{r.data_version}" for r in roles_qs),
        )
        self.stdout.write(
            f"{len(user_ids)} learners × {len(profiles)} roles → {output} "
            f"in {time.perf_counter() - started:.1f} s"
        )
