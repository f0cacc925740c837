"""Checks of the built packages (run by .ci/run after `make package`).

Run only when $KIOSK_PACKAGE_DIR names the folder holding the freshly built .deb (.ci/run
sets it after `make package`), so a developer's stale dist/ never fails `make test`. The
bundle is taken from the .deb itself (dpkg-deb -x): what is tested is what a lobby PC installs.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import tomllib
from pathlib import Path

import pytest
from doctor_lines import CHECK_NAMES

from kiosk.system.config import parse_settings

ROOT = Path(__file__).resolve().parents[2]
PACKAGE_DIR = os.environ.get("KIOSK_PACKAGE_DIR", "")
DEBS = sorted(Path(PACKAGE_DIR).glob("kiosk_*.deb")) if PACKAGE_DIR else []
pytestmark = pytest.mark.skipif(
    not DEBS, reason="set KIOSK_PACKAGE_DIR=dist after `make package` (as .ci/run does)"
)
REQUIRED_DEPENDS = [
    "libxcb-cursor0",
    "libxkbcommon-x11-0",
    "libegl1",
    "fontconfig",
    "libwayland-cursor0",  # Qt's wayland plugin (cage) cannot load without it
]


@pytest.fixture(scope="module")
def deb() -> Path:
    return DEBS[-1]


@pytest.fixture(scope="module")
def listing(deb) -> dict[str, tuple[str, str, str]]:
    """path -> (mode, owner, link target) from `dpkg-deb -c`."""
    out = subprocess.run(["dpkg-deb", "-c", str(deb)], capture_output=True, text=True, check=True)
    entries = {}
    for line in out.stdout.splitlines():
        parts = line.split(None, 5)
        mode, owner, name = parts[0], parts[1], parts[5]
        target = ""
        if " -> " in name:
            name, target = name.split(" -> ", 1)
        entries[name.removeprefix(".").rstrip("/") or "/"] = (mode, owner, target)
    return entries


@pytest.fixture(scope="module")
def extracted(deb, tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("deb") / "root"
    subprocess.run(["dpkg-deb", "-x", str(deb), str(root)], check=True)
    return root


def field(deb, name: str) -> str:
    done = subprocess.run(["dpkg-deb", "-f", str(deb), name], capture_output=True, text=True)
    return done.stdout.strip()


def test_control_fields(deb):
    assert field(deb, "Package") == "kiosk"
    assert re.fullmatch(r"\d+\.\d+\.\d+", field(deb, "Version"))
    depends = field(deb, "Depends")
    for package in REQUIRED_DEPENDS:
        assert re.search(rf"\b{re.escape(package)}\b", depends), f"Depends lacks {package}"
    info = subprocess.run(["dpkg-deb", "-I", str(deb)], capture_output=True, text=True).stdout
    for script in ("postinst", "prerm", "postrm", "conffiles"):
        assert script in info


def test_conffile_is_the_config(deb, tmp_path):
    subprocess.run(["dpkg-deb", "-e", str(deb), str(tmp_path / "control")], check=True)
    assert (tmp_path / "control" / "conffiles").read_text().split() == [
        "/etc/kiosk/kiosk.toml",
        "/etc/kiosk/studio.toml",
    ]
    for script in ("postinst", "prerm", "postrm"):
        assert os.access(tmp_path / "control" / script, os.X_OK)
    postinst = (tmp_path / "control" / "postinst").read_text()
    # The content DB is built only if missing: staff content is never overwritten.
    assert "if [ ! -e /var/lib/kiosk/content.db ]" in postinst
    assert "useradd --system" in postinst


def test_files_and_permissions(listing):
    expected = {
        "/opt/kiosk/kiosk": "-rwxr-xr-x",
        "/etc/kiosk/kiosk.toml": "-rw-r--r--",
        "/lib/systemd/system/kiosk.service": "-rw-r--r--",
        "/lib/systemd/system/kiosk-cage.service": "-rw-r--r--",
        "/opt/kiosk/xsession/kiosk-xsession": "-rwxr-xr-x",
        "/opt/kiosk/kiosk-cage-run": "-rwxr-xr-x",
        "/opt/kiosk/check-restart.sh": "-rwxr-xr-x",
        "/opt/kiosk/_internal/assets/fonts/NotoSans-Regular.ttf": "-rw-r--r--",
        "/opt/kiosk/_internal/assets/fonts/NotoSans-Bold.ttf": "-rw-r--r--",
        "/opt/kiosk/_internal/db/indicators.csv": "-rw-r--r--",
        "/opt/kiosk/_internal/db/playlist.csv": "-rw-r--r--",
        "/var/lib/kiosk": "drwxr-xr-x",
        "/var/log/kiosk": "drwxr-xr-x",
    }
    for path, mode in expected.items():
        assert path in listing, f"{path} missing from the .deb"
        assert listing[path][0] == mode, f"{path}: {listing[path][0]} != {mode}"
    assert listing["/usr/bin/kiosk"][2] == "/opt/kiosk/kiosk"
    for path, (mode, owner, _target) in listing.items():
        assert owner == "root/root", f"{path} owned by {owner}"
        assert mode[8] != "w" or mode[0] == "l", f"{path} is world-writable"


def test_unused_qt_parts_are_left_out(listing):
    names = "\n".join(listing)
    unwanted_parts = (
        "libQt6Qml",
        "libQt6Quick",
        "QtNetwork.abi3",
        "libQt6Network",  # nothing may be able to open a network port
        "libqtuiotouchplugin",
        "/translations/",
        "qtwebengine",
    )
    for unwanted in unwanted_parts:
        assert unwanted not in names, f"{unwanted} is bundled but never used"
    for needed in ("libqxcb.so", "libqwayland.so", "libqoffscreen.so", "libQt6Widgets.so"):
        assert needed in names, f"{needed} missing"


def test_unit_file(extracted):
    unit = (extracted / "lib/systemd/system/kiosk.service").read_text()
    for line in (
        "Type=notify",
        "NotifyAccess=all",
        "WatchdogSec=10",
        "Restart=always",
        "RestartSec=2",
        "User=kiosk",
        "Environment=DISPLAY=:0",
        "ExecStart=/opt/kiosk/kiosk run",
    ):
        assert re.search(rf"^{re.escape(line)}$", unit, re.MULTILINE), f"unit lacks {line}"
    assert unit == (ROOT / "packaging/systemd/kiosk.service").read_text()


def test_shipped_config_parses(extracted):
    data = tomllib.loads((extracted / "etc/kiosk/kiosk.toml").read_text(encoding="utf-8"))
    settings, problems = parse_settings(data)
    assert problems == []
    assert settings.db_path == "/var/lib/kiosk/content.db"


def run_bundle(extracted, *args, env=None, timeout=120):
    binary = extracted / "opt/kiosk/kiosk"
    return subprocess.run(
        [str(binary), *args], capture_output=True, text=True, timeout=timeout, env=env
    )


def test_binary_answers_version_and_help(extracted):
    done = run_bundle(extracted, "--version")
    assert done.returncode == 0 and "kiosk, version" in done.stdout
    done = run_bundle(extracted, "--help")
    assert done.returncode == 0
    for command in ("run", "render", "db", "doctor", "pin"):
        assert command in done.stdout


def test_bundle_builds_db_and_renders_a_non_blank_slide(extracted, tmp_path):
    db = tmp_path / "content.db"
    done = run_bundle(extracted, "db", "build", "--db", str(db))
    assert done.returncode == 0, done.stderr
    out = tmp_path / "png"
    done = run_bundle(extracted, "render", "--db", str(db), "--out", str(out))
    assert done.returncode == 0, done.stderr
    pngs = sorted(out.glob("*.png"))
    assert pngs, "render wrote no PNG"
    from PySide6.QtGui import QImage

    image = QImage(str(pngs[0]))
    assert not image.isNull() and (image.width(), image.height()) == (1920, 1080)
    colours = {image.pixel(x, y) for x in range(0, 1920, 37) for y in range(0, 1080, 23)}
    assert len(colours) > 8, "the rendered slide is (nearly) one colour"


def test_bundle_doctor_runs_and_reports(extracted, tmp_path):
    config = tmp_path / "kiosk.toml"
    config.write_text(f'[kiosk]\nlog_dir = "{tmp_path}"\n', encoding="utf-8")
    done = run_bundle(extracted, "doctor", "--config", str(config))
    lines = done.stdout.strip().splitlines()
    names = [line[2:].split(":")[0] for line in lines]
    assert names == CHECK_NAMES, done.stdout + done.stderr
    assert all(line[0] in "✓✗" for line in lines), done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    assert any(line.startswith("✓ fonts") for line in lines)


@pytest.mark.skipif(not os.environ.get("DISPLAY"), reason="needs a display (Xvfb)")
def test_bundle_runs_the_kiosk_and_talks_to_systemd(extracted, tmp_path):
    """The packaged app starts fullscreen, says READY=1 and sends heartbeats, then quits."""
    db = tmp_path / "content.db"
    assert run_bundle(extracted, "db", "build", "--db", str(db)).returncode == 0
    server = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    server.bind(str(tmp_path / "notify"))
    server.settimeout(60)
    env = dict(os.environ, NOTIFY_SOCKET=str(tmp_path / "notify"), WATCHDOG_USEC="1000000")
    binary = extracted / "opt/kiosk/kiosk"
    child = subprocess.Popen(
        [str(binary), "run", "--db", str(db), "--quit-after", "4"],
        env=env,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.recv(100) == b"READY=1"
        assert server.recv(100) == b"WATCHDOG=1"
        _, errors = child.communicate(timeout=60)
        assert child.returncode == 0, errors
        assert "first frame in" in errors
        assert "Traceback" not in errors
    finally:
        server.close()
        if child.poll() is None:
            child.kill()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_bundle_serves_the_studio_and_renders_its_preview(extracted, tmp_path):
    # The studio from the .deb: its templates and static files are in the bundle, a staff
    # member can sign in and edit a slide, and the preview runs the bundled `kiosk render`.
    import http.cookiejar
    import time
    import urllib.parse
    import urllib.request

    port = _free_port()
    server = subprocess.Popen(
        [str(extracted / "opt/kiosk/kiosk"), "studio", "serve", "--data", str(tmp_path / "s"),
         "--port", str(port), "--first-admin", "admin"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        password = ""
        for line in server.stdout:
            password = password or (re.findall(r"password: (\S+)", line) or [""])[0]
            if line.startswith("Studio on"):
                break
        assert password, "no first admin password printed"
        base = f"http://127.0.0.1:{port}"
        cookies = urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        jar = urllib.request.build_opener(cookies)

        def get(path: str) -> str:
            for _ in range(50):  # waitress may still be binding
                try:
                    with jar.open(base + path, timeout=10) as response:
                        return response.read().decode("utf-8", "replace")
                except ConnectionRefusedError:
                    time.sleep(0.1)
                except urllib.error.URLError as error:
                    if not isinstance(error.reason, ConnectionRefusedError):
                        raise
                    time.sleep(0.1)
            raise AssertionError(f"{path}: the studio did not answer")

        login = get("/login")
        token = re.search(r'name="csrf_token" value="([^"]+)"', login).group(1)
        form = urllib.parse.urlencode({"name": "admin", "password": password, "csrf_token": token})
        jar.open(base + "/login", data=form.encode(), timeout=10).read()
        assert "htmx" in get("/static/htmx.min.js")
        edit = get("/c/playlist/kpi_services")
        assert 'id="ref-picker"' in edit and "Thủ tục hành chính" in edit
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            status = get("/preview/status?size=1920x1080&lang=vi")
            if "/preview/slide/" in status or "msg error" in status:
                break
            time.sleep(1)
        slides = re.findall(r'src="(/preview/slide/[^"]+\.png)"', status)
        assert slides, status[-800:]
        with jar.open(base + slides[0], timeout=10) as response:
            assert response.read(8) == b"\x89PNG\r\n\x1a\n"
    finally:
        server.terminate()
        server.wait(timeout=20)
