"""Which characters a TrueType/OpenType font has glyphs for, read from its ``cmap`` table.

Plain Python (``struct``), so ``kiosk doctor`` can check the shipped fonts for Vietnamese
glyphs without Qt or a display. Reads the Unicode subtables in formats 4 (BMP) and 12
(full range), which every font with Vietnamese coverage has.
"""

from __future__ import annotations

import struct

# (platform, encoding) of Unicode cmap subtables, best first.
_UNICODE_SUBTABLES = ((3, 10), (0, 4), (0, 6), (3, 1), (0, 3), (0, 2), (0, 1), (0, 0))


def _table(data: bytes, tag: bytes) -> bytes:
    if len(data) < 12:
        raise ValueError("not a font file (too short)")
    version = data[:4]
    if version not in (b"\x00\x01\x00\x00", b"OTTO", b"true"):
        raise ValueError("not a TrueType/OpenType font")
    (count,) = struct.unpack_from(">H", data, 4)
    for i in range(count):
        record_tag, _checksum, offset, length = struct.unpack_from(">4sIII", data, 12 + 16 * i)
        if record_tag == tag:
            if offset + length > len(data):
                raise ValueError(f"{tag.decode()} table runs past the end of the file")
            return data[offset : offset + length]
    raise ValueError(f"font has no {tag.decode()} table")


def _format4(table: bytes, at: int) -> set[int]:
    (seg_x2,) = struct.unpack_from(">H", table, at + 6)
    segs = seg_x2 // 2
    ends_at = at + 14
    starts_at = ends_at + seg_x2 + 2
    deltas_at = starts_at + seg_x2
    ranges_at = deltas_at + seg_x2
    points: set[int] = set()
    for i in range(segs):
        (end,) = struct.unpack_from(">H", table, ends_at + 2 * i)
        (start,) = struct.unpack_from(">H", table, starts_at + 2 * i)
        (delta,) = struct.unpack_from(">h", table, deltas_at + 2 * i)
        range_pos = ranges_at + 2 * i
        (range_offset,) = struct.unpack_from(">H", table, range_pos)
        for code in range(start, min(end, 0xFFFE) + 1):
            if range_offset == 0:
                glyph = (code + delta) & 0xFFFF
            else:
                where = range_pos + range_offset + 2 * (code - start)
                if where + 2 > len(table):
                    continue
                (glyph,) = struct.unpack_from(">H", table, where)
                glyph = (glyph + delta) & 0xFFFF if glyph else 0
            if glyph:
                points.add(code)
    return points


def _format12(table: bytes, at: int) -> set[int]:
    (groups,) = struct.unpack_from(">I", table, at + 12)
    points: set[int] = set()
    for i in range(groups):
        start, end, first_glyph = struct.unpack_from(">III", table, at + 16 + 12 * i)
        for code in range(start, end + 1):
            if first_glyph + (code - start):
                points.add(code)
    return points


def cmap_codepoints(data: bytes) -> set[int]:
    """Every Unicode code point mapped to a real glyph (not .notdef); ValueError if unreadable."""
    table = _table(data, b"cmap")
    try:
        _version, count = struct.unpack_from(">HH", table, 0)
        subtables = {}
        for i in range(count):
            platform, encoding, offset = struct.unpack_from(">HHI", table, 4 + 8 * i)
            subtables.setdefault((platform, encoding), offset)
        for key in _UNICODE_SUBTABLES:
            if key not in subtables:
                continue
            at = subtables[key]
            (kind,) = struct.unpack_from(">H", table, at)
            if kind == 4:
                return _format4(table, at)
            if kind == 12:
                return _format12(table, at)
    except struct.error:
        raise ValueError("cmap table is damaged") from None
    raise ValueError("font has no Unicode cmap subtable in format 4 or 12")
