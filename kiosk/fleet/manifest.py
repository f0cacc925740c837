"""The channel's manifest and its Ed25519 signature.

``manifest.json`` names the one snapshot a channel currently serves; ``manifest.json.sig``
holds the Ed25519 signature of the manifest file's exact bytes, base64 on one line. Keys
are base64 of the raw 32-byte seed (``channel.key``) or verify key (``channel.pub``), one
line each, so the public key can be pasted into kiosk.toml. PyNaCl is imported by the
functions that sign or verify, so reading a manifest (the kiosk naming its content) does not
load it.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from dataclasses import asdict, dataclass
from pathlib import Path

MANIFEST_NAME = "manifest.json"
SIGNATURE_NAME = "manifest.json.sig"
SNAPSHOT_DIR = "snapshots"
# Largest manifest a follower reads; a real one is a few hundred bytes.
MAX_MANIFEST_BYTES = 64 * 1024
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


class ChannelError(Exception):
    """A channel problem, as one line that says what is wrong and what to do."""

    def __init__(self, message: str) -> None:
        super().__init__(" ".join(str(message).split()))


@dataclass(frozen=True)
class Manifest:
    """One published snapshot: the ``serial`` always grows, ``sha256`` names the file."""

    serial: int
    sha256: str
    bytes: int
    schema_version: int
    published_at: str  # ISO 8601, UTC
    publisher: str = ""
    note: str = ""

    @property
    def snapshot_path(self) -> str:
        """The snapshot's path relative to the channel folder (and its URL)."""
        return f"{SNAPSHOT_DIR}/{self.sha256}.db"

    @property
    def short(self) -> str:
        """'serial 7 (3f2a9c0d1e2b)': how logs and screens name this content."""
        return f"serial {self.serial} ({self.sha256[:12]})"

    def to_json(self) -> bytes:
        """The manifest file's bytes (these bytes are what is signed)."""
        text = json.dumps(asdict(self), ensure_ascii=False, indent=2, sort_keys=True)
        return (text + "\n").encode("utf-8")

    @classmethod
    def from_json(cls, data: bytes) -> Manifest:
        """Parse and check a manifest; ChannelError names the first bad field."""
        if len(data) > MAX_MANIFEST_BYTES:
            raise ChannelError(f"manifest is {len(data)} bytes, more than a manifest can be")
        try:
            raw = json.loads(data.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise ChannelError(f"manifest is not valid JSON ({error})") from None
        if not isinstance(raw, dict):
            raise ChannelError("manifest is not a JSON object")
        for name, kind in (("serial", int), ("bytes", int), ("schema_version", int)):
            value = raw.get(name)
            if not isinstance(value, kind) or isinstance(value, bool) or value < 0:
                raise ChannelError(f"manifest field {name!r} must be a whole number >= 0")
        if not isinstance(raw.get("sha256"), str) or not _SHA256.match(raw["sha256"]):
            raise ChannelError("manifest field 'sha256' must be 64 lowercase hex digits")
        for name in ("published_at", "publisher", "note"):
            if not isinstance(raw.get(name, ""), str):
                raise ChannelError(f"manifest field {name!r} must be text")
        return cls(
            serial=raw["serial"],
            sha256=raw["sha256"],
            bytes=raw["bytes"],
            schema_version=raw["schema_version"],
            published_at=raw.get("published_at", ""),
            publisher=raw.get("publisher", ""),
            note=raw.get("note", ""),
        )


def _b64_line(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _b64_decode(text: str, size: int, what: str) -> bytes:
    try:
        raw = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError):
        raw = b""
    if len(raw) != size:
        raise ChannelError(f"{what} is not a channel key (expected {size} bytes in base64)")
    return raw


def new_key_pair() -> tuple[str, str]:
    """(private key line, public key line)."""
    from nacl.signing import SigningKey

    key = SigningKey.generate()
    return _b64_line(bytes(key)), _b64_line(bytes(key.verify_key))


def load_signing_key(path):
    """The nacl ``SigningKey`` in a channel.key file."""
    from nacl.signing import SigningKey

    path = Path(path)
    try:
        text = path.read_text(encoding="ascii")
    except (OSError, UnicodeDecodeError) as error:
        raise ChannelError(f"{path}: cannot read the channel key ({error})") from None
    return SigningKey(_b64_decode(text, 32, str(path)))


def verify_key_from_text(text: str):
    """The nacl ``VerifyKey`` from its one-line text (as in channel.pub and kiosk.toml)."""
    from nacl.signing import VerifyKey

    return VerifyKey(_b64_decode(text, 32, "channel_public_key"))


def sign(data: bytes, key) -> bytes:
    """The signature file's bytes for ``data``."""
    return (_b64_line(key.sign(data).signature) + "\n").encode("ascii")


def verify(data: bytes, signature_file: bytes, key) -> None:
    """Raise ChannelError unless ``signature_file`` signs ``data`` with ``key``."""
    from nacl.exceptions import BadSignatureError

    try:
        signature = base64.b64decode(signature_file.strip(), validate=True)
    except (binascii.Error, ValueError):
        signature = b""
    if len(signature) != 64:
        raise ChannelError("manifest signature file is not an Ed25519 signature")
    try:
        key.verify(data, signature)
    except BadSignatureError:
        raise ChannelError(
            "manifest signature does not match the channel's public key "
            "(tampered, or signed with another key)"
        ) from None
