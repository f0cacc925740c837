"""The playlist's "what the slide shows": staff pick rows by name, in order, not codes."""

from __future__ import annotations

import re

from kiosk.store import studio_draft as draft


def _row(studio, key):
    return next(r for r in draft.read_all(studio.draft)["playlist"] if r["key"] == key)


def _edit_values(studio, key, **changes):
    row = _row(studio, key)
    values = {k: "" if v is None else str(v) for k, v in row.items()}
    values["_expect"] = draft.fingerprint(row)
    values.update(changes)
    return values


def _selects(page: str) -> list[tuple[str, list[str]]]:
    """[(selected value, [option texts])] for each name="ref" drop-down, in page order."""
    found = []
    for body in re.findall(r'<select name="ref"[^>]*>(.*?)</select>', page, re.S):
        chosen = re.search(r'<option value="([^"]*)" selected>', body)
        texts = re.findall(r"<option[^>]*>([^<]*)</option>", body)
        found.append((chosen.group(1) if chosen else "", texts))
    return found


def test_edit_page_offers_rows_by_name_in_the_slides_order(signed_in):
    page = signed_in("editor").get("/c/playlist/kpi_services").get_data(as_text=True)
    selects = _selects(page)
    chosen = [value for value, _ in selects]
    assert chosen[:3] == ["procedures", "covid_solutions", "online_filings"]
    assert chosen[3:] == ["", ""]  # room to add two more without another page
    texts = selects[0][1]
    assert texts[0] == "— Chọn —"
    assert any(text.startswith("Thủ tục hành chính") for text in texts)  # names, not codes
    assert 'name="ref" value=' not in page  # no text box for codes


def test_saving_keeps_the_order_chosen_and_drops_empty_places(signed_in, studio):
    c = signed_in("editor")
    values = _edit_values(studio, "kpi_services")
    values["ref"] = ["online_filings", "", "procedures", ""]
    response = c.post("/c/playlist/kpi_services", values, token_from="/c/playlist/kpi_services")
    assert response.status_code == 302, response.get_data(as_text=True)[:800]
    assert _row(studio, "kpi_services")["ref"] == "online_filings,procedures"


def test_a_code_the_content_lacks_is_kept_and_marked_not_dropped(signed_in, studio):
    c = signed_in("editor")
    values = _edit_values(studio, "kpi_services", ref="procedures,gone_figure")
    response = c.post("/c/playlist/kpi_services", values, token_from="/c/playlist/kpi_services")
    page = response.get_data(as_text=True)
    assert response.status_code == 422  # the store refuses the unknown code, naming it
    assert "gone_figure" in page
    chosen = [value for value, _ in _selects(page)]
    assert chosen[:2] == ["procedures", "gone_figure"]
    assert "gone_figure (không tìm thấy)" in page
    assert _row(studio, "kpi_services")["ref"].startswith("procedures,covid")


def test_changing_the_kind_offers_that_kinds_rows_and_keeps_those_that_fit(signed_in):
    c = signed_in("editor")
    url = "/ref-picker?kind=rings&ref=procedures&ref=online_filings"
    page = c.get(url).get_data(as_text=True)
    selects = _selects(page)
    # procedures counts things: a ring slide cannot show it, so it is left out.
    assert [value for value, _ in selects][:1] == ["online_filings"]
    assert "không tìm thấy" not in page
    quote = _selects(c.get("/ref-picker?kind=quote&ref=").get_data(as_text=True))
    assert len(quote) == 1 and any("Trần Phước Sơn:" in text for text in quote[0][1])
    ranking = c.get("/ref-picker?kind=ranking&ref=").get_data(as_text=True)
    assert "— Tất cả —" in ranking  # empty shows every ranking


def test_kind_select_asks_for_the_new_choices_without_inline_script(signed_in):
    page = signed_in("editor").get("/c/playlist/kpi_services").get_data(as_text=True)
    kind = re.search(r'<select id="f-kind"[^>]*>', page).group(0)
    assert 'hx-get="/ref-picker"' in kind and 'hx-target="#ref-picker"' in kind
    assert "<script>" not in page


def test_the_changes_page_names_what_a_slide_shows(signed_in):
    page = signed_in("editor").get("/changes").get_data(as_text=True)
    assert "procedures,covid_solutions,online_filings" not in page
    assert "Thủ tục hành chính trên Cổng dịch vụ công thành phố; " in page
    assert "Cả nhóm: Điện thoại di động" in page  # bars_phones shows a whole group


def test_a_bar_chart_of_several_indicators_is_not_read_as_a_group(signed_in, studio):
    # "phones" is both an indicator and a comparison group: alone it means the group, in a
    # list it means the indicator. Both pages say what the slide really shows.
    c = signed_in("editor")
    values = _edit_values(studio, "bars_phones", ref="phones,mobile_broadband")
    response = c.post("/c/playlist/bars_phones", values, token_from="/c/playlist/bars_phones")
    assert response.status_code == 302, response.get_data(as_text=True)[:800]
    page = c.get("/c/playlist/bars_phones").get_data(as_text=True)
    first = re.search(r'<select name="ref"[^>]*>.*?</select>', page, re.S).group(0)
    shown = re.findall(r'<option value="phones" selected>([^<]*)</option>', first)
    assert shown and not shown[-1].startswith("Cả nhóm") and "không tìm thấy" not in first
    changes = c.get("/changes").get_data(as_text=True)
    assert "Cả nhóm: Điện thoại di động" not in changes


def test_a_new_slide_asks_for_its_kind_before_what_it_shows(signed_in):
    c = signed_in("editor")
    page = c.get("/c/playlist/new").get_data(as_text=True)
    assert "Chọn kiểu trang ở trên trước" in page and not _selects(page)
    chosen = c.get("/ref-picker?kind=awards").get_data(as_text=True)
    assert _selects(chosen) and "— Tất cả —" in chosen
