"""The timeline screen: filter chips over the kinetic strip, with the detail card on top.

``TimelineScreen(content, theme, lang)`` is one page of the explore stack. It emits
``milestone_opened(key)`` when a card opens (for statistics) and ``interacted()`` on every
touch (for the idle timer). ``set_language`` switches every string and content field at
once; ``set_content`` takes a reloaded snapshot and keeps the filters where possible.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QRect, QSize, Qt, Signal
from PySide6.QtWidgets import QLayout, QSizePolicy, QVBoxLayout, QWidget, QWidgetItem

from kiosk.content.clock import Clock
from kiosk.content.i18n import t
from kiosk.content.model import Content, Milestone
from kiosk.content.numbers import format_number
from kiosk.content.timeline import (
    category_colour,
    category_label,
    chip_categories,
    chip_years,
    filter_milestones,
    neighbour,
    showing,
    years_in,
)
from kiosk.ui.theme import Theme
from kiosk.ui.timeline.card import DetailCard
from kiosk.ui.timeline.view import TimelineView
from kiosk.ui.touch import Chip, kiosk_manners
from kiosk.ui.widgets import set_label_text, text_label


class FlowLayout(QLayout):
    """Lays chips out left to right and wraps to a new row when the width runs out."""

    def __init__(self, spacing: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._items: list[QWidgetItem] = []
        self._spacing = spacing
        self.setContentsMargins(0, 0, 0, 0)

    def addItem(self, item) -> None:  # noqa: N802
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, i):  # noqa: N802
        return self._items[i] if 0 <= i < len(self._items) else None

    def takeAt(self, i):  # noqa: N802
        return self._items.pop(i) if 0 <= i < len(self._items) else None

    def hasHeightForWidth(self) -> bool:  # noqa: N802
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802
        return self._arrange(QRect(0, 0, width, 0), apply=False)

    def setGeometry(self, rect: QRect) -> None:  # noqa: N802
        super().setGeometry(rect)
        self._arrange(rect, apply=True)

    def sizeHint(self) -> QSize:  # noqa: N802
        return self.minimumSize()

    def minimumSize(self) -> QSize:  # noqa: N802
        size = QSize()
        for item in self._items:
            size = size.expandedTo(item.minimumSize())
        return size

    def _arrange(self, rect: QRect, apply: bool) -> int:
        x, y, row_h = rect.x(), rect.y(), 0
        for item in self._items:
            hint = item.sizeHint()
            # A chip longer than the row (a staff-invented category) gets the row and elides.
            width = min(hint.width(), max(1, rect.width()))
            if x + width > rect.right() + 1 and x > rect.x():
                x, y, row_h = rect.x(), y + row_h + self._spacing, 0
            if apply:
                item.setGeometry(QRect(x, y, width, hint.height()))
            x += width + self._spacing
            row_h = max(row_h, hint.height())
        return y + row_h - rect.y()


class TimelineScreen(QWidget):
    """Chips + strip + card. Filters: one year (or all) and any set of categories."""

    milestone_opened = Signal(str)
    interacted = Signal()

    def __init__(
        self,
        content: Content,
        theme: Theme,
        lang: str = "vi",
        *,
        reduced_motion: bool = False,
        today: Callable[[], dt.date] = dt.date.today,
        clock: Clock | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        kiosk_manners(self)
        self.theme = theme
        self.lang = lang
        self.content = content
        self.today = today  # milestones outside their show_from/show_until are left out
        self.year: int | None = None
        self.categories: set[str] = set()  # empty = every category
        self.order: tuple[Milestone, ...] = ()
        self.year_chips: list[Chip] = []
        self.category_chips: list[Chip] = []

        # The strip runs edge to edge (it scrolls); the header keeps the theme's margins.
        layout = QVBoxLayout(self)
        # Wrapped labels report huge heights at tiny widths; without this the screen would
        # demand a minimum height taller than a 1080p panel and push the window off-screen.
        layout.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        layout.setContentsMargins(0, theme.px(24), 0, theme.px(24))
        layout.setSpacing(theme.px(16))
        header = QWidget()
        head = QVBoxLayout(header)
        m = theme.margin
        head.setContentsMargins(m, 0, m, 0)
        head.setSpacing(theme.px(16))
        # The explore top bar already names the screen; this line says what the strip
        # holds now (count and years), which also answers "did my filter do anything?".
        self.title = text_label("", theme, 30, bold=True)
        self.hint = text_label("", theme, 24, color=theme.muted)
        self.chip_row = QWidget()
        self.chip_row.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.chips = FlowLayout(theme.px(14), self.chip_row)
        self.view = TimelineView(theme, lang, reduced_motion=reduced_motion)
        self.view.canvas.content = content
        centre = Qt.AlignmentFlag.AlignCenter
        self.empty = text_label("", theme, 30, color=theme.muted, align=centre)
        head.addWidget(self.title)
        head.addWidget(self.hint)
        head.addWidget(self.chip_row)
        layout.addWidget(header)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.empty, 1)  # in the strip's place when nothing matches
        self.card = DetailCard(theme, lang, reduced_motion=reduced_motion, clock=clock, parent=self)
        self.view.milestone_tapped.connect(self.open_milestone)
        self.view.horizontalScrollBar().rangeChanged.connect(self._update_hint)
        self.view.interacted.connect(self.interacted)
        self.card.interacted.connect(self.interacted)
        self.card.step_requested.connect(self.step)
        self.card.closed.connect(self.interacted)
        self._build_chips()
        self._apply_filter()
        self._retranslate()

    def milestones(self) -> tuple[Milestone, ...]:
        """The milestones shown today (inside their show_from / show_until window)."""
        return showing(self.content.milestones, self.today())

    # -- chips -----------------------------------------------------------------------------
    def _build_chips(self) -> None:
        while self.chips.count():
            item = self.chips.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
        th = self.theme
        self.year_chips = [Chip("", th, value=None)]
        shown = self.milestones()
        self.year_chips += [Chip(str(y), th, value=y) for y in chip_years(shown)]
        self.category_chips = []
        for category in chip_categories(shown):
            chip = Chip("", th, value=category)
            chip.set_dot(category_colour(self.content, category) or th.category_color(category))
            self.category_chips.append(chip)
        for chip in self.year_chips:
            chip.clicked.connect(lambda _=False, c=chip: self._on_year_chip(c.value))
            self.chips.addWidget(chip)
        for chip in self.category_chips:
            chip.clicked.connect(lambda _=False, c=chip: self._on_category_chip(c.value))
            self.chips.addWidget(chip)
        self._sync_chips()

    def _sync_chips(self) -> None:
        for chip in self.year_chips:
            chip.setChecked(chip.value == self.year)
        for chip in self.category_chips:
            chip.setChecked(chip.value in self.categories)

    def _on_year_chip(self, year: int | None) -> None:
        self.interacted.emit()
        # Tapping the chosen year again lets go of it, like the category chips.
        self.set_year_filter(None if year == self.year else year)

    def _on_category_chip(self, category: str) -> None:
        self.interacted.emit()
        self.toggle_category(category)

    # -- filters -----------------------------------------------------------------------------
    def set_year_filter(self, year: int | None) -> None:
        """Show only ``year`` (None: every year)."""
        self.year = year
        self._apply_filter()

    def set_category_filter(self, categories) -> None:
        """Show only these categories (empty or None: every category)."""
        self.categories = set(categories or ())
        self._apply_filter()

    def toggle_category(self, category: str) -> None:
        self.categories ^= {category}
        self._apply_filter()

    def _apply_filter(self) -> None:
        years = None if self.year is None else {self.year}
        cats = self.categories or None
        self.order = filter_milestones(self.milestones(), years, cats)
        self._sync_chips()
        self.view.set_milestones(self.order)
        if self.view.canvas.current_key not in {m.key for m in self.order}:
            self.view.canvas.set_current(None)
        self.empty.setVisible(not self.order)
        # The hint stays: hiding it would move the chips up under the visitor's finger.
        self.view.setVisible(bool(self.order))
        self._update_summary()
        if self.card.isVisible():
            self.card.close_card()

    # -- the card --------------------------------------------------------------------------
    def open_milestone(self, key: str, step: int = 0, *, notify: bool = True) -> bool:
        """Open the card for ``key`` (must be in the current filtered order).

        ``notify=False`` re-shows a card without counting it as opened again (a content
        reload under an open card is not a visitor's action).
        """
        for i, m in enumerate(self.order):
            if m.key == key:
                self.card.show_milestone(self.content, m, (i + 1, len(self.order)), step)
                self.view.canvas.set_current(key)
                if step:
                    self.view.scroll_to_index(i)  # the strip follows the card
                if notify:
                    self.milestone_opened.emit(key)
                return True
        return False

    def step(self, direction: int) -> bool:
        """Next (+1) / previous (-1) milestone on the open card; False at either end."""
        if self.card.milestone is None or not self.card.isVisible():
            return False
        other = neighbour(self.order, self.card.milestone.key, direction)
        if other is None:
            self.card.snap_back()  # the first or last milestone: the card settles back
            return False
        return self.open_milestone(other.key, step=direction)

    def close_card(self) -> None:
        self.card.close_card()

    @property
    def open_key(self) -> str | None:
        return self.card.milestone.key if self.card.isVisible() and self.card.milestone else None

    # -- language and content ----------------------------------------------------------------
    def set_language(self, lang: str) -> None:
        self.lang = lang
        self.view.set_language(lang)
        self.card.set_language(lang)
        self._retranslate()

    def _retranslate(self) -> None:
        lang = self.lang
        self._update_summary()
        set_label_text(self.empty, t("timeline.empty", lang))
        self.year_chips[0].setText(t("filter.all", lang))
        for chip in self.category_chips:
            chip.setText(category_label(self.content, chip.value, lang))
        self.chips.invalidate()

    def _update_hint(self, *_) -> None:
        # "Drag to see more" only when there is more: a short strip that fits is just tapped.
        more = self.view.max_scroll() > 0
        set_label_text(self.hint, t("timeline.hint" if more else "timeline.hint.tap", self.lang))

    def _update_summary(self) -> None:
        self._update_hint()
        years = years_in(self.order)
        n = len(self.order)
        if not years:
            set_label_text(self.title, t("timeline.summary.none", self.lang))
            return
        span = str(years[0]) if years[0] == years[-1] else f"{years[0]}–{years[-1]}"
        key = "timeline.summary.one" if n == 1 else "timeline.summary"
        count = format_number(n, self.lang)  # 2.000 mốc / 2,000 milestones
        set_label_text(self.title, t(key, self.lang, n=count, span=span))

    def set_content(self, content: Content) -> None:
        """A new snapshot: rebuild the chips, keep filters that still make sense."""
        open_key = self.open_key
        self.content = content
        self.view.canvas.content = content
        shown = self.milestones()
        if self.year is not None and self.year not in chip_years(shown):
            self.year = None
        self.categories &= set(chip_categories(shown))
        self._build_chips()
        self._apply_filter()
        self._retranslate()
        if open_key:
            self.open_milestone(open_key, notify=False)

    def reset(self) -> None:
        """Back to the unfiltered strip at its start, card closed (on return to attract)."""
        self.year = None
        self.categories = set()
        self.view.canvas.set_current(None)  # the next visitor starts fresh
        self._build_chips()  # a new day may show or hide milestones (show_from/until)
        self._apply_filter()
        self._retranslate()

    def scroll_x(self) -> int:
        return self.view.scroll_x()

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        # The page fits whatever screen the kiosk has; never ask the window for more.
        return QSize(self.theme.px(320), self.theme.px(480))

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        if self.card.isVisible():
            self.card.setGeometry(self.rect())
