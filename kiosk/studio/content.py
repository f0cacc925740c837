"""The dashboard and one list + edit page per kind of content.

Views read the form, call ``kiosk.store.studio_draft`` (which validates with the store's
own rules) and redirect or re-render; no content rule lives here.
"""

from __future__ import annotations

from flask import Blueprint, abort, g, redirect, render_template, request, url_for

from kiosk.store import studio_draft as draft
from kiosk.store.export import plain
from kiosk.store.layout import TABLES
from kiosk.store.staff_text import table_name
from kiosk.studio import fields as F
from kiosk.studio import messages, ref_picker
from kiosk.studio.auth import audit, requires
from kiosk.studio.problems import by_field, problem_text

bp = Blueprint("content", __name__)
PAGE_SIZE = 100


def _studio():
    from kiosk.studio.app import studio_of

    return studio_of()


def _table(kind: str) -> str:
    if kind not in F.KINDS:
        abort(404)
    return kind


@bp.route("/")
@requires("editor")
def dashboard():
    from kiosk.studio.dashboard import dashboard_data

    return render_template("dashboard.html", **dashboard_data(_studio()))


@bp.route("/c/<kind>")
@requires("editor")
def listing(kind: str):
    table = _table(kind)
    query = request.args.get("q", "").strip()
    page = max(1, request.args.get("page", 1, type=int))
    ordered = table in F.ORDERED
    shown, total = draft.read_page(
        _studio().draft, table, query, page=page, size=PAGE_SIZE, by_position=ordered
    )
    pages = max(1, -(-total // PAGE_SIZE))
    columns = [(c, F.label(table, c)) for c in F.LIST_COLUMNS[table]]
    categories = _categories() if table == "milestones" else ()
    return render_template(
        "list.html",
        kind=table,
        items=shown,
        total=total,
        page=page,
        pages=pages,
        columns=columns,
        query=request.args.get("q", ""),
        ordered=table in F.ORDERED,
        cell=lambda row, col: F.choice_label(table, col, row.get(col), g.lang, categories),
    )


def _categories() -> F.Categories:
    return F.categories_of(draft.read_table(_studio().draft, "categories"))


def _sources() -> list[tuple[str, str]]:
    rows = draft.read_table(_studio().draft, "sources")
    return [(r["key"], r["title_vi" if g.lang == "vi" else "title_en"]) for r in rows]


def _form(table, values, *, key=None, problems=(), current=None, expect=None, status=200):
    """The edit page; ``values`` are what the form shows (kept as typed on a refusal)."""
    fields = F.fields(table, _sources(), _categories() if table == "milestones" else ())
    slide_kind, picker = str(values.get("kind") or ""), None
    if table == "playlist":
        ref = str(values.get("ref") or "")
        picker = ref_picker.picker(_studio().draft, slide_kind, ref, g.lang)
    return (
        render_template(
            "edit.html",
            kind=table,
            key=key,
            fields=fields,
            values=values,
            errors=by_field(problems, fields),
            current=current,
            expect=expect,
            image_mb=_image_mb(),
            item_name=table_name(table, g.lang),
            picker=picker,
            slide_kind=slide_kind,
        ),
        status,
    )


@bp.route("/ref-picker")
@requires("editor")
def ref_choices():
    """The playlist's "what the slide shows" drop-downs for the kind just chosen (htmx)."""
    kind = request.args.get("kind", "")
    ref = ref_picker.ref_from_form(request.args.getlist("ref"))
    return render_template(
        "_ref_picker.html",
        picker=ref_picker.picker(_studio().draft, kind, ref, g.lang, keep_missing=False),
        slide_kind=kind,
        value=ref,
        label=F.label("playlist", "ref"),
    )


def _image_mb() -> int:
    from kiosk.studio.app import IMAGE_LIMIT_MB

    return IMAGE_LIMIT_MB


@bp.route("/c/<kind>/new", methods=["GET", "POST"])
@requires("editor")
def new(kind: str):
    table = _table(kind)
    if request.method == "GET":
        values = {c: "" for c, _ in TABLES[table]}
        for col in ("enabled", "direct"):
            values[col] = 1
        return _form(table, values)
    return _save(table, None)


@bp.route("/c/<kind>/<key>", methods=["GET", "POST"])
@requires("editor")
def edit(kind: str, key: str):
    table = _table(kind)
    if request.method == "POST":
        return _save(table, key)
    row = draft.read_row(_studio().draft, table, key)
    if row is None:
        abort(404)
    problems = [
        p for p in draft.validate_draft(_studio().draft) if p.table == table and p.key == key
    ]
    shown = {c: plain(v) for c, v in row.items()}  # 1890, not 1890.0
    return _form(table, shown, key=key, problems=problems, expect=draft.fingerprint(row))


def _values_from_form(table: str) -> dict:
    values = {c: request.form.get(c, "") for c, _ in TABLES[table]}
    if table == "playlist":  # one drop-down per place on the slide, in order
        values["ref"] = ref_picker.ref_from_form(request.form.getlist("ref"))
    for col in F.CHECKBOXES:
        if col in values:
            values[col] = "1" if request.form.get(col) else "0"
    return values


def _save(table: str, old_key: str | None):
    studio = _studio()
    values = _values_from_form(table)
    if table in F.ORDERED and old_key is None:
        rows = draft.read_table(studio.draft, table)
        values["position"] = str(max([r["position"] or 0 for r in rows] or [0]) + 10)
    expect = request.form.get("_expect") or None
    from kiosk.studio.images import apply_image_field

    image_problem = apply_image_field(table, values, request.files.get("image_upload"))
    row, problems = draft.coerce_values(table, values)
    if image_problem or problems:
        problems = [*problems, *([image_problem] if image_problem else [])]
        messages.say("edit.refused", "error")
        return _form(table, values, key=old_key, problems=problems, expect=expect, status=422)
    try:
        refused, row_problems = draft.save_row(
            studio.draft, table, row, old_key=old_key, expect=expect
        )
    except draft.Conflict as conflict:
        return _conflict(table, values, old_key, conflict)
    if refused:
        messages.say("edit.refused", "error")
        return _form(table, values, key=old_key, problems=refused, expect=expect, status=422)
    studio.db.note_edit(table, row["key"], g.user.name)
    audit("edit" if old_key else "add", f"{table}/{row['key']}")
    messages.say("edit.saved", "ok", key=row["key"])
    warnings = [p for p in row_problems if p.level == "warning"]
    if warnings:
        for p in warnings:
            messages.say_pair(problem_text(p), "warning")
        return redirect(url_for("content.edit", kind=table, key=row["key"]))
    return redirect(url_for("content.listing", kind=table))


def _conflict(table, values, old_key, conflict: draft.Conflict):
    studio = _studio()
    if conflict.current is None:
        messages.say("edit.gone", "error")
        return _form(table, values, problems=(), status=409)
    who = studio.db.last_edit(table, old_key) or (messages.t("edit.someone"), "?")
    messages.say("edit.conflict", "error", user=who[0], at=who[1].replace("T", " "))
    return _form(
        table,
        values,
        key=old_key,
        current={c: plain(v) for c, v in conflict.current.items()},
        expect=draft.fingerprint(conflict.current),
        status=409,
    )


@bp.route("/c/<kind>/<key>/delete", methods=["POST"])
@requires("editor")
def delete(kind: str, key: str):
    table = _table(kind)
    try:
        refused = draft.delete_row(
            _studio().draft, table, key, expect=request.form.get("_expect") or None
        )
    except draft.Conflict as conflict:
        return _conflict(table, conflict.current or {}, key, conflict)
    if refused:
        vi, en = problem_text(refused[0])
        messages.say_pair(
            (
                messages.pair("edit.delete_refused", key=key, why=vi)[0],
                messages.pair("edit.delete_refused", key=key, why=en)[1],
            ),
            "error",
        )
    else:
        audit("delete", f"{table}/{key}")
        messages.say("edit.deleted", "ok", key=key)
    return redirect(url_for("content.listing", kind=table))


@bp.route("/c/<kind>/<key>/move", methods=["POST"])
@requires("editor")
def move(kind: str, key: str):
    """Move a playlist entry one place up or down (the keyboard alternative to dragging)."""
    table = _table(kind)
    if table not in F.ORDERED:
        abort(404)
    rows = sorted(draft.read_table(_studio().draft, table), key=lambda r: (r["position"], r["key"]))
    keys = [r["key"] for r in rows]
    if key not in keys:
        abort(404)
    i = keys.index(key)
    j = i - 1 if request.form.get("direction") == "up" else i + 1
    if 0 <= j < len(keys):
        keys[i], keys[j] = keys[j], keys[i]
        draft.reorder(_studio().draft, table, keys)
        audit("reorder", f"{table}/{key}")
    return redirect(url_for("content.listing", kind=table))


@bp.route("/c/<kind>/order", methods=["POST"])
@requires("editor")
def order(kind: str):
    """Save a whole new order (sent by the drag-and-drop script)."""
    table = _table(kind)
    if table not in F.ORDERED:
        abort(404)
    wanted = [k for k in request.form.getlist("key") if k]
    existing = {r["key"] for r in draft.read_table(_studio().draft, table)}
    if set(wanted) != existing or len(wanted) != len(existing):
        abort(400)
    draft.reorder(_studio().draft, table, wanted)
    audit("reorder", table)
    return redirect(url_for("content.listing", kind=table))
