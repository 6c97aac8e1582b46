"""The judge sandbox: runs the instructor's setup and test code and decides every verdict.

Started by the grading host as ``python -I judge_side.py FD [MODULE ...]`` in a sandbox of its
own (another user and PID namespace than the learner's). No learner code ever runs in this
process. The tests see the learner's names as data decoded by the judge's own numpy, pandas and
scikit-learn (``codec``), or, for anything else, as a ``Remote``: a stand-in that can only ask the
learner sandbox (through the host) for attributes, calls, items, length, iteration and text.
Equality, truth and ordering of a ``Remote`` are never delegated to learner code, so an object
with a lying ``__eq__`` or ``__bool__`` cannot make an assertion pass.
"""

from __future__ import annotations

import ast
import builtins
import contextlib
import ctypes
import io
import os
import sys
import traceback
from typing import Any

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from channel import Channel, ChannelClosed, channel_from_fd, close_other_fds  # noqa: E402
from codec import CodecError, Decoder, Encoder  # noqa: E402

PR_SET_DUMPABLE = 4
TEST_FILE = "<test cell>"
SETUP_FILE = "<instructor cell>"
BUILTIN_NAMES = frozenset(dir(builtins))
REBUILT_EXCEPTIONS = (
    ArithmeticError, AssertionError, AttributeError, FileNotFoundError, ImportError, IndexError,
    KeyError, LookupError, MemoryError, ModuleNotFoundError, NameError, NotImplementedError,
    OSError, OverflowError, PermissionError, RecursionError, RuntimeError, TypeError,
    UnicodeError, ValueError, ZeroDivisionError,
)  # fmt: skip
"""Learner exceptions the tests may catch as themselves. The ones that steer control flow
(StopIteration ends a ``map`` or ``all()`` early, GeneratorExit, SystemExit, KeyboardInterrupt)
and every other class arrive as ``LearnerError``, so they can only make a test fail."""


class LearnerStopped(BaseException):
    """The learner's Python ran out of time or stopped: the test cannot go on.

    A ``BaseException`` so that a test's own ``except Exception`` cannot swallow it.
    """

    def __init__(self, why: str) -> None:
        super().__init__(why)
        self.why = why


class LearnerError(Exception):
    """An exception from learner code that has no builtin equivalent."""


