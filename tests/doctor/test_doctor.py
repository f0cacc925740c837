"""`kiosk doctor`: each check's ✓ and ✗ paths, with the machine faked through its probes."""

from __future__ import annotations

import json
import os
import pwd
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from doctor_lines import CHECK_NAMES

from kiosk.cli import cli
from kiosk.doctor import checks as doctor
from kiosk.doctor.checks import Check, run_checks
from kiosk.doctor.fonts import cmap_codepoints
from kiosk.doctor.probes import Probes, parse_xset, x_socket
from kiosk.system.paths import fonts_dir, seed_dir
from kiosk.system.pin import hash_pin

XSET_GOOD = """Screen Saver:
  prefer blanking:  yes    allow exposures:  yes
  timeout:  0    cycle:  600
Colors:
  default colormap:  0x20    BlackPixel:  0x0    WhitePixel:  0xffffff
DPMS (Energy Star):
  Standby: 600    Suspend: 600    Off: 600
  DPMS is Disabled
"""
XSET_BLANKING = XSET_GOOD.replace("timeout:  0", "timeout:  600").replace("Disabled", "Enabled")
SYSTEMCTL_OK = (
    "Id=kiosk.service\nActiveState=active\nWatchdogUSec=30s\n\n"
    "Id=kiosk-cage.service\nActiveState=inactive\nWatchdogUSec=30s\n"
)


class FakeProbes(Probes):
    """A healthy lobby PC unless a test says otherwise."""

    def __init__(self, tmp_path: Path):
        self.systemd = True
        self.systemctl = (0, SYSTEMCTL_OK)
        self.xset = (0, XSET_GOOD)
        self.display_up = True
        self.screen_list = [{"name": "HDMI-1", "width": 1920, "height": 1080}]
        self.screen_error = ""
        me = pwd.getpwuid(os.getuid())
        self.account = me
        self.commands: list = []

    def run(self, *command, env=None):
        self.commands.append(command)
        if command[0] == "systemctl" and "Environment" in command:
            return 0, "DISPLAY=:0 XAUTHORITY=/var/lib/kiosk/.Xauthority\n"
        if command[0] == "systemctl":
            return self.systemctl
        if command[0] == "xset":
            return self.xset
        return 127, "not installed"

    def systemd_running(self):
        return self.systemd

    def user(self, name):
        return self.account

    def connect_unix(self, path):
        return self.display_up

    def screens(self, env):
        return (self.screen_list or None), self.screen_error


@pytest.fixture
def deployment(tmp_path, monkeypatch):
    """A config, a built content DB and a log dir in tmp; no DISPLAY in the environment."""
    from kiosk.store import build_db

    db = tmp_path / "content.db"
    build_db(db, seed_dir())
    logs = tmp_path / "logs"
    logs.mkdir()
    config = tmp_path / "kiosk.toml"
    pin = hash_pin("2580", n=4, r=1, p=1)
    config.write_text(
        f'[kiosk]\ndb_path = "{db}"\nlog_dir = "{logs}"\nstaff_pin_hash = "{pin}"\n',
        encoding="utf-8",
    )
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "XAUTHORITY"):
        monkeypatch.delenv(name, raising=False)
    return config, FakeProbes(tmp_path)


def by_name(results):
    return {r.name: r for r in results}


def test_healthy_deployment_passes_every_check(deployment):
    config, probes = deployment
    results = run_checks(config, probes)
    assert [r.name for r in results] == CHECK_NAMES
    assert all(r.ok for r in results), "\n".join(map(str, results))
    for result in results:
        assert str(result).startswith("✓ ") and "\n" not in str(result)
    # With no DISPLAY of its own, doctor looks at the display the unit uses.
    assert "X display :0 reachable" in by_name(results)["display"].detail


def test_failure_lines_say_what_to_do():
    line = str(Check("log dir", False, "/var/log/kiosk missing", "sudo install -d /var/log/kiosk"))
    assert line == "✗ log dir: /var/log/kiosk missing — sudo install -d /var/log/kiosk"


def test_missing_and_bad_config(deployment, tmp_path):
    _, probes = deployment
    missing = by_name(run_checks(tmp_path / "nope.toml", probes))["config"]
    assert not missing.ok and "not found" in missing.detail
    bad = tmp_path / "bad.toml"
    bad.write_text("[kiosk]\nscreen_rotation = 45\nlanguage = 'fr'\n", encoding="utf-8")
    check = by_name(run_checks(bad, probes))["config"]
    assert not check.ok
    assert "screen_rotation = 45" in check.detail and "(+1 more)" in check.detail


def test_no_pin_hash(deployment):
    config, probes = deployment
    text = config.read_text(encoding="utf-8").replace("staff_pin_hash", "# staff_pin_hash")
    config.write_text(text, encoding="utf-8")
    check = by_name(run_checks(config, probes))["staff exit"]
    assert not check.ok and "kiosk pin" in check.fix


