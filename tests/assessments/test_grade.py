"""Grading golden submissions in the sandbox: scores, statuses, limits and attacks."""

from __future__ import annotations

import contextlib
import json
import os
import socket
import threading
import time
from pathlib import Path

import nbformat
import pytest

from assessments.grader import Limits, grade
from assessments.grader import sandbox as sandbox_module
from tests.assessments.conftest import FAST, REPO, by_id, golden, graded

pytestmark = [pytest.mark.sandbox, pytest.mark.usefixtures("sandbox")]

HIDDEN_CODE = [
    "mean([7, 8, 9, 10, 11])",
    "math.isclose(mean([0.1, 0.2])",
    "word_count('Data data')",
]


def statuses(result):
    return {cell.grade_id: cell.status for cell in result.cells}


def learner_output(result, index=2):
    nb = nbformat.reads(result.executed_notebook, as_version=4)
    return "".join(o.get("text", "") for o in nb.cells[index].outputs)


def assert_no_hidden_code(result):
    text = json.dumps(result.to_dict(), ensure_ascii=False)
    for code in HIDDEN_CODE:
        assert code not in text


def test_correct_submission_gets_full_marks():
    result = graded("correct.ipynb")
    assert (result.score, result.max_score) == (6.0, 6.0)
    assert set(statuses(result).values()) == {"passed"}
    assert result.limits_hit == []
    assert result.to_dict()["cells"][0] == {
        "grade_id": "test_mean",
        "points": 2.0,
        "max_points": 2.0,
        "status": "passed",
        "feedback": "All tests passed.",
    }


def test_partly_correct_submission():
    result = graded("partly_correct.ipynb")
    cells = by_id(result)
    assert result.score == 3.0
    assert cells["test_word_count"].status == "failed"
    assert "assert word_count('a b a') == {'a': 2, 'b': 1}" in cells["test_word_count"].feedback
    assert "_dasi_restore_" not in cells["test_word_count"].feedback
    assert cells["test_mean"].status == cells["test_safe_div"].status == "passed"


def test_empty_learner_version_scores_zero_without_crashing():
    result = graded("empty.ipynb")
    assert result.score == 0.0
    assert set(statuses(result).values()) == {"error"}
    assert all("NotImplementedError" in c.feedback for c in result.cells)


def test_syntax_error_is_reported_on_its_own_task():
    result = graded("syntax_error.ipynb")
    cells = by_id(result)
    assert cells["test_mean"].status == "error"
    assert "SyntaxError" in cells["test_mean"].feedback
    assert result.score == 4.0


def test_infinite_loop_is_interrupted_and_later_tasks_still_count():
    result = graded("infinite_loop.ipynb", Limits(cell_timeout_s=3, total_timeout_s=60))
    cells = by_id(result)
    assert cells["test_mean"].status != "passed"
    assert "ran longer than 3 s" in cells["test_mean"].feedback
    assert cells["test_word_count"].status == cells["test_safe_div"].status == "passed"
    assert "cell_time" in result.limits_hit


def test_loop_that_ignores_interrupts_ends_the_run():
    result = graded("unstoppable_loop.ipynb", Limits(cell_timeout_s=3, total_timeout_s=60))
    assert result.score == 0.0
    assert set(statuses(result).values()) == {"timeout"}
    assert "cell_time" in result.limits_hit


def test_total_wall_clock_limit_kills_the_sandbox():
    result = graded("unstoppable_loop.ipynb", Limits(cell_timeout_s=120, total_timeout_s=8))
    assert result.score == 0.0
    assert set(statuses(result).values()) == {"timeout"}
    assert "total_time" in result.limits_hit
    assert _sandbox_processes() == []


def test_memory_hog_hits_the_memory_limit():
    limits = Limits(cell_timeout_s=30, total_timeout_s=90, memory_bytes=1024**3)
    result = graded("memory_hog.ipynb", limits)
    cells = by_id(result)
    assert cells["test_mean"].status != "passed"
    assert "memory" in result.limits_hit
    assert cells["test_word_count"].status == "passed"


