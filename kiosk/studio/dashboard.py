"""What the dashboard shows: the published snapshot, draft changes, problems, the fleet."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kiosk.store import studio_draft as draft
from kiosk.store.studio_users import now_utc

SILENT_AFTER = dt.timedelta(minutes=5)  # no heartbeat for this long: the kiosk is red
STUCK_AFTER = dt.timedelta(minutes=1)  # no painted frame for this long: red as well


@dataclass(frozen=True)
class KioskStatus:
    name: str
    state: str  # "ok", "silent", "stuck" or "never"
    seen: str
    version: str
    serial: str
    last_error: str


def _parse(text) -> dt.datetime | None:
    try:
        value = dt.datetime.fromisoformat(str(text).replace("Z", "+00:00"))
    except ValueError:
        return None
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def fleet_status(db, now: dt.datetime | None = None) -> list[KioskStatus]:
    """Every known kiosk, red ("silent"/"stuck") when it stopped reporting or painting."""
    now = now or now_utc()
    beats = db.heartbeats()
    out = []
    for name in sorted(set(db.kiosk_names()) | set(beats)):
        beat = beats.get(name)
        if beat is None:
            out.append(KioskStatus(name, "never", "", "", "", ""))
            continue
        payload = beat.payload
        frame = _parse(payload.get("last_frame"))
        sent = _parse(payload.get("sent_at")) or beat.received_at
        if now - beat.received_at > SILENT_AFTER:
            state = "silent"
        elif frame is None or sent - frame > STUCK_AFTER:
            state = "stuck"
        else:
            state = "ok"
        out.append(
            KioskStatus(
                name,
                state,
                beat.received_at.strftime("%Y-%m-%d %H:%M:%S UTC"),
                str(payload.get("version", "")),
                str(payload.get("serial", "")),
                str(payload.get("last_error") or ""),
            )
        )
    return out


def dashboard_data(studio) -> dict:
    from kiosk.studio.publish import channel_api, published_rows

    channel = channel_api()
    manifest = channel.current(studio.channel) if channel else None
    problems = draft.validate_draft(studio.draft)
    changes = draft.diff_rows(published_rows(studio), draft.read_all(studio.draft))
    return {
        "manifest": manifest,
        "change_count": len(changes),
        "errors": [p for p in problems if p.level == "error"],
        "warnings": [p for p in problems if p.level == "warning"],
        "fleet": fleet_status(studio.db),
    }
