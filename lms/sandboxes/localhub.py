"""Run a real JupyterHub (with configurable-http-proxy) for Dasi on this machine.

Used by the end-to-end tests and the launch benchmark: the same deploy/jupyterhub config as
``make demo``, on free loopback ports, with its state in a folder of the caller's choosing.
"""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / "deploy" / "jupyterhub" / "jupyterhub_config.py"
PROXY = ROOT / "node_modules" / ".bin" / "configurable-http-proxy"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def singleuser_env() -> Path:
    default = "/opt/dasi/singleuser" if os.geteuid() == 0 else str(ROOT / "var" / "singleuser")
    return Path(os.environ.get("DASI_SINGLEUSER_ENV", default))


def missing_parts() -> str:
    """What this machine lacks to run the hub ("" when nothing)."""
    if not PROXY.exists():
        return "configurable-http-proxy is not installed (npm ci)"
    if not (singleuser_env() / "bin" / "jupyterhub-singleuser").exists():
        return f"the learners' environment is missing at {singleuser_env()} (make singleuser)"
    return ""


class LocalHub:
    """A JupyterHub process for a Dasi at ``dasi_url``; ``start()``, then ``stop()``."""

    def __init__(
        self,
        *,
        dasi_url: str,
        state_dir: Path,
        internal_url: str = "",
        config: Path = CONFIG,
        extra_env: dict[str, str] | None = None,
    ):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.api_token = secrets.token_hex(32)
        self.client_secret = secrets.token_hex(32)
        self.state_dir = state_dir
        self.config = config
        self.env = {
            **os.environ,
            "DASI_URL": dasi_url,
            "DASI_INTERNAL_URL": internal_url or dasi_url,
            "DASI_HUB_URL": self.url,
            "DASI_HUB_API_TOKEN": self.api_token,
            "DASI_HUB_CLIENT_SECRET": self.client_secret,
            "DASI_HUB_STATE_DIR": str(state_dir),
            "DASI_HUB_INTERNAL_PORT": str(free_port()),
            "DASI_HUB_PROXY_API_PORT": str(free_port()),
            "DASI_SINGLEUSER_ENV": str(singleuser_env()),
            "CONFIGPROXY_AUTH_TOKEN": secrets.token_hex(32),
            **(extra_env or {}),
        }
        self.process: subprocess.Popen | None = None
        self.log = state_dir / "jupyterhub.log"

    def start(self, timeout: float = 60) -> LocalHub:
        self.state_dir.mkdir(parents=True, exist_ok=True)
        hub = Path(sys.executable).parent / "jupyterhub"
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(  # noqa: S603 — our own hub and config
                [str(hub), "-f", str(self.config)],
                cwd=self.state_dir,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"JupyterHub exited; see {self.log}:\n{self.log_tail()}")
            try:
                if requests.get(f"{self.url}/hub/health", timeout=1).status_code == 200:
                    return self
            except requests.RequestException:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"JupyterHub did not come up in {timeout} s:\n{self.log_tail()}")

    def log_tail(self, lines: int = 40) -> str:
        if not self.log.exists():
            return ""
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])

    def stop(self) -> None:
        """Stop the hub, its proxy and every learner's server (their process group)."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=5)
