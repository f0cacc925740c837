"""What `kiosk doctor` reports, in order: one line per check (the source and the packaged
binary are held to the same list)."""

CHECK_NAMES = [
    "config",
    "staff exit",
    "kiosk user",
    "content DB",
    "last good content",
    "content channel",
    "fonts",
    "log dir",
    "display",
    "screen",
    "screen blanking",
    "systemd",
]
