"""One grading run: the host drives the learner and judge sandboxes through the notebook.

The order is the notebook's. An instructor cell (not an answer, not a test) runs in both
sandboxes, so each has the imports and data the exercise sets up. An answer cell runs in the
learner sandbox only. A test cell runs in the judge sandbox only: its visible tests at the cell's
place, its hidden tests after the last cell (so no learner code runs after a hidden test has asked
the learner's functions anything). While a test runs, every question the judge asks about a
learner name is relayed by the host to the learner sandbox with the cell's deadline: past it the
learner's Python is interrupted, three seconds later killed.

The learner sandbox is untrusted: its answers are size-capped JSON, checked against the question
they answer, and only ever data for the judge to decide on. The host writes the events
``grade.score`` turns into results.
"""

from __future__ import annotations

import contextlib
import copy
import json
import os
import select
import time
from pathlib import Path
from typing import Any

import nbformat

from .inside.channel import ChannelClosed, ChannelError
from .sandbox import (
    JUDGE,
    LEARNER,
    Box,
    Limits,
    Pair,
    RunOutcome,
    check_available,
    prepare_spare,
    safe_relative,
    take_pair,
    warm_pool_enabled,
)

INTERRUPT_GRACE_S = 3.0
SCRATCH_POLL_S = 0.25
MAX_FILES = 20_000
TRUNCATED = "[output truncated by the grader]\n"
KEPT_MIME = ("text/plain", "image/png", "image/jpeg")
"""Rich outputs kept in the executed notebook; HTML and scripts from learner code are dropped."""


class Stop(Exception):
    """The whole run is over (total time used up)."""


def run_in_sandbox(
    job: dict[str, Any],
    *,
    data_files: dict[str, bytes] | None = None,
    limits: Limits | None = None,
    runtime: Path | None = None,
) -> RunOutcome:
    """Run ``job`` in a pair of sandboxes no other job has used, and return the host's events.

    With the warm pool on, a spare pair is started for the next call once this one is done.
    """
    limits = limits or Limits()
    runtime = check_available(runtime)
    for name in data_files or {}:
        safe_relative(name)
    pair = take_pair(limits, runtime)
    try:
        pair.place_data_files(data_files or {})
        return Session(pair, job, limits).run()
    finally:
        pair.discard()
        if warm_pool_enabled():
            prepare_spare(limits, runtime)


