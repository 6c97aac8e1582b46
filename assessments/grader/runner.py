"""Grading runner: runs INSIDE the sandbox, with the grading runtime's interpreter.

It reads one job from stdin (the assembled notebook and the test plan), starts a fresh IPython
kernel next to itself (same network namespace, so ZMQ over 127.0.0.1 works with the network
unshared), executes the cells in order and writes one signed JSON line per event to stdout.

Self-contained on purpose: only the standard library, nbclient and nbformat, because the Dasi
package is not visible inside the sandbox.

Defences against learner code, which runs in the kernel as the same user:
- the runner makes itself non-dumpable, so the kernel cannot read its memory or file descriptors
  through /proc (where the whole notebook, hidden tests included, lives);
- the job arrives on a pipe and is never written to disk;
- every result line carries an HMAC with a key only the runner knows, so text the kernel writes to
  an inherited descriptor is rejected by the host; the kernel gets /dev/null as stdout and stderr;
- a test cell counts as run only if it printed its per-cell tokens, which are random per run and
  reach the kernel only with that test cell;
- before each test cell, builtins, the standard streams, exception hooks, IPython's input and AST
  transformers, event callbacks and the modules the instructor's cells import are restored from a
  snapshot taken before any learner code ran;
- hidden tests run only after the last learner cell, so no learner code runs after hidden test
  code has entered the kernel (where it could be read back from memory or history).

Not defended (the price of tests and learner code sharing one kernel, as in nbgrader and otter):
learner code that rewrites the kernel's own message handling (for instance wrapping
``kernel.do_execute``, or a background thread answering for the kernel) sees each test cell's code,
token included, when it arrives and can forge a pass for it. Closing that needs tests executed
outside the learner's process; until then the instructor's copy of the executed notebook shows
such code plainly.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import ctypes
import hashlib
import hmac
import json
import os
import secrets
import subprocess
import sys
import time
from typing import Any

PR_SET_DUMPABLE = 4
READY = b"READY\n"
IDLE_BEFORE_PRELOAD_S = 1.0
TOKEN_PREFIX = "\x1bDASI"  # noqa: S105 - a marker, not a secret


def _make_non_dumpable() -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_DUMPABLE) failed")


class Emitter:
    """Writes HMAC-signed JSON lines to the host."""

    def __init__(self, key: bytes) -> None:
        self.key = key
        self.out = os.fdopen(os.dup(1), "w", encoding="utf-8", buffering=1)

    def emit(self, event: dict[str, Any]) -> None:
        body = json.dumps(event, ensure_ascii=True, separators=(",", ":"))
        tag = hmac.new(self.key, body.encode(), hashlib.sha256).hexdigest()
        self.out.write(f"{tag}\t{body}\n")
        self.out.flush()


SETUP_TEMPLATE = r"""
def {name}_make():
    import builtins, importlib, sys
    modules = {{}}
    for mod_name in {modules!r}:
        try:
            importlib.import_module(mod_name)
        except Exception:
            continue
    for mod_name in {modules!r}:
        mod = sys.modules.get(mod_name)
        if mod is not None:
            modules[mod_name] = (mod, dict(mod.__dict__))
    snap_builtins = dict(builtins.__dict__)
    streams = (sys.stdout, sys.stderr, sys.stdin, sys.excepthook, sys.displayhook)
    ip = get_ipython()
    snap_post = list(ip.input_transformers_post)
    snap_cleanup = list(ip.input_transformers_cleanup)
    snap_ast = list(ip.ast_transformers)
    snap_events = {{k: list(v) for k, v in ip.events.callbacks.items()}}
    exit_fns = {{}}
    import os as _os
    for fn in ("_exit", "kill", "abort", "fork"):
        if hasattr(_os, fn):
            exit_fns[fn] = getattr(_os, fn)

    def restore():
        bd = builtins.__dict__
        for key in [k for k in bd if k not in snap_builtins]:
            del bd[key]
        bd.update(snap_builtins)
        sys.modules["builtins"] = builtins
        (sys.stdout, sys.stderr, sys.stdin, sys.excepthook, sys.displayhook) = streams
        for mod_name, (mod, snap) in modules.items():
            sys.modules[mod_name] = mod
            md = mod.__dict__
            for key, value in snap.items():
                if md.get(key, value) is not value or key not in md:
                    md[key] = value
        for fn, value in exit_fns.items():
            setattr(_os, fn, value)
        ip.input_transformers_post[:] = snap_post
        ip.input_transformers_cleanup[:] = snap_cleanup
        ip.ast_transformers[:] = snap_ast
        ip.custom_exceptions = ()
        for event, callbacks in snap_events.items():
            ip.events.callbacks[event][:] = callbacks
    return restore

