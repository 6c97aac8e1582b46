"""deploy/system-packages.sh: one list for `make setup` and CI; as another user it names the one
apt-get line to run and stops."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "deploy" / "system-packages.sh"
MISSING = "dasi-test-package-that-does-not-exist"


@pytest.fixture
def shared_dir():
    """A folder another user can read (pytest's tmp_path is private to root)."""
    folder = Path(tempfile.mkdtemp(prefix="dasi-apt-"))
    folder.chmod(0o755)
    shutil.copy(SCRIPT, folder / "system-packages.sh")
    yield folder
    shutil.rmtree(folder)


def run(*args, user: str | None = None) -> subprocess.CompletedProcess:
    command = ["bash", *map(str, args)]
    if user:
        command = ["runuser", "-u", user, "--", *command]
    return subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)  # noqa: S603


def write_list(folder: Path, *packages: str) -> Path:
    path = folder / "apt-packages.txt"
    path.write_text("# comment line\n\n" + "\n".join(packages) + "  # trailing comment\n")
    path.chmod(0o644)
    return path


def test_makefile_and_ci_read_the_same_list():
    makefile = (ROOT / "Makefile").read_text()
    ci = (ROOT / ".ci/run").read_text()
    assert re.search(r"^setup: system-packages ", makefile, re.M)
    assert "bash deploy/system-packages.sh" in makefile
    assert "bash deploy/system-packages.sh" in ci
    assert "APT_PACKAGES=(" not in ci  # no second list
    packages = [
        line.split("#")[0].strip()
        for line in (ROOT / "deploy/apt-packages.txt").read_text().splitlines()
    ]
    assert {"bubblewrap", "gettext", "chromium", "redis-server"} <= set(filter(None, packages))


def test_nothing_missing_is_silent_success(shared_dir):
    result = run(shared_dir / "system-packages.sh", write_list(shared_dir, "bash", "coreutils"))
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


@pytest.mark.skipif(os.geteuid() != 0, reason="runs the script as user nobody via runuser")
def test_as_another_user_it_prints_the_one_line_and_stops(shared_dir):
    listing = write_list(shared_dir, "bash", MISSING, "coreutils")
    result = run(shared_dir / "system-packages.sh", listing, user="nobody")
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert lines[-1].strip() == f"sudo apt-get install -y --no-install-recommends {MISSING}"
    assert result.stdout == ""


def test_an_unreadable_list_is_one_line_and_exit_2(shared_dir):
    result = run(shared_dir / "system-packages.sh", shared_dir / "nope.txt")
    assert result.returncode == 2
    assert result.stderr.strip() == f"system-packages: cannot read {shared_dir / 'nope.txt'}"
