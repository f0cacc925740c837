"""The timeline screen driven with real Qt touch events (and the mouse): tap a card, drag
with momentum, bounce at the ends, swipe on the detail card, close it, filter, switch
language, and stay cheap with 2,000 milestones."""

from __future__ import annotations

import datetime as dt
import gc
import time

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt, QTimer
from PySide6.QtGui import QCursor, QInputDevice
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget
from realtime import real_wait

from kiosk.content.clock import FakeClock
from kiosk.content.model import Content, Milestone, Source, Text
from kiosk.ui.fonts import load_fonts
from kiosk.ui.theme import stylesheet, theme_for_size
from kiosk.ui.timeline import TimelineScreen

pytestmark = pytest.mark.gui


@pytest.fixture(scope="module")
def dev():
    return QTest.createTouchDevice(QInputDevice.DeviceType.TouchScreen)


def make_screen(qtbot, content, size=(1920, 1080), lang="vi", **kw):
    theme = theme_for_size(*size, load_fonts())
    screen = TimelineScreen(content, theme, lang, **kw)
    screen.setStyleSheet(stylesheet(theme))
    qtbot.addWidget(screen)
    screen.resize(*size)
    screen.show()
    qtbot.waitExposed(screen)
    if screen.order:  # on a loaded machine exposure can lag: wait for the strip's first paint
        qtbot.waitUntil(lambda: screen.view.canvas.paints > 0, timeout=3000)
    return screen


