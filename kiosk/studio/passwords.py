"""Password and token hashing: scrypt from hashlib, constant-time comparison."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

# n=2**14, r=8, p=1 (16 MiB of memory per hash): OWASP's minimum for scrypt.
_N, _R, _P = 2**14, 8, 1


def hash_password(password: str) -> str:
    """``scrypt$n$r$p$salt$hash`` (base64), safe to store."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=_N, r=_R, p=_P, dklen=32)
    b64 = base64.b64encode
    return f"scrypt${_N}${_R}${_P}${b64(salt).decode()}${b64(digest).decode()}"


def check_password(password: str, stored: str) -> bool:
    try:
        kind, n, r, p, salt, digest = stored.split("$")
        if kind != "scrypt":
            return False
        got = hashlib.scrypt(
            password.encode(),
            salt=base64.b64decode(salt),
            n=int(n),
            r=int(r),
            p=int(p),
            dklen=32,
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got, base64.b64decode(digest))


# A hash that no password matches, checked for unknown names so that a wrong name and a
# wrong password take the same time.
DUMMY_HASH = hash_password(secrets.token_urlsafe(16))


def new_token() -> str:
    """A kiosk's heartbeat token (shown once; only its hash is stored)."""
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    # Tokens are 256 random bits, so a fast hash is enough (no dictionary to guess from).
    return hashlib.sha256(token.encode()).hexdigest()
