"""Explore screens in a real window: tiles, top bar, language, chart pages, About, countdown.

Real Qt touch events (``QTest.touchEvent``) and mouse clicks; the timeline is A1's and has
its own tests, so a stand-in keeps these tests about the explore frame.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QInputDevice
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QScroller, QWidget

from kiosk.content.clock import FakeClock
from kiosk.content.model import Text
from kiosk.store import build_db, load_content
from kiosk.ui.explore import SCREENS, ExploreView
from kiosk.ui.explore.pages import award_pages, indicator_pages
from kiosk.ui.fonts import load_fonts
from kiosk.ui.theme import theme_for_size

SEED = Path(__file__).resolve().parents[2] / "db"


class StubTimeline(QLabel):
    """Stands in for the timeline screen: records what the explore view asks of it."""

    def __init__(self, content, theme, lang):
        super().__init__("timeline")
        self.lang, self.content, self.resets = lang, content, 0

    def set_language(self, lang):
        self.lang = lang

    def set_content(self, content):
        self.content = content

    def reset(self):
        self.resets += 1


@pytest.fixture(scope="module")
def content(tmp_path_factory):
    db = tmp_path_factory.mktemp("explore") / "content.db"
    build_db(db, SEED)
    return load_content(db)


@pytest.fixture(scope="module")
def touch_device():
    return QTest.createTouchDevice(QInputDevice.DeviceType.TouchScreen)


def make_view(qtbot, content, size=(1920, 1080), lang="vi", **kw):
    theme = theme_for_size(*size, load_fonts())
    view = ExploreView(content, theme, lang, timeline_factory=StubTimeline, **kw)
    qtbot.addWidget(view)
    view.resize(*size)
    view.show()
    qtbot.waitExposed(view)
    return view


# PySide6 reads a touch point without its widget argument as window coordinates, so every
# press/move/release below names the widget the point belongs to.
def tap(widget: QWidget, device, point: QPoint | None = None) -> None:
    point = point if point is not None else widget.rect().center()
    QTest.touchEvent(widget, device).press(0, point, widget).commit()
    QTest.touchEvent(widget, device).release(0, point, widget).commit()
    QApplication.processEvents()  # the mouse events Qt makes from the touch are posted


def swipe(widget: QWidget, device, dx: int) -> None:
    start = widget.rect().center()
    QTest.touchEvent(widget, device).press(0, start, widget).commit()
    for step in range(1, 6):
        point = start + QPoint(dx * step // 5, 0)
        QTest.touchEvent(widget, device).move(0, point, widget).commit()
    QTest.touchEvent(widget, device).release(0, start + QPoint(dx, 0), widget).commit()
    QApplication.processEvents()


def visible_texts(root: QWidget) -> list[str]:
    texts = [w.text() for w in root.findChildren(QLabel) if w.isVisibleTo(root) and w.text()]
    texts += [
        b.text() for b in root.findChildren(QAbstractButton) if b.isVisibleTo(root) and b.text()
    ]
    return texts


@pytest.mark.parametrize("size", [(1920, 1080), (3840, 2160), (1080, 1920)])
def test_home_has_four_large_tiles_that_fit_the_screen(qtbot, content, size):
    view = make_view(qtbot, content, size)
    scale = min(size) / 1080
    tiles = view.home.tiles
    assert list(tiles) == ["timeline", "indicators", "awards", "about"]
    screen = view.rect()
    for tile in tiles.values():
        box = tile.geometry().translated(tile.parentWidget().mapTo(view, QPoint(0, 0)))
        assert min(box.width(), box.height()) >= 96 * scale
        assert screen.contains(box), f"{tile.text()} is clipped at {size}"
    assert view.width() == size[0]  # nothing forces the view wider than a portrait screen


def test_tapping_a_tile_opens_its_screen_and_home_returns(qtbot, content, touch_device):
    view = make_view(qtbot, content)
    opened = []
    view.screen_opened.connect(opened.append)
    tap(view.home.tiles["indicators"], touch_device)
    assert view.current_screen == "indicators"
    assert view.stack.currentWidget() is view.indicators
    assert view.top_bar.home_button.isVisible() and view.top_bar.lang_button.isVisible()
    tap(view.top_bar.home_button, touch_device)
    assert view.current_screen == "home"
    qtbot.mouseClick(view.home.tiles["about"], Qt.MouseButton.LeftButton)  # a mouse panel
    assert view.current_screen == "about"
    qtbot.mouseClick(view.top_bar.back_button, Qt.MouseButton.LeftButton)
    assert view.current_screen == "home"
    assert opened == ["indicators", "about"]


def test_every_screen_has_the_top_bar_with_the_language_toggle(qtbot, content):
    view = make_view(qtbot, content)
    for name in ("home", "timeline", "indicators", "awards", "about"):
        view.show_screen(name) if name != "home" else view.go_home()
        qtbot.wait(1)
        bar = view.top_bar
        assert bar.isVisible() and bar.lang_button.isVisible()
        assert bar.lang_button.height() >= 96


def test_language_toggle_switches_every_screen_at_once(qtbot, content, touch_device):
    view = make_view(qtbot, content)
    languages = []
    view.language_changed.connect(languages.append)
    view.show_screen("indicators")
    view.indicators.step(1)  # build a second slide before switching
    view.show_screen("about")
    vi_texts = visible_texts(view.about)
    tap(view.top_bar.lang_button, touch_device)
    assert languages == ["en"] and view.lang == "en"
    assert view.top_bar.lang_button.current == "en"
    assert view.top_bar.home_button.text().endswith("Home")
    assert view.home.tiles["awards"].text() == "Awards and rankings"
    assert view.timeline.lang == "en"
    en_texts = visible_texts(view.about)
    assert "Context" in en_texts and "Bối cảnh" in vi_texts and "Bối cảnh" not in en_texts
    first = content.statements[0].text
    assert first.en in en_texts and first.vi not in en_texts
    for slide in view.indicators.slides.values():
        assert slide.lang == "en"
    page = view.indicators.pages[view.indicators.current]
    assert view.indicators.explanation.text() == page.explanation.en
    tap(view.top_bar.lang_button, touch_device)
    assert languages == ["en", "vi"] and view.about.lang == "vi"


def test_chart_pages_cover_every_indicator_and_achievement(content):
    ind = indicator_pages(content)
    shown = set()
    for page in ind:
        refs = page.entry.ref.split(",")
        shown.update(i.key for i in content.indicators if i.key in refs or i.group_key in refs)
        assert bool(page.explanation.vi) == bool(page.explanation.en)  # a line in both or none
    assert shown == {i.key for i in content.indicators}
    awards = award_pages(content)
    covered = set()
    for page in awards:
        if page.entry.kind == "ranking":
            covered.update(a.key for a in content.achievements if a.group_key == page.entry.ref)
        else:
            covered.update(page.entry.ref.split(","))
        assert bool(page.explanation.vi) == bool(page.explanation.en)
    assert covered == {a.key for a in content.achievements}
    # Every page is headed by what it shows, never by another kind's default heading.
    ring = next(p for p in ind if p.entry.kind == "rings")
    assert ring.entry.title == content.indicator(ring.entry.ref).label
    assert all(
        p.entry.title.en.startswith("Rankings in") for p in awards if p.entry.kind == "ranking"
    )


def test_footers_say_only_what_the_page_does_not(content):
    """Say it once: a single figure's page carries its own context, so no footer; a group
    whose heading names its period gets none either; a ranking page does not repeat its
    hero card's body; one award card is not repeated under itself."""
    ind = {p.entry.key: p for p in indicator_pages(content)}
    assert ind["explore_ind_online_filings"].explanation == Text("", "")
    assert ind["explore_group_grdp_share"].explanation == Text("", "")  # "... năm 2021"
    assert ind["explore_group_phones"].explanation == Text(
        "Số liệu tháng 1/2022", "Figures for January 2022"
    )
    awards = {p.entry.key: p for p in award_pages(content)}
    assert awards["explore_rank_dti"].explanation == Text("", "")
    assert awards["explore_cards_recognition"].explanation == Text("", "")
    assert awards["explore_cards_award"].explanation == Text(
        "5 giải thưởng năm 2021", "5 awards in 2021"
    )
    bodies = {a.body.en for a in content.achievements if a.body.en}
    assert not any(p.explanation.en in bodies for p in awards.values() if p.explanation.en)


