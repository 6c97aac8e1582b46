"""The notebook Dasi copies into JupyterLab, and the launch page's steps (no hub needed)."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

from django.utils import timezone, translation

import nbformat
import pytest

from assessments.grader import learner_version, read_notebook
from assessments.grader.assemble import assemble
from lms.sandboxes.models import SandboxLaunch
from lms.sandboxes.selectors import launch_stages
from lms.sandboxes.services import RETURN_CELL_ID, lab_notebook

ROOT = Path(__file__).resolve().parents[2]
SOURCE = (
    ROOT / "notebooks_templates" / "python-data-basics" / "python-data-basics.ipynb"
).read_bytes()
LANGUAGE_INFO = {
    "name": "python",
    "version": "3.11.2",
    "mimetype": "text/x-python",
    "codemirror_mode": {"name": "ipython", "version": 3},
    "pygments_lexer": "ipython3",
    "nbconvert_exporter": "python",
    "file_extension": ".py",
}
KERNELSPEC = {
    "name": "python3",
    "spec": {
        "display_name": "Python 3 (ipykernel)",
        "language": "python",
        "metadata": {"dasi": {"language_info": LANGUAGE_INFO}},
    },
}


def test_the_copied_notebook_carries_the_servers_kernel_so_jupyterlab_changes_nothing():
    learner = learner_version(read_notebook(SOURCE))
    data = lab_notebook(notebook=learner, kernelspec=KERNELSPEC, header="**Dasi** · [x](http://a/)")
    nb = nbformat.reads(data.decode(), as_version=4)
    nbformat.validate(nb)
    # Exactly what JupyterLab writes when the kernel connects (NotebookPanel._updateSpec and
    # _updateLanguage): equal values leave the notebook unmodified.
    assert nb.metadata.kernelspec == {
        "name": "python3",
        "display_name": "Python 3 (ipykernel)",
        "language": "python",
    }
    assert nb.metadata.language_info == LANGUAGE_INFO
    assert nb.cells[0].id == RETURN_CELL_ID and nb.cells[0].cell_type == "markdown"
    assert nb.cells[0].metadata["editable"] is False
    assert [c.id for c in nb.cells[1:]] == [c.id for c in learner.cells]
    assert learner.metadata.kernelspec.display_name == "Python 3"  # the input is left alone


def test_a_server_without_the_recorded_language_info_still_gets_its_kernelspec():
    learner = learner_version(read_notebook(SOURCE))
    spec = {
        "name": "python3",
        "spec": {"display_name": "Python 3 (ipykernel)", "language": "python"},
    }
    nb = json.loads(lab_notebook(notebook=learner, kernelspec=spec))
    assert nb["metadata"]["kernelspec"]["display_name"] == "Python 3 (ipykernel)"
    assert nb["metadata"]["language_info"] == {"name": "python"}  # as the source has it
    assert nb["cells"][0]["id"] != RETURN_CELL_ID  # no header asked for


def test_the_return_cell_does_not_change_grading():
    source = read_notebook(SOURCE)
    with_cell = nbformat.reads(
        lab_notebook(notebook=learner_version(source), kernelspec=KERNELSPEC, header="x").decode(),
        as_version=4,
    )
    plain = learner_version(source)
    assert [t.grade_id for t in assemble(source, with_cell).tests] == [
        t.grade_id for t in assemble(source, plain).tests
    ]
    assert assemble(source, with_cell).notebook.cells == assemble(source, plain).notebook.cells


@pytest.mark.django_db
def test_the_launch_page_steps_follow_the_recorded_state(learner_a, centre_a, course_a):
    from assessments.models import Assessment
    from tests.factories import lessons_of

    assessment = Assessment.objects.create(
        centre=centre_a, title="실습", kind=Assessment.Kind.NOTEBOOK
    )
    launch = SandboxLaunch.objects.create(
        user=learner_a,
        assessment=assessment,
        lesson=lessons_of(course_a)[0],
        hub_username="dasi-1",
        folder="exercises/a/b",
        notebook_path="exercises/a/b/b.ipynb",
    )

    def statuses():
        return {s["key"]: s["status"] for s in launch_stages(launch)}

    assert statuses() == {
        "requested": "done",
        "starting": "current",
        "provisioning": "todo",
        "opening": "todo",
    }
    launch.state = SandboxLaunch.State.LOGIN
    assert statuses()["login"] == "current" and statuses()["starting"] == "todo"
    launch.state = SandboxLaunch.State.PROVISIONING
    launch.provisioning_at = timezone.now() - timedelta(seconds=3)
    stages = launch_stages(launch)
    assert [s["status"] for s in stages] == ["done", "done", "current", "todo"]
    assert stages[2]["seconds"] == 3 and stages[1]["seconds"] is None
    launch.state = SandboxLaunch.State.FAILED
    assert "current" not in statuses().values()
    with translation.override("ko"):
        labels = [s["label"] for s in launch_stages(launch)]
    assert labels == [
        "요청 접수",
        "JupyterLab 서버 시작 중",
        "실습 파일을 내 폴더로 복사 중",
        "JupyterLab 여는 중",
    ]