def test_fork_bomb_is_contained_and_cleaned_up():
    result = graded("fork_bomb.ipynb", Limits(cell_timeout_s=3, total_timeout_s=20, processes=64))
    assert by_id(result)["test_mean"].status != "passed"
    assert result.score == 0.0 or by_id(result)["test_mean"].points == 0.0
    assert _sandbox_processes() == []


def test_huge_output_is_capped():
    result = graded("huge_output.ipynb")
    assert "output" in result.limits_hit
    assert result.score == 6.0
    assert len(result.executed_notebook) < 3 * FAST_TOTAL_OUTPUT
    assert "[output truncated by the grader]" in result.executed_notebook


FAST_TOTAL_OUTPUT = Limits().output_bytes_total


def test_network_is_unreachable():
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    listener.settimeout(0.5)
    port = listener.getsockname()[1]
    accepted: list[object] = []

    def accept():
        with contextlib.suppress(OSError):
            accepted.append(listener.accept())

    result = grade(golden("source.ipynb"), golden("network_attempt.ipynb", PORT=port))
    thread = threading.Thread(target=accept)
    thread.start()
    thread.join()
    listener.close()
    assert accepted == [], "the sandbox reached a server on the host"
    output = learner_output(result)
    assert "interfaces ['lo']" in output
    assert "network blocked" in output
    assert "dns blocked" in output
    assert result.score == 6.0


def test_host_files_and_secrets_are_invisible(monkeypatch):
    monkeypatch.setenv("DASI_CANARY_SECRET", "canary-7f3a")
    result = grade(golden("source.ipynb"), golden("read_outside.ipynb", REPO=REPO))
    output = learner_output(result)
    assert "root:x:0:0" not in output
    assert "canary-7f3a" not in output
    assert "DJANGO_SETTINGS_MODULE" not in output
    for path in ("/root/.bashrc", f"{REPO}/lms/settings/base.py", f"{REPO}/pyproject.toml"):
        assert f"READ {path} 'DENIED" in output
    listing = next(line for line in output.splitlines() if line.startswith("LISTING"))
    for name in ("root", "home", "work", "var"):
        assert f"'{name}'" not in listing
    assert result.score == 6.0


@pytest.mark.parametrize(
    "name",
    ["deleted_test_cell.ipynb", "edited_test_cell.ipynb", "duplicated_grade_id.ipynb"],
)
def test_tampered_test_cells_do_not_change_the_score(name):
    result = graded(name)
    assert result.max_score == 6.0
    assert [c.grade_id for c in result.cells] == ["test_mean", "test_word_count", "test_safe_div"]
    assert by_id(result)["test_mean"].status == "failed"
    assert result.score == 4.0


def test_changed_metadata_does_not_change_points_or_add_tests():
    result = graded("changed_metadata.ipynb")
    assert result.max_score == 6.0
    assert "bonus" not in by_id(result)
    assert by_id(result)["test_mean"].max_points == 2.0
    assert result.score == 4.0


def test_retyped_answer_cell_is_missing():
    result = graded("retyped_answer.ipynb")
    cell = by_id(result)["test_word_count"]
    assert cell.status == "missing"
    assert "'word_count'" in cell.feedback
    assert result.score == 3.0


def test_wrong_kernel_name_in_submission_is_ignored():
    assert graded("wrong_kernel.ipynb").score == 6.0


def test_printing_passed_does_not_pass():
    assert by_id(graded("print_passed.ipynb"))["test_mean"].status == "failed"


def test_redefined_assertion_helpers_are_restored_before_tests():
    cell = by_id(graded("redefine_assert.ipynb"))["test_mean"]
    assert cell.status == "failed"
    assert cell.feedback.startswith("The visible tests passed, but the hidden tests did not.")
    assert "Check more cases." in cell.feedback
    assert_no_hidden_code(graded("redefine_assert.ipynb"))


