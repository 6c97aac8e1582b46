"""The two grading sandboxes: one runs the learner's notebook, the other the instructor's tests.

Each sandbox is bubblewrap (``bwrap``): every namespace unshared (no network, its own PID tree,
no further user namespaces), a read-only view of /usr, of the grading runtime and of
``inside/``, a synthetic /etc, a size-limited tmpfs as /tmp, a new session, death with its
parent. When Dasi runs as root the learner sandbox runs as uid 65534 and the judge sandbox as uid
65533, so neither can signal, trace or read the other even through the one directory they share:
``/exercise``, the working directory with the exercise's data files (root-owned, read-only) where
learner code may write files the tests read back. ``prlimit`` caps CPU seconds, address space,
processes, file size and open files inside each; the host enforces cell and total wall clocks and
the size of /exercise. The environment starts empty.

Each sandbox talks to the host over one socket (``inside/channel.py``); the host relays the
judge's questions to the learner sandbox and never lets the two talk directly (see
``session.py``). Production runs the same contract as one Kubernetes Job per submission
(``pod`` mode, deploy/k8s/).
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import select
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from .inside.channel import Channel, ChannelClosed, ChannelError, ChannelTimeout

SANDBOX_RUNTIME = "/opt/dasi-grader"
SANDBOX_INSIDE = "/opt/dasi-inside"
SANDBOX_WORKDIR = "/exercise"
SANDBOX_JOBS = "/jobs"
SANDBOX_TMP = "/tmp"  # noqa: S108 - the sandbox's own tmpfs, not the host's /tmp
INSIDE_DIR = Path(__file__).with_name("inside")
DEFAULT_RUNTIME = Path(__file__).resolve().parents[2] / "var" / "grader-runtime"
LEARNER, JUDGE = "learner", "judge"
JUDGE_UID_OFFSET = 1
"""The judge runs as the learner uid minus this (65533 by default), never as the learner."""


class SandboxUnavailable(RuntimeError):
    """The machine lacks bubblewrap, prlimit or the grading runtime."""


@dataclass(frozen=True)
class Limits:
    """Resource limits for one grading run; per-process limits apply inside each sandbox."""

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
    """What came back from the sandboxes: the host's events, and what it observed."""

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


def sandbox_mode() -> str:
    """``bwrap`` (default): bubblewrap on this machine. ``pod``: the grading pod is the sandbox.

    In a Kubernetes Job the pod provides the isolation bwrap gives here (deny-all egress,
    non-root, read-only root file system, an emptyDir as working directory; see deploy/k8s/), and
    unprivileged pods usually cannot create the user namespaces bwrap needs. The two processes,
    the rlimits, the empty environment and the wall clocks are the same in both modes; the judge
    makes itself non-dumpable so the learner process (another uid when the pod starts as root)
    cannot read its memory.
    """
    mode = os.environ.get("DASI_GRADER_SANDBOX", "bwrap")
    if mode not in ("bwrap", "pod"):
        raise SandboxUnavailable(f"DASI_GRADER_SANDBOX must be 'bwrap' or 'pod', not {mode!r}")
    return mode


def sandbox_env(runtime: str = SANDBOX_RUNTIME, tmp: str = SANDBOX_TMP) -> dict[str, str]:
    """The whole environment inside a sandbox: nothing from the platform's."""
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
        "IPYTHONDIR": f"{tmp}/ipython",
        "JUPYTER_PLATFORM_DIRS": "1",
    }


def _etc_files(root: Path, uid: int, gid: int) -> Path:
    etc = root / "etc"
    etc.mkdir()
    (etc / "passwd").write_text(f"learner:x:{uid}:{gid}:learner:{SANDBOX_TMP}/home:/bin/false\n")
    (etc / "group").write_text(f"learner:x:{gid}:\n")
    (etc / "hosts").write_text("127.0.0.1 localhost\n::1 localhost\n")
    (etc / "nsswitch.conf").write_text("passwd: files\ngroup: files\nhosts: files\n")
    return etc


def _prlimit(limits: Limits, memory_bytes: int) -> list[str]:
    return [
        "prlimit",
        f"--as={memory_bytes}",
        f"--cpu={limits.cpu_seconds}",
        f"--nproc={limits.processes}",
        f"--fsize={limits.file_bytes}",
        f"--nofile={limits.open_files}",
        "--core=0",
    ]


