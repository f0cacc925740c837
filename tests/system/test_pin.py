"""Staff PIN hashing, checking and lock-out."""

from __future__ import annotations

import pytest

from kiosk.content.clock import FakeClock
from kiosk.system.pin import (
    PinAttempts,
    PinError,
    check_pin_format,
    hash_pin,
    is_valid_hash,
    verify_pin,
)


def fast_hash(pin: str, salt: bytes = b"saltsaltsaltsalt") -> str:
    # Tiny scrypt cost so the suite stays quick; the format and logic are the same.
    return hash_pin(pin, salt=salt, n=4, r=1, p=1)


def test_default_hash_round_trip_and_format():
    stored = hash_pin("482916")
    assert stored.startswith("scrypt$16384$8$1$")
    assert "482916" not in stored
    assert is_valid_hash(stored)
    assert verify_pin("482916", stored)
    assert not verify_pin("482917", stored)


def test_salt_makes_each_hash_different():
    assert hash_pin("1234", n=4, r=1, p=1) != hash_pin("1234", n=4, r=1, p=1)
    # The same salt gives the same hash (so the salt really is what differs).
    assert fast_hash("1234") == fast_hash("1234")
    assert fast_hash("1234", b"a" * 16) != fast_hash("1234", b"b" * 16)


@pytest.mark.parametrize("pin", ["", "123", "1234567890123", "12a4", "12 34", "١٢٣٤", "-123"])
def test_bad_pin_format_is_refused(pin):
    with pytest.raises(PinError, match="4 to 12 digits"):
        check_pin_format(pin)
    with pytest.raises(PinError):
        hash_pin(pin)


@pytest.mark.parametrize("pin", ["0000", "123456789012"])
def test_good_pin_format(pin):
    assert check_pin_format(pin) == pin


@pytest.mark.parametrize(
    "stored",
    [
        "",
        "1234",
        "pbkdf2$4$1$1$c2FsdHNhbHQ$AAAAAAAAAAAAAAAAAAAAAA",
        "scrypt$4$1$1$c2FsdHNhbHQ",
        "scrypt$x$1$1$c2FsdHNhbHQ$AAAAAAAAAAAAAAAAAAAAAA",
        "scrypt$5$1$1$c2FsdHNhbHQ$AAAAAAAAAAAAAAAAAAAAAA",  # N not a power of two
        "scrypt$2097152$8$1$c2FsdHNhbHQ$AAAAAAAAAAAAAAAAAAAAAA",  # N too big: would hang
        "scrypt$4$1$1$$AAAAAAAAAAAAAAAAAAAAAA",  # no salt
        "scrypt$4$1$1$c2FsdHNhbHQ$AAAA",  # hash too short
        "scrypt$4$1$1$c2Fsd!!!HNhbHQ$AAAAAAAAAAAAAAAAAAAAAA",  # not base64
    ],
)
def test_malformed_hash_is_invalid_and_never_matches(stored):
    assert not is_valid_hash(stored)
    assert not verify_pin("1234", stored)


def test_non_digit_input_never_matches():
    stored = fast_hash("1234")
    assert not verify_pin("1234\n", stored)
    assert not verify_pin("", stored)


def test_attempts_lock_out_after_five_failures_then_recover():
    clock = FakeClock()
    stored = fast_hash("2580")
    attempts = PinAttempts(clock, max_failures=5, lockout_s=60)
    for _ in range(4):
        assert not attempts.check("0000", stored)
    assert attempts.locked_for() == 0
    assert not attempts.check("0000", stored)
    assert attempts.locked_for() == 60
    # Locked: even the right PIN is refused.
    assert not attempts.check("2580", stored)
    clock.advance(59.9)
    assert not attempts.check("2580", stored)
    clock.advance(0.1)
    assert attempts.locked_for() == 0
    assert attempts.check("2580", stored)


def test_success_resets_failure_count():
    clock = FakeClock()
    stored = fast_hash("2580")
    attempts = PinAttempts(clock, max_failures=3, lockout_s=60)
    attempts.check("1111", stored)
    attempts.check("1111", stored)
    assert attempts.check("2580", stored)
    attempts.check("1111", stored)
    attempts.check("1111", stored)
    assert attempts.locked_for() == 0


def test_kiosk_pin_command_prints_a_hash_that_verifies():
    from click.testing import CliRunner

    from kiosk.cli import cli

    result = CliRunner().invoke(cli, ["pin"], input="135790\n135790\n")
    assert result.exit_code == 0, result.output
    line = result.output.strip().splitlines()[-1]
    assert line.startswith('staff_pin_hash = "scrypt$')
    stored = line.split('"')[1]
    assert verify_pin("135790", stored)
    assert "135790" not in result.output.replace("135790\n", "")


def test_kiosk_pin_command_refuses_a_bad_pin_in_one_line():
    from click.testing import CliRunner

    from kiosk.cli import cli

    result = CliRunner().invoke(cli, ["pin"], input="12\n12\n")
    assert result.exit_code == 1
    assert result.output.strip().splitlines()[-1] == (
        "Error: a staff PIN must be 4 to 12 digits (0-9 only)"
    )
    assert "Traceback" not in result.output
