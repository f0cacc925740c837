"""``kiosk doctor``'s fleet line: which content this kiosk shows, and is it the channel's?"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from kiosk.fleet.manifest import (
    MANIFEST_NAME,
    SIGNATURE_NAME,
    ChannelError,
    Manifest,
    verify,
    verify_key_from_text,
)
from kiosk.fleet.state import identity, load_state

TIMEOUT_S = 5.0


def channel_status(settings, db_path) -> tuple[bool, str, str]:
    """(ok, detail, what to do) for the content channel and the content on screen."""
    from kiosk.fleet import download as http

    db_path = Path(db_path)
    label = identity(db_path).label
    if not settings.channel_url:
        return True, f"not following a channel; content on screen: {label}", ""
    if not settings.channel_public_key:
        return (
            False,
            "channel_url is set but channel_public_key is empty",
            "paste the line from the channel's channel.pub into kiosk.toml",
        )
    url = settings.channel_url.rstrip("/") + "/"
    try:
        key = verify_key_from_text(settings.channel_public_key)
        data = http.get(url + MANIFEST_NAME, timeout_s=TIMEOUT_S).body
        verify(data, http.get(url + SIGNATURE_NAME, timeout_s=TIMEOUT_S).body, key)
        offered = Manifest.from_json(data)
    except ChannelError as error:
        return False, str(error), "check the web server, channel_url and channel_public_key"
    state = load_state(db_path)
    installed = state.manifest.serial if state else None
    if installed is not None and label == "local edit":
        return (
            False,
            f"content on screen is a local edit, not serial {installed}; the channel has "
            f"{offered.short}",
            "edit in the studio and publish: the next publish replaces a local edit",
        )
    if installed == offered.serial:
        when = dt.datetime.fromtimestamp(state.installed_at, dt.UTC).strftime("%Y-%m-%d %H:%M")
        return True, f"showing {label}, the channel's current (installed {when} UTC)", ""
    if installed is not None and installed > offered.serial:
        return (
            False,
            f"showing {label} but the channel offers the older {offered.short}",
            "publish again (kiosk channel publish or rollback): that gives a higher serial",
        )
    return (
        False,
        f"showing {label}; the channel has {offered.short}",
        "run: sudo -u kiosk kiosk follow --once (it says why not) and journalctl -u kiosk",
    )
