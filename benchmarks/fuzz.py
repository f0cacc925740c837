"""The content fuzz suite: hostile and damaged content DBs against every way the kiosk reads.

Each generated variant (``benchmarks/fuzz_variants.py``) goes through
1. ``kiosk db validate`` (in-process, click's CliRunner): an answer, never a traceback;
2. the running kiosk's reload path: it is copied over the live DB of an in-process kiosk
   (as ``cp`` would) and polled. Refused: the last good content stays on screen and the
   refusal is at most one log line. Accepted: every slide of it is built and explore
   mode takes it. Then the good file is copied back and must be shown again;
3. start-up: a new kiosk starts on it, once with the last good copy beside it (which must
   then be shown if the variant is refused) and once without (a holding screen).
Zero crashes and zero tracebacks (log records with one, or uncaught exceptions in Qt
slots) are allowed.

    xvfb-run -a .venv/bin/python -m benchmarks.fuzz --variants 500     (make fuzz)

Prints one line per failure and a summary line; exits 1 on any failure.
"""

from __future__ import annotations

import argparse
import logging
import random
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.fuzz_variants import variant

ROOT = Path(__file__).resolve().parents[1]


class Recorder(logging.Handler):
    """Collects every log record at WARNING or above, and every record with a traceback."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno >= logging.WARNING or record.exc_info:
            self.records.append(record)

    def take(self) -> list[logging.LogRecord]:
        taken, self.records = self.records, []
        return taken


@dataclass
class Report:
    variants: int = 0
    accepted: int = 0
    refused: int = 0
    validate_runs: int = 0
    startups: int = 0
    last_good_shown_at_start: int = 0
    failures: list[str] = field(default_factory=list)
    kinds: dict[str, int] = field(default_factory=dict)

    def fail(self, index: int, names: list[str], what: str) -> None:
        self.failures.append(f"variant {index} ({'+'.join(names)}): {what}")

    def summary(self, seconds: float) -> str:
        return (
            f"fuzz: {self.variants} variants ({self.accepted} accepted, {self.refused} refused), "
            f"{self.validate_runs} validate runs, {self.startups} start-ups "
            f"({self.last_good_shown_at_start} on the last good copy), "
            f"{len(self.failures)} failures, {seconds:.0f} s"
        )


def _tracebacks(records) -> list[str]:
    return [r.getMessage()[:200] for r in records if r.exc_info or "Traceback" in r.getMessage()]


def _store_lines(records) -> list[str]:
    return [r.getMessage() for r in records if r.name.startswith("kiosk")]


def _same(a, b) -> bool:
    import dataclasses

    return a is b or (
        a is not None
        and b is not None
        and dataclasses.replace(a, version="") == dataclasses.replace(b, version="")
    )


def check_validate(path: Path, report: Report, index: int, names: list[str]) -> bool:
    """``kiosk db validate`` on the variant: no crash, exit 0 or 1; True when it said ok."""
    from click.testing import CliRunner

    from kiosk.cli import cli

    result = CliRunner().invoke(cli, ["db", "validate", "--db", str(path)])
    report.validate_runs += 1
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        report.fail(index, names, f"validate raised {result.exception!r}")
    elif "Traceback" in result.output:
        report.fail(index, names, "validate printed a traceback")
    elif result.exit_code not in (0, 1):
        report.fail(index, names, f"validate exit code {result.exit_code}")
    return result.exit_code == 0


def exercise_screens(kiosk) -> None:
    """Build every slide of the content on screen and open every explore screen."""
    slideshow = kiosk.slideshow
    slideshow.advance()  # takes the pending content
    for index in range(len(slideshow.entries)):
        slideshow.show_index(index, fade=False)
    explore = kiosk.explore
    if explore is not None:
        explore.finish_build()
        for name in explore.screens:
            explore.show_screen(name)
        explore.go_home()


def check_reload(kiosk, good: Path, path: Path, rec: Recorder, report, index, names) -> str:
    """The variant copied over the running kiosk's DB; returns why it was refused ("")."""
    live = kiosk.source.path
    before = kiosk.source.current
    shutil.copyfile(path, live)  # as `cp variant.db content.db` while the kiosk runs
    rec.take()
    accepted = kiosk.poll_content()
    records = rec.take()
    if accepted:
        report.accepted += 1
        try:
            exercise_screens(kiosk)
        except Exception as error:  # noqa: BLE001 - reported as a failure
            report.fail(index, names, f"screens failed on accepted content: {error!r}")
        records += rec.take()
    else:
        report.refused += 1
        if not _same(kiosk.source.current, before):
            report.fail(index, names, "the content on screen changed on a refused file")
        lines = _store_lines(records)
        if len(lines) > 1:
            report.fail(index, names, f"{len(lines)} log lines for one refusal: {lines[:3]}")
    if _tracebacks(records):
        report.fail(index, names, f"traceback while reloading: {_tracebacks(records)[0]}")
    refusal = "" if accepted else kiosk.source.last_error
    # The good file copied back is shown from the next poll.
    shutil.copyfile(good, live)
    kiosk.poll_content()
    rec.take()
    if kiosk.source.last_error or not kiosk.source.current.playlist:
        report.fail(index, names, f"good file copied back not taken: {kiosk.source.last_error}")
    return refusal


