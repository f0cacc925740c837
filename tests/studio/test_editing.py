"""Editing, optimistic locking, publish/roll back, heartbeats and the command line."""

from __future__ import annotations

import datetime as dt

from click.testing import CliRunner

from kiosk.store import studio_draft as draft

NEW_MILESTONE = {
    "key": "m_2023",
    "date": "2023-06-15",
    "precision": "year",
    "title_vi": "Cột mốc năm 2023",
    "title_en": "A 2023 milestone",
    "body_vi": "Nội dung",
    "body_en": "Text",
    "category": "event",
    "source_key": "art003",
}


def _row(studio, table, key):
    return next((r for r in draft.read_all(studio.draft)[table] if r["key"] == key), None)


def _edit_values(studio, table, key, **changes):
    row = _row(studio, table, key)
    values = {k: "" if v is None else str(v) for k, v in row.items()}
    values["_expect"] = draft.fingerprint(row)
    values.update(changes)
    return values


def test_add_shows_the_store_rule_next_to_the_field_and_keeps_the_input(signed_in, studio):
    c = signed_in("editor")
    response = c.post("/c/milestones/new", NEW_MILESTONE, token_from="/c/milestones/new")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    field = page[page.index('id="field-date"') : page.index('id="field-precision"')]
    assert "needs the first day of the year" in field  # kiosk.store.validate's message
    assert 'value="Cột mốc năm 2023"' in page  # nothing typed is lost
    assert _row(studio, "milestones", "m_2023") is None
    fixed = dict(NEW_MILESTONE, date="2023-01-01")
    response = c.post("/c/milestones/new", fixed, token_from="/c/milestones/new")
    assert response.status_code == 302
    assert _row(studio, "milestones", "m_2023")["date"] == "2023-01-01"
    assert any(r["action"] == "add" for r in studio.db.audit_log())


def test_a_number_that_cannot_be_read_is_refused_not_guessed(signed_in, studio):
    c = signed_in("editor")
    for typed, words in (("1.890,5,2", "không phải là số"), ("1.890", "có thể là 1890 hoặc 1.89")):
        values = _edit_values(studio, "indicators", "procedures", value=typed)
        response = c.post("/c/indicators/procedures", values, token_from="/")
        assert response.status_code == 422
        page = response.get_data(as_text=True)
        field = page[page.index('id="field-value"') :][:1500]
        assert words in field, field
        assert _row(studio, "indicators", "procedures")["value"] == 1890


def test_second_save_of_the_same_row_is_refused_with_who_and_when(app, signed_in, studio):
    first, second = signed_in("editor"), signed_in("publisher")
    opened = _edit_values(studio, "milestones", "m_dti")
    a = dict(opened, title_en="Saved first")
    assert first.post("/c/milestones/m_dti", a, token_from="/").status_code == 302
    b = dict(opened, title_en="Typed second")
    response = second.post("/c/milestones/m_dti", b, token_from="/")
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "editor" in page and "đã sửa mục này lúc" in page
    assert "Typed second" in page  # the second person's text is still in the form
    assert "Saved first" in page  # and the newest value is shown beside it
    assert _row(studio, "milestones", "m_dti")["title_en"] == "Saved first"
    # Saving again from the refused form (which now carries the newest fingerprint) works.
    expect = page.split('name="_expect" value="')[1].split('"')[0]
    again = dict(b, _expect=expect)
    assert second.post("/c/milestones/m_dti", again, token_from="/").status_code == 302
    assert _row(studio, "milestones", "m_dti")["title_en"] == "Typed second"


def test_deleting_a_source_still_in_use_is_refused(signed_in, studio):
    c = signed_in("editor")
    response = c.post("/c/sources/art003/delete", {}, token_from="/")
    assert response.status_code == 302
    page = c.get(response.headers["Location"]).get_data(as_text=True)
    assert "Không xóa được art003" in page
    assert _row(studio, "sources", "art003") is not None


def test_playlist_order_buttons_and_drag_order(signed_in, studio):
    c = signed_in("editor")

    def order():
        rows = draft.read_all(studio.draft)["playlist"]
        return [r["key"] for r in sorted(rows, key=lambda r: (r["position"], r["key"]))]

    start = order()
    c.post(f"/c/playlist/{start[1]}/move", {"direction": "up"}, token_from="/")
    assert order()[:2] == [start[1], start[0]]
    wanted = list(reversed(start))
    c.http.post("/c/playlist/order", data={"key": wanted, "csrf_token": c.csrf("/c/playlist")})
    assert order() == wanted
    bad = c.http.post("/c/playlist/order", data={"key": wanted[:2], "csrf_token": c.csrf("/")})
    assert bad.status_code == 400 and order() == wanted


