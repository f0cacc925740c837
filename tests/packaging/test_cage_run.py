"""kiosk-cage-run passes the kiosk's exit code through cage, which always exits 0.

Runs the real wrapper script with a stand-in `cage` on PATH (the real one needs a seat or
a headless wlroots backend); the stand-in behaves like cage: runs the command after `--`,
ignores its status and exits 0, or fails before starting it.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

WRAPPER = Path(__file__).resolve().parents[2] / "packaging" / "systemd" / "kiosk-cage-run"
FAKE_CAGE = """#!/bin/sh
[ -n "$CAGE_FAIL" ] && exit "$CAGE_FAIL"
while [ "$1" != "--" ]; do shift; done
shift
"$@"
exit 0
"""


def run_wrapper(tmp_path, kiosk_body: str, cage_fail: str = "") -> tuple[int, bool]:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    cage = bin_dir / "cage"
    cage.write_text(FAKE_CAGE)
    cage.chmod(0o755)
    kiosk = tmp_path / "kiosk"
    kiosk.write_text(f"#!/bin/sh\n{kiosk_body}\n")
    kiosk.chmod(0o755)
    runtime = tmp_path / "run"
    runtime.mkdir(exist_ok=True)
    env = dict(
        os.environ,
        PATH=f"{bin_dir}:{os.environ['PATH']}",
        KIOSK_BIN=str(kiosk),
        RUNTIME_DIRECTORY=str(runtime),
        CAGE_FAIL=cage_fail,
    )
    done = subprocess.run(["sh", str(WRAPPER)], env=env, timeout=30)
    return done.returncode, any(runtime.iterdir())


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ('[ "$1" = run ] && exit 75', 75),  # staff exit: the unit must stay down
        ('[ "$1" = run ] && exit 0', 0),
        ("kill -9 $$", 137),  # a crash must look like one
        ("exit 1", 1),
    ],
)
def test_kiosk_exit_code_reaches_systemd(tmp_path, body, expected):
    code, leftovers = run_wrapper(tmp_path, body)
    assert code == expected
    assert not leftovers  # the status file is removed


def test_cage_failing_before_the_kiosk_is_a_failure(tmp_path):
    assert run_wrapper(tmp_path, "exit 0", cage_fail="3")[0] == 3