def test_swipe_and_buttons_page_through_charts_built_once(qtbot, content, touch_device):
    view = make_view(qtbot, content)
    view.show_screen("indicators")
    browser = view.indicators
    count = len(browser.pages)
    assert count >= 5 and browser.current == 0
    swipe(browser.surface, touch_device, -600)  # finger right to left: next
    assert browser.current == 1
    swipe(browser.surface, touch_device, 600)
    assert browser.current == 0
    swipe(browser.surface, touch_device, -40)  # too short: a tap, not a swipe
    assert browser.current == 0
    assert not browser.prev_button.isEnabled()  # the first page: nothing before it
    for _ in range(count + 1):
        tap(browser.next_button, touch_device)
    # The ends do not wrap (one rule with the milestone card): Next is disabled at the end.
    assert browser.current == count - 1 and not browser.next_button.isEnabled()
    swipe(browser.surface, touch_device, -600)  # a swipe past the end does nothing either
    assert browser.current == count - 1
    qtbot.mouseClick(browser.next_button, Qt.MouseButton.LeftButton)
    assert browser.current == count - 1
    tap(browser.prev_button, touch_device)
    assert browser.current == count - 2 and browser.next_button.isEnabled()
    assert browser.builds == count  # each page built exactly once ...
    for _ in range(count):
        browser.step(-1)
    for _ in range(count):
        browser.step(1)
    assert browser.builds == count  # ... and reused on every later visit
    assert browser.dots.count == count and browser.dots.current == browser.current