def test_publish_is_refused_while_errors_exist_then_works_and_rolls_back(signed_in, studio):
    c = signed_in("publisher")
    from kiosk.store.transaction import write_transaction

    with write_transaction(studio.draft) as conn:  # an error made outside the studio
        conn.execute("UPDATE indicators SET value = -5 WHERE key = 'procedures'")
    page = c.get("/publish").get_data(as_text=True)
    assert "Chưa xuất bản" in page and 'id="publish"' not in page
    refused = c.post("/publish", {"note": "try"}, token_from="/")
    assert refused.status_code == 302
    assert not (studio.channel / "manifest.json").exists()
    values = _edit_values(studio, "indicators", "procedures", value="1890")
    assert c.post("/c/indicators/procedures", values, token_from="/").status_code == 302
    assert c.post("/publish", {"note": ""}, token_from="/").status_code == 302
    assert not (studio.channel / "manifest.json").exists()  # a note is asked for
    assert c.post("/publish", {"note": "first"}, token_from="/").status_code == 302
    values = _edit_values(studio, "milestones", "m_dti", title_en="Second version")
    c.post("/c/milestones/m_dti", values, token_from="/")
    assert "Second version" in c.get("/changes").get_data(as_text=True)
    c.post("/publish", {"note": "second"}, token_from="/")
    assert c.get("/changes").get_data(as_text=True).count('class="card change') == 0
    c.post("/history/1/rollback", {}, token_from="/")
    from kiosk.fleet import channel

    items = channel.history(studio.channel)
    assert [m.serial for m in items] == [3, 2, 1]
    assert items[0].sha256 == items[2].sha256 and items[0].publisher == "publisher"
    dash = c.get("/").get_data(as_text=True)
    assert 'id="serial">3<' in dash


def test_heartbeat_needs_its_token_and_colours_the_fleet(app, signed_in, studio):
    from kiosk.store import studio_users
    from kiosk.studio.cli import studio as studio_cli

    result = CliRunner().invoke(studio_cli, ["addkiosk", "lobby-1", "--data", str(studio.data_dir)])
    assert result.exit_code == 0, result.output
    token = result.output.strip()
    assert token not in (studio.data_dir / "studio.db").read_bytes().decode("latin-1")
    http = app.test_client()
    now = dt.datetime.now(dt.UTC).isoformat()
    beat = {
        "name": "x",
        "version": "1.2",
        "serial": 4,
        "sha256": "ab",
        "last_frame": now,
        "last_error": "",
        "uptime_s": 5,
        "sent_at": now,
    }
    assert http.post("/api/heartbeat", json=beat).status_code == 401
    bad = {"Authorization": "Bearer nope"}
    assert http.post("/api/heartbeat", json=beat, headers=bad).status_code == 401
    good = {"Authorization": f"Bearer {token}"}
    assert http.post("/api/heartbeat", json=beat, headers=good).status_code == 204
    from kiosk.studio.dashboard import fleet_status

    assert [(k.name, k.state) for k in fleet_status(studio.db)] == [("lobby-1", "ok")]
    later = studio_users.now_utc() + dt.timedelta(minutes=6)
    assert fleet_status(studio.db, later)[0].state == "silent"
    stale = dict(beat, last_frame=(dt.datetime.now(dt.UTC) - dt.timedelta(minutes=2)).isoformat())
    http.post("/api/heartbeat", json=stale, headers=good)
    assert fleet_status(studio.db)[0].state == "stuck"
    page = signed_in("editor").get("/").get_data(as_text=True)
    assert "lobby-1" in page and "state-stuck" in page


def test_adduser_from_a_file_and_refuses_a_duplicate(tmp_path):
    from kiosk.store.studio_users import StudioDB
    from kiosk.studio.cli import studio as studio_cli

    pw = tmp_path / "pw"
    pw.write_text("a long password\n")
    args = ["adduser", "lan", "--role", "publisher", "--data", str(tmp_path), "--password-file"]
    assert CliRunner().invoke(studio_cli, [*args, str(pw)]).exit_code == 0
    again = CliRunner().invoke(studio_cli, [*args, str(pw)])
    assert again.exit_code != 0 and "already exists" in again.output
    assert StudioDB(tmp_path / "studio.db").user("lan").role == "publisher"
    asked = CliRunner().invoke(
        studio_cli,
        ["adduser", "mai", "--role", "editor", "--data", str(tmp_path)],
        input="another password\nanother password\n",
    )
    assert asked.exit_code == 0, asked.output


