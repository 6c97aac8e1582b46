"""The learner sandbox: runs the notebook's cells and answers questions about its values.

Started by the grading host as ``python -I learner_side.py FD [MODULE ...]`` in its own sandbox.
It never receives test code, expected values or a key: only cells to run (the learner's and the
instructor's setup cells) and questions from the tests ("give me ``mean``", "call it with
``[1, 2, 3]``"), whose answers are data. Everything here can be changed by learner code, so the
host and the judge treat every answer as untrusted.
"""

from __future__ import annotations

import builtins
import importlib
import os
import signal
import sys
import threading
import traceback
from typing import Any

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from channel import Channel, ChannelClosed, channel_from_fd, close_other_fds  # noqa: E402
from codec import CodecError, Decoder, Encoder  # noqa: E402

MAX_REFS = 200_000
MAX_LIST = 1_000_000
STREAM_CAP = 200_000


class Outputs:
    """The current cell's outputs, capped."""

    def __init__(self) -> None:
        self.items: list[dict[str, Any]] = []
        self.size = 0
        self.truncated = False

    def add(self, output: dict[str, Any], size: int) -> None:
        self.size += size
        if self.size > STREAM_CAP * 10:
            self.truncated = True
            return
        self.items.append(output)

    def stream(self, name: str, text: str) -> None:
        if not text:
            return
        if self.items and self.items[-1].get("name") == name:
            last = self.items[-1]
            if len(last["text"]) < STREAM_CAP:
                last["text"] += text[: STREAM_CAP - len(last["text"])]
            else:
                self.truncated = True
            self.size += len(text)
            return
        self.add({"output_type": "stream", "name": name, "text": text[:STREAM_CAP]}, len(text))


OUT = Outputs()


class Stream:
    """sys.stdout / sys.stderr while cells run."""

    encoding = "utf-8"
    errors = "replace"

    def __init__(self, name: str) -> None:
        self.name = name

    def write(self, text: Any) -> int:
        text = str(text)
        OUT.stream(self.name, text)
        return len(text)

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        return None

    def isatty(self) -> bool:
        return False

    def fileno(self) -> int:
        return 1 if self.name == "stdout" else 2


def make_shell() -> Any:
    from IPython.core.displayhook import DisplayHook
    from IPython.core.displaypub import DisplayPublisher
    from IPython.core.interactiveshell import InteractiveShell

    class Hook(DisplayHook):
        def start_displayhook(self) -> None:
            return None

        def write_output_prompt(self) -> None:
            return None

        def write_format_data(self, format_dict: Any, md_dict: Any = None) -> None:
            data = {str(k): v for k, v in dict(format_dict).items()}
            OUT.add(
                {
                    "output_type": "execute_result",
                    "execution_count": self.prompt_count,
                    "data": data,
                    "metadata": {},
                },
                sum(len(str(v)) for v in data.values()),
            )

        def finish_displayhook(self) -> None:
            return None

    class Publisher(DisplayPublisher):
        def publish(self, data: Any, metadata: Any = None, *args: Any, **kwargs: Any) -> None:
            data = {str(k): v for k, v in dict(data).items()}
            OUT.add(
                {"output_type": "display_data", "data": data, "metadata": {}},
                sum(len(str(v)) for v in data.values()),
            )

        def clear_output(self, wait: bool = False) -> None:
            return None  # outputs are a record: a cell cannot erase what it printed

    class Shell(InteractiveShell):
        def _showtraceback(self, etype: Any, evalue: Any, stb: Any) -> None:
            OUT.add(
                {
                    "output_type": "error",
                    "ename": str(getattr(etype, "__name__", "Error")),
                    "evalue": _safe_str(evalue),
                    "traceback": [str(line) for line in stb][-20:],
                },
                sum(len(str(line)) for line in stb),
            )

        def system(self, cmd: Any) -> None:
            print("[shell commands do not run in the grader]", file=sys.stderr)

        def enable_gui(self, gui: Any = None) -> None:
            return None

    shell = Shell.instance(
        displayhook_class=Hook, display_pub_class=Publisher, colors="nocolor", history_length=0
    )
    shell.history_manager.enabled = False
    return shell


def _safe_str(value: Any) -> str:
    try:
        return str(value)[:2000]
    except BaseException:  # noqa: BLE001 - a raising __str__ is the learner's problem
        return "(the error message could not be shown)"