class Judge:
    def __init__(self, channel: Channel) -> None:
        self.channel = channel
        self.ns: dict[str, Any] = {"__name__": "__main__", "__builtins__": builtins}
        self.ns["get_ipython"] = lambda: _NO_IPYTHON
        self.instructor: set[str] = {"__name__", "__builtins__", "get_ipython"}
        self.from_learner: dict[str, Any] = {}
        self.stdout = io.StringIO()

    # -- the learner, through the host ------------------------------------------------------

    def ask(self, q: dict[str, Any]) -> Any:
        self.channel.send({"op": "ask", "q": q})
        answer = self.channel.recv()
        if answer.get("stopped"):
            raise LearnerStopped(str(answer["stopped"]))
        if "raise" in answer:
            raise _rebuild(answer["raise"])
        if q["q"] == "names":
            values = answer.get("values")
            if type(values) is not dict:
                raise LearnerError("the notebook's answer could not be read")
            return {k: self.decode(v) for k, v in values.items() if type(k) is str}
        return answer.get("value")

    def decode(self, data: Any) -> Any:
        try:
            return Decoder(lambda ref: Remote(self, ref)).decode(data)
        except CodecError as exc:
            raise LearnerError(f"a value from the notebook could not be read: {exc}") from None

    def encode(self, value: Any) -> Any:
        return Encoder(self._ref_of, own=Remote).encode(value)

    @staticmethod
    def _ref_of(value: Any) -> dict[str, Any]:
        if type(value) is Remote:
            return {"$": "ref", "id": object.__getattribute__(value, "_id")}
        raise CodecError(f"a {type(value).__name__} cannot be passed to the notebook's code")

    # -- running instructor code ------------------------------------------------------------

    def _statements(self, code: str, filename: str) -> list[Any]:
        try:
            tree = ast.parse(code, filename)
        except SyntaxError:
            tree = ast.parse(_transform_magics(code), filename)
        return [ast.Module(body=[node], type_ignores=[]) for node in tree.body]

    def _bind_learner_names(self, statement: ast.Module) -> dict[str, Any]:
        wanted = sorted(
            {
                node.id
                for node in ast.walk(statement)
                if isinstance(node, ast.Name)
                and node.id not in self.instructor
                and node.id not in BUILTIN_NAMES
            }
        )
        if not wanted:
            return {}
        values = self.ask({"q": "names", "names": wanted})
        for name in wanted:
            if name in values:
                self.ns[name] = self.from_learner[name] = values[name]
            elif name in self.from_learner:
                del self.from_learner[name]
                self.ns.pop(name, None)
        return values

    def run(self, code: str, filename: str) -> None:
        """Execute ``code`` statement by statement in the judge's namespace."""
        for statement in self._statements(code, filename):
            self._bind_learner_names(statement)
            compiled = compile(statement, filename, "exec")
            try:
                exec(compiled, self.ns)  # noqa: S102 - the instructor's own code
            finally:
                # A name the instructor's code bound is the instructor's from now on: learner
                # cells cannot rebind it for the tests.
                for name, value in self.ns.items():
                    if self.from_learner.get(name, self) is not value:
                        self.instructor.add(name)
                        self.from_learner.pop(name, None)

    def setup(self, code: str) -> dict[str, Any]:
        return self._verdict(code, SETUP_FILE, "setup")

    def test(self, code: str, phase: str, export: bool) -> dict[str, Any]:
        verdict = self._verdict(code, TEST_FILE, phase)
        if export and verdict["status"] == "ok":
            verdict["exports"] = self._exports(code)
        return verdict

    def _verdict(self, code: str, filename: str, phase: str) -> dict[str, Any]:
        self.stdout = io.StringIO()
        saved = sys.stdout
        sys.stdout = self.stdout
        try:
            self.run(code, filename)
        except LearnerStopped as exc:
            return {"status": "stopped", "why": exc.why, "phase": phase}
        except BaseException as exc:  # noqa: BLE001 - a failing test is a verdict
            return {
                "status": "error",
                "phase": phase,
                "ename": getattr(exc, "dasi_name", type(exc).__name__),
                "learner": hasattr(exc, "dasi_name"),
                "evalue": _text(exc),
                "at": _lines_at(exc, code, filename),
                "stdout": self.stdout.getvalue()[-20_000:],
            }
        finally:
            sys.stdout = saved
        return {"status": "ok", "phase": phase, "stdout": self.stdout.getvalue()[-20_000:]}

    def _exports(self, code: str) -> dict[str, Any]:
        """Values the visible tests bound, for later learner cells that use them."""
        names: set[str] = set()
        try:
            tree = ast.parse(code)
        except SyntaxError:
            return {}
        for node in tree.body:
            for target in ast.walk(node):
                if isinstance(target, ast.Name) and isinstance(target.ctx, ast.Store):
                    names.add(target.id)
        out = {}
        for name in sorted(names):
            if name in self.ns:
                try:
                    out[name] = self.encode(self.ns[name])
                except CodecError:
                    continue
        return out


class Remote:
    """A learner object that stays in the learner sandbox; the tests may only ask about it."""

    __slots__ = ("_id", "_judge", "_type")

    def __init__(self, judge: Judge, ref: dict[str, Any]) -> None:
        if type(ref.get("id")) is not int:
            raise CodecError("not a valid reference")
        object.__setattr__(self, "_id", ref["id"])
        object.__setattr__(self, "_judge", judge)
        object.__setattr__(self, "_type", str(ref.get("type", "object"))[:200])

    def _ask(self, q: str, **fields: Any) -> Any:
        judge = object.__getattribute__(self, "_judge")
        answer = judge.ask({"q": q, "ref": object.__getattribute__(self, "_id"), **fields})
        return judge.decode(answer)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        return self._ask("getattr", name=name)

    def __setattr__(self, name: str, value: Any) -> None:
        judge = object.__getattribute__(self, "_judge")
        self._ask("setattr", name=name, value=judge.encode(value))

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        judge = object.__getattribute__(self, "_judge")
        return self._ask("call", args=judge.encode(list(args)), kwargs=judge.encode(kwargs))

    def __getitem__(self, key: Any) -> Any:
        judge = object.__getattribute__(self, "_judge")
        return self._ask("getitem", key=judge.encode(key))

    def __setitem__(self, key: Any, value: Any) -> None:
        judge = object.__getattribute__(self, "_judge")
        self._ask("setitem", key=judge.encode(key), value=judge.encode(value))

    def __len__(self) -> int:
        n = self._ask("len")
        if type(n) is not int or n < 0:
            raise TypeError("len() of a notebook object must be a non-negative integer")
        return n

    def __iter__(self) -> Any:
        items = self._ask("list")
        if type(items) is not list:
            raise TypeError("a notebook object did not iterate to a list")
        return iter(items)

    def __repr__(self) -> str:
        text = self._ask("repr")
        return text if type(text) is str else "<notebook object>"

    def __str__(self) -> str:
        text = self._ask("str")
        return text if type(text) is str else "<notebook object>"

    def __eq__(self, other: object) -> bool:
        return type(other) is Remote and object.__getattribute__(
            other, "_id"
        ) == object.__getattribute__(self, "_id")

    def __ne__(self, other: object) -> bool:
        return not self.__eq__(other)

    def __hash__(self) -> int:
        return hash(("remote", object.__getattribute__(self, "_id")))

    def __bool__(self) -> bool:
        kind = object.__getattribute__(self, "_type")
        raise TypeError(f"the truth value of a {kind} from the notebook is not defined")

    def __contains__(self, item: object) -> bool:
        return any(element == item for element in self)


