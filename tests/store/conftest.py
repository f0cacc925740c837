"""Fixtures: a DB built from the shipped db/ seed, in a tmp folder."""

import sqlite3
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


def _dump(db: Path) -> str:
    conn = sqlite3.connect(db)
    try:
        return "\n".join(conn.iterdump())
    finally:
        conn.close()


@pytest.fixture
def dump():
    """``dump(db)``: the whole DB as SQL text; equal dumps mean nothing changed."""
    return _dump
