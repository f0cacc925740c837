"""The ``kiosk`` command: a thin click layer over the library.

One function per command; the docstring is the ``--help`` text and ends with an example.
Library errors become ``click.ClickException`` so staff see one line, never a traceback.
Heavy imports (Qt, the store) happen inside the commands so ``kiosk --help`` stays instant.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from kiosk import __version__
from kiosk.paths import default_config_path, default_db_path, seed_dir

DB_OPTION_HELP = "Content DB file (default: the configured one, else var/content.db)."


def _db_option(function):
    return click.option(
        "--db",
        "db_path",
        type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        help=DB_OPTION_HELP,
    )(function)


def _resolve_db(db_path: Path | None) -> Path:
    """``--db`` if given, else the config file's db_path, else the built-in default."""
    if db_path is not None:
        return db_path
    from kiosk.config import load_settings

    settings, _problems = load_settings(default_config_path())
    return Path(settings.db_path) if settings.db_path else default_db_path()


def _fail(error: Exception) -> click.ClickException:
    return click.ClickException(str(error))


def parse_size(text: str) -> tuple[int, int]:
    """'1920x1080' -> (1920, 1080); raises click.BadParameter with the expected form."""
    try:
        width, height = (int(part) for part in text.lower().split("x"))
    except ValueError:
        raise click.BadParameter(f"{text!r} is not WIDTHxHEIGHT, e.g. 1920x1080") from None
    if not (200 <= width <= 16384 and 200 <= height <= 16384):
        raise click.BadParameter(f"{text!r}: width and height must be 200 to 16384 pixels")
    return width, height


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kiosk")
def cli():
    """Da Nang digital-transformation lobby kiosk.

    Example: kiosk run --windowed --size 1920x1080
    """


@cli.command()
# Not _db_option: a folder or a pipe given as the DB is a holding screen and one log line
# for the running kiosk, not a usage error that makes systemd restart it in a loop.
@click.option("--db", "db_path", type=click.Path(path_type=Path), default=None, help=DB_OPTION_HELP)
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="TOML config file (default: $KIOSK_CONFIG or /etc/kiosk/kiosk.toml).",
)
@click.option("--windowed", is_flag=True, help="Run in a window instead of fullscreen.")
@click.option("--size", default=None, help="Window size for --windowed, e.g. 1920x1080.")
@click.option("--lang", type=click.Choice(["vi", "en"]), default=None, help="Start language.")
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
    from kiosk.config import load_settings, with_overrides

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
@_db_option
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
    type=click.Choice(["vi", "en"]),
    multiple=True,
    help="Language; repeat for both (default: vi).",
)
def render(db_path, out_dir, sizes, langs):
    """Write one PNG per slide at its final frame, for review before content goes live.

    Example: kiosk render --out /tmp/slides --size 1920x1080 --size 1080x1920 --lang vi --lang en
    """
    from kiosk.store import StoreError, load_content

    try:
        content = load_content(_resolve_db(db_path))
    except StoreError as error:
        raise _fail(error) from None
    from kiosk.ui.render import render_slides

    written = render_slides(
        content,
        out_dir,
        sizes=[parse_size(s) for s in sizes] or [(1920, 1080)],
        langs=list(langs) or ["vi"],
    )
    for path in written:
        click.echo(str(path))


@cli.group()
def db():
    """Build, check and update the content DB (for office staff).

    Example: kiosk db validate
    """


@db.command()
@_db_option
@click.option(
    "--from",
    "source_dir",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    default=None,
    help="Folder of CSV/JSON sources (default: the shipped db/ folder).",
)
def build(db_path, source_dir):
    """Build the content DB from the CSV/JSON sources in db/.

    An existing DB is updated in place (never renamed over), so a running kiosk keeps
    working and picks up the new content at its next slide.

    Example: kiosk db build --db /var/lib/kiosk/content.db
    """
    from kiosk.store import StoreError, build_db

    target = _resolve_db(db_path)
    try:
        report = build_db(target, source_dir or seed_dir())
    except StoreError as error:
        raise _fail(error) from None
    click.echo(f"built {target}: {report}")


@db.command(name="import")
@_db_option
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def import_(db_path, file):
    """Add or update rows from a CSV or JSON file, all or nothing.

    The file's name says the table (indicators.csv, milestones.json …); rows are matched
    by their key. If any row is bad, nothing is changed and the bad row is named.

    Example: kiosk db import ~/Desktop/milestones.csv
    """
    from kiosk.store import StoreError, import_file

    try:
        report = import_file(_resolve_db(db_path), file)
    except StoreError as error:
        raise _fail(error) from None
    click.echo(str(report))