def test_no_kiosk_user(deployment):
    config, probes = deployment
    probes.account = None
    assert not by_name(run_checks(config, probes))["kiosk user"].ok


def test_missing_and_corrupt_db(deployment, tmp_path):
    config, probes = deployment
    db = tmp_path / "content.db"
    db.unlink()
    check = by_name(run_checks(config, probes))["content DB"]
    assert not check.ok and "does not exist" in check.detail and "db build" in check.fix
    db.write_bytes(b"this is not a database" * 100)
    check = by_name(run_checks(config, probes))["content DB"]
    assert not check.ok and "\n" not in str(check)


def test_fonts_with_and_without_vietnamese(monkeypatch, tmp_path):
    assert doctor.check_fonts().ok
    monkeypatch.setattr(doctor, "fonts_dir", lambda: tmp_path)
    assert not doctor.check_fonts().ok  # none at all
    (tmp_path / "broken.ttf").write_bytes(b"\x00\x01\x00\x00" + b"\x00" * 20)
    check = doctor.check_fonts()
    assert not check.ok and "broken.ttf" in check.detail


def test_cmap_parser_reads_the_shipped_fonts():
    for path in fonts_dir().glob("*.ttf"):
        points = cmap_codepoints(path.read_bytes())
        assert {ord(c) for c in "ếềểễệữựộởđĐAaZz0"} <= points
        assert ord("中") not in points  # Noto Sans has no CJK: the parser does not say yes to all
    with pytest.raises(ValueError):
        cmap_codepoints(b"GIF89a" + b"\x00" * 40)


def test_log_dir_not_writable_by_the_kiosk_user(deployment, tmp_path):
    config, probes = deployment
    os.chmod(tmp_path / "logs", 0o755)
    # Another account, not the owner, not in the group: may not write a 0755 folder.
    probes.account = pwd.struct_passwd(("kiosk", "x", 4242, 4242, "", "/", "/bin/false"))
    check = by_name(run_checks(config, probes))["log dir"]
    assert not check.ok and "not writable by kiosk" in check.detail
    os.chmod(tmp_path / "logs", 0o777)
    assert by_name(run_checks(config, probes))["log dir"].ok


def test_no_display(deployment):
    config, probes = deployment
    probes.display_up = False
    results = by_name(run_checks(config, probes))
    assert not results["display"].ok and "no X server on :0" in results["display"].detail
    assert not results["screen"].ok and not results["screen blanking"].ok


def test_screen_rotation_and_index(deployment):
    config, probes = deployment
    text = config.read_text(encoding="utf-8") + "screen_rotation = 90\n"
    config.write_text(text, encoding="utf-8")
    check = by_name(run_checks(config, probes))["screen"]
    assert not check.ok and "landscape but screen_rotation = 90" in check.detail
    probes.screen_list = [{"name": "HDMI-1", "width": 1080, "height": 1920}]
    assert by_name(run_checks(config, probes))["screen"].ok
    config.write_text(text + "screen_index = 2\n", encoding="utf-8")
    check = by_name(run_checks(config, probes))["screen"]
    assert not check.ok and "screen_index 2 but 1 screen(s)" in check.detail


def test_screen_probe_failure(deployment):
    config, probes = deployment
    probes.screen_list = []
    probes.screen_error = "Qt could not open the display"
    check = by_name(run_checks(config, probes))["screen"]
    assert not check.ok and "Qt could not open the display" in check.detail


def test_blanking(deployment):
    config, probes = deployment
    probes.xset = (0, XSET_BLANKING)
    check = by_name(run_checks(config, probes))["screen blanking"]
    assert not check.ok and "screen saver ON, DPMS ON" in check.detail
    probes.xset = (127, "xset: not installed")
    check = by_name(run_checks(config, probes))["screen blanking"]
    assert not check.ok and "x11-xserver-utils" in check.fix


def test_parse_xset():
    assert parse_xset(XSET_GOOD) == (True, True)
    assert parse_xset(XSET_BLANKING) == (False, False)
    no_dpms = XSET_GOOD.replace("DPMS is Disabled", "Server does not have the DPMS Extension")
    assert parse_xset(no_dpms) == (True, True)
    assert parse_xset("garbage") == (None, None)


def test_systemd_states(deployment):
    config, probes = deployment
    probes.systemd = False
    check = by_name(run_checks(config, probes))["systemd"]
    assert not check.ok and "not running" in check.detail
    probes.systemd = True
    probes.systemctl = (0, SYSTEMCTL_OK.replace("ActiveState=active", "ActiveState=failed"))
    assert not by_name(run_checks(config, probes))["systemd"].ok
    probes.systemctl = (0, SYSTEMCTL_OK.replace("WatchdogUSec=30s", "WatchdogUSec=0", 1))
    check = by_name(run_checks(config, probes))["systemd"]
    assert not check.ok and "no watchdog" in check.detail
    cage = "Id=kiosk.service\nActiveState=inactive\nWatchdogUSec=30s\n\n" + (
        "Id=kiosk-cage.service\nActiveState=active\nWatchdogUSec=30s\n"
    )
    probes.systemctl = (0, cage)
    check = by_name(run_checks(config, probes))["systemd"]
    assert check.ok and "kiosk-cage.service" in check.detail


