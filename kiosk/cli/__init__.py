"""The ``kiosk`` command: a thin click layer over the library.

One function per command; the docstring is the ``--help`` text and ends with an example.
Library errors become ``click.ClickException`` so staff see one line, never a traceback.
Heavy imports (Qt, the store) happen inside the commands so ``kiosk --help`` stays instant.
``kiosk db`` is in ``db.py``; the fleet's and the studio's commands live beside their code.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from kiosk import __version__
from kiosk.cli.common import fail, parse_size, resolve_db
from kiosk.cli.db import db
from kiosk.content.model import LANGS
from kiosk.system.options import DB_HELP, config_option, db_option
from kiosk.system.paths import default_config_path


class KioskGroup(click.Group):
    """The command group; the fleet and studio commands live beside their code and are
    imported only when one of them is asked for (or listed), so `kiosk run` starts without
    loading them."""

    SUBSYSTEM_COMMANDS = {
        "channel": ("kiosk.fleet.cli", "channel"),
        "follow": ("kiosk.fleet.cli", "follow"),
        "studio": ("kiosk.studio.cli", "studio"),
    }

    def list_commands(self, ctx):
        return sorted({*super().list_commands(ctx), *self.SUBSYSTEM_COMMANDS})

    def get_command(self, ctx, name):
        if name in self.SUBSYSTEM_COMMANDS:
            from importlib import import_module

            module, attribute = self.SUBSYSTEM_COMMANDS[name]
            return getattr(import_module(module), attribute)
        return super().get_command(ctx, name)


@click.group(cls=KioskGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kiosk")
def cli():
    """Da Nang digital-transformation lobby kiosk.

    Example: kiosk run --windowed --size 1920x1080
    """


@cli.command()
# Not db_option(): a folder or a pipe given as the DB is a holding screen and one log line
# for the running kiosk, not a usage error that makes systemd restart it in a loop.
@click.option("--db", "db_path", type=click.Path(path_type=Path), default=None, help=DB_HELP)
@config_option()
@click.option("--windowed", is_flag=True, help="Run in a window instead of fullscreen.")
@click.option("--size", default=None, help="Window size for --windowed, e.g. 1920x1080.")
@click.option("--lang", type=click.Choice(LANGS), default=None, help="Start language.")
@click.option(
    "--idle-timeout",
    type=click.FloatRange(min=5, max=3600),
    default=None,
    help="Seconds without a touch before explore mode returns to the slideshow.",
)
@click.option(
    "--quit-after",
    type=click.FloatRange(min=0),
    default=None,
    hidden=True,
    help="Quit after this many seconds (smoke tests and benchmarks).",
)
@click.option(
    "--time-scale",
    type=click.FloatRange(min=1, max=1000),
    default=None,
    hidden=True,
    help="Run slide and visitor timers this many times faster (soak tests).",
)
def run(db_path, config_path, windowed, size, lang, idle_timeout, quit_after, time_scale):
    """Start the kiosk: fullscreen slideshow, touch to explore.

    With no options it shows the default content (built from db/ if missing).

    Example: kiosk run --windowed --size 1080x1920 --lang en
    """
    from kiosk.system.config import load_settings, with_overrides

    settings, problems = load_settings(config_path or default_config_path())
    for problem in problems:
        click.echo(f"config: {problem}", err=True)
    settings = with_overrides(
        settings,
        db_path=str(db_path) if db_path else None,
        language=lang,
        idle_timeout_s=idle_timeout,
    )
    from kiosk.ui.app import run_kiosk

    sys.exit(
        run_kiosk(
            settings,
            windowed=windowed,
            size=parse_size(size) if size else None,
            quit_after_s=quit_after,
            time_scale=time_scale,
        )
    )


@cli.command()
@db_option()
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="Folder for the PNGs (created if missing).",
)
@click.option(
    "--size",
    "sizes",
    multiple=True,
    help="WIDTHxHEIGHT; repeat for several (default: 1920x1080).",
)
@click.option(
    "--lang",
    "langs",
    type=click.Choice(LANGS),
    multiple=True,
    help="Language; repeat for both (default: vi).",
)
@click.option(
    "--explore",
    is_flag=True,
    help="Also every explore screen and page (home, timeline, each milestone card, "
    "indicators, awards, about) and the holding screen.",
)
def render(db_path, out_dir, sizes, langs, explore):
    """Write one PNG per slide at its final frame, for review before content goes live.

    Example: kiosk render --out /tmp/slides --size 1920x1080 --size 1080x1920 --lang vi --lang en

    With --explore, every visitor screen: kiosk render --explore --out /tmp/all --lang vi --lang en
    """
    from kiosk.store import StoreError, load_content

    try:
        content = load_content(resolve_db(db_path))
    except StoreError as error:
        raise fail(error) from None
    from kiosk.ui.render import render_slides

    chosen_sizes = [parse_size(s) for s in sizes] or [(1920, 1080)]
    chosen_langs = list(langs) or ["vi"]
    written = render_slides(content, out_dir, sizes=chosen_sizes, langs=chosen_langs)
    if explore:
        from kiosk.ui.render_explore import render_explore

        written += render_explore(content, out_dir, sizes=chosen_sizes, langs=chosen_langs)
    for path in written:
        click.echo(str(path))


cli.add_command(db)


@cli.command()
@db_option()
@click.option("--csv", "as_csv", is_flag=True, help="Write the raw sessions as CSV.")
@click.option(
    "--stats-db",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Visit statistics file (default: beside the content DB).",
)
def stats(db_path, as_csv, stats_db):
    """Summarise local visit statistics (no personal data is ever recorded).

    Example: kiosk stats --csv > visits.csv
    """
    from kiosk.store import StoreError
    from kiosk.store.stats import StatsStore, default_stats_path

    try:
        store = StatsStore(stats_db or default_stats_path(resolve_db(db_path)), readonly=True)
        if as_csv:
            store.write_csv(sys.stdout)
        else:
            click.echo(store.summary_text())
    except StoreError as error:
        raise fail(error) from None


@cli.command()
@config_option("Config file to check (default: $KIOSK_CONFIG or /etc/kiosk/kiosk.toml).")
@click.option(
    "--user-manager",
    is_flag=True,
    help="Look for the kiosk unit in your own systemd user manager (systemctl --user).",
)
def doctor(config_path, user_manager):
    """Check this deployment; one line per check with ✓/✗ and what to do.

    Example: sudo kiosk doctor
    """
    from kiosk.doctor.checks import run_checks
    from kiosk.ui.doctor_screens import probe_screens_forked  # Qt, in a forked child

    results = run_checks(
        config_path or default_config_path(),
        user_manager=user_manager,
        screen_probe=probe_screens_forked,
    )
    for result in results:
        click.echo(str(result))
    if not all(r.ok for r in results):
        sys.exit(1)


@cli.command()
def pin():
    """Make a salted hash of a new staff PIN to paste into the config.

    Asks for the PIN twice (4 to 12 digits, not shown) and prints the line to put in
    /etc/kiosk/kiosk.toml; the PIN itself is stored nowhere.

    Example: kiosk pin
    """
    from kiosk.system.pin import PinError, hash_pin

    entered = click.prompt("New staff PIN", hide_input=True, confirmation_prompt=True)
    try:
        stored = hash_pin(entered.strip())
    except PinError as error:
        raise fail(error) from None
    click.echo("Put this line in the [kiosk] table of /etc/kiosk/kiosk.toml, then restart:")
    click.echo(f'staff_pin_hash = "{stored}"')


def main():
    cli(prog_name="kiosk")
