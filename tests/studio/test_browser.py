"""The staff story in a real browser: Debian's chromium through Selenium, headless.

The studio runs under waitress on 127.0.0.1 and a free port in a thread this test stops.
Every page visited is saved as a PNG under the test's tmp folder (and copied to
$STUDIO_SHOTS when set, for people to look at).
"""

from __future__ import annotations

import io
import os
import shutil
import socket
import threading
from pathlib import Path

import pytest
from PIL import Image

CHROMEDRIVER = Path("/usr/bin/chromedriver")
CHROMIUM = Path("/usr/bin/chromium")
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not CHROMEDRIVER.exists(),
        reason="needs Debian's chromium-driver (/usr/bin/chromedriver): "
        "apt-get install chromium chromium-driver, or `bash packaging/system-deps.sh web`",
    ),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(app):
    from waitress import create_server

    port = _free_port()
    srv = create_server(app, host="127.0.0.1", port=port, threads=4)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}"
    srv.close()
    thread.join(timeout=10)


@pytest.fixture
def browser():
    os.environ["SE_OFFLINE"] = "true"  # Selenium Manager must not try the network
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1400,1000",
        "--lang=vi",
    ):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    # A click that loads a page returns before the new page is parsed: looking up an element
    # waits for it (up to 10 s) instead of failing at once on the half-loaded page.
    driver.implicitly_wait(10)
    yield driver
    driver.quit()


class Story:
    """Helpers for the story: find, fill, wait, and a screenshot of every page."""

    def __init__(self, driver, base: str, shots: Path) -> None:
        from selenium.webdriver.support.ui import WebDriverWait

        self.d, self.base, self.shots = driver, base, shots
        self.wait = WebDriverWait(driver, 120)
        self.count = 0
        shots.mkdir(parents=True, exist_ok=True)

    def go(self, path: str) -> None:
        self.d.get(self.base + path)

    def css(self, selector: str):
        from selenium.webdriver.common.by import By

        return self.d.find_element(By.CSS_SELECTOR, selector)

    def fill(self, name: str, value: str) -> None:
        field = self.css(f'[name="{name}"]')
        if field.tag_name == "select":
            from selenium.webdriver.support.ui import Select

            Select(field).select_by_value(value)
        elif field.get_attribute("type") == "date":
            self.d.execute_script("arguments[0].value = arguments[1]", field, value)
        else:
            field.clear()
            field.send_keys(value)

    def value_of(self, selector: str) -> str | None:
        """The element's value, or None while htmx is swapping it (a stale element)."""
        from selenium.common.exceptions import (
            NoSuchElementException,
            StaleElementReferenceException,
        )

        try:
            return self.css(selector).get_attribute("value")
        except (NoSuchElementException, StaleElementReferenceException):
            return None

    def text(self) -> str:
        return self.css("body").text

    def shot(self, name: str) -> Path:
        self.count += 1
        height = self.d.execute_script("return document.documentElement.scrollHeight")
        self.d.set_window_size(1400, max(700, min(int(height) + 140, 5000)))
        path = self.shots / f"{self.count:02d}-{name}.png"
        self.d.save_screenshot(str(path))
        self.d.set_window_size(1400, 1000)
        return path


def _photo(path: Path) -> Path:
    out = io.BytesIO()
    image = Image.new("RGB", (1200, 800), (20, 90, 170))
    for x in range(0, 1200, 40):
        image.paste((240, 200, 40), (x, 0, x + 20, 800))
    image.save(out, "JPEG")
    path.write_bytes(out.getvalue())
    return path


def test_staff_story_in_a_real_browser(server, browser, app, studio, tmp_path, password):
    from selenium.webdriver.support import expected_conditions as ec

    s = Story(browser, server, tmp_path / "shots")
    try:
        _story(s, ec, studio, tmp_path, password)
    finally:
        target = os.environ.get("STUDIO_SHOTS")
        if target:
            shutil.rmtree(target, ignore_errors=True)
            shutil.copytree(s.shots, target)