def test_a_short_swipe_turns_the_page_only_as_a_flick_on_the_given_clock(
    qtbot, content, touch_device
):
    clock = FakeClock()
    view = make_view(qtbot, content, clock=clock)
    view.show_screen("awards")
    browser = view.awards
    surface = browser.surface
    assert browser.swipe.clock is clock
    short = -int(0.5 * browser.swipe.distance_frac * surface.width())  # too short to drag

    def short_swipe(seconds: float) -> None:
        start = surface.rect().center()
        QTest.touchEvent(surface, touch_device).press(0, start, surface).commit()
        clock.advance(seconds)  # how long the finger takes, on the browser's clock
        end = start + QPoint(short, 0)
        QTest.touchEvent(surface, touch_device).move(0, end, surface).commit()
        QTest.touchEvent(surface, touch_device).release(0, end, surface).commit()
        QApplication.processEvents()

    short_swipe(1.0)  # slow: not a flick, the page stays
    assert browser.current == 0
    short_swipe(0.02)  # quick: a flick turns the page
    assert browser.current == 1


def test_mouse_drag_swipes_too(qtbot, content):
    view = make_view(qtbot, content)
    view.show_screen("awards")
    surface = view.awards.surface
    start = surface.rect().center()
    QTest.mousePress(surface, Qt.MouseButton.LeftButton, pos=start)
    QTest.mouseMove(surface, start - QPoint(300, 0))
    QTest.mouseRelease(surface, Qt.MouseButton.LeftButton, pos=start - QPoint(500, 10))
    assert view.awards.current == 1


