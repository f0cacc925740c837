"""The content store: the only code that talks to SQLite.

``load_content`` reads; ``ContentSource`` watches for changes; the rest are staff operations
used by ``kiosk db`` and the studio (``plan_import`` checks a file and writes nothing,
``apply_import`` writes a checked plan). The staff operations (which need sqlite-utils)
are imported on first use, so the kiosk's read path starts without loading sqlite-utils.
"""

from importlib import import_module

from kiosk.store.errors import StoreError
from kiosk.store.reader import load_content
from kiosk.store.source import ContentSource
from kiosk.store.validate import Problem

# Staff operations: name -> module, imported on first use.
_STAFF_NAMES = {
    "apply_import": "applying",
    "backup_db": "backups",
    "build_db": "writer",
    "delete_rows": "applying",
    "export_dir": "export",
    "export_xlsx": "export",
    "import_file": "applying",
    "ImportPlan": "importing",
    "ImportRefused": "spreadsheet",
    "ImportResult": "applying",
    "latest_backups": "backups",
    "migrate_db": "writer",
    "plan_import": "importing",
    "restore_db": "writer",
    "TableChanges": "importing",
    "upgrade_on_start": "writer",
    "validate_db": "writer",
}


def __getattr__(name: str):
    if name in _STAFF_NAMES:
        return getattr(import_module(f"kiosk.store.{_STAFF_NAMES[name]}"), name)
    raise AttributeError(f"module 'kiosk.store' has no attribute {name!r}")


__all__ = [
    "ContentSource",
    "Problem",
    "StoreError",
    "load_content",
    *_STAFF_NAMES,
]