{name} = {name}_make()
del {name}_make
"""


def build_test_source(restore_name: str, tests: str, token: str) -> str:
    """The code sent for a test cell: restore the environment, run the tests, print the token."""
    mark = f"__import__('sys').stdout.write('\\n' + {TOKEN_PREFIX + token!r} + '\\n')"
    return "\n".join([f"{restore_name}()", tests, mark, "__import__('sys').stdout.flush()"])


def main() -> int:
    """Start the kernel (and preload modules) first, then wait for the job on stdin.

    argv: ``runner.py STARTUP_TIMEOUT [MODULE ...]``. A sandbox can thus be started ahead of
    time and kept warm; the job still runs in a kernel no other job has touched.
    """
    _make_non_dumpable()
    startup_timeout = int(sys.argv[1]) if len(sys.argv) > 1 else 60
    preload = sys.argv[2:]
    return asyncio.run(serve(startup_timeout, preload))


def _read_job() -> dict[str, Any]:
    job = json.loads(sys.stdin.buffer.read())
    os.close(0)
    return job


def _write_data_files(cwd: str, files: dict[str, str]) -> None:
    """Place the exercise's data files in the working directory, read-only."""
    root = os.path.realpath(cwd)
    for name, encoded in files.items():
        target = os.path.realpath(os.path.join(root, name))
        if not target.startswith(root + os.sep):
            raise ValueError(f"data file {name!r} is outside the working directory")
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "wb") as fh:
            fh.write(base64.b64decode(encoded))
        os.chmod(target, 0o444)


async def serve(startup_timeout: int, preload: list[str]) -> int:
    import nbformat

    client = _make_client(nbformat.v4.new_notebook(), startup_timeout)
    client.km = client.create_kernel_manager()
    started = time.monotonic()
    await client.async_start_new_kernel(
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=os.getcwd()
    )
    await client.async_start_new_kernel_client()
    ready = round(time.monotonic() - started, 3)
    pending = asyncio.get_running_loop().run_in_executor(None, _read_job)
    if preload:
        # Preload only on an idle worker: a job that is already waiting starts at once instead.
        try:
            await asyncio.wait_for(asyncio.shield(pending), IDLE_BEFORE_PRELOAD_S)
        except TimeoutError:
            await _preload(client, preload)
            ready = round(time.monotonic() - started, 3)
    os.write(1, READY)  # unsigned and before any job output: tells a waiting host it is ready
    job = await pending
    emitter = Emitter(bytes.fromhex(job.pop("key")))
    # Nothing else may reach the host's stdout: from here on, stray prints go to stderr.
    os.dup2(2, 1)
    emitter.emit({"e": "kernel", "seconds": ready})
    try:
        _write_data_files(os.getcwd(), job.get("data_files", {}))
        await run_job(client, job, emitter)
    except Exception as exc:  # noqa: BLE001 - reported to the host, which decides
        emitter.emit({"e": "crash", "error": f"{type(exc).__name__}: {exc}"[:500]})
        return 2
    finally:
        # The sandbox's PID namespace ends with the runner; a failed shutdown changes nothing.
        with contextlib.suppress(Exception):
            await client.km.shutdown_kernel(now=True)
    return 0


async def _preload(client: Any, modules: list[str]) -> None:
    """Import modules into the kernel before any job (no names are bound in the user namespace)."""
    import nbformat

    warm = nbformat.v4.new_code_cell(
        "def _dasi_preload():\n"
        "    import importlib\n"
        f"    for name in {modules!r}:\n"
        "        try:\n"
        "            importlib.import_module(name)\n"
        "        except Exception:\n"
        "            pass\n"
        "_dasi_preload()\n"
        "del _dasi_preload"
    )
    client.nb.cells.append(warm)
    await client.async_execute_cell(warm, 0, store_history=False)
    client.nb.cells.clear()


