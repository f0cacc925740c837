"""The touch timeline: filter chips, a kinetic strip painting only what is visible, and
the milestone detail card.

    screen = TimelineScreen(content, theme, "vi", reduced_motion=False)
    screen.milestone_opened.connect(stats.milestone)   # key, on tap, swipe or button
    screen.interacted.connect(idle.touch)              # every press, drag, chip, card touch
    screen.set_language("en")      # every string and content field at once
    screen.set_content(content)    # live reload: keeps filters and an open card if possible
    screen.reset()                 # all years and categories, card closed, strip at its start
    screen.open_milestone(key); screen.step(+1); screen.set_year_filter(2022); screen.scroll_x()

Layout, visibility and hit-testing are pure logic in ``kiosk.content.timeline``; strings
and dates in ``kiosk.content.i18n``.
"""

from kiosk.ui.timeline.canvas import TimelineCanvas
from kiosk.ui.timeline.card import DetailCard
from kiosk.ui.timeline.screen import TimelineScreen
from kiosk.ui.timeline.view import TimelineView

__all__ = ["DetailCard", "TimelineCanvas", "TimelineScreen", "TimelineView"]
