"""`manage.py verify_certificate FILE [--json]`: exit 0 when valid, 1 when not, 2 when the
file cannot be read."""

import json as jsonlib
import sys
from pathlib import Path

from django.core.management.base import BaseCommand

from lms.certificates.verify import UnreadableError, VerificationResult, verify_bytes


class Command(BaseCommand):
    help = "Verify a certificate PDF or credential file."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--json", action="store_true", help="Print the result as JSON.")

    def handle(self, *args, file: str, json: bool, **options):
        path = Path(file)
        try:
            if not path.is_file():
                raise UnreadableError(f"No such file: {file}")
            result = verify_bytes(path.read_bytes())
            code = 0 if result.valid else 1
        except (UnreadableError, OSError) as exc:
            result = VerificationResult(False, "invalid", str(exc), None)
            code = 2
        if json:
            self.stdout.write(_dumps(result.as_dict()))
        else:
            self.stdout.write(f"{result.status}: {result.reason}")
        sys.exit(code)


def _dumps(data: dict) -> str:
    return jsonlib.dumps(data, ensure_ascii=False)