def _make_client(nb: Any, startup_timeout: int) -> Any:
    import nbformat
    from nbclient import NotebookClient

    class Client(NotebookClient):
        """nbclient with capped outputs and token detection."""

        current_tokens: dict[str, str] = {}
        seen: set[str] = set()
        cell_cap = 100_000
        total_cap = 2_000_000
        cell_bytes = 0
        total_bytes = 0
        truncated = False

        def output(self, outs, msg, display_id, cell_index):  # type: ignore[override]
            content = msg.get("content", {})
            if msg["msg_type"] == "stream":
                text = content.get("text", "")
                if TOKEN_PREFIX in text:
                    kept = []
                    for line in text.split("\n"):
                        before, found, after = line.partition(TOKEN_PREFIX)
                        if found:
                            for label, token in self.current_tokens.items():
                                if after.strip() == token:
                                    self.seen.add(label)
                            if before:
                                kept.append(before)
                            continue
                        kept.append(line)
                    text = "\n".join(kept)
                    content["text"] = text
                    if not text.strip():
                        return None
                size = len(text)
            else:
                size = len(json.dumps(content.get("data", content), default=str))
            self.cell_bytes += size
            self.total_bytes += size
            if self.cell_bytes > self.cell_cap or self.total_bytes > self.total_cap:
                if not self.truncated:
                    self.truncated = True
                    outs.append(
                        nbformat.v4.new_output(
                            "stream", name="stderr", text="[output truncated by the grader]\n"
                        )
                    )
                return None
            return super().output(outs, msg, display_id, cell_index)

    return Client(
        nb,
        timeout=60,
        startup_timeout=startup_timeout,
        kernel_name="python3",
        allow_errors=True,
        interrupt_on_timeout=False,
        record_timing=False,
        iopub_timeout=5,
        raise_on_iopub_timeout=False,
    )


async def run_job(client: Any, job: dict[str, Any], emitter: Emitter) -> None:
    import nbformat

    total_cap = int(job["output_cap_total"])
    tests = {int(t["index"]): t for t in job["tests"]}
    nb = nbformat.from_dict(job["notebook"])
    client.nb = nb
    client.timeout = int(job["cell_timeout"])
    client.cell_cap = int(job["output_cap_cell"])
    client.total_cap = total_cap
    restore_name = "_dasi_restore_" + secrets.token_hex(6)

    setup = nbformat.v4.new_code_cell(
        SETUP_TEMPLATE.format(name=restore_name, modules=list(job["test_modules"]))
    )
    if not nb.cells:
        return
    placed = nb.cells[-1]
    await client.async_execute_cell(setup, -1, store_history=False)
    nb.cells[-1] = placed
    if any(o.get("output_type") == "error" for o in setup.outputs):
        emitter.emit({"e": "crash", "error": "the grader's setup cell failed"})
        return

    # Phase 1: every cell in order; test cells run their visible tests only.
    # Phase 2: the hidden tests, after the last learner cell, so no learner code runs once hidden
    # test code has entered the kernel (where learner code could read it back from memory).
    stopped: str | None = None
    visible_ok: list[int] = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        test = tests.get(index)
        if stopped is not None:
            if test is not None:
                emitter.emit({"e": "cell", "index": index, "status": "not_run", "why": stopped})
            continue
        code = None
        if test is not None:
            code = test["visible"]
        status, error, marks = await _run(client, cell, index, code, restore_name, "v")
        if status in ("timeout_stuck", "dead"):
            stopped = "timeout" if status == "timeout_stuck" else "dead"
            status = "timeout" if status == "timeout_stuck" else status
        if test is None:
            if status in ("timeout", "dead"):
                emitter.emit({"e": "learner", "index": index, "status": status})
            elif error is not None:
                emitter.emit(
                    {
                        "e": "learner",
                        "index": index,
                        "status": "memory" if error.get("ename") == "MemoryError" else "error",
                        "ename": str(error.get("ename", ""))[:200],
                        "evalue": str(error.get("evalue", ""))[:300],
                    }
                )
            continue
        cell.source = test["original"]
        if status == "ok" and "v" in marks and test["hidden"].strip():
            visible_ok.append(index)
            continue
        if status == "ok" and "v" not in marks:
            status = "tampered"
        emitter.emit(_cell_event(index, status, error, "visible"))
    for index in visible_ok:
        test = tests[index]
        cell = nb.cells[index]
        if stopped is not None:
            emitter.emit({"e": "cell", "index": index, "status": "not_run", "why": stopped})
            continue
        hidden_cell = nbformat.v4.new_code_cell()
        code = test["hidden"]
        status, error, marks = await _run(client, hidden_cell, index, code, restore_name, "h")
        cell.outputs.extend(hidden_cell.outputs)
        if status in ("timeout_stuck", "dead"):
            stopped = "timeout" if status == "timeout_stuck" else "dead"
            status = "timeout" if status == "timeout_stuck" else status
        if status == "ok" and "h" not in marks:
            status = "tampered"
        event = _cell_event(index, status, None, "hidden")
        if error is not None:
            event["ename"] = str(error.get("ename", ""))[:200]
        emitter.emit(event)

    emitter.emit({"e": "output", "truncated": client.truncated})
    payload = nbformat.writes(nb)
    emitter.emit({"e": "notebook", "json": payload if len(payload) <= total_cap * 2 else None})
    # No graceful shutdown: the sandbox and everything in it is discarded anyway.