def bwrap_argv(
    runtime: Path,
    stage: Path,
    work: Path,
    limits: Limits,
    uid: int,
    memory_bytes: int,
    *,
    workdir: str = SANDBOX_WORKDIR,
) -> list[str]:
    """The prlimit + bwrap command line of one sandbox (its program comes after)."""
    argv = [
        *_prlimit(limits, memory_bytes),
        "bwrap",
        "--unshare-all",
        "--unshare-user",
        "--disable-userns",
        "--die-with-parent",
        "--new-session",
        "--as-pid-1",
        "--hostname",
        "grader",
        "--uid",
        str(uid),
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
        str(INSIDE_DIR),
        SANDBOX_INSIDE,
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
        "--bind",
        str(work),
        workdir,
        "--chdir",
        workdir,
    ]
    return argv


def _start(
    argv: list[str],
    env: dict[str, str],
    cwd: Path,
    fd: int,
    uid: int,
    gid: int,
    *,
    keep_stderr: bool,
) -> subprocess.Popen[bytes]:
    """Start a sandbox process with only ``fd`` inherited, as ``uid`` when the host is root."""
    drop = os.geteuid() == 0
    return subprocess.Popen(  # noqa: S603 - fixed argv, no shell
        argv,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE if keep_stderr else subprocess.DEVNULL,
        env=env,
        cwd=cwd,
        pass_fds=(fd,),
        start_new_session=True,
        user=uid if drop else None,
        group=gid if drop else None,
        extra_groups=[] if drop else None,
    )


class Box:
    """One started sandbox process (learner or judge) and its channel to the host."""

    def __init__(
        self, role: str, limits: Limits, runtime: Path, stage: Path, work: Path, preload: tuple
    ) -> None:
        self.role = role
        self.limits = limits
        host_end, box_end = socket.socketpair()
        self.channel = Channel(host_end)
        self.ready = False
        self.inner_pid: int | None = None
        uid = limits.uid if role == LEARNER else limits.uid - JUDGE_UID_OFFSET
        memory = limits.memory_bytes if role == LEARNER else max(limits.memory_bytes, 2 * 1024**3)
        script = f"{role}_side.py"
        fd = box_end.fileno()
        self.pod = sandbox_mode() == "pod"
        if self.pod:
            argv = [
                *_prlimit(limits, memory),
                str(runtime / "bin" / "python"),
                "-I",
                str(INSIDE_DIR / script),
                str(fd),
                *preload,
            ]
            env = sandbox_env(str(runtime), str(stage / f"tmp-{role}"))
            (stage / f"tmp-{role}" / "home").mkdir(parents=True)
            for path in (stage / f"tmp-{role}", stage / f"tmp-{role}" / "home"):
                path.chmod(0o777)  # noqa: S103 - the pod's own scratch space, for the sandbox uid
            cwd = work
        else:
            argv = [
                *bwrap_argv(runtime, stage, work, limits, uid, memory),
                f"{SANDBOX_RUNTIME}/bin/python",
                "-I",
                f"{SANDBOX_INSIDE}/{script}",
                str(fd),
                *preload,
            ]
            env = sandbox_env()
            cwd = stage
        self.proc = _start(argv, env, cwd, fd, uid, limits.gid, keep_stderr=role == JUDGE)
        box_end.close()

    def alive(self) -> bool:
        return self.proc.poll() is None

    def wait_ready(self, timeout: float) -> bool:
        """Block until the sandbox says it is ready; False on timeout or exit."""
        if self.ready:
            return True
        try:
            frame = self.channel.recv(timeout)
        except (ChannelClosed, ChannelTimeout, ChannelError):
            return False
        self.ready = frame.get("op") == "ready"
        if self.ready:
            self.inner_pid = self._python_pid()
        return self.ready

    def _python_pid(self) -> int | None:
        """The host PID of the sandbox's Python (bwrap's only child; prlimit execs in pod mode)."""
        if self.pod:
            return self.proc.pid
        try:
            children = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children").read_text()
        except OSError:
            return None
        pids = [int(p) for p in children.split()]
        return pids[0] if len(pids) == 1 else None

    def interrupt(self) -> None:
        """KeyboardInterrupt in the sandbox's Python (its cell or answer stops, if it lets it)."""
        if self.inner_pid is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.inner_pid, signal.SIGINT)

    def kill(self) -> None:
        _end(self.proc, pod=self.pod)
        if self.proc.stderr is not None:
            with contextlib.suppress(OSError, ValueError):
                self.proc.stderr.close()
        with contextlib.suppress(OSError):
            self.channel.sock.close()

    def stderr_tail(self) -> str:
        if self.proc.stderr is None or self.alive():
            return ""
        with contextlib.suppress(OSError, ValueError):
            return self.proc.stderr.read()[-2000:].decode("utf-8", "replace")
        return ""