def test_about_shows_every_statement_project_quote_and_source(qtbot, content):
    view = make_view(qtbot, content)
    view.show_screen("about")
    texts = " ".join(visible_texts(view.about))
    for row in content.statements:
        assert row.text.vi in texts
    for row in content.projects:
        assert row.title.vi in texts and row.body.vi in texts
    for row in content.quotes:
        assert row.text.vi in texts
    for source in content.sources:
        assert source.title.vi in texts
    assert "Nguồn:" in texts  # each group cites its articles
    assert QScroller.hasScroller(view.about.viewport())


def test_about_drags_with_the_finger(qtbot, content, touch_device):
    view = make_view(qtbot, content)  # landscape: touches must land on the Xvfb screen
    view.show_screen("about")
    bar = view.about.verticalScrollBar()
    assert bar.maximum() > 0 and view.about.more_below.isVisible()
    viewport = view.about.viewport()
    start = QPoint(viewport.width() // 2, viewport.height() - 100)
    QTest.touchEvent(viewport, touch_device).press(0, start, viewport).commit()
    for step in range(1, 21):
        point = start - QPoint(0, 30 * step)
        QTest.touchEvent(viewport, touch_device).move(0, point, viewport).commit()
        qtbot.wait(5)
    QTest.touchEvent(viewport, touch_device).release(0, start - QPoint(0, 600), viewport).commit()
    qtbot.waitUntil(lambda: bar.value() > 100, timeout=3000)
    assert view.about.more_below.isVisible() or bar.value() == bar.maximum()
    view.about.scroller.stop()
    bar.setValue(bar.maximum())
    assert not view.about.more_below.isVisible()  # nothing more below: no fade
    view.reset()
    assert bar.value() == 0 and view.current_screen == "home"


def test_countdown_overlay_names_both_languages_and_swallows_the_touch(
    qtbot, content, touch_device
):
    view = make_view(qtbot, content)
    view.show_screen("indicators")
    view.show_countdown(10, 10.0)
    assert view.countdown_visible and view.countdown.geometry() == view.rect()
    assert view.countdown.text == "Trở về trình chiếu sau 10 giây · Returning in 10 s"
    assert "Touch to stay" in view.countdown.stay_text
    view.set_countdown(3)
    view.set_language("en")
    assert view.countdown.text == "Returning in 3 s · Trở về trình chiếu sau 3 giây"
    before = view.indicators.current
    button = view.indicators.next_button
    tap(view.countdown, touch_device, button.mapTo(view, button.rect().center()))
    assert view.indicators.current == before  # the button under the overlay was not pressed
    view.hide_countdown()
    assert not view.countdown_visible


def test_reset_brings_a_new_visitor_to_a_clean_home(qtbot, content):
    view = make_view(qtbot, content)
    view.show_screen("awards")
    view.awards.step(1)
    view.show_countdown(5, 10)
    view.reset()
    assert view.current_screen == "home" and view.awards.current == 0
    assert not view.countdown_visible and view.timeline.resets == 1


def test_no_focus_no_selection_no_context_menus(qtbot, content):
    view = make_view(qtbot, content)
    for name in ("indicators", "awards", "about"):
        view.show_screen(name)
    for label in view.findChildren(QLabel):
        if isinstance(label, StubTimeline):
            continue
        assert label.textFormat() == Qt.TextFormat.PlainText
        assert label.textInteractionFlags() == Qt.TextInteractionFlag.NoTextInteraction
    for button in view.findChildren(QAbstractButton):
        assert button.focusPolicy() == Qt.FocusPolicy.NoFocus
        assert button.contextMenuPolicy() == Qt.ContextMenuPolicy.PreventContextMenu


def test_markup_in_the_db_is_shown_as_text(qtbot, content, tmp_path):
    import dataclasses

    evil = "<img src=x><b>bold</b>"
    statement = dataclasses.replace(content.statements[0], text=Text(evil, evil))
    changed = dataclasses.replace(content, statements=(statement, *content.statements[1:]))
    view = make_view(qtbot, content)
    view.set_content(changed)
    assert evil in visible_texts(view.about)


def test_unknown_screen_is_a_clear_error(qtbot, content):
    view = make_view(qtbot, content)
    with pytest.raises(ValueError, match="no explore screen 'stats'"):
        view.show_screen("stats")


def test_new_content_while_a_chart_screen_is_open_shows_the_new_figures(qtbot, content):
    import dataclasses

    view = make_view(qtbot, content)
    view.show_screen("indicators")
    view.indicators.step(2)
    first = view.indicators.pages[0].entry.ref
    row = content.indicator(first)
    changed_row = dataclasses.replace(row, label=Text("Nhãn mới", "New label"))
    rows = tuple(changed_row if r.key == first else r for r in content.indicators)
    view.set_content(dataclasses.replace(content, indicators=rows, _index={}))
    slide = view.indicators.current_slide
    assert view.indicators.current == 0 and slide is not None and slide.isVisible()
    assert view.indicators.stack.currentWidget() is slide
    assert "Nhãn mới" in visible_texts(slide) or slide.heading.text() == "Nhãn mới"


def test_a_tile_shows_its_press_in_the_frame_of_the_touch(qtbot, content, touch_device):
    view = make_view(qtbot, content)
    tile = view.home.tiles["awards"]
    point = tile.rect().center()
    QTest.touchEvent(tile, touch_device).press(0, point, tile).commit()
    QApplication.processEvents()
    assert tile.isDown()
    # repaint() on press paints at once; the wait only covers a window the X server has
    # not re-exposed yet on a loaded machine (where no paint can happen at all).
    qtbot.waitUntil(lambda: tile.press_paints >= 1, timeout=1000)
    QTest.touchEvent(tile, touch_device).release(0, point, tile).commit()
    QApplication.processEvents()
    assert view.current_screen == "awards"


def test_explore_colours_meet_wcag_aa():
    from wcag import contrast_ratio

    from kiosk.ui.theme import Theme

    t = Theme()
    used = [  # (text, background) pairs the explore screens draw
        (t.text, t.surface),  # tile titles, top bar buttons
        (t.muted, t.surface),  # tile hints, countdown second language
        (t.text, t.surface_hi),  # pressed tile
        (t.accent2, t.bg),  # explanation lines
        (t.accent, t.bg),  # About headings
        (t.muted, t.bg),  # page counter, source lines
        (t.bg, t.accent),  # language toggle
        (t.bg, t.accent2),  # pressed language toggle
        (t.accent, t.surface),  # countdown number
        (t.accent2, t.surface),  # "touch to stay"
    ]
    for fg, bg in used:
        assert contrast_ratio(fg, bg) >= 4.5, f"{fg} on {bg}"


@pytest.mark.parametrize("size", [(1920, 1080), (3840, 2160), (1080, 1920)])
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_no_text_is_cut_or_outside_the_screen(qtbot, content, size, lang):
    view = make_view(qtbot, content, size, lang)
    frame = view.rect()
    for name in ("home", "indicators", "awards", "about"):
        view.show_screen(name) if name != "home" else view.go_home()
        QApplication.processEvents()
        for widget in view.findChildren(QWidget):
            if not widget.isVisibleTo(view) or widget.parentWidget() is view.about.widget():
                continue  # the About column scrolls: its labels may lie below the fold
            box = widget.rect().translated(widget.mapTo(view, QPoint(0, 0)))
            if isinstance(widget, (QLabel, QAbstractButton)) and widget.width() > 0:
                assert frame.left() <= box.left() and box.right() <= frame.right(), (
                    f"{name}: {widget.text()!r} is outside the screen at {size}"
                )
            if isinstance(widget, QLabel) and widget.wordWrap() and widget.text():
                needed = widget.heightForWidth(widget.width())
                assert needed <= widget.height() + 1, f"{name}: {widget.text()!r} is cut"
    # The About column (the last screen shown) wraps every paragraph in full.
    for label in view.about.widget().findChildren(QLabel):
        if label.text():
            assert label.heightForWidth(label.width()) <= label.height() + 1, label.text()


def test_tile_hints_name_the_years_the_data_covers(qtbot, content):
    import dataclasses

    from kiosk.ui.explore.home import year_span

    assert year_span([2021, 2022, 2020, 2021]) == "2020–2022"
    assert year_span([2019, 2021]) == "2019, 2021" and year_span([]) == ""
    view = make_view(qtbot, content)
    first = min(m.date.year for m in content.milestones)
    last = max(m.date.year for m in content.milestones)
    assert view.home.tiles["timeline"].hint == f"Các dấu mốc {first}–{last}"
    view.set_content(dataclasses.replace(content, milestones=(), achievements=()))
    assert view.home.tiles["timeline"].hint == "" and view.home.tiles["awards"].hint == ""


def test_right_click_and_long_press_open_no_menu(qtbot, content):
    from PySide6.QtGui import QContextMenuEvent

    view = make_view(qtbot, content)
    tile = view.home.tiles["about"]
    QTest.mouseClick(tile, Qt.MouseButton.RightButton)
    assert view.current_screen == "home"  # only the primary button (or a finger) presses
    view.show_screen("about")
    for widget in [
        view,
        view.top_bar.lang_button,
        view.about.viewport(),
        *view.findChildren(QLabel),
    ]:
        point = QPoint(5, 5)
        event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, point, widget.mapToGlobal(point))
        QApplication.sendEvent(widget, event)
    QApplication.processEvents()
    assert QApplication.activePopupWidget() is None