async def _run(
    client: Any, cell: Any, index: int, tests: str | None, restore_name: str, label: str
) -> tuple[str, dict[str, Any] | None, set[str]]:
    """Execute one cell; for a test cell, ``tests`` replaces its source for the run.

    Returns (status, first error output, labels whose token was printed). Status is ok, error,
    timeout (interrupted, kernel usable), timeout_stuck (kernel would not stop) or dead.
    """
    from nbclient.exceptions import CellTimeoutError, DeadKernelError

    client.current_tokens = {}
    client.seen = set()
    client.cell_bytes = 0
    original = cell.source
    if tests is not None:
        token = secrets.token_hex(16)
        client.current_tokens = {label: token}
        cell.source = build_test_source(restore_name, tests, token)
    status = "ok"
    placed = client.nb.cells[index]  # nbclient stores the executed cell back at ``index``
    try:
        await client.async_execute_cell(cell, index, store_history=tests is None)
    except CellTimeoutError:
        status = "timeout" if await _interrupt(client) else "timeout_stuck"
    except DeadKernelError:
        status = "dead"
    finally:
        cell.source = original
        client.nb.cells[index] = placed
    error = next((o for o in cell.outputs if o.get("output_type") == "error"), None)
    if status == "ok" and error is not None:
        status = "error"
    return status, error, set(client.seen)


def _cell_event(
    index: int, status: str, error: dict[str, Any] | None, phase: str
) -> dict[str, Any]:
    event: dict[str, Any] = {"e": "cell", "index": index, "status": status, "phase": phase}
    if error is not None:
        event["ename"] = str(error.get("ename", ""))[:200]
        event["evalue"] = str(error.get("evalue", ""))[:2000]
        event["traceback"] = [str(line)[:2000] for line in error.get("traceback", [])][-12:]
    return event


async def _interrupt(client: Any) -> bool:
    """Interrupt a cell that ran out of time; True if the kernel answered within a few seconds."""
    try:
        await client.km.interrupt_kernel()
    except Exception:  # noqa: BLE001
        return False
    deadline = time.monotonic() + 3
    while time.monotonic() < deadline:
        try:
            msg = await client.kc.shell_channel.get_msg(
                timeout=max(0.1, deadline - time.monotonic())
            )
        except Exception:  # noqa: BLE001 - queue.Empty or a closed channel
            return False
        if msg.get("msg_type") == "execute_reply":
            await asyncio.sleep(0.2)
            return True
    return False


if __name__ == "__main__":
    sys.exit(main())
