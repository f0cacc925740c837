"""The kiosks' heartbeat receiver: ``POST /api/heartbeat`` with a per-kiosk bearer token.

Token auth instead of a session, so it is exempt from CSRF; rate-limited per address.
"""

from __future__ import annotations

import threading
import time

from flask import Blueprint, abort, request

from kiosk.studio.auth import public
from kiosk.studio.passwords import token_hash

bp = Blueprint("api", __name__, url_prefix="/api")

FIELDS = ("name", "version", "serial", "sha256", "last_frame", "last_error", "uptime_s", "sent_at")
RATE_PER_MINUTE = 30
_hits: dict[str, list[float]] = {}
_lock = threading.Lock()


def _allowed(address: str) -> bool:
    now = time.monotonic()
    with _lock:
        recent = [t for t in _hits.get(address, []) if now - t < 60]
        recent.append(now)
        _hits[address] = recent
        return len(recent) <= RATE_PER_MINUTE


@bp.route("/heartbeat", methods=["POST"])
@public
def heartbeat():
    from kiosk.studio.app import studio_of

    address = request.remote_addr or "-"
    if not _allowed(address):
        abort(429)
    header = request.headers.get("Authorization", "")
    if not header.startswith("Bearer "):
        abort(401)
    db = studio_of().db
    name = db.kiosk_for_token(token_hash(header[7:].strip()))
    if name is None:
        abort(401)
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        abort(400)
    payload = {k: body.get(k) for k in FIELDS}
    payload["name"] = name  # the token says who it is, not the body
    db.record_heartbeat(name, address, payload)
    return "", 204
