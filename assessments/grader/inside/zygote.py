"""A fork server inside one sandbox: a pre-imported interpreter that forks a fresh child per job.

Started by the grading host as ``python -I zygote.py ROLE CONTROL_FD [MODULE ...]`` as PID 1 of
its sandbox. It imports the modules once, makes itself non-dumpable (so no child can read its
memory or descriptors through /proc) and then only obeys the host on its control socket:

- ``job`` (with a socket passed as SCM_RIGHTS and a working directory): fork a child that
  becomes a fresh ``learner_side`` or ``judge_side`` for that one job;
- ``interrupt``: SIGINT to the job's child (its cell or answer stops, if it lets it);
- ``reap``: kill every other process of the sandbox (``kill(-1)`` from PID 1 spares only
  itself), collect them, and wipe /tmp, /dev/shm and System V IPC, so nothing of one job is left
  for the next.

The zygote never runs learner or instructor code itself, and no child ever gets its control
socket.
"""

from __future__ import annotations

import array
import contextlib
import ctypes
import importlib
import json
import os
import resource
import shutil
import signal
import socket
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

PR_SET_DUMPABLE = 4
IPC_RMID = 0
SCRATCH = ("/tmp", "/dev/shm")  # noqa: S108 - the sandbox's own tmpfs mounts


def _libc() -> ctypes.CDLL:
    return ctypes.CDLL(None, use_errno=True)


def _vm_size() -> int:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0


def _recv(control: socket.socket) -> tuple[dict, list[int]]:
    fds = array.array("i")
    data, ancdata, _flags, _addr = control.recvmsg(65536, socket.CMSG_LEN(4 * fds.itemsize))
    if not data:
        raise EOFError
    for level, kind, payload in ancdata:
        if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
            fds.frombytes(payload[: len(payload) - (len(payload) % fds.itemsize)])
    return json.loads(data), list(fds)


def _reap_all() -> None:
    while True:
        try:
            pid, _status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def _kill_everything(timeout: float = 5.0) -> None:
    """Kill every other process of the sandbox and collect them all, zombies included.

    Repeated until PID 1 has no children left, so a process forked while the first kill(-1) ran
    is caught by the next one; orphans are re-parented to PID 1 and collected here too.
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(ProcessLookupError):
            os.kill(-1, signal.SIGKILL)
        try:
            pid, _status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            time.sleep(0.005)


def _wipe() -> None:
    for root in SCRATCH:
        if not os.path.isdir(root):
            continue
        for name in os.listdir(root):
            path = os.path.join(root, name)
            _force_remove(path)
    os.makedirs("/tmp/home", exist_ok=True)  # noqa: S108
    libc = _libc()
    for table, remove in (("shm", libc.shmctl), ("sem", libc.semctl), ("msg", libc.msgctl)):
        try:
            with open(f"/proc/sysvipc/{table}") as fh:
                rows = fh.read().splitlines()[1:]
        except OSError:
            continue
        for row in rows:
            ident = int(row.split()[1])
            if table == "sem":
                remove(ident, 0, IPC_RMID)
            else:
                remove(ident, IPC_RMID, None)


def _force_remove(path: str) -> None:
    def writable(func, target, _exc):  # noqa: ANN001, ANN202 - shutil's callback
        os.chmod(os.path.dirname(target) or "/", 0o700)
        os.chmod(target, 0o700)
        func(target)

    with contextlib.suppress(OSError):
        if os.path.isdir(path) and not os.path.islink(path):
            os.chmod(path, 0o700)
            shutil.rmtree(path, onerror=writable)
        else:
            os.unlink(path)


def _child(role: str, control: socket.socket, job_fd: int, workdir: str, memory: int) -> None:
    """The job's process: a fresh learner_side or judge_side on the passed socket."""
    control.close()
    for sig in (signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT, signal.SIGUSR1, signal.SIGUSR2):
        signal.signal(sig, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    os.chdir(workdir)
    if memory:
        limit = _vm_size() + memory
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard == resource.RLIM_INFINITY or limit < hard:
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    from channel import channel_from_fd, close_other_fds

    close_other_fds(job_fd)
    module = importlib.import_module(f"{role}_side")
    try:
        module.serve(channel_from_fd(job_fd), [])
    except BaseException:  # noqa: BLE001 - the host sees the channel close
        os._exit(1)
    os._exit(0)


def main() -> int:
    role, control_fd = sys.argv[1], int(sys.argv[2])
    if role not in ("learner", "judge") or os.getpid() != 1:
        return 2  # only as PID 1 of its own sandbox can kill(-1) spare everything but the zygote
    if _libc().prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0:
        return 3
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT, signal.SIGUSR1,
                signal.SIGUSR2, signal.SIGPIPE):  # fmt: skip
        signal.signal(sig, signal.SIG_IGN)
    control = socket.socket(fileno=control_fd)
    importlib.import_module(f"{role}_side")
    if role == "learner":
        importlib.import_module("IPython.core.interactiveshell")
    for name in sys.argv[3:]:
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001, S112 - a missing optional module is not an error
            continue
    control.sendall(json.dumps({"op": "ready"}).encode())
    child = 0
    while True:
        try:
            order, fds = _recv(control)
        except (EOFError, OSError, ValueError):
            break
        op = order.get("op")
        reply: dict = {"op": op}
        if op == "job" and len(fds) == 1:
            child = os.fork()
            if child == 0:
                _child(role, control, fds[0], str(order["dir"]), int(order.get("memory", 0)))
            os.close(fds[0])
            reply["pid"] = child
        elif op == "interrupt" and child:
            with contextlib.suppress(ProcessLookupError):
                os.kill(child, signal.SIGINT)
        elif op == "reap":
            _kill_everything()
            child = 0
            _wipe()
        for fd in fds if op != "job" else []:
            os.close(fd)
        _reap_all()
        control.sendall(json.dumps(reply).encode())
    _kill_everything()
    return 0


if __name__ == "__main__":
    sys.exit(main())
