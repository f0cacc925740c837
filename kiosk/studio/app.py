"""The studio's application factory: ``create_app(data_dir)``.

The data folder holds ``draft.db`` (a content DB every ``kiosk db`` command accepts),
``studio.db`` (users, audit log, kiosks), ``channel/`` (published snapshots, the fleet's
format), ``keys/`` (the signing key pair, made on first start), ``preview/`` (rendered
slides, by content hash) and ``secret_key`` (signs sessions).
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from flask import Flask, g, redirect, render_template, request, session, url_for
from flask.sessions import SecureCookieSessionInterface
from flask_wtf.csrf import CSRFError, CSRFProtect
from werkzeug.middleware.proxy_fix import ProxyFix

from kiosk.store.studio_draft import ensure_draft
from kiosk.store.studio_users import StudioDB
from kiosk.studio import messages
from kiosk.system.paths import seed_dir as default_seed_dir

UPLOAD_LIMIT_MB = 16  # whole request (spreadsheets); images have their own, smaller limit
IMAGE_LIMIT_MB = 5
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)

csrf = CSRFProtect()


@dataclass
class Studio:
    """The studio's paths and stores, kept on ``app.extensions['studio']``."""

    data_dir: Path
    seed_dir: Path
    db: StudioDB
    extras: dict = field(default_factory=dict)

    @property
    def draft(self) -> Path:
        return self.data_dir / "draft.db"

    @property
    def channel(self) -> Path:
        return self.data_dir / "channel"

    @property
    def keys(self) -> Path:
        return self.data_dir / "keys"

    @property
    def preview_dir(self) -> Path:
        return self.data_dir / "preview"


class _SessionInterface(SecureCookieSessionInterface):
    """Session cookies are Secure whenever the request came over TLS (or config says so)."""

    def get_cookie_secure(self, app) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"] or request.is_secure)


def _secret_key(data_dir: Path) -> str:
    path = data_dir / "secret_key"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
    return path.read_text().strip()


def create_app(
    data_dir,
    *,
    seed_dir=None,
    behind_proxy: bool = False,
    secure_cookies: bool = False,
    testing: bool = False,
) -> Flask:
    """Make the studio app for ``data_dir`` (created, with a draft from ``seed_dir``)."""
    data_dir = Path(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    seed = Path(seed_dir) if seed_dir else default_seed_dir()
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=_secret_key(data_dir),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=secure_cookies,
        SESSION_COOKIE_NAME="kiosk_studio",
        PERMANENT_SESSION_LIFETIME=8 * 3600,
        MAX_CONTENT_LENGTH=UPLOAD_LIMIT_MB * 1024 * 1024,
        WTF_CSRF_TIME_LIMIT=8 * 3600,
        TESTING=testing,
    )
    app.session_interface = _SessionInterface()
    if behind_proxy:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)
    studio = Studio(data_dir, seed, StudioDB(data_dir / "studio.db"))
    app.extensions["studio"] = studio
    ensure_draft(studio.draft, seed)
    from kiosk.studio.publish import ensure_keys

    ensure_keys(studio)
    csrf.init_app(app)

    from kiosk.studio import admin, api, auth, content, preview, publish, sheets

    for module in (auth, content, publish, preview, sheets, admin, api):
        app.register_blueprint(module.bp)
    csrf.exempt(api.bp)
    _hooks(app)
    return app


def _hooks(app: Flask) -> None:
    from kiosk.studio.auth import current_user
    from kiosk.studio.fields import KINDS
    from kiosk.studio.problems import problem_text

    @app.before_request
    def _load():
        g.lang = session.get("lang", "vi")
        g.user = current_user()

    @app.context_processor
    def _helpers():
        return {
            "t": messages.t,
            "both": messages.both,
            "pair_of": messages.pair,
            "problem_text": problem_text,
            "kinds": KINDS,
            "lang": g.get("lang"),
        }

    @app.template_filter("when")
    def _when(value) -> str:
        """An ISO time stamp as staff read it: 2026-12-02 06:10 UTC."""
        text = str(value or "").replace("T", " ").replace("Z", "").replace("+00:00", "")
        return f"{text[:16]} UTC" if text else ""

    @app.after_request
    def _headers(response):
        response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "same-origin"
        if response.mimetype == "text/html":
            response.headers["Cache-Control"] = "no-store"
        return response

    @app.errorhandler(CSRFError)
    def _csrf(_error):
        return _error_page("csrf.bad", 400)

    @app.errorhandler(413)
    def _too_big(_error):
        return _error_page("too_big", 413, mb=UPLOAD_LIMIT_MB)

    @app.errorhandler(404)
    def _not_found(_error):
        return _error_page("not_found", 404)

    @app.errorhandler(403)
    def _forbidden(_error):
        return _error_page("role.denied", 403)


def _error_page(key: str, status: int, **kw):
    if request.blueprint == "api":
        return {"error": messages.pair(key, **kw)[1]}, status
    return render_template("error.html", text=messages.pair(key, **kw)), status


def studio_of(app=None) -> Studio:
    from flask import current_app

    return (app or current_app).extensions["studio"]


def back(default: str = "content.dashboard"):
    """Redirect to a same-site ``next`` form value or the default page."""
    target = request.form.get("next") or request.args.get("next") or ""
    if target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return redirect(target)
    return redirect(url_for(default))
