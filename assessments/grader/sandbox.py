"""Run the grading runner in a throw-away sandbox and collect its signed results.

The sandbox is bubblewrap (``bwrap``): every namespace unshared (no network, own PID tree, no
further user namespaces), a read-only view of /usr and of the grading runtime only, a synthetic
/etc, a size-limited tmpfs as the working directory holding nothing but the exercise's data files,
a new session, and death with its parent. When Dasi runs as root the whole tree runs as an
unprivileged uid (65534 by default), so even a bound file is only as readable as it is to "nobody".
``prlimit`` caps CPU seconds, address space, processes, file size and open files of every process
inside; a wall-clock limit kills the whole process group. The environment starts empty.

Production runs the same contract as one Kubernetes Job per submission (see deploy/k8s/).
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
import secrets
import shutil
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

SANDBOX_RUNTIME = "/opt/dasi-grader"
SANDBOX_RUNNER = "/opt/dasi-runner.py"
SANDBOX_WORKDIR = "/exercise"
SANDBOX_TMP = "/tmp"  # noqa: S108 - the sandbox's own tmpfs, not the host's /tmp
RUNNER_PATH = Path(__file__).with_name("runner.py")
DEFAULT_RUNTIME = Path(__file__).resolve().parents[2] / "var" / "grader-runtime"


class SandboxUnavailable(RuntimeError):
    """The machine lacks bubblewrap, prlimit or the grading runtime."""


@dataclass(frozen=True)
class Limits:
    """Resource limits for one grading run; per-process limits apply to kernel and runner each."""

    cell_timeout_s: int = 30
    total_timeout_s: int = 180
    startup_timeout_s: int = 60
    memory_bytes: int = 2 * 1024**3
    cpu_seconds: int = 180
    processes: int = 256
    file_bytes: int = 64 * 1024**2
    open_files: int = 512
    scratch_bytes: int = 256 * 1024**2
    output_bytes_cell: int = 100_000
    output_bytes_total: int = 2_000_000
    uid: int = 65534
    gid: int = 65534


@dataclass
class RunOutcome:
    """What came back from the sandbox: verified events, and what the host observed."""

    events: list[dict[str, Any]] = field(default_factory=list)
    duration_s: float = 0.0
    wall_timeout: bool = False
    returncode: int | None = None
    stderr_tail: str = ""
    rejected_lines: int = 0


def runtime_dir() -> Path:
    """The grading runtime: ``$DASI_GRADER_RUNTIME`` or ``var/grader-runtime`` in the checkout."""
    return Path(os.environ.get("DASI_GRADER_RUNTIME") or DEFAULT_RUNTIME)


def check_available(runtime: Path | None = None) -> Path:
    """The runtime path, or ``SandboxUnavailable`` with one line saying what is missing."""
    runtime = runtime or runtime_dir()
    for tool in ("bwrap", "prlimit"):
        if shutil.which(tool) is None:
            raise SandboxUnavailable(
                f"'{tool}' is not installed (apt-get install bubblewrap util-linux)"
            )
    if not (runtime / "bin" / "python").exists():
        raise SandboxUnavailable(
            f"no grading runtime at {runtime}; build it with 'python manage.py grader_runtime'"
        )
    return runtime


def safe_relative(name: str) -> PurePosixPath:
    """A data file name as a relative path inside the working directory, or ValueError."""
    path = PurePosixPath(name)
    if path.is_absolute() or not path.parts or any(p in ("..", ".", "") for p in path.parts):
        raise ValueError(f"data file name {name!r} must be a relative path without '..'")
    return path


def _etc_files(root: Path, uid: int, gid: int) -> Path:
    etc = root / "etc"
    etc.mkdir()
    (etc / "passwd").write_text(f"learner:x:{uid}:{gid}:learner:{SANDBOX_TMP}/home:/bin/false\n")
    (etc / "group").write_text(f"learner:x:{gid}:\n")
    (etc / "hosts").write_text("127.0.0.1 localhost\n::1 localhost\n")
    (etc / "nsswitch.conf").write_text("passwd: files\ngroup: files\nhosts: files\n")
    return etc


def bwrap_argv(
    runtime: Path, stage: Path, data_names: list[PurePosixPath], limits: Limits
) -> list[str]:
    """The prlimit + bwrap command line that starts the runner."""
    argv = [
        "prlimit",
        f"--as={limits.memory_bytes}",
        f"--cpu={limits.cpu_seconds}",
        f"--nproc={limits.processes}",
        f"--fsize={limits.file_bytes}",
        f"--nofile={limits.open_files}",
        "--core=0",
        "bwrap",
        "--unshare-all",
        "--unshare-user",
        "--disable-userns",
        "--die-with-parent",
        "--new-session",
        "--hostname",
        "grader",
        "--uid",
        str(limits.uid),
        "--gid",
        str(limits.gid),
        "--ro-bind",
        "/usr",
        "/usr",
    ]
    for link in ("bin", "lib", "lib64", "sbin"):
        target = Path("/") / link
        if target.is_symlink():
            argv += ["--symlink", os.readlink(target), f"/{link}"]
        elif target.is_dir():
            argv += ["--ro-bind", str(target), f"/{link}"]
    argv += [
        "--ro-bind",
        str(stage / "etc"),
        "/etc",
        "--ro-bind",
        str(runtime),
        SANDBOX_RUNTIME,
        "--ro-bind",
        str(RUNNER_PATH),
        SANDBOX_RUNNER,
        "--proc",
        "/proc",
        "--dev",
        "/dev",
        "--size",
        str(64 * 1024**2),
        "--tmpfs",
        SANDBOX_TMP,
        "--dir",
        f"{SANDBOX_TMP}/home",
        "--size",
        str(limits.scratch_bytes),
        "--tmpfs",
        SANDBOX_WORKDIR,
    ]
    for name in data_names:
        argv += ["--ro-bind", str(stage / "data" / name), f"{SANDBOX_WORKDIR}/{name}"]
    argv += [
        "--chdir",
        SANDBOX_WORKDIR,
        f"{SANDBOX_RUNTIME}/bin/python",
        "-I",
        SANDBOX_RUNNER,
    ]
    return argv


def sandbox_env() -> dict[str, str]:
    """The whole environment inside the sandbox: nothing from the platform's."""
    return {
        "PATH": f"{SANDBOX_RUNTIME}/bin:/usr/bin:/bin",
        "HOME": f"{SANDBOX_TMP}/home",
        "USER": "learner",
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "TZ": "Asia/Seoul",
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONUNBUFFERED": "1",
        "MPLBACKEND": "Agg",
        "MPLCONFIGDIR": f"{SANDBOX_RUNTIME}/etc/matplotlib",
        "OPENBLAS_NUM_THREADS": "1",
        "OMP_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
        "MALLOC_ARENA_MAX": "2",
        "JUPYTER_PLATFORM_DIRS": "1",
        "JUPYTER_RUNTIME_DIR": f"{SANDBOX_TMP}/jupyter/runtime",
        "JUPYTER_DATA_DIR": f"{SANDBOX_TMP}/jupyter/data",
        "JUPYTER_CONFIG_DIR": f"{SANDBOX_TMP}/jupyter/config",
        "IPYTHONDIR": f"{SANDBOX_TMP}/ipython",
        "PYDEVD_DISABLE_FILE_VALIDATION": "1",
    }


