"""Studio fixtures: an app on a temporary data folder, one user per role, signed-in clients."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kiosk.studio.passwords import hash_password

SEED = Path(__file__).resolve().parents[2] / "db"
PASSWORD = "correct horse 42"
ROLES = ("editor", "publisher", "admin")


@pytest.fixture
def app(tmp_path):
    from kiosk.studio.app import create_app, studio_of

    app = create_app(tmp_path / "data", seed_dir=SEED, testing=True)
    db = studio_of(app).db
    hashed = hash_password(PASSWORD)  # one hash for all: scrypt is slow on purpose
    for role in ROLES:
        db.add_user(role, role, hashed)
    return app


@pytest.fixture
def studio(app):
    from kiosk.studio.app import studio_of

    return studio_of(app)


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "page has no CSRF token"
    return match.group(1)


class Client:
    """A test client that fills in the page's CSRF token like a browser would."""

    def __init__(self, app) -> None:
        self.http = app.test_client()

    def get(self, url, **kw):
        return self.http.get(url, **kw)

    def post(self, url, data=None, *, token_from=None, **kw):
        data = dict(data or {})
        if "csrf_token" not in data:
            page = self.http.get(token_from or "/login")
            data["csrf_token"] = csrf_of(page.get_data(as_text=True))
        return self.http.post(url, data=data, **kw)

    def csrf(self, url="/login") -> str:
        return csrf_of(self.http.get(url).get_data(as_text=True))

    def login(self, name, password=PASSWORD):
        return self.post("/login", {"name": name, "password": password})


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def client(app):
    return Client(app)


@pytest.fixture
def signed_in(app):
    """signed_in("editor") -> a Client signed in with that role."""

    def make(role):
        c = Client(app)
        response = c.login(role)
        assert response.status_code == 302, response.get_data(as_text=True)
        return c

    return make
