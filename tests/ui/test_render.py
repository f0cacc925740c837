"""`kiosk render`: every slide, three screen shapes, both languages, real content drawn
inside the frame and no text that failed to fit."""

import logging

import pytest
from click.testing import CliRunner
from PySide6.QtGui import QColor, QImage

from kiosk.cli import cli
from kiosk.ui.render import render_slides
from kiosk.ui.theme import Theme

pytestmark = pytest.mark.gui

SIZES = [(1920, 1080), (3840, 2160), (1080, 1920)]
BG = QColor(Theme().bg).rgb()


@pytest.fixture(scope="module")
def rendered(tmp_path_factory, seed_content):
    out = tmp_path_factory.mktemp("render")
    records = []
    handler = logging.Handler()
    handler.emit = records.append
    logging.getLogger("kiosk.render").addHandler(handler)
    try:
        paths = render_slides(seed_content, out, sizes=SIZES, langs=["vi", "en"])
    finally:
        logging.getLogger("kiosk.render").removeHandler(handler)
    return paths, records


def test_every_slide_at_every_size_and_language(rendered, seed_content):
    paths, _ = rendered
    slides = len([p for p in seed_content.playlist if p.enabled])
    assert len(paths) == slides * len(SIZES) * 2
    for path in paths:
        image = QImage(str(path))
        w, h = (int(x) for x in path.stem.rsplit("-", 1)[1].split("x"))
        assert (image.width(), image.height()) == (w, h), path.name


def test_no_text_had_to_be_cut(rendered):
    _, records = rendered
    assert [r.getMessage() for r in records] == []


def _stats(path):
    image = QImage(str(path))
    small = image.scaled(192, 108)
    colours = {small.pixel(x, y) for x in range(small.width()) for y in range(small.height())}
    bright = sum(
        1
        for x in range(small.width())
        for y in range(small.height())
        if QColor(small.pixel(x, y)).lightness() > 200
    )
    return image, colours, bright


def test_slides_have_content_and_text(rendered):
    paths, _ = rendered
    for path in paths:
        _, colours, bright = _stats(path)
        assert len(colours) > 20, f"{path.name} looks blank"
        assert bright > 30, f"{path.name} has no light text"


def test_nothing_is_drawn_in_the_outer_margin(rendered):
    paths, _ = rendered
    for path in paths:
        image = QImage(str(path))
        band = max(4, image.width() // 60)  # well inside the slide's outer margin
        for y in range(0, image.height(), 7):
            for x in (*range(0, band, 2), *range(image.width() - band, image.width(), 2)):
                assert image.pixel(x, y) == BG, f"{path.name}: ink at ({x}, {y})"
        for x in range(0, image.width(), 7):
            for y in range(0, band // 2):
                assert image.pixel(x, y) == BG, f"{path.name}: ink at ({x}, {y})"


def test_render_command_reports_each_file(tmp_path, seed_db_path):
    result = CliRunner().invoke(
        cli, ["render", "--db", str(seed_db_path), "--out", str(tmp_path), "--size", "800x450"]
    )
    assert result.exit_code == 0, result.output
    written = [line for line in result.output.splitlines() if line.endswith(".png")]
    assert written and all((tmp_path / line.rsplit("/", 1)[1]).is_file() for line in written)


def test_render_with_a_missing_db_is_one_clear_line(tmp_path):
    result = CliRunner().invoke(
        cli, ["render", "--db", str(tmp_path / "none.db"), "--out", str(tmp_path)]
    )
    assert result.exit_code != 0
    assert len(result.output.strip().splitlines()) == 1
    assert "Traceback" not in result.output


def test_render_explore_writes_every_visitor_screen(tmp_path, seed_db_path, seed_content):
    """One command, every visitor screen: the slides, then home, the timeline, one card per
    milestone, each indicator and award page, About and the holding screen (and its
    "back soon"), each named so the reviewer knows what it is."""
    args = ["render", "--explore", "--db", str(seed_db_path), "--out", str(tmp_path)]
    result = CliRunner().invoke(cli, [*args, "--size", "960x540", "--lang", "en"])
    assert result.exit_code == 0, result.output
    names = [line.rsplit("/", 1)[1] for line in result.output.splitlines()]
    explore = [n for n in names if n.startswith("explore-")]
    slides = [n for n in names if not n.startswith("explore-")]
    assert len(slides) == len([p for p in seed_content.playlist if p.enabled])
    kinds = [n.split("-", 2)[2].rsplit("-en-960x540.png", 1)[0] for n in explore]
    assert kinds[:2] == ["home", "timeline"]
    assert sum(k.startswith("milestone-") for k in kinds) == len(seed_content.milestones)
    assert any(k.startswith("indicators-") for k in kinds)
    assert any(k.startswith("awards-") for k in kinds)
    assert kinds[-3:] == ["about", "holding", "holding-touched"]
    for name in names:
        image = QImage(str(tmp_path / name))
        assert (image.width(), image.height()) == (960, 540), name
