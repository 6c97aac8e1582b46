"""A real Learning Record Store for the xAPI tests: Ralph (file-system backend) served by
uvicorn on a loopback port, from its own environment (var/ralph, built by `make setup`)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import time
from pathlib import Path

from django.conf import settings

import pytest
import requests

# ruff: noqa: S603 — the commands run our own Ralph environment's programs.
RALPH_ENV = Path(os.environ.get("DASI_RALPH_ENV", settings.BASE_DIR / "var" / "ralph"))
USERNAME, PASSWORD = "dasi-lrs", "lrs-secret-for-tests"
HERE = Path(__file__).parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Ralph:
    """One Ralph LRS: start, stop and start again on the same port and data (the store going
    down and coming back), read statements back, validate with Ralph's models."""

    def __init__(self, root: Path, port: int):
        self.root, self.port = root, port
        self.url = f"http://127.0.0.1:{port}/xAPI/"
        self.process: subprocess.Popen | None = None
        python = RALPH_ENV / "bin" / "python"
        hashed = subprocess.run(
            [
                python,
                "-c",
                "import bcrypt,sys;print(bcrypt.hashpw(sys.argv[1].encode(),"
                "bcrypt.gensalt(4)).decode())",
                PASSWORD,
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        (root / "auth.json").write_text(
            json.dumps(
                [
                    {
                        "username": USERNAME,
                        "hash": hashed,
                        "scopes": ["all"],
                        "agent": {"mbox": "mailto:lrs@dasi.example.org"},
                    }
                ]
            )
        )

    def start(self) -> None:
        env = {
            "PATH": os.environ.get("PATH", ""),
            "HOME": str(self.root),
            "RALPH_APP_DIR": str(self.root / "app"),
            "RALPH_AUTH_FILE": str(self.root / "auth.json"),
            "RALPH_RUNSERVER_BACKEND": "fs",
            "RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH": str(self.root),
            "RALPH_RUNSERVER_AUTH_BACKENDS": "basic",
        }
        self.process = subprocess.Popen(
            [RALPH_ENV / "bin" / "python", HERE / "ralph_server.py", "127.0.0.1", str(self.port)],
            cwd=self.root,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=open(self.root / "ralph.log", "ab"),  # noqa: SIM115
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError((self.root / "ralph.log").read_text()[-2000:])
            try:
                if requests.get(f"http://127.0.0.1:{self.port}/__lbheartbeat__", timeout=1).ok:
                    return
            except requests.ConnectionError:
                time.sleep(0.2)
        raise RuntimeError("Ralph did not start in 60 s")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=20)
            self.process = None

    def statements(self, **params) -> list[dict]:
        """Every statement stored (following `more` links)."""
        found, url = [], self.url + "statements"
        params = {"limit": 500, **params}
        while url:
            response = requests.get(
                url,
                params=params,
                auth=(USERNAME, PASSWORD),
                headers={"X-Experience-API-Version": "1.0.3"},
                timeout=10,
            )
            response.raise_for_status()
            body = response.json()
            found += body["statements"]
            more = body.get("more")
            url, params = (f"http://127.0.0.1:{self.port}{more}", {}) if more else (None, {})
        return found

    def stored_lines(self) -> list[dict]:
        """The raw records of the file-system backend: one line per statement it wrote."""
        path = self.root / "fs_lrs.jsonl"
        if not path.exists():
            return []
        return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]

    def validate(self, statements: list[dict]) -> dict:
        """Ralph's own models' verdict: {id: [errors]} for each invalid statement."""
        done = subprocess.run(  # noqa: S603
            [RALPH_ENV / "bin" / "python", HERE / "ralph_validate.py"],
            input=json.dumps(statements),
            capture_output=True,
            text=True,
            check=True,
        )
        return json.loads(done.stdout)


@pytest.fixture(scope="session")
def ralph_server(tmp_path_factory):
    if not (RALPH_ENV / "bin" / "uvicorn").exists():  # a failure under CI
        pytest.skip(f"Ralph is not installed in {RALPH_ENV} (make setup builds it)")
    port = int(os.environ.get("DASI_TEST_RALPH_PORT") or _free_port())
    server = Ralph(tmp_path_factory.mktemp("ralph"), port)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def ralph(ralph_server):
    """The running Ralph (started again if a test stopped it), emptied: the file-system
    backend reads its file on every query, and each test's database starts its ids afresh."""
    if ralph_server.process is None:
        ralph_server.start()
    (ralph_server.root / "fs_lrs.jsonl").unlink(missing_ok=True)
    return ralph_server
