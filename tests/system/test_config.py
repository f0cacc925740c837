"""Config parsing: every key with good and bad values, bad files, and the shipped file."""

from __future__ import annotations

import dataclasses
import re
import tomllib
from pathlib import Path

import pytest

from kiosk.content.model import MAX_DURATION_S, MIN_DURATION_S
from kiosk.system.config import DEFAULTS, Settings, load_settings, parse_settings, with_overrides
from kiosk.system.pin import hash_pin

SHIPPED = Path(__file__).resolve().parents[2] / "packaging" / "kiosk.toml"
# A cheap hash for tests: scrypt with N=2 is fast and still well-formed.
GOOD_HASH = hash_pin("2468", salt=b"0123456789abcdef", n=2, r=1, p=1)

GOOD = {
    "db_path": ["/var/lib/kiosk/content.db", "content.db", ""],
    "language": ["vi", "en"],
    "idle_timeout_s": [5, 60.0, 3600],
    "countdown_s": [0, 10, 60.0],
    "slide_default_duration_s": [MIN_DURATION_S, 12.5, MAX_DURATION_S],
    "reduced_motion": [True, False],
    "screen_index": [0, 1, 16],
    "screen_rotation": [0, 90, 180, 270],
    "staff_pin_hash": ["", GOOD_HASH],
    "log_level": ["DEBUG", "info", "WARNING", "ERROR"],
    "log_dir": ["/var/log/kiosk", ""],
    "reload_poll_s": [0.2, 2, 3600],
    "stats_keep_days": [30, 730, 3650],
    "time_zone": ["Asia/Ho_Chi_Minh", "UTC", "Europe/Paris"],
    "channel_url": ["", "http://10.0.0.5/kiosk-channel", "https://cms.example.vn/ch/"],
    "channel_public_key": ["", "A" * 43 + "="],
    "poll_seconds": [1, 60.0, 86400],
    "kiosk_name": ["", "city-hall-lobby"],
    "metrics_dir": ["/var/lib/prometheus/node-exporter", ""],
    "studio_url": ["", "http://studio.local:8080"],
    "studio_token": ["", "s3cr3t-token"],
}

BAD = {
    "db_path": [42, True, "a\x00b", ["x"]],
    "language": ["fr", "", 1, "VI"],
    "idle_timeout_s": [4.9, 3601, "60", float("nan"), float("inf"), True, -1],
    "countdown_s": [-0.1, 61, "10", float("nan")],
    "slide_default_duration_s": [
        MIN_DURATION_S - 0.1,
        MAX_DURATION_S + 1,
        float("nan"),
        "12",
        None,
    ],
    "reduced_motion": ["yes", 1, 0, "true"],
    "screen_index": [-1, 17, 1.0, "0", True],
    "screen_rotation": [45, -90, 360, 90.0, "90"],
    "staff_pin_hash": [
        "1234",
        "scrypt$x$8$1$a$b",
        1234,
        "scrypt$3$8$1$AAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAA",
    ],
    "log_level": ["LOUD", "", 10, "CRITICAL"],
    "log_dir": [1, False, "a\x00"],
    "reload_poll_s": [0.1, 3601, float("nan"), "2"],
    "stats_keep_days": [29, 3651, 365.5, "730", True],
    "time_zone": ["Mars/Olympus", "", "../../etc/passwd", 7],
    "channel_url": ["ftp://x/y", "10.0.0.5/channel", "http://", 5],
    "channel_public_key": ["abc", "A" * 44, 1],
    "poll_seconds": [0.5, 86401, float("nan"), "60"],
    "kiosk_name": ["x" * 65, "a\x00", 7],
    "metrics_dir": ["a\x00", 1],
    "studio_url": ["studio.local", "http://a b", 1],
    "studio_token": ["a\nb", 5],
}


def test_every_field_has_good_and_bad_cases():
    fields = {f.name for f in dataclasses.fields(Settings)}
    assert set(GOOD) == fields
    assert set(BAD) == fields


@pytest.mark.parametrize(("key", "value"), [(k, v) for k, vs in GOOD.items() for v in vs])
def test_good_value_is_used(key, value):
    settings, problems = parse_settings({key: value})
    assert problems == []
    got = getattr(settings, key)
    assert got == value
    # Integers in a float key become floats so arithmetic never surprises.
    if isinstance(getattr(DEFAULTS, key), float):
        assert isinstance(got, float)


@pytest.mark.parametrize(("key", "value"), [(k, v) for k, vs in BAD.items() for v in vs])
def test_bad_value_falls_back_to_default_with_one_line_naming_key_and_range(key, value):
    settings, problems = parse_settings(
        {key: value, "language": "en"} if key != "language" else {key: value}
    )
    assert getattr(settings, key) == getattr(DEFAULTS, key)
    assert len(problems) == 1
    line = problems[0]
    assert "\n" not in line
    assert line.startswith(f"{key} = ")
    assert "using" in line  # says what is used instead
    # The other, good key is still applied.
    if key != "language":
        assert settings.language == "en"


