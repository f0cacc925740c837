"""The APT repository: packaging/apt-repo.sh publishes into reprepro, nginx serves it, and
apt (in a private sandbox, installing nothing) sees a signed repository with the new
version as candidate. The real install N -> N+1 runs in CI (packaging/check-apt-upgrade.sh).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest

import kiosk

ROOT = Path(__file__).resolve().parents[2]
TOOLS = ("reprepro", "gpg", "apt-get", "dpkg-deb")


@pytest.fixture(autouse=True)
def _tools():
    missing = [t for t in TOOLS if shutil.which(t) is None]
    if missing:
        pytest.skip(f"{', '.join(missing)} not installed (packaging/system-deps.sh package)")


def tiny_deb(folder: Path, version: str, note: str = "") -> Path:
    """A minimal package named kiosk: enough for the repository, installs nothing."""
    folder.mkdir(parents=True, exist_ok=True)
    stage = folder / f"stage-{version}"
    (stage / "DEBIAN").mkdir(parents=True)
    (stage / "DEBIAN" / "control").write_text(
        f"Package: kiosk\nVersion: {version}\nArchitecture: all\n"
        "Maintainer: Test <test@kiosk.invalid>\nSection: misc\nPriority: optional\n"
        "Description: test package\n"
    )
    (stage / "usr/share/doc/kiosk").mkdir(parents=True)
    (stage / "usr/share/doc/kiosk/VERSION").write_text(version + note)
    deb = folder / f"kiosk_{version}_all.deb"
    subprocess.run(
        ["dpkg-deb", "--root-owner-group", "--build", str(stage), str(deb)],
        check=True,
        capture_output=True,
    )
    return deb


def publish(repo: Path, *debs: Path) -> str:
    done = subprocess.run(
        ["bash", str(ROOT / "packaging" / "apt-repo.sh"), "--repo", str(repo), "--test-key"]
        + [str(d) for d in debs],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


class Apt:
    """apt-get / apt-cache with their own state, cache and sources: the host is untouched."""

    def __init__(self, base: Path, url: str, keyring: Path) -> None:
        self.base = base
        for sub in ("state/lists/partial", "cache/archives/partial", "parts", "prefs", "empty"):
            (base / sub).mkdir(parents=True, exist_ok=True)
        (base / "state/status").write_text("")
        (base / "parts/kiosk.sources").write_text(
            f"Types: deb\nURIs: {url}\nSuites: bookworm\nComponents: main\nSigned-By: {keyring}\n"
        )
        self.options = [
            f"-oDir::State={base / 'state'}",
            f"-oDir::State::status={base / 'state/status'}",
            f"-oDir::Cache={base / 'cache'}",
            f"-oDir::Etc::SourceList={base / 'empty/none.list'}",
            f"-oDir::Etc::SourceParts={base / 'parts'}",
            f"-oDir::Etc::PreferencesParts={base / 'prefs'}",
            "-oDebug::NoLocking=1",
            "-oAPT::Sandbox::User=root",
        ]

    def run(self, tool: str, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
        return subprocess.run(
            [tool, *self.options, *args], capture_output=True, text=True, timeout=120, cwd=cwd
        )


def test_apt_sees_a_signed_repository_and_the_newer_version(tmp_path, nginx_factory):
    repo = tmp_path / "repo"
    old, new = tiny_deb(tmp_path, "0.1.0"), tiny_deb(tmp_path, "0.2.0")
    out = publish(repo, old)
    assert "published kiosk 0.1.0" in out
    public = repo / "public"
    release = (public / "dists/bookworm/Release").read_text()
    assert "Origin: Da Nang lobby kiosk" in release
    assert (public / "dists/bookworm/InRelease").exists()
    server = nginx_factory(public)
    apt = Apt(tmp_path / "apt", server.url, public / "kiosk-archive-keyring.gpg")
    update = apt.run("apt-get", "update")
    assert update.returncode == 0 and "NO_PUBKEY" not in update.stderr, update.stderr
    assert "Candidate: 0.1.0" in apt.run("apt-cache", "policy", "kiosk").stdout

    publish(repo, new)  # the next release: the same key, the same origin
    # apt asks with If-Modified-Since, and HTTP dates have whole seconds: a release made in
    # the same second as the previous one would be answered 304. Real releases are minutes
    # apart; here the index files are dated a few seconds later so the test never races.
    later = time.time() + 5
    for index in (public / "dists").rglob("*"):
        os.utime(index, (later, later))
    assert apt.run("apt-get", "update").returncode == 0
    policy = apt.run("apt-cache", "policy", "kiosk").stdout
    assert "Candidate: 0.2.0" in policy
    sources = apt.run("apt-cache", "policy").stdout  # what unattended-upgrades matches
    assert re.search(r"o=Da Nang lobby kiosk,.*n=bookworm", sources), sources
    fetched = apt.run("apt-get", "download", "kiosk", cwd=tmp_path)
    assert fetched.returncode == 0, fetched.stderr
    assert (tmp_path / "kiosk_0.2.0_all.deb").exists()

    # Trusting another key, apt refuses the repository and offers nothing from it.
    publish(tmp_path / "repo2", tiny_deb(tmp_path / "r2", "9.9.9"))
    wrong = Apt(tmp_path / "apt2", server.url, tmp_path / "repo2/public/kiosk-archive-keyring.gpg")
    refused = wrong.run("apt-get", "update")
    assert "NO_PUBKEY" in refused.stderr or "not signed" in refused.stderr, refused.stderr
    assert "Candidate: (none)" in wrong.run("apt-cache", "policy", "kiosk").stdout or not (
        wrong.run("apt-cache", "policy", "kiosk").stdout.strip()
    )


def test_republishing_the_same_version_is_refused(tmp_path):
    publish(tmp_path / "repo", tiny_deb(tmp_path, "0.1.0"))
    rebuilt = tiny_deb(tmp_path / "rebuilt", "0.1.0", note=" rebuilt")  # same version
    done = subprocess.run(
        ["bash", str(ROOT / "packaging" / "apt-repo.sh"), "--repo", str(tmp_path / "repo")]
        + ["--test-key", str(rebuilt)],
        capture_output=True,
        text=True,
    )
    assert done.returncode != 0


def test_the_version_has_one_source_and_a_changelog_entry():
    changelog = (ROOT / "packaging/debian/changelog").read_text()
    top = re.match(r"kiosk \(([^)]+)\) (\w+);", changelog)
    assert top and top.group(1) == kiosk.__version__
    pyproject = (ROOT / "pyproject.toml").read_text()
    assert 'dynamic = ["version"]' in pyproject and 'attr = "kiosk.__version__"' in pyproject
    trailer = re.search(r"^ -- (.+ <[^@\s]+@[^>\s]+>)  \w{3}, ", changelog, re.MULTILINE)
    assert trailer and "localhost" not in trailer.group(1)
    assert "@MAINTAINER@" in (ROOT / "packaging/debian/control.in").read_text()
    copyright_text = (ROOT / "packaging/debian/copyright").read_text()
    assert copyright_text.startswith("Format: https://www.debian.org/doc/packaging-manuals/")
