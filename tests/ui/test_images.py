"""A huge milestone picture is decoded at the size the card shows it, never at full size."""

import datetime as dt

import pytest
from PIL import Image

from kiosk.content.model import Content, Milestone, Source, Text
from kiosk.ui.fonts import load_fonts
from kiosk.ui.images import load_scaled
from kiosk.ui.theme import theme_for_size
from kiosk.ui.timeline import TimelineScreen

pytestmark = pytest.mark.gui


@pytest.fixture(scope="module")
def huge_jpeg(tmp_path_factory):
    path = tmp_path_factory.mktemp("pictures") / "huge.jpg"
    Image.new("L", (8000, 7900), 128).save(path, quality=50)
    return path


def test_load_scaled_fits_the_box(qapp, huge_jpeg):
    pixmap, why = load_scaled(huge_jpeg, 1920, 480)
    assert why == "" and not pixmap.isNull()
    assert pixmap.height() <= 480 and pixmap.width() <= 1920


def test_milestone_card_keeps_no_full_size_picture(qtbot, huge_jpeg):
    source = Source("s1", Text("Bài", "Article"), Text("", ""), "2022-01-24")
    milestone = Milestone(
        "big",
        dt.date(2021, 3, 1),
        "day",
        Text("Mốc", "Milestone"),
        Text("", ""),
        "event",
        "s1",
        huge_jpeg.name,
    )
    content = Content(sources=(source,), milestones=(milestone,), base_dir=str(huge_jpeg.parent))
    theme = theme_for_size(1920, 1080, load_fonts())
    screen = TimelineScreen(content, theme, "vi")
    qtbot.addWidget(screen)
    screen.resize(1920, 1080)
    screen.show()
    screen.open_milestone("big")
    kept = screen.card._pixmap
    assert kept is not None and kept.width() * kept.height() <= 1920 * 480
    assert screen.card.image_label.isVisible()


def test_a_decompression_bomb_is_refused_with_a_reason(qapp, tmp_path):
    path = tmp_path / "bomb.png"
    Image.new("1", (12000, 12000)).save(path)
    pixmap, why = load_scaled(path, 1920, 480)
    assert pixmap.isNull() and "too large" in why
