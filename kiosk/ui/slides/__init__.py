"""Slides of the attract loop: ``make_slide(entry, content, theme, lang)`` builds one."""

from kiosk.ui.slides.base import Slide
from kiosk.ui.slides.kinds import SLIDE_CLASSES, make_slide

__all__ = ["SLIDE_CLASSES", "Slide", "make_slide"]
