"""CSRF, headers, cookies, escaping, sign-in throttling and uploads."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from PIL import Image

from kiosk.store import studio_draft as draft

# The kiosk's bad-markup set (tests/ui/test_slides.py) plus script and attribute injection.
BAD_MARKUP = (
    "<b>bold</b><img src=x>",
    "<script>alert(1)</script>",
    '"><svg onload=alert(1)>',
    "&lt;b&gt;",
)


def _row(studio, table, key):
    return next((r for r in draft.read_all(studio.draft)[table] if r["key"] == key), None)


def _form_values(studio, table, key, **changes):
    from kiosk.store.studio_draft import fingerprint

    row = _row(studio, table, key)
    values = {k: "" if v is None else str(v) for k, v in row.items()}
    values["_expect"] = fingerprint(row)
    values.update(changes)
    return values


def test_post_without_csrf_token_is_refused_and_changes_nothing(signed_in, studio):
    c = signed_in("editor")
    before = draft.read_all(studio.draft)
    values = _form_values(studio, "milestones", "m_dti", title_en="Changed")
    values["csrf_token"] = ""
    response = c.http.post("/c/milestones/m_dti", data=values)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "mã bảo vệ" in page and "security code" in page
    assert draft.read_all(studio.draft) == before


def test_csrf_token_from_another_session_is_refused(app, signed_in, client):
    c = signed_in("editor")
    response = c.http.post("/logout", data={"csrf_token": client.csrf()})
    assert response.status_code == 400


def test_security_headers_and_cookie_flags(app, client):
    response = client.get("/login")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    page = response.get_data(as_text=True)
    assert "<script>" not in page and " onclick=" not in page  # no inline script at all
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    over_tls = client.http.get("/login", base_url="https://studio.example")
    assert "Secure" in over_tls.headers["Set-Cookie"]


@pytest.mark.parametrize("markup", BAD_MARKUP)
def test_markup_in_a_field_is_shown_as_text(signed_in, studio, markup):
    c = signed_in("editor")
    values = _form_values(studio, "milestones", "m_dti", title_en=markup)
    response = c.post("/c/milestones/m_dti", values, token_from="/c/milestones/m_dti")
    assert response.status_code == 302
    assert _row(studio, "milestones", "m_dti")["title_en"] == markup  # stored as typed
    for url in ("/c/milestones/m_dti", "/changes", "/"):
        page = c.get(url).get_data(as_text=True)
        if not markup.startswith("&"):
            assert markup not in page
        elif url != "/":  # an entity staff typed shows as typed: escaped once more
            assert "&amp;lt;b&amp;gt;" in page
    c.get("/lang/en")
    page = c.get("/c/milestones/m_dti").get_data(as_text=True)
    assert "<script>alert" not in page and "<svg onload" not in page
    # The store warns about markup (the screen would show the tags), next to the field.
    assert "formatting tags (HTML)" in page


def test_five_failed_sign_ins_lock_the_name_for_a_minute(app, client, password, monkeypatch):
    from kiosk.store import studio_users

    for _ in range(5):
        assert client.login("editor", "wrong password").status_code == 401
    locked = client.login("editor", password)
    assert locked.status_code == 429
    assert "1 phút" in locked.get_data(as_text=True)
    assert "1 minute" in locked.get_data(as_text=True)
    later = studio_users.now_utc() + dt.timedelta(seconds=61)
    monkeypatch.setattr(studio_users, "now_utc", lambda: later)
    assert client.login("editor", password).status_code == 302


def test_wrong_password_says_so_in_both_languages(client):
    page = client.login("nobody", "x").get_data(as_text=True)
    assert "Sai tên đăng nhập hoặc mật khẩu" in page and "Wrong user name or password" in page


def test_changed_password_ends_other_sessions(app, signed_in, studio):
    from kiosk.studio.passwords import hash_password

    c = signed_in("editor")
    assert c.get("/").status_code == 200
    studio.db.set_password("editor", hash_password("another password"))
    assert c.get("/").status_code == 302


def _png(width=64, height=48) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


def _upload(c, studio, payload: bytes, filename="photo.png"):
    values = _form_values(studio, "milestones", "m_dti")
    values["image_upload"] = (io.BytesIO(payload), filename)
    return c.post(
        "/c/milestones/m_dti",
        values,
        token_from="/c/milestones/m_dti",
        content_type="multipart/form-data",
    )


def test_image_upload_is_reencoded_under_a_name_of_our_own(signed_in, studio):
    c = signed_in("editor")
    response = _upload(c, studio, _png(4000, 3000), filename="../../etc/passwd.png")
    assert response.status_code == 302, response.get_data(as_text=True)
    value = _row(studio, "milestones", "m_dti")["image"]
    assert value.startswith("db:") and "passwd" not in value and value.endswith(".jpg")
    assert not list(studio.data_dir.glob("**/*.jpg"))  # inside the content DB, no file
    from kiosk.store.reader import read_image

    with Image.open(io.BytesIO(read_image(studio.draft, value))) as image:
        assert max(image.size) <= 1600 and image.format == "JPEG"
    shown = c.get(f"/image?value={value}")
    assert shown.status_code == 200 and shown.mimetype == "image/jpeg"
    assert c.get("/image?value=../studio.db").status_code == 404
    assert c.get("/image?value=db:nothing.jpg").status_code == 404


@pytest.mark.parametrize(
    ("payload", "words"),
    [
        (b"GIF89a not really", "không phải ảnh"),
        (b"<?php echo 1; ?>", "không phải ảnh"),
    ],
)
def test_not_an_image_is_refused_next_to_the_field(signed_in, studio, payload, words):
    c = signed_in("editor")
    before = draft.read_all(studio.draft)
    response = _upload(c, studio, payload)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert words in page and 'id="field-image"' in page
    assert draft.read_all(studio.draft) == before


def test_decompression_bomb_is_refused_before_decoding(signed_in, studio):
    c = signed_in("editor")
    out = io.BytesIO()
    Image.new("1", (20000, 20000)).save(out, "PNG")  # 400 Mpx, a few dozen KB
    assert len(out.getvalue()) < 200_000
    before = draft.read_all(studio.draft)
    response = _upload(c, studio, out.getvalue())
    assert response.status_code == 422
    assert "triệu điểm ảnh" in response.get_data(as_text=True)
    assert draft.read_all(studio.draft) == before


def test_upload_over_the_limit_is_refused(signed_in, studio):
    from kiosk.studio.app import IMAGE_LIMIT_MB, UPLOAD_LIMIT_MB

    c = signed_in("editor")
    big = _upload(c, studio, b"\x89PNG" + b"0" * (IMAGE_LIMIT_MB * 1024 * 1024 + 10))
    assert big.status_code == 422 and "Tệp quá lớn" in big.get_data(as_text=True)
    huge = _upload(c, studio, b"0" * (UPLOAD_LIMIT_MB * 1024 * 1024 + 10))
    assert huge.status_code == 413 and "Tệp quá lớn" in huge.get_data(as_text=True)