def _story(s: Story, ec, studio, tmp_path: Path, password: str) -> None:
    from selenium.webdriver.common.by import By

    # Sign in (Vietnamese by default).
    s.go("/")
    assert "Đăng nhập" in s.text()
    s.shot("sign-in")
    s.fill("name", "admin")
    s.fill("password", password)
    s.css("#signin").click()
    s.wait.until(ec.presence_of_element_located((By.ID, "error-count")))
    assert "Tổng quan" in s.text()
    s.shot("dashboard")

    # Add a 2023 milestone with an image; the date does not fit the precision.
    s.go("/c/milestones")
    s.shot("milestones-list")
    s.css("#add").click()
    for name, value in {
        "key": "m_2023_story",
        "date": "2023-06-15",
        "precision": "year",
        "title_vi": "Đà Nẵng ra mắt nền tảng mới",
        "title_en": "Da Nang launches a new platform",
        "body_vi": "Một cột mốc năm 2023.",
        "body_en": "A milestone in 2023.",
        "category": "event",
        "source_key": "art003",
    }.items():
        s.fill(name, value)
    s.css("#f-image-upload").send_keys(str(_photo(tmp_path / "photo.jpg")))
    s.shot("milestone-new")
    s.css("#save").click()
    s.wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, ".field.has-error")))
    error = s.css("#field-date").text
    assert "first day of the year" in error, error
    assert s.css(".thumb img").get_attribute("naturalWidth") != "0"  # the image is kept
    s.shot("milestone-validation-error")
    s.fill("date", "2023-01-01")
    s.css("#save").click()
    # Not url_contains("/c/milestones"): the form's own address already contains it, so
    # that wait could end before the saved list has loaded.
    s.wait.until(ec.text_to_be_present_in_element((By.TAG_NAME, "body"), "Đã lưu m_2023_story"))
    assert "/c/milestones" in s.d.current_url
    s.shot("milestone-saved")
    s.go("/c/milestones/m_2023_story")
    assert s.css(".thumb img").get_attribute("naturalWidth") not in ("0", None)
    s.shot("milestone-edit-with-image")

    # Every other list, the playlist with its order buttons, and one English page.
    for kind in ("indicators", "achievements", "projects", "quotes", "statements", "sources"):
        s.go(f"/c/{kind}")
        s.shot(f"list-{kind}")
    s.go("/c/playlist")
    first = s.d.find_elements(By.CSS_SELECTOR, "#rows tbody tr")[0].get_attribute("data-key")
    s.d.find_elements(By.CSS_SELECTOR, 'button[value="down"]')[0].click()
    s.wait.until(ec.presence_of_element_located((By.ID, "rows")))
    second = s.d.find_elements(By.CSS_SELECTOR, "#rows tbody tr")[1].get_attribute("data-key")
    assert second == first
    s.shot("playlist")
    # What a slide shows is picked by name, in order; a new kind of slide offers its own rows
    # (htmx swaps the drop-downs in; rows the new kind cannot show are left out).
    s.go("/c/playlist/kpi_services")
    assert s.css("#f-ref").get_attribute("value") == "procedures"
    s.shot("playlist-edit")
    s.fill("kind", "rings")
    s.wait.until(lambda d: s.value_of("#f-ref") == "online_filings")
    s.shot("playlist-edit-kind-changed")
    s.go("/c/indicators/procedures")
    s.shot("indicator-edit")
    s.css("a.lang").click()
    assert "Indicator name" in s.text()
    s.shot("indicator-edit-english")
    s.css("a.lang").click()

    # Import an Excel-written CSV and an .xlsx: dry run first, then apply.
    _import_story(s, ec, tmp_path)

    # Changes, then preview of every slide (rendered by the kiosk in the background).
    s.go("/changes")
    assert "m_2023_story" in s.text()
    s.shot("changes")
    s.go("/preview")
    s.wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, ".slides.done")))
    slides = s.d.find_elements(By.CSS_SELECTOR, "figure.slide img")
    assert slides and all(img.get_attribute("naturalWidth") == "1920" for img in slides)
    s.shot("preview")
    s.css("#preview-explore").click()
    s.css("#preview-go").click()
    s.wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, ".slides.done")))
    names = [i.get_attribute("alt") for i in s.d.find_elements(By.CSS_SELECTOR, "figure img")]
    assert any("explore-" in n and "m_2023_story" in n for n in names), names
    s.shot("preview-explore")

    # Publish with a note, then roll back to it after a second publish.
    s.go("/publish")
    s.shot("publish")
    s.fill("note", "Thêm cột mốc 2023")
    s.css("#publish").click()
    s.wait.until(ec.text_to_be_present_in_element((By.TAG_NAME, "body"), "phiên bản số 1"))
    assert "Đã xuất bản phiên bản số 1" in s.text()
    s.go("/c/milestones/m_2023_story")
    s.fill("title_en", "Da Nang launches a new platform (2)")
    s.css("#save").click()
    # The save must have landed before the next page is asked for, or it is cut off.
    s.wait.until(ec.text_to_be_present_in_element((By.TAG_NAME, "body"), "Đã lưu m_2023_story"))
    s.go("/publish")
    s.fill("note", "Sửa tiêu đề")
    s.css("#publish").click()
    s.wait.until(ec.presence_of_element_located((By.ID, "history")))
    s.css('tr[data-serial="1"] button.rollback').click()
    s.d.switch_to.alert.accept()
    s.wait.until(ec.text_to_be_present_in_element((By.TAG_NAME, "body"), "số mới 3"))
    s.shot("history-after-rollback")
    _heartbeats(s.base, studio)
    s.go("/")
    assert s.css("#serial").text == "3"
    assert "state-ok" in s.css("#fleet").get_attribute("innerHTML")
    assert "state-stuck" in s.css("#fleet").get_attribute("innerHTML")
    s.shot("dashboard-after-publish")
    s.go("/audit")
    assert "rollback" in s.text()
    s.shot("audit")
    s.go("/users")
    s.shot("users")