def test_swallowing_errors_and_emptying_cells_does_not_pass():
    result = graded("swallow_errors.ipynb")
    assert result.score == 0.0
    assert "interfered" in by_id(result)["test_mean"].feedback


def test_sys_exit_in_an_answer_does_not_pass():
    result = graded("sys_exit.ipynb")
    assert by_id(result)["test_mean"].status == "failed"
    assert result.score == 4.0


def test_os_exit_kills_the_kernel_and_nothing_passes():
    result = graded("os_exit.ipynb")
    assert result.score == 0.0
    assert "kernel_died" in result.limits_hit
    assert all("Python stopped" in c.feedback for c in result.cells)


def test_forged_result_lines_are_rejected():
    result = graded("fake_result.ipynb")
    assert by_id(result)["test_mean"].status == "failed"
    assert result.score == 4.0


def test_hidden_tests_are_not_on_disk_or_in_other_processes():
    cell = by_id(graded("hidden_hunt.ipynb"))["test_mean"]
    assert "NOTHING FOUND" in cell.feedback, cell.feedback
    assert "LOOT" not in cell.feedback


def test_hidden_tests_are_not_in_kernel_memory_while_learner_code_runs():
    result = graded("memory_replay.ipynb")
    assert by_id(result)["test_mean"].status == "passed"
    assert "REPLAY" in by_id(result)["test_safe_div"].feedback
    assert_no_hidden_code(result)


def test_data_files_appear_read_only_in_the_working_directory():
    source = golden("source.ipynb")
    submission = golden("correct.ipynb").replace(
        b"import math",
        b"import math",
    )
    nb = nbformat.reads(submission.decode(), as_version=4)
    nb.cells[2].source += (
        "\nprint(open('data/a.csv').read())\n"
        "try:\n    open('data/a.csv', 'w')\nexcept OSError as exc:\n    print('readonly', type(exc).__name__)\n"
        "open('notes.txt', 'w').write('scratch is writable')\nprint(open('notes.txt').read())"
    )
    result = grade(
        source, nbformat.writes(nb).encode(), data_files={"data/a.csv": b"x,y\n1,2\n"}, limits=None
    )
    output = learner_output(result)
    assert "x,y\n1,2" in output
    assert "readonly" in output
    assert "scratch is writable" in output


def test_data_file_names_cannot_escape_the_working_directory():
    with pytest.raises(ValueError, match="relative path"):
        grade(golden("source.ipynb"), golden("correct.ipynb"), data_files={"../x": b""})


def _sandbox_processes() -> list[int]:
    """PIDs of live processes of the sandbox user (none may outlive a grading run).

    A zombie has no code left to run; it only waits for init to collect its exit status.
    """
    sandbox_module.discard_spares()
    for _attempt in range(50):  # a killed process may take a moment to leave the process table
        found = _live_sandbox_processes()
        if not found:
            break
        time.sleep(0.1)
    return found


def _live_sandbox_processes() -> list[int]:
    """Live processes of the learner and judge users started by this test run (or orphaned).

    Other grading runs on the same machine (another worker, another test run) are not ours:
    a process counts if its chain of parents reaches this process or the host's init.
    """
    sandbox_uids = {Limits().uid, Limits().uid - sandbox_module.JUDGE_UID_OFFSET}
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
            ours = entry.stat().st_uid in sandbox_uids and os.geteuid() == 0 and state != "Z"
            if ours and _started_here(int(entry.name), sandbox_uids):
                found.append(int(entry.name))
        except (FileNotFoundError, ProcessLookupError, IndexError):
            continue
    return found


