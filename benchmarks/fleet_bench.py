"""The fleet on one machine: 50 ``kiosk follow`` processes and one kiosk follow a channel.

nginx serves the channel on 127.0.0.1. After every follower installed serial 1, the
benchmark publishes a few new snapshots (and one rollback) and measures:

* time to converge: from the end of a publish until every follower's installed state names
  the new serial (followers poll every ``--poll`` seconds with +-20 % jitter);
* bytes per kiosk per publish, from nginx's access log (manifest, signature and snapshot,
  headers included), and the bytes of an idle poll (a 304);
* the kiosk's GUI thread while a snapshot is installed and reloaded: the kiosk is built in
  this process (``build_kiosk``, real clock, on a private Xvfb) with its fleet worker
  thread; a 5 ms timer records every gap in the event loop (no frame can be painted during
  a gap), and the reload (``poll_content``) is timed. Measured once with the 50 followers
  installing at the same moment on the same 2 cores, and once with the kiosk alone.

Run: ``.venv/bin/python -m benchmarks.fleet_bench`` (writes benchmarks/results/fleet-*.md/json).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.external import xvfb
from benchmarks.fleet_rig import content_variant, start_nginx, stop_nginx
from benchmarks.procstat import machine_facts, summary

ROOT = Path(__file__).resolve().parents[1]
FRAME_LIMIT_MS = 50.0


def make_content(seed: Path, folder: Path, value: float) -> Path:
    return content_variant(seed, folder / f"content-{value:g}.db", value)


def installed(db: Path) -> tuple[int | None, float | None]:
    """(serial of the snapshot in place, when it was installed); (None, None) if none."""
    from kiosk.fleet.state import identity, load_state

    state = load_state(db)
    if state is None or identity(db).serial != state.manifest.serial:
        return None, None
    return state.manifest.serial, state.installed_at


class GuiProbe:
    """Event-loop gaps of this process's GUI thread and the cost of each content reload."""

    def __init__(self, kiosk, step_ms: int = 5) -> None:
        from PySide6.QtCore import QElapsedTimer, QTimer

        self.kiosk = kiosk
        self.step_ms = step_ms
        self.clock = QElapsedTimer()
        self.clock.start()
        self.last = 0.0
        self.gaps: list[tuple[float, float]] = []  # (at ms, gap ms)
        self.reloads: list[tuple[float, float]] = []  # (at ms, ms spent)
        self.timer = QTimer()
        self.timer.setInterval(step_ms)
        self.timer.timeout.connect(self._beat)
        original = kiosk.poll_content

        def timed_poll() -> bool:
            t0 = time.perf_counter()
            changed = original()
            if changed:
                self.reloads.append((self.now(), (time.perf_counter() - t0) * 1000))
            return changed

        kiosk.poll_timer.timeout.disconnect()
        kiosk.poll_timer.timeout.connect(timed_poll)
        self.timer.start()
        # When the fleet worker thread downloads, checks and installs (times in the same ms).
        self.installs: list[tuple[float, float]] = []
        from kiosk.fleet.follower import Follower

        install = Follower._install

        def timed_install(follower, *args):
            start = self.now()
            try:
                return install(follower, *args)
            finally:
                self.installs.append((start, self.now()))

        Follower._install = timed_install

    def now(self) -> float:
        return self.clock.nsecsElapsed() / 1e6

    def _beat(self) -> None:
        now = self.now()
        self.gaps.append((now, now - self.last))
        self.last = now

    def run_for(self, app, seconds: float) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            app.processEvents()
            time.sleep(0.001)

    def window(self, start_ms: float, end_ms: float) -> dict:
        """Event-loop gaps in a window; ``during_install``: those overlapping the worker's
        download-check-install or the GUI thread's reload of the new file."""
        gaps = [g for at, g in self.gaps if start_ms <= at <= end_ms]
        reloads = [ms for at, ms in self.reloads if start_ms <= at <= end_ms]
        busy = [(a, b) for a, b in self.installs if start_ms <= a <= end_ms]
        busy += [(at - ms, at) for at, ms in self.reloads if start_ms <= at <= end_ms]
        during = [
            g
            for at, g in self.gaps
            if start_ms <= at <= end_ms and any(at - g < b and at > a for a, b in busy)
        ]
        return {
            "install_ms": [round(b - a, 1) for a, b in busy[: len(busy) - len(reloads)]],
            "longest_gap_during_install_ms": round(max(during, default=0.0), 1),
            "longest_gap_ms": round(max(gaps, default=0.0), 1),
            "gaps_over_50ms": sum(g > FRAME_LIMIT_MS for g in gaps),
            "gaps_over_50ms_during_install": sum(g > FRAME_LIMIT_MS for g in during),
            "gap_p99_ms": round(sorted(gaps)[int(len(gaps) * 0.99)] if gaps else 0.0, 1),
            "reload_ms": [round(ms, 1) for ms in reloads],
        }


