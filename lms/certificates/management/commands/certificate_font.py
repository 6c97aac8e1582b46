"""`manage.py certificate_font`: build the compact certificate font once (make setup and the
image build run it; lms/certificates/fonts.py says what it holds). Prints its path."""

from django.core.management.base import BaseCommand, CommandError

from lms.certificates import fonts


class Command(BaseCommand):
    help = "Build the certificate font (Noto Sans KR renumbered to what certificates print)."

    def handle(self, *args, **options):
        path = fonts.ensure()
        if path is None:
            raise CommandError(f"Cannot write {fonts.target_path().parent}.")
        self.stdout.write(str(path))
