"""The picture of docs/architecture.md holds: import-linter's contracts (.importlinter) pass, a forbidden arrow
breaks them, and nothing (a project module or a library, in the code or its tests) is imported inside a function
without a comment that says why."""

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
PACKAGES = ("attestation", "commissions", "exams", "appeals", "proctoring", "portal", "api")
LINT_IMPORTS = str(Path(sys.executable).with_name("lint-imports"))


def _lint_imports(cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([LINT_IMPORTS, "--no-cache"], cwd=cwd, capture_output=True, text=True, timeout=300, check=False)


def test_the_import_contracts_hold():
    done = _lint_imports(ROOT)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]


def _copy_of_the_code(tmp_path: Path) -> Path:
    """The packages (without migrations) and the contracts, where a probe can be added safely."""
    for package in PACKAGES:
        shutil.copytree(
            ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("migrations", "*.pyc", "__pycache__")
        )
    shutil.copy(ROOT / ".importlinter", tmp_path / ".importlinter")
    return tmp_path


@pytest.mark.parametrize(
    ("probe", "imports", "broken", "says"),
    [
        ("attestation/core/probe.py", "commissions.models", "The apps import only downward", "attestation.core.probe"),
        ("commissions/probe.py", "appeals.services", "The apps import only downward", "commissions.probe"),
        ("exams/probe.py", "proctoring.models", "The apps import only downward", "exams.probe"),
        ("exams/probe.py", "exams.yearend.models", "Inside exams the year end is on top", "exams.probe"),
        (
            "attestation/institutions/probe.py",
            "attestation.accounts.views",
            "The core's own layers",
            "attestation.institutions.probe",
        ),
        # commissions.tasks imports the papers' services: papers importing the tasks back closes a cycle.
        ("commissions/papers/probe.py", "commissions.tasks", "No import cycles", "No cycles are allowed in commissions."),
    ],
)
def test_a_forbidden_arrow_breaks_the_contracts(tmp_path, probe, imports, broken, says):
    code = _copy_of_the_code(tmp_path)
    (code / probe).write_text(f"import {imports}  # a forbidden arrow\n")
    done = _lint_imports(code)
    assert done.returncode == 1
    assert broken in done.stdout
    assert says in done.stdout


def unexplained_local_imports(source: str) -> list[int]:
    """Lines of imports made inside a function with no comment on the line or just above."""
    lines = source.splitlines()
    found = []
    for function in ast.walk(ast.parse(source)):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for node in ast.walk(function):
            if isinstance(node, ast.Import | ast.ImportFrom):
                own = lines[node.lineno - 1 : node.end_lineno]
                above = lines[node.lineno - 2].strip() if node.lineno > 1 else ""
                if not any("#" in line for line in own) and not above.startswith("#"):
                    found.append(node.lineno)
    return sorted(set(found))


def _code_files():
    yield ROOT / "conftest.py"
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).parts
            if "migrations" not in parts and "node_modules" not in parts:
                yield path


def test_nothing_is_imported_inside_a_function_without_a_reason():
    found = [
        f"{path.relative_to(ROOT)}:{line}"
        for path in _code_files()
        for line in unexplained_local_imports(path.read_text(encoding="utf-8"))
    ]
    assert not found, "Import these at the top of the module, or say why in a comment: " + ", ".join(found)


def test_the_function_level_import_check_tells_an_explained_import_from_a_hidden_one():
    hidden = "def f():\n    from commissions.models import Slot\n    return Slot\n"
    explained = "def ready(self):\n    # Django's way: registered once the apps are loaded.\n    from appeals import hooks\n"
    on_the_line = "def f():\n    from exams import tasks  # noqa: F401 - registers the tasks\n"
    library = "def f():\n    from django.urls import reverse\n"
    assert unexplained_local_imports(hidden) == [2]
    assert unexplained_local_imports(explained) == []
    assert unexplained_local_imports(on_the_line) == []
    assert unexplained_local_imports(library) == [2]
