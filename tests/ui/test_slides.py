"""Slides: every kind builds from the shipped content, animates to the true values, and
shows numbers the way each language writes them."""

import pytest
from PySide6.QtWidgets import QLabel
from wcag import contrast_ratio

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


def _pixels(draw, size=(1300, 420)):
    """RGB array of a surface-coloured image after ``draw(painter)``."""
    from PySide6.QtGui import QColor, QImage, QPainter

    image = QImage(*size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(QColor(Theme().surface))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    draw(painter)
    painter.end()
    return _array(image)


def _array(image):
    import numpy as np
    from PySide6.QtGui import QImage

    image = image.convertToFormat(QImage.Format.Format_ARGB32_Premultiplied)
    rows = np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), image.width(), 4)
    return rows[..., :3].astype(int)


def _ink_difference(a, b, blank) -> float:
    """Summed pixel difference between two renderings, relative to the ink of ``a``."""
    return float(abs(a - b).sum() / abs(a - blank).sum())


# A correct composition differs from drawText only by sub-pixel rounding at the edges
# (about 0.01); the same text moved by 2 px differs by 0.05-0.08.
SAME_LOOK = 0.025


def test_cached_glyph_numbers_look_like_drawtext_above_the_glyph_cache_size(qapp):
    from PySide6.QtCore import QRect, Qt
    from PySide6.QtGui import QColor

    from kiosk.ui.slides.glyphs import GlyphCache

    theme = theme_for_size(3840, 2160, load_fonts())
    font = theme.font(150, True)  # 300 px: Qt would fill these glyphs as paths
    assert font.pixelSize() > 64
    color = QColor(theme.accent)
    flags = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
    cache = GlyphCache()
    blank = _pixels(lambda p: None)

    def plain(text, dx=0, dy=0):
        def draw(p):
            p.setFont(font)
            p.setPen(color)
            p.drawText(QRect(40 + dx, 20 + dy, 1200, 380), flags, text)

        return _pixels(draw)

    used = []
    for text in ("1.890", "1,890", "99,8\u202f%", "99.8%", "0"):
        composed = _pixels(
            lambda p, text=text: used.append(
                cache.draw_text(p, QRect(40, 20, 1200, 380), flags, text, font, color)
            )
        )
        assert _ink_difference(plain(text), composed, blank) < SAME_LOOK, text
        # The measure can fail: a 2 px shift of the same text is far over the limit.
        assert _ink_difference(plain(text), plain(text, 2, 0), blank) > SAME_LOOK
        assert _ink_difference(plain(text), plain(text, 0, 2), blank) > SAME_LOOK
    assert all(used)
    assert cache.glyph_count() == len(set("1.890,%\u202f"))  # one pixmap per character

    # A character outside the cache: the whole string is drawn as plain text, nothing cached.
    before = cache.glyph_count()
    fallback = _pixels(
        lambda p: used.append(cache.draw_text(p, QRect(40, 20, 1200, 380), flags, "–", font, color))
    )
    assert used[-1] is False
    assert (fallback == plain("–")).all() and (fallback != blank).any()
    assert cache.glyph_count() == before


def test_glyph_cache_stays_small_and_empties_when_the_kpi_slide_hides(qtbot, seed_content):
    from PySide6.QtCore import QRect, Qt
    from PySide6.QtGui import QColor

    from kiosk.ui.slides.glyphs import MAX_FONTS, NUMBER_CHARS, GlyphCache

    theme = theme_for_size(1920, 1080, load_fonts())
    cache = GlyphCache()
    for size in range(100, 140):  # many sizes, as resizes and content changes would give
        _pixels(
            lambda p, size=size: cache.draw_text(
                p,
                QRect(0, 0, 1200, 400),
                Qt.AlignmentFlag.AlignLeft,
                "1.234.567.890",
                theme.font(size, True),
                QColor("white"),
            )
        )
    assert cache.glyph_count() <= MAX_FONTS * len(NUMBER_CHARS)

    slide = _show(qtbot, make_slide(_entry(seed_content, "kpi_services"), seed_content, theme))
    for step in range(31):
        slide.set_progress(step / 30)
        slide.tiles.grab()  # paints now, whether or not the window manager has exposed it
    held = slide.tiles.glyphs.glyph_count()
    assert 0 < held <= 3 * len(NUMBER_CHARS)
    slide.hide()
    assert slide.tiles.glyphs.glyph_count() == 0


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_kpi_tiles_with_cached_glyphs_look_like_plain_text(qtbot, seed_content, lang):
    from kiosk.ui.slides.glyphs import GlyphCache

    theme = theme_for_size(1920, 1080, load_fonts())  # numbers of 170 px
    slide = _show(
        qtbot, make_slide(_entry(seed_content, "kpi_services"), seed_content, theme, lang)
    )
    tiles = slide.tiles
    tiles.set_progress(1.0)
    composed = _array(tiles.grab().toImage())
    assert tiles.glyphs.glyph_count() > 0
    tiles.glyphs = GlyphCache(chars="")  # every number falls back to drawText
    plain = _array(tiles.grab().toImage())
    tiles.shown_value = lambda indicator, t: ""
    no_numbers = _array(tiles.grab().toImage())
    assert (plain != no_numbers).any()
    assert _ink_difference(plain, composed, no_numbers) < SAME_LOOK


