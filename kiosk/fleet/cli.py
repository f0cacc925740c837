"""``kiosk channel …`` and ``kiosk follow``: thin click commands over ``kiosk.fleet``."""

from __future__ import annotations

import getpass
import socket
from pathlib import Path

import click

from kiosk.system.options import config_option, db_option

_CHANNEL = click.option(
    "--channel",
    "channel_dir",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="The channel folder the web server publishes.",
)
_KEY = click.option(
    "--key",
    "key_path",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    required=True,
    help="The private channel.key made by 'kiosk channel keygen'.",
)


def _who() -> str:
    try:
        return f"{getpass.getuser()}@{socket.gethostname()}"
    except (KeyError, OSError):
        return socket.gethostname()


@click.group()
def channel():
    """Publish content to a signed channel folder that kiosks follow (for IT).

    Example: kiosk channel keygen --out /etc/kiosk-channel
    """


@channel.command()
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="Folder for channel.key (private, keep it here) and channel.pub (for the kiosks).",
)
def keygen(out_dir):
    """Make the channel's signing key pair.

    channel.key stays on the publishing machine (mode 0600); the one line in channel.pub
    goes into every kiosk's kiosk.toml as channel_public_key.

    Example: kiosk channel keygen --out /etc/kiosk-channel
    """
    from kiosk.fleet.channel import ChannelError, keygen

    try:
        key_path, pub_path = keygen(out_dir)
    except ChannelError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"private key: {key_path} (keep it on this machine, never in the channel)")
    click.echo(f"public key:  {pub_path}")
    click.echo(f'kiosk.toml:  channel_public_key = "{pub_path.read_text().strip()}"')


@channel.command()
@click.option(
    "--db",
    "db_path",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    required=True,
    help="The content DB to publish (checked first; nothing is published if it has errors).",
)
@_CHANNEL
@_KEY
@click.option("--note", default="", help="A note for the history, e.g. what changed.")
def publish(db_path, channel_dir, key_path, note):
    """Publish a content DB: every kiosk following the channel installs it.

    Example: kiosk channel publish --db var/content.db --channel /srv/kiosk-channel --key /etc/kiosk-channel/channel.key --note "2023 figures"
    """  # noqa: E501
    from kiosk.fleet.channel import ChannelError, publish

    try:
        manifest = publish(db_path, channel_dir, key_path, note=note, publisher=_who())
    except ChannelError as error:
        raise click.ClickException(str(error)) from None
    click.echo(
        f"published serial {manifest.serial} sha256 {manifest.sha256} ({manifest.bytes} bytes)"
    )


@channel.command()
@_CHANNEL
@click.option(
    "--to", "serial", type=click.IntRange(min=1), required=True, help="Serial to restore."
)
@_KEY
def rollback(channel_dir, serial, key_path):
    """Publish an earlier serial's content again, under a new serial.

    Example: kiosk channel rollback --channel /srv/kiosk-channel --to 6 --key /etc/kiosk-channel/channel.key
    """  # noqa: E501
    from kiosk.fleet.channel import ChannelError, rollback

    try:
        manifest = rollback(channel_dir, serial, key_path, publisher=_who())
    except ChannelError as error:
        raise click.ClickException(str(error)) from None
    click.echo(
        f"published serial {manifest.serial} sha256 {manifest.sha256} (content of serial {serial})"
    )


@channel.command(name="history")
@_CHANNEL
def history_(channel_dir):
    """List what was published, newest first (serial, hash, time, publisher, note).

    Example: kiosk channel history --channel /srv/kiosk-channel
    """
    from kiosk.fleet.channel import current, history

    now = current(channel_dir)
    for m in history(channel_dir):
        mark = "*" if now and m.serial == now.serial else " "
        click.echo(
            f"{mark} {m.serial:>5}  {m.sha256[:12]}  {m.published_at}  {m.publisher}  {m.note}"
        )


@click.command()
@click.option("--once", is_flag=True, help="Do one round and exit (0: content is current).")
@config_option()
@db_option("Content DB to install into (default: the configured one).")
def follow(once, config_path, db_path):
    """Follow the content channel named by channel_url in the config (for IT and tests).

    With --once: check the channel once, install a new snapshot if there is one, and exit 0
    when the installed content is current, or 1 with one line saying why not. Without it:
    keep following (and write metrics and heartbeats) until stopped, like a kiosk without
    a screen.

    Example: sudo -u kiosk kiosk follow --once
    """
    import logging

    from kiosk.fleet.agent import FleetAgent, FleetConfigError
    from kiosk.system.config import load_settings
    from kiosk.system.paths import default_config_path

    settings, problems = load_settings(config_path or default_config_path())
    for problem in problems:
        click.echo(f"config: {problem}", err=True)
    db = db_path or settings.content_db()
    try:
        agent = FleetAgent.from_settings(settings, db, require_channel=True)
    except FleetConfigError as error:
        raise click.ClickException(str(error)) from None
    if once:
        # The outcome is printed once below, not also by logging's last-resort handler.
        logging.getLogger("kiosk").addHandler(logging.NullHandler())
        outcome = agent.follower.round()
        if agent.metrics_dir is not None and agent.metrics_dir.is_dir():
            agent.write_metrics()
        if not outcome.ok:
            raise click.ClickException(outcome.message)
        click.echo(outcome.message)
        return
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    agent.run_until_signalled()
