"""Preview: every slide of the draft drawn by the kiosk's own renderer, in the background.

``kiosk render`` runs as a subprocess (Qt never loads in the studio) on a copy of the
draft, in one worker thread; results are cached by content hash, so an unchanged draft is
never rendered twice. The published snapshot is rendered the same way and every slide
whose pixels differ from it is marked as changed.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import queue
import re
import shutil
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

from flask import Blueprint, abort, render_template, request, send_file

from kiosk.content.model import LANGS
from kiosk.content.playlist import active_entries
from kiosk.store import backup_db, load_content
from kiosk.store import studio_draft as draft
from kiosk.store.studio_images import image_bytes
from kiosk.studio import messages
from kiosk.studio.auth import requires

bp = Blueprint("preview", __name__)

SIZES = ("1920x1080", "1080x1920", "3840x2160")
RENDER_TIMEOUT_S = 1800
EXPLORE_SCREENS = 8  # about how many explore screens besides the milestone cards

messages.STRINGS.update(
    {
        "preview.title": ("Xem trước các trang chiếu", "Preview of the slides"),
        "preview.start": ("Xem trước", "Preview"),
        "preview.size": ("Kích thước màn hình", "Screen size"),
        "preview.lang": ("Ngôn ngữ", "Language"),
        "preview.running": ("Đang vẽ {done}/{total} trang…", "Drawing {done}/{total} slides…"),
        "preview.failed": (
            "Không vẽ được bản xem trước: {why}. Hãy báo IT.",
            "The preview could not be drawn: {why}. Tell IT.",
        ),
        "preview.changed": ("Đã thay đổi", "Changed"),
        "preview.same": ("Như bản đang chiếu", "As published"),
        "preview.explore": (
            "Cả các màn hình tìm hiểu (dòng thời gian, từng cột mốc)",
            "Also the explore screens (timeline, each milestone card)",
        ),
        "preview.none": ("Không có trang nào được chiếu hôm nay.", "No slide is shown today."),
    }
)


@dataclass
class Job:
    out: Path
    total: int
    state: str = "queued"  # queued, running, done, failed
    error: str = ""

    def done_count(self) -> int:
        return len(list(self.out.glob("*.png"))) if self.out.is_dir() else 0


class PreviewWorker:
    """One background thread rendering jobs in order; jobs are keyed by their folder."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.jobs: dict[str, Job] = {}
        self.queue: queue.Queue = queue.Queue()
        self.lock = threading.Lock()
        self.thread = threading.Thread(target=self._run, name="studio-preview", daemon=True)
        self.thread.start()

    def submit(self, db_path: Path, content_hash: str, size: str, lang: str, explore=False):
        name = f"{content_hash[:24]}-{size}-{lang}" + ("-explore" if explore else "")
        with self.lock:
            job = self.jobs.get(name)
            if job and job.state != "failed":
                return job
            out = self.root / name
            content = load_content(db_path)
            total = len(active_entries(content, dt.date.today()))
            if explore:  # the explore screens, the timeline and one card per milestone
                total += len(content.milestones) + EXPLORE_SCREENS
            job = Job(out / "slides", total)
            if (out / "done").exists():
                job.state = "done"
            else:
                job.state = "queued"
                out.mkdir(parents=True, exist_ok=True)
                backup_db(db_path, _fresh(out / "content.db"))
                self.queue.put((job, out, size, lang, explore))
            self.jobs[name] = job
            return job

    def _run(self) -> None:
        while True:
            job, out, size, lang, explore = self.queue.get()
            job.state = "running"
            shutil.rmtree(job.out, ignore_errors=True)
            env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
            # The packaged kiosk is one frozen executable; a checkout runs the module.
            kiosk = (
                [sys.executable]
                if getattr(sys, "frozen", False)
                else [sys.executable, "-m", "kiosk"]
            )
            command = [*kiosk, "render", "--db", str(out / "content.db")]
            command += ["--out", str(job.out), "--size", size, "--lang", lang]
            command += ["--explore"] if explore else []
            try:
                result = subprocess.run(
                    command, env=env, capture_output=True, text=True, timeout=RENDER_TIMEOUT_S
                )
            except (OSError, subprocess.TimeoutExpired) as error:
                job.state, job.error = "failed", str(error)
                continue
            if result.returncode != 0:
                lines = (result.stderr or result.stdout).strip().splitlines()
                job.state, job.error = "failed", lines[-1] if lines else "render failed"
                continue
            (out / "done").touch()
            job.state = "done"


