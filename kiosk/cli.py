"""The ``kiosk`` command: a thin click layer over the library.

One function per command; the docstring is the ``--help`` text and ends with an example.
Library errors become ``click.ClickException`` so staff see one line, never a traceback.
Heavy imports (Qt, the store) happen inside the commands so ``kiosk --help`` stays instant.
"""

from __future__ import annotations

import functools
import sys
from pathlib import Path

import click

from kiosk import __version__
from kiosk.content.model import LANGS
from kiosk.system.options import DB_HELP, config_option, db_option
from kiosk.system.paths import default_config_path, seed_dir


def _resolve_db(db_path: Path | None) -> Path:
    """``--db`` if given, else the config file's db_path, else the built-in default."""
    if db_path is not None:
        return db_path
    from kiosk.system.config import load_settings

    settings, _problems = load_settings(default_config_path())
    return settings.content_db()


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
        content = load_content(_resolve_db(db_path))
    except StoreError as error:
        raise _fail(error) from None
    from kiosk.ui.render import render_slides

    chosen_sizes = [parse_size(s) for s in sizes] or [(1920, 1080)]
    chosen_langs = list(langs) or ["vi"]
    written = render_slides(content, out_dir, sizes=chosen_sizes, langs=chosen_langs)
    if explore:
        from kiosk.ui.render_explore import render_explore

        written += render_explore(content, out_dir, sizes=chosen_sizes, langs=chosen_langs)
    for path in written:
        click.echo(str(path))


@cli.group()
def db():
    """Build, check and update the content DB (for office staff).

    Example: kiosk db validate
    """


