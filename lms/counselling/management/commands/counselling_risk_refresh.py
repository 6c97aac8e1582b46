"""`python manage.py counselling_risk_refresh [--centre SLUG] [--all] [--json]`: store the
current risk of every learner (the backfill after an upgrade; the beat task
`counselling.risk_refresh` keeps it current afterwards)."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from hub_sites.models import Centre
from lms.counselling.services import risk_rows_refresh


class Command(BaseCommand):
    help = "Compute and store the at-risk assessment of every learner that has none current."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--centre", help="Only this centre (its slug).")
        parser.add_argument(
            "--all", action="store_true", help="Compute every row again, current or not."
        )
        parser.add_argument("--json", action="store_true", help="Print the counts as JSON.")

    def handle(self, *args, centre: str | None = None, **options):
        centres = Centre.objects.order_by("slug")
        if centre:
            centres = centres.filter(slug=centre)
            if not centres.exists():
                raise CommandError(f"unknown centre {centre!r}")
        counts = {c.slug: risk_rows_refresh(centre=c, force=options["all"]) for c in centres}
        if options["json"]:
            self.stdout.write(json.dumps({"computed": counts}))
        else:
            self.stdout.write(f"{sum(counts.values())} learner risk row(s) computed.")
