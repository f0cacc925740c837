"""Hostile and damaged import files: a plan with problems or one refusal, never a crash."""

import random
from pathlib import Path

import pytest

from kiosk.store import ImportRefused, plan_import

SEED = Path(__file__).resolve().parents[2] / "db"


def mutations(data: bytes, rng: random.Random, count: int):
    """Byte flips, truncations, insertions of separators/quotes/control bytes, encodings."""
    specials = [b",", b";", b"\t", b'"', b"\r\n", b"\x00", b"\xff", b"\xc3", b"%", b"1.890"]
    for _ in range(count):
        buf = bytearray(data)
        for _ in range(rng.randint(1, 6)):
            kind = rng.randrange(4)
            at = rng.randrange(len(buf) + 1)
            if kind == 0 and buf:
                buf[min(at, len(buf) - 1)] = rng.randrange(256)
            elif kind == 1:
                buf = buf[:at]
            elif kind == 2:
                buf[at:at] = rng.choice(specials)
            else:
                buf[at:at] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 8)))
        yield bytes(buf)


@pytest.mark.parametrize("table", ["indicators", "milestones", "playlist"])
def test_mutated_csv_never_crashes(built_db, table):
    rng = random.Random(table)
    data = (SEED / f"{table}.csv").read_bytes()
    for sample in mutations(data, rng, 150):
        try:
            plan = plan_import(built_db, (f"{table}.csv", sample), numbers=rng.choice([None, "vi"]))
        except ImportRefused as refused:
            assert "\n" not in str(refused) and refused.problem.text("vi")
            continue
        for problem in plan.problems:
            assert "\n" not in str(problem) and problem.text("vi") and problem.text("en")


def test_mutated_xlsx_never_crashes(built_db, tmp_path):
    from kiosk.store import export_xlsx

    data = export_xlsx(built_db, tmp_path / "content.xlsx").read_bytes()
    rng = random.Random(7)
    for sample in mutations(data, rng, 40):
        try:
            plan_import(built_db, ("content.xlsx", sample))
        except ImportRefused as refused:
            assert "\n" not in str(refused)
