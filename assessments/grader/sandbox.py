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

import atexit
import base64
import contextlib
import hashlib
import hmac
import json
import os
import secrets
import select
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
READY = b"READY\n"  # the runner's first bytes once its kernel is up
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
    tools = ("prlimit",) if sandbox_mode() == "pod" else ("bwrap", "prlimit")
    for tool in tools:
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
    runtime: Path, stage: Path, limits: Limits, preload: tuple[str, ...] = ()
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
    argv += [
        "--chdir",
        SANDBOX_WORKDIR,
        f"{SANDBOX_RUNTIME}/bin/python",
        "-I",
        SANDBOX_RUNNER,
        str(limits.startup_timeout_s),
        *preload,
    ]
    return argv


def sandbox_mode() -> str:
    """``bwrap`` (default): bubblewrap on this machine. ``pod``: the grading pod is the sandbox.

    In a Kubernetes Job the pod provides the isolation bwrap gives here (deny-all egress,
    non-root, read-only root file system, an emptyDir as working directory; see deploy/k8s/), and
    unprivileged pods usually cannot create the user namespaces bwrap needs. The runner, the
    rlimits, the empty environment and the wall-clock limit are the same in both modes.
    """
    mode = os.environ.get("DASI_GRADER_SANDBOX", "bwrap")
    if mode not in ("bwrap", "pod"):
        raise SandboxUnavailable(f"DASI_GRADER_SANDBOX must be 'bwrap' or 'pod', not {mode!r}")
    return mode


def pod_argv(
    runtime: Path, stage: Path, limits: Limits, preload: tuple[str, ...] = ()
) -> list[str]:
    """The prlimit command line that starts the runner directly (``pod`` mode)."""
    return [
        "prlimit",
        f"--as={limits.memory_bytes}",
        f"--cpu={limits.cpu_seconds}",
        f"--nproc={limits.processes}",
        f"--fsize={limits.file_bytes}",
        f"--nofile={limits.open_files}",
        "--core=0",
        str(runtime / "bin" / "python"),
        "-I",
        str(RUNNER_PATH),
        str(limits.startup_timeout_s),
        *preload,
    ]


def sandbox_env(runtime: str = SANDBOX_RUNTIME, tmp: str = SANDBOX_TMP) -> dict[str, str]:
    """The whole environment inside the sandbox: nothing from the platform's."""
    return {
        "PATH": f"{runtime}/bin:/usr/bin:/bin",
        "HOME": f"{tmp}/home",
        "USER": "learner",
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "TZ": "Asia/Seoul",
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONUNBUFFERED": "1",
        "MPLBACKEND": "Agg",
        "MPLCONFIGDIR": f"{runtime}/etc/matplotlib",
        "OPENBLAS_NUM_THREADS": "1",
        "OMP_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
        "MALLOC_ARENA_MAX": "2",
        "JUPYTER_PLATFORM_DIRS": "1",
        "JUPYTER_RUNTIME_DIR": f"{tmp}/jupyter/runtime",
        "JUPYTER_DATA_DIR": f"{tmp}/jupyter/data",
        "JUPYTER_CONFIG_DIR": f"{tmp}/jupyter/config",
        "IPYTHONDIR": f"{tmp}/ipython",
        "PYDEVD_DISABLE_FILE_VALIDATION": "1",
    }


class Sandbox:
    """One started sandbox: bwrap, the runner and a fresh kernel, waiting for a single job.

    Starting it is the slow part (interpreter, kernel, imports), so a sandbox can be started before
    its job exists and kept as a warm spare; it still serves exactly one job and is then destroyed.
    """

    def __init__(self, limits: Limits, runtime: Path, preload: tuple[str, ...] = ()) -> None:
        self.limits = limits
        self.runtime = runtime
        self.started = time.monotonic()
        self.ready = False
        self._ready_bytes = b""
        self._stage = tempfile.TemporaryDirectory(prefix="dasi-grade-")
        stage = Path(self._stage.name)
        stage.chmod(0o755)
        _etc_files(stage, limits.uid, limits.gid)
        for path in stage.rglob("*"):
            path.chmod(0o755 if path.is_dir() else 0o644)
        drop_privileges = os.geteuid() == 0
        if sandbox_mode() == "pod":
            work = stage / "work"
            (work / "tmp" / "home").mkdir(parents=True)
            for path in (work, work / "tmp", work / "tmp" / "home"):
                path.chmod(0o777)  # noqa: S103 - the pod's own scratch space, for the runner uid
            argv = pod_argv(runtime, stage, limits, preload)
            env = sandbox_env(str(runtime), str(work / "tmp"))
            cwd = work
        else:
            argv = bwrap_argv(runtime, stage, limits, preload)
            env = sandbox_env()
            cwd = stage
        self.proc = subprocess.Popen(  # noqa: S603 - fixed argv, no shell
            argv,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
            cwd=cwd,
            start_new_session=True,
            user=limits.uid if drop_privileges else None,
            group=limits.gid if drop_privileges else None,
            extra_groups=[] if drop_privileges else None,
        )

    def alive(self) -> bool:
        return self.proc.poll() is None

    def wait_ready(self, timeout: float) -> bool:
        """Block until the kernel is up (and modules preloaded); False on timeout or exit."""
        if self.ready:
            return True
        if self.proc.stdout is None:
            return False
        fd = self.proc.stdout.fileno()
        deadline = time.monotonic() + timeout
        while len(self._ready_bytes) < len(READY) and time.monotonic() < deadline:
            readable, _w, _x = select.select([fd], [], [], max(0.0, deadline - time.monotonic()))
            if not readable:
                break
            chunk = os.read(fd, len(READY) - len(self._ready_bytes))
            if not chunk:
                break
            self._ready_bytes += chunk
        self.ready = self._ready_bytes == READY
        return self.ready

    def run(self, job: dict[str, Any], data_files: dict[str, bytes]) -> RunOutcome:
        """Send the job, wait at most ``total_timeout_s``, and return the verified events."""
        limits = self.limits
        key = secrets.token_bytes(32)
        job = {
            **job,
            "key": key.hex(),
            "cell_timeout": limits.cell_timeout_s,
            "output_cap_cell": limits.output_bytes_cell,
            "output_cap_total": limits.output_bytes_total,
            "data_files": {
                safe_relative(name).as_posix(): base64.b64encode(content).decode("ascii")
                for name, content in data_files.items()
            },
        }
        outcome = RunOutcome()
        started = time.monotonic()
        try:
            out, err = self.proc.communicate(
                json.dumps(job).encode("utf-8"), timeout=limits.total_timeout_s
            )
        except subprocess.TimeoutExpired:
            outcome.wall_timeout = True
            _kill_group(self.proc)
            out, err = self.proc.communicate()
        except BrokenPipeError:
            out, err = self.proc.communicate()
        finally:
            try:
                self.proc.wait(timeout=5)  # the runner is done; let bwrap tear down its namespace
            except subprocess.TimeoutExpired:
                _kill_group(self.proc)
                self.proc.wait()
            self._stage.cleanup()
        outcome.duration_s = time.monotonic() - started
        outcome.returncode = self.proc.returncode
        outcome.stderr_tail = err[-2000:].decode("utf-8", "replace")
        if not self.ready:
            out = out.removeprefix(READY)
        outcome.events, outcome.rejected_lines = _verified_events(out, key)
        return outcome

    def discard(self) -> None:
        """Destroy an unused sandbox."""
        if self.alive():
            _kill_group(self.proc)
        with contextlib.suppress(OSError, ValueError):
            self.proc.communicate(timeout=5)
        self._stage.cleanup()


