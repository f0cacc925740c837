"""Spreadsheet import through the studio: dry run row by row, then all or nothing."""

from __future__ import annotations

import io

from openpyxl import Workbook, load_workbook

from kiosk.store import studio_draft as draft

CSV_HEADER = "key;date;precision;title_vi;title_en;body_vi;body_en;category;source_key;image"


def _excel_csv(*rows: str) -> bytes:
    """A CSV the way Excel's "CSV UTF-8" writes it on a Vietnamese PC: BOM, ';', CRLF."""
    return ("\ufeff" + "\r\n".join([CSV_HEADER, *rows]) + "\r\n").encode("utf-8")


def _check(c, payload: bytes, filename: str, **form):
    data = {"file": (io.BytesIO(payload), filename), **form}
    return c.post("/import", data, token_from="/import", content_type="multipart/form-data")


def _apply(c, page: str):
    token = page.split('name="token" value="')[1].split('"')[0]
    fingerprint = page.split('name="fingerprint" value="')[1].split('"')[0]
    return c.post("/import/apply", {"token": token, "fingerprint": fingerprint}, token_from="/")


def _milestone(studio, key):
    rows = draft.read_all(studio.draft)["milestones"]
    return next((r for r in rows if r["key"] == key), None)


def test_excel_csv_dry_run_lists_rows_then_applies(signed_in, studio):
    c = signed_in("editor")
    payload = _excel_csv(
        "m_new;2023-01-01;year;Mốc mới;New milestone;Nội dung;Text;event;art003;",
        "m_dti;2021-01-01;year;Đứng đầu DTI cấp tỉnh năm 2021;First in DTI 2021 (edited);"
        "Dẫn đầu;Leading;ranking;art003;",
    )
    response = _check(c, payload, "milestones.csv")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "m_new" in page and "First in DTI 2021 (edited)" in page
    assert _milestone(studio, "m_new") is None  # a dry run writes nothing
    applied = _apply(c, page)
    assert applied.status_code == 302
    assert _milestone(studio, "m_new")["title_en"] == "New milestone"
    assert _milestone(studio, "m_dti")["title_en"] == "First in DTI 2021 (edited)"


def test_a_bad_row_in_the_middle_refuses_the_whole_file(signed_in, studio):
    c = signed_in("editor")
    before = draft.read_all(studio.draft)
    payload = _excel_csv(
        "m_a;2023-01-01;year;A;A;A;A;event;art003;",
        "m_b;15/06/2023;day;B;B;B;B;event;nope;",
        "m_c;2023-01-01;year;C;C;C;C;event;art003;",
    )
    page = _check(c, payload, "milestones.csv").get_data(as_text=True)
    assert "nope" in page and 'id="apply"' not in page
    assert "chưa có gì thay đổi" in page
    assert draft.read_all(studio.draft) == before


def test_xlsx_import_and_the_content_changed_meanwhile(signed_in, studio):
    c = signed_in("editor")
    book = Workbook()
    sheet = book.active
    sheet.title = "milestones"
    sheet.append(CSV_HEADER.split(";"))
    sheet.append(["m_x", "2024-01-01", "year", "X", "X", "X", "X", "event", "art003", ""])
    out = io.BytesIO()
    book.save(out)
    page = _check(c, out.getvalue(), "any name.xlsx").get_data(as_text=True)
    assert "m_x" in page
    other = signed_in("publisher")  # someone saves before the apply
    row = _milestone(studio, "m_dti")
    values = {k: "" if v is None else str(v) for k, v in row.items()}
    values.update(_expect=draft.fingerprint(row), title_en="Changed meanwhile")
    assert other.post("/c/milestones/m_dti", values, token_from="/").status_code == 302
    stale = _apply(c, page)
    assert stale.status_code == 409
    assert "Nội dung đã thay đổi từ lúc kiểm tra" in stale.get_data(as_text=True)
    assert _milestone(studio, "m_x") is None
    assert _apply(c, stale.get_data(as_text=True)).status_code == 302
    assert _milestone(studio, "m_x") is not None


def test_wrong_file_type_is_refused(signed_in):
    c = signed_in("editor")
    response = _check(c, b"MZ\x90\x00", "virus.exe")
    assert response.status_code == 302
    assert "Chỉ nhận tệp .xlsx hoặc .csv" in c.get("/import").get_data(as_text=True)


def test_exports_open_in_excel(signed_in):
    c = signed_in("editor")
    csv = c.get("/export/milestones.csv")
    assert (
        csv.data.startswith(b"\xef\xbb\xbf") and "attachment" in csv.headers["Content-Disposition"]
    )
    assert "Đứng đầu DTI" in csv.data.decode("utf-8-sig")
    xlsx = c.get("/export.xlsx")
    book = load_workbook(io.BytesIO(xlsx.data))
    assert "milestones" in book.sheetnames