def start_followers(count: int, base: Path, url: str, pub: str, poll: float) -> list:
    processes, dbs = [], []
    env = dict(os.environ, PYTHONUNBUFFERED="1", KIOSK_CONFIG=str(base / "none.toml"))
    for n in range(count):
        home = base / f"f{n:02d}"
        home.mkdir(parents=True)
        db = home / "content.db"
        config = home / "kiosk.toml"
        config.write_text(
            f'[kiosk]\ndb_path = "{db}"\nchannel_url = "{url}"\n'
            f'channel_public_key = "{pub}"\npoll_seconds = {poll}\nmetrics_dir = ""\n'
        )
        log = open(home / "follow.log", "w")  # noqa: SIM115 - lives as long as the process
        processes.append(
            subprocess.Popen(
                [sys.executable, "-m", "kiosk", "follow", "--config", str(config)],
                stdout=subprocess.DEVNULL,
                stderr=log,
                env=env,
                cwd=ROOT,
            )
        )
        dbs.append(db)
    return processes, dbs


def wait_all(dbs: list[Path], serial: int, timeout_s: float, pump=None) -> float:
    start = time.monotonic()
    while time.monotonic() - start < timeout_s:
        if all(installed(db)[0] == serial for db in dbs):
            return time.monotonic() - start
        if pump:
            pump(0.05)
        else:
            time.sleep(0.05)
    missing = sum(installed(db)[0] != serial for db in dbs)
    raise RuntimeError(f"{missing} follower(s) not on serial {serial} after {timeout_s} s")


def publish_apart(pump, channel: Path, key: Path, *args: str):
    """Publish with the command line in another process (as on the studio's machine) while
    this process's event loop runs on; returns the new manifest."""
    from kiosk.fleet import channel as ch

    command = [sys.executable, "-m", "kiosk", "channel", *args[:1], "--channel", str(channel)]
    process = subprocess.Popen(
        [*command, "--key", str(key), *args[1:]], stdout=subprocess.DEVNULL, cwd=ROOT
    )
    while process.poll() is None:
        pump(0.02)
    if process.returncode:
        raise RuntimeError(f"kiosk channel {args[0]} failed ({process.returncode})")
    return ch.current(channel)


def bytes_between(requests: list, start: int, end: int, kiosks: int) -> dict:
    window = requests[start:end]
    snapshot = [r for r in window if r[1].endswith(".db")]
    return {
        "requests": len(window),
        "bytes_per_kiosk": round(sum(r[4] for r in window) / kiosks),
        "snapshot_downloads": len(snapshot),
    }


