"""Settings: one frozen dataclass with commented defaults, read from one TOML file.

A bad value never stops the kiosk: it is reported as one line naming the key and the
allowed range, and the default is used instead. A lobby screen that refuses to start
because of a typo in a config file is worse than one that starts with a default.
"""

from __future__ import annotations

import dataclasses
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from kiosk.content.model import LANGS, MAX_DURATION_S, MIN_DURATION_S
from kiosk.system.paths import default_db_path
from kiosk.system.pin import is_valid_hash


@dataclass(frozen=True, slots=True)
class Settings:
    # Content DB; "" means the built-in default (var/content.db, or /var/lib/kiosk/content.db).
    db_path: str = ""
    # Language the kiosk starts in and returns to after a visitor leaves.
    language: str = "vi"
    # Seconds without a touch before explore mode counts down back to the slideshow.
    # 60 s is long enough to read a detail card, short enough for the next visitor.
    idle_timeout_s: float = 60.0
    # Seconds of the "returning to the slideshow" countdown shown after the idle timeout.
    countdown_s: float = 10.0
    # Slide duration when the playlist row gives none (the content's slide range applies).
    slide_default_duration_s: float = 12.0
    # Replace movement (count-ups, growing bars, slides) with plain fades.
    reduced_motion: bool = False
    # Which screen to use (0 = primary) and how it is mounted (0/90/180/270 degrees).
    screen_index: int = 0
    screen_rotation: int = 0
    # Salted hash of the staff PIN ("" = staff exit disabled); see `kiosk doctor`.
    staff_pin_hash: str = ""
    # Python logging level name.
    log_level: str = "INFO"
    # Folder for the rotated log file; "" = no file, log to stderr (and so the journal) only.
    log_dir: str = ""
    # Seconds between checks of the content DB for changes (cheap: file identities).
    reload_poll_s: float = 2.0
    # Days of visit statistics kept; older sessions are deleted when the kiosk starts, so
    # visits.db stays small over years and keeps no more than the office needs.
    stats_keep_days: int = 730
    # Time zone of the playlist's show_from/show_until dates (an IANA name): the slideshow
    # re-reads the playlist when the date changes there, whatever zone the PC is set to.
    time_zone: str = "Asia/Ho_Chi_Minh"
    # Fleet: the URL of the content channel folder ("" = do not follow a channel), and the
    # one line from its channel.pub that every manifest must be signed with.
    channel_url: str = ""
    channel_public_key: str = ""
    # Seconds between checks of the channel (each kiosk adds +-20 % jitter, so a fleet
    # does not poll in step); a check that finds no change is one small 304 reply.
    poll_seconds: float = 60.0
    # Name shown on the studio's dashboard ("" = this PC's host name).
    kiosk_name: str = ""
    # Folder of node_exporter's textfile collector for the kiosk's metrics ("" = none).
    metrics_dir: str = "/var/lib/prometheus/node-exporter"
    # The staff studio that receives this kiosk's heartbeat ("" = none), and its token.
    studio_url: str = ""
    studio_token: str = ""

    def content_db(self) -> Path:
        """The content DB file: ``db_path`` when set, else the built-in default."""
        return Path(self.db_path) if self.db_path else default_db_path()


DEFAULTS = Settings()


def zone_or_none(name: str):
    """The ``ZoneInfo`` called ``name``, or None if there is no such zone."""
    from zoneinfo import ZoneInfo

    try:
        return ZoneInfo(name)
    except (ValueError, OSError, KeyError):  # ZoneInfoNotFoundError is a KeyError
        return None


