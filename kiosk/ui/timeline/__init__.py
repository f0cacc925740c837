"""The touch timeline: filter chips, a kinetic strip painting only what is visible, and
the milestone detail card."""

from kiosk.ui.timeline.card import DetailCard
from kiosk.ui.timeline.screen import TimelineScreen
from kiosk.ui.timeline.view import TimelineCanvas, TimelineView

__all__ = ["DetailCard", "TimelineCanvas", "TimelineScreen", "TimelineView"]
