"""Fixtures: a DB built from the shipped db/ seed, in a tmp folder."""

from pathlib import Path

import pytest

from kiosk.store import build_db

SEED = Path(__file__).resolve().parents[2] / "db"


@pytest.fixture
def seed_dir() -> Path:
    return SEED


@pytest.fixture
def built_db(tmp_path) -> Path:
    target = tmp_path / "content.db"
    build_db(target, SEED)
    return target
