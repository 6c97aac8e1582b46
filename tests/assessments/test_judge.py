"""What the tests see of learner values: data decoded by the judge, or a Remote that cannot lie.

Each case is a tiny exercise built here: one setup cell, one answer cell, one test cell. The
submission's answer is graded in the real sandboxes, so every value crosses the real channel.
"""

from __future__ import annotations

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from assessments.grader import Limits, grade

pytestmark = [pytest.mark.sandbox, pytest.mark.usefixtures("sandbox")]

LIMITS = Limits(cell_timeout_s=10, total_timeout_s=60)


def _meta(gid: str, **flags: object) -> dict:
    nbg = {"grade": False, "grade_id": gid, "locked": False, "schema_version": 3}
    nbg.update({"solution": False, **flags})
    return {"nbgrader": nbg}


def exercise(setup: str, answer: str, test: str) -> tuple[bytes, bytes]:
    """(source, submission) of a one-task exercise whose answer cell is ``answer``."""

    def build(solution: str) -> bytes:
        nb = new_notebook(metadata={"kernelspec": {"name": "python3", "display_name": "P"}})
        nb.cells = [
            new_code_cell(setup, metadata=_meta("setup", locked=True)),
            new_code_cell(solution, metadata=_meta("answer", solution=True)),
            new_code_cell(test, metadata=_meta("test", grade=True, locked=True, points=1)),
        ]
        return nbformat.writes(nb).encode()

    return build("### BEGIN SOLUTION\nraise NotImplementedError\n### END SOLUTION"), build(answer)


def graded(setup: str, answer: str, test: str):
    source, submission = exercise(setup, answer, test)
    result = grade(source, submission, limits=LIMITS)
    (cell,) = result.cells
    return cell


def test_plain_values_subclasses_arrive_as_their_plain_type():
    cell = graded(
        "from collections import Counter, OrderedDict",
        "def f():\n    return Counter('aab'), OrderedDict(a=1), (1, 2.5, 'x'), {1, 2}, b'\\x00'",
        "c, o, t, s, b = f()\n"
        "assert type(c) is dict and c == {'a': 2, 'b': 1}\n"
        "assert type(o) is dict and type(t) is tuple and t == (1, 2.5, 'x')\n"
        "assert s == {1, 2} and b == b'\\x00'",
    )
    assert cell.status == "passed", cell.feedback


def test_lying_equality_does_not_cross():
    cell = graded(
        "",
        "class Yes(int):\n"
        "    def __eq__(self, other):\n        return True\n"
        "    __hash__ = int.__hash__\n"
        "class Anything:\n"
        "    def __eq__(self, other):\n        return True\n"
        "    def __bool__(self):\n        return True\n"
        "def f():\n    return Yes(0)\n"
        "def g():\n    return Anything()",
        "assert f() == 0\nassert not f() == 5\nassert not g() == 5\nassert g() != g()",
    )
    assert cell.status == "passed", cell.feedback


def test_truth_of_a_learner_object_is_not_defined():
    cell = graded(
        "",
        "class Anything:\n    def __bool__(self):\n        return True\n"
        "def g():\n    return Anything()",
        "assert g()",
    )
    assert cell.status == "error"
    assert "truth value" in cell.feedback


def test_private_attributes_of_learner_objects_are_not_asked():
    cell = graded(
        "",
        "class Box:\n    _typ = 'dataframe'\n    size = 3\nbox = Box()",
        "assert box.size == 3\nassert not hasattr(box, '_typ')\nassert not hasattr(box, '__array_interface__')",
    )
    assert cell.status == "passed", cell.feedback


def test_numpy_and_pandas_values_keep_dtype_index_and_names():
    cell = graded(
        "import numpy as np\nimport pandas as pd",
        "def f():\n"
        "    frame = pd.DataFrame({'이름': ['가', '나'], 'n': [1, 2]}, index=[10, 20])\n"
        "    frame['c'] = pd.Categorical(['x', 'y'])\n"
        "    return frame, np.arange(6, dtype='int16').reshape(2, 3), np.float32(1.5)",
        "frame, array, scalar = f()\n"
        "assert isinstance(frame, pd.DataFrame) and list(frame.columns) == ['이름', 'n', 'c']\n"
        "assert list(frame.index) == [10, 20] and frame['n'].dtype == 'int64'\n"
        "assert frame['c'].dtype == 'category'\n"
        "assert array.dtype == np.int16 and array.shape == (2, 3)\n"
        "assert type(scalar) is np.float32",
    )
    assert cell.status == "passed", cell.feedback


