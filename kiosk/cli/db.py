"""``kiosk db``: build, check and change the content DB (for office staff and IT).

Every command here changes or checks content through ``kiosk.store``; each one that changes
it makes a backup first and names the DB it wrote. Errors are one line (``staff_command``).
"""

from __future__ import annotations

from pathlib import Path

import click

from kiosk.cli.common import resolve_db, staff_command
from kiosk.content.model import LANGS
from kiosk.system.options import db_option
from kiosk.system.paths import seed_dir


@click.group()
def db():
    """Build, check and update the content DB (for office staff).

    Example: kiosk db validate
    """


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
@staff_command
def build(db_path, source_dir, force):
    """Build the content DB from the CSV/JSON sources in db/ (a new DB only).

    An existing DB holds staff content and is refused unless --force; then a backup is made
    first and the new content is installed in one step while a running kiosk keeps working.

    Example: kiosk db build --db /tmp/new-content.db
    """
    from kiosk.store import build_db

    click.echo(str(build_db(resolve_db(db_path), source_dir or seed_dir(), force=force)))


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
@staff_command
def import_(db_path, source, numbers, replace, yes, lang):
    """Add or update rows from a CSV, Excel (.xlsx) or JSON file, or a folder of them.

    The file's name says the table (indicators.csv, milestones.xlsx …); rows are matched
    by their key. A folder (e.g. from 'kiosk db export') is imported in one transaction.
    If any row is bad, nothing is changed and every bad row is named. A backup is made
    before anything changes.

    Example: kiosk db import ~/Desktop/milestones.csv --numbers vi
    """
    from kiosk.store import apply_import, plan_import

    target = resolve_db(db_path)
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
@staff_command
def delete(db_path, table, keys):
    """Delete rows by key (a backup is made first); refused if other rows still need them.

    Example: kiosk db delete milestones m_2019_test
    """
    from kiosk.store import delete_rows

    click.echo(str(delete_rows(resolve_db(db_path), table, list(keys))))


@db.command()
@db_option()
@click.argument("backup_file", type=click.Path(dir_okay=False, path_type=Path))
@staff_command
def restore(db_path, backup_file):
    """Put a backup back safely, even while the kiosk runs (never copy files over the DB).

    The backup is checked first; the current content is backed up; the kiosk shows the
    restored content at its next check.

    Example: kiosk db restore /var/lib/kiosk/backups/content-20260601-101500-before-import.db
    """
    from kiosk.store import restore_db

    click.echo(str(restore_db(resolve_db(db_path), backup_file)))


@db.command()
@db_option()
@click.argument("out", type=click.Path(path_type=Path))
@staff_command
def export(db_path, out):
    """Write every table as CSV files (UTF-8, for Excel), or one .xlsx workbook.

    'kiosk db import' reads both back.

    Example: kiosk db export ~/Desktop/kiosk-content
    """
    from kiosk.store import export_dir, export_xlsx

    source = resolve_db(db_path)
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
@staff_command
def validate(db_file, db_path, lang):
    """Check the content DB; print one line per problem; exit 1 if any is an error.

    Example: kiosk db validate /var/lib/kiosk/content.db
    """
    from kiosk.store import validate_db

    problems = validate_db(db_file or resolve_db(db_path))
    for problem in problems:
        click.echo(_problem_line(problem, lang))
    errors = [p for p in problems if p.level == "error"]
    if errors:
        raise click.ClickException(f"{len(errors)} error(s): fix them, then validate again")
    click.echo(f"ok: no errors ({len(problems)} warning(s))")


@db.command()
@db_option()
@staff_command
def migrate(db_path):
    """Bring the DB's schema up to this version of the kiosk.

    Example: kiosk db migrate --db /var/lib/kiosk/content.db
    """
    from kiosk.store import migrate_db

    target = resolve_db(db_path)
    applied = migrate_db(target)
    click.echo(f"{target}: applied {', '.join(applied)}" if applied else "schema is up to date")


@db.command()
@db_option()
@click.argument("dest", required=False)
@staff_command
def backup(db_path, dest):
    """Copy the DB safely (SQLite backup API), even while the kiosk is running.

    DEST is a new file name or an existing folder (default: a time-stamped file beside the
    DB); a backup never writes over an existing file. Put it back with 'kiosk db restore'.

    Example: kiosk db backup ~/Desktop/
    """
    from kiosk.store import backup_db

    source = resolve_db(db_path)
    click.echo(f"backed up {source} to {backup_db(source, dest)}")
