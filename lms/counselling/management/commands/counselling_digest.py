"""`python manage.py counselling_digest [--centre SLUG] [--date YYYY-MM-DD]`: send the weekly
at-risk digest now (the Celery beat task sends it every Monday morning)."""

from __future__ import annotations

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from hub_sites.models import Centre
from lms.counselling.services import digest_send


class Command(BaseCommand):
    help = "E-mail each counsellor the learners of their caseload that are flagged at risk."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--centre", help="Only this centre (its slug).")
        parser.add_argument("--date", help="Measure risk as on this day (YYYY-MM-DD).")

    def handle(self, *args, centre: str | None = None, date: str | None = None, **options):
        centres = Centre.objects.select_related("site").order_by("slug")
        if centre:
            centres = centres.filter(slug=centre)
            if not centres.exists():
                raise CommandError(f"unknown centre {centre!r}")
        today = None
        if date:
            try:
                today = _parse(date)
            except ValueError as exc:
                raise CommandError(f"--date must be YYYY-MM-DD, not {date!r}") from exc
        sent = sum(digest_send(centre=c, today=today) for c in centres)
        self.stdout.write(f"{sent} digest e-mail(s) sent.")


def _parse(value: str) -> date:
    return date.fromisoformat(value)
