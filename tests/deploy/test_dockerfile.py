"""deploy/Dockerfile, read as Docker reads it (no daemon or registry here to build it): two
stages, the project's Python, a numeric non-root user the pods run as, only files that exist."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = ROOT / "deploy" / "Dockerfile"
INSTRUCTIONS = {"FROM", "ARG", "ENV", "RUN", "COPY", "WORKDIR", "USER", "EXPOSE", "CMD"}


def instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with continuation lines joined and comments dropped."""
    out, pending = [], ""
    for line in DOCKERFILE.read_text().splitlines():
        if not pending and (not line.strip() or line.lstrip().startswith("#")):
            continue
        pending += line.rstrip().removesuffix("\\") + " "
        if not line.rstrip().endswith("\\"):
            word, _, rest = pending.strip().partition(" ")
            out.append((word.upper(), " ".join(rest.split())))
            pending = ""
    assert not pending, "a continuation line ends the file"
    return out


def stages() -> dict[str, list[tuple[str, str]]]:
    found: dict[str, list] = {}
    current = None
    for word, args in instructions():
        if word == "FROM":
            current = args.split(" AS ")[1]
            found[current] = []
        elif current:
            found[current].append((word, args))
    return found


def test_only_known_instructions_and_a_pinned_python_matching_the_project():
    parsed = instructions()
    assert {word for word, _ in parsed} <= INSTRUCTIONS
    [arg] = [a for w, a in parsed if w == "ARG" and a.startswith("PYTHON_IMAGE=")]
    image = arg.split("=", 1)[1]
    assert re.fullmatch(r"python:3\.11-slim-\w+", image)
    assert 'requires-python = ">=3.11,<3.12"' in (ROOT / "pyproject.toml").read_text()
    assert [a for w, a in parsed if w == "FROM"] == [
        "${PYTHON_IMAGE} AS build",
        "${PYTHON_IMAGE} AS run",
    ]


def test_the_run_stage_is_non_root_with_the_uid_of_the_pods():
    run = stages()["run"]
    users = [a for w, a in run if w == "USER"]
    assert users == ["10001:10001"]
    assert run[-3:][0] == ("USER", "10001:10001")  # nothing runs as root after it
    web = next(yaml.safe_load_all((ROOT / "deploy/k8s/base/web.yaml").read_text()))["spec"][
        "template"
    ]["spec"]
    assert web["securityContext"]["runAsUser"] == 10001
    assert web["securityContext"]["runAsGroup"] == 10001
    assert ("CMD", '["gunicorn", "-c", "deploy/gunicorn.conf.py", "lms.wsgi"]') in run
    assert ("COPY", "--from=build /opt/dasi/venv /opt/dasi/venv") in run
    # No build tools in the image that runs: gettext stays in the build stage.
    assert not any("gettext" in a for w, a in run if w == "RUN")


def test_every_copied_file_exists_and_nothing_secret_is_baked_in():
    for word, args in instructions():
        if word == "COPY" and not args.startswith("--from"):
            *sources, _ = args.split()
            for source in sources:
                assert (ROOT / source).exists(), source
        if word in ("ARG", "ENV"):
            assert not re.search(r"SECRET|TOKEN|PASSWORD|KEY", args), args


def test_the_runtime_libraries_are_those_the_machine_list_names():
    listed = {
        line.split("#")[0].strip()
        for line in (ROOT / "deploy/apt-packages.txt").read_text().splitlines()
    }
    [install] = [a for w, a in stages()["run"] if w == "RUN" and "apt-get install" in a]
    packages = install.split("--no-install-recommends ")[1].split(" && ")[0].split()
    assert set(packages) <= listed
    assert {"bubblewrap", "fonts-noto-cjk", "libpango-1.0-0"} <= set(packages)
