"""Content, not code, names things: the home title's years, category names and colours
from the categories table, and milestones shown only inside their show window."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from kiosk.content.model import Category, Content, Milestone, Source, Text
from kiosk.store import build_db, load_content
from kiosk.ui.explore.home import HomeScreen
from kiosk.ui.fonts import load_fonts
from kiosk.ui.theme import stylesheet, theme_for_size
from kiosk.ui.timeline import TimelineScreen

pytestmark = pytest.mark.gui

SEED = Path(__file__).resolve().parents[2] / "db"
SOURCE = Source("s1", Text("Bài báo thử", "Test article"), Text("", ""), "2022-01-24")


def ms(key, day, category="event", **kw):
    return Milestone(
        key, dt.date.fromisoformat(day), "day", Text(f"Mốc {key}", f"Milestone {key}"),
        Text("Nội dung", "Body"), category, "s1", **kw,
    )  # fmt: skip


def screen(qtbot, content, today=dt.date(2022, 6, 1)):
    theme = theme_for_size(1920, 1080, load_fonts())
    widget = TimelineScreen(content, theme, "vi", today=lambda: today)
    widget.setStyleSheet(stylesheet(theme))
    qtbot.addWidget(widget)
    widget.resize(1920, 1080)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_the_home_title_follows_the_milestones_in_the_db(qtbot, seed_content, tmp_path):
    theme = theme_for_size(1920, 1080, load_fonts())
    home = HomeScreen(theme, "vi", seed_content)
    qtbot.addWidget(home)
    years = sorted({m.date.year for m in seed_content.milestones})
    assert home.heading.text() == f"Chuyển đổi số Đà Nẵng {years[0]}–{years[-1]}"
    # Staff add a 2023 milestone: the title follows, no code changes.
    folder = tmp_path / "src"
    shutil.copytree(SEED, folder)
    with (folder / "milestones.csv").open("a", encoding="utf-8") as f:
        f.write("m_2023,2023-03-01,month,Mốc 2023,A 2023 milestone,Nội dung,Body,event,art003,\n")
    db = tmp_path / "content.db"
    build_db(db, folder)
    home.set_content(load_content(db))
    assert home.heading.text().endswith(f"{years[0]}–2023")
    home.set_language("en")
    assert home.heading.text() == f"Da Nang digital transformation {years[0]}–2023"
    home.set_content(Content())
    assert home.heading.text() == "Da Nang digital transformation"


def test_a_staff_category_is_named_and_coloured_from_the_table(qtbot):
    training = Category("training", Text("Đào tạo", "Training"), "#22D3EE", 10)
    event = Category("event", Text("Sự kiện", "Event"), "#F472B6", 20)
    content = Content(
        sources=(SOURCE,),
        milestones=(ms("a", "2021-03-01", "training"), ms("b", "2021-05-01", "event")),
        categories=(training, event),
    )
    widget = screen(qtbot, content)
    chips = {chip.value: chip for chip in widget.category_chips}
    assert set(chips) == {"training", "event"}  # one chip each
    assert chips["training"].text() == "Đào tạo" and chips["training"]._dot == "#22D3EE"
    widget.open_milestone("a")
    assert widget.card.category_label.text() == "Đào tạo"
    widget.set_language("en")
    assert chips["training"].text() == "Training"
    assert widget.card.category_label.text() == "Training"


def test_capitalised_categories_from_excel_make_one_chip(qtbot, tmp_path):
    folder = tmp_path / "src"
    shutil.copytree(SEED, folder)
    text = (folder / "milestones.csv").read_text(encoding="utf-8")
    (folder / "milestones.csv").write_text(
        text.replace(",event,art003,", ",Event,art003,", 1), encoding="utf-8"
    )
    db = tmp_path / "content.db"
    build_db(db, folder)
    widget = screen(qtbot, load_content(db))
    labels = [chip.text() for chip in widget.category_chips]
    assert labels.count("Sự kiện") == 1 and "Event" not in labels


def test_milestones_show_only_inside_their_window(qtbot):
    content = Content(
        sources=(SOURCE,),
        milestones=(
            ms("always", "2021-01-05"),
            ms("later", "2021-02-05", show_from=dt.date(2022, 7, 1)),
            ms("over", "2023-03-05", show_until=dt.date(2022, 5, 31)),
        ),
    )
    widget = screen(qtbot, content, today=dt.date(2022, 6, 1))
    assert [m.key for m in widget.order] == ["always"]
    assert [chip.value for chip in widget.year_chips] == [None, 2021]  # no 2023 chip
    later = screen(qtbot, content, today=dt.date(2022, 7, 1))
    assert [m.key for m in later.order] == ["always", "later"]
