"""Da Nang digital-transformation lobby kiosk."""

__version__ = "0.1.0"