@pytest.mark.parametrize("reduced", [False, True])
def test_turning_a_page_slides_the_old_one_away_or_only_fades_it(qtbot, content, reduced):
    theme = theme_for_size(1920, 1080, load_fonts())
    view = ExploreView(content, theme, "vi", reduced, timeline_factory=StubTimeline)
    qtbot.addWidget(view)
    view.resize(1920, 1080)
    view.show()
    qtbot.waitExposed(view)
    view.show_screen("indicators")
    browser = view.indicators
    browser.step(1)
    cover = browser.cover
    assert cover.isVisible() and not cover.pixmap.isNull()
    qtbot.waitUntil(lambda: cover.value > 0.3, timeout=2000)
    if reduced:
        assert cover.offset == 0  # a fade, no movement
    else:
        assert cover.offset < 0  # "next": the old page leaves to the left
    qtbot.waitUntil(lambda: not cover.isVisible(), timeout=2000)
    assert cover.pixmap.isNull()  # the picture of the old page is not kept
    assert browser.surface.geometry() == browser.stack.geometry()  # swipes still land


@pytest.mark.parametrize(
    ("built_for", "screen"),
    [
        ((1920, 1080), (1920, 1080)),
        ((3840, 2160), (3840, 2160)),
        ((1080, 1920), (1080, 1920)),
        ((1280, 720), (1280, 720)),
        # The screen changed at run time (the window follows, the theme stays).
        ((1920, 1080), (1280, 720)),
        ((1920, 1080), (1080, 1920)),
        ((1080, 1920), (1280, 720)),
    ],
)
def test_explore_never_asks_for_more_than_the_screen(qtbot, content, built_for, screen):
    # A page whose minimum size exceeds the screen would be cut off at the bottom.
    view = make_view(qtbot, content, built_for)
    view.resize(*screen)
    QApplication.processEvents()
    for name in ("indicators", "awards", "about", "timeline", "home"):
        view.show_screen(name) if name != "home" else view.go_home()
    view.show_countdown(10, 10)
    needed = view.minimumSizeHint()
    assert needed.width() <= screen[0] and needed.height() <= screen[1]