class Learner:
    def __init__(self, channel: Channel, shell: Any) -> None:
        self.channel = channel
        self.shell = shell
        self.refs: dict[int, Any] = {}
        self.ids: dict[int, int] = {}
        self.learner_bound: set[str] = set()
        self.snapshot = self._hooks()

    # -- values -----------------------------------------------------------------------------

    def _ref(self, value: Any) -> dict[str, Any]:
        key = self.ids.get(id(value))
        if key is None or self.refs.get(key) is not value:
            if len(self.refs) >= MAX_REFS:
                raise CodecError("too many objects were passed to the tests")
            key = len(self.refs) + 1
            self.refs[key] = value
            self.ids[id(value)] = key
        kind = type(value)
        return {"$": "ref", "id": key, "type": f"{kind.__module__}.{kind.__qualname__}"}

    def _from_ref(self, data: dict[str, Any]) -> Any:
        key = data.get("id")
        if type(key) is not int or key not in self.refs:
            raise CodecError("unknown reference")
        return self.refs[key]

    def encode(self, value: Any) -> Any:
        try:
            return Encoder(self._ref).encode(value)
        except CodecError:
            return self._ref(value)

    def decode(self, data: Any) -> Any:
        return Decoder(self._from_ref).decode(data)

    # -- cells ------------------------------------------------------------------------------

    def _hooks(self) -> dict[str, Any]:
        shell = self.shell
        return {
            "input transformers": (
                list(shell.input_transformers_cleanup) + list(shell.input_transformers_post)
            ),
            "AST transformers": list(shell.ast_transformers),
            "exception handler": shell.custom_exceptions,
            "trace hook": sys.gettrace(),
            "profile hook": sys.getprofile(),
            "builtins": dict(builtins.__dict__),
            "threads": threading.active_count(),
        }

    def interference(self) -> list[str]:
        now = self._hooks()
        found = []
        for name, before in self.snapshot.items():
            after = now[name]
            if name == "builtins":
                changed = after.keys() != before.keys() or any(
                    after[k] is not v for k, v in before.items()
                )
            elif name == "threads":
                changed = after > before
            elif isinstance(before, list):
                changed = len(after) != len(before) or any(
                    a is not b for a, b in zip(after, before, strict=False)
                )
            else:
                changed = after is not before and after != before
            if changed:
                found.append(name)
        return found

    def run_cell(self, code: str, learner: bool) -> dict[str, Any]:
        global OUT
        OUT = Outputs()
        ns = self.shell.user_ns
        before = {k: id(v) for k, v in ns.items()}
        with Capture():
            try:
                result = self.shell.run_cell(code, store_history=True)
            except KeyboardInterrupt:
                result = None
                OUT.add(
                    {"output_type": "error", "ename": "KeyboardInterrupt", "evalue": "",
                     "traceback": ["KeyboardInterrupt"]},
                    20,
                )  # fmt: skip
        reply: dict[str, Any] = {"outputs": OUT.items, "truncated": OUT.truncated}
        error = next((o for o in OUT.items if o["output_type"] == "error"), None)
        if error is not None or result is None or not result.success:
            reply["status"] = "error"
            if error is not None:
                reply["ename"] = error["ename"]
                reply["evalue"] = error["evalue"]
        else:
            reply["status"] = "ok"
        if learner:
            changed = {k for k, v in ns.items() if before.get(k) != id(v)}
            changed |= {k for k in before if k not in ns}
            self.learner_bound |= {k for k in changed if not k.startswith("_")}
            reply["interfered"] = self.interference()
        return reply

    # -- questions from the tests -----------------------------------------------------------

    def answer(self, q: dict[str, Any]) -> dict[str, Any]:
        global OUT
        OUT = Outputs()
        with Capture():
            try:
                value = self._answer(q)
            except CodecError as exc:
                return {"raise": {"type": "TypeError", "builtin": "TypeError",
                                  "message": str(exc)}}  # fmt: skip
            except KeyboardInterrupt:
                return {"stopped": "timeout"}
            except BaseException as exc:  # noqa: BLE001 - every learner error is an answer
                return {"raise": _describe(exc), "stdout": _printed()}
        if q.get("q") == "names":
            return {"values": value, "stdout": _printed()}
        return {"value": value, "stdout": _printed()}

    def _answer(self, q: dict[str, Any]) -> Any:
        kind = q.get("q")
        if kind == "names":
            ns = self.shell.user_ns
            out = {}
            for name in q.get("names") or []:
                if type(name) is str and name in ns and name in self.learner_bound:
                    out[name] = self.encode(ns[name])
            return out
        if kind == "bind":
            values = q.get("values") or {}
            for name, data in values.items():
                try:
                    self.shell.user_ns[name] = self.decode(data)
                except CodecError:
                    continue
                self.learner_bound.discard(name)
            return None
        target = self._from_ref({"id": q.get("ref")})
        if kind == "getattr":
            return self.encode(getattr(target, str(q.get("name"))))
        if kind == "setattr":
            setattr(target, str(q.get("name")), self.decode(q.get("value")))
            return None
        if kind == "call":
            args = self.decode(q.get("args") or [])
            kwargs = self.decode(q.get("kwargs") or {"$": "dict", "items": []})
            return self.encode(target(*args, **{str(k): v for k, v in kwargs.items()}))
        if kind == "getitem":
            return self.encode(target[self.decode(q.get("key"))])
        if kind == "setitem":
            target[self.decode(q.get("key"))] = self.decode(q.get("value"))
            return None
        if kind == "len":
            return int(len(target))
        if kind == "list":
            items = []
            for item in target:
                items.append(self.encode(item))
                if len(items) > MAX_LIST:
                    raise CodecError("too many items to pass to the tests")
            return items
        if kind in ("repr", "str"):
            return str((repr if kind == "repr" else str)(target))[:100_000]
        raise CodecError(f"unknown question {kind!r}")


