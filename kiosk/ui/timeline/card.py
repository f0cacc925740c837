"""The milestone detail card: an overlay over the timeline.

The card shows the title, the date exactly as precise as the source, the body, the image
if there is one, and the source line. It closes with a large ✕ or a tap outside the card;
a one-finger swipe on the card asks for the next/previous milestone, and the new content
slides in (about 250 ms, eased) or, with reduced motion, simply appears.

Every DB text goes through ``text_label`` (plain text): a title like ``<b>x</b>`` shows
literally.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QEasingCurve, QPoint, QPointF, QRect, Qt, QVariantAnimation, Signal
from PySide6.QtGui import QColor, QPainter, QPixmap
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from kiosk.content.clock import Clock
from kiosk.content.i18n import format_date, t
from kiosk.content.model import Content, Milestone
from kiosk.content.numbers import format_number
from kiosk.content.playlist import source_line
from kiosk.content.timeline import category_colour, category_label
from kiosk.store.layout import DB_IMAGE_PREFIX
from kiosk.ui.images import load_scaled
from kiosk.ui.theme import Theme
from kiosk.ui.timeline.canvas import wrap_elided
from kiosk.ui.touch import SwipeDetector, TouchButton, kiosk_manners
from kiosk.ui.widgets import set_label_text, text_label

log = logging.getLogger(__name__)

SLIDE_MS = 250


def image_path(content: Content, image: str) -> Path | None:
    """The image file for a milestone, resolved against the DB's folder; None if missing."""
    if not image:
        return None
    path = Path(image)
    if not path.is_absolute():
        path = Path(content.base_dir or ".") / path
    return path if path.is_file() else None


def image_pixmap(content: Content, image: str, max_w: int = 1920, max_h: int = 1080) -> QPixmap:
    """A milestone's image: a file next to the DB, or ``db:<name>`` stored inside the DB.

    A stored image is one small read (the studio scales it to at most 1600 px), done when
    the card opens, as loading a file next to the DB is. A file is decoded at most at
    ``max_w`` x ``max_h`` (a camera's 8000 px picture is not kept at full size).
    """
    if image.startswith(DB_IMAGE_PREFIX):
        from kiosk.store import StoreError
        from kiosk.store.reader import read_image

        try:
            data = read_image(content.db_path, image) if content.db_path else None
        except StoreError:
            data = None  # the DB went away mid-reload: the card shows without the image
        pixmap = QPixmap()
        if data:
            pixmap.loadFromData(data)
        return pixmap
    path = image_path(content, image)
    if path is None:
        return QPixmap()
    pixmap, why = load_scaled(path, max_w, max_h)
    if why:
        log.debug("image %s not decoded: %s", path.name, why)  # the card says "not shown"
    return pixmap