# key -> (type, check, allowed range as said to the user)
_RULES = {
    "db_path": (str, lambda v: "\x00" not in v, "a file path"),
    "language": (str, lambda v: v in LANGS, " or ".join(f'"{code}"' for code in LANGS)),
    "idle_timeout_s": (float, lambda v: 5 <= v <= 3600, "5 to 3600 seconds"),
    "countdown_s": (float, lambda v: 0 <= v <= 60, "0 to 60 seconds"),
    "slide_default_duration_s": (
        float,
        lambda v: MIN_DURATION_S <= v <= MAX_DURATION_S,
        f"{MIN_DURATION_S:g} to {MAX_DURATION_S:g} seconds",
    ),
    "reduced_motion": (bool, lambda v: True, "true or false"),
    "screen_index": (int, lambda v: 0 <= v <= 16, "0 to 16"),
    "screen_rotation": (int, lambda v: v in (0, 90, 180, 270), "0, 90, 180 or 270"),
    "staff_pin_hash": (
        str,
        lambda v: v == "" or is_valid_hash(v),
        'a hash made by `kiosk pin` or ""',
    ),
    "log_level": (
        str,
        lambda v: v.upper() in ("DEBUG", "INFO", "WARNING", "ERROR"),
        "DEBUG, INFO, WARNING or ERROR",
    ),
    "log_dir": (str, lambda v: "\x00" not in v, 'a folder path or ""'),
    "reload_poll_s": (float, lambda v: 0.2 <= v <= 3600, "0.2 to 3600 seconds"),
    "stats_keep_days": (int, lambda v: 30 <= v <= 3650, "30 to 3650 days"),
    "time_zone": (
        str,
        lambda v: zone_or_none(v) is not None,
        'a time zone, e.g. "Asia/Ho_Chi_Minh"',
    ),
    "channel_url": (str, lambda v: v == "" or _is_http_url(v), 'an http(s):// URL or ""'),
    "channel_public_key": (
        str,
        lambda v: v == "" or re.fullmatch(r"[A-Za-z0-9+/]{43}=", v.strip()) is not None,
        'the line from channel.pub or ""',
    ),
    "poll_seconds": (float, lambda v: 1 <= v <= 86400, "1 to 86400 seconds"),
    "kiosk_name": (str, lambda v: len(v) <= 64 and "\x00" not in v, "up to 64 characters"),
    "metrics_dir": (str, lambda v: "\x00" not in v, 'a folder path or ""'),
    "studio_url": (str, lambda v: v == "" or _is_http_url(v), 'an http(s):// URL or ""'),
    "studio_token": (str, lambda v: v.isprintable() and len(v) <= 256, "printable text"),
}


def _is_http_url(value: str) -> bool:
    return re.fullmatch(r"https?://[^\s/]+(/\S*)?", value) is not None


def _coerce(key: str, raw):
    kind, check, allowed = _RULES[key]
    if kind is float and isinstance(raw, int) and not isinstance(raw, bool):
        raw = float(raw)
    if not isinstance(raw, kind) or (kind is not bool and isinstance(raw, bool)):
        raise ValueError(f"{key} = {raw!r} is not {allowed}; using {getattr(DEFAULTS, key)!r}")
    if kind is float and raw != raw:  # NaN
        raise ValueError(f"{key} = {raw!r} is not {allowed}; using {getattr(DEFAULTS, key)!r}")
    if not check(raw):
        raise ValueError(f"{key} = {raw!r} is outside {allowed}; using {getattr(DEFAULTS, key)!r}")
    return raw


def parse_settings(data: dict) -> tuple[Settings, list[str]]:
    """Settings from a parsed TOML table, plus one line per ignored key or bad value."""
    values: dict = {}
    problems: list[str] = []
    # Accept both a flat file and a [kiosk] table.
    table = data.get("kiosk", data) if isinstance(data.get("kiosk"), dict) else data
    for key, raw in table.items():
        if key not in _RULES:
            problems.append(f"unknown key {key!r} ignored; known keys: {', '.join(_RULES)}")
            continue
        try:
            values[key] = _coerce(key, raw)
        except ValueError as error:
            problems.append(str(error))
    return dataclasses.replace(DEFAULTS, **values), problems


def load_settings(path: Path | None) -> tuple[Settings, list[str]]:
    """Read the TOML file; a missing file means all defaults, an unreadable one is reported."""
    if path is None or not Path(path).exists():
        return DEFAULTS, []
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        return DEFAULTS, [f"{path}: cannot be read ({error}); using all defaults"]
    return parse_settings(data)


def with_overrides(settings: Settings, **overrides) -> Settings:
    """A copy with the given non-None values replaced (command-line options)."""
    chosen = {k: v for k, v in overrides.items() if v is not None}
    return dataclasses.replace(settings, **chosen) if chosen else settings
