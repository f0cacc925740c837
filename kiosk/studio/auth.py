"""Sign-in, sign-out, the language switch, and the role check every view declares.

Every view is wrapped by ``requires(role)`` (or ``public``); tests walk the URL map and
fail for a view without one, so a new page cannot forget its check.
"""

from __future__ import annotations

import functools

from flask import Blueprint, abort, g, redirect, render_template, request, session, url_for

from kiosk.store.studio_users import ROLES, User
from kiosk.studio import messages
from kiosk.studio.passwords import DUMMY_HASH, check_password

bp = Blueprint("auth", __name__)

FAILURE_LIMIT = 5  # failed sign-ins before the name is locked …
LOCK_SECONDS = 60  # … for this long


def _studio():
    from kiosk.studio.app import studio_of

    return studio_of()


def current_user() -> User | None:
    """The signed-in user, or None; a deleted user or changed password ends the session."""
    name = session.get("user")
    if not name:
        return None
    user = _studio().db.user(name)
    if user is None or user.generation != session.get("gen"):
        session.clear()
        return None
    return user


def role_at_least(user: User | None, role: str) -> bool:
    return user is not None and ROLES.index(user.role) >= ROLES.index(role)


def requires(role: str):
    """Let the view run only for a signed-in user with ``role`` or a higher one."""
    if role not in ROLES:
        raise ValueError(role)

    def wrap(view):
        @functools.wraps(view)
        def checked(*args, **kwargs):
            if g.user is None:
                if request.headers.get("HX-Request"):
                    abort(401)
                messages.say("login.needed", "error")
                return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
            if not role_at_least(g.user, role):
                abort(403)
            return view(*args, **kwargs)

        checked.studio_role = role
        return checked

    return wrap


def public(view):
    """Mark a view as open to everyone (sign-in page, language switch, kiosk API)."""
    view.studio_role = "public"
    return view


def audit(action: str, detail: str = "") -> None:
    """Record who did what from where; called by every view that changes something."""
    name = g.user.name if g.get("user") else "-"
    _studio().db.audit(name, request.remote_addr or "-", action, detail)


@bp.route("/login", methods=["GET", "POST"])
@public
def login():
    if request.method == "GET":
        return render_template("login.html", name="", next=request.args.get("next", ""))
    db = _studio().db
    name = request.form.get("name", "").strip()
    password = request.form.get("password", "")
    address = request.remote_addr or "-"
    throttle_keys = [f"name:{name.lower()}", f"addr:{address}"]
    if any(db.locked_until(k) for k in throttle_keys):
        db.audit(name or "-", address, "login.locked")
        return _login_again(name, "login.locked", 429)
    user = db.user(name)
    if not check_password(password, user.password if user else DUMMY_HASH):
        db.record_failure(throttle_keys[0], FAILURE_LIMIT, LOCK_SECONDS)
        db.record_failure(throttle_keys[1], FAILURE_LIMIT * 4, LOCK_SECONDS)
        db.audit(name or "-", address, "login.failed")
        return _login_again(name, "login.bad", 401)
    db.clear_failures(throttle_keys[0])
    session.clear()
    session.permanent = True
    session.update(user=user.name, gen=user.generation, lang=g.lang)
    g.user = user
    audit("login")
    messages.say("login.welcome", "ok", name=user.name)
    from kiosk.studio.app import back

    return back()


def _login_again(name: str, key: str, status: int):
    return (
        render_template(
            "login.html", name=name, next=request.form.get("next", ""), error=messages.pair(key)
        ),
        status,
    )


@bp.route("/logout", methods=["POST"])
@requires("editor")
def logout():
    audit("logout")
    lang = g.lang
    session.clear()
    session["lang"] = lang
    messages.say("logout.done")
    return redirect(url_for("auth.login"))


@bp.route("/lang/<code>")
@public
def set_lang(code: str):
    """Switch the page language (Vietnamese by default) and come back to the same page."""
    if code in ("vi", "en"):
        session["lang"] = code
        g.lang = code
    from kiosk.studio.app import back

    return back()