class CardPanel(QFrame):
    """The card itself (takes presses, so a tap on the card is not a tap outside)."""

    def __init__(self, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        kiosk_manners(self)
        self.setObjectName("card")
        self.setStyleSheet(
            f"#card {{ background: {theme.surface}; border-radius: {theme.px(28)}px;"
            f" border: {max(1, theme.px(2))}px solid {theme.surface_hi}; }}"
        )

    def mousePressEvent(self, event) -> None:  # noqa: N802
        event.accept()

    def mouseReleaseEvent(self, event) -> None:  # noqa: N802
        event.accept()


class DetailCard(QWidget):
    """Full-size overlay (dimmed backdrop + centred card). Hidden until ``show_milestone``."""

    closed = Signal()
    step_requested = Signal(int)  # +1 next, -1 previous (the screen knows the order)
    interacted = Signal()

    def __init__(
        self,
        theme: Theme,
        lang: str = "vi",
        *,
        reduced_motion: bool = False,
        clock: Clock | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        kiosk_manners(self)
        self.theme = theme
        self.lang = lang
        self.reduced_motion = reduced_motion
        self.content: Content = Content()
        self.milestone: Milestone | None = None
        self._pixmap: QPixmap | None = None  # the milestone's image at full size
        self._image_for: tuple[str, str] | None = None  # (base_dir, image) it was loaded for
        self._home = QRect()  # the card's resting place, set by _place_panel
        self.position: tuple[int, int] = (0, 0)  # (1-based index, count) in the order
        self._press_outside: QPointF | None = None  # where a press outside the card began
        self._build()
        self._anim = QVariantAnimation(self)
        self._anim.setDuration(SLIDE_MS)
        self._anim.setEasingCurve(QEasingCurve.Type.OutCubic)
        self._anim.valueChanged.connect(self._on_slide)
        # A swipe counts on the card and on the dimmed strip around it (a visitor often
        # swipes where the strip was); only a tap outside closes the card.
        # ``clock`` times the flicks (None: the real clock; tests give a fake one).
        self.swipe = SwipeDetector(self.panel, slop_px=theme.px(24), clock=clock)
        self.outside_swipe = SwipeDetector(self, slop_px=theme.px(24), clock=clock)
        for detector in (self.swipe, self.outside_swipe):
            detector.swiped.connect(self._on_swipe)
            # The card follows the finger while it is down, and settles back if the
            # finger lets go without a swipe (or at the first/last milestone).
            detector.moved.connect(self._on_drag)
            detector.ended.connect(self.snap_back)
        self.hide()

    def _build(self) -> None:
        th = self.theme
        self.panel = CardPanel(th, self)
        outer = QVBoxLayout(self.panel)
        pad = th.px(44)
        outer.setContentsMargins(pad, th.px(28), th.px(28), pad)
        outer.setSpacing(th.px(18))
        top = QHBoxLayout()
        top.setSpacing(th.px(20))
        self.date_label = text_label("", th, 30, bold=True, wrap=False)
        self.category_label = text_label("", th, 24, color=th.muted, wrap=False)
        top.addWidget(self.date_label)
        top.addWidget(self.category_label)
        top.addStretch(1)
        # Buttons as well as swipes: not every visitor knows to swipe, and a mouse-reporting
        # panel makes swiping awkward. They sit in the header so the card grows no taller.
        self.prev_button = TouchButton("‹", th, size_px=48, min_px=96)
        self.next_button = TouchButton("›", th, size_px=48, min_px=96)
        self.position_label = text_label("", th, 24, color=th.muted, wrap=False)
        for button, step in ((self.prev_button, -1), (self.next_button, 1)):
            button.setFixedSize(th.px(96), th.px(96))
            button.clicked.connect(lambda _=False, s=step: self._on_step_button(s))
        top.addWidget(self.prev_button, 0, Qt.AlignmentFlag.AlignTop)
        top.addWidget(self.position_label, 0, Qt.AlignmentFlag.AlignVCenter)
        top.addWidget(self.next_button, 0, Qt.AlignmentFlag.AlignTop)
        top.addSpacing(th.px(12))
        self.close_button = TouchButton("✕", th, size_px=44, min_px=96)
        self.close_button.setFixedSize(th.px(96), th.px(96))
        self.close_button.clicked.connect(self.close_card)
        top.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignTop)
        outer.addLayout(top)
        body = QVBoxLayout()
        body.setContentsMargins(0, 0, th.px(16), 0)
        body.setSpacing(th.px(22))
        self.title_label = text_label("", th, 46 if not th.portrait else 42, bold=True)
        self.image_label = QLabel()
        self.image_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.image_label.hide()
        self.body_label = text_label("", th, 32)
        body.addWidget(self.title_label)
        body.addWidget(self.image_label)
        body.addWidget(self.body_label)
        body.addStretch(1)
        self.hint_label = text_label("", th, 24, color=th.muted, wrap=True)
        self.source_label = text_label("", th, 24, color=th.muted)
        body.addWidget(self.hint_label)
        body.addWidget(self.source_label)
        outer.addLayout(body, 1)

    # -- content -------------------------------------------------------------------------
    def show_milestone(
        self, content: Content, milestone: Milestone, position: tuple[int, int], step: int = 0
    ) -> None:
        """Show ``milestone``; ``step`` (+1/-1) slides it in from that side."""
        self.content = content
        self.milestone = milestone
        self.position = position
        # Size first: the text is wrapped to the card's width.
        self.setGeometry(self.parentWidget().rect() if self.parentWidget() else self.rect())
        self._fill()
        self.show()
        self.raise_()
        self._place_panel()
        if step and not self.reduced_motion:
            self._anim.stop()
            self._anim.setStartValue(float(step))
            self._anim.setEndValue(0.0)
            self._anim.start()

    def set_language(self, lang: str) -> None:
        self.lang = lang
        if self.milestone is not None:
            self._fill()
            self._place_panel()

    def _fill(self) -> None:
        m, lang, th = self.milestone, self.lang, self.theme
        color = category_colour(self.content, m.category) or th.category_color(m.category)
        self.date_label.setStyleSheet(f"color: {color}; background: transparent;")
        set_label_text(self.date_label, format_date(m.date, m.precision, lang))
        set_label_text(self.category_label, category_label(self.content, m.category, lang))
        # The title is never cut: it wraps, and the card grows (the validator's 120
        # characters take at most 4 lines anywhere; the cap only guards content that
        # bypassed it). A long body gets the lines the title leaves and ends with "…"
        # rather than pushing the source line off the card.
        width = self._text_width()
        title_cap, title_room, body_lines = (8, 3, 8) if not th.portrait else (12, 5, 14)
        title = wrap_elided(m.title.get(lang), self.title_label.font(), width, title_cap)
        body_lines = max(2, body_lines - max(0, len(title) - title_room))
        body = wrap_elided(m.body.get(lang), self.body_label.font(), width, body_lines)
        set_label_text(self.title_label, "\n".join(title))
        set_label_text(self.body_label, "\n".join(body))
        self.body_label.setVisible(bool(m.body.get(lang)))
        n, total = self.position
        shown_n, shown_total = format_number(n, lang), format_number(total, lang)
        set_label_text(self.position_label, t("card.position", lang, n=shown_n, total=shown_total))
        set_label_text(self.hint_label, t("card.swipe", lang) if total > 1 else "")
        self.hint_label.setVisible(total > 1)
        for button in (self.prev_button, self.next_button):
            button.setVisible(total > 1)
        self.prev_button.setEnabled(n > 1)
        self.next_button.setEnabled(n < total)
        self.position_label.setVisible(total > 1)
        line = source_line(self.content, (m.source_key,), lang)
        set_label_text(self.source_label, line or t("source.unknown", lang))
        self._set_image()

    def _set_image(self) -> None:
        wanted = (self.content.base_dir, self.milestone.image)
        if wanted != self._image_for:  # a language switch or resize does not reload it
            self._image_for = wanted
            # Decoded at most at the largest size the card shows it (portrait, full width).
            th = self.theme
            pixmap = image_pixmap(self.content, self.milestone.image, th.px(1920), th.px(480))
            if self.milestone.image and pixmap.isNull():
                # A missing or unreadable image is not worth a crash: the card shows without.
                m = self.milestone
                log.warning("milestone %s: image %r not shown", m.key, m.image)
            self._pixmap = None if pixmap.isNull() else pixmap
        th = self.theme
        self._scale_image(th.px(340 if not th.portrait else 480))

    def _scale_image(self, max_h: int) -> None:
        """Show the image at most ``max_h`` px tall; hide it when there is no room."""
        if self._pixmap is None or max_h < self.theme.px(120):
            self.image_label.clear()
            self.image_label.hide()
            return
        max_w = self._panel_width() - self.theme.px(120)
        pixmap = self._pixmap
        self.image_label.setPixmap(
            pixmap.scaled(
                max_w,
                max_h,
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
        )
        self.image_label.show()

    # -- geometry ------------------------------------------------------------------------
    def _panel_width(self) -> int:
        th = self.theme
        avail = max(th.px(400), self.width() - 2 * th.px(48 if th.portrait else 120))
        return min(th.px(1400), avail)

    def _text_width(self) -> int:
        th = self.theme
        margins = th.px(44) + th.px(28) + th.px(16)
        # A little slack: QLabel wraps by its own rules, and a line we measured as fitting
        # must not wrap again inside the label.
        return self._panel_width() - margins - th.px(12)

    def panel_rect(self) -> QRect:
        th = self.theme
        w = self._panel_width()
        self.panel.setFixedWidth(w)
        max_h = self.height() - 2 * th.px(48)
        h = min(max_h, max(th.px(420), self._content_height(w)))
        return QRect((self.width() - w) // 2, (self.height() - h) // 2, w, h)

    def _content_height(self, width: int) -> int:
        """The height the card's content needs at ``width``, from fresh measurements.

        Nested layouts keep their height-for-width cached until the event loop lays them
        out again; the texts just changed, so every cache is dropped first.
        """

        def invalidate(layout) -> None:
            layout.invalidate()
            for i in range(layout.count()):
                child = layout.itemAt(i).layout()
                if child is not None:
                    invalidate(child)

        invalidate(self.panel.layout())
        return self.panel.layout().totalHeightForWidth(width)  # with the frame's border

    def _place_panel(self) -> None:
        rect = self.panel_rect()
        # Text comes first: when title, body and image do not fit, the image gives way so
        # the source line stays on the card.
        over = self._content_height(rect.width()) - rect.height()
        if over > 0 and not self.image_label.isHidden():
            self._scale_image(self.image_label.pixmap().height() - over)
            rect = self.panel_rect()
        self._home = rect  # where the card rests; drags and slides move it from here
        self.panel.setGeometry(rect)

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        if self.milestone is not None:
            self._fill()  # the text width changed: wrap and elide again
            self._place_panel()

    def _on_slide(self, value) -> None:
        home = self._home
        offset = round(float(value) * home.width() * 0.35)
        self.panel.move(home.topLeft() + QPoint(offset, 0))

    def _on_drag(self, dx: float) -> None:
        if self.reduced_motion or abs(dx) < self.theme.px(24):
            return
        self._anim.stop()
        home = self._home
        # Resistance: the card moves a little less than the finger, it is being pulled.
        self.panel.move(home.topLeft() + QPoint(round(dx * 0.6), 0))

    def snap_back(self) -> None:
        """Return the card to its place (animated unless reduced motion)."""
        home = self._home
        offset = self.panel.x() - home.x()
        if offset == 0 or self.animating:
            return
        if self.reduced_motion:
            self.panel.move(home.topLeft())
            return
        self._anim.setStartValue(offset / max(1.0, home.width() * 0.35))
        self._anim.setEndValue(0.0)
        self._anim.start()

    @property
    def animating(self) -> bool:
        return self._anim.state() == QVariantAnimation.State.Running

    # -- input ---------------------------------------------------------------------------
    def _on_step_button(self, direction: int) -> None:
        self.interacted.emit()
        self.step_requested.emit(direction)

    def _on_swipe(self, direction: int) -> None:
        self.interacted.emit()
        self.step_requested.emit(direction)

    def close_card(self) -> None:
        if self.isVisible():
            self._anim.stop()
            self.hide()
            self.closed.emit()

    def mousePressEvent(self, event) -> None:  # noqa: N802
        # Only presses outside the card reach here (the panel accepts its own).
        self.interacted.emit()
        pos = event.position()
        inside = self.panel.geometry().contains(pos.toPoint())
        self._press_outside = None if inside else QPointF(pos)
        event.accept()

    def mouseReleaseEvent(self, event) -> None:  # noqa: N802
        start, self._press_outside = self._press_outside, None
        pos = event.position()
        if start is None or self.panel.geometry().contains(pos.toPoint()):
            return
        slop = self.theme.px(24)
        if abs(pos.x() - start.x()) <= slop and abs(pos.y() - start.y()) <= slop:
            self.close_card()  # a tap outside; a swipe outside moves to another milestone

    def paintEvent(self, event) -> None:  # noqa: N802
        with QPainter(self) as p:
            backdrop = QColor(self.theme.bg)
            backdrop.setAlpha(215)  # dims the strip enough that the card's text stands alone
            p.fillRect(self.rect(), backdrop)