def test_language_switch_keeps_the_page(signed_in):
    c = signed_in("editor")
    assert "Cột mốc" in c.get("/c/milestones").get_data(as_text=True)
    response = c.get("/lang/en?next=/c/milestones")
    assert response.headers["Location"] == "/c/milestones"
    assert "Milestones" in c.get("/c/milestones").get_data(as_text=True)
    assert c.get("/lang/vi?next=//evil.example").headers["Location"] == "/"


def test_cached_and_partial_checks_equal_a_full_check(signed_in, studio):
    """Saves re-check only the rows they touch; the result must equal checking everything."""
    from kiosk.store.validate import check_rows

    c = signed_in("editor")
    for key, title in (("m_dti", "<b>warned</b>"), ("m_resolution", "Plain")):
        values = _edit_values(studio, "milestones", key, title_en=title)
        assert c.post(f"/c/milestones/{key}", values, token_from="/").status_code == 302
    c.post("/c/milestones/new", dict(NEW_MILESTONE, date="2023-01-01"), token_from="/")
    c.post("/c/statements/s_mandate/delete", {}, token_from="/")
    full = check_rows(draft.read_all(studio.draft), studio.draft.resolve().parent)
    assert sorted(map(str, draft.validate_draft(studio.draft))) == sorted(map(str, full))
    assert any(p.key == "m_dti" and p.level == "warning" for p in full)


def test_milestone_images_travel_inside_the_published_snapshot(signed_in, studio):
    import io

    from PIL import Image

    from kiosk.fleet import channel
    from kiosk.store.reader import read_image
    from kiosk.store.writer import validate_db

    c = signed_in("publisher")
    out = io.BytesIO()
    Image.new("RGB", (320, 200), (10, 120, 60)).save(out, "PNG")
    values = _edit_values(studio, "milestones", "m_dti")
    values["image_upload"] = (io.BytesIO(out.getvalue()), "a.png")
    c.post("/c/milestones/m_dti", values, token_from="/", content_type="multipart/form-data")
    image = _row(studio, "milestones", "m_dti")["image"]
    assert image.startswith("db:")
    # A refused upload's image stays until the next publish prunes it.
    values = _edit_values(studio, "milestones", "m_resolution", date="2020-06-15")
    values["image_upload"] = (io.BytesIO(out.getvalue() + b"x"), "b.png")
    c.post("/c/milestones/m_resolution", values, token_from="/", content_type="multipart/form-data")
    assert c.post("/publish", {"note": "with image"}, token_from="/").status_code == 302
    snapshot = studio.channel / "snapshots" / f"{channel.current(studio.channel).sha256}.db"
    assert read_image(snapshot, image) == read_image(studio.draft, image)
    assert not [p for p in validate_db(snapshot) if p.level == "error"]
    # An image name that is not in the DB is a validation error, as a missing file is.
    from kiosk.store.transaction import write_transaction

    with write_transaction(studio.draft) as conn:
        conn.execute("UPDATE milestones SET image = 'db:gone.jpg' WHERE key = 'm_dti'")
    assert any(p.field == "image" and p.level == "error" for p in validate_db(studio.draft))


def test_search_ignores_vietnamese_case_and_lists_page_by_page(signed_in, studio):
    c = signed_in("editor")
    page = c.get("/c/milestones?q=" + "đứng đầu dti").get_data(as_text=True)
    assert "m_dti" in page and "m_resolution" not in page
    rows, total = draft.read_page(studio.draft, "milestones", page=2, size=2)
    everything = sorted(r["key"] for r in draft.read_all(studio.draft)["milestones"])
    assert total == len(everything) and [r["key"] for r in rows] == everything[2:4]


def test_milestone_categories_offered_are_the_content_dbs_categories(signed_in, studio):
    refused, _ = draft.save_row(
        studio.draft,
        "categories",
        {"key": "festival", "name_vi": "Lễ hội", "name_en": "Festival", "color": "#123456"}
        | {"position": 5},
    )
    assert refused == []
    c = signed_in("editor")
    page = c.get("/c/milestones/new").get_data(as_text=True)
    field = page[page.index('id="field-category"') : page.index('id="field-source_key"')]
    offered = [r["key"] for r in draft.read_table(studio.draft, "categories")]
    for key in offered:
        assert f'value="{key}"' in field
    assert field.index('value="festival"') < field.index('value="policy"')  # the table's order
    assert "Lễ hội" in field
    assert field.count("<option") == len(offered) + 1  # and the blank of a new milestone
