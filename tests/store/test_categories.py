"""Milestone categories as a table staff extend (both names and a colour), milestones with
show_from / show_until, and the additive step 0003 that brings an older DB there."""

import datetime as dt
import shutil
import sqlite3

import pytest

from kiosk.store import StoreError, build_db, load_content, migrate_db, validate_db
from kiosk.store.schema import STEP_NAMES


def _seed_copy(seed_dir, tmp_path):
    folder = tmp_path / "src"
    shutil.copytree(seed_dir, folder)
    return folder


def test_the_seed_categories_name_every_milestone_category(built_db):
    content = load_content(built_db)
    keys = {c.key for c in content.categories}
    assert {m.category for m in content.milestones} <= keys
    event = content.category("event")
    assert (event.name.vi, event.name.en, event.color) == ("Sự kiện", "Event", "#F472B6")


def test_staff_add_a_category_with_both_names_and_a_colour(seed_dir, tmp_path):
    folder = _seed_copy(seed_dir, tmp_path)
    with (folder / "categories.csv").open("a", encoding="utf-8") as f:
        f.write("training,Đào tạo,Training,#22D3EE,90\n")
    text = (folder / "milestones.csv").read_text(encoding="utf-8")
    (folder / "milestones.csv").write_text(
        text.replace(",event,art003,", ",training,art003,", 1), encoding="utf-8"
    )
    db = tmp_path / "content.db"
    build_db(db, folder)
    content = load_content(db)
    assert content.category("training").name.vi == "Đào tạo"
    assert "training" in {m.category for m in content.milestones}


def test_a_milestone_with_an_unknown_category_is_refused_with_one_clear_line(seed_dir, tmp_path):
    folder = _seed_copy(seed_dir, tmp_path)
    text = (folder / "milestones.csv").read_text(encoding="utf-8")
    (folder / "milestones.csv").write_text(
        text.replace(",event,art003,", ",workshop,art003,", 1), encoding="utf-8"
    )
    with pytest.raises(StoreError) as error:
        build_db(tmp_path / "content.db", folder)
    message = str(error.value)
    assert "unknown category 'workshop'" in message and "\n" not in message
    assert not (tmp_path / "content.db").exists()


def test_a_category_typed_with_capitals_is_the_same_category(seed_dir, tmp_path):
    """'Event' from Excel is 'event': one chip, one translated name, never two."""
    folder = _seed_copy(seed_dir, tmp_path)
    text = (folder / "milestones.csv").read_text(encoding="utf-8")
    (folder / "milestones.csv").write_text(
        text.replace(",event,art003,", ",Event,art003,", 1), encoding="utf-8"
    )
    db = tmp_path / "content.db"
    build_db(db, folder)
    categories = [m.category for m in load_content(db).milestones]
    assert "Event" not in categories and "event" in categories


def test_a_bad_colour_is_an_error(built_db):
    conn = sqlite3.connect(built_db)
    conn.execute("UPDATE categories SET color = 'pink' WHERE key = 'event'")
    conn.commit()
    conn.close()
    problems = validate_db(built_db)
    assert any(
        "categories [event] color: 'pink' is not a colour like #F472B6" in str(p) for p in problems
    )
    problem = next(p for p in problems if p.table == "categories")
    assert "Màu" in problem.text("vi") and "#F472B6" in problem.text("vi")


def test_show_from_and_until_are_read_and_checked(built_db):
    conn = sqlite3.connect(built_db)
    conn.execute(
        "UPDATE milestones SET show_from = '2022-02-01', show_until = '2022-12-31'"
        " WHERE key = 'm_conference'"
    )
    conn.execute("UPDATE milestones SET show_from = 'soon' WHERE key = 'm_dti'")
    conn.commit()
    conn.close()
    problems = [str(p) for p in validate_db(built_db)]
    assert any("milestones [m_dti] show_from: must be a date" in p for p in problems), problems
    conn = sqlite3.connect(built_db)
    conn.execute("UPDATE milestones SET show_from = '' WHERE key = 'm_dti'")
    conn.commit()
    conn.close()
    content = load_content(built_db)
    conference = next(m for m in content.milestones if m.key == "m_conference")
    assert conference.show_from == dt.date(2022, 2, 1)
    assert not conference.showing_on(dt.date(2022, 1, 31))
    assert conference.showing_on(dt.date(2022, 12, 31))
    always = next(m for m in content.milestones if m.key == "m_dti")
    assert always.show_from is None and always.showing_on(dt.date(2000, 1, 1))


def test_a_v2_db_gains_categories_from_its_milestones_and_keeps_every_row(built_db):
    """Step 0003 is additive: a DB from before it (no categories table, no show columns)
    gets both, its categories named and coloured as the kiosk showed them."""
    before = load_content(built_db)
    conn = sqlite3.connect(built_db)
    conn.executescript(
        "DROP TABLE categories;"
        "ALTER TABLE milestones DROP COLUMN show_from;"
        "ALTER TABLE milestones DROP COLUMN show_until;"
        "DROP TABLE images;"
        "DELETE FROM _sqlite_migrations WHERE name IN "
        "('0003_categories_and_showing', '0004_milestone_images');"
        "PRAGMA user_version = 2;"
    )
    conn.close()
    with pytest.raises(StoreError, match="kiosk db migrate"):
        load_content(built_db)
    assert migrate_db(built_db) == [STEP_NAMES[2], STEP_NAMES[3]]
    after = load_content(built_db)
    assert after.milestones == before.milestones and after.indicators == before.indicators
    used = {m.category for m in before.milestones}
    assert {c.key for c in after.categories} == used
    for category in after.categories:
        old = before.category(category.key)
        assert (category.name, category.color) == (old.name, old.color)
    assert [p for p in validate_db(built_db) if p.level == "error"] == []
