"""`manage.py issue_certificate --user USERNAME --course SLUG`: issue by hand, as a centre
admin would (completion not required). Prints the number and the PDF's path."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from courses.models import CoursePage
from hub_sites.models import Centre
from lms.accounts.models import User
from lms.certificates.services import certificate_issue


class Command(BaseCommand):
    help = "Issue a certificate of a course to a learner (completion not required)."

    def add_arguments(self, parser):
        parser.add_argument("--user", required=True, help="The learner's username.")
        parser.add_argument("--course", required=True, help="The course's slug.")
        parser.add_argument("--centre", help="Centre slug, when the learner is not enrolled.")

    def handle(self, *args, user: str, course: str, centre: str | None, **options):
        learner = User.objects.filter(username=user).first()
        if learner is None:
            raise CommandError(f"No user with the username {user!r}.")
        pages = CoursePage.objects.filter(
            slug=course, alias_of__isnull=True, locale__language_code="ko"
        )
        if not pages.exists():
            pages = CoursePage.objects.filter(slug=course, alias_of__isnull=True)
        if pages.count() != 1:
            raise CommandError(
                f"No single course with the slug {course!r} (found {pages.count()})."
            )
        centre_obj = None
        if centre:
            centre_obj = Centre.objects.filter(slug=centre).first()
            if centre_obj is None:
                raise CommandError(f"No centre with the slug {centre!r}.")
        try:
            certificate = certificate_issue(
                learner=learner, course=pages.get(), centre=centre_obj, require_completion=False
            )
        except (ValidationError, PermissionDenied) as exc:
            raise CommandError(" ".join(getattr(exc, "messages", [str(exc)]))) from exc
        self.stdout.write(f"{certificate.number}\t{certificate.pdf.path}")
