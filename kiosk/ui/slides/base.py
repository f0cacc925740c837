"""The frame every slide shares: heading, body, source line, and the reveal animation.

A slide is built once per playlist entry and replayed: ``play()`` runs one eased
``QVariantAnimation`` from 0 to 1 and hands each step to ``set_progress``, which the
kinds implement by updating existing items (never rebuilding them). ``show_final()``
jumps to the end state, which is what ``kiosk render`` captures.
"""

from __future__ import annotations

from PySide6.QtCore import QEasingCurve, Qt, QVariantAnimation
from PySide6.QtWidgets import QVBoxLayout, QWidget

from kiosk.content.model import Content
from kiosk.content.playlist import SlideData, heading_of, source_line
from kiosk.ui.theme import Theme
from kiosk.ui.widgets import set_label_text, text_label

REVEAL_MS = 1100  # about a second, as the brief asks; long enough to read as motion


class Slide(QWidget):
    """Base class: subclasses implement ``build_body``, ``retranslate_body``, ``set_progress``."""

    def __init__(
        self,
        data: SlideData,
        content: Content,
        theme: Theme,
        lang: str = "vi",
        reduced_motion: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.data = data
        self.content = content
        self.theme = theme
        self.lang = lang
        self.reduced_motion = reduced_motion
        self.progress = 1.0
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.PreventContextMenu)

        layout = QVBoxLayout(self)
        m = theme.margin
        layout.setContentsMargins(m, round(m * 0.8), m, round(m * 0.5))
        layout.setSpacing(theme.px(28))
        self.heading = text_label("", theme, 56 if not theme.portrait else 52, bold=True)
        self.body = self.build_body()
        self.footer = text_label("", theme, 24, color=theme.muted)
        layout.addWidget(self.heading)
        layout.addWidget(self.body, 1)
        layout.addWidget(self.footer)

        self._anim = QVariantAnimation(self)
        self._anim.setStartValue(0.0)
        self._anim.setEndValue(1.0)
        self._anim.setDuration(REVEAL_MS)
        self._anim.setEasingCurve(QEasingCurve.Type.OutCubic)
        self._anim.valueChanged.connect(self._on_step)
        self.retranslate()
        self.set_progress(1.0)

    # -- what subclasses provide ------------------------------------------------------
    def build_body(self) -> QWidget:
        raise NotImplementedError

    def retranslate_body(self) -> None:
        """Push texts in ``self.lang`` into the body."""

    def set_progress(self, t: float) -> None:
        """Show the reveal at ``t`` in [0, 1] (1 = final frame)."""
        self.progress = t

    # -- public API ---------------------------------------------------------------------
    @property
    def kind(self) -> str:
        return self.data.entry.kind

    def overflowing(self) -> bool:
        """True when some text of the final frame did not fit (checked after a paint)."""
        return any(getattr(w, "overflow", False) for w in self.findChildren(QWidget))

    @property
    def animating(self) -> bool:
        return self._anim.state() == QVariantAnimation.State.Running

    def play(self) -> None:
        """Run the reveal from the start (or jump to the end under reduced motion)."""
        self._anim.stop()
        if self.reduced_motion:
            self.set_progress(1.0)
            return
        self.set_progress(0.0)
        self._anim.start()

    def stop(self) -> None:
        self._anim.stop()

    def show_final(self) -> None:
        self._anim.stop()
        self.set_progress(1.0)

    def set_language(self, lang: str) -> None:
        if lang != self.lang:
            self.lang = lang
            self.retranslate()

    def retranslate(self) -> None:
        heading = heading_of(self.data).get(self.lang)
        set_label_text(self.heading, heading)
        self.heading.setVisible(bool(heading))
        set_label_text(self.footer, source_line(self.content, self.data.source_keys, self.lang))
        self.retranslate_body()

    def _on_step(self, value) -> None:
        self.set_progress(float(value))
