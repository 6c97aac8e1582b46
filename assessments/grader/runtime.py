"""Build the grading runtime: a virtualenv the unprivileged sandbox user can read and run.

The runtime is made from a world-readable interpreter (Debian's /usr/bin/python3 by default, not a
Python under a private home directory), holds the packages of ``runtime-requirements.txt`` and a
pre-built matplotlib font cache, and is bound read-only into every sandbox at /opt/dasi-grader.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

REQUIREMENTS = Path(__file__).with_name("runtime-requirements.txt")
DEFAULT_BASE_PYTHON = "/usr/bin/python3"


def build_runtime(
    target: Path, *, base_python: str = DEFAULT_BASE_PYTHON, fresh: bool = False
) -> Path:
    """Create or update the runtime at ``target``; returns the path.

    Idempotent: an existing runtime is upgraded in place unless ``fresh`` asks to rebuild it.
    Needs the Debian package python3-venv for the default base interpreter.
    """
    if fresh and target.exists():
        shutil.rmtree(target)
    if not (target / "bin" / "python").exists():
        subprocess.run([base_python, "-m", "venv", str(target)], check=True)  # noqa: S603
    pip = [str(target / "bin" / "python"), "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "install", "--upgrade", "pip"], check=True)  # noqa: S603
    subprocess.run([*pip, "install", "-r", str(REQUIREMENTS)], check=True)  # noqa: S603
    mpl = target / "etc" / "matplotlib"
    mpl.mkdir(parents=True, exist_ok=True)
    subprocess.run(  # noqa: S603
        [str(target / "bin" / "python"), "-c", "import matplotlib.font_manager"],
        check=True,
        env={"MPLCONFIGDIR": str(mpl), "PATH": "/usr/bin:/bin", "HOME": str(mpl)},
    )
    for root, dirs, files in os.walk(target):
        for name in dirs:
            os.chmod(os.path.join(root, name), 0o755)  # noqa: S103 - read by the sandbox user
        for name in files:
            path = os.path.join(root, name)
            if not os.path.islink(path):
                mode = os.stat(path).st_mode
                os.chmod(path, mode | 0o444 | (0o111 if mode & 0o100 else 0))
    for parent in [target, *target.parents]:
        if parent == Path("/"):
            break
        if os.stat(parent).st_mode & 0o005 != 0o005:
            raise PermissionError(
                f"{parent} is not readable by other users; "
                "put the runtime where uid 65534 can read it"
            )
    return target
