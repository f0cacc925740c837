"""The playlist's "what the slide shows" as lists of names staff pick from, in order.

A playlist row's ``ref`` names the rows a slide draws (indicator, award, project or quote
codes, comma-separated, in the order shown). Staff should not have to know those codes: the
edit page shows one drop-down per place on the slide, each listing the rows that kind of
slide can show, by their own names. Which rows a kind can show is the content layer's rule
(``kiosk.content.playlist.ref_options``), next to the code that draws them.

A code the content does not have (yet) stays selectable as it is, marked "not found", so
saving a form never drops it silently; the store's check names it.
"""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.content.playlist import ref_keys, ref_options
from kiosk.store import StoreError, load_content
from kiosk.studio.messages import t

MIN_SLOTS = 3  # places shown for a slide that lists several rows
SPARE_SLOTS = 2  # empty places after the ones in use, to add rows without a new page


@dataclass(frozen=True)
class RefPicker:
    """What the edit page shows for ``ref``: one drop-down per slot."""

    slots: tuple[str, ...]  # the key chosen in each place ("" = none)
    options: tuple[tuple[str, str], ...]  # (key, what staff read), in the content's order
    missing: tuple[str, ...]  # chosen keys the content does not have
    first_empty: str  # the first place's empty choice: "choose" or "all of them"
    hints: tuple[str, ...]


def picker(
    draft_path, kind: str, ref: str, lang: str, *, keep_missing: bool = True
) -> RefPicker | None:
    """The drop-downs for a ``kind`` slide showing ``ref``; None: a plain text box (an
    unknown kind, or a draft that cannot be read, where the store's own check speaks).
    ``keep_missing=False`` when staff just changed the kind: rows the new kind cannot show
    are left out instead of being offered as "not found"."""
    try:
        content = load_content(draft_path)
    except StoreError:
        return None
    allowed = ref_options(kind, content, ref)
    if not allowed.choices:
        return None
    options = tuple((c.key, _name(c, lang)) for c in allowed.choices)
    known = {key for key, _ in options}
    chosen = [k for k in ref_keys(ref) if keep_missing or k in known]
    if allowed.many:
        count = min(max(len(chosen) + SPARE_SLOTS, MIN_SLOTS), max(len(options), len(chosen)))
    else:
        count = 1
        chosen = [",".join(chosen)] if chosen else []  # one place: keep a list as it is
    slots = tuple(chosen + [""] * max(0, count - len(chosen)))
    hints = [t("ref.hint_many")] if allowed.many else []
    if allowed.empty_shows_all:
        hints.append(t("ref.hint_all"))
    hints.append(t("ref.hint_kind"))
    return RefPicker(
        slots=slots,
        options=options,
        missing=tuple(k for k in dict.fromkeys(chosen) if k and k not in known),
        first_empty=t("ref.all") if allowed.empty_shows_all else t("ref.choose"),
        hints=tuple(hints),
    )


def ref_from_form(values: list[str]) -> str:
    """The ``ref`` the drop-downs (or the plain text box) sent, in their order."""
    keys = [k for value in values for k in ref_keys(value)]
    return ",".join(keys)


def ref_names(draft_path, lang: str):
    """``name(kind, ref)``: a slide's ref as staff read it ("Hồ sơ nộp trực tuyến; …"), for
    pages that show refs rather than edit them; a code the content lacks stays a code."""
    try:
        content = load_content(draft_path)
    except StoreError:
        content = None

    def name(kind: str, ref) -> str:
        keys = ref_keys("" if ref is None else str(ref))
        if content is None or not keys:
            return "" if ref is None else str(ref)
        # A group and an indicator may share a key: the last choice is the one ``ref`` means.
        allowed = {c.key: c for c in ref_options(kind, content, str(ref)).choices}
        return "; ".join(_name(allowed[k], lang) if k in allowed else k for k in keys)

    return name


def _name(choice, lang: str) -> str:
    label = choice.label.get(lang)
    return t("ref.group", name=label) if choice.whole_group else label
