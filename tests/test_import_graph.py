"""The stairs between the apps run one way (see "Layers" in CONTRIBUTING.md).

The import graph of the project's own modules is read with `ast` (nothing is imported, so a
failure names the file and line to change): every import statement counts, at module level
or inside a function. Migrations are left out: Django writes them, and they only name models
and blocks.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("lms", "courses", "assessments", "hub_sites")

# Bottom first. A module belongs to the layer of the longest name below that matches it; it
# may import its own layer and the layers under it, never one above.
LAYERS: list[tuple[str, tuple[str, ...]]] = [
    ("engines: pure Python, no Django", ("assessments.grader", "lms.skills.engine")),
    (
        "platform core",
        ("lms.storage", "lms.caching", "lms.metrics", "lms.pages", "lms.views", "lms.encryption"),
    ),
    ("skills: taxonomy and evidence", ("lms.skills",)),
    ("courses: pages and the catalogue tree", ("courses",)),
    ("people and centres", ("lms.accounts", "hub_sites")),
    ("learning: enrolments, progress, completion", ("lms.learning",)),
    ("assessments: quizzes, notebooks, grading, gradebook", ("assessments",)),
    (
        "built on all of the above",
        (
            "lms.certificates",
            "lms.counselling",
            "lms.lti",
            "lms.sandboxes",
            "lms.privacy",
            "lms.xapi",
            "lms.notifications",
            # The recommender and its admin read courses, progress and centres.
            "lms.skills.selectors",
            "lms.skills.views",
            "lms.skills.urls",
            "lms.skills.forms",
            "lms.skills.permissions",
            "lms.skills.wagtail_hooks",
            "lms.skills.templatetags",
            "lms.skills.management",
        ),
    ),
    # lms itself: settings, URLs, Celery, demo data, and any new app until it is placed lower.
    ("the project", ("lms",)),
]

# Imports that run up a layer, each with the reason it may.
UPWARD_ALLOWED = {
    ("courses.blocks", "assessments.blocks"): (
        "lesson bodies embed the quiz and notebook blocks; assessments.blocks imports nothing "
        "of the project, and migrations fix its path"
    ),
}

# Import cycles that may stay, each with the reason.
CYCLES_ALLOWED = {
    frozenset({"assessments.services", "assessments.tasks"}): (
        "Celery: the service queues the task and the task runs the service; the service "
        "looks the task up when it queues it"
    ),
    frozenset({"lms.privacy.services", "lms.privacy.tasks", "lms.privacy.retention"}): (
        "Celery: the export service queues its task and the tasks run the services (the nightly "
        "task runs retention, which queues erasures through the services); the service looks "
        "the task up when it queues it"
    ),
}

# Imports inside functions are resolved at run time, where a mistake shows only when that line
# runs; only a framework's needs justify one, said in a comment right above it.
MAX_FUNCTION_LEVEL_IMPORTS = 10


@dataclass(frozen=True)
class Import:
    source: str  # importing module
    target: str  # imported project module
    path: Path
    line: int
    in_function: bool


def _modules() -> dict[str, Path]:
    modules = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            relative = path.relative_to(ROOT)
            if "migrations" in relative.parts:
                continue
            name = ".".join(relative.with_suffix("").parts)
            modules[name.removesuffix(".__init__")] = path
    return modules


def _targets(node: ast.Import | ast.ImportFrom, module: str, is_package: bool, modules) -> set:
    if isinstance(node, ast.Import):
        candidates = [alias.name for alias in node.names]
    else:
        base = node.module or ""
        if node.level:
            parts = module.split(".")[: None if is_package else -1]
            parts = parts[: len(parts) - node.level + 1]
            base = ".".join([*parts, base] if base else parts)
        # `from package import name` imports the module package.name where there is one.
        candidates = [
            f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base
            for alias in node.names
        ]
    found = set()
    for name in candidates:
        while name and name not in modules:
            name = name.rpartition(".")[0]
        if name and name != module:
            found.add(name)
    return found


def _imports() -> list[Import]:
    modules = _modules()
    found: list[Import] = []
    for module, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        is_package = path.name == "__init__.py"

        def visit(node: ast.AST, in_function: bool, module=module, path=path, pkg=is_package):
            for child in ast.iter_child_nodes(node):
                if isinstance(child, ast.Import | ast.ImportFrom):
                    for target in sorted(_targets(child, module, pkg, modules)):
                        found.append(Import(module, target, path, child.lineno, in_function))
                else:
                    inside = in_function or isinstance(
                        child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda
                    )
                    visit(child, inside)

        visit(tree, False)
    return found


def _layer(module: str) -> int | None:
    best: tuple[int, int] | None = None
    for number, (_name, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and (
                best is None or len(prefix) > best[1]
            ):
                best = (number, len(prefix))
    return best[0] if best else None


def _cycles(edges: dict[str, set[str]]) -> list[set[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[set[str]] = []
    for start in sorted(edges):
        if start in index:
            continue
        work = [(start, iter(sorted(edges[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, successors = work[-1]
            for successor in successors:
                if successor not in index:
                    index[successor] = low[successor] = len(index)
                    stack.append(successor)
                    on_stack.add(successor)
                    work.append((successor, iter(sorted(edges.get(successor, ())))))
                    break
                if successor in on_stack:
                    low[node] = min(low[node], index[successor])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = set()
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.add(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        components.append(component)
    return components


def _where(item: Import) -> str:
    return f"{item.path.relative_to(ROOT)}:{item.line} {item.source} -> {item.target}"


def test_no_import_cycle_between_project_modules():
    edges: dict[str, set[str]] = {}
    for item in _imports():
        edges.setdefault(item.source, set()).add(item.target)
        edges.setdefault(item.target, set())
    cycles = [sorted(c) for c in _cycles(edges) if frozenset(c) not in CYCLES_ALLOWED]
    assert not cycles, f"import cycles: {cycles}"


def test_every_project_module_has_a_layer():
    unplaced = sorted(m for m in _modules() if _layer(m) is None)
    assert not unplaced, f"add these to a layer in LAYERS (and CONTRIBUTING.md): {unplaced}"


def test_imports_run_down_the_layers():
    upward = [
        f"{_where(item)} ({LAYERS[_layer(item.source)][0]} -> {LAYERS[_layer(item.target)][0]})"
        for item in _imports()
        if _layer(item.source) is not None
        and _layer(item.target) is not None
        and _layer(item.target) > _layer(item.source)
        and (item.source, item.target) not in UPWARD_ALLOWED
    ]
    assert not upward, "imports from a lower layer to a higher one:\n" + "\n".join(upward)


def test_engines_import_no_django():
    engines = LAYERS[0][1]
    offenders = []
    for module, path in _modules().items():
        if not any(module == e or module.startswith(e + ".") for e in engines):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom) and not node.level
                else []
            )
            offenders += [
                f"{path.relative_to(ROOT)}:{node.lineno} {name}"
                for name in names
                if name.split(".")[0] in ("django", "wagtail")
            ]
    assert not offenders, f"engines import Django: {offenders}"


def test_function_level_project_imports_are_few_and_explained():
    inside = [item for item in _imports() if item.in_function]
    statements = {(item.path, item.line): item for item in inside}
    unexplained = []
    for (path, line), item in sorted(statements.items()):
        above = path.read_text(encoding="utf-8").splitlines()[line - 2].strip()
        if not above.startswith("#"):
            unexplained.append(_where(item))
    # An app's ready() registering its receivers is Django's own idiom and runs at every
    # start, so a mistake there cannot hide until a rare line runs: not counted.
    counted = [i for (path, _line), i in statements.items() if path.name != "apps.py"]
    assert len(counted) <= MAX_FUNCTION_LEVEL_IMPORTS, [_where(i) for i in counted]
    assert not unexplained, (
        f"say in a comment right above why these are not at the top: {unexplained}"
    )