def card_point(screen, key) -> QPoint:
    """Where card ``key`` is on the viewport right now (viewport coordinates)."""
    view = screen.view
    item = next(it for it in view.canvas.lay.items if it.milestone.key == key)
    x = item.x + item.w // 2 + view.canvas.dx - view.scroll_x()
    return QPoint(x, item.y + item.h // 2)


class MappedTouch:
    """One touch sequence sent to ``widget``'s window, with points in ``widget``'s
    coordinates: ``QTest.touchEvent`` on a child widget does not map the points (they land
    at the same numbers in the window), so the sequence goes to the window with mapped
    points and the events travel the real path from the window to the widget under the
    finger.

    Auto-commit is off and this is a plain class: PySide's sequence otherwise commits once
    more when it is freed, and its commit runs ``QCoreApplication.processEvents()``. A
    sequence kept in a reference cycle (a class made per call, closing over it) is freed
    by the garbage collector, which runs wherever Python allocates, e.g. inside a
    paintEvent, where the nested event loop paints the window again under the active
    painter: a segfault (in ``QPainter::setPen``) in whichever test is running.
    """

    def __init__(self, widget, dev):
        self.widget = widget
        self.window = widget.window()
        self.seq = QTest.touchEvent(self.window, dev, False)

    def press(self, i, p):
        self.seq.press(i, self.widget.mapTo(self.window, p))
        return self

    def move(self, i, p):
        self.seq.move(i, self.widget.mapTo(self.window, p))
        return self

    def release(self, i, p):
        self.seq.release(i, self.widget.mapTo(self.window, p))
        return self

    def commit(self):
        self.seq.commit()


def touch(widget, dev) -> MappedTouch:
    """A touch sequence on ``widget``'s window (see ``MappedTouch``); commit each step."""
    return MappedTouch(widget, dev)


def paint_now(qtbot, view) -> None:
    """Repaint the strip and wait until its paintEvent ran."""
    view.canvas.painted_count = -1
    view.canvas.repaint()
    qtbot.waitUntil(lambda: view.canvas.painted_count >= 0, timeout=2000)


def mouse_drag(qapp, widget, start, dx, steps=10):
    """A mouse drag through the window system (QWindow), as a real mouse arrives: the
    widget variants of QTest send press/release straight to the widget and the move via the
    cursor, which a scroller does not see as one drag."""
    window = widget.window().windowHandle()
    p0 = widget.mapTo(widget.window(), start)
    left, none = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    QTest.mousePress(window, left, none, p0)
    for i in range(1, steps + 1):
        real_wait(16)
        QTest.mouseMove(window, p0 + QPoint(dx * i // steps, 0))
    QTest.mouseRelease(window, left, none, p0 + QPoint(dx, 0))


def tap(widget, dev, point):
    touch(widget, dev).press(0, point).commit()
    touch(widget, dev).release(0, point).commit()


def drag(qapp, widget, dev, start, dx, steps=10, frame_ms=16, dy=0, clock=None):
    """A one-finger drag that starts at ``start`` on ``widget`` and then moves in screen
    terms, as a finger does: if the widget itself moves meanwhile (a card sliding in), the
    finger does not move with it. With a fake ``clock`` (the card's swipe detector) the
    frames pass on it; without one they pass in real time (the strip's QScroller)."""

    def frame():
        if clock is None:
            real_wait(frame_ms)
        else:
            clock.advance(frame_ms / 1000)
            qapp.processEvents()

    window = widget.window()
    origin = widget.mapTo(window, start)
    touch(window, dev).press(0, origin).commit()
    frame()
    for i in range(1, steps + 1):
        touch(window, dev).move(0, origin + QPoint(dx * i // steps, dy)).commit()
        frame()
    touch(window, dev).release(0, origin + QPoint(dx, dy)).commit()


def ms(key, date, precision="day", category="event", title=None, image="", source="s1"):
    return Milestone(
        key=key,
        date=dt.date.fromisoformat(date),
        precision=precision,
        title=title or Text(f"Mốc {key} đổi số", f"Milestone {key}"),
        body=Text(f"Nội dung {key}", f"Body {key}"),
        category=category,
        source_key=source,
        image=image,
    )


SOURCE = Source("s1", Text("Bài báo thử", "Test article"), Text("", ""), "2022-01-24")


def many(n: int) -> Content:
    start = dt.date(2021, 1, 1)
    rows = tuple(
        ms(f"g{i:04d}", (start + dt.timedelta(days=i * 730 // n)).isoformat(), "day")
        for i in range(n)
    )
    return Content(sources=(SOURCE,), milestones=rows)


# -- tap, card, swipe, close -----------------------------------------------------------------
def test_tap_opens_the_card_with_precise_date_and_source(qtbot, qapp, seed_content, dev):
    screen = make_screen(qtbot, seed_content)
    opened = []
    screen.milestone_opened.connect(opened.append)
    tap(screen.view.viewport(), dev, card_point(screen, "m_dti"))
    qtbot.waitUntil(lambda: screen.card.isVisible(), timeout=2000)
    assert opened == ["m_dti"]
    card = screen.card
    assert card.title_label.text() == "Đứng đầu DTI cấp tỉnh năm 2021"
    assert card.date_label.text() == "năm 2021"  # the source gives only the year
    assert card.source_label.text().startswith("Nguồn: Chuyển đổi số: Đà Nẵng")
    assert card.close_button.width() >= 96 and card.close_button.height() >= 96


def test_tap_in_a_gap_opens_nothing(qtbot, qapp, seed_content, dev):
    screen = make_screen(qtbot, seed_content)
    line_y = screen.view.canvas.lay.line_y
    tap(screen.view.viewport(), dev, QPoint(10, line_y))
    real_wait(350)
    assert not screen.card.isVisible()


def mouse_click(qtbot, widget, point):
    """A click through the window system, the pointer moved there first as a mouse does."""
    top = widget.window()
    at = widget.mapTo(top, point)
    QCursor.setPos(top.mapToGlobal(at))
    qtbot.waitUntil(lambda: QCursor.pos() == top.mapToGlobal(at), timeout=1000)
    left, none = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    QTest.mousePress(top.windowHandle(), left, none, at)
    QTest.mouseRelease(top.windowHandle(), left, none, at)


def test_mouse_click_opens_a_card_too(qtbot, qapp, seed_content):
    screen = make_screen(qtbot, seed_content)
    mouse_click(qtbot, screen.view.viewport(), card_point(screen, "m_covid"))
    qtbot.waitUntil(lambda: screen.card.isVisible(), timeout=2000)
    assert screen.open_key == "m_covid"


def test_swipe_on_the_card_goes_to_next_and_previous(qtbot, qapp, seed_content, dev):
    clock = FakeClock()
    screen = make_screen(qtbot, seed_content, clock=clock)
    order = [m.key for m in screen.order]
    screen.open_milestone(order[1])
    opened = []
    screen.milestone_opened.connect(opened.append)
    panel = screen.card.panel
    centre = panel.rect().center()
    drag(qapp, panel, dev, centre + QPoint(200, 0), -400, steps=4, frame_ms=5, clock=clock)
    assert screen.open_key == order[2]
    assert opened == [order[2]]  # each milestone swiped to counts as opened
    assert screen.card.position == (3, len(order))
    drag(qapp, panel, dev, centre - QPoint(200, 0), 400, steps=4, frame_ms=5, clock=clock)
    drag(qapp, panel, dev, centre - QPoint(200, 0), 400, steps=4, frame_ms=5, clock=clock)
    assert screen.open_key == order[0]
    # At the first milestone a further "previous" swipe stays put.
    drag(qapp, panel, dev, centre - QPoint(200, 0), 400, steps=4, frame_ms=5, clock=clock)
    assert screen.open_key == order[0]


def test_swipe_slides_the_card_unless_reduced_motion(qtbot, qapp, seed_content):
    moving = make_screen(qtbot, seed_content)
    moving.open_milestone(moving.order[0].key)
    assert moving.step(1) and moving.card.animating
    qtbot.waitUntil(lambda: not moving.card.animating, timeout=2000)
    assert moving.card.panel.geometry() == moving.card.panel_rect()
    still = make_screen(qtbot, seed_content, reduced_motion=True)
    still.open_milestone(still.order[0].key)
    assert still.step(1) and not still.card.animating


def test_close_with_the_x_and_by_tapping_outside(qtbot, qapp, seed_content, dev):
    screen = make_screen(qtbot, seed_content)
    screen.open_milestone("m_conference")
    button = screen.card.close_button
    tap(button, dev, button.rect().center())
    assert not screen.card.isVisible()

    screen.open_milestone("m_conference")
    panel = screen.card.panel.geometry()
    tap(screen.card, dev, QPoint(panel.left() // 2, panel.top() // 2 + 5))  # outside
    assert not screen.card.isVisible()

    screen.open_milestone("m_conference")
    tap(screen.card.panel, dev, screen.card.panel.rect().center())  # on the card: stays
    assert screen.card.isVisible()


# -- kinetic scrolling ---------------------------------------------------------------------
def test_drag_follows_the_finger_and_keeps_gliding_after_release(qtbot, qapp, dev):
    screen = make_screen(qtbot, many(60))
    view = screen.view
    assert view.max_scroll() > 5000
    drag(qapp, view.viewport(), dev, QPoint(1500, 400), -600)
    at_release = view.scroll_x()
    assert at_release > 200  # followed the finger
    real_wait(250)
    assert view.scroll_x() > at_release + 50  # momentum: still moving after the finger left
    assert not screen.card.isVisible()  # a drag is not a tap


def test_mouse_drag_scrolls_too(qtbot, qapp):
    screen = make_screen(qtbot, many(60))
    mouse_drag(qapp, screen.view.viewport(), QPoint(1500, 400), -500)
    assert screen.view.scroll_x() > 200


def test_overscroll_bounces_back_into_range(qtbot, qapp, dev):
    screen = make_screen(qtbot, many(60))
    view = screen.view
    # QAbstractScrollArea shows an overshoot by moving the viewport itself.
    home = view.viewport().pos()
    touch(view.viewport(), dev).press(0, QPoint(300, 400)).commit()
    pulled = []
    for i in range(1, 11):
        real_wait(16)
        touch(view.viewport(), dev).move(0, QPoint(300 + 50 * i, 400)).commit()
        pulled.append(view.viewport().pos().x() - home.x())
    # Pulled past the start, the strip follows the finger (with resistance), not 1:1.
    assert view.scroll_x() == 0 and 20 < max(pulled) < 500
    touch(view.viewport(), dev).release(0, QPoint(800, 400)).commit()
    qtbot.waitUntil(lambda: view.scroller.state().name == "Inactive", timeout=3000)
    assert view.scroll_x() == 0 and view.viewport().pos() == home


# -- filters and language --------------------------------------------------------------------
def test_year_chip_filters_to_2022(qtbot, qapp, seed_content, dev):
    screen = make_screen(qtbot, seed_content)
    chip = next(c for c in screen.year_chips if c.value == 2022)
    tap(chip, dev, chip.rect().center())
    assert screen.year == 2022 and chip.isChecked()
    assert screen.order and all(m.date.year == 2022 for m in screen.order)
    paint_now(qtbot, screen.view)
    keys = set(screen.view.canvas.painted_keys)
    assert keys == {m.key for m in screen.order}
    assert "m_dti" not in keys
    tap(chip, dev, chip.rect().center())  # the chosen year again: back to every year
    assert screen.year is None and screen.year_chips[0].isChecked() and not chip.isChecked()
    tap(chip, dev, chip.rect().center())
    all_chip = screen.year_chips[0]
    tap(all_chip, dev, all_chip.rect().center())
    assert screen.year is None and len(screen.order) == len(seed_content.milestones)
    tap(all_chip, dev, all_chip.rect().center())  # "All" stays "All"
    assert screen.year is None and all_chip.isChecked()


def test_category_chips_filter_and_combine(qtbot, seed_content):
    screen = make_screen(qtbot, seed_content)
    names = {c.value for c in screen.category_chips}
    assert names == {m.category for m in seed_content.milestones}
    screen.toggle_category("award")
    assert {m.category for m in screen.order} == {"award"}
    screen.toggle_category("ranking")
    assert {m.category for m in screen.order} == {"award", "ranking"}
    assert screen.title.text().endswith("· 2021")
    screen.set_year_filter(2022)
    assert screen.order == () and screen.empty.isVisible() and not screen.view.isVisible()
    assert screen.title.text() == "Không có mốc nào"


def test_language_switch_changes_every_visible_text(qtbot, seed_content):
    screen = make_screen(qtbot, seed_content)
    screen.open_milestone("m_conference")
    before = {
        "title": screen.title.text(),
        "card": screen.card.title_label.text(),
        "date": screen.card.date_label.text(),
        "source": screen.card.source_label.text(),
        "all": screen.year_chips[0].text(),
    }
    screen.set_language("en")
    assert screen.title.text() == f"{len(seed_content.milestones)} milestones · 2020–2022"
    assert screen.card.title_label.text().startswith("Department of Information")
    assert screen.card.date_label.text() == "20 January 2022"
    assert screen.card.source_label.text().startswith("Source: ")
    assert screen.year_chips[0].text() == "All"
    assert {c.text() for c in screen.category_chips} >= {"Award", "Ranking"}
    assert before["date"] == "20/01/2022" and before["all"] == "Tất cả"
    assert before["title"] == f"{len(seed_content.milestones)} mốc · 2020–2022"
    assert before["card"] != screen.card.title_label.text()
    paint_now(qtbot, screen.view)
    assert screen.view.canvas.lang == "en"


def test_markup_in_a_title_is_shown_literally(qtbot):
    evil = Text("<b>x</b><img src=a>", "<i>y</i>")
    content = Content(sources=(SOURCE,), milestones=(ms("evil", "2021-05-01", title=evil),))
    screen = make_screen(qtbot, content)
    screen.open_milestone("evil")
    label = screen.card.title_label
    assert label.textFormat() == Qt.TextFormat.PlainText
    assert label.text() == "<b>x</b><img src=a>"
    lines = screen.view.canvas._title_lines(content.milestones[0], 400, 3)
    assert "".join(lines) == "<b>x</b><img src=a>"


def test_images_resolve_against_the_db_folder_and_missing_ones_do_not_crash(qtbot, tmp_path):
    from PySide6.QtGui import QColor, QImage

    image = QImage(320, 200, QImage.Format.Format_RGB32)
    image.fill(QColor("#336699"))
    assert image.save(str(tmp_path / "pic.png"))
    content = Content(
        sources=(SOURCE,),
        milestones=(
            ms("with", "2021-03-01", image="pic.png"),
            ms("gone", "2021-04-01", image="nope/missing.png"),
        ),
        base_dir=str(tmp_path),
    )
    screen = make_screen(qtbot, content)
    screen.open_milestone("with")
    assert screen.card.image_label.isVisible()
    assert not screen.card.image_label.pixmap().isNull()
    screen.step(1)
    assert screen.open_key == "gone" and not screen.card.image_label.isVisible()


# -- 2,000 milestones -----------------------------------------------------------------------
def test_2000_milestones_paint_only_what_is_visible(qtbot, qapp, dev):
    screen = make_screen(qtbot, many(2000))
    view = screen.view
    # One canvas, no widget per milestone.
    assert len(view.findChildren(QWidget)) < 10
    assert len(screen.findChildren(QWidget)) < 60
    paint_now(qtbot, view)
    assert 0 < view.canvas.painted_count <= 12
    view.horizontalScrollBar().setValue(view.max_scroll() // 2)
    paint_now(qtbot, view)
    started = time.process_time()
    for _ in range(10):
        view.canvas.update()
        paint_now(qtbot, view)
    frame = (time.process_time() - started) / 10
    keys = view.canvas.painted_keys
    assert 0 < len(keys) <= 12
    assert all(900 <= int(k[1:]) <= 1100 for k in keys)  # the middle of the strip
    assert frame < 0.05  # one frame's paint, far under the 16 ms budget on a real machine
    drag(qapp, view.viewport(), dev, QPoint(1500, 400), -600)
    assert view.scroll_x() != view.max_scroll() // 2
    qtbot.waitUntil(lambda: view.scroller.state().name == "Inactive", timeout=5000)
    paint_now(qtbot, view)
    keys = view.canvas.painted_keys
    tap(view.viewport(), dev, card_point(screen, keys[len(keys) // 2]))
    qtbot.waitUntil(lambda: screen.card.isVisible(), timeout=2000)


# -- layout at every size ---------------------------------------------------------------------
@pytest.mark.parametrize("size", [(1920, 1080), (3840, 2160), (1080, 1920)])
def test_card_and_chips_fit_every_screen(qtbot, seed_content, size):
    screen = make_screen(qtbot, seed_content, size)
    assert (screen.width(), screen.height()) == size  # the page never grows the window
    screen.open_milestone("m_2022_theme")
    rect = screen.rect()
    assert rect.contains(screen.card.panel.geometry())
    assert screen.card.close_button.height() >= screen.card.theme.px(96)
    for chip in screen.year_chips + screen.category_chips:
        assert screen.chip_row.rect().contains(chip.geometry()), chip.text()
        assert chip.height() >= screen.card.theme.px(96)
    rows = {chip.y() for chip in screen.year_chips + screen.category_chips}
    if size == (1080, 1920):
        assert len(rows) >= 2  # portrait: the chips wrap
    items = screen.view.canvas.lay.items
    assert all(it.y >= 0 and it.y + it.h <= screen.view.viewport().height() for it in items)


def test_a_very_long_title_is_elided_and_the_source_stays_on_the_card(qtbot):
    long = Text("Tiêu đề rất dài " * 700, "A very long title " * 600)  # ~10,000 characters
    body = Text("Dòng một\nDòng hai", "Line one\nLine two")
    row = Milestone("long", dt.date(2021, 5, 1), "month", long, body, "event", "s1")
    content = Content(sources=(SOURCE,), milestones=(row,))
    screen = make_screen(qtbot, content)
    screen.open_milestone("long")
    card = screen.card
    title = card.title_label.text()
    assert title.endswith("…") and len(title) < 1200 and title.count("\n") <= 7
    assert card.body_label.text() == "Dòng một\nDòng hai"  # paragraphs kept
    assert card.date_label.text() == "tháng 5/2021"
    panel = card.panel.geometry()
    assert screen.rect().contains(panel)
    source = card.source_label.geometry().translated(panel.topLeft())
    assert panel.contains(source), "the source line must stay on the card"


def test_text_colours_meet_wcag_aa(qapp):
    from wcag import contrast_ratio

    from kiosk.ui.theme import CATEGORY_COLORS

    theme = theme_for_size(1920, 1080, load_fonts())
    # Card date/category text is drawn in the category colour on the card surface.
    # A pressed card is drawn on surface_hi.
    for name in (*CATEGORY_COLORS, "staff_invented"):
        assert contrast_ratio(theme.category_color(name), theme.surface) >= 4.5, name
        assert contrast_ratio(theme.category_color(name), theme.surface_hi) >= 4.5, name
    assert contrast_ratio(theme.text, theme.surface_hi) >= 4.5
    from kiosk.ui.touch import TouchButton

    button = TouchButton("x", theme)
    for down, checked in ((False, False), (True, False), (False, True)):
        button.setCheckable(True)
        button.setChecked(checked)
        button.setDown(down)
        fill, _, text = button.colors()
        assert contrast_ratio(text, fill) >= 4.5, (down, checked)
    assert contrast_ratio(theme.year_marker, theme.bg) >= 4.5  # year markers


def test_every_touch_counts_as_interaction(qtbot, qapp, seed_content, dev):
    screen = make_screen(qtbot, seed_content)
    seen = []
    screen.interacted.connect(lambda: seen.append(1))
    chip = screen.category_chips[0]
    tap(chip, dev, chip.rect().center())
    assert len(seen) >= 1
    before = len(seen)
    drag(qapp, screen.view.viewport(), dev, QPoint(900, 300), -300, steps=5)
    assert len(seen) > before
    screen.set_category_filter(())
    screen.open_milestone(screen.order[0].key)
    before = len(seen)
    panel = screen.card.panel.geometry()
    tap(screen.card, dev, QPoint(panel.left() // 2, panel.top() // 2 + 5))
    assert len(seen) > before and not screen.card.isVisible()


def test_fast_random_tapping_never_breaks_the_screen(qtbot, qapp, seed_content, dev):
    import random

    screen = make_screen(qtbot, seed_content)
    rng = random.Random(4)
    window = screen
    for _ in range(150):
        p = QPoint(rng.randrange(window.width()), rng.randrange(window.height()))
        if rng.random() < 0.2:
            drag(qapp, window, dev, p, rng.choice([-400, 400]), steps=3, frame_ms=2)
        else:
            tap(window, dev, p)
        if rng.random() < 0.05:
            screen.set_language(rng.choice(["vi", "en"]))
        qapp.processEvents()
    # Still consistent: the order matches the filters and any open card is in it.
    years = None if screen.year is None else {screen.year}
    assert all(years is None or m.date.year in years for m in screen.order)
    assert screen.open_key is None or screen.open_key in {m.key for m in screen.order}
    screen.reset()
    assert screen.open_key is None and screen.year is None and screen.categories == set()
    assert len(screen.order) == len(seed_content.milestones)


def test_set_content_keeps_filters_and_the_open_card(qtbot, seed_content):
    screen = make_screen(qtbot, seed_content)
    screen.set_year_filter(2022)
    screen.open_milestone("m_conference")
    opened = []
    screen.milestone_opened.connect(opened.append)
    extra = ms("m_new", "2022-06-01", "month", "project")
    reloaded = Content(
        sources=seed_content.sources,
        milestones=(*seed_content.milestones, extra),
        base_dir=seed_content.base_dir,
    )
    screen.set_content(reloaded)
    assert screen.year == 2022 and "m_new" in {m.key for m in screen.order}
    assert screen.open_key == "m_conference"
    assert opened == []  # a reload is not a visitor opening the card again
    assert "project" in {c.value for c in screen.category_chips}
    only_2021 = Content(sources=seed_content.sources, milestones=(ms("x", "2021-02-02"),))
    screen.set_content(only_2021)  # 2022 is gone: the filter falls back to every year
    assert screen.year is None and [m.key for m in screen.order] == ["x"]
    assert screen.open_key is None


def test_a_pressed_card_is_highlighted_at_once_not_while_dragging(qtbot, qapp, seed_content, dev):
    screen = make_screen(qtbot, seed_content)
    canvas = screen.view.canvas
    point = card_point(screen, "m_dti")
    touch(screen.view.viewport(), dev).press(0, point).commit()
    # No event-loop turn: the highlight was painted during the press itself.
    assert canvas.pressed_key == "m_dti" and canvas.press_paints >= 1
    touch(screen.view.viewport(), dev).release(0, point).commit()
    qtbot.waitUntil(lambda: screen.card.isVisible(), timeout=2000)
    assert canvas.pressed_key is None
    screen.close_card()
    # The highlight is painted inside the call, before any event loop turn.
    before = canvas.press_paints
    canvas.show_pressed_at(QPointF(canvas.mapFrom(screen.view.viewport(), point)))
    assert canvas.press_paints == before + 1
    canvas.show_pressed_at(None)
    drag(qapp, screen.view.viewport(), dev, card_point(screen, "m_covid"), -300, steps=5)
    assert canvas.pressed_key is None


def test_a_pressed_card_is_highlighted_for_a_mouse_too(qtbot, qapp, seed_content):
    screen = make_screen(qtbot, seed_content)
    window = screen.windowHandle()
    point = screen.view.viewport().mapTo(screen, card_point(screen, "m_covid"))
    # A mouse (or a panel reporting as one) moves the pointer before it presses.
    QCursor.setPos(screen.mapToGlobal(point))
    qtbot.waitUntil(lambda: QCursor.pos() == screen.mapToGlobal(point), timeout=1000)
    QTest.mousePress(window, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, point)
    assert screen.view.canvas.pressed_key == "m_covid"
    QTest.mouseRelease(window, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, point)
    qtbot.waitUntil(lambda: screen.open_key == "m_covid", timeout=2000)


def test_mouse_swipe_on_the_card(qtbot, qapp, seed_content):
    screen = make_screen(qtbot, seed_content)
    order = [m.key for m in screen.order]
    screen.open_milestone(order[2])
    panel = screen.card.panel
    top = screen.windowHandle()
    start = panel.mapTo(screen, panel.rect().center() + QPoint(250, 0))
    left, none = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    QTest.mousePress(top, left, none, start)
    for i in range(1, 6):
        QTest.mouseMove(top, start - QPoint(100 * i, 0))
    QTest.mouseRelease(top, left, none, start - QPoint(500, 0))
    assert screen.open_key == order[3]


def test_reduced_motion_never_bounces_and_stops_soon(qtbot, qapp, dev):
    screen = make_screen(qtbot, many(60), reduced_motion=True)
    view = screen.view
    home = view.viewport().pos()
    touch(view.viewport(), dev).press(0, QPoint(300, 400)).commit()
    for i in range(1, 8):
        real_wait(16)
        touch(view.viewport(), dev).move(0, QPoint(300 + 50 * i, 400)).commit()
        assert view.viewport().pos() == home  # pulled past the start: no rubber band
    touch(view.viewport(), dev).release(0, QPoint(650, 400)).commit()
    drag(qapp, view.viewport(), dev, QPoint(1500, 400), -600)
    released = time.monotonic()
    assert view.scroll_x() > 200  # it still follows the finger
    qtbot.waitUntil(lambda: view.scroller.state().name == "Inactive", timeout=3000)
    assert time.monotonic() - released < 0.6


def test_a_tap_on_a_gliding_strip_stops_it_without_opening_a_card(qtbot, qapp, dev):
    screen = make_screen(qtbot, many(60))
    view = screen.view
    drag(qapp, view.viewport(), dev, QPoint(1500, 400), -600)
    real_wait(50)
    assert view.scroller.state().name == "Scrolling"
    item = view.canvas.lay.items[30]
    point = QPoint(view.viewport().width() // 2, item.y + item.h // 2)
    tap(view.viewport(), dev, point)
    real_wait(350)
    stopped = view.scroll_x()
    real_wait(100)
    assert view.scroll_x() == stopped  # the tap stopped the glide
    assert not screen.card.isVisible()
    # The next tap, on a still strip, opens the card under the finger.
    hit = view.canvas.lay.items[0]
    for candidate in view.canvas.lay.items:
        x = candidate.x + candidate.w // 2 + view.canvas.dx - view.scroll_x()
        if 100 < x < view.viewport().width() - 100:
            hit = candidate
            break
    tap(view.viewport(), dev, card_point(screen, hit.milestone.key))
    qtbot.waitUntil(lambda: screen.card.isVisible(), timeout=2000)
    assert screen.open_key == hit.milestone.key


def test_a_swipe_right_after_the_opening_tap_still_works(qtbot, qapp, seed_content, dev):
    # Even where double-clicks are on (the kiosk turns them off), a swipe's press that
    # arrives as a double-click within the interval of the opening tap is a swipe.
    from PySide6.QtGui import QGuiApplication

    clock = FakeClock()
    screen = make_screen(qtbot, seed_content, clock=clock)
    hints = QGuiApplication.styleHints()
    hints.setMouseDoubleClickInterval(400)
    try:
        order = [m.key for m in screen.order]
        tap(screen.view.viewport(), dev, card_point(screen, "m_dti"))
        qtbot.waitUntil(lambda: screen.card.isVisible(), timeout=2000)
        screen.card._anim.stop()
        panel = screen.card.panel
        start = panel.rect().center() + QPoint(200, 0)
        drag(qapp, panel, dev, start, -400, steps=4, frame_ms=5, clock=clock)
        assert screen.open_key == order[order.index("m_dti") + 1]
    finally:
        hints.setMouseDoubleClickInterval(0)


def test_a_quick_drag_right_after_a_tap_still_scrolls(qtbot, qapp, dev):
    # Qt would deliver that second press as a double-click, which QScroller ignores.
    from PySide6.QtGui import QGuiApplication

    screen = make_screen(qtbot, many(60))
    assert QGuiApplication.styleHints().mouseDoubleClickInterval() == 0
    view = screen.view
    point = QPoint(1500, 400)
    tap(view.viewport(), dev, point)
    real_wait(50)
    drag(qapp, view.viewport(), dev, point, -600)
    assert view.scroll_x() > 200


def test_chips_stay_put_under_the_finger_whatever_the_filter_shows(qtbot, qapp, seed_content):
    screen = make_screen(qtbot, seed_content)
    chips = screen.year_chips + screen.category_chips

    def where():
        qapp.processEvents()
        return [c.mapTo(screen, QPoint(0, 0)) for c in chips]

    before = where()
    screen.set_year_filter(2022)
    screen.toggle_category("award")  # nothing matches
    assert screen.empty.isVisible() and where() == before
    screen.set_language("en")
    screen.set_language("vi")
    screen.reset()
    assert where() == before


def test_an_image_gives_way_so_long_text_and_the_source_stay_on_the_card(qtbot, tmp_path):
    from PySide6.QtGui import QColor, QImage

    image = QImage(1600, 900, QImage.Format.Format_RGB32)
    image.fill(QColor("#336699"))
    assert image.save(str(tmp_path / "big.png"))
    long = Text("Tiêu đề rất dài " * 700, "A very long title " * 600)
    body = Text("Nội dung dài " * 900, "A long body " * 900)
    row = Milestone("full", dt.date(2021, 5, 1), "year", long, body, "event", "s1", "big.png")
    content = Content(sources=(SOURCE,), milestones=(row,), base_dir=str(tmp_path))
    screen = make_screen(qtbot, content)
    screen.open_milestone("full")
    card = screen.card
    panel = card.panel.geometry()
    assert screen.rect().contains(panel)
    assert card.panel.layout().heightForWidth(panel.width()) <= panel.height()
    source = card.source_label.geometry().translated(panel.topLeft())
    assert panel.contains(source) and card.source_label.text().startswith("Nguồn:")


def test_a_swipe_outside_the_card_steps_and_does_not_close_it(qtbot, qapp, seed_content, dev):
    clock = FakeClock()
    screen = make_screen(qtbot, seed_content, clock=clock)
    order = [m.key for m in screen.order]
    screen.open_milestone(order[1])
    panel = screen.card.panel.geometry()
    below = QPoint(panel.center().x() + 300, (panel.bottom() + screen.height()) // 2)
    drag(qapp, screen.card, dev, below, -500, steps=4, frame_ms=5, clock=clock)
    assert screen.card.isVisible() and screen.open_key == order[2]
    tap(screen.card, dev, below)
    assert not screen.card.isVisible()


def test_previous_and_next_buttons_on_the_card(qtbot, qapp, seed_content, dev):
    screen = make_screen(qtbot, seed_content)
    order = [m.key for m in screen.order]
    screen.open_milestone(order[0])
    card = screen.card
    assert not card.prev_button.isEnabled() and card.next_button.isEnabled()
    assert card.next_button.height() >= 96 and card.position_label.text() == f"1 / {len(order)}"
    tap(card.next_button, dev, card.next_button.rect().center())
    assert screen.open_key == order[1] and card.prev_button.isEnabled()
    tap(card.prev_button, dev, card.prev_button.rect().center())
    assert screen.open_key == order[0]
    screen.open_milestone(order[-1])
    assert not card.next_button.isEnabled()
    tap(card.next_button, dev, card.next_button.rect().center())  # disabled: nothing happens
    assert screen.open_key == order[-1] and card.isVisible()
    # A single milestone has nowhere to go: no buttons, no swipe hint.
    alone = make_screen(qtbot, Content(sources=(SOURCE,), milestones=(ms("one", "2021-01-05"),)))
    alone.open_milestone("one")
    assert alone.card.next_button.isHidden() and alone.card.hint_label.isHidden()


def test_many_years_and_categories_keep_the_chip_row_short(qtbot):
    rows = tuple(
        ms(f"m{i}", f"{2005 + i % 20}-02-01", category=f"category_{i % 25}") for i in range(200)
    )
    screen = make_screen(qtbot, Content(sources=(SOURCE,), milestones=rows))
    chips = screen.year_chips + screen.category_chips
    assert len(chips) <= 1 + 8 + 10
    rows_used = {c.y() for c in chips}
    assert len(rows_used) <= 3 and screen.view.height() > 400


def test_a_very_long_category_name_stays_inside_the_screen(qtbot):
    name = "a_category_name_that_staff_typed_far_too_long_" * 6
    rows = (ms("a", "2021-02-01", category=name), ms("b", "2021-03-01"))
    screen = make_screen(qtbot, Content(sources=(SOURCE,), milestones=rows), (1080, 1920))
    chip = next(c for c in screen.category_chips if c.value == name)
    assert screen.chip_row.rect().contains(chip.geometry())


def test_edge_fades_show_where_there_is_more_to_scroll(qtbot, qapp, seed_content):
    screen = make_screen(qtbot, many(60))
    view = screen.view
    assert view.fades() == (False, True)  # at the start: more to the right
    bar = view.horizontalScrollBar()
    bar.setValue(bar.maximum() // 2)
    assert view.fades() == (True, True)
    bar.setValue(bar.maximum())
    assert view.fades() == (True, False)
    # The date line fades out at the left edge (more strip that way) but not at the right.
    paint_now(qtbot, view)
    image = view.viewport().grab().toImage()
    y = view.canvas.lay.line_y
    middle = image.pixelColor(image.width() // 2, y).lightness()
    assert image.pixelColor(1, y).lightness() < middle / 2
    assert image.pixelColor(image.width() - 2, y).lightness() > middle * 0.8
    few = make_screen(qtbot, Content(sources=(SOURCE,), milestones=(ms("a", "2021-01-01"),)))
    assert few.view.fades() == (False, False)  # everything fits: no fades


def test_no_milestones_at_all_shows_the_empty_message(qtbot, seed_content):
    screen = make_screen(qtbot, Content(sources=(SOURCE,)))
    assert screen.order == () and screen.empty.isVisible() and not screen.view.isVisible()
    assert [c.value for c in screen.year_chips] == [None] and screen.category_chips == []
    assert not screen.open_milestone("anything") and not screen.step(1)
    screen.set_content(seed_content)  # content arrives later (live reload)
    assert len(screen.order) == len(seed_content.milestones) and screen.view.isVisible()


def test_a_missing_image_is_logged_once_not_on_every_relayout(qtbot, caplog):
    import logging

    caplog.set_level(logging.WARNING, logger="kiosk.ui.timeline.card")
    row = ms("gone", "2021-04-01", image="nope/missing.png")
    screen = make_screen(qtbot, Content(sources=(SOURCE,), milestones=(row,), base_dir="/nowhere"))
    screen.open_milestone("gone")
    screen.set_language("en")
    screen.resize(1600, 900)
    screen.set_language("vi")
    warnings = [r for r in caplog.records if "not shown" in r.getMessage()]
    assert len(warnings) == 1 and "nope/missing.png" in warnings[0].getMessage()


def test_the_last_read_milestone_stays_outlined_on_the_strip(qtbot, qapp, seed_content, dev):
    screen = make_screen(qtbot, seed_content)
    canvas = screen.view.canvas
    order = [m.key for m in screen.order]
    screen.open_milestone(order[1])
    screen.step(1)
    screen.close_card()
    assert canvas.current_key == order[2]
    screen.set_year_filter(2022)  # that milestone is filtered out: no outline left behind
    assert order[2] in {m.key for m in seed_content.milestones if m.date.year != 2022}
    assert canvas.current_key is None
    screen.set_year_filter(None)
    screen.open_milestone(order[0])
    screen.reset()
    assert canvas.current_key is None


def test_counts_are_written_the_way_each_language_writes_numbers(qtbot):
    screen = make_screen(qtbot, many(2000))
    assert screen.title.text().startswith("2.000 mốc")
    screen.open_milestone("g1500")
    assert screen.card.position_label.text() == "1.501 / 2.000"
    screen.set_language("en")
    assert screen.title.text().startswith("2,000 milestones")
    assert screen.card.position_label.text() == "1,501 / 2,000"


def test_random_visitor_on_2000_milestones_never_breaks_it(qtbot, qapp, dev):
    import random

    screen = make_screen(qtbot, many(2000))
    rng = random.Random(11)
    for _ in range(120):
        p = QPoint(rng.randrange(screen.width()), rng.randrange(screen.height()))
        roll = rng.random()
        if roll < 0.25:
            drag(qapp, screen, dev, p, rng.choice([-700, -300, 300, 700]), steps=3, frame_ms=2)
        elif roll < 0.35:
            mouse_click(qtbot, screen, p)
        elif roll < 0.4:
            screen.set_language(rng.choice(["vi", "en"]))
        elif roll < 0.45:
            screen.set_year_filter(rng.choice([None, 2021, 2022]))
        else:
            tap(screen, dev, p)
        qapp.processEvents()
    assert all(screen.year is None or m.date.year == screen.year for m in screen.order)
    assert screen.open_key is None or screen.open_key in {m.key for m in screen.order}
    assert 0 <= screen.scroll_x() <= max(0, screen.view.max_scroll())
    screen.reset()
    assert screen.open_key is None and screen.scroll_x() == 0 and len(screen.order) == 2000


def test_touch_sequences_run_no_event_loop_when_the_garbage_collector_frees_them(qtbot, qapp, dev):
    """The collector runs wherever Python allocates, e.g. inside a paintEvent; a touch
    sequence that runs the event loop when it is freed makes that paint re-entrant, and a
    re-entrant paint segfaults. Every helper here must leave nothing to the collector."""
    widget = QWidget()
    qtbot.addWidget(widget)
    widget.resize(400, 300)
    widget.show()
    qtbot.waitExposed(widget)
    tap(widget, dev, QPoint(100, 100))
    drag(qapp, widget, dev, QPoint(300, 100), -200, steps=2, frame_ms=1)
    touch(widget, dev).press(0, QPoint(100, 100))  # a sequence dropped without a commit
    ran = []
    QTimer.singleShot(0, lambda: ran.append("event loop"))
    gc.collect()
    assert ran == []
    qtbot.waitUntil(lambda: ran == ["event loop"])  # the timer itself does work


def test_the_hint_offers_dragging_only_when_there_is_more_to_see(qtbot, seed_content):
    long = make_screen(qtbot, many(60))
    assert long.hint.text().startswith("Kéo để xem thêm")
    long.set_language("en")
    assert long.hint.text().startswith("Drag to see more")
    short = make_screen(qtbot, Content(sources=(SOURCE,), milestones=(ms("a", "2021-01-01"),)))
    assert short.hint.text() == "Chạm vào một mốc để đọc chi tiết"


def test_a_screen_that_changes_size_is_laid_out_again(qtbot, qapp, seed_content):
    # The kiosk re-places its window when the display changes (rotation, new monitor).
    screen = make_screen(qtbot, seed_content)
    screen.open_milestone("m_dti")
    for size in ((1080, 1920), (1280, 720), (1920, 1080)):
        screen.resize(*size)
        qapp.processEvents()
        assert screen.rect().contains(screen.card.panel.geometry()), size
        items = screen.view.canvas.lay.items
        height = screen.view.viewport().height()
        assert all(it.y >= 0 and it.y + it.h <= height for it in items), size


def test_overscroll_at_the_end_bounces_back_too(qtbot, qapp, dev):
    screen = make_screen(qtbot, many(60))
    view = screen.view
    view.horizontalScrollBar().setValue(view.max_scroll())
    home = view.viewport().pos()
    drag(qapp, view.viewport(), dev, QPoint(1500, 400), -500, steps=8)
    moved = view.viewport().pos() != home or view.scroller.state().name != "Inactive"
    qtbot.waitUntil(lambda: view.scroller.state().name == "Inactive", timeout=3000)
    assert moved  # the strip gave way past its end
    assert view.scroll_x() == view.max_scroll() and view.viewport().pos() == home


def test_the_card_follows_the_finger_and_settles_back(qtbot, qapp, seed_content, dev):
    clock = FakeClock()
    screen = make_screen(qtbot, seed_content, clock=clock)
    order = [m.key for m in screen.order]
    screen.open_milestone(order[2])
    card = screen.card
    home = card.panel_rect()
    panel = card.panel
    start = panel.mapTo(screen, panel.rect().center())
    touch(screen, dev).press(0, start).commit()
    for dx in (-20, -40, -60):
        touch(screen, dev).move(0, start + QPoint(dx, 0)).commit()
    assert panel.x() < home.x()  # pulled along, a little less than the finger moved
    assert panel.x() > home.x() - 60
    # Let go after a short, slow pull (no swipe): same milestone, the card settles back.
    clock.advance(1.1)  # a slow pull, not a flick
    touch(screen, dev).release(0, start + QPoint(-60, 0)).commit()
    assert screen.open_key == order[2]
    qtbot.waitUntil(lambda: not card.animating, timeout=2000)
    assert panel.geometry() == home
    # At the last milestone a "next" swipe has nowhere to go: the card settles back too.
    screen.open_milestone(order[-1])
    start = panel.rect().center() + QPoint(200, 0)
    drag(qapp, panel, dev, start, -400, steps=4, frame_ms=5, clock=clock)
    assert screen.open_key == order[-1]
    qtbot.waitUntil(lambda: not card.animating, timeout=2000)
    assert panel.geometry() == card.panel_rect()


def test_the_card_is_tall_enough_for_each_milestone_at_once(qtbot, seed_content):
    # No event-loop turn between opening cards: the height must not lag one card behind.
    screen = make_screen(qtbot, seed_content)
    card = screen.card
    for key in ("m_dti", "m_2022_theme", "m_dti", "m_conference"):
        screen.open_milestone(key)
        needed = card.panel.layout().totalHeightForWidth(card.panel.width())
        assert card.panel.height() >= min(needed, screen.height() - 96), key