def _fresh(path: Path) -> Path:
    path.unlink(missing_ok=True)
    return path


def worker(studio) -> PreviewWorker:
    with _worker_lock:
        if "preview" not in studio.extras:
            studio.extras["preview"] = PreviewWorker(studio.preview_dir)
        return studio.extras["preview"]


_worker_lock = threading.Lock()


def _studio():
    from kiosk.studio.app import studio_of

    return studio_of()


def _choice(name: str, allowed: tuple[str, ...]) -> str:
    value = request.values.get(name, allowed[0])
    return value if value in allowed else allowed[0]


def _jobs(size: str, lang: str, explore: bool) -> tuple[Job, Job | None]:
    from kiosk.studio.publish import channel_api, snapshot_path

    studio = _studio()
    rows = draft.read_all(studio.draft)
    job = worker(studio).submit(studio.draft, draft.content_hash(rows), size, lang, explore)
    channel = channel_api()
    manifest = channel.current(studio.channel) if channel else None
    published = None
    if manifest is not None:
        published = worker(studio).submit(
            snapshot_path(studio, manifest.sha256), "pub" + manifest.sha256, size, lang, explore
        )
    return job, published


@bp.route("/preview")
@requires("editor")
def page():
    size, lang = _choice("size", SIZES), _choice("lang", LANGS)
    return render_template(
        "preview.html", sizes=SIZES, langs=LANGS, size=size, plang=lang, explore=_explore()
    )


def _explore() -> bool:
    return request.values.get("explore") == "1"


@bp.route("/preview/status")
@requires("editor")
def status():
    size, lang = _choice("size", SIZES), _choice("lang", LANGS)
    job, published = _jobs(size, lang, _explore())
    slides = []
    if job.state == "done" and (published is None or published.state in ("done", "failed")):
        old = {}
        if published is not None and published.state == "done":
            old = {_stem(p): p.read_bytes() for p in published.out.glob("*.png")}
        for path in sorted(job.out.glob("*.png")):
            changed = old.get(_stem(path)) != path.read_bytes()
            slides.append((path.name, changed))
    return render_template(
        "preview_status.html",
        job=job,
        slides=slides,
        size=size,
        plang=lang,
        explore=_explore(),
        job_name=job.out.parent.name,
    )


def _stem(path: Path) -> str:
    # "03-kpi_services-vi-1920x1080" / "explore-07-card_m_dti-vi-1920x1080" lose their
    # running number: adding a slide or milestone must not mark every later one changed.
    return re.sub(r"^(explore-)?\d+-", r"\1", path.stem)


@bp.route("/preview/slide/<job_name>/<filename>")
@requires("editor")
def slide(job_name: str, filename: str):
    # Only names the worker made are served: both parts must match a file it listed.
    studio = _studio()
    names = {p.name for p in studio.preview_dir.iterdir()} if studio.preview_dir.is_dir() else set()
    if job_name not in names:
        abort(404)
    files = {p.name: p for p in (studio.preview_dir / job_name / "slides").glob("*.png")}
    if filename not in files:
        abort(404)
    return send_file(files[filename], mimetype="image/png", max_age=3600)


@bp.route("/image")
@requires("editor")
def image():
    """A milestone image the studio stored (for the edit form's thumbnail)."""
    found = image_bytes(_studio().draft, request.args.get("value", ""))
    if found is None:
        abort(404)
    data, mimetype = found
    return send_file(io.BytesIO(data), mimetype=mimetype, max_age=3600)