PRELOAD = (
    "numpy",
    "pandas",
    "matplotlib.pyplot",
    "sklearn.base",
    "sklearn.linear_model",
    "sklearn.model_selection",
    "sklearn.pipeline",
    "sklearn.preprocessing",
    "sklearn.metrics",
)
"""Modules a warm spare imports before its job arrives (most exercises use them)."""

SPARE_MAX_AGE_S = 600
_spares: dict[tuple[Limits, str], Sandbox] = {}


def warm_pool_enabled() -> bool:
    """Keep one started sandbox ready per worker process (``DASI_GRADER_WARM=0`` turns it off)."""
    return os.environ.get("DASI_GRADER_WARM", "1") != "0"


def _take_sandbox(limits: Limits, runtime: Path) -> Sandbox:
    key = (limits, str(runtime))
    spare = _spares.pop(key, None)
    if spare is not None:
        if spare.alive() and time.monotonic() - spare.started < SPARE_MAX_AGE_S:
            return spare
        spare.discard()
    return Sandbox(limits, runtime)


def prepare_spare(limits: Limits | None = None, runtime: Path | None = None) -> None:
    """Start a warm spare sandbox now for the next ``grade`` call with these limits."""
    limits = limits or Limits()
    runtime = check_available(runtime)
    key = (limits, str(runtime))
    if key not in _spares or not _spares[key].alive():
        _spares[key] = Sandbox(limits, runtime, PRELOAD)


def wait_for_spare(limits: Limits | None = None, timeout: float = 60) -> bool:
    """Start a spare if needed and block until it is ready (benchmarks, worker start-up)."""
    limits = limits or Limits()
    prepare_spare(limits)
    spare = _spares.get((limits, str(check_available())))
    return spare is not None and spare.wait_ready(timeout)


def discard_spares() -> None:
    """Destroy every warm spare (at exit, or before counting the sandbox user's processes)."""
    while _spares:
        _spares.popitem()[1].discard()


atexit.register(discard_spares)


def run_in_sandbox(
    job: dict[str, Any],
    *,
    data_files: dict[str, bytes] | None = None,
    limits: Limits | None = None,
    runtime: Path | None = None,
) -> RunOutcome:
    """Run ``job`` in a sandbox no other job has used, and return its verified events.

    The job (notebook with hidden tests included) and the data files go in over a pipe only.
    Lines on the runner's stdout without a valid HMAC are dropped and counted in
    ``rejected_lines``. With the warm pool on, a spare sandbox is started for the next call
    once this one is done.
    """
    limits = limits or Limits()
    runtime = check_available(runtime)
    for name in data_files or {}:
        safe_relative(name)
    sandbox = _take_sandbox(limits, runtime)
    try:
        return sandbox.run(job, data_files or {})
    finally:
        if warm_pool_enabled():
            prepare_spare(limits, runtime)


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    """Kill the sandbox from the inside out, so that bwrap itself reaps what it started.

    bwrap's child (PID 1 of the sandbox) lives in a session of its own; killing it takes every
    process of the sandbox's PID namespace with it, after which bwrap exits by itself. Killing only
    bwrap would orphan its child, leaving a zombie wherever the host's init does not reap.
    """
    deadline = time.monotonic() + 5
    while proc.poll() is None and time.monotonic() < deadline:
        try:
            children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children").read_text().split()
        except OSError:
            children = []
        for child in children:
            with contextlib.suppress(ProcessLookupError, ValueError):
                os.kill(int(child), signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=0.1)
    if proc.poll() is None:
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