def _started_here(pid: int, sandbox_uids: set[int]) -> bool:
    while pid not in (1, os.getpid()):
        status = Path(f"/proc/{pid}/status").read_text()
        parent = int(status.split("PPid:")[1].split()[0])
        if parent not in (1, os.getpid()) and Path(f"/proc/{parent}").stat().st_uid not in (
            sandbox_uids
        ):
            return False  # started by another process than this test run
        pid = parent
    return True


def test_warm_spare_serves_one_job_and_is_replaced(monkeypatch):
    monkeypatch.setenv("DASI_GRADER_WARM", "1")
    try:
        sandbox_module.prepare_spare()
        (spare,) = sandbox_module._spares.values()
        first = grade(golden("source.ipynb"), golden("correct.ipynb"))
        assert first.score == 6.0
        assert not spare.alive(), "a spare serves exactly one job"
        (replacement,) = sandbox_module._spares.values()
        assert replacement is not spare and replacement.alive()
        second = grade(golden("source.ipynb"), golden("partly_correct.ipynb"))
        assert second.score == 3.0
    finally:
        sandbox_module.discard_spares()
    assert _sandbox_processes() == []


def test_pod_mode_runs_the_same_runner_without_bwrap(monkeypatch):
    """In a Kubernetes Job the pod is the sandbox; the runner, limits and checks are unchanged."""
    monkeypatch.setenv("DASI_GRADER_SANDBOX", "pod")
    assert grade(golden("source.ipynb"), golden("correct.ipynb")).score == 6.0
    result = grade(golden("source.ipynb"), golden("fake_result.ipynb"))
    assert by_id(result)["test_mean"].status == "failed"


def _with_mean_cell(code: str) -> bytes:
    nb = nbformat.reads(golden("correct.ipynb").decode(), as_version=4)
    nb.cells[2].source = code
    return nbformat.writes(nb).encode()


LEAVE_TRACES = """
import os, subprocess
open('/tmp/trace.txt', 'w').write('secret answer of learner A')
open('/dev/shm/trace', 'w').write('secret')
open('trace-in-workdir.txt', 'w').write('secret')
subprocess.Popen(['sleep', '300'], start_new_session=True)
if os.fork() == 0:
    os.setsid()
    import time
    time.sleep(300)
def mean(xs):
    return sum(xs) / len(xs)
"""

FIND_TRACES = """
import os
found = [p for p in ('/tmp/trace.txt', '/dev/shm/trace', 'trace-in-workdir.txt') if os.path.exists(p)]
others = [p for p in os.listdir('/proc') if p.isdigit() and int(p) not in (1, os.getpid())]
found += [open(f'/proc/{p}/cmdline').read() for p in others if os.path.exists(f'/proc/{p}/cmdline')]
def mean(xs):
    if found:
        raise AssertionError('TRACES ' + repr(found))
    return sum(xs) / len(xs)
"""


def test_nothing_of_one_submission_reaches_the_next():
    """Files, shared memory and processes a submission leaves are gone before the next one."""
    first = grade(golden("source.ipynb"), _with_mean_cell(LEAVE_TRACES), limits=FAST)
    assert first.score == 6.0, first.to_dict()
    second = grade(golden("source.ipynb"), _with_mean_cell(FIND_TRACES), limits=FAST)
    assert by_id(second)["test_mean"].status == "passed", by_id(second)["test_mean"].feedback


def test_without_zygotes_each_submission_starts_its_own_sandboxes(monkeypatch):
    monkeypatch.setenv("DASI_GRADER_ZYGOTE", "0")
    sandbox_module.discard_spares()
    assert grade(golden("source.ipynb"), golden("correct.ipynb"), limits=FAST).score == 6.0
    assert grade(golden("source.ipynb"), golden("partly_correct.ipynb"), limits=FAST).score == 3.0
    assert sandbox_module._zygotes == {}
    result = grade(golden("source.ipynb"), _with_mean_cell(LEAVE_TRACES), limits=FAST)
    assert result.score == 6.0
    assert _sandbox_processes() == []
