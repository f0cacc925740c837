"""Admin pages: users (add, role, password, remove) and the audit log."""

from __future__ import annotations

from flask import Blueprint, g, redirect, render_template, request, url_for

from kiosk.store.studio_users import ROLES
from kiosk.studio import messages
from kiosk.studio.auth import audit, requires
from kiosk.studio.passwords import hash_password

bp = Blueprint("admin", __name__)
MIN_PASSWORD = 10

messages.STRINGS.update(
    {
        "users.title": ("Người dùng", "Users"),
        "users.name": ("Tên", "Name"),
        "users.role": ("Vai trò", "Role"),
        "users.password": ("Mật khẩu mới", "New password"),
        "users.add": ("Thêm người dùng", "Add user"),
        "users.save": ("Lưu", "Save"),
        "users.remove": ("Xóa người dùng", "Remove user"),
        "users.added": ("Đã thêm {name}.", "Added {name}."),
        "users.changed": ("Đã cập nhật {name}.", "Updated {name}."),
        "users.removed": ("Đã xóa {name}.", "Removed {name}."),
        "users.taken": ("Tên {name} đã có.", "The name {name} is already taken."),
        "users.short": (
            "Mật khẩu cần ít nhất {n} ký tự.",
            "The password needs at least {n} characters.",
        ),
        "users.bad_name": (
            "Tên chỉ gồm chữ, số, dấu chấm, gạch ngang hoặc gạch dưới.",
            "A name may hold only letters, digits, dots, dashes or underscores.",
        ),
        "users.self": (
            "Không thể tự xóa hoặc tự hạ quyền của mình.",
            "You cannot remove or demote yourself.",
        ),
    }
)


def _studio():
    from kiosk.studio.app import studio_of

    return studio_of()


def valid_name(name: str) -> bool:
    return 0 < len(name) <= 64 and all(c.isalnum() or c in "._-" for c in name)


@bp.route("/audit")
@requires("publisher")
def audit_log():
    return render_template("audit.html", rows=_studio().db.audit_log())


@bp.route("/users")
@requires("admin")
def users():
    return render_template("users.html", users=_studio().db.users(), roles=ROLES)


@bp.route("/users", methods=["POST"])
@requires("admin")
def add_user():
    name = request.form.get("name", "").strip()
    role = request.form.get("role", "")
    password = request.form.get("password", "")
    if not valid_name(name) or role not in ROLES:
        messages.say("users.bad_name", "error")
    elif len(password) < MIN_PASSWORD:
        messages.say("users.short", "error", n=MIN_PASSWORD)
    elif not _studio().db.add_user(name, role, hash_password(password)):
        messages.say("users.taken", "error", name=name)
    else:
        audit("user.add", f"{name} ({role})")
        messages.say("users.added", "ok", name=name)
    return redirect(url_for("admin.users"))


@bp.route("/users/<name>", methods=["POST"])
@requires("admin")
def change_user(name: str):
    db = _studio().db
    if db.user(name) is None:
        return redirect(url_for("admin.users"))
    role = request.form.get("role", "")
    password = request.form.get("password", "")
    removing_or_demoting = request.form.get("remove") or (role and role != "admin")
    if removing_or_demoting and name == g.user.name:
        messages.say("users.self", "error")
        return redirect(url_for("admin.users"))
    if request.form.get("remove"):
        db.delete_user(name)
        audit("user.remove", name)
        messages.say("users.removed", "ok", name=name)
        return redirect(url_for("admin.users"))
    if password and len(password) < MIN_PASSWORD:
        messages.say("users.short", "error", n=MIN_PASSWORD)
        return redirect(url_for("admin.users"))
    if role in ROLES and role != db.user(name).role:
        db.set_role(name, role)
        audit("user.role", f"{name} -> {role}")
    if password:
        db.set_password(name, hash_password(password))
        audit("user.password", name)
    messages.say("users.changed", "ok", name=name)
    return redirect(url_for("admin.users"))
