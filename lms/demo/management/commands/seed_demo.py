"""`python manage.py seed_demo`: idempotent demo data (two centres, courses, one user per role)."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from lms.demo.seed import seed


class Command(BaseCommand):
    help = "Create the demo centres, courses and users; safe to run again."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000, help="Port the demo sites answer on.")

    def handle(self, *args, port: int, **options):
        try:
            centres = seed(port=port)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(self.style.SUCCESS(f"Demo data ready: {', '.join(sorted(centres))}."))