class Pair:
    """A learner sandbox and a judge sandbox sharing one working directory, for one job.

    Starting them is the slow part (interpreters and imports), so a pair can be started before
    its job exists and kept as a warm spare; it still serves exactly one job and is then destroyed.
    """

    def __init__(self, limits: Limits, runtime: Path, preload: tuple[str, ...] = ()) -> None:
        self.limits = limits
        self.started = time.monotonic()
        self._stage = tempfile.TemporaryDirectory(prefix="dasi-grade-")
        stage = Path(self._stage.name)
        stage.chmod(0o755)
        _etc_files(stage, limits.uid, limits.gid)
        for path in stage.rglob("*"):
            path.chmod(0o755 if path.is_dir() else 0o644)
        self.work = stage / "work"
        self.work.mkdir()
        # Both sandbox users write here; the sticky bit keeps each from removing the other's
        # files, and the exercise's data files stay the host's (read-only to both).
        self.work.chmod(0o1777)
        self.learner = Box(LEARNER, limits, runtime, stage, self.work, preload)
        self.judge = Box(JUDGE, limits, runtime, stage, self.work, preload)

    def alive(self) -> bool:
        return self.learner.alive() and self.judge.alive()

    def wait_ready(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        ok = self.learner.wait_ready(timeout)
        return self.judge.wait_ready(max(0.1, deadline - time.monotonic())) and ok

    def place_data_files(self, data_files: dict[str, bytes]) -> None:
        """Write the exercise's data files into the working directory, read-only to both users."""
        for name, content in data_files.items():
            target = self.work / safe_relative(name)
            for parent in reversed(target.relative_to(self.work).parents):
                folder = self.work / parent
                if not folder.exists():
                    folder.mkdir()
                    folder.chmod(0o755)
            target.write_bytes(content)
            target.chmod(0o444)

    def discard(self) -> None:
        """Destroy both sandboxes and the working directory."""
        self.learner.kill()
        self.judge.kill()
        with contextlib.suppress(OSError):
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
"""Modules a zygote (or a warm spare without zygotes) imports before any job arrives."""

PRELOAD_ALLOWANCE = 2 * 1024**3
"""Address space a zygote sandbox gets on top of ``memory_bytes`` for its preloaded modules."""


class Zygote:
    """A long-lived sandbox whose pre-imported Python forks one fresh child per job.

    It serves one worker process, one job at a time. Between jobs it kills every process the
    last job left and wipes the sandbox's /tmp, /dev/shm and System V IPC (``inside/zygote.py``).
    """

    def __init__(self, role: str, limits: Limits, runtime: Path, jobs: Path, stage: Path) -> None:
        self.role = role
        self.limits = limits
        host_end, box_end = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self.control = host_end
        fd = box_end.fileno()
        self.pod = sandbox_mode() == "pod"
        uid = limits.uid if role == LEARNER else limits.uid - JUDGE_UID_OFFSET
        memory = limits.memory_bytes + PRELOAD_ALLOWANCE
        if self.pod:
            tmp = stage / f"tmp-{role}"
            (tmp / "home").mkdir(parents=True)
            for path in (tmp, tmp / "home"):
                path.chmod(0o777)  # noqa: S103 - the pod's own scratch space, for the sandbox uid
            argv = [*_prlimit(limits, memory), str(runtime / "bin" / "python"), "-I",
                    str(INSIDE_DIR / "zygote.py"), role, str(fd), *PRELOAD]  # fmt: skip
            env = sandbox_env(str(runtime), str(tmp))
        else:
            argv = bwrap_argv(runtime, stage, jobs, limits, uid, memory, workdir=SANDBOX_JOBS)
            argv += [f"{SANDBOX_RUNTIME}/bin/python", "-I", f"{SANDBOX_INSIDE}/zygote.py", role,
                     str(fd), *PRELOAD]  # fmt: skip
            env = sandbox_env()
        self.proc = _start(argv, env, stage, fd, uid, limits.gid, keep_stderr=False)
        box_end.close()
        self.ready = False

    def alive(self) -> bool:
        return self.proc.poll() is None

    def request(self, order: dict[str, Any], fds: tuple[int, ...] = (), timeout: float = 10):
        """Send one order and wait for the zygote's reply (None if it does not answer)."""
        try:
            payload = json.dumps(order).encode()
            if fds:
                socket.send_fds(self.control, [payload], list(fds))
            else:
                self.control.sendall(payload)
            readable, _w, _x = select.select([self.control], [], [], timeout)
            if not readable:
                return None
            data = self.control.recv(65536)
            return json.loads(data) if data else None
        except (OSError, ValueError):
            return None

    def wait_ready(self, timeout: float) -> bool:
        if not self.ready:
            readable, _w, _x = select.select([self.control], [], [], timeout)
            if readable:
                with contextlib.suppress(OSError, ValueError):
                    self.ready = json.loads(self.control.recv(65536) or b"{}").get("op") == "ready"
        return self.ready and self.alive()

    def stop(self) -> None:
        with contextlib.suppress(OSError):
            self.control.close()
        _end(self.proc, pod=self.pod)


class JobProcess:
    """The child a zygote forked for one job; the same interface as ``Box``."""

    def __init__(self, zygote: Zygote, workdir: str, memory: int) -> None:
        self.role = zygote.role
        self.zygote = zygote
        host_end, box_end = socket.socketpair()
        self.channel = Channel(host_end)
        self.ready = False
        self.dead = False
        reply = zygote.request({"op": "job", "dir": workdir, "memory": memory}, (box_end.fileno(),))
        box_end.close()
        self.dead = not reply or not reply.get("pid")

    def alive(self) -> bool:
        return not self.dead and self.zygote.alive()

    def wait_ready(self, timeout: float) -> bool:
        if self.ready or self.dead:
            return self.ready
        try:
            frame = self.channel.recv(timeout)
        except (ChannelClosed, ChannelTimeout, ChannelError):
            return False
        self.ready = frame.get("op") == "ready"
        return self.ready

    def interrupt(self) -> None:
        self.zygote.request({"op": "interrupt"}, timeout=2)

    def kill(self) -> None:
        """Kill the job's processes (and everything they started) in the zygote's sandbox."""
        if not self.dead:
            self.dead = True
            if self.zygote.request({"op": "reap"}) is None:
                self.zygote.stop()
        with contextlib.suppress(OSError):
            self.channel.sock.close()

    def stderr_tail(self) -> str:
        return ""


class ZygotePair:
    """A learner and a judge child forked from this worker's zygotes, for one job."""

    def __init__(self, zygotes: tuple[Zygote, Zygote, Path], limits: Limits) -> None:
        learner, judge, jobs = zygotes
        self.limits = limits
        self.started = time.monotonic()
        self.work = Path(tempfile.mkdtemp(prefix="job-", dir=jobs))
        self.work.chmod(0o1777)
        inner = self.work if learner.pod else PurePosixPath(SANDBOX_JOBS) / self.work.name
        self.learner = JobProcess(learner, str(inner), limits.memory_bytes)
        self.judge = JobProcess(judge, str(inner), max(limits.memory_bytes, 2 * 1024**3))

    # The same as a pair of fresh sandboxes: both processes, the shared working directory.
    alive = Pair.alive
    wait_ready = Pair.wait_ready
    place_data_files = Pair.place_data_files

    def discard(self) -> None:
        self.learner.kill()
        self.judge.kill()
        shutil.rmtree(self.work, ignore_errors=True)


SPARE_MAX_AGE_S = 600
MAX_ZYGOTE_SETS = 2
_spares: dict[tuple[Limits, str], Pair | ZygotePair] = {}
_zygotes: dict[tuple[Limits, str], tuple[Zygote, Zygote, Path]] = {}
_zygote_stages: dict[tuple[Limits, str], tempfile.TemporaryDirectory] = {}


def warm_pool_enabled() -> bool:
    """Keep one started pair ready per worker process (``DASI_GRADER_WARM=0`` turns it off)."""
    return os.environ.get("DASI_GRADER_WARM", "1") != "0"


def zygotes_enabled() -> bool:
    """Fork each job from this worker's pre-imported zygotes (``DASI_GRADER_ZYGOTE=0``: no).

    Only with bubblewrap: a zygote must be PID 1 of a sandbox of its own. In ``pod`` mode each
    submission is a pod of its own anyway.
    """
    return os.environ.get("DASI_GRADER_ZYGOTE", "1") != "0" and sandbox_mode() == "bwrap"


def start_zygotes(limits: Limits | None = None, runtime: Path | None = None, timeout: float = 60):
    """This worker's learner and judge zygotes for ``limits``, started now if needed."""
    limits = limits or Limits()
    runtime = check_available(runtime)
    key = (limits, str(runtime))
    found = _zygotes.get(key)
    if found is not None and found[0].alive() and found[1].alive():
        return found
    stop_zygotes(key)
    while len(_zygotes) >= MAX_ZYGOTE_SETS:  # other limits than the usual ones: keep memory bounded
        stop_zygotes(next(iter(_zygotes)))
    stage_dir = tempfile.TemporaryDirectory(prefix="dasi-zygote-")
    stage = Path(stage_dir.name)
    stage.chmod(0o755)
    _etc_files(stage, limits.uid, limits.gid)
    for path in stage.rglob("*"):
        path.chmod(0o755 if path.is_dir() else 0o644)
    jobs = stage / "jobs"
    jobs.mkdir()
    jobs.chmod(0o711)  # each job's folder is reachable by its random name, never listed
    learner = Zygote(LEARNER, limits, runtime, jobs, stage)
    judge = Zygote(JUDGE, limits, runtime, jobs, stage)
    deadline = time.monotonic() + timeout
    ready = learner.wait_ready(timeout)
    if not (judge.wait_ready(max(0.1, deadline - time.monotonic())) and ready):
        learner.stop()
        judge.stop()
        stage_dir.cleanup()
        raise SandboxUnavailable("the grading zygotes did not start")
    _zygotes[key] = (learner, judge, jobs)
    _zygote_stages[key] = stage_dir
    return _zygotes[key]


def stop_zygotes(key: tuple[Limits, str] | None = None) -> None:
    for k in [key] if key is not None else list(_zygotes):
        found = _zygotes.pop(k, None)
        if found is not None:
            found[0].stop()
            found[1].stop()
        stage = _zygote_stages.pop(k, None)
        if stage is not None:
            with contextlib.suppress(OSError):
                stage.cleanup()


def _new_pair(limits: Limits, runtime: Path, *, spare: bool) -> Pair | ZygotePair:
    if zygotes_enabled():
        return ZygotePair(start_zygotes(limits, runtime), limits)
    return Pair(limits, runtime, PRELOAD if spare else ())


def take_pair(limits: Limits, runtime: Path) -> Pair | ZygotePair:
    """A warm spare for these limits if one is ready and fresh, else a new pair (cold)."""
    spare = _spares.pop((limits, str(runtime)), None)
    if spare is not None:
        if spare.alive() and time.monotonic() - spare.started < SPARE_MAX_AGE_S:
            return spare
        spare.discard()
    return _new_pair(limits, runtime, spare=False)


def prepare_spare(limits: Limits | None = None, runtime: Path | None = None) -> None:
    """Start a warm spare pair now for the next ``grade`` call with these limits."""
    limits = limits or Limits()
    runtime = check_available(runtime)
    key = (limits, str(runtime))
    if key not in _spares or not _spares[key].alive():
        _spares[key] = _new_pair(limits, runtime, spare=True)


def wait_for_spare(limits: Limits | None = None, timeout: float = 60) -> bool:
    """Start a spare if needed and block until it is ready (benchmarks, worker start-up)."""
    limits = limits or Limits()
    prepare_spare(limits)
    spare = _spares.get((limits, str(check_available())))
    return spare is not None and spare.wait_ready(timeout)


def discard_spares() -> None:
    """Destroy every warm spare and zygote (at exit, or before counting sandbox processes)."""
    while _spares:
        _spares.popitem()[1].discard()
    stop_zygotes()


atexit.register(discard_spares)


def _end(proc: subprocess.Popen[bytes], *, pod: bool) -> None:
    """Kill a sandbox process and everything it started, and collect it."""
    if proc.poll() is None:
        if pod:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
        else:
            _kill_group(proc)
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=5)


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    """Kill a sandbox from the inside out, so that bwrap itself reaps what it started.

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
