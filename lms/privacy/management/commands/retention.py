"""`python manage.py retention [--dry-run] [--centre SLUG] [--json]`: apply each centre's
retention periods now (the Celery beat task `privacy.daily` does it every night), or with
--dry-run only report what would be deleted: one line per centre and category."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from hub_sites.models import Centre
from lms.privacy.retention import CATEGORIES, retention_apply, retention_plan


class Command(BaseCommand):
    help = "Apply (or with --dry-run report) each centre's retention periods."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Change nothing; report.")
        parser.add_argument("--centre", help="Only this centre (its slug).")
        parser.add_argument("--json", action="store_true", dest="as_json", help="Print JSON.")

    def handle(self, *args, dry_run=False, centre=None, as_json=False, **options):
        centres = Centre.objects.order_by("slug")
        if centre is not None:
            centres = centres.filter(slug=centre)
            if not centres.exists():
                raise CommandError(f"unknown centre {centre!r}")
        report = {}
        for c in centres:
            counts = retention_plan(centre=c).counts() if dry_run else retention_apply(centre=c)
            report[c.slug] = counts
        if as_json:
            self.stdout.write(_dumps({"dry_run": dry_run, "centres": report}))
            return
        verb = "would delete" if dry_run else "deleted"
        for slug, counts in report.items():
            for category in CATEGORIES:
                self.stdout.write(f"{slug} {category}: {verb} {counts[category]}")


def _dumps(data) -> str:
    return json.dumps(data, ensure_ascii=False)