class Session:
    def __init__(self, pair: Pair, job: dict[str, Any], limits: Limits) -> None:
        self.pair = pair
        self.job = job
        self.limits = limits
        self.outcome = RunOutcome()
        self.started = time.monotonic()
        self.total_deadline = self.started + limits.total_timeout_s
        self.seq = 0
        self.down: dict[str, str] = {}
        self.outputs: dict[int, list[dict[str, Any]]] = {}
        self.counts: dict[int, int] = {}
        self.cell_bytes: dict[int, int] = {}
        self.total_bytes = 0
        self.truncated = False
        self.scratch_checked = 0.0
        self.current = -1

    # -- events ------------------------------------------------------------------------------

    def emit(self, event: dict[str, Any]) -> None:
        self.outcome.events.append(event)

    def run(self) -> RunOutcome:
        try:
            if not self.pair.wait_ready(self.limits.startup_timeout_s):
                self.emit({"e": "crash", "error": "the grading sandboxes did not start"})
            else:
                self._run_cells()
        except Stop:
            self.outcome.wall_timeout = True
        self.emit({"e": "output", "truncated": self.truncated})
        self.emit({"e": "notebook", "json": self._executed_notebook()})
        self.outcome.duration_s = time.monotonic() - self.started
        self.outcome.stderr_tail = self.pair.judge.stderr_tail()
        return self.outcome

    def _run_cells(self) -> None:
        tests = {int(t["index"]): t for t in self.job["tests"]}
        hidden: list[int] = []
        for cell in self.job["cells"]:
            index, kind, code = cell["index"], cell["kind"], cell["code"]
            self.current = index
            if kind == "test":
                test = tests[index]
                if self._not_run(index):
                    continue
                verdict = self._test(index, test["visible"], "visible", export=True)
                if verdict.get("status") == "ok" and test["hidden"].strip():
                    hidden.append(index)
                    continue
                self.emit(self._cell_event(index, verdict, "visible"))
            elif kind == "instructor":
                # Both sandboxes run the cell at once (imports are the slow part); a question the
                # judge asks meanwhile waits in its socket until the learner sandbox is free.
                sent = JUDGE not in self.down and self._send_judge({"op": "setup", "code": code})
                if LEARNER not in self.down:
                    self._learner_cell(index, code, learner=False)
                if sent:
                    self._judge_setup(index, self._wait_judge(index))
            elif LEARNER not in self.down:
                self._learner_cell(index, code, learner=True)
        for index in hidden:
            self.current = index
            if self._not_run(index):
                continue
            verdict = self._test(index, tests[index]["hidden"], "hidden", export=False)
            event = self._cell_event(index, verdict, "hidden")
            event.pop("evalue", None)
            event.pop("at", None)
            self.emit(event)
        for box in (self.pair.learner, self.pair.judge):
            if box.role not in self.down:
                with contextlib.suppress(ChannelClosed, ChannelError):
                    box.channel.send({"op": "end"})

    def _not_run(self, index: int) -> bool:
        why = self.down.get(LEARNER) or self.down.get(JUDGE)
        if why is None:
            return False
        self.emit({"e": "cell", "index": index, "status": "not_run", "why": why})
        return True

    # -- the learner sandbox -----------------------------------------------------------------

    def _to_learner(self, frame: dict[str, Any], deadline: float) -> dict[str, Any]:
        """Send ``frame`` and wait for its answer; ``{"stopped": why}`` when there is none."""
        box = self.pair.learner
        if LEARNER in self.down:
            return {"stopped": self.down[LEARNER]}
        self.seq += 1
        frame = {**frame, "seq": self.seq}
        try:
            box.channel.send(frame)
        except (ChannelClosed, ChannelError):
            return self._learner_down("dead")
        interrupted: float | None = None
        while True:
            now = time.monotonic()
            if now >= self.total_deadline:
                self._learner_down("timeout")
                raise Stop
            limit = deadline if interrupted is None else interrupted + INTERRUPT_GRACE_S
            if now >= limit:
                if interrupted is None:
                    box.interrupt()
                    interrupted = now
                    continue
                return self._learner_down("timeout")
            wait = min(limit, self.total_deadline) - now
            readable, _w, _x = select.select([box.channel], [], [], min(wait, SCRATCH_POLL_S))
            self._check_scratch()
            if not readable:
                if not box.alive():
                    return self._learner_down("dead")
                continue
            try:
                box.channel.feed()
            except ChannelClosed:
                return self._learner_down("dead")
            except ChannelError:
                self.outcome.rejected_lines += 1
            while box.channel.pending():
                try:
                    answer = box.channel.next_frame()
                except ChannelError:
                    self.outcome.rejected_lines += 1
                    continue
                if answer.get("seq") != self.seq:
                    self.outcome.rejected_lines += 1
                    continue
                if interrupted is not None:
                    answer["timed_out"] = True
                return answer

    def _learner_down(self, why: str) -> dict[str, Any]:
        self.down.setdefault(LEARNER, why)
        self.pair.learner.kill()
        return {"stopped": why, "killed": True}

    def _check_scratch(self) -> None:
        now = time.monotonic()
        if now - self.scratch_checked < SCRATCH_POLL_S:
            return
        self.scratch_checked = now
        if _folder_size(self.pair.work, self.limits.scratch_bytes) > self.limits.scratch_bytes:
            # Past the size, or past MAX_FILES files (a flood of empty files costs inodes).
            self.emit({"e": "learner", "index": self.current, "status": "scratch"})
            self._learner_down("scratch")

    def _learner_cell(self, index: int, code: str, *, learner: bool) -> None:
        deadline = time.monotonic() + self.limits.cell_timeout_s
        reply = self._to_learner({"op": "cell", "code": code, "learner": learner}, deadline)
        self._add_outputs(index, reply.get("outputs"), reply.get("truncated"))
        self.counts[index] = len(self.counts) + 1
        stopped = reply.get("stopped")
        if stopped or reply.get("timed_out"):
            status = "timeout" if (reply.get("timed_out") or stopped == "timeout") else "dead"
            if stopped != "scratch":
                self.emit({"e": "learner", "index": index, "status": status})
            return
        if learner and reply.get("interfered"):
            what = [str(w)[:80] for w in reply["interfered"] if isinstance(w, str)][:8]
            self.emit({"e": "interfered", "index": index, "what": what})
        if reply.get("status") == "error":
            ename = str(reply.get("ename", ""))[:200]
            self.emit(
                {
                    "e": "learner",
                    "index": index,
                    "status": "memory" if ename == "MemoryError" else "error",
                    "ename": ename,
                    "evalue": str(reply.get("evalue", ""))[:300],
                }
            )

    # -- the judge sandbox -------------------------------------------------------------------

    def _judge_setup(self, index: int, verdict: dict[str, Any]) -> None:
        if verdict.get("status") == "error":
            self.emit(
                {
                    "e": "setup",
                    "index": index,
                    "ename": str(verdict.get("ename", ""))[:200],
                    "evalue": str(verdict.get("evalue", ""))[:300],
                }
            )

    def _test(self, index: int, code: str, phase: str, *, export: bool) -> dict[str, Any]:
        frame = {"op": "test", "code": code, "phase": phase, "export": export}
        verdict = self._to_judge(frame, index)
        stdout = verdict.get("stdout")
        if isinstance(stdout, str) and stdout:
            self._add_outputs(index, [{"output_type": "stream", "name": "stdout", "text": stdout}])
        if verdict.get("status") == "error" and phase == "visible":
            text = f"{verdict.get('ename', 'Error')}: {verdict.get('evalue', '')}"
            self._add_outputs(index, [{"output_type": "stream", "name": "stderr", "text": text}])
        exports = verdict.pop("exports", None)
        if exports and LEARNER not in self.down:
            deadline = time.monotonic() + self.limits.cell_timeout_s
            self._to_learner({"op": "q", "q": {"q": "bind", "values": exports}}, deadline)
        return verdict

    def _to_judge(self, frame: dict[str, Any], index: int) -> dict[str, Any]:
        """Run one piece of instructor code in the judge, relaying its questions."""
        if not self._send_judge(frame):
            return {"status": "stopped", "why": self.down.get(JUDGE, "judge")}
        return self._wait_judge(index)

    def _send_judge(self, frame: dict[str, Any]) -> bool:
        if JUDGE in self.down:
            return False
        try:
            self.pair.judge.channel.send(frame)
        except (ChannelClosed, ChannelError):
            self._judge_down("judge")
            return False
        return True

    def _wait_judge(self, index: int) -> dict[str, Any]:
        """The judge's verdict on what it was sent, relaying its questions meanwhile."""
        box = self.pair.judge
        if JUDGE in self.down:
            return {"status": "stopped", "why": self.down[JUDGE]}
        deadline = time.monotonic() + self.limits.cell_timeout_s
        try:
            while True:
                now = time.monotonic()
                if now >= self.total_deadline:
                    raise Stop
                if now >= deadline:
                    return self._judge_down("timeout")
                wait = min(deadline, self.total_deadline) - now
                readable, _w, _x = select.select([box.channel], [], [], min(wait, SCRATCH_POLL_S))
                self._check_scratch()
                if not readable:
                    if not box.alive():
                        return self._judge_down("judge")
                    continue
                box.channel.feed()
                while box.channel.pending():
                    message = box.channel.next_frame()
                    if message.get("op") == "verdict":
                        return message
                    if message.get("op") == "ask":
                        box.channel.send({"op": "a", **self._question(message, deadline, index)})
        except (ChannelClosed, ChannelError):
            return self._judge_down("judge")

    def _judge_down(self, why: str) -> dict[str, Any]:
        self.down.setdefault(JUDGE, why)
        self.pair.judge.kill()
        return {"status": "stopped", "why": why}

    def _question(self, message: dict[str, Any], deadline: float, index: int) -> dict[str, Any]:
        """Relay one question to the learner sandbox; only the fields of an answer come back."""
        question = message.get("q")
        if type(question) is not dict:
            return {"stopped": "judge"}
        answer = self._to_learner({"op": "q", "q": question}, deadline)
        if answer.get("timed_out"):
            return {"stopped": "timeout"}
        if answer.get("stopped"):
            why = answer["stopped"]
            return {"stopped": why if why in ("timeout", "scratch") else "dead"}
        stdout = answer.get("stdout")
        if isinstance(stdout, str) and stdout:
            self._add_outputs(index, [{"output_type": "stream", "name": "stdout", "text": stdout}])
        kept = {k: answer[k] for k in ("value", "values", "raise") if k in answer}
        if not kept:
            return {"value": None}
        return kept

    @staticmethod
    def _cell_event(index: int, verdict: dict[str, Any], phase: str) -> dict[str, Any]:
        status = verdict.get("status")
        event: dict[str, Any] = {"e": "cell", "index": index, "phase": phase}
        if status == "ok":
            event["status"] = "ok"
        elif status == "stopped":
            why = verdict.get("why")
            event["status"] = {"timeout": "timeout", "judge": "judge"}.get(why, "dead")
        else:
            event["status"] = "error"
            event["ename"] = str(verdict.get("ename", "Error"))[:200]
            event["evalue"] = str(verdict.get("evalue", ""))[:2000]
            event["learner"] = verdict.get("learner") is True
            at = verdict.get("at")
            event["at"] = [str(line)[:500] for line in at][-3:] if isinstance(at, list) else []
        return event

    # -- outputs and the executed notebook ---------------------------------------------------

    def _add_outputs(self, index: int, outputs: Any, truncated: Any = False) -> None:
        if truncated:
            self.truncated = True
        if not isinstance(outputs, list):
            return
        kept = self.outputs.setdefault(index, [])
        for raw in outputs[:1000]:
            output = _clean_output(raw)
            if output is None:
                continue
            size = len(json.dumps(output, ensure_ascii=False))
            used = self.cell_bytes.get(index, 0)
            if (
                used + size > self.limits.output_bytes_cell
                or self.total_bytes + size > self.limits.output_bytes_total
            ):
                if not self.truncated or not kept or kept[-1].get("text") != TRUNCATED:
                    kept.append({"output_type": "stream", "name": "stderr", "text": TRUNCATED})
                self.truncated = True
                break
            self.cell_bytes[index] = used + size
            self.total_bytes += size
            kept.append(output)

    def _executed_notebook(self) -> str | None:
        nb = nbformat.from_dict(copy.deepcopy(self.job["notebook"]))
        for index, cell in enumerate(nb.cells):
            if cell.cell_type != "code":
                continue
            cell.outputs = [nbformat.from_dict(o) for o in self.outputs.get(index, [])]
            cell.execution_count = self.counts.get(index)
        payload = nbformat.writes(nb)
        return payload if len(payload) <= self.limits.output_bytes_total * 2 else None