def test_systemd_user_manager(deployment, monkeypatch):
    """--user-manager asks `systemctl --user`, even where /run/systemd/system is absent."""
    config, probes = deployment
    probes.systemd = False
    check = by_name(run_checks(config, probes, user_manager=True))["systemd"]
    assert check.ok, check
    shows = [c for c in probes.commands if c[0] == "systemctl" and "ActiveState" in c]
    assert shows and shows[-1][1] == "--user"
    assert all("--user" not in c for c in probes.commands if c[0] != "systemctl")
    monkeypatch.setattr(doctor, "Probes", lambda **_: probes)
    result = CliRunner().invoke(cli, ["doctor", "--config", str(config), "--user-manager"])
    assert result.exit_code == 0, result.output
    result = CliRunner().invoke(cli, ["doctor", "--config", str(config)])
    assert result.exit_code == 1 and "✗ systemd" in result.output


def test_x_socket():
    assert x_socket(":0") == "/tmp/.X11-unix/X0"
    assert x_socket(":1.0") == "/tmp/.X11-unix/X1"
    assert x_socket("unix:3") == "/tmp/.X11-unix/X3"
    assert x_socket("otherhost:0") is None
    assert x_socket("") is None


def test_cli_exit_code_and_one_line_per_check(deployment, monkeypatch):
    config, probes = deployment
    monkeypatch.setattr(doctor, "Probes", lambda **_: probes)
    result = CliRunner().invoke(cli, ["doctor", "--config", str(config)])
    assert result.exit_code == 0, result.output
    assert len(result.output.strip().splitlines()) == 12
    probes.systemd = False
    result = CliRunner().invoke(cli, ["doctor", "--config", str(config)])
    assert result.exit_code == 1
    assert result.output.strip().splitlines()[-1].startswith("✗ systemd")


def probe_in_fresh_process(display: str):
    # A fresh interpreter, as `kiosk doctor` is: this test process may already run Qt.
    code = (
        "import json; from kiosk.ui.doctor_screens import probe_screens_forked; "
        f"print(json.dumps(probe_screens_forked({{'DISPLAY': {display!r}}}, timeout_s=30)))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_screen_probe_survives_an_unreachable_display():
    # The real forked Qt probe: Qt aborts on a missing display; the doctor must not.
    screens, why = probe_in_fresh_process(":987")
    assert screens is None and why


@pytest.mark.skipif(not os.environ.get("DISPLAY"), reason="needs a display (make test: Xvfb)")
def test_screen_probe_reads_a_real_display():
    screens, why = probe_in_fresh_process(os.environ["DISPLAY"])
    assert why == "" and screens and screens[0]["width"] > 0 and screens[0]["height"] > 0


def test_db_files_not_writable_by_the_kiosk_user(deployment, tmp_path):
    config, probes = deployment
    db = tmp_path / "content.db"
    shm = tmp_path / "content.db-shm"
    shm.write_bytes(b"")
    os.chmod(shm, 0o644)
    probes.account = pwd.struct_passwd(("kiosk", "x", 4242, 4242, "", "/", "/bin/false"))
    os.chmod(tmp_path, 0o777)
    os.chmod(db, 0o666)
    check = by_name(run_checks(config, probes))["content DB"]
    assert not check.ok and "content.db-shm not writable by kiosk" in check.detail
    os.chmod(shm, 0o666)
    assert by_name(run_checks(config, probes))["content DB"].ok


def test_unreadable_config_says_to_use_sudo(deployment, monkeypatch):
    config, probes = deployment
    real_access = os.access
    monkeypatch.setattr(
        doctor.os, "access", lambda p, mode: False if Path(p) == config else real_access(p, mode)
    )
    monkeypatch.setattr(
        doctor, "load_settings", lambda path: (doctor.DEFAULTS, [f"{path}: cannot be read"])
    )
    check = by_name(run_checks(config, probes))["config"]
    assert not check.ok and check.fix == "run it as root: sudo kiosk doctor"


def test_last_good_copy_is_reported(tmp_path, seed_db_path):
    import shutil

    from kiosk.doctor.checks import check_last_good
    from kiosk.store import ContentSource
    from kiosk.system.config import Settings

    db = tmp_path / "content.db"
    shutil.copy(seed_db_path, db)
    settings = Settings(db_path=str(db))
    assert "no last good copy yet" in check_last_good(settings).detail
    assert ContentSource(db).current.playlist  # the kiosk shows it: the copy is made
    check = check_last_good(settings)
    assert check.ok and "content.db.last-good" in check.detail and "slides" in check.detail
    (tmp_path / "content.db.last-good").write_bytes(b"garbage" * 100)
    assert not check_last_good(settings).ok
