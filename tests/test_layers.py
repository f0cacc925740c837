"""The layer rules, checked: Qt only in kiosk/ui, SQLite only in kiosk/store."""

from __future__ import annotations

import ast
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
