"""Slides: every kind builds from the shipped content, animates to the true values, and
shows numbers the way each language writes them."""

import pytest
from PySide6.QtWidgets import QLabel

from kiosk.content.colors import contrast_ratio
from kiosk.content.model import PlaylistEntry, Quote, Text
from kiosk.content.playlist import active_entries
from kiosk.ui.fonts import load_fonts
from kiosk.ui.slides import SLIDE_CLASSES, make_slide
from kiosk.ui.theme import Theme, theme_for_size

pytestmark = pytest.mark.gui


@pytest.fixture
def theme(qapp):
    return theme_for_size(1920, 1080, load_fonts())


def _show(qtbot, slide, size=(1920, 1080)):
    qtbot.addWidget(slide)
    slide.resize(*size)
    slide.show()
    qtbot.waitExposed(slide)
    return slide


def _entry(seed_content, key):
    return next(e for e in seed_content.playlist if e.key == key)


def test_shipped_font_has_vietnamese(qapp):
    from PySide6.QtGui import QFont, QRawFont

    family = load_fonts()
    assert "Noto Sans" in family
    raw = QRawFont.fromFont(QFont(family))  # the font file actually used, no fallback
    assert all(raw.supportsCharacter(ord(ch)) for ch in "ếềểễệữựộởđĐ")
    assert not raw.supportsCharacter(0x4E00)  # the check can fail: no CJK in Noto Sans


def test_every_kind_builds_from_the_seed(qtbot, seed_content, theme):
    import datetime as dt

    built = set()
    for entry in active_entries(seed_content, dt.date(2026, 11, 22)):
        slide = _show(qtbot, make_slide(entry, seed_content, theme, "vi"), (960, 540))
        slide.show_final()
        built.add(type(slide))
        assert slide.footer.text().startswith("Nguồn: ")
        assert slide.footer.textFormat().name == "PlainText"
    assert built == set(SLIDE_CLASSES.values())


def test_kpi_counts_up_to_the_true_value_in_each_language(qtbot, seed_content, theme):
    slide = _show(qtbot, make_slide(_entry(seed_content, "kpi_services"), seed_content, theme))
    procedures = slide.data.indicators[0]
    assert procedures.key == "procedures"
    assert slide.tiles.shown_value(procedures, 1.0) == "1.890"
    assert slide.tiles.shown_value(procedures, 0.5) == "945"
    assert slide.tiles.shown_value(procedures, 0.0) == "0"
    slide.set_language("en")
    assert slide.tiles.shown_value(procedures, 1.0) == "1,890"
    assert slide.heading.text() == "Online public services"


def test_reveal_animation_runs_about_a_second_and_ends_on_the_final_frame(
    qtbot, seed_content, theme
):
    slide = _show(qtbot, make_slide(_entry(seed_content, "kpi_phones"), seed_content, theme))
    seen = []
    slide._anim.valueChanged.connect(lambda v: seen.append(float(v)))
    slide.play()
    assert slide.progress == 0.0 and slide.animating
    qtbot.waitUntil(lambda: not slide.animating, timeout=3000)
    assert slide.progress == 1.0
    assert len(seen) > 10  # many intermediate frames, not a jump
    assert seen == sorted(seen)  # eased but monotonic: numbers never count down


def test_reduced_motion_jumps_to_the_final_frame(qtbot, seed_content, theme):
    entry = _entry(seed_content, "kpi_phones")
    slide = _show(qtbot, make_slide(entry, seed_content, theme, reduced_motion=True))
    slide.play()
    assert slide.progress == 1.0 and not slide.animating


def test_rings_and_bars_reach_their_values(qtbot, seed_content, theme):
    rings = _show(qtbot, make_slide(_entry(seed_content, "rings_online"), seed_content, theme))
    rings.show_final()
    texts = [r.number.textItem.toPlainText() for r in rings.chart.rings]
    assert texts == ["97\u202f%", "100\u202f%", "99,8\u202f%", "99,4\u202f%", "100\u202f%"]
    rings.set_progress(0.5)
    # Mid-animation the number keeps the final figure's decimals (97 has none).
    assert rings.chart.rings[0].number.textItem.toPlainText() in ("48\u202f%", "49\u202f%")

    bars = _show(qtbot, make_slide(_entry(seed_content, "bars_grdp"), seed_content, theme))
    bars.show_final()
    widths = list(bars.chart.bars.opts["width"])
    assert widths == pytest.approx([8.23, 14.6, 8.6])
    bars.set_progress(0.5)
    assert list(bars.chart.bars.opts["width"]) == pytest.approx([4.115, 7.3, 4.3])
    bars.set_language("en")
    bars.show_final()
    assert [v.textItem.toPlainText() for v in bars.chart.values] == ["8.23%", "14.6%", "8.6%"]


def test_quote_and_labels_show_markup_as_plain_text(qtbot, seed_content, theme):
    from dataclasses import replace

    markup = "<b>bold</b><img src=x>"
    quote = Quote("q_x", "Ai đó", Text(markup, markup), Text(markup, markup), "art003")
    content = replace(seed_content, quotes=(*seed_content.quotes, quote), _index={})
    entry = PlaylistEntry("qx", 1, "quote", "q_x", 10, title=Text(markup, markup))
    slide = _show(qtbot, make_slide(entry, content, theme))
    assert slide.heading.text() == markup
    for label in slide.findChildren(QLabel):
        assert label.textFormat().name == "PlainText"
    assert slide.card.text_blocks()[0] == markup


def test_unknown_ref_is_refused(qapp, seed_content, theme):
    with pytest.raises(ValueError, match="shows nothing"):
        make_slide(PlaylistEntry("x", 1, "quote", "nope", 10), seed_content, theme)


def test_theme_colours_pass_wcag_aa():
    t = Theme()
    for fg in (t.text, t.muted, t.accent, t.accent2, t.good):
        for back in (t.bg, t.surface):
            assert contrast_ratio(fg, back) >= 4.5, (fg, back)
    assert contrast_ratio(t.text, t.surface_hi) >= 4.5  # the touch hint pill


def test_theme_scales_with_the_short_side():
    assert theme_for_size(3840, 2160).px(10) == 20
    assert theme_for_size(1080, 1920).px(10) == 10
    assert theme_for_size(1080, 1920).portrait
