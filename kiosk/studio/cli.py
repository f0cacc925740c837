"""``kiosk studio …``: run the staff studio and manage its users and kiosks (for IT)."""

from __future__ import annotations

import secrets
from pathlib import Path

import click

DEFAULT_DATA = Path("/var/lib/kiosk-studio")
DEFAULT_CONFIG = Path("/etc/kiosk/studio.toml")


def _data_option(function):
    return click.option(
        "--data",
        "data_dir",
        type=click.Path(file_okay=False, path_type=Path),
        default=None,
        help=f"Data folder (default: studio.toml's data_dir, else {DEFAULT_DATA}).",
    )(function)


def _settings(config: Path | None) -> dict:
    """studio.toml: data_dir, host, port, behind_proxy, secure_cookies (all optional)."""
    import tomllib

    path = config or DEFAULT_CONFIG
    if not path.is_file():
        if config is not None:
            raise click.ClickException(f"{path}: config file not found")
        return {}
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise click.ClickException(f"{path}: not valid TOML ({error}); fix or remove it") from None


def _data_dir(data_dir: Path | None, settings: dict | None = None) -> Path:
    if data_dir is not None:
        return data_dir
    settings = _settings(None) if settings is None else settings
    return Path(settings.get("data_dir", DEFAULT_DATA))


@click.group()
def studio():
    """The staff studio: a web app for office staff to edit and publish content.

    Example: kiosk studio serve --data /var/lib/kiosk-studio
    """


@studio.command()
@_data_option
@click.option("--host", default=None, help="Address to listen on (default 127.0.0.1).")
@click.option("--port", type=int, default=None, help="Port (default 8470).")
@click.option(
    "--config",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help=f"Settings file (default {DEFAULT_CONFIG} when it exists).",
)
@click.option(
    "--first-admin",
    default=None,
    help="Create this admin with a random password (printed once) when there are no users.",
)
def serve(data_dir, host, port, config, first_admin):
    """Run the studio with waitress; stop it with Ctrl+C.

    Example: kiosk studio serve --data var/studio --port 8470
    """
    from waitress import serve as waitress_serve

    from kiosk.studio.app import create_app, studio_of

    settings = _settings(config)
    app = create_app(
        _data_dir(data_dir, settings),
        behind_proxy=bool(settings.get("behind_proxy", False)),
        secure_cookies=bool(settings.get("secure_cookies", False)),
    )
    if first_admin and studio_of(app).db.count_users() == 0:
        password = secrets.token_urlsafe(12)
        _add(studio_of(app).db, first_admin, "admin", password)
        click.echo(f"First admin: {first_admin}  password: {password}  (shown only once)")
    host = host or settings.get("host", "127.0.0.1")
    port = port or int(settings.get("port", 8470))
    click.echo(f"Studio on http://{host}:{port}/ (data in {studio_of(app).data_dir})")
    waitress_serve(app, host=host, port=port, threads=8, ident="kiosk-studio")


def _add(db, name: str, role: str, password: str) -> None:
    from kiosk.studio.admin import valid_name
    from kiosk.studio.passwords import hash_password

    if not valid_name(name):
        raise click.ClickException(
            f"'{name}' is not a valid name: use letters, digits, dots, dashes, underscores"
        )
    if not db.add_user(name, role, hash_password(password)):
        raise click.ClickException(f"user '{name}' already exists; nothing changed")


def _open_db(data_dir: Path | None):
    from kiosk.store.studio_users import StudioDB

    return StudioDB(_data_dir(data_dir) / "studio.db")


@studio.command()
@_data_option
@click.argument("name")
@click.option(
    "--role", type=click.Choice(["editor", "publisher", "admin"]), required=True, help="Role."
)
@click.option(
    "--password-file",
    type=click.File("r", encoding="utf-8"),
    default=None,
    help="Read the password from the first line of this file (else asked twice).",
)
def adduser(data_dir, name, role, password_file):
    """Add a studio user (there is no default password).

    Example: kiosk studio adduser lan --role admin
    """
    from kiosk.studio.admin import MIN_PASSWORD

    if password_file is not None:
        password = password_file.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    if len(password) < MIN_PASSWORD:
        raise click.ClickException(f"the password needs at least {MIN_PASSWORD} characters")
    db = _open_db(data_dir)
    _add(db, name, role, password)
    db.audit("-", "cli", "user.add", f"{name} ({role})")
    click.echo(f"added {name} ({role})")


@studio.command()
@_data_option
@click.argument("name")
def addkiosk(data_dir, name):
    """Make a heartbeat token for a kiosk and print it (only its hash is kept).

    Running it again for the same kiosk replaces its token.
    Example: kiosk studio addkiosk lobby-1
    """
    from kiosk.studio.admin import valid_name
    from kiosk.studio.passwords import new_token, token_hash

    if not valid_name(name):
        raise click.ClickException(f"'{name}' is not a valid kiosk name")
    db = _open_db(data_dir)
    token = new_token()
    db.set_kiosk_token(name, token_hash(token))
    db.audit("-", "cli", "kiosk.add", name)
    click.echo(token)
