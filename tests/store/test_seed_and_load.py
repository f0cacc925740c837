"""Building from db/ gives valid content holding every figure of both articles."""

import datetime as dt
import unicodedata

import pytest

from kiosk.content.model import SLIDE_KINDS
from kiosk.store import load_content, validate_db


def test_build_validates_with_zero_errors(built_db):
    problems = validate_db(built_db)
    assert [p for p in problems if p.level == "error"] == []


FIGURES = [
    ("procedures", 1890, ""),
    ("online_level34", 97, ""),
    ("eligible_level4", 100, ""),
    ("online_filings", 60, "approx"),
    ("phones", 276, ""),
    ("mobile_broadband", 173, ""),
    ("households_internet", 99.8, ""),
    ("people_internet", 99.4, ""),
    ("businesses_internet", 100, ""),
    ("grdp_ict", 8.23, ""),
    ("grdp_trade", 14.6, ""),
    ("grdp_transport", 8.6, ""),
    ("covid_solutions", 20, "over"),
]


@pytest.mark.parametrize(("key", "value", "qualifier"), FIGURES)
def test_every_seed_figure_is_present_with_its_source(built_db, key, value, qualifier):
    content = load_content(built_db)
    ind = content.indicator(key)
    assert ind is not None
    assert ind.value == pytest.approx(value)
    assert ind.qualifier == qualifier
    assert content.source(ind.source_key) is not None


def test_groups_rankings_awards_projects(built_db):
    c = load_content(built_db)
    assert {i.key for i in c.indicators_in_group("grdp_share")} == {
        "grdp_ict",
        "grdp_trade",
        "grdp_transport",
    }
    assert c.indicator("online_filings").national_note.vi == "gấp 2 lần bình quân cả nước"
    ach = {a.key: a for a in c.achievements}
    assert ach["dti_2021"].rank == 1
    assert "Ministry of Information and Communications" in ach["dti_2021"].giver.en
    assert {"dti_gov", "dti_econ", "dti_soc", "phones_first"} <= set(ach)
    for key in (
        "digital_org_2021",
        "smart_city_2021",
        "smart_gov_2021",
        "smart_health_2021",
        "smart_env_2021",
        "eden_2021",
    ):
        assert ach[key].source_key
    assert ach["eden_2021"].giver.en == "Eden Strategy Institute"
    projects = {p.key for p in c.projects}
    assert {
        "p_hoa_xuan",
        "p_danang_bay",
        "p_viettel",
        "p_fpt",
        "p_ioc",
        "p_traffic_cameras",
        "p_smart_city_plan",
        "p_dx_plan",
        "p_digital_business",
        "p_fast_appraisal",
        "p_shared_data",
    } <= projects


def test_quotes_statements_milestones_sources(built_db):
    c = load_content(built_db)
    direct = [q for q in c.quotes if q.direct]
    assert any(q.text.vi.startswith("Chính nền tảng số là giải pháp đột phá") for q in direct)
    assert {q.speaker for q in c.quotes} == {
        "Trần Ngọc Thạch",
        "Nguyễn Quang Thanh",
        "Trần Phước Sơn",
    }
    assert any("thật sự mới" in s.text.vi for s in c.statements)
    assert {s.category for s in c.statements} >= {"context", "theme", "challenge", "direction"}
    conf = next(m for m in c.milestones if m.key == "m_conference")
    assert (conf.date, conf.precision) == (dt.date(2022, 1, 20), "day")
    assert all(m.date.month == 1 and m.date.day == 1 for m in c.milestones if m.precision == "year")
    art = c.source("art003")
    assert art.published == "2022-01-24"
    assert c.source("art000").published == ""
    assert c.base_dir == str(built_db.parent.resolve())
    for text in [q.text.vi for q in c.quotes] + [s.text.vi for s in c.statements]:
        assert unicodedata.is_normalized("NFC", text)


def test_playlist_shows_every_slide_kind(built_db):
    c = load_content(built_db)
    assert {p.kind for p in c.playlist} == set(SLIDE_KINDS)
    assert all(10 <= p.duration_s <= 15 for p in c.playlist)
    assert [p.position for p in c.playlist] == sorted(p.position for p in c.playlist)


def test_load_is_read_only(built_db):
    before = built_db.read_bytes()
    load_content(built_db)
    validate_db(built_db)
    assert built_db.read_bytes() == before


def test_direct_quotes_are_verbatim_in_the_articles(built_db):
    from pathlib import Path

    seeds = Path("/work/shared/seeds")
    if not seeds.is_dir():
        pytest.skip("seed articles not available on this machine")
    corpus = unicodedata.normalize(
        "NFC", "".join(p.read_text(encoding="utf-8") for p in seeds.glob("*.txt"))
    )
    direct = [q for q in load_content(built_db).quotes if q.direct]
    assert len(direct) >= 2
    for quote in direct:
        assert quote.text.vi in corpus, quote.key
