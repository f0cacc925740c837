"""``kiosk studio …``: run the staff studio and manage its users."""

from __future__ import annotations

import click


@click.group()
def studio():
    """The staff studio: a web app for office staff to edit and publish content.

    Example: kiosk studio serve --data /var/lib/kiosk-studio
    """
