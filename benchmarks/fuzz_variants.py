"""Damaged and hostile variants of a good content DB, for ``benchmarks/fuzz.py``.

Each mutator takes (path, rng) and changes the file at ``path`` in place; ``variant``
applies one to three of them to a fresh copy of the good DB and returns their names.
Kinds: byte flips in the header and in pages, truncation, zeroed pages, garbage appended,
renamed and dropped tables and columns, views in place of tables, wrong types, NULLs,
NaN and infinities, huge numbers and strings, markup and control characters, invalid
UTF-8, references to missing rows, future schema versions, repeated references.
"""

from __future__ import annotations

import contextlib
import random
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

from kiosk.store.layout import TABLE_ORDER

TABLES = TABLE_ORDER
PAGE = 4096


def _sql(path: Path, *statements: str, params: tuple = ()) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        for statement in statements:
            conn.execute(statement, params if "?" in statement else ())
    finally:
        conn.close()


def _columns(path: Path, table: str) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return [row[1] for row in conn.execute(f'PRAGMA table_info("{table}")')]
    finally:
        conn.close()


def _checkpoint(path: Path) -> None:
    """Fold any -wal into the main file, so that byte damage hits what is read."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode = DELETE").fetchone()
    except sqlite3.Error as error:
        print(f"fuzz: checkpoint of the variant failed ({error}); it stays as it is")
    finally:
        conn.close()


# -- bytes ---------------------------------------------------------------------------------
def flip_header(path: Path, rng: random.Random) -> None:
    data = bytearray(path.read_bytes())
    for _ in range(rng.randint(1, 4)):
        data[rng.randrange(100)] ^= 1 << rng.randrange(8)
    path.write_bytes(bytes(data))


def flip_pages(path: Path, rng: random.Random) -> None:
    data = bytearray(path.read_bytes())
    for _ in range(rng.choice((1, 3, 20, 200))):
        data[rng.randrange(100, len(data))] = rng.randrange(256)
    path.write_bytes(bytes(data))


def truncate(path: Path, rng: random.Random) -> None:
    data = path.read_bytes()
    cut = rng.choice((rng.randrange(1, len(data)), PAGE * rng.randrange(1, len(data) // PAGE)))
    path.write_bytes(data[:cut])


def zero_page(path: Path, rng: random.Random) -> None:
    data = bytearray(path.read_bytes())
    page = rng.randrange(len(data) // PAGE)
    data[page * PAGE : (page + 1) * PAGE] = bytes(PAGE)
    path.write_bytes(bytes(data))


def append_garbage(path: Path, rng: random.Random) -> None:
    with open(path, "ab") as handle:
        handle.write(rng.randbytes(rng.choice((1, 100, PAGE, 3 * PAGE))))


# -- schema --------------------------------------------------------------------------------
def rename_table(path: Path, rng: random.Random) -> None:
    table = rng.choice(TABLES)
    _sql(path, f'ALTER TABLE "{table}" RENAME TO "{table}_old"')


def drop_table(path: Path, rng: random.Random) -> None:
    _sql(path, f'DROP TABLE "{rng.choice(TABLES)}"')


def rename_column(path: Path, rng: random.Random) -> None:
    table = rng.choice(TABLES)
    column = rng.choice(_columns(path, table)[1:])
    _sql(path, f'ALTER TABLE "{table}" RENAME COLUMN "{column}" TO "{column}_x"')


def drop_column(path: Path, rng: random.Random) -> None:
    table = rng.choice(TABLES)
    column = rng.choice(_columns(path, table)[1:])
    try:
        _sql(path, f'ALTER TABLE "{table}" DROP COLUMN "{column}"')
    except sqlite3.OperationalError:  # part of an index: drop it with the index
        _sql(path, *_drop_indexes(path, table), f'ALTER TABLE "{table}" DROP COLUMN "{column}"')


def _drop_indexes(path: Path, table: str) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute(
            "SELECT name FROM sqlite_master WHERE type='index' AND tbl_name=? AND sql IS NOT NULL",
            (table,),
        ).fetchall()
    finally:
        conn.close()
    return [f'DROP INDEX "{name}"' for (name,) in rows]


def view_for_table(path: Path, rng: random.Random) -> None:
    table = rng.choice(TABLES)
    slow = rng.random() < 0.3
    body = f'SELECT * FROM "{table}_data"'
    if slow:  # a view that takes long to compute
        body = (
            f"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 50000000) "
            f'SELECT t.* FROM "{table}_data" t, n WHERE n.i = 50000000'
        )
    _sql(
        path,
        f'ALTER TABLE "{table}" RENAME TO "{table}_data"',
        f'CREATE VIEW "{table}" AS {body}',
    )


def extra_column(path: Path, rng: random.Random) -> None:
    _sql(path, f"ALTER TABLE \"{rng.choice(TABLES)}\" ADD COLUMN surprise TEXT DEFAULT 'x'")


def future_schema(path: Path, rng: random.Random) -> None:
    if rng.random() < 0.5:
        _sql(path, f"PRAGMA user_version = {rng.choice((3, 99, 2**31 - 1))}")
    else:
        _sql(
            path,
            "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
            "VALUES ('kiosk_content', '0099_from_the_future', '2030-01-01')",
        )


def unconstrained(path: Path, rng: random.Random) -> str:
    """Rebuild a table without its constraints (so NULLs and any type fit); its name."""
    table = rng.choice(TABLES)
    _sql(
        path,
        f'CREATE TABLE "{table}_copy" AS SELECT * FROM "{table}"',
        f'DROP TABLE "{table}"',
        f'ALTER TABLE "{table}_copy" RENAME TO "{table}"',
    )
    return table


# -- values --------------------------------------------------------------------------------
HOSTILE_TEXT = (
    "<b>bold</b><script>alert(1)</script>",
    "&amp; &lt; &#0; %s %n {0} {lang}",
    "\x00\x01\x1b[31mred\x1b[0m\x7f",
    "\u202eevil\u202c \u200b\u200d\ufeff",
    "Z\u0351\u0352\u0353\u0354\u0355" * 200,
    "\n\n\n\t\r" * 50,
    "🇻🇳" * 500,
    "x" * 19_000,
    "y" * 200_000,
    "",
    " ",
)
HOSTILE_NUMBERS = (
    float("inf"),
    float("-inf"),
    1e308,
    -1e308,
    2**63 - 1,
    -(2**63),
    0,
    -1,
    1e-300,
    "NaN",
    "1.890",
    "abc",
    b"\x00\xff",
)


def _set_value(path: Path, rng: random.Random, value) -> None:
    table = rng.choice(TABLES)
    column = rng.choice(_columns(path, table))
    sql = f'UPDATE "{table}" SET "{column}" = ?'
    if rng.random() < 0.7:  # one row, or all of them
        sql += f' WHERE rowid = (SELECT min(rowid) FROM "{table}")'
    with contextlib.suppress(sqlite3.Error):  # a constraint: the variant is what it is
        _sql(path, sql, params=(value,))


def hostile_text(path: Path, rng: random.Random) -> None:
    _set_value(path, rng, rng.choice(HOSTILE_TEXT))


def hostile_number(path: Path, rng: random.Random) -> None:
    _set_value(path, rng, rng.choice(HOSTILE_NUMBERS))


def nulls(path: Path, rng: random.Random) -> None:
    table = unconstrained(path, rng)
    column = rng.choice(_columns(path, table))
    _sql(path, f'UPDATE "{table}" SET "{column}" = NULL')


def wrong_type(path: Path, rng: random.Random) -> None:
    table = unconstrained(path, rng)
    column = rng.choice(_columns(path, table))
    value = rng.choice((b"\x89PNG\r\n", 3.5, -7, "2023-02-30", "not a date", "1e9999"))
    _sql(path, f'UPDATE "{table}" SET "{column}" = ?', params=(value,))


def invalid_utf8(path: Path, rng: random.Random) -> None:
    table = rng.choice(TABLES)
    column = rng.choice(_columns(path, table)[1:])
    blob = rng.choice(("fffe", "c328", "e28228", "80", "eda080"))
    with contextlib.suppress(sqlite3.Error):
        _sql(path, f'UPDATE "{table}" SET "{column}" = CAST(x\'{blob}\' AS TEXT)')


def missing_references(path: Path, rng: random.Random) -> None:
    choice = rng.randrange(3)
    if choice == 0:
        table = rng.choice(("indicators", "milestones", "quotes", "projects", "statements"))
        _sql(path, f"UPDATE \"{table}\" SET source_key = 'no_such_source'")
    elif choice == 1:
        _sql(path, "UPDATE playlist SET ref = 'no_such_row,also_missing'")
    else:
        _sql(path, "DELETE FROM sources")


def repeated_references(path: Path, rng: random.Random) -> None:
    times = rng.choice((50, 2000, 9000))
    _sql(
        path,
        "UPDATE playlist SET ref = ? WHERE kind = 'kpi'",
        params=(",".join(["phones"] * times),),
    )


def many_rows(path: Path, rng: random.Random) -> None:
    count = rng.choice((300, 6000))
    _sql(
        path,
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?) "
        "INSERT INTO statements (key, category, text_vi, text_en, source_key, position) "
        "SELECT 'gen' || i, 'vision', 'Câu ' || i, 'Line ' || i, "
        "(SELECT key FROM sources LIMIT 1), i FROM n",
        params=(count,),
    )


BYTE_MUTATORS: tuple[Callable, ...] = (flip_header, flip_pages, truncate, zero_page, append_garbage)
SQL_MUTATORS: tuple[Callable, ...] = (
    rename_table,
    drop_table,
    rename_column,
    drop_column,
    view_for_table,
    extra_column,
    future_schema,
    hostile_text,
    hostile_number,
    nulls,
    wrong_type,
    invalid_utf8,
    missing_references,
    repeated_references,
    many_rows,
)


def variant(good: Path, dest: Path, rng: random.Random) -> list[str]:
    """A fresh copy of ``good`` at ``dest`` with 1-3 mutations; their names."""
    shutil.copyfile(good, dest)
    for suffix in ("-wal", "-shm", "-journal"):
        Path(f"{dest}{suffix}").unlink(missing_ok=True)
    names = []
    for mutator in rng.sample(SQL_MUTATORS, rng.choice((0, 1, 1, 2))):
        try:
            mutator(dest, rng)
        except (sqlite3.Error, IndexError):  # an earlier one dropped what this one needs
            continue
        names.append(mutator.__name__)
    _checkpoint(dest)
    if not names or rng.random() < 0.4:
        mutator = rng.choice(BYTE_MUTATORS)
        mutator(dest, rng)
        names.append(mutator.__name__)
    return names
