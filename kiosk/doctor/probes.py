"""What ``kiosk doctor`` asks the machine, and the small parsers for the answers.

``Probes`` is the only place that runs commands, opens sockets, looks up users or starts Qt;
tests replace its methods. The parsers (``parse_xset``, ``x_socket``) and ``writable_by`` are
pure and tested directly.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
from pathlib import Path

UNIT_NAMES = ("kiosk.service", "kiosk-cage.service")


class Probes:
    """Everything doctor asks the machine. Tests substitute these methods.

    ``screen_probe`` asks Qt which screens it sees; the command line passes in the UI's
    forked probe, so this module (below the UI) never imports Qt code itself.
    """

    def __init__(self, screen_probe=None) -> None:
        self._screen_probe = screen_probe

    def run(self, *command: str, env: dict | None = None) -> tuple[int, str]:
        if shutil.which(command[0]) is None:
            return 127, f"{command[0]}: not installed"
        full_env = {**os.environ, **env} if env else None
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=10, env=full_env)
        except (OSError, subprocess.TimeoutExpired) as error:
            return 1, str(error)
        return done.returncode, done.stdout + done.stderr

    def systemd_running(self) -> bool:
        return Path("/run/systemd/system").is_dir()

    def user(self, name: str):
        try:
            return pwd.getpwnam(name)
        except KeyError:
            return None

    def connect_unix(self, path: str | bytes) -> bool:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.settimeout(2)
            try:
                sock.connect(path)
            except OSError:
                return False
        return True

    def screens(self, env: dict) -> tuple[list[dict] | None, str]:
        if self._screen_probe is None:
            return None, "no screen probe given (run it as 'kiosk doctor')"
        return self._screen_probe(env)


# -- helpers ---------------------------------------------------------------------------


def writable_by(path: Path, account) -> bool:
    """Whether ``account`` (a pwd entry, or None for the current user) may write ``path``."""
    try:
        info = path.stat()
    except OSError:
        return False
    if account is None:
        return os.access(path, os.W_OK)
    if account.pw_uid == 0 or info.st_uid == account.pw_uid:
        return bool(info.st_mode & 0o200)
    groups = {g.gr_gid for g in _groups_of(account)} | {account.pw_gid}
    if info.st_gid in groups:
        return bool(info.st_mode & 0o020)
    return bool(info.st_mode & 0o002)


def _groups_of(account):
    import grp

    return [g for g in grp.getgrall() if account.pw_name in g.gr_mem]


def display_env(probes: Probes) -> dict:
    """The display the kiosk uses: ours if set, else the unit's Environment=, else :0."""
    env = {
        k: os.environ[k]
        for k in ("DISPLAY", "WAYLAND_DISPLAY", "XDG_RUNTIME_DIR", "XAUTHORITY")
        if k in os.environ
    }
    if "DISPLAY" in env or "WAYLAND_DISPLAY" in env:
        return env
    if probes.systemd_running():
        code, out = probes.run("systemctl", "show", UNIT_NAMES[0], "-p", "Environment", "--value")
        for item in out.split() if code == 0 else []:
            key, _, value = item.partition("=")
            if key in ("DISPLAY", "XAUTHORITY"):
                env[key] = value
    env.setdefault("DISPLAY", ":0")
    return env


def x_socket(display: str) -> str | None:
    """/tmp/.X11-unix/X<n> for a local display like ":0" or ":0.0"; None for a remote one."""
    host, _, rest = display.partition(":")
    if host not in ("", "unix") or not rest:
        return None
    number = rest.split(".")[0]
    return f"/tmp/.X11-unix/X{number}" if number.isdigit() else None


def parse_xset(text: str) -> tuple[bool | None, bool | None]:
    """(screen saver off, DPMS off) from ``xset q``; None where the output does not say."""
    saver_off = dpms_off = None
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if line.strip().startswith("Screen Saver:"):
            for following in lines[i + 1 : i + 3]:
                fields = following.split()
                if "timeout:" in fields[:-1]:
                    saver_off = fields[fields.index("timeout:") + 1] == "0"
        if "DPMS is Disabled" in line or "Server does not have the DPMS Extension" in line:
            dpms_off = True
        elif "DPMS is Enabled" in line:
            dpms_off = False
    return saver_off, dpms_off
