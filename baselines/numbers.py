"""Numbers in token sequences: counts, quantities and the qualifier words before them.

Number words are parsed by ``text2num`` (``text_to_num``), a maintained number-words
library; digits may carry thousands separators ("2,500"). Vague plurals follow the
ACLED fatality convention as the brief and guidelines state it: "tens" = 10, "dozens" =
12, "hundreds" = 100; "a dozen" = 12; "no" / "zero" = 0. A bare article ("a", "an")
counts 1 only where the caller allows it. A numeral followed by a calibre unit ("107
mm") is a calibre, not a count. Works on token texts; no offsets here.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Sequence

from text_to_num import text2num

VAGUE_PLURALS = {"tens": 10, "dozens": 12, "hundreds": 100}
DOZEN = {"dozen": 12}
ZERO = {"no": 0, "zero": 0, "none": 0}
ARTICLES = {"a": 1, "an": 1, "another": 1, "single": 1}
CALIBRE_UNITS = {"mm", "millimetre", "millimeter", "cm", "calibre", "caliber"}
QUALIFIERS: dict[tuple[str, ...], str] = {
    ("at", "least"): "at_least", ("no", "fewer", "than"): "at_least", ("no", "less", "than"): "at_least",
    ("more", "than"): "more_than", ("over",): "more_than", ("upwards", "of"): "more_than",
    ("in", "excess", "of"): "more_than",
    ("about",): "approximately", ("around",): "approximately", ("approximately",): "approximately",
    ("roughly",): "approximately", ("some",): "approximately", ("nearly",): "approximately",
    ("almost",): "approximately", ("an", "estimated"): "approximately", ("estimated",): "approximately",
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
    """``(value, tokens used)`` of the numeral opening ``words``, or None.

    "a dozen" and "dozens of" use two tokens; a numeral followed by a calibre unit is not a number.
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
    if first in ("a", "an") and len(lower) > 1 and lower[1] in DOZEN:
        return DOZEN[lower[1]], 2
    if first in DOZEN:
        return DOZEN[first], 1
    if first in VAGUE_PLURALS:
        return VAGUE_PLURALS[first], 2 if len(lower) > 1 and lower[1] == "of" else 1
    if first in ZERO:
        return ZERO[first], 1
    if _DIGITS.match(first):
        return int(first.replace(",", "")), 1
    for length in range(min(4, len(lower)), 0, -1):
        if not lower[length - 1].isalpha():
            continue
        value = _words_value(" ".join(w for w in lower[:length]))
        if value is not None:
            return value, length
    if allow_article and first in ARTICLES:
        return ARTICLES[first], 1
    return None


def qualifier_before(words: Sequence[str]) -> str:
    """The qualifier named by the words just before a numeral ("at least" -> ``at_least``), else ``exact``."""
    lower = tuple(w.lower() for w in words[-3:])
    for length in (3, 2, 1):
        if len(lower) >= length and lower[-length:] in QUALIFIERS:
            return QUALIFIERS[lower[-length:]]
    return "exact"


def is_calibre(words: Sequence[str]) -> bool:
    """True when ``words`` open with a calibre ("107 mm", "122mm")."""
    lower = [w.lower() for w in words[:2]]
    return bool(lower) and (bool(re.fullmatch(r"\d+(mm|cm)", lower[0]))
                            or (len(lower) == 2 and lower[0].isdigit() and lower[1] in CALIBRE_UNITS))