def test_fitted_estimator_is_rebuilt_from_the_judges_own_classes():
    cell = graded(
        "from sklearn.linear_model import LogisticRegression\n"
        "from sklearn.pipeline import Pipeline\n"
        "from sklearn.preprocessing import StandardScaler",
        "def train(X, y):\n"
        "    return Pipeline([('s', StandardScaler()), ('m', LogisticRegression())]).fit(X, y)",
        "model = train([[0.0], [1.0], [2.0], [3.0]], [0, 0, 1, 1])\n"
        "assert type(model) is Pipeline\n"
        "assert isinstance(model.steps[1][1], LogisticRegression)\n"
        "assert list(model.predict([[0.1], [2.9]])) == [0, 1]",
    )
    assert cell.status == "passed", cell.feedback


def test_a_learner_subclass_of_a_library_class_stays_remote():
    cell = graded(
        "from sklearn.linear_model import LogisticRegression",
        "class Cheat(LogisticRegression):\n"
        "    def predict(self, X):\n        return [1] * len(X)\n"
        "def train():\n    return Cheat()",
        "model = train()\nassert isinstance(model, LogisticRegression)",
    )
    assert cell.status == "failed"


def test_instructor_names_cannot_be_rebound_by_learner_cells():
    cell = graded(
        "import math\nLIMIT = 10",
        "import types\n"
        "math = types.SimpleNamespace(isclose=lambda *a, **k: True)\n"
        "LIMIT = 0\n"
        "def f():\n    return 1",
        "assert not math.isclose(f(), 2)\nassert LIMIT == 10",
    )
    assert cell.status == "passed", cell.feedback


def test_learner_functions_get_the_tests_arguments_and_callbacks_work():
    cell = graded(
        "import pandas as pd",
        "def double(x):\n    return x * 2\n"
        "def apply(values, fn):\n    return [fn(v) for v in values]",
        "assert pd.Series([1, 2]).map(double).tolist() == [2, 4]\n"
        "assert apply([1, 2], double) == [2, 4]",
    )
    assert cell.status == "passed", cell.feedback


def test_learner_exceptions_arrive_as_builtin_exceptions():
    cell = graded(
        "",
        "class Oops(ValueError):\n    pass\ndef f(x):\n    raise Oops('bad ' + str(x))",
        "try:\n    f(1)\nexcept ValueError as exc:\n    assert str(exc) == 'bad 1'\n"
        "else:\n    raise AssertionError('no error')\nf(2)",
    )
    assert cell.status == "error"
    assert cell.feedback.startswith("Your code raised Oops: bad 2")


def test_test_variables_reach_later_learner_cells():
    source = new_notebook(metadata={"kernelspec": {"name": "python3", "display_name": "P"}})
    source.cells = [
        new_code_cell(
            "def f():\n    ### BEGIN SOLUTION\n    return 3\n    ### END SOLUTION",
            metadata=_meta("f", solution=True),
        ),  # fmt: skip
        new_code_cell("x = f()\nassert x == 3", metadata=_meta("t1", grade=True, points=1)),
        new_code_cell(
            "def g():\n    ### BEGIN SOLUTION\n    return x + 1\n    ### END SOLUTION",
            metadata=_meta("g", solution=True),
        ),  # fmt: skip
        new_code_cell("assert g() == 4", metadata=_meta("t2", grade=True, points=1)),
    ]
    data = nbformat.writes(source).encode()
    result = grade(data, data, limits=LIMITS)
    assert result.score == 2.0, result.to_dict()


def test_fitted_decision_tree_crosses_with_its_tree_structure():
    cell = graded(
        "from sklearn.tree import DecisionTreeClassifier",
        "def train(X, y):\n    return DecisionTreeClassifier(random_state=0).fit(X, y)",
        "model = train([[0], [1], [2], [3]], [0, 0, 1, 1])\n"
        "assert type(model) is DecisionTreeClassifier\n"
        "assert model.tree_.node_count == 3\n"
        "assert list(model.predict([[0.2], [2.8]])) == [0, 1]",
    )
    assert cell.status == "passed", cell.feedback


def test_functions_that_read_files_do_not_cross_by_name():
    cell = graded(
        "import numpy as np",
        "import numpy\ndef f():\n    return numpy.load, numpy.mean",
        "load, mean = f()\nassert mean is np.mean\nassert load is not np.load\n"
        "assert type(load).__name__ == 'Remote'",
    )
    assert cell.status == "passed", cell.feedback
