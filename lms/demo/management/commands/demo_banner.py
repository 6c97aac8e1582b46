"""Print the demo's addresses and log-ins."""

from django.core.management.base import BaseCommand

from hub_sites.models import Centre
from lms.demo.seed import DEMO_PASSWORD, PEOPLE


class Command(BaseCommand):
    help = "Print the demo URLs and logins."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000)

    def handle(self, *args, port: int, **options):
        lines = ["", "Dasi demo is starting.", ""]
        for centre in Centre.objects.select_related("site"):
            base = f"http://{centre.site.hostname}:{port}"
            lines.append(f"  {centre}: {base}/  (English: {base}/en/, admin: {base}/admin/)")
            logins = ", ".join(f"{centre.slug}-{suffix}" for suffix, *_ in PEOPLE.values())
            lines.append(f"    logins: {logins}")
        lines += [
            "  platform superuser: dasi-admin",
            f"  password for every demo login: {DEMO_PASSWORD}",
            "  notebooks: JupyterHub on http://127.0.0.1:8001/, reached from an exercise page's",
            "    실습 열기 (Open exercise) button; see the README",
            "",
        ]
        self.stdout.write("\n".join(lines))