def test_a_swipe_that_starts_as_a_double_click_still_turns_the_page(qtbot, content):
    # A panel that reports itself as a mouse: Qt turns a press that follows the last one
    # within the double-click interval into a double-click event instead of a press.
    from PySide6.QtGui import QMouseEvent

    view = make_view(qtbot, content)
    view.show_screen("indicators")
    surface = view.indicators.surface
    left, none = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier

    def send(kind, x, buttons):
        point = QPointF(surface.rect().center()) + QPointF(x, 0)
        glob = QPointF(surface.mapToGlobal(point.toPoint()))
        QApplication.sendEvent(surface, QMouseEvent(kind, point, glob, left, buttons, none))

    send(QEvent.Type.MouseButtonDblClick, 0, left)
    for step in range(1, 6):
        send(QEvent.Type.MouseMove, -100 * step, left)
    send(QEvent.Type.MouseButtonRelease, -500, Qt.MouseButton.NoButton)
    assert view.indicators.current == 1


@pytest.mark.parametrize("size", [(1920, 1080), (1080, 1920)])
def test_screenshots_of_every_explore_screen(qtbot, content, size, tmp_path):
    """Grabs home, timeline, indicators, awards, about and the countdown in both languages.

    Set KIOSK_SHOTS=/tmp/explore-shots to keep the PNGs for review.
    """
    import os

    out = Path(os.environ.get("KIOSK_SHOTS") or tmp_path)
    out.mkdir(parents=True, exist_ok=True)
    theme = theme_for_size(*size, load_fonts())
    view = ExploreView(content, theme, "vi")  # the real timeline
    qtbot.addWidget(view)
    view.resize(*size)
    view.show()
    qtbot.waitExposed(view)
    for lang in ("vi", "en"):
        view.set_language(lang)
        for name in ("home", "timeline", "indicators", "awards", "about", "countdown"):
            if name == "countdown":
                view.show_screen("indicators")
                view.show_countdown(10, 10)
            elif name == "home":
                view.go_home()
            else:
                view.show_screen(name)
            slide = getattr(view.screens.get(name), "current_slide", None)
            if slide is not None:
                slide.show_final()
            QApplication.processEvents()
            image = view.grab().toImage()
            view.hide_countdown()
            assert (image.width(), image.height()) == size
            path = out / f"{name}-{lang}-{size[0]}x{size[1]}.png"
            assert image.save(str(path))
            # Not a blank frame: the top bar and the screen below differ in colour.
            top = image.pixelColor(5, 5)
            colours = {image.pixelColor(x, y).name() for x in range(0, size[0], 97) for y in
                       range(0, size[1], 89)}  # fmt: skip
            assert len(colours) > 3 and top.isValid()
            # The dark theme reaches the edges (no light platform palette showing through).
            edge = [image.pixelColor(size[0] - 8, y) for y in range(200, size[1] - 100, 40)]
            dark = sum(c.lightness() < 60 for c in edge)
            assert dark >= 0.8 * len(edge), f"{name} {lang}: light background at the edge"