def _printed() -> str:
    return "".join(o.get("text", "") for o in OUT.items if o["output_type"] == "stream")[:20_000]


def _describe(exc: BaseException) -> dict[str, Any]:
    """A learner exception as data: its own name, its message and its nearest builtin base."""
    builtin = "Exception"
    for cls in type(exc).__mro__:
        if getattr(builtins, cls.__name__, None) is cls and issubclass(cls, BaseException):
            builtin = cls.__name__
            break
    return {"type": type(exc).__name__, "builtin": builtin, "message": _safe_str(exc)}


class Capture:
    """Route print() and friends into the current cell's outputs."""

    def __enter__(self) -> None:
        self.saved = (sys.stdout, sys.stderr)
        sys.stdout, sys.stderr = Stream("stdout"), Stream("stderr")

    def __exit__(self, *exc: Any) -> None:
        sys.stdout, sys.stderr = self.saved


def preload(modules: list[str]) -> None:
    for name in modules:
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001, S112 - a missing optional module is not an error
            continue


def serve(channel: Channel, modules: list[str]) -> None:
    preload(modules)
    shell = make_shell()
    learner = Learner(channel, shell)
    channel.send({"op": "ready", "pid": os.getpid()})
    while True:
        try:
            frame = channel.recv()
        except KeyboardInterrupt:
            continue  # an interrupt that arrived between two cells
        except ChannelClosed:
            return
        op = frame.get("op")
        seq = frame.get("seq")
        try:
            if op == "cell":
                reply = learner.run_cell(str(frame.get("code", "")), bool(frame.get("learner")))
            elif op == "q":
                reply = learner.answer(frame.get("q") or {})
            elif op == "end":
                return
            else:
                continue
            reply["seq"] = seq
            try:
                channel.send(reply)
            except (ValueError, TypeError):
                channel.send({"seq": seq, "status": "error", "ename": "TypeError",
                              "evalue": "the result could not be passed to the tests",
                              "raise": {"type": "TypeError", "builtin": "TypeError",
                                        "message": "the result could not be passed to the tests"},
                              "outputs": []})  # fmt: skip
        except KeyboardInterrupt:
            channel.send({"seq": seq, "stopped": "timeout", "status": "error",
                          "ename": "KeyboardInterrupt", "evalue": "", "outputs": []})  # fmt: skip
        except ChannelClosed:
            return


def main() -> int:
    fd = int(sys.argv[1])
    close_other_fds(fd)
    channel = channel_from_fd(fd)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        serve(channel, sys.argv[2:])
    except ChannelClosed:
        pass
    except Exception:  # noqa: BLE001 - reported on stderr; the host sees the channel close
        traceback.print_exc()
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
