"""Staff PIN: salted scrypt hashes for the config, and a constant-time check.

The config stores only ``scrypt$N$r$p$SALT$HASH`` (salt and hash in URL-safe base64),
made by ``kiosk pin``. Anyone who can read /etc/kiosk/kiosk.toml sees neither the PIN nor a
fast hash of it: scrypt makes each guess cost ~16 MB and tens of milliseconds, and the salt
stops one precomputed table from serving every kiosk. A 4–12 digit PIN is still a small
space, so the PIN pad also locks out after repeated failures (``PinAttempts``).

Public API: ``hash_pin``, ``verify_pin``, ``is_valid_hash``, ``check_pin_format``,
``PinAttempts``, ``PinError``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os

from kiosk.content.clock import Clock

SCHEME = "scrypt"
# scrypt cost: N=2**14, r=8, p=1 is the interactive-login setting from the scrypt paper;
# 16 MiB of memory and a noticeable moment per try: fine for a PIN pad, slow for a guesser.
DEFAULT_N, DEFAULT_R, DEFAULT_P = 2**14, 8, 1
SALT_BYTES = 16
HASH_BYTES = 32
MIN_DIGITS, MAX_DIGITS = 4, 12
# Upper bounds on parameters read from the config, so a corrupted hash cannot make the
# PIN pad allocate gigabytes or hang the UI thread.
_MAX_N, _MAX_R, _MAX_P = 2**20, 32, 16


class PinError(ValueError):
    """A PIN or a stored hash that cannot be used; the message says what to do."""


def check_pin_format(pin: str) -> str:
    """Return the PIN if it is 4–12 digits, else raise PinError naming the rule."""
    if not (pin.isascii() and pin.isdigit() and MIN_DIGITS <= len(pin) <= MAX_DIGITS):
        raise PinError(f"a staff PIN must be {MIN_DIGITS} to {MAX_DIGITS} digits (0-9 only)")
    return pin


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    # validate=True: stray characters are an error, not silently dropped.
    return base64.b64decode(text + "=" * (-len(text) % 4), altchars=b"-_", validate=True)


def _derive(pin: str, salt: bytes, n: int, r: int, p: int, length: int) -> bytes:
    # maxmem must cover 128*r*N bytes plus scrypt's own overhead.
    return hashlib.scrypt(
        pin.encode("ascii"),
        salt=salt,
        n=n,
        r=r,
        p=p,
        dklen=length,
        maxmem=256 * r * n + 2**20,
    )


def hash_pin(
    pin: str,
    *,
    salt: bytes | None = None,
    n: int = DEFAULT_N,
    r: int = DEFAULT_R,
    p: int = DEFAULT_P,
) -> str:
    """A new salted hash of ``pin`` to paste into the config as ``staff_pin_hash``."""
    check_pin_format(pin)
    salt = os.urandom(SALT_BYTES) if salt is None else salt
    digest = _derive(pin, salt, n, r, p, HASH_BYTES)
    return f"{SCHEME}${n}${r}${p}${_b64(salt)}${_b64(digest)}"


def _parse(stored: str) -> tuple[int, int, int, bytes, bytes]:
    parts = stored.strip().split("$")
    if len(parts) != 6 or parts[0] != SCHEME:
        raise PinError("staff_pin_hash is not a hash made by `kiosk pin`")
    try:
        n, r, p = (int(x) for x in parts[1:4])
        salt, digest = _unb64(parts[4]), _unb64(parts[5])
    except ValueError:
        raise PinError("staff_pin_hash is damaged; make a new one with `kiosk pin`") from None
    power_of_two = n > 1 and n & (n - 1) == 0
    if not (power_of_two and n <= _MAX_N and 1 <= r <= _MAX_R and 1 <= p <= _MAX_P):
        raise PinError("staff_pin_hash has unusable scrypt parameters; run `kiosk pin` again")
    if len(salt) < 8 or len(digest) < 16:
        raise PinError("staff_pin_hash is too short; make a new one with `kiosk pin`")
    return n, r, p, salt, digest


def is_valid_hash(stored: str) -> bool:
    """True if ``stored`` is a well-formed hash this module can check against."""
    try:
        _parse(stored)
    except PinError:
        return False
    return True


def verify_pin(pin: str, stored: str) -> bool:
    """True if ``pin`` matches ``stored``; False for a wrong PIN or a malformed hash.

    The comparison is constant-time (``hmac.compare_digest``) so timing reveals nothing
    about how much of the hash matched.
    """
    try:
        n, r, p, salt, digest = _parse(stored)
    except PinError:
        return False
    if not (pin.isascii() and pin.isdigit()):
        return False
    return hmac.compare_digest(_derive(pin, salt, n, r, p, len(digest)), digest)


class PinAttempts:
    """Counts wrong PINs and locks the pad for a while after too many.

    Five wrong PINs lock the pad for 60 s, so guessing a 4-digit PIN at the pad takes
    about a day and a half of standing at the lobby screen.
    """

    def __init__(self, clock: Clock, *, max_failures: int = 5, lockout_s: float = 60.0):
        self._clock = clock
        self.max_failures = max_failures
        self.lockout_s = lockout_s
        self._failures = 0
        self._locked_until = float("-inf")

    def locked_for(self) -> float:
        """Seconds left before another PIN may be tried (0 when not locked)."""
        return max(0.0, self._locked_until - self._clock.now())

    def check(self, pin: str, stored: str) -> bool:
        """Verify ``pin`` unless locked out; a locked pad refuses even the right PIN."""
        if self.locked_for() > 0:
            return False
        if verify_pin(pin, stored):
            self._failures = 0
            return True
        self._failures += 1
        if self._failures >= self.max_failures:
            self._failures = 0
            self._locked_until = self._clock.now() + self.lockout_s
        return False
