"""Staff operations on the content DB: build, import, export, validate, migrate, backup."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import sqlite3
import tempfile
from pathlib import Path

from kiosk.store.errors import StoreError, explain
from kiosk.store.reader import check_schema, open_ro, read_rows, snapshot
from kiosk.store.schema import SCHEMA_VERSION, TABLE_ORDER, TABLES, apply_migrations, schema_version
from kiosk.store.validate import Problem, check_rows

WRITE_TIMEOUT_S = 3.0


def _open_rw(path: Path) -> sqlite3.Connection:
    try:
        conn = sqlite3.connect(path, timeout=WRITE_TIMEOUT_S, isolation_level=None)
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA foreign_keys = OFF")  # source_key is checked by validate
        mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
        if mode != "wal":
            # WAL lets the kiosk keep reading while staff write.
            conn.execute("PRAGMA journal_mode = WAL")
    except sqlite3.Error as error:
        raise explain(path, error) from None
    return conn


def _check_existing(path: Path) -> None:
    if path.exists():
        open_ro(path).close()  # raises one-line errors for empty / not-SQLite files


def read_source_file(file: Path) -> tuple[str, list[dict]]:
    """Parse a CSV/JSON seed file -> (table, rows); checks encoding and columns."""
    try:
        text = file.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise StoreError(f"{file}: file not found") from None
    except UnicodeDecodeError as error:
        raise StoreError(
            f"{file}: not UTF-8 text (byte {error.start}); save it as UTF-8 (CSV UTF-8 in Excel)"
        ) from None
    table = file.stem
    if file.suffix.lower() == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise StoreError(f"{file}: bad JSON at line {error.lineno}: {error.msg}") from None
        if isinstance(data, dict):
            table, rows = data.get("table", table), data.get("rows", [])
        else:
            rows = data
        if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
            raise StoreError(f"{file}: JSON must be a list of objects (or {{table, rows}})")
        start = 1
    elif file.suffix.lower() == ".csv":
        reader = csv.DictReader(io.StringIO(text, newline=""))
        rows = [dict(r) for r in reader]
        if reader.fieldnames is None:
            raise StoreError(f"{file}: empty CSV; the first line must name the columns")
        start = 2
    else:
        raise StoreError(f"{file}: only .csv and .json files can be imported")
    if table not in TABLES:
        raise StoreError(
            f"{file}: unknown table '{table}'; name the file after one of: "
            + ", ".join(TABLE_ORDER)
        )
    known = {c for c, _ in TABLES[table]}
    for n, row in enumerate(rows, start):
        extra = [c for c in row if c not in known]
        if None in row or extra:
            raise StoreError(
                f"{file} row {n}: unknown column '{extra[0] if extra else '(extra value)'}'; "
                f"columns are: {', '.join(c for c, _ in TABLES[table])}"
            )
        if not str(row.get("key") or "").strip():
            raise StoreError(f"{file} row {n}: column 'key' is empty; every row needs a key")
    return table, [dict(r, _row=n) for n, r in enumerate(rows, start)]


def _coerce(file: Path, table: str, row: dict) -> dict:
    out = {}
    for col, kind in TABLES[table]:
        if col not in row:
            continue
        value = row[col]
        if isinstance(value, str):
            value = value.strip()
        if ("REAL" in kind or "INTEGER" in kind) and col != "key":
            if value in ("", None):
                value = None if kind in ("INTEGER", "REAL") else 0
            else:
                try:
                    value = float(str(value).replace(",", ".")) if "REAL" in kind else int(value)
                except ValueError:
                    raise StoreError(
                        f"{file} row {row['_row']}: column '{col}' must be a number, got '{value}'"
                    ) from None
        out[col] = value
    return out


def _upsert(conn, file: Path, table: str, rows: list[dict]) -> int:
    for row in rows:
        data = _coerce(file, table, row)
        cols = list(data)
        exists = conn.execute(f'SELECT 1 FROM "{table}" WHERE key = ?', (data["key"],))
        if exists.fetchone() and len(cols) > 1:
            # A partial row updates only the columns it names.
            sets = ", ".join(f'"{c}" = ?' for c in cols if c != "key")
            sql = f'UPDATE "{table}" SET {sets} WHERE key = ?'
            params = [data[c] for c in cols if c != "key"] + [data["key"]]
        else:
            names = ", ".join(f'"{c}"' for c in cols)
            sql = (
                f'INSERT OR REPLACE INTO "{table}" ({names}) VALUES ({", ".join("?" * len(cols))})'
            )
            params = [data[c] for c in cols]
        try:
            conn.execute(sql, params)
        except sqlite3.IntegrityError as error:
            raise StoreError(f"{file} row {row['_row']}: {error}; fill in the column") from None
    return len(rows)


def _errors_line(problems: list[Problem], what: str) -> StoreError:
    errors = [p for p in problems if p.level == "error"]
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    return StoreError(f"{what}: nothing changed; {errors[0]}{more}")


def build_db(target, seed_dir) -> str:
    """Build a DB from the CSV/JSON files in ``seed_dir``; publish it into ``target`` at once."""
    target, seed_dir = Path(target), Path(seed_dir)
    files = sorted(
        (p for p in seed_dir.iterdir() if p.suffix.lower() in (".csv", ".json")),
        key=lambda p: TABLE_ORDER.index(p.stem) if p.stem in TABLES else 99,
    )
    _check_existing(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        tmp_db = Path(tmp) / "build.db"
        conn = sqlite3.connect(tmp_db, isolation_level=None)
        conn.row_factory = sqlite3.Row
        try:
            conn.execute("BEGIN")
            apply_migrations(conn)
            counts = {}
            for file in files:
                table, rows = read_source_file(file)
                counts[table] = _upsert(conn, file, table, rows)
            conn.execute("COMMIT")
            problems = check_rows(read_rows(conn), target.resolve().parent)
            if any(p.level == "error" for p in problems):
                raise _errors_line(problems, f"build from {seed_dir}")
            dst = _open_rw(target)
            try:
                # The backup API replaces the target's pages in one go; a kiosk reading it
                # sees either the old or the new content, and its file stays the same inode.
                conn.backup(dst)
                dst.execute("PRAGMA journal_mode = WAL")
            except sqlite3.Error as error:
                raise explain(target, error) from None
            finally:
                dst.close()
        finally:
            conn.close()
    warnings = sum(p.level == "warning" for p in problems)
    return ", ".join(f"{n} {t}" for t, n in counts.items()) + f"; {warnings} warning(s)"


def import_file(db_path, file) -> str:
    """Upsert rows from one CSV/JSON file, all or nothing, validated before commit."""
    path, file = Path(db_path), Path(file)
    table, rows = read_source_file(file)
    _check_existing(path)
    conn = _open_rw(path)
    try:
        conn.execute("BEGIN IMMEDIATE")
        try:
            apply_migrations(conn)
            count = _upsert(conn, file, table, rows)
            problems = check_rows(read_rows(conn), path.resolve().parent)
            if any(p.level == "error" for p in problems):
                raise _errors_line(problems, f"import {file.name}")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
    except sqlite3.Error as error:
        raise explain(path, error) from None
    finally:
        conn.close()
    return f"imported {count} row(s) into {table} from {file.name}"


def export_dir(db_path, out_dir) -> list[Path]:
    """Write one CSV per table (UTF-8), in the format ``import_file`` reads back."""
    path, out_dir = Path(db_path), Path(out_dir)
    conn = open_ro(path)
    try:
        rows = snapshot(conn, path)
    finally:
        conn.close()
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for table in TABLE_ORDER:
        dest = out_dir / f"{table}.csv"
        with dest.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            cols = [c for c, _ in TABLES[table]]
            writer.writerow(cols)
            for row in rows[table]:
                writer.writerow(["" if row[c] is None else _fmt(row[c]) for c in cols])
        written.append(dest)
    return written


def _fmt(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def validate_db(db_path) -> list[Problem]:
    """Every content rule over the DB; StoreError only if it cannot be read at all."""
    path = Path(db_path)
    conn = open_ro(path)
    try:
        rows = snapshot(conn, path)
    finally:
        conn.close()
    return check_rows(rows, path.resolve().parent)


def migrate_db(db_path) -> list[str]:
    """Apply missing schema steps; return their names (empty when up to date)."""
    path = Path(db_path)
    _check_existing(path)
    conn = _open_rw(path)
    try:
        conn.execute("BEGIN IMMEDIATE")
        try:
            applied = apply_migrations(conn)
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
        check_schema(conn, path)  # "up to date" only if the kiosk can read every column
    except sqlite3.Error as error:
        raise explain(path, error) from None
    finally:
        conn.close()
    return applied


def upgrade_on_start(db_path) -> list[str]:
    """At kiosk start-up: migrate an older content DB in place; return the steps applied.

    Writes nothing when the schema is current (the kiosk may run without write access), and
    leaves missing, empty or non-content files to the read path, which explains them.
    A newer schema raises StoreError, as does a DB that cannot be written.
    """
    path = Path(db_path)
    if not path.is_file() or path.stat().st_size == 0:
        return []
    conn = open_ro(path)
    try:
        version = schema_version(conn)
    except sqlite3.Error as error:
        raise explain(path, error) from None
    finally:
        conn.close()
    if version == 0 or version == SCHEMA_VERSION:
        return []
    return migrate_db(path)


def backup_db(db_path, dest=None) -> Path:
    """Copy the DB with the SQLite backup API to ``dest`` (file or folder) or beside it.

    Never writes over an existing file (the backup API would replace its content, and the
    file named could be the live DB or an older backup): a time-stamped name gets a ``-2``,
    ``-3`` … suffix, an explicit file name that exists is refused.
    """
    path = Path(db_path)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    name = f"{path.stem}-{stamp}.db"
    if dest is None:
        out = _unused(path.with_name(name))
    else:
        dest = Path(dest)
        if dest.is_dir() or str(dest).endswith(("/", "\\")):
            out = _unused(dest / name)
        elif dest.exists():
            raise StoreError(
                f"{dest} already exists; give a new file name or a folder, "
                "a backup never writes over a file"
            )
        else:
            out = dest
    conn = open_ro(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    try:
        target = sqlite3.connect(out)
        try:
            conn.backup(target)
        finally:
            target.close()
    except sqlite3.Error as error:
        raise explain(path, error) from None
    finally:
        conn.close()
    return out


def _unused(path: Path) -> Path:
    """``path``, or the first of ``stem-2``, ``stem-3`` … that does not exist yet."""
    candidate, n = path, 1
    while candidate.exists():
        n += 1
        candidate = path.with_name(f"{path.stem}-{n}{path.suffix}")
    return candidate
