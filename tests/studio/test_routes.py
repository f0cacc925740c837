"""Every route x every role (anonymous included): the role is checked on the server."""

from __future__ import annotations

import pytest

# endpoint -> the least role that may use it. A new route must be added here, or
# test_every_route_is_in_the_table fails.
TABLE = {
    "auth.login": "public",
    "auth.set_lang": "public",
    "api.heartbeat": "public",
    "auth.logout": "editor",
    "content.dashboard": "editor",
    "content.listing": "editor",
    "content.new": "editor",
    "content.edit": "editor",
    "content.delete": "editor",
    "content.move": "editor",
    "content.order": "editor",
    "content.ref_choices": "editor",
    "publish.changes": "editor",
    "publish.history": "editor",
    "preview.page": "editor",
    "preview.status": "editor",
    "preview.slide": "editor",
    "preview.image": "editor",
    "sheets.page": "editor",
    "sheets.check": "editor",
    "sheets.apply": "editor",
    "sheets.export_workbook": "editor",
    "sheets.export_csv": "editor",
    "publish.publish": "publisher",
    "publish.rollback": "publisher",
    "admin.audit_log": "publisher",
    "admin.users": "admin",
    "admin.add_user": "admin",
    "admin.change_user": "admin",
}
ARGS = {
    "kind": "playlist",
    "key": "kpi_services",
    "serial": 1,
    "code": "en",
    "job_name": "nothing",
    "filename": "nothing.png",
    "name": "editor",
    "table": "milestones",
}
LEVEL = {"anonymous": -1, "editor": 0, "publisher": 1, "admin": 2}


def _cases():
    from kiosk.studio.app import create_app

    app = create_app(_cases.tmp, testing=True)
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        url = rule.rule
        for arg in rule.arguments:
            url = url.replace(f"<{arg}>", str(ARGS[arg])).replace(f"<int:{arg}>", str(ARGS[arg]))
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule.endpoint, method, url


def pytest_generate_tests(metafunc):
    if "route" in metafunc.fixturenames:
        import tempfile

        _cases.tmp = tempfile.mkdtemp(prefix="studio-routes-")
        routes = list(_cases())
        metafunc.parametrize("route", routes, ids=[f"{m} {u}" for _e, m, u in routes])


def test_every_route_is_in_the_table_and_declares_its_role(app):
    endpoints = {r.endpoint for r in app.url_map.iter_rules()} - {"static"}
    assert endpoints == set(TABLE)
    for endpoint in endpoints:
        assert getattr(app.view_functions[endpoint], "studio_role", None) == TABLE[endpoint]


@pytest.mark.parametrize("role", ["anonymous", "editor", "publisher", "admin"])
def test_route_by_role(app, client, signed_in, route, role):
    endpoint, method, url = route
    needed = TABLE[endpoint]
    c = client if role == "anonymous" else signed_in(role)
    response = c.get(url) if method == "GET" else c.post(url, {}, token_from="/login")
    status, location = response.status_code, response.headers.get("Location", "")
    assert status < 500, response.get_data(as_text=True)[:500]
    if needed == "public":
        if endpoint == "api.heartbeat":
            assert status == 401  # no token
        return
    if role == "anonymous":
        assert status == 302 and location.startswith("/login?next="), (status, location)
    elif LEVEL[role] < LEVEL[needed]:
        assert status == 403
        assert "không có quyền" in response.get_data(as_text=True)
    else:
        assert status != 403 and not location.startswith("/login?next="), (status, location)
