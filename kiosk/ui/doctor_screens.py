"""The Qt half of ``kiosk doctor``: ask Qt which screens it sees, in a forked child.

Qt aborts the whole process when it cannot reach a display, so the probe runs in a child
made with ``os.fork`` (works the same in the PyInstaller build, where ``python -m`` does
not exist) and reports back over a pipe as JSON. A crash or hang of the child is a ✗ line
in the doctor's output, never a crash of the doctor.
"""

from __future__ import annotations

import json
import os
import select
import signal
import time


def _child(env: dict, out_fd: int) -> None:
    os.environ.update(env)
    if env.get("WAYLAND_DISPLAY") and not env.get("DISPLAY"):
        os.environ["QT_QPA_PLATFORM"] = "wayland"
    elif env.get("DISPLAY"):
        os.environ["QT_QPA_PLATFORM"] = "xcb"
    # Qt's "could not connect to display" chatter would break doctor's one-line-per-check.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication(["kiosk-doctor"])
    screens = []
    for screen in app.screens():
        geometry = screen.geometry()
        size = screen.physicalSize()
        screens.append(
            {
                "name": screen.name(),
                "width": geometry.width(),
                "height": geometry.height(),
                "x": geometry.x(),
                "y": geometry.y(),
                "mm": [round(size.width()), round(size.height())],
                "platform": app.platformName(),
            }
        )
    os.write(out_fd, json.dumps({"screens": screens}).encode())


def probe_screens_forked(env: dict, timeout_s: float = 20.0) -> tuple[list[dict] | None, str]:
    """(screens, "") or (None, why not). Each screen: name, width, height, x, y, mm, platform."""
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the child
        os.close(read_fd)
        try:
            _child(env, write_fd)
        except BaseException as error:  # report anything, then leave without cleanup
            os.write(write_fd, json.dumps({"error": str(error)}).encode())
        finally:
            os._exit(0)
    os.close(write_fd)
    chunks, deadline = [], time.monotonic() + timeout_s
    try:
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                return None, f"Qt did not answer within {timeout_s:.0f} s"
            ready, _, _ = select.select([read_fd], [], [], remaining)
            if ready:
                chunk = os.read(read_fd, 65536)
                if not chunk:
                    break
                chunks.append(chunk)
    finally:
        os.close(read_fd)
    _, status = os.waitpid(pid, 0)
    if os.WIFSIGNALED(status):
        return None, f"Qt could not open the display (killed by signal {os.WTERMSIG(status)})"
    try:
        answer = json.loads(b"".join(chunks) or b"{}")
    except ValueError:
        return None, "Qt's answer was unreadable"
    if "error" in answer:
        return None, answer["error"]
    return answer.get("screens") or None, "" if answer.get("screens") else "no screen reported"