def test_kpi_count_up_repaints_only_the_number_lines_once_the_tiles_are_in(qtbot, seed_content):
    import numpy as np
    from PySide6.QtCore import QPoint
    from PySide6.QtGui import QRegion

    theme = theme_for_size(1920, 1080, load_fonts())
    slide = _show(qtbot, make_slide(_entry(seed_content, "kpi_services"), seed_content, theme))
    tiles = slide.tiles
    tiles.set_progress(1.0)
    with_numbers = _array(tiles.grab().toImage())
    early = tiles._changed(0.0, 0.05)  # the first tile fades in: all of it
    assert early.boundingRect() == tiles.tile_rects()[0]
    late = tiles._changed(0.8, 0.81)  # all tiles in: only the counting numbers change
    assert not late.isEmpty()
    assert late.boundingRect().height() < tiles.height() / 3
    assert tiles._changed(0.999999, 1.0).isEmpty()  # nothing visible changes

    # The bands repainted while counting hold all of the numbers' ink: no stale pixels.
    bands = QRegion()
    for step in range(60, 100):
        bands += tiles._changed(step / 100, (step + 1) / 100)
    area = sum(rect.width() * rect.height() for rect in bands)
    assert area < 0.3 * tiles.width() * tiles.height()  # the number lines, not the tiles
    original = tiles.shown_value
    tiles.shown_value = lambda indicator, t: ""
    without = _array(tiles.grab().toImage())
    tiles.shown_value = original
    ys, xs = np.nonzero(abs(with_numbers - without).max(axis=2))
    assert len(xs) > 0
    assert all(bands.contains(QPoint(int(x), int(y))) for x, y in zip(xs, ys, strict=True))


def _first_ink_row(pixels, rect, colour, below=0) -> int:
    """First row (from ``below``) inside ``rect`` with a pixel close to ``colour``."""
    import numpy as np

    # _array gives the bytes of ARGB32 as stored on a little-endian machine: B, G, R.
    target = np.array([int(colour[i : i + 2], 16) for i in (5, 3, 1)])
    area = pixels[rect.top() : rect.bottom(), rect.left() : rect.right()]
    rows = np.nonzero((abs(area - target).sum(axis=2) < 60).any(axis=1))[0]
    rows = rows[rows + rect.top() >= below]
    return int(rows[0]) + rect.top()


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_kpi_tiles_in_a_row_line_up_their_numbers_and_labels(qtbot, seed_content, lang):
    """1.890 has no "hơn"/"gần" and 60 % no unit line; in a row all still line up."""
    theme = theme_for_size(1920, 1080, load_fonts())
    slide = _show(
        qtbot, make_slide(_entry(seed_content, "kpi_services"), seed_content, theme, lang)
    )
    tiles = slide.tiles
    tiles.set_progress(1.0)
    pixels = _array(tiles.grab().toImage())
    rects = tiles.tile_rects()
    assert len(rects) == 3 and len({r.top() for r in rects}) == 1
    number_tops = [_first_ink_row(pixels, r, theme.accent) for r in rects]
    assert max(number_tops) - min(number_tops) <= 3, number_tops
    # The labels (body text colour) start together too, below the numbers.
    label_tops = [
        _first_ink_row(pixels, r, theme.text, below=top + theme.px(100))
        for r, top in zip(rects, number_tops, strict=True)
    ]
    assert max(label_tops) - min(label_tops) <= theme.px(8), label_tops


def test_stacked_kpi_tiles_keep_no_empty_lines(qtbot, seed_content):
    """Portrait: tiles are stacked, so a tile without a qualifier reserves no line for one."""
    theme = theme_for_size(1080, 1920, load_fonts())
    slide = _show(
        qtbot,
        make_slide(_entry(seed_content, "kpi_services"), seed_content, theme, "vi"),
        (1080, 1920),
    )
    slide.tiles.set_progress(1.0)
    slide.tiles.grab()
    layout = slide.tiles._layout
    rects = slide.tiles.tile_rects()
    assert len({r.left() for r in rects}) == 1  # stacked
    by_key = dict(zip((i.key for i in slide.data.indicators), layout, strict=True))
    assert by_key["procedures"][5] == 0  # no qualifier line
    assert by_key["procedures"][5] < max(row[5] for row in layout)
    assert all(block.text.strip() or not block.text for block in by_key["procedures"][6])