def test_empty_content_gives_calm_screens_not_a_crash(qtbot, touch_device):
    from kiosk.content.model import Content

    view = make_view(qtbot, Content())
    for name in ("timeline", "indicators", "awards", "about"):
        view.show_screen(name)
        QApplication.processEvents()
    view.show_screen("indicators")
    browser = view.indicators
    assert browser.pages == () and browser.current_slide is None
    assert not browser.next_button.isVisible() and not browser.explanation.isVisible()
    assert browser.stack.currentWidget() is browser.empty
    assert browser.empty.text() == "Chưa có nội dung cho mục này"
    swipe(browser.surface, touch_device, -600)  # nothing to turn to, nothing breaks
    view.set_language("en")
    view.reset()
    assert view.current_screen == "home"


@pytest.mark.parametrize("size", [(1920, 1080), (3840, 2160), (1080, 1920)])
def test_every_touch_target_is_at_least_96px_at_1080p_scale(qtbot, content, size):
    view = make_view(qtbot, content, size)
    scale = min(size) / 1080
    for name in ("home", "indicators", "awards", "about"):
        view.show_screen(name) if name != "home" else view.go_home()
        QApplication.processEvents()
        targets = [b for b in view.findChildren(QAbstractButton) if b.isVisibleTo(view)]
        assert targets
        for button in targets:
            assert min(button.width(), button.height()) >= round(96 * scale), (
                f"{name}: {button.text()!r} is {button.width()}x{button.height()} at {size}"
            )
    assert view.indicators.dots.testAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)