def run(args) -> dict:
    from kiosk.fleet import channel as ch
    from kiosk.store import build_db

    work = Path(tempfile.mkdtemp(prefix="fleet-bench-"))
    seed = work / "seed.db"
    build_db(seed, ROOT / "db")
    key, pub_path = ch.keygen(work / "keys")
    pub = pub_path.read_text().strip()
    channel = work / "channel"
    ch.publish(make_content(seed, work, 1), channel, key)
    server = start_nginx(channel, work / "nginx")
    results: dict = {"followers": args.followers, "poll_seconds": args.poll, "publishes": []}
    processes = []
    try:
        processes, dbs = start_followers(args.followers, work / "fleet", server.url, pub, args.poll)
        started = time.monotonic()
        wait_all(dbs, 1, 180)
        results["first_install_all_s"] = round(time.monotonic() - started, 1)

        with xvfb("1920x1080x24", reuse=False) as display:
            os.environ["DISPLAY"] = display
            os.environ["QT_QPA_PLATFORM"] = "xcb"
            kiosk, probe, launcher = start_kiosk(work, server.url, pub)
            kiosk_db = Path(kiosk.source.path)
            pump = lambda s: probe.run_for(kiosk.app, s)  # noqa: E731
            wait_all([kiosk_db], 1, 60, pump)
            pump(6.0)  # past the chart warm-up
            all_dbs = dbs + [kiosk_db]
            published = [ch.current(channel)]
            for n in range(args.publishes + 1):
                mark = len(server.requests())
                if n < args.publishes:
                    source = make_content(seed, work, 100 + n)
                    t_ms = probe.now()
                    m = publish_apart(pump, channel, key, "publish", "--db", str(source))
                else:  # back to one seen before: the followers still keep it
                    t_ms = probe.now()
                    m = publish_apart(
                        pump, channel, key, "rollback", "--to", str(published[1].serial)
                    )
                published.append(m)
                t0 = time.time()
                took = wait_all(all_dbs, m.serial, 6 * args.poll, pump)
                pump(1.5)  # the kiosk's ContentSource picks the new file up
                per = [installed(db)[1] - t0 for db in dbs]
                results["publishes"].append(
                    {
                        "serial": m.serial,
                        "rollback": n == args.publishes,
                        "snapshot_bytes": m.bytes,
                        "converge_s": round(took, 2),
                        "install_after_publish_s": summary(per),
                        **bytes_between(server.requests(), mark, None, len(all_dbs)),
                        "kiosk_gui_with_50_followers": probe.window(t_ms, probe.now()),
                    }
                )
            # Idle: every poll a 304.
            mark = len(server.requests())
            pump(2 * args.poll)
            idle = server.requests()[mark:]
            results["idle"] = {
                "polls": len(idle),
                "statuses": sorted({r[2] for r in idle}),
                "bytes_per_poll": round(sum(r[4] for r in idle) / max(1, len(idle))),
            }
            # The kiosk alone: followers stopped.
            for process in processes:
                process.terminate()
            for process in processes:
                process.wait(10)
            processes = []
            pump(1.0)
            alone, baseline = [], []
            for n in range(args.publishes):
                t_ms = probe.now()
                pump(4.0)  # the same kiosk with nothing to install, for comparison
                baseline.append(probe.window(t_ms, probe.now()))
                source = make_content(seed, work, 200 + n)
                t_ms = probe.now()
                m = publish_apart(pump, channel, key, "publish", "--db", str(source))
                wait_all([kiosk_db], m.serial, 6 * args.poll, pump)
                pump(1.5)
                alone.append(probe.window(t_ms, probe.now()))
            results["kiosk_gui_no_install"] = baseline
            results["kiosk_gui_alone"] = alone
            launcher.stop()
    finally:
        for process in processes:
            process.terminate()
        stop_nginx(server)
        shutil.rmtree(work, ignore_errors=True)
    return results


def start_kiosk(work: Path, url: str, pub: str):
    from kiosk.fleet.launch import FleetLauncher
    from kiosk.system.config import Settings
    from kiosk.ui.app import build_kiosk, start_services

    folder = work / "kiosk"
    folder.mkdir()
    db = folder / "content.db"
    shutil.copy(work / "seed.db", db)
    settings = Settings(
        db_path=str(db), channel_url=url, channel_public_key=pub, poll_seconds=1.0,
        metrics_dir="", reload_poll_s=0.5,
    )  # fmt: skip
    kiosk = build_kiosk(settings, windowed=True, size=(1920, 1080), attach_explore=False)
    kiosk.window.show()
    kiosk.slideshow.start()
    probe = GuiProbe(kiosk)
    # As after a real first frame: content polling and the chart library's warm-up.
    start_services(kiosk)
    launcher = FleetLauncher(settings, db).start()
    return kiosk, probe, launcher