def test_message_names_allowed_range():
    _, problems = parse_settings({"idle_timeout_s": 2})
    assert "5 to 3600 seconds" in problems[0]
    _, problems = parse_settings({"screen_rotation": 45})
    assert "0, 90, 180 or 270" in problems[0]


def test_unknown_key_is_reported_and_ignored():
    settings, problems = parse_settings({"idle_timeout": 30, "language": "en"})
    assert settings == dataclasses.replace(DEFAULTS, language="en")
    assert len(problems) == 1
    assert "'idle_timeout'" in problems[0] and "idle_timeout_s" in problems[0]


def test_kiosk_table_and_flat_file_both_work():
    assert parse_settings({"kiosk": {"language": "en"}})[0].language == "en"
    assert parse_settings({"language": "en"})[0].language == "en"


def test_missing_file_means_defaults(tmp_path):
    assert load_settings(tmp_path / "absent.toml") == (DEFAULTS, [])
    assert load_settings(None) == (DEFAULTS, [])


@pytest.mark.parametrize(
    "content",
    [
        b"language = 'en\n",  # unterminated string: not TOML
        b"[kiosk\nlanguage = 'en'\n",
        b"language = \xff\xfe\n",  # not UTF-8
        b"language = 'vi'\nlanguage = 'en'\n",  # duplicate key
    ],
)
def test_broken_file_gives_one_line_and_all_defaults(tmp_path, content):
    path = tmp_path / "kiosk.toml"
    path.write_bytes(content)
    settings, problems = load_settings(path)
    assert settings == DEFAULTS
    assert len(problems) == 1 and "\n" not in problems[0]
    assert str(path) in problems[0] and "using all defaults" in problems[0]


def test_unreadable_file_gives_one_line(tmp_path):
    # A folder where the file should be cannot be read, even by root (CI runs as root,
    # so chmod 000 would not make a file unreadable there).
    path = tmp_path / "kiosk.toml"
    path.mkdir()
    settings, problems = load_settings(path)
    assert settings == DEFAULTS
    assert len(problems) == 1 and "cannot be read" in problems[0]


def test_good_file_is_read(tmp_path):
    path = tmp_path / "kiosk.toml"
    path.write_text('[kiosk]\nlanguage = "en"\nscreen_rotation = 90\n', encoding="utf-8")
    settings, problems = load_settings(path)
    assert problems == []
    assert (settings.language, settings.screen_rotation) == ("en", 90)


def test_with_overrides_ignores_none():
    settings = with_overrides(DEFAULTS, language="en", idle_timeout_s=None)
    assert settings.language == "en" and settings.idle_timeout_s == DEFAULTS.idle_timeout_s
    assert with_overrides(DEFAULTS) is DEFAULTS


# --- the shipped /etc/kiosk/kiosk.toml ---------------------------------------------------


def test_shipped_file_parses_without_problems():
    settings, problems = load_settings(SHIPPED)
    assert problems == []
    assert settings.db_path == "/var/lib/kiosk/content.db"
    assert settings.log_dir == "/var/log/kiosk"


def test_shipped_file_documents_every_field_with_a_comment():
    lines = SHIPPED.read_text(encoding="utf-8").splitlines()
    for field in dataclasses.fields(Settings):
        pattern = re.compile(rf"^#?\s*{field.name}\s*=")
        index = next((i for i, line in enumerate(lines) if pattern.match(line)), None)
        assert index is not None, f"{field.name} missing from {SHIPPED.name}"
        above = lines[index - 1]
        assert above.startswith("#") and not pattern.match(above), f"{field.name} has no comment"


def test_shipped_commented_defaults_match_the_code():
    # Uncomment every "# key = value" line: the values shown must be the real defaults.
    text = SHIPPED.read_text(encoding="utf-8")
    names = "|".join(f.name for f in dataclasses.fields(Settings))
    uncommented = re.sub(rf"^# ({names}) =", r"\1 =", text, flags=re.MULTILINE)
    data = tomllib.loads(uncommented)
    settings, problems = parse_settings(data)
    assert problems == []
    expected = dataclasses.replace(
        DEFAULTS, db_path="/var/lib/kiosk/content.db", log_dir="/var/log/kiosk"
    )
    assert settings == expected


def test_the_default_slide_duration_has_the_content_rules_range_and_says_it():
    _, problems = parse_settings({"slide_default_duration_s": MAX_DURATION_S + 1})
    assert f"outside {MIN_DURATION_S:g} to {MAX_DURATION_S:g} seconds" in problems[0]
    # The shipped file's comment tells IT the same range.
    text = SHIPPED.read_text(encoding="utf-8")
    comment = text[: text.index("# slide_default_duration_s =")].splitlines()[-1]
    assert f"({MIN_DURATION_S:g} to {MAX_DURATION_S:g})" in comment


def test_content_db_is_the_configured_file_else_the_default(tmp_path):
    from kiosk.system.paths import default_db_path

    assert DEFAULTS.content_db() == default_db_path()
    chosen = tmp_path / "lobby.db"
    assert with_overrides(DEFAULTS, db_path=str(chosen)).content_db() == chosen