@pytest.mark.parametrize("size", [(1920, 1080), (3840, 2160), (1080, 1920)])
def test_no_chart_page_loses_text_in_the_room_under_the_top_bar(qtbot, content, size):
    # Explore gives a chart less height than the full-screen attract loop does.
    view = make_view(qtbot, content, size)
    for lang in ("vi", "en"):
        view.set_language(lang)
        for name in ("indicators", "awards"):
            view.show_screen(name)
            browser = view.screens[name]
            for index in range(len(browser.pages)):
                browser.show_page(index, animate=False)
                QApplication.processEvents()
                slide = browser.current_slide
                slide.repaint()
                key = browser.pages[index].entry.key
                assert not slide.overflowing(), f"{key} ({lang}) cut at {size}"


def test_explore_strings_are_the_shared_tables():
    from kiosk.content import i18n
    from kiosk.ui.explore.strings import tr

    for key in ("home.title", "countdown.both", "heading.ranking", "tile.about.hint"):
        vi, en = i18n.STRINGS[key]
        assert vi.strip() and en.strip(), key
    assert tr("nav.home", "en") == "Home"
    with pytest.raises(KeyError):
        tr("no.such.key", "vi")


def test_home_tiles_follow_the_screen_when_it_turns(qtbot, content):
    view = make_view(qtbot, content, (1920, 1080))
    tiles = list(view.home.tiles.values())
    assert view.home.columns == 2 and len({t.x() for t in tiles}) == 2
    view.resize(1080, 1920)  # rotated at run time: the theme stays, the grid follows
    QApplication.processEvents()
    assert view.home.columns == 1 and len({t.x() for t in tiles}) == 1
    view.resize(1920, 1080)
    QApplication.processEvents()
    assert view.home.columns == 2


# -- staged build (a real run builds explore mode over event-loop turns) -----------------------
def staged_view(qtbot, content, size=(1920, 1080)):
    theme = theme_for_size(*size, load_fonts())
    view = ExploreView(content, theme, "vi", timeline_factory=StubTimeline, staged=True)
    qtbot.addWidget(view)
    view.resize(*size)
    return view


def test_a_staged_build_makes_one_screen_a_step_and_a_call_finishes_it(qtbot, content):
    view = staged_view(qtbot, content)
    assert not view.built and view.screens == {}
    steps = 0
    while "timeline" not in view.screens:
        assert view.build_step()
        steps += 1
    assert steps >= 2 and set(view.screens) == {"home", "timeline"}  # one screen a step
    view.show_screen("about")  # needs every screen: the rest is built at once
    assert view.built and list(view.screens) == list(SCREENS)
    assert view.current_screen == "about" and view.stack.currentWidget() is view.about
    assert not view.build_step()
    view.back()
    assert view.current_screen == "home" and view.top_bar.back_button.isHidden()


def test_a_staged_build_finishes_on_the_event_loop(qtbot, content, touch_device):
    view = staged_view(qtbot, content)
    view.build_in_steps()
    view.show()  # showing needs no screen: still nothing built
    assert not view.built and view.screens == {}
    qtbot.waitUntil(lambda: view.built, timeout=10000)
    assert list(view.screens) == list(SCREENS) and view.current_screen == "home"
    tap(view.home.tiles["awards"], touch_device)
    assert view.current_screen == "awards"


def test_new_content_during_a_staged_build_reaches_every_screen(qtbot, content):
    import dataclasses

    view = staged_view(qtbot, content)
    view.build_step()
    newer = dataclasses.replace(content, version="newer")
    view.set_content(newer)
    assert view.built and view.content is newer
    assert view.about.content is newer and view.timeline.content is newer