def over(publishes: list, key: str, suffix: str = "_during_install") -> int:
    return sum(p[key][f"gaps_over_50ms{suffix}"] for p in publishes)


def report(results: dict, facts: dict) -> str:
    lines = [
        f"# Fleet benchmark {results['taken']}",
        "",
        f"Machine: {facts.get('cpu')}, {facts.get('cores')} cores, load at start "
        f"{results['load_at_start']}. {results['followers']} `kiosk follow` processes + one "
        f"kiosk (in-process, Xvfb 1920x1080) follow nginx on 127.0.0.1; followers poll every "
        f"{results['poll_seconds']} s (+-20 %), the kiosk every 1 s.",
        "",
        f"All {results['followers']} followers installed serial 1 in "
        f"{results['first_install_all_s']} s after starting.",
        "",
        "| serial | converge (all) s | install after publish median/p95/max s | bytes per "
        "kiosk | snapshot downloads | kiosk: install ms | reload ms | longest GUI gap during "
        "install/reload ms | longest GUI gap in the window ms |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for p in results["publishes"]:
        s = p["install_after_publish_s"]
        gui = p["kiosk_gui_with_50_followers"]
        name = f"{p['serial']}{' (rollback)' if p['rollback'] else ''}"
        lines.append(
            f"| {name} | {p['converge_s']} | {s['median']}/{s['p95']}/{s['max']} | "
            f"{p['bytes_per_kiosk']} | {p['snapshot_downloads']} | "
            f"{', '.join(map(str, gui['install_ms']))} | {', '.join(map(str, gui['reload_ms']))} "
            f"| {gui['longest_gap_during_install_ms']} | {gui['longest_gap_ms']} |"
        )
    idle = results["idle"]
    lines += [
        "",
        f"Snapshot size: {results['publishes'][0]['snapshot_bytes']} bytes. Idle: "
        f"{idle['polls']} polls in {2 * results['poll_seconds']} s, statuses "
        f"{idle['statuses']}, {idle['bytes_per_poll']} bytes per poll (headers included).",
        "",
        "The kiosk alone (followers stopped), per install: "
        + "; ".join(
            f"install {w['install_ms']} ms, reload {w['reload_ms']} ms, longest GUI gap during "
            f"them {w['longest_gap_during_install_ms']} ms (in the whole window "
            f"{w['longest_gap_ms']} ms)"
            for w in results["kiosk_gui_alone"]
        ),
        "The same kiosk in windows of 4 s with nothing installed: longest GUI gaps "
        + ", ".join(f"{w['longest_gap_ms']} ms" for w in results["kiosk_gui_no_install"]),
        "",
        f"GUI-thread gaps over {FRAME_LIMIT_MS:g} ms overlapping an install or reload: with "
        f"the followers {over(results['publishes'], 'kiosk_gui_with_50_followers')}, alone "
        f"{sum(w['gaps_over_50ms_during_install'] for w in results['kiosk_gui_alone'])}; in "
        "the whole windows (publisher process start-up and other load on this shared "
        f"machine included): {over(results['publishes'], 'kiosk_gui_with_50_followers', '')}"
        f" and {sum(w['gaps_over_50ms'] for w in results['kiosk_gui_alone'])}.",
    ]
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--followers", type=int, default=50)
    parser.add_argument("--poll", type=float, default=5.0)
    parser.add_argument("--publishes", type=int, default=3)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results")
    args = parser.parse_args(argv)
    facts = machine_facts()
    load = os.getloadavg()
    results = run(args)
    results["taken"] = dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    results["load_at_start"] = [round(x, 2) for x in load]
    results["machine"] = facts
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M")
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / f"fleet-{stamp}.json").write_text(json.dumps(results, indent=2) + "\n")
    text = report(results, facts)
    (args.out / f"fleet-{stamp}.md").write_text(text)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
