"""Spreadsheet import (dry run, then all or nothing) and export (.xlsx, CSV with a BOM).

Reading, number and date conventions and every check are the store's (``plan_import``,
``apply_import``); this page only carries the upload from the dry run to the apply. The
upload is kept under a random name of ours; the name staff's file had is never used as a
path (a CSV's table is chosen from a list, defaulting to the one its name suggests).
"""

from __future__ import annotations

import secrets
import tempfile
import time
from pathlib import Path

from flask import Blueprint, abort, redirect, render_template, request, send_file, session, url_for

from kiosk.store import (
    ImportRefused,
    StoreError,
    apply_import,
    export_dir,
    export_xlsx,
    plan_import,
)
from kiosk.store.layout import TABLE_ORDER, TABLES
from kiosk.studio import fields as F
from kiosk.studio import messages
from kiosk.studio.auth import audit, requires

bp = Blueprint("sheets", __name__)
SUFFIXES = (".csv", ".xlsx")
NUMBER_STYLES = ("", "vi", "en")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

messages.STRINGS.update(
    {
        "sheets.title": ("Nhập và xuất bảng tính", "Import and export spreadsheets"),
        "sheets.file": ("Tệp Excel (.xlsx) hoặc CSV", "Excel file (.xlsx) or CSV"),
        "sheets.table": ("Bảng trong tệp CSV", "What the CSV file holds"),
        "sheets.table_guess": ("Theo tên tệp", "From the file name"),
        "sheets.numbers": ("Cách viết số trong tệp", "How numbers are written"),
        "sheets.numbers_auto": (
            "Chỉ nhận số không thể hiểu nhầm",
            "Only numbers that cannot be misread",
        ),
        "sheets.numbers_vi": ("Kiểu Việt: 1.890 và 8,23", "Vietnamese: 1.890 and 8,23"),
        "sheets.numbers_en": ("Kiểu Anh: 1,890 và 8.23", "English: 1,890 and 8.23"),
        "sheets.replace": (
            "Xóa các mục không có trong tệp (thay toàn bộ bảng)",
            "Delete items the file does not list (replace the whole table)",
        ),
        "sheets.check": ("Kiểm tra (chưa thay đổi gì)", "Check (changes nothing yet)"),
        "sheets.apply": ("Áp dụng các thay đổi này", "Apply these changes"),
        "sheets.plan": ("Kết quả kiểm tra: {name}", "Check result: {name}"),
        "sheets.added": ("Thêm mới", "Added"),
        "sheets.changed": ("Thay đổi", "Changed"),
        "sheets.deleted": ("Xóa", "Deleted"),
        "sheets.nothing": ("Tệp không thay đổi gì.", "The file changes nothing."),
        "sheets.refused": (
            "Tệp có {n} lỗi nên chưa thể nhập. Hãy sửa trong Excel rồi tải lên lại; "
            "chưa có gì thay đổi.",
            "The file has {n} error(s), so it cannot be imported. Fix them in Excel and upload "
            "it again; nothing was changed.",
        ),
        "sheets.done": ("Đã nhập: {summary}", "Imported: {summary}"),
        "sheets.stale": (
            "Nội dung đã thay đổi từ lúc kiểm tra (có người vừa lưu). Hãy kiểm tra lại tệp; "
            "chưa có gì thay đổi.",
            "The content changed since the check (someone saved). Check the file again; "
            "nothing was changed.",
        ),
        "sheets.expired": (
            "Kết quả kiểm tra đã hết hạn. Hãy tải tệp lên lại.",
            "The check has expired. Upload the file again.",
        ),
        "sheets.wrong_type": (
            "Chỉ nhận tệp .xlsx hoặc .csv.",
            "Only .xlsx or .csv files can be imported.",
        ),
        "sheets.export": ("Xuất nội dung", "Export the content"),
        "sheets.export_xlsx": (
            "Tải tệp Excel (.xlsx, mọi bảng)",
            "Download Excel (.xlsx, all tables)",
        ),
        "sheets.export_csv": ("CSV cho Excel:", "CSV for Excel:"),
    }
)


def _studio():
    from kiosk.studio.app import studio_of

    return studio_of()


UPLOAD_KEEP_S = 24 * 3600  # a checked file not applied within a day is forgotten


def _uploads() -> Path:
    folder = _studio().data_dir / "uploads"
    folder.mkdir(mode=0o700, exist_ok=True)
    return folder


def _forget_old_uploads() -> None:
    now = time.time()
    for path in _uploads().glob("*.upload"):
        if now - path.stat().st_mtime > UPLOAD_KEEP_S:
            path.unlink(missing_ok=True)