@db.command()
@_db_option
@click.argument("out_dir", type=click.Path(file_okay=False, path_type=Path))
def export(db_path, out_dir):
    """Write every table as CSV/JSON files that ``kiosk db import`` reads back.

    Example: kiosk db export ~/Desktop/kiosk-content
    """
    from kiosk.store import StoreError, export_dir

    try:
        written = export_dir(_resolve_db(db_path), out_dir)
    except StoreError as error:
        raise _fail(error) from None
    for path in written:
        click.echo(str(path))


@db.command()
@click.argument("db_file", required=False, type=click.Path(dir_okay=False, path_type=Path))
@_db_option
def validate(db_file, db_path):
    """Check the content DB; print one line per problem; exit 1 if any is an error.

    Example: kiosk db validate /var/lib/kiosk/content.db
    """
    from kiosk.store import StoreError, validate_db

    try:
        problems = validate_db(db_file or _resolve_db(db_path))
    except StoreError as error:
        raise _fail(error) from None
    for problem in problems:
        click.echo(str(problem))
    errors = [p for p in problems if p.level == "error"]
    if errors:
        raise click.ClickException(f"{len(errors)} error(s): fix them, then validate again")
    click.echo(f"ok: no errors ({len(problems)} warning(s))")


@db.command()
@_db_option
def migrate(db_path):
    """Bring the DB's schema up to this version of the kiosk.

    Example: kiosk db migrate --db /var/lib/kiosk/content.db
    """
    from kiosk.store import StoreError, migrate_db

    try:
        applied = migrate_db(_resolve_db(db_path))
    except StoreError as error:
        raise _fail(error) from None
    click.echo(f"applied: {', '.join(applied)}" if applied else "schema is up to date")


@db.command()
@_db_option
@click.argument("dest", required=False, type=click.Path(path_type=Path))
def backup(db_path, dest):
    """Copy the DB safely (SQLite backup API), even while the kiosk is running.

    DEST is a new file name or a folder (default: a time-stamped file beside the DB);
    a backup never writes over an existing file.

    Example: kiosk db backup ~/Desktop/
    """
    from kiosk.store import StoreError, backup_db

    try:
        written = backup_db(_resolve_db(db_path), dest)
    except StoreError as error:
        raise _fail(error) from None
    click.echo(str(written))


@cli.command()
@click.option("--csv", "as_csv", is_flag=True, help="Write the raw sessions as CSV.")
@click.option(
    "--stats-db",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Visit statistics file (default: beside the content DB).",
)
def stats(as_csv, stats_db):
    """Summarise local visit statistics (no personal data is ever recorded).

    Example: kiosk stats --csv > visits.csv
    """
    from kiosk.store import StoreError
    from kiosk.store.stats import StatsStore, default_stats_path

    try:
        store = StatsStore(stats_db or default_stats_path(_resolve_db(None)), readonly=True)
        if as_csv:
            store.write_csv(sys.stdout)
        else:
            click.echo(store.summary_text())
    except StoreError as error:
        raise _fail(error) from None


@cli.command()
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Config file to check (default: $KIOSK_CONFIG or /etc/kiosk/kiosk.toml).",
)
@click.option(
    "--user-manager",
    is_flag=True,
    help="Look for the kiosk unit in your own systemd user manager (systemctl --user).",
)
def doctor(config_path, user_manager):
    """Check this deployment; one line per check with ✓/✗ and what to do.

    Example: sudo kiosk doctor
    """
    from kiosk.doctor import run_checks
    from kiosk.ui.doctor_checks import probe_screens_forked  # Qt, in a forked child

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
    from kiosk.pin import PinError, hash_pin

    entered = click.prompt("New staff PIN", hide_input=True, confirmation_prompt=True)
    try:
        stored = hash_pin(entered.strip())
    except PinError as error:
        raise _fail(error) from None
    click.echo("Put this line in the [kiosk] table of /etc/kiosk/kiosk.toml, then restart:")
    click.echo(f'staff_pin_hash = "{stored}"')


def _add_subsystem_commands() -> None:
    """The fleet and studio commands live beside their code; they are registered here."""
    from kiosk.fleet.cli import channel
    from kiosk.studio.cli import studio

    cli.add_command(channel)
    cli.add_command(studio)


_add_subsystem_commands()


def main():
    cli(prog_name="kiosk")