def _clean_output(raw: Any) -> dict[str, Any] | None:
    """An output from a sandbox as a valid nbformat output, or None."""
    if type(raw) is not dict:
        return None
    kind = raw.get("output_type")
    if kind == "stream":
        name = "stderr" if raw.get("name") == "stderr" else "stdout"
        text = raw.get("text")
        return {"output_type": "stream", "name": name, "text": str(text)} if text else None
    if kind in ("execute_result", "display_data"):
        data = raw.get("data")
        if type(data) is not dict:
            return None
        kept = {m: data[m] for m in KEPT_MIME if isinstance(data.get(m), str)}
        if not kept:
            return None
        output: dict[str, Any] = {"output_type": kind, "data": kept, "metadata": {}}
        if kind == "execute_result":
            count = raw.get("execution_count")
            output["execution_count"] = count if type(count) is int else None
        return output
    if kind == "error":
        traceback = raw.get("traceback")
        lines = [str(line) for line in traceback][:50] if isinstance(traceback, list) else []
        return {
            "output_type": "error",
            "ename": str(raw.get("ename", "Error"))[:200],
            "evalue": str(raw.get("evalue", ""))[:2000],
            "traceback": lines,
        }
    return None


def _folder_size(root: Path, cap: int) -> int:
    """Bytes under ``root`` (stops counting past ``cap``); symlinks are not followed."""
    total = 0
    stack = [str(root)]
    seen = 0
    while stack and total <= cap:
        if seen > MAX_FILES:
            return cap + 1
        try:
            entries = list(os.scandir(stack.pop()))
        except OSError:
            continue
        for entry in entries:
            seen += 1
            try:
                if entry.is_dir(follow_symlinks=False):
                    stack.append(entry.path)
                else:
                    total += entry.stat(follow_symlinks=False).st_blocks * 512
            except OSError:
                continue
    return total


__all__ = ["Box", "Session", "run_in_sandbox"]