def _source(token: str, info: dict):
    """The upload as ``plan_import`` takes it: (a name of ours, bytes)."""
    if not token.isalnum():
        abort(404)
    path = _uploads() / f"{token}.upload"
    if not path.is_file():
        return None
    name = f"{info['table']}.csv" if info["suffix"] == ".csv" else "workbook.xlsx"
    return name, path.read_bytes()


def _plan(source, info):
    return plan_import(
        _studio().draft, source, replace=info["replace"], numbers=info["numbers"] or None
    )


@bp.route("/import")
@requires("editor")
def page():
    return render_template("sheets.html", tables=TABLE_ORDER, styles=NUMBER_STYLES, plan=None)


@bp.route("/import", methods=["POST"])
@requires("editor")
def check():
    upload = request.files.get("file")
    suffix = Path(upload.filename or "").suffix.lower() if upload else ""
    if suffix not in SUFFIXES:
        messages.say("sheets.wrong_type", "error")
        return redirect(url_for("sheets.page"))
    stem = Path(upload.filename).stem.lower()
    chosen = request.form.get("table", "")
    table = chosen if chosen in TABLES else (stem if stem in TABLES else "")
    numbers = request.form.get("numbers", "")
    info = {
        "suffix": suffix,
        "table": table or "unknown",
        "replace": bool(request.form.get("replace")),
        "numbers": numbers if numbers in NUMBER_STYLES else "",
        "name": upload.filename[:120],
    }
    _forget_old_uploads()
    token = secrets.token_hex(16)
    (_uploads() / f"{token}.upload").write_bytes(upload.read())
    session["import"] = {"token": token, **info}
    return _show(token, info)


def _show(token: str, info: dict, status: int = 200):
    source = _source(token, info)
    if source is None:
        messages.say("sheets.expired", "error")
        return redirect(url_for("sheets.page"))
    try:
        plan = _plan(source, info)
    except ImportRefused as refused:
        messages.say_pair((refused.problem.text("vi"), refused.problem.text("en")), "error")
        return redirect(url_for("sheets.page"))
    except StoreError as error:
        messages.say_pair((str(error), str(error)), "error")
        return redirect(url_for("sheets.page"))
    return (
        render_template(
            "sheets.html",
            tables=TABLE_ORDER,
            styles=NUMBER_STYLES,
            plan=plan,
            info=info,
            token=token,
            label=F.label,
        ),
        status,
    )


@bp.route("/import/apply", methods=["POST"])
@requires("editor")
def apply():
    info = session.get("import")
    token = request.form.get("token", "")
    if not info or info.get("token") != token:
        messages.say("sheets.expired", "error")
        return redirect(url_for("sheets.page"))
    source = _source(token, info)
    if source is None:
        messages.say("sheets.expired", "error")
        return redirect(url_for("sheets.page"))
    plan = _plan(source, info)
    if plan.fingerprint != request.form.get("fingerprint"):
        messages.say("sheets.stale", "error")
        return _show(token, info, 409)
    if not plan.ok:
        messages.say("sheets.refused", "error", n=len(plan.errors))
        return _show(token, info, 422)
    try:
        apply_import(_studio().draft, plan)
    except StoreError as error:
        messages.say_pair((str(error), str(error)), "error")
        return _show(token, info, 409)
    (_uploads() / f"{token}.upload").unlink(missing_ok=True)
    session.pop("import", None)
    audit("import", f"{info['name']}: {plan.summary()}")
    messages.say("sheets.done", "ok", summary=plan.summary())
    return redirect(url_for("publish.changes"))


@bp.route("/export.xlsx")
@requires("editor")
def export_workbook():
    with tempfile.TemporaryDirectory() as tmp:
        out = export_xlsx(_studio().draft, Path(tmp) / "content.xlsx")
        data = out.read_bytes()
    audit("export", "xlsx")
    return _download(data, "kiosk-content.xlsx", XLSX_TYPE)


@bp.route("/export/<table>.csv")
@requires("editor")
def export_csv(table: str):
    """One table as CSV with a BOM (the store's export, so Excel reads Vietnamese intact)."""
    if table not in TABLES:
        abort(404)
    with tempfile.TemporaryDirectory() as tmp:
        export_dir(_studio().draft, tmp)
        data = (Path(tmp) / f"{table}.csv").read_bytes()
    return _download(data, f"{table}.csv", "text/csv")


def _download(data: bytes, name: str, mimetype: str):
    import io

    return send_file(io.BytesIO(data), mimetype=mimetype, as_attachment=True, download_name=name)
