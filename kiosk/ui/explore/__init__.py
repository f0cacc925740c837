"""Explore mode: the screens a visitor browses after touching the slideshow."""

from kiosk.ui.explore.view import SCREENS, ExploreView

__all__ = ["SCREENS", "ExploreView"]