def check_startup(path: Path, work: Path, good_copy: Path | None, rec, report, index, names,
                  whole_kiosk: bool = False):  # fmt: skip
    """Start on the variant (with or without a last good copy beside it). ``whole_kiosk``:
    build the whole kiosk (window, slideshow), else only decide the start-up content."""
    from kiosk.content.clock import FakeClock
    from kiosk.store import ContentSource
    from kiosk.store.last_good import last_good_path
    from kiosk.system.config import Settings
    from kiosk.ui.app import build_kiosk, initial_content

    folder = work / f"start-{index}-{'lg' if good_copy else 'none'}"
    folder.mkdir()
    db = folder / "content.db"
    shutil.copyfile(path, db)
    if good_copy is not None:
        shutil.copyfile(good_copy, last_good_path(db))
    rec.take()
    kiosk = None
    try:
        if whole_kiosk:
            settings = Settings(db_path=str(db))
            kiosk = build_kiosk(
                settings, windowed=True, size=(960, 540), clock=FakeClock(), attach_explore=False
            )
            source = kiosk.source
        else:
            source = ContentSource(db)
            initial_content(source)
    except Exception as error:  # noqa: BLE001 - reported as a failure
        report.fail(index, names, f"start-up raised {error!r}")
        return
    report.startups += 1
    records = rec.take()
    if _tracebacks(records):
        report.fail(index, names, f"traceback at start-up: {_tracebacks(records)[0]}")
    if source.from_last_good:
        report.last_good_shown_at_start += 1
    elif good_copy is not None and source.last_error:
        report.fail(index, names, "refused at start-up but the last good copy was not shown")
    lines = [line for line in _store_lines(records) if "image" not in line]
    if len(lines) > 1:
        report.fail(index, names, f"{len(lines)} log lines at start-up: {lines[:3]}")
    if kiosk is not None:
        kiosk.window.close()
        kiosk.window.deleteLater()
    shutil.rmtree(folder, ignore_errors=True)


def run(variants: int, seed: int = 1, whole_kiosk_every: int = 10) -> Report:
    from kiosk.content.clock import FakeClock
    from kiosk.store import build_db
    from kiosk.system.config import Settings
    from kiosk.ui.app import build_kiosk
    from kiosk.ui.qtapp import ensure_app

    app = ensure_app()
    rec = Recorder()
    root_logger = logging.getLogger()
    root_logger.addHandler(rec)
    root_logger.setLevel(logging.INFO)
    uncaught: list[str] = []
    old_hook = sys.excepthook
    sys.excepthook = lambda kind, value, tb: uncaught.append(f"{kind.__name__}: {value}")
    report = Report()
    work = Path(tempfile.mkdtemp(prefix="kiosk-fuzz-"))
    try:
        good = work / "good.db"
        build_db(good, ROOT / "db")
        live = work / "live" / "content.db"
        live.parent.mkdir()
        shutil.copyfile(good, live)
        kiosk = build_kiosk(
            Settings(db_path=str(live)), windowed=True, size=(960, 540), clock=FakeClock()
        )
        kiosk.window.show()
        kiosk.slideshow.start()
        kiosk.slideshow.timer.stop()
        good_copy = work / "good.last-good"
        shutil.copyfile(Path(f"{live}.last-good"), good_copy)
        rec.take()
        for index in range(variants):
            rng = random.Random(seed * 1_000_003 + index)
            path = work / "variant.db"
            names = variant(good, path, rng)
            for name in names:
                report.kinds[name] = report.kinds.get(name, 0) + 1
            report.variants += 1
            validated = check_validate(path, report, index, names)
            refusal = check_reload(kiosk, good, path, rec, report, index, names)
            if validated and refusal:
                # Staff are told the file is fine, and the screen refuses it.
                report.fail(index, names, f"validate said ok, the kiosk refused it: {refusal}")
            lg = good_copy if index % 2 == 0 else None
            whole = index % whole_kiosk_every == 0
            check_startup(path, work, lg, rec, report, index, names, whole)
            app.processEvents()
            if uncaught:
                report.fail(index, names, f"uncaught in a Qt slot: {uncaught[0]}")
                uncaught.clear()
        kiosk.visitor.close()
        kiosk.window.close()
    finally:
        sys.excepthook = old_hook
        root_logger.removeHandler(rec)
        shutil.rmtree(work, ignore_errors=True)
    return report


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--variants", type=int, default=500)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    start = time.monotonic()
    report = run(args.variants, args.seed)
    for failure in report.failures:
        print("FAIL", failure)
    kinds = ", ".join(f"{k} {v}" for k, v in sorted(report.kinds.items()))
    print(f"fuzz: mutations used: {kinds}")
    print(report.summary(time.monotonic() - start))
    return 1 if report.failures else 0


if __name__ == "__main__":
    sys.exit(main())
