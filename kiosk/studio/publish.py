"""Changes, publish, history and roll back: the draft against the channel's snapshots.

Publishing uses the fleet's ``kiosk.fleet.channel`` (the same code as ``kiosk channel
publish``), so the studio and IT's command line write one channel format.
"""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, abort, g, redirect, render_template, request, url_for

from kiosk.store import studio_draft as draft
from kiosk.studio import fields as F
from kiosk.studio import messages, ref_picker
from kiosk.studio.auth import audit, requires

bp = Blueprint("publish", __name__)

messages.STRINGS.update(
    {
        "publish.title": ("Xuất bản nội dung", "Publish the content"),
        "publish.note": ("Ghi chú cho lần xuất bản này", "A note for this publish"),
        "publish.note_needed": (
            "Hãy viết một ghi chú ngắn: thay đổi gì và vì sao.",
            "Write a short note: what changed and why.",
        ),
        "publish.submit": ("Xuất bản lên các kiosk", "Publish to the kiosks"),
        "publish.refused": (
            "Chưa xuất bản: nội dung còn {n} lỗi. Hãy sửa các lỗi ở trang Tổng quan trước.",
            "Not published: the content has {n} error(s). Fix them (see Overview) first.",
        ),
        "publish.done": (
            "Đã xuất bản phiên bản số {serial}. Các kiosk sẽ nhận trong vài phút.",
            "Published serial {serial}. The kiosks pick it up within minutes.",
        ),
        "publish.failed": ("Chưa xuất bản: {why}", "Not published: {why}"),
        "publish.nothing": (
            "Không có thay đổi nào so với bản đang chiếu.",
            "Nothing changed since the published content.",
        ),
        "history.title": ("Các phiên bản đã xuất bản", "Published versions"),
        "history.rollback": ("Chiếu lại bản này", "Show this version again"),
        "history.current": ("Đang chiếu", "Showing now"),
        "history.confirm": (
            "Chiếu lại phiên bản này trên mọi kiosk?",
            "Show this version on every kiosk again?",
        ),
        "rollback.done": (
            "Đã chiếu lại phiên bản {old} dưới số mới {serial}.",
            "Version {old} is showing again, as serial {serial}.",
        ),
        "rollback.note": ("Chiếu lại bản {old}", "Roll back to {old}"),
        "rollback.draft": (
            "Bản nháp không thay đổi. Muốn sửa tiếp từ bản cũ, hãy nhập lại nó.",
            "The draft is unchanged. To edit from the old version, import it.",
        ),
    }
)


def _studio():
    from kiosk.studio.app import studio_of

    return studio_of()


def channel_api():
    """``kiosk.fleet.channel``, or None while the fleet part is not installed."""
    try:
        from kiosk.fleet import channel
    except ImportError:
        return None
    return channel


def ensure_keys(studio) -> Path | None:
    """The studio's signing key, made on first start; None without the channel module."""
    channel = channel_api()
    if channel is None:
        return None
    key = studio.keys / channel.KEY_NAME
    if not key.exists():
        channel.keygen(studio.keys)
    return key


def published_rows(studio) -> dict[str, list[dict]]:
    """The current snapshot's rows ({} tables when nothing is published)."""
    channel = channel_api()
    manifest = channel.current(studio.channel) if channel else None
    if manifest is None:
        return {t: [] for t in F.KINDS}
    return draft.read_all(snapshot_path(studio, manifest.sha256))


def snapshot_path(studio, sha256: str) -> Path:
    return studio.channel / "snapshots" / f"{sha256}.db"


@bp.route("/changes")
@requires("editor")
def changes():
    studio = _studio()
    published, drafted = published_rows(studio), draft.read_all(studio.draft)
    diff = draft.diff_rows(published, drafted)
    # A slide's ref is shown by name; what it names depends on the slide's kind.
    kinds = {r["key"]: r["kind"] for r in [*published["playlist"], *drafted["playlist"]]}
    ref_name = ref_picker.ref_names(studio.draft, g.lang)

    def show(table, col, value, key=""):
        if (table, col) == ("playlist", "ref"):
            return ref_name(kinds.get(key, ""), value)
        return F.choice_label(table, col, value, g.lang)

    return render_template("changes.html", changes=diff, label=F.label, show=show)


def _errors() -> list:
    return [p for p in draft.validate_draft(_studio().draft) if p.level == "error"]


@bp.route("/publish", methods=["GET", "POST"])
@requires("publisher")
def publish():
    studio = _studio()
    channel = channel_api()
    if channel is None:
        abort(404)
    errors = _errors()
    if request.method == "GET":
        count = len(draft.diff_rows(published_rows(studio), draft.read_all(studio.draft)))
        return render_template("publish.html", errors=errors, count=count)
    if errors:
        messages.say("publish.refused", "error", n=len(errors))
        return redirect(url_for("publish.publish"))
    note = request.form.get("note", "").strip()
    if not note:
        messages.say("publish.note_needed", "error")
        return redirect(url_for("publish.publish"))
    from kiosk.store.studio_images import prune_images

    try:
        prune_images(studio.draft)
        manifest = channel.publish(
            studio.draft, studio.channel, ensure_keys(studio), note=note, publisher=g.user.name
        )
    except Exception as error:  # ChannelError / StoreError: one line for staff
        messages.say("publish.failed", "error", why=str(error))
        return redirect(url_for("publish.publish"))
    audit("publish", f"serial {manifest.serial}: {note}")
    messages.say("publish.done", "ok", serial=manifest.serial)
    return redirect(url_for("publish.history"))


@bp.route("/history")
@requires("editor")
def history():
    channel = channel_api()
    items = channel.history(_studio().channel) if channel else []
    current = items[0].sha256 if items else None
    return render_template("history.html", items=items, current=current)


@bp.route("/history/<int:serial>/rollback", methods=["POST"])
@requires("publisher")
def rollback(serial: int):
    studio = _studio()
    channel = channel_api()
    if channel is None or serial not in {m.serial for m in channel.history(studio.channel)}:
        abort(404)
    vi, en = messages.pair("rollback.note", old=serial)
    try:
        manifest = channel.rollback(
            studio.channel, serial, ensure_keys(studio), publisher=g.user.name, note=f"{vi} / {en}"
        )
    except Exception as error:
        messages.say("publish.failed", "error", why=str(error))
        return redirect(url_for("publish.history"))
    audit("rollback", f"serial {serial} -> {manifest.serial}")
    messages.say("rollback.done", "ok", old=serial, serial=manifest.serial)
    messages.say("rollback.draft")
    return redirect(url_for("publish.history"))
