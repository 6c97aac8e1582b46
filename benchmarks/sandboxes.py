"""Launch benchmark: "Open exercise" → the notebook ready in the learner's JupyterLab.

    .venv/bin/python benchmarks/sandboxes.py [--runs 10] [--loads 0,2] [--write]

Runs the real thing on loopback, as root (learners become system users): a throw-away SQLite
database with a centre, a course and a notebook exercise; Dasi under gunicorn (dev settings);
JupyterHub + configurable-http-proxy with deploy/jupyterhub/jupyterhub_config.py. A learner
session (requests) signs in to Dasi once, then each run is one click:

- POST "Open exercise", then poll the launch's status every 0.3 s exactly as the page's script
  does, follow it to JupyterLab (hub and server sign-in through Dasi when needed), load the lab
  page and read the notebook through the contents API, as JupyterLab does to show it;
- "stopped": the learner's server is stopped before each run (Dasi's own service token);
- "running": the server is already up.

The first launch (hub account and system user created) is reported on its own. Each set of
runs is repeated for every count in --loads of CPU-bound background processes
(``python -c 'while True: pass'``), started before and stopped after that set: 0 is the quiet
figure, 2 keeps both cores of a 2-core machine busy, as a contended machine would. Each click is
split with the launch's own timestamps (created, hub asked, server up, exercise copied) into:
until the hub is asked, the spawn, the copy, and after ready (the page's next poll, the lab
page, the notebook read). JupyterLab's JavaScript in a browser is not part of the figure.
Nothing here asserts on timings. --write replaces the `sandboxes` section of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from report import machine, write_section

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
POLL_SECONDS = 0.3  # the launch page's script polls at this pace (lms/static/dasi/js/dasi.js)


def _setup_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.dev")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _build_world(port: int) -> dict:
    from django.core.files.base import ContentFile

    from assessments.models import Assessment
    from lms.accounts.models import Role
    from lms.learning.services import enrolment_create
    from tests.factories import lessons_of, make_centre, make_course, member, wagtail_base_ensure

    wagtail_base_ensure()
    centre = make_centre("dongtan", port=port, default=True)
    course = make_course(centre, "data-analysis", lessons=2)
    source = ROOT / "notebooks_templates" / "python-data-basics" / "python-data-basics.ipynb"
    assessment = Assessment.objects.create(
        centre=centre, title="파이썬 기초 실습", kind=Assessment.Kind.NOTEBOOK
    )
    assessment.notebook_source.save("python-data-basics.ipynb", ContentFile(source.read_bytes()))
    lesson = lessons_of(course)[0]
    lesson.body = [
        *lesson.body.raw_data,
        {"type": "notebook", "value": {"assessment": assessment.pk, "introduction": ""}},
    ]
    lesson.save_revision().publish()
    learner = member(centre, Role.LEARNER, username="bench-learner", name="벤치 학습자")
    enrolment_create(user=learner, course=course, centre=centre)
    return {"assessment": assessment.pk, "lesson": lessons_of(course)[0].pk, "learner": learner}


def _click(session, base: str, world: dict) -> float:
    """One click on "Open exercise" until the notebook is ready in JupyterLab; seconds."""
    import re

    import requests

    exercise = f"{base}/assessments/{world['assessment']}/exercise/{world['lesson']}/"
    page = session.get(exercise, timeout=10)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    started = time.perf_counter()
    response = session.post(
        f"{base}/sandboxes/{world['assessment']}/in/{world['lesson']}/",
        data={"csrfmiddlewaretoken": token, "intent": "open"},
        headers={"Referer": exercise},
        allow_redirects=False,
        timeout=30,
    )
    launch_url = requests.compat.urljoin(base, response.headers["Location"])
    session.get(launch_url, allow_redirects=False, timeout=30)  # the progress page itself
    status_url = launch_url + "status"
    while True:
        status = session.get(status_url, timeout=30, allow_redirects=False)
        if status.status_code != 200:
            raise SystemExit(f"launch status {status.status_code}: {status.text[:300]}")
        body = status.json()
        if body["next"]:
            break
        if body["state"] == "failed":
            raise SystemExit(f"launch failed: {body['error']}")
        time.sleep(POLL_SECONDS)
    if "/hub/login" in body["next"]:  # first launch: hub sign-in, back to Dasi, then the lab
        session.get(body["next"], timeout=60)
        return _follow_after_login(session, launch_url, started)
    lab = session.get(body["next"], timeout=60)  # the hub, maybe the sign-ins, then the lab page
    if lab.status_code != 200 or "/lab/tree/" not in lab.url:
        raise SystemExit(f"did not reach JupyterLab: {lab.status_code} {lab.url}")
    contents = lab.url.replace("/lab/tree/", "/api/contents/", 1)
    notebook = session.get(contents, params={"content": 1}, timeout=30)
    if notebook.status_code != 200:
        raise SystemExit(f"notebook not readable: {notebook.status_code}")
    return time.perf_counter() - started


def _follow_after_login(session, launch_url: str, started: float) -> float:
    status_url = launch_url + "status"
    while True:
        body = session.get(status_url, timeout=30).json()
        if body["next"]:
            break
        time.sleep(POLL_SECONDS)
    lab = session.get(body["next"], timeout=60)
    contents = lab.url.replace("/lab/tree/", "/api/contents/", 1)
    assert session.get(contents, params={"content": 1}, timeout=30).status_code == 200
    return time.perf_counter() - started


def _split(total: float, learner) -> dict:
    """The last launch's stages in seconds, from its timestamps (Dasi's clock, same machine)."""
    from lms.sandboxes.models import SandboxLaunch

    launch = SandboxLaunch.objects.filter(user=learner).latest("created_at")
    created, ready = launch.created_at, launch.ready_at
    up = launch.provisioning_at or created
    asked = launch.started_at or up
    to_ready = (ready - created).total_seconds()
    return {
        "until the hub is asked": (asked - created).total_seconds(),
        "spawn (hub asked → server up)": (up - asked).total_seconds(),
        "copy (server up → exercise in place)": (ready - up).total_seconds(),
        "after ready (next poll, lab page, notebook read)": max(0.0, total - to_ready),
    }


def _burners(count: int) -> list[subprocess.Popen]:
    """CPU-bound background processes, as other work on a contended machine."""
    return [
        subprocess.Popen([sys.executable, "-c", "while True: pass"])  # noqa: S603
        for _ in range(count)
    ]


def _stop_server(hub, name: str) -> None:
    import requests

    headers = {"Authorization": f"token {hub.api_token}"}
    requests.delete(f"{hub.url}/hub/api/users/{name}/server", headers=headers, timeout=60)
    for _ in range(300):
        model = requests.get(f"{hub.url}/hub/api/users/{name}", headers=headers, timeout=10)
        if not model.json().get("servers"):
            return
        time.sleep(0.1)
    raise SystemExit("the server did not stop")


def _stats(values: list[float]) -> str:
    ordered = sorted(values)
    p95 = ordered[max(0, round(0.95 * len(ordered)) - 1)]
    return (
        f"median **{statistics.median(ordered):.2f} s**, p95 {p95:.2f} s, "
        f"min {ordered[0]:.2f} s, max {ordered[-1]:.2f} s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument(
        "--loads", default="0,2", help="CPU-bound background processes per set of runs"
    )
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    loads = [int(item) for item in args.loads.split(",") if item.strip()]
    if os.geteuid() != 0:
        sys.exit("benchmarks/sandboxes.py: run as root (learners' servers run as system users)")

    import requests

    from lms.sandboxes.localhub import LocalHub, free_port, missing_parts

    if missing_parts():
        sys.exit(f"benchmarks/sandboxes.py: {missing_parts()}")
    workdir = Path(tempfile.mkdtemp(prefix="dasi-sandboxes-"))
    database_url = f"sqlite:///{workdir / 'bench.sqlite3'}"
    _setup_django(database_url)
    port = free_port()
    base = f"http://localhost:{port}"
    world = _build_world(port)
    hub = LocalHub(dasi_url=base, state_dir=workdir / "hub")

    from lms.accounts.oidc import hub_username
    from lms.sandboxes.services import hub_client_register

    hub_client_register(hub_url=hub.url, client_secret=hub.client_secret)
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "lms.settings.dev",
        "DJANGO_DEBUG": "false",
        "DASI_HUB_URL": hub.url,
        "DASI_HUB_API_TOKEN": hub.api_token,
        # A first arrival answers the consent form on a page of its own (lms/privacy); the
        # figure here is the launch.
        "DASI_CONSENT_REQUIRED": "false",
    }
    gunicorn = subprocess.Popen(  # noqa: S603 — our own server
        [str(Path(sys.executable).parent / "gunicorn"), "lms.wsgi", "--bind",
         f"127.0.0.1:{port}", "--workers", "2", "--threads", "4", "--log-level", "warning"],
        cwd=ROOT, env=env, stdout=(workdir / "gunicorn.log").open("wb"), stderr=subprocess.STDOUT,
    )  # fmt: skip
    name = hub_username(world["learner"])
    try:
        hub.start()
        for _ in range(100):
            try:
                if requests.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except requests.RequestException:
                time.sleep(0.2)
        session = requests.Session()
        login = session.get(f"{base}/accounts/login/", timeout=10)
        import re

        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login.text).group(1)
        from tests.factories import PASSWORD

        session.post(
            f"{base}/accounts/login/",
            data={"csrfmiddlewaretoken": token, "login": "bench-learner", "password": PASSWORD},
            headers={"Referer": f"{base}/accounts/login/"},
            timeout=10,
        )
        first = _click(session, base, world)
        print(f"first launch (hub account, system user, spawn): {first:.2f} s", flush=True)
        results = {}
        for load in loads:
            burners = _burners(load)
            time.sleep(1 if load else 0)
            stopped, running, parts = [], [], []
            try:
                for run in range(args.runs):
                    _stop_server(hub, name)
                    stopped.append(_click(session, base, world))
                    parts.append(_split(stopped[-1], world["learner"]))
                    running.append(_click(session, base, world))
                    print(f"load {load}, run {run + 1}: stopped {stopped[-1]:.2f} s, "
                          f"running {running[-1]:.2f} s, {parts[-1]}", flush=True)  # fmt: skip
                uptime = Path("/proc/loadavg").read_text().split()[:3]
            finally:
                for burner in burners:
                    burner.kill()
                    burner.wait()
            results[load] = (stopped, running, parts, ", ".join(uptime))
    finally:
        hub.stop()
        gunicorn.terminate()
        gunicorn.wait(timeout=20)
        subprocess.run(["pkill", "-KILL", "-u", name], check=False)  # noqa: S603, S607
        subprocess.run(["userdel", "--remove", name], check=False, capture_output=True)  # noqa: S603, S607

    lines = [
        f"{dt.date.today().isoformat()} · {machine('SQLite, gunicorn 2×4, JupyterHub 6.1')}",
        "",
        f'Click on "Open exercise" → notebook ready in JupyterLab, {args.runs} runs each '
        f"(the page polls every {POLL_SECONDS} s, included), with 0 and with N CPU-bound "
        "background processes (`python -c 'while True: pass'`):",
        "",
        "| Background load | Server | Time | load average at the end |",
        "|---|---|---|---|",
    ]
    for load, (stopped, running, _parts, uptime) in results.items():
        lines.append(
            f"| {load} busy | stopped (spawn + copy + open) | {_stats(stopped)} | {uptime} |"
        )
        lines.append(f"| {load} busy | running (copy check + open) | {_stats(running)} | |")
    lines += [
        f"| — | first launch ever (hub sign-in, system user, spawn) | {first:.2f} s | |",
        "",
        "Where the time of a stopped server's click goes (median seconds per stage):",
        "",
        "| Stage | " + " | ".join(f"{load} busy" for load in results) + " |",
        "|---|" + "---|" * len(results),
    ]
    for stage in next(iter(results.values()))[2][0]:
        cells = [
            f"{statistics.median(part[stage] for part in parts):.2f}"
            for _s, _r, parts, _u in results.values()
        ]
        lines.append(f"| {stage} | " + " | ".join(cells) + " |")
    lines += ["", "Target: ≤ 4 s median for a stopped server."]
    body = "\n".join(lines)
    print(body)
    if args.write:
        write_section(
            name="sandboxes",
            heading="Notebook launch (JupyterHub)",
            command="make bench-sandboxes",
            body=body,
        )


if __name__ == "__main__":
    main()
