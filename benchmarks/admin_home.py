"""Staff start page benchmark: the Wagtail admin's dashboard for each staff role, on the demo.

    .venv/bin/python benchmarks/admin_home.py [--runs 15] [--write]

Builds a throw-away SQLite database in a temporary directory with the demo data exactly as
`make demo` seeds it (`migrate`, `build_taxonomy --no-embeddings`, `seed_demo`), then, with
Django's test client signed in as each demo staff member, requests `/admin/` on the Dongtan
host `--runs` times after a warm-up and reports the median and p95 server time and the SQL
query count. The panels (my courses, the centre's week, my caseload at risk) are part of it.
Nothing here asserts on timings. --write replaces the `admin-home` section of
docs/benchmarks.md (target: ≤ 500 ms).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from report import machine, write_section

ROOT = Path(__file__).resolve().parent.parent
USERS = ("dongtan-instructor", "dongtan-admin", "dongtan-counsellor")


def _seed(env: dict) -> None:
    python = str(ROOT / ".venv" / "bin" / "python")
    for args in (
        ["migrate", "-v", "0"],
        ["build_taxonomy", "--no-embeddings", "-v", "0"],
        ["seed_demo", "--port", "8000"],
    ):
        subprocess.run([python, "manage.py", *args], cwd=ROOT, env=env, check=True)  # noqa: S603


def _measure(runs: int) -> list[tuple[str, float, float, int]]:
    import django  # noqa: PLC0415 — after the environment names the throw-away database

    django.setup()
    from django.conf import settings  # noqa: PLC0415
    from django.db import connection  # noqa: PLC0415
    from django.test import Client  # noqa: PLC0415
    from django.test.utils import CaptureQueriesContext  # noqa: PLC0415

    from allauth.mfa.models import Authenticator  # noqa: PLC0415
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret  # noqa: PLC0415

    from lms.accounts.models import User  # noqa: PLC0415

    settings.ALLOWED_HOSTS = ["*"]
    rows = []
    for username in USERS:
        user = User.objects.get(username=username)
        # Centre admins reach staff pages only with a second sign-in step set up, as they
        # would have done at their first sign-in.
        if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
            TOTP.activate(user, generate_totp_secret())
        client = Client(HTTP_HOST="dongtan.localhost")
        client.force_login(user)
        client.get("/admin/")  # warm-up: templates, translations, per-session caches
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            with CaptureQueriesContext(connection) as queries:
                response = client.get("/admin/")
            times.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, (username, response.status_code)
        times.sort()
        p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
        rows.append((username, statistics.median(times), p95, len(queries)))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="dasi-admin-home-"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "lms.settings.dev",
        "DATABASE_URL": f"sqlite:///{folder / 'demo.sqlite3'}",
        "DASI_SKILLS_ARTIFACT": str(folder / "taxonomy.h5"),
        "DASI_MEDIA_ROOT": str(folder / "media"),
    }
    _seed(env)
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    rows = _measure(args.runs)
    lines = [
        f"Machine: {machine()}; {time.strftime('%Y-%m-%d')}; demo data; {args.runs} runs.",
        "",
        "| Staff member | median | p95 | queries |",
        "|---|---|---|---|",
        *(f"| {u} | {m:.0f} ms | {p:.0f} ms | {q} |" for u, m, p, q in rows),
    ]
    body = "\n".join(lines)
    print(body)
    if args.write:
        write_section(
            name="admin-home",
            heading="Staff start page (Wagtail admin dashboard)",
            command="benchmarks/admin_home.py --write",
            body=body,
        )


if __name__ == "__main__":
    main()
