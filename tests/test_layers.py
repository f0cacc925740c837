"""The layer rules, checked: Qt only in kiosk/ui, SQLite only in kiosk/store."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "kiosk"
QT_MODULES = {"PySide6", "shiboken6", "pyqtgraph", "PyQt5", "PyQt6"}
SQL_MODULES = {"sqlite3", "sqlite_utils", "apsw"}


def imported_roots(path: Path) -> set[str]:
    """Top-level module names a file imports, anywhere in it (also inside functions)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    roots: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


def modules_outside(subpackage: str) -> list[Path]:
    return [p for p in PACKAGE.rglob("*.py") if subpackage not in p.relative_to(PACKAGE).parts]


@pytest.mark.parametrize("path", modules_outside("ui"), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_only_ui_imports_qt(path):
    assert not imported_roots(path) & QT_MODULES, f"{path} imports Qt outside kiosk/ui"


@pytest.mark.parametrize(
    "path", modules_outside("store"), ids=lambda p: str(p.relative_to(PACKAGE))
)
def test_only_store_imports_sqlite(path):
    assert not imported_roots(path) & SQL_MODULES, f"{path} talks to SQLite outside kiosk/store"


def test_the_checker_sees_imports_inside_functions(tmp_path):
    # Guards the guard: a lazily imported Qt module must still be caught.
    sample = tmp_path / "sample.py"
    sample.write_text("def f():\n    from PySide6 import QtCore\n")
    assert "PySide6" in imported_roots(sample)


def test_content_and_store_load_without_qt():
    # A fresh interpreter: importing every non-UI module must not pull Qt in.
    modules = [
        "kiosk." + ".".join(p.relative_to(PACKAGE).with_suffix("").parts)
        for p in modules_outside("ui")
        if p.name != "__main__.py"
    ]
    code = (
        "import sys, importlib\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name.removesuffix('.__init__'))\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in "
        f"{sorted(QT_MODULES)!r})\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "", f"Qt loaded by: {result.stdout}"


# -- import-linter contracts (pyproject.toml) ---------------------------------------------

ROOT = PACKAGE.parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def contracts() -> list[dict]:
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return config["tool"]["importlinter"]["contracts"]


def top_level_modules() -> set[str]:
    """kiosk.<name> for every module and subpackage directly under kiosk/."""
    names = {p.stem for p in PACKAGE.glob("*.py") if p.stem not in ("__init__", "__main__")}
    names |= {p.parent.name for p in PACKAGE.glob("*/__init__.py")}
    return {f"kiosk.{name}" for name in names}


def test_content_contract_names_every_other_kiosk_module():
    # A new module at the package root must be added to the contract, or content could
    # import it unseen.
    (pure,) = [c for c in contracts() if c["source_modules"] == ["kiosk.content"]]
    assert set(pure["forbidden_modules"]) == top_level_modules() - {"kiosk.content"}


def test_every_module_below_the_command_line_is_kept_from_the_ui():
    (rule,) = [
        c
        for c in contracts()
        if "kiosk.ui" in c["forbidden_modules"]
        and "kiosk.cli" in c["forbidden_modules"]
        and len(c["source_modules"]) > 1
    ]
    assert set(rule["source_modules"]) == top_level_modules() - {"kiosk.ui", "kiosk.cli"}


def test_system_is_kept_from_every_subsystem_above_it():
    # kiosk.system is imported by everyone, so it may import only kiosk.content.
    (rule,) = [c for c in contracts() if c["source_modules"] == ["kiosk.system"]]
    assert set(rule["forbidden_modules"]) == top_level_modules() - {"kiosk.system", "kiosk.content"}


def test_the_package_root_holds_only_entry_points_and_subpackages():
    # Ops modules live in kiosk/system and kiosk/doctor; a loose module at the root would be
    # the start of a second "misc" layer the contracts above do not describe.
    loose = {p.name for p in PACKAGE.glob("*.py")} - {"__init__.py", "__main__.py"}
    assert not loose, f"put {sorted(loose)} in a subpackage (kiosk/system, kiosk/doctor, ...)"


def run_lint_imports(tree: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(tree / "pyproject.toml"), "--no-cache"],
        cwd=tree,
        env={"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("module", "violation"),
    [
        ("content/model.py", "from kiosk.store import errors as _layer_violation\n"),
        ("store/errors.py", "def _late():\n    import kiosk.ui.theme  # noqa\n"),
        ("doctor/probes.py", "from kiosk.ui import doctor_screens as _layer_violation\n"),
        ("system/config.py", "from kiosk.store import errors as _layer_violation\n"),
        ("studio/__init__.py", "import PySide6 as _layer_violation\n"),
    ],
)
def test_lint_imports_fails_on_a_deliberate_violation(tmp_path, module, violation):
    # The same contracts on a copy of the package with one forbidden import added.
    shutil.copytree(PACKAGE, tmp_path / "kiosk", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    clean = run_lint_imports(tmp_path)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    with (tmp_path / "kiosk" / module).open("a", encoding="utf-8") as handle:
        handle.write(violation)
    broken = run_lint_imports(tmp_path)
    assert broken.returncode != 0
    assert "BROKEN" in broken.stdout
