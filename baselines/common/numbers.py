"""Numbers in token sequences: exact cardinals, vague quantities and qualifiers.

Number words are parsed by ``text2num`` (``text_to_num``), a maintained number-words
library; digits may carry thousands separators ("2,500"); "a dozen" = 12 and "two dozen"
= 24. A numeral followed by a calibre unit ("107 mm") is a calibre, not a count.

The count conventions for words just *outside* a casualty span follow the guidelines
(annotations/GUIDELINES.md, C4): "a"/"an" = 1 exact; "no", "none", "not ... any" = 0 exact;
"several", "a few", "many", "multiple", "a number of" = 3 at_least; "some" = 2 at_least; a
bare plural = 2 at_least; and ACLED's vague plurals "tens" = 10, "dozens" = 12, "scores" =
20, "hundreds" = 100, "thousands" = 1000, at_least. Qualifier words follow C5. Works on
token texts; no offsets here.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Sequence

from text_to_num import text2num

VAGUE_PLURALS = {"tens": 10, "dozens": 12, "scores": 20, "hundreds": 100, "thousands": 1000}
VAGUE_WORDS: dict[tuple[str, ...], int] = {
    ("several",): 3, ("a", "few"): 3, ("many",): 3, ("multiple",): 3, ("a", "number", "of"): 3, ("some",): 2}
ZERO_WORDS = ("no", "none", "any", "zero")
ARTICLES = ("a", "an", "another")
CALIBRE_UNITS = {"mm", "millimetre", "millimeter", "cm", "calibre", "caliber"}
QUALIFIERS: dict[tuple[str, ...], str] = {
    ("at", "least"): "at_least", ("a", "minimum", "of"): "at_least",
    ("more", "than"): "more_than", ("over",): "more_than", ("upwards", "of"): "more_than",
    ("around",): "approximately", ("about",): "approximately", ("some",): "approximately",
    ("roughly",): "approximately", ("approximately",): "approximately", ("nearly",): "approximately",
    ("almost",): "approximately",
    ("up", "to"): "at_most", ("as", "many", "as"): "at_most", ("at", "most"): "at_most",
    ("fewer", "than"): "at_most", ("less", "than"): "at_most", ("no", "more", "than"): "at_most",
}
_DIGITS = re.compile(r"^\d{1,3}(,\d{3})+$|^\d+$")


@lru_cache(maxsize=4096)
def _words_value(phrase: str) -> int | None:
    try:
        value = text2num(phrase, "en")
    except (ValueError, TypeError):
        return None
    return value if isinstance(value, int) and value >= 0 else None


def parse_number(words: Sequence[str], allow_article: bool = False) -> tuple[int, int] | None:
    """``(value, tokens used)`` of the exact cardinal opening ``words``, or None.

    "a dozen" / "two dozen" use two tokens; "another nine" reads as 9; with ``allow_article``
    a lone "a"/"an"/"another" counts 1. A numeral followed by a calibre unit is not a number.
    """
    if not words:
        return None
    lower = [w.lower() for w in words[:6]]
    first = lower[0]
    if first == "another" and len(lower) > 1:
        rest = parse_number(words[1:])
        if rest is not None:
            return rest[0], rest[1] + 1
    if len(lower) > 1 and lower[1] in CALIBRE_UNITS:
        return None
    if len(lower) > 1 and lower[1] == "dozen":
        multiple = 1 if first in ("a", "an") else _words_value(first)
        if multiple is not None:
            return 12 * multiple, 2
    if first == "dozen":
        return 12, 1
    if _DIGITS.match(first):
        return int(first.replace(",", "")), 1
    for length in range(min(4, len(lower)), 0, -1):
        if lower[length - 1].isalpha():
            value = _words_value(" ".join(lower[:length]))
            if value is not None:
                return value, length
    if allow_article and first in ARTICLES:
        return 1, 1
    return None


def qualifier_before(words: Sequence[str]) -> str:
    """The qualifier named by the words just before a numeral ("at least" -> ``at_least``), else ``exact``."""
    lower = tuple(w.lower() for w in words[-3:])
    for length in (3, 2, 1):
        if len(lower) >= length and lower[-length:] in QUALIFIERS:
            return QUALIFIERS[lower[-length:]]
    return "exact"


def count_outside(before: Sequence[str], plural: bool) -> tuple[int, str] | None:
    """``(count, qualifier)`` stated by the words just before a span without a numeral (C4), or None.

    ``before`` are the words preceding the span, nearest last; ``plural`` tells whether the
    head noun is plural (a bare plural counts 2 at_least).
    """
    lower = tuple(w.lower() for w in before[-3:])
    last = lower[-1] if lower else ""
    if last == "of" and len(lower) > 1 and lower[-2] in VAGUE_PLURALS:
        return VAGUE_PLURALS[lower[-2]], "at_least"
    if last in VAGUE_PLURALS:
        return VAGUE_PLURALS[last], "at_least"
    for length in (3, 2, 1):
        if len(lower) >= length and lower[-length:] in VAGUE_WORDS:
            return VAGUE_WORDS[lower[-length:]], "at_least"
    if last in ZERO_WORDS:
        return 0, "exact"
    if last in ("a", "an"):
        return 1, "exact"
    return (2, "at_least") if plural else None


def is_calibre(words: Sequence[str]) -> bool:
    """True when ``words`` open with a calibre ("107 mm", "122mm")."""
    lower = [w.lower() for w in words[:2]]
    return bool(lower) and (bool(re.fullmatch(r"\d+(mm|cm)", lower[0]))
                            or (len(lower) == 2 and lower[0].isdigit() and lower[1] in CALIBRE_UNITS))