def _rebuild(info: Any) -> BaseException:
    """A learner exception as a judge-side exception: a builtin one, or LearnerError."""
    if type(info) is not dict:
        return LearnerError("the notebook's code failed")
    name = str(info.get("type", "Exception"))[:200]
    message = str(info.get("message", ""))[:2000]
    base = getattr(builtins, str(info.get("builtin", "")), None)
    if base in REBUILT_EXCEPTIONS:
        try:
            exc: BaseException = base(message)
        except Exception:  # noqa: BLE001 - an exception type with another signature
            exc = LearnerError(message)
    else:
        exc = LearnerError(message)
    exc.dasi_name = name  # type: ignore[attr-defined]
    return exc


def _text(exc: BaseException) -> str:
    try:
        return str(exc)[:2000]
    except Exception:  # noqa: BLE001
        return ""


def _lines_at(exc: BaseException, code: str, filename: str) -> list[str]:
    """The instructor's statements the error went through (``at: assert ...``)."""
    lines = code.splitlines()
    found = []
    for frame, lineno in traceback.walk_tb(exc.__traceback__):
        if frame.f_code.co_filename == filename and 0 < lineno <= len(lines):
            text = lines[lineno - 1].strip()
            if text:
                found.append(text)
    if isinstance(exc, SyntaxError) and exc.filename == filename and exc.text:
        found.append(exc.text.strip())
    return found[-3:]


def _transform_magics(code: str) -> str:
    from IPython.core.inputtransformer2 import TransformerManager

    return TransformerManager().transform_cell(code)


class _NoIPython:
    """``get_ipython()`` in instructor cells: magics such as ``%matplotlib inline`` do nothing."""

    def run_line_magic(self, *args: Any, **kwargs: Any) -> None:
        return None

    def run_cell_magic(self, *args: Any, **kwargs: Any) -> None:
        return None

    def system(self, *args: Any, **kwargs: Any) -> None:
        return None

    def getoutput(self, *args: Any, **kwargs: Any) -> list[str]:
        return []


_NO_IPYTHON = _NoIPython()


def _make_non_dumpable() -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_DUMPABLE) failed")


def serve(channel: Channel, modules: list[str]) -> None:
    for name in modules:
        try:
            __import__(name)
        except Exception:  # noqa: BLE001, S112 - a missing optional module is not an error
            continue
    judge = Judge(channel)
    channel.send({"op": "ready", "pid": os.getpid()})
    while True:
        frame = channel.recv()
        op = frame.get("op")
        if op == "setup":
            verdict = judge.setup(str(frame["code"]))
        elif op == "test":
            verdict = judge.test(str(frame["code"]), str(frame["phase"]), bool(frame.get("export")))
        elif op == "end":
            return
        else:
            continue
        channel.send({"op": "verdict", **verdict})


def main() -> int:
    _make_non_dumpable()
    fd = int(sys.argv[1])
    close_other_fds(fd)
    os.chdir(os.environ.get("DASI_WORKDIR", os.getcwd()))
    with contextlib.suppress(ChannelClosed):
        serve(channel_from_fd(fd), sys.argv[2:])
    return 0


if __name__ == "__main__":
    sys.exit(main())
