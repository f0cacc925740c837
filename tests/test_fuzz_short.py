"""A short run of the content fuzz suite (``make fuzz`` runs 500 variants): hostile and
damaged DBs through validate, the running kiosk's reload path and start-up."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.fuzz import run  # noqa: E402
from benchmarks.fuzz_variants import BYTE_MUTATORS, SQL_MUTATORS  # noqa: E402

pytestmark = pytest.mark.gui


def test_short_fuzz_run_has_no_failures(qapp):
    report = run(30, seed=11)
    assert report.failures == []
    assert report.variants == 30 and report.refused > 0
    assert report.validate_runs == 30 and report.startups == 30
    assert report.last_good_shown_at_start > 0


def test_every_kind_of_mutation_is_used_by_a_full_run():
    import random
    import tempfile

    from benchmarks.fuzz_variants import variant
    from kiosk.store import build_db

    with tempfile.TemporaryDirectory() as folder:
        good = Path(folder) / "good.db"
        build_db(good, Path(__file__).resolve().parents[1] / "db")
        used = set()
        for index in range(60):
            used.update(variant(good, Path(folder) / "v.db", random.Random(index)))
    assert used == {m.__name__ for m in BYTE_MUTATORS + SQL_MUTATORS}
