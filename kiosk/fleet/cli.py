"""``kiosk channel …`` and ``kiosk follow``: thin click commands over ``kiosk.fleet``."""

from __future__ import annotations

import click


@click.group()
def channel():
    """Publish content to a signed channel folder that kiosks follow (for IT).

    Example: kiosk channel keygen --out /etc/kiosk-channel
    """