def _import_story(s: Story, ec, tmp_path: Path) -> None:
    from openpyxl import Workbook
    from selenium.webdriver.common.by import By

    header = "key;date;precision;title_vi;title_en;body_vi;body_en;category;source_key;image"
    row = "m_csv_2023;2023-01-01;year;Mốc từ Excel;From Excel;Nội dung;Text;event;art003;"
    csv_file = tmp_path / "milestones.csv"
    csv_file.write_bytes(("\ufeff" + header + "\r\n" + row + "\r\n").encode("utf-8"))
    book = Workbook()
    sheet = book.active
    sheet.title = "quotes"
    sheet.append(["key", "speaker", "role_vi", "role_en", "text_vi", "text_en", "source_key"])
    sheet.append(["q_xlsx", "Nguyễn Văn A", "Cán bộ", "Officer", "Lời nói", "Words", "art003"])
    xlsx_file = tmp_path / "quotes.xlsx"
    book.save(xlsx_file)
    for name, path, key in (("csv", csv_file, "m_csv_2023"), ("xlsx", xlsx_file, "q_xlsx")):
        s.go("/import")
        s.css("#sheet-file").send_keys(str(path))
        if name == "csv":
            s.shot("import")
        s.css("#check").click()
        s.wait.until(ec.presence_of_element_located((By.ID, "plan")))
        assert key in s.css("#plan").text
        s.shot(f"import-dry-run-{name}")
        s.css("#apply").click()
        s.wait.until(ec.url_contains("/changes"))
        assert "Đã nhập" in s.text() and key in s.text()


def _heartbeats(base: str, studio) -> None:
    """Two kiosks report: one painting, one whose last frame is 5 minutes old."""
    import datetime as dt
    import json
    import urllib.request

    from kiosk.studio.passwords import new_token, token_hash

    now = dt.datetime.now(dt.UTC)
    for name, frame_age in (("sanh-tang-1", 5), ("sanh-tang-2", 300)):
        token = new_token()
        studio.db.set_kiosk_token(name, token_hash(token))
        body = {
            "name": name,
            "version": "1.4.0",
            "serial": 3,
            "sha256": "0" * 64,
            "last_frame": (now - dt.timedelta(seconds=frame_age)).isoformat(),
            "last_error": "" if frame_age < 60 else "no frame painted for 5 min",
            "uptime_s": 3600,
            "sent_at": now.isoformat(),
        }
        request = urllib.request.Request(
            f"{base}/api/heartbeat",
            data=json.dumps(body).encode(),
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.status == 204