def run_in_sandbox(
    job: dict[str, Any],
    *,
    data_files: dict[str, bytes] | None = None,
    limits: Limits | None = None,
    runtime: Path | None = None,
) -> RunOutcome:
    """Run ``job`` with the runner inside a fresh sandbox and return its verified events.

    The job (notebook with hidden tests included) goes in over a pipe only. Lines on the runner's
    stdout without a valid HMAC are dropped and counted in ``rejected_lines``.
    """
    limits = limits or Limits()
    runtime = check_available(runtime)
    key = secrets.token_bytes(32)
    job = {
        **job,
        "key": key.hex(),
        "cwd": SANDBOX_WORKDIR,
        "cell_timeout": limits.cell_timeout_s,
        "startup_timeout": limits.startup_timeout_s,
        "output_cap_cell": limits.output_bytes_cell,
        "output_cap_total": limits.output_bytes_total,
    }
    drop_privileges = os.geteuid() == 0
    with tempfile.TemporaryDirectory(prefix="dasi-grade-") as tmp:
        stage = Path(tmp)
        stage.chmod(0o755)
        _etc_files(stage, limits.uid, limits.gid)
        names: list[PurePosixPath] = []
        for name, content in (data_files or {}).items():
            rel = safe_relative(name)
            target = stage / "data" / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
            names.append(rel)
        for path in stage.rglob("*"):
            path.chmod(0o755 if path.is_dir() else 0o644)
        argv = bwrap_argv(runtime, stage, names, limits)
        started = time.monotonic()
        proc = subprocess.Popen(  # noqa: S603 - fixed argv, no shell
            argv,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=sandbox_env(),
            cwd=tmp,
            start_new_session=True,
            user=limits.uid if drop_privileges else None,
            group=limits.gid if drop_privileges else None,
            extra_groups=[] if drop_privileges else None,
        )
        outcome = RunOutcome()
        payload = json.dumps(job).encode("utf-8")
        try:
            out, err = proc.communicate(payload, timeout=limits.total_timeout_s)
        except subprocess.TimeoutExpired:
            outcome.wall_timeout = True
            _kill_group(proc)
            out, err = proc.communicate()
        finally:
            try:
                proc.wait(timeout=5)  # the runner is done; let bwrap tear down its namespace
            except subprocess.TimeoutExpired:
                _kill_group(proc)
                proc.wait()
        outcome.duration_s = time.monotonic() - started
        outcome.returncode = proc.returncode
        outcome.stderr_tail = err[-2000:].decode("utf-8", "replace")
        outcome.events, outcome.rejected_lines = _verified_events(out, key)
    return outcome


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    """Kill the sandbox from the inside out, so that bwrap itself reaps what it started.

    bwrap's child (PID 1 of the sandbox) lives in a session of its own; killing it takes every
    process of the sandbox's PID namespace with it, after which bwrap exits by itself. Killing only
    bwrap would orphan its child, leaving a zombie wherever the host's init does not reap.
    """
    try:
        children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children").read_text().split()
    except OSError:
        children = []
    for child in children:
        with contextlib.suppress(ProcessLookupError, ValueError):
            os.kill(int(child), signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=5)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)


def _verified_events(out: bytes, key: bytes) -> tuple[list[dict[str, Any]], int]:
    events: list[dict[str, Any]] = []
    rejected = 0
    for raw in out.split(b"\n"):
        if not raw.strip():
            continue
        tag, sep, body = raw.partition(b"\t")
        expected = hmac.new(key, body, hashlib.sha256).hexdigest().encode()
        if not sep or not hmac.compare_digest(tag, expected):
            rejected += 1
            continue
        try:
            events.append(json.loads(body))
        except json.JSONDecodeError:
            rejected += 1
    return events, rejected
