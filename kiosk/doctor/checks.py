"""``kiosk doctor``: check a deployment, one line per check with ✓/✗ and what to do.

``run_checks(config_path) -> list[Check]``; ``str(check)`` is one line, ``check.ok`` says
whether it passed (the CLI exits non-zero if any did not). Every check is a small function
over *probes* (``kiosk/doctor/probes.py``: run a command, connect a socket, look up a user,
probe the screens), so tests replace the probes, never the logic. Doctor works without a
display: the Qt part runs in a forked child (``kiosk/ui/doctor_screens.py``), so a missing X
server is a ✗ line, not a crash.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from kiosk.doctor.probes import (
    UNIT_NAMES,
    Probes,
    display_env,
    parse_xset,
    writable_by,
    x_socket,
)
from kiosk.system.config import DEFAULTS, Settings, load_settings
from kiosk.system.paths import fonts_dir

KIOSK_USER = "kiosk"
VIETNAMESE_SAMPLE = "ếữộđĐ"


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str
    fix: str = ""

    def __str__(self) -> str:
        if self.ok:
            return f"✓ {self.name}: {self.detail}"
        return (
            f"✗ {self.name}: {self.detail} — {self.fix}"
            if self.fix
            else f"✗ {self.name}: {self.detail}"
        )


def font_covers(path: Path, text: str) -> set[str]:
    """Characters of ``text`` that the TrueType/OpenType font at ``path`` has no glyph for."""
    from kiosk.doctor.fonts import cmap_codepoints

    points = cmap_codepoints(path.read_bytes())
    return {ch for ch in text if ord(ch) not in points}


# -- the checks ------------------------------------------------------------------------


def check_config(config_path: Path) -> tuple[Check, Settings]:
    if not Path(config_path).exists():
        return (
            Check(
                "config",
                False,
                f"{config_path} not found, defaults in use",
                "reinstall the package or copy packaging/kiosk.toml there",
            ),
            DEFAULTS,
        )
    settings, problems = load_settings(config_path)
    if problems:
        more = f" (+{len(problems) - 1} more)" if len(problems) > 1 else ""
        # The packaged config is root:kiosk 0640 (it holds the PIN hash).
        unreadable = not os.access(config_path, os.R_OK)
        fix = "run it as root: sudo kiosk doctor" if unreadable else f"edit {config_path}"
        return Check("config", False, f"{problems[0]}{more}", fix), settings
    return Check("config", True, f"{config_path} is valid"), settings


def check_pin(settings: Settings) -> Check:
    if settings.staff_pin_hash:
        return Check("staff exit", True, "PIN hash set (5 taps top-left, then PIN)")
    return Check(
        "staff exit",
        False,
        "no staff_pin_hash, staff cannot leave the kiosk",
        "run `kiosk pin` and paste the line into the config",
    )


def check_user(probes: Probes):
    account = probes.user(KIOSK_USER)
    if account is None:
        return Check(
            "kiosk user",
            False,
            "no 'kiosk' system user",
            "reinstall the .deb (its postinst creates it)",
        ), None
    return Check("kiosk user", True, f"'kiosk' exists (uid {account.pw_uid})"), account


def check_db(settings: Settings, account=None) -> Check:
    path = settings.content_db()
    # A WAL reader must write the -shm file, and the kiosk records visits beside the DB:
    # files left by `sudo kiosk db ...` (root-owned) would stop it.
    if account is not None and path.exists():
        blocked = [
            p.name
            for p in (path.parent, path, *(path.with_name(path.name + x) for x in ("-wal", "-shm")))
            if p.exists() and not writable_by(p, account)
        ]
        if blocked:
            return Check(
                "content DB",
                False,
                f"{', '.join(blocked)} not writable by {account.pw_name}",
                f"sudo chown {account.pw_name}: {path.parent} {path}*; update with sudo -u kiosk",
            )
    if not path.exists():
        return Check(
            "content DB",
            False,
            f"{path} does not exist",
            f"sudo -u kiosk kiosk db build --db {path}",
        )
    try:
        from kiosk.store import StoreError, load_content, validate_db
    except ImportError as error:  # a partial install: say so instead of crashing
        return Check(
            "content DB", False, f"store module unavailable ({error})", "reinstall the kiosk"
        )
    try:
        content = load_content(path)  # opens it read-only, as the kiosk does
        problems = validate_db(path)
    except StoreError as error:
        return Check(
            "content DB",
            False,
            f"{path}: {error}",
            "restore a backup with `kiosk db restore` or rebuild with `kiosk db build --force`",
        )
    errors = [p for p in problems if p.level == "error"]
    if errors:
        return Check(
            "content DB",
            False,
            f"{path}: {len(errors)} error(s), first: {errors[0]}",
            f"kiosk db validate {path}, fix, import again",
        )
    slides = len(content.playlist)
    return Check(
        "content DB",
        True,
        f"{path} opens read-only and validates ({slides} slides, {len(problems)} warning(s))",
    )


def check_last_good(settings: Settings) -> Check:
    """The validated copy the kiosk shows when the content DB is missing or bad."""
    from kiosk.store.last_good import describe, last_good_path

    path = settings.content_db()
    present, detail = describe(path)
    if present or not last_good_path(path).exists():
        return Check("last good content", True, detail)
    return Check("last good content", False, detail, f"delete {last_good_path(path)}")


def check_channel(settings: Settings) -> Check:
    """The content channel (if any) and which snapshot the kiosk shows."""
    from kiosk.fleet.doctor import channel_status

    path = settings.content_db()
    ok, detail, fix = channel_status(settings, path)
    return Check("content channel", ok, detail, fix)


def check_fonts() -> Check:
    files = sorted(fonts_dir().glob("*.ttf"))
    if not files:
        return Check(
            "fonts", False, f"no .ttf in {fonts_dir()}", "reinstall the kiosk (fonts are shipped)"
        )
    for path in files:
        try:
            missing = font_covers(path, VIETNAMESE_SAMPLE)
        except (OSError, ValueError) as error:
            return Check("fonts", False, f"{path.name} unreadable ({error})", "reinstall the kiosk")
        if missing:
            return Check(
                "fonts",
                False,
                f"{path.name} lacks {''.join(sorted(missing))}",
                "ship a font with full Vietnamese coverage",
            )
    names = ", ".join(p.name for p in files)
    return Check("fonts", True, f"{names} have Vietnamese glyphs ({VIETNAMESE_SAMPLE})")


def check_log_dir(settings: Settings, account) -> Check:
    if not settings.log_dir:
        return Check("log dir", True, 'journal only (log_dir = ""): journalctl -u kiosk')
    path = Path(settings.log_dir)
    who = account.pw_name if account else "this user"
    if not path.is_dir():
        return Check(
            "log dir",
            False,
            f"{path} does not exist",
            f"sudo install -d -o kiosk -g adm -m 2750 {path}",
        )
    if not writable_by(path, account):
        return Check("log dir", False, f"{path} not writable by {who}", f"sudo chown kiosk {path}")
    return Check("log dir", True, f"{path} writable by {who}")


def check_display(probes: Probes, env: dict) -> Check:
    if env.get("WAYLAND_DISPLAY"):
        runtime = env.get("XDG_RUNTIME_DIR", "")
        path = os.path.join(runtime, env["WAYLAND_DISPLAY"])
        if probes.connect_unix(path):
            return Check("display", True, f"Wayland {path} reachable")
        return Check(
            "display", False, f"Wayland socket {path} not reachable", "start the kiosk-cage unit"
        )
    display = env.get("DISPLAY", ":0")
    path = x_socket(display)
    if path is None:
        return Check(
            "display", False, f"DISPLAY={display} is not a local X display", "use DISPLAY=:0"
        )
    if probes.connect_unix(b"\0" + path.encode()) or probes.connect_unix(path):
        return Check("display", True, f"X display {display} reachable")
    return Check(
        "display",
        False,
        f"no X server on {display}",
        "start the X session (nodm / autologin + startx) or use kiosk-cage",
    )


def check_screen(probes: Probes, env: dict, settings: Settings) -> Check:
    screens, error = probes.screens(env)
    if not screens:
        return Check(
            "screen",
            False,
            f"cannot read the screens ({error or 'none reported'})",
            "fix the display check first",
        )
    index = settings.screen_index if settings.screen_index < len(screens) else 0
    screen = screens[index]
    width, height = screen["width"], screen["height"]
    portrait = height > width
    detail = f"screen {index} {screen['name']!r} {width}x{height}"
    if settings.screen_index >= len(screens):
        return Check(
            "screen",
            False,
            f"screen_index {settings.screen_index} but {len(screens)} screen(s); {detail} used",
            f"set screen_index below {len(screens)}",
        )
    wants_portrait = settings.screen_rotation in (90, 270)
    if portrait != wants_portrait:
        shape = "portrait" if portrait else "landscape"
        return Check(
            "screen",
            False,
            f"{detail} is {shape} but screen_rotation = {settings.screen_rotation}",
            "fix screen_rotation, then restart the X session (or wlr-randr under cage)",
        )
    return Check("screen", True, f"{detail}, rotation {settings.screen_rotation} as configured")


def check_blanking(probes: Probes, env: dict) -> Check:
    if env.get("WAYLAND_DISPLAY") and not env.get("DISPLAY"):
        return Check("screen blanking", True, "cage (Wayland) has no blanking timer")
    code, out = probes.run("xset", "q", env=env)
    if code == 127:
        return Check(
            "screen blanking",
            False,
            "xset not installed, cannot check",
            "sudo apt install x11-xserver-utils",
        )
    if code != 0:
        return Check(
            "screen blanking",
            False,
            f"xset q failed: {out.strip().splitlines()[-1] if out.strip() else code}",
            "check the display first",
        )
    saver_off, dpms_off = parse_xset(out)
    if saver_off and dpms_off:
        return Check("screen blanking", True, "screen saver and DPMS off")
    return Check(
        "screen blanking",
        False,
        f"screen saver {'off' if saver_off else 'ON'}, DPMS {'off' if dpms_off else 'ON'}",
        "use the kiosk X session (xset s off -dpms; X -s 0 -dpms)",
    )


def check_systemd(probes: Probes, user_manager: bool = False) -> Check:
    """The kiosk unit is active with a watchdog, in the system manager (or the caller's own
    user manager with ``user_manager``, as in packaging/sandbox-restart-demo.sh)."""
    scope = ("--user",) if user_manager else ()
    if not user_manager and not probes.systemd_running():
        return Check(
            "systemd",
            False,
            "systemd is not running here, nothing restarts a dead or frozen kiosk",
            "run on a systemd machine: systemctl enable --now kiosk",
        )
    code, out = probes.run(
        "systemctl",
        *scope,
        "show",
        *UNIT_NAMES,
        "-p",
        "Id",
        "-p",
        "ActiveState",
        "-p",
        "WatchdogUSec",
    )
    units, current = [], {}
    for line in out.splitlines() + [""]:
        if not line.strip():
            if current:
                units.append(current)
            current = {}
            continue
        key, _, value = line.partition("=")
        current[key] = value
    active = [u for u in units if u.get("ActiveState") == "active"]
    if code != 0 or not active:
        return Check(
            "systemd",
            False,
            "kiosk unit not active",
            "sudo systemctl enable --now kiosk (or kiosk-cage)",
        )
    unit = active[0]
    watchdog = unit.get("WatchdogUSec", "0")
    if watchdog in ("0", "infinity", ""):
        return Check(
            "systemd",
            False,
            f"{unit.get('Id')} active but no watchdog",
            "keep WatchdogSec=10 in the unit",
        )
    return Check("systemd", True, f"{unit.get('Id')} active, watchdog {watchdog}")


def run_checks(
    config_path,
    probes: Probes | None = None,
    user_manager: bool = False,
    screen_probe=None,
) -> list[Check]:
    """Every check, in the order an installer would fix them.

    ``screen_probe`` (the UI's forked Qt probe, passed in by the command line) answers the
    screen check when no ``probes`` are given.
    """
    probes = probes or Probes(screen_probe=screen_probe)
    config, settings = check_config(Path(config_path))
    user_check, account = check_user(probes)
    env = display_env(probes)
    results = [
        config,
        check_pin(settings),
        user_check,
        check_db(settings, account),
        check_last_good(settings),
        check_channel(settings),
        check_fonts(),
        check_log_dir(settings, account),
    ]
    display = check_display(probes, env)
    results.append(display)
    if display.ok:
        results += [check_screen(probes, env, settings), check_blanking(probes, env)]
    else:
        results += [
            Check("screen", False, "not checked without a display", "fix the display check first"),
            Check(
                "screen blanking",
                False,
                "not checked without a display",
                "fix the display check first",
            ),
        ]
    results.append(check_systemd(probes, user_manager))
    return results