def _staff_command(function):
    """Library errors (StoreError) and file-system errors become one line, never a traceback."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        from kiosk.store import StoreError

        try:
            return function(*args, **kwargs)
        except StoreError as error:
            raise _fail(error) from None
        except OSError as error:
            where = error.filename or "file"
            raise click.ClickException(f"{where}: {error.strerror or error}") from None

    return wrapper


@db.command()
@db_option()
@click.option(
    "--from",
    "source_dir",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    default=None,
    help="Folder of CSV/XLSX/JSON sources (default: the shipped db/ folder).",
)
@click.option(
    "--force", is_flag=True, help="Replace an existing DB (its content is backed up first)."
)
@_staff_command
def build(db_path, source_dir, force):
    """Build the content DB from the CSV/JSON sources in db/ (a new DB only).

    An existing DB holds staff content and is refused unless --force; then a backup is made
    first and the new content is installed in one step while a running kiosk keeps working.

    Example: kiosk db build --db /tmp/new-content.db
    """
    from kiosk.store import build_db

    click.echo(str(build_db(_resolve_db(db_path), source_dir or seed_dir(), force=force)))


LANG_OPTION = click.option(
    "--lang",
    type=click.Choice(LANGS),
    default=None,
    help="Say each problem in staff words in this language (default: one technical line).",
)


def _problem_line(problem, lang: str | None) -> str:
    return problem.text(lang) if lang else str(problem)


NUMBERS_HELP = (
    "How numbers are written: vi (1.890,5) or en (1,890.5), for the file or one column "
    "(value=vi); repeatable. Without it, a number that could be misread is refused."
)


@db.command(name="import")
@db_option()
@click.argument("source", type=click.Path(path_type=Path))
@click.option("--numbers", multiple=True, metavar="STYLE|COLUMN=STYLE", help=NUMBERS_HELP)
@click.option(
    "--replace",
    is_flag=True,
    help="Also delete the rows the file does not list (a summary is shown first).",
)
@click.option("--yes", is_flag=True, help="With --replace: delete without asking.")
@LANG_OPTION
@_staff_command
def import_(db_path, source, numbers, replace, yes, lang):
    """Add or update rows from a CSV, Excel (.xlsx) or JSON file, or a folder of them.

    The file's name says the table (indicators.csv, milestones.xlsx …); rows are matched
    by their key. A folder (e.g. from 'kiosk db export') is imported in one transaction.
    If any row is bad, nothing is changed and every bad row is named. A backup is made
    before anything changes.

    Example: kiosk db import ~/Desktop/milestones.csv --numbers vi
    """
    from kiosk.store import apply_import, plan_import

    target = _resolve_db(db_path)
    try:
        plan = plan_import(target, source, replace=replace, numbers=list(numbers))
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--numbers") from None
    for problem in plan.problems:
        click.echo(_problem_line(problem, lang), err=True)
    if plan.ok and plan.deleted:
        for part in plan.parts:
            if part.deleted:
                click.echo(
                    f"{part.table}: {len(part.deleted)} row(s) not in the file will be deleted: "
                    + ", ".join(part.deleted)
                )
        if not yes and not click.confirm("Delete them?", default=False):
            raise click.ClickException("nothing changed")
    click.echo(str(apply_import(target, plan)))


@db.command()
@db_option()
@click.argument("table")
@click.argument("keys", nargs=-1, required=True)
@_staff_command
def delete(db_path, table, keys):
    """Delete rows by key (a backup is made first); refused if other rows still need them.

    Example: kiosk db delete milestones m_2019_test
    """
    from kiosk.store import delete_rows

    click.echo(str(delete_rows(_resolve_db(db_path), table, list(keys))))


@db.command()
@db_option()
@click.argument("backup_file", type=click.Path(dir_okay=False, path_type=Path))
@_staff_command
def restore(db_path, backup_file):
    """Put a backup back safely, even while the kiosk runs (never copy files over the DB).

    The backup is checked first; the current content is backed up; the kiosk shows the
    restored content at its next check.

    Example: kiosk db restore /var/lib/kiosk/backups/content-20260601-101500-before-import.db
    """
    from kiosk.store import restore_db

    click.echo(str(restore_db(_resolve_db(db_path), backup_file)))


@db.command()
@db_option()
@click.argument("out", type=click.Path(path_type=Path))
@_staff_command
def export(db_path, out):
    """Write every table as CSV files (UTF-8, for Excel), or one .xlsx workbook.

    'kiosk db import' reads both back.

    Example: kiosk db export ~/Desktop/kiosk-content
    """
    from kiosk.store import export_dir, export_xlsx

    source = _resolve_db(db_path)
    if out.suffix.lower() == ".xlsx":
        written = [export_xlsx(source, out)]
    else:
        written = export_dir(source, out)
    for path in written:
        click.echo(str(path))


@db.command()
@click.argument("db_file", required=False, type=click.Path(dir_okay=False, path_type=Path))
@db_option()
@LANG_OPTION
@_staff_command
def validate(db_file, db_path, lang):
    """Check the content DB; print one line per problem; exit 1 if any is an error.

    Example: kiosk db validate /var/lib/kiosk/content.db
    """
    from kiosk.store import validate_db

    problems = validate_db(db_file or _resolve_db(db_path))
    for problem in problems:
        click.echo(_problem_line(problem, lang))
    errors = [p for p in problems if p.level == "error"]
    if errors:
        raise click.ClickException(f"{len(errors)} error(s): fix them, then validate again")
    click.echo(f"ok: no errors ({len(problems)} warning(s))")


@db.command()
@db_option()
@_staff_command
def migrate(db_path):
    """Bring the DB's schema up to this version of the kiosk.

    Example: kiosk db migrate --db /var/lib/kiosk/content.db
    """
    from kiosk.store import migrate_db

    target = _resolve_db(db_path)
    applied = migrate_db(target)
    click.echo(f"{target}: applied {', '.join(applied)}" if applied else "schema is up to date")


@db.command()
@db_option()
@click.argument("dest", required=False)
@_staff_command
def backup(db_path, dest):
    """Copy the DB safely (SQLite backup API), even while the kiosk is running.

    DEST is a new file name or an existing folder (default: a time-stamped file beside the
    DB); a backup never writes over an existing file. Put it back with 'kiosk db restore'.

    Example: kiosk db backup ~/Desktop/
    """
    from kiosk.store import backup_db

    source = _resolve_db(db_path)
    click.echo(f"backed up {source} to {backup_db(source, dest)}")


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
        store = StatsStore(stats_db or default_stats_path(_resolve_db(db_path)), readonly=True)
        if as_csv:
            store.write_csv(sys.stdout)
        else:
            click.echo(store.summary_text())
    except StoreError as error:
        raise _fail(error) from None


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
        raise _fail(error) from None
    click.echo("Put this line in the [kiosk] table of /etc/kiosk/kiosk.toml, then restart:")
    click.echo(f'staff_pin_hash = "{stored}"')


def main():
    cli(prog_name="kiosk")
