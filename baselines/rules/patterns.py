"""Patterns of the rules baseline, built from ``baselines.rules.lexicon``: phrases and token patterns.

Pattern labels are *candidate* kinds that ``baselines.rules`` resolves in context:
``ACTOR``, ``LOCATION``, ``WEAPON``, ``CASUALTY``, ``ATTACK`` (a trigger), ``PLACE_NAME``
(a country or city: actor or location by context), ``OFFICIAL`` (title + name; the id
says how many title tokens to drop) and ``FACILITY`` (determiner + facility noun; the
determiner is dropped). Patterns work on token texts only; no offsets here.

Literal lexicon entries are *phrases* (``phrase_patterns``), matched by one spaCy
``PhraseMatcher`` on the attribute ``LOWER``; a phrase with ``case`` is kept only where
the text has one of those exact spellings (place names: "US" the country, not "us").
An ``OFFICIAL`` phrase (a title) is followed by a name whose shape ``NAME_START`` /
``NAME_PART`` describe. Only what needs a shape or an operator is a token pattern for
spaCy's ``Matcher`` (``token_patterns``). ``all_patterns`` gives both in the
``EntityRuler`` format, for inspection (``tests/test_baselines.py`` scans them).
"""

from __future__ import annotations

from typing import Callable

from baselines.rules import lexicon as lx

CAP = r"^(?!(The|A|An|This|That|These|Those|In|On|At|But|And|For|After|Since|Before|While|When|Last|Late|" \
      r"Early|Our|Their|Its|His|Her|Former|Top|Iraqi|Iranian|American|US|U\.S\.?)$)[A-Z][\w'’.]*$"
_NOT_NAMES = "The|A|An|This|That|These|Those|Our|Their|Its|His|Her|In|On|At|By|From|Into|Of|For|With|And|To|Amid|" \
             "Against|After|Over"
NAME_PART = r"^(?!(" + _NOT_NAMES + r")$)([A-Z][\w'’.]*|al|el|bin|ibn|-)$"
NAME_START = r"^(?!(" + _NOT_NAMES + r")$)[A-Z][\w'’]*$"


def _in(words) -> dict:
    return {"IN": sorted({w.lower() for w in words})}


def _single(words) -> list[str]:
    return [w for w in words if " " not in w]


NUM = {"LOWER": {"REGEX": lx.NUMBER_REGEX}}


def weapon_patterns() -> list[dict]:
    """A count, a calibre, modifiers and a weapon noun; "*" and "?" stand for the patterns without them."""
    tail = [{"LOWER": _in(lx.WEAPON_MODIFIERS), "OP": "*"}, {"LOWER": _in(lx.WEAPON_NOUNS)}]
    calibres = [[{"LOWER": {"REGEX": r"^\d+(mm|cm)$"}, "OP": "?"}],
                [{"TEXT": {"REGEX": r"^\d+$"}}, {"LOWER": {"IN": ["mm", "cm"]}}]]
    counts = [[dict(NUM, OP="*")], [{"LOWER": {"IN": ["a", "two", "three"]}}, {"LOWER": "dozen"}]]
    return [{"label": "WEAPON", "pattern": count + calibre + tail} for count in counts for calibre in calibres]


def casualty_patterns() -> list[dict]:
    noun = {"LOWER": _in(lx.PEOPLE_NOUNS)}
    mods = {"LOWER": _in(lx.PEOPLE_MODIFIERS), "OP": "*"}
    starts = [[{"LOWER": {"IN": ["another"]}, "OP": "?"}, dict(NUM, OP="+")],
              [{"LOWER": {"IN": ["a", "an", "another", *lx.VAGUE_STARTS]}}],
              [{"LOWER": {"IN": ["a", "two", "three"]}}, {"LOWER": "dozen"}],
              [{"LOWER": {"IN": list(lx.VAGUE_QUANTITY)}}, {"LOWER": "of", "OP": "?"}],
              [{"LOWER": {"IN": ["the"]}}, {"LOWER": {"IN": ["wounded", "injured", "dead"]}}]]
    patterns = [start + [mods, noun] for start in starts]
    patterns.append([{"LOWER": {"IN": ["no", "any"]}}, {"LOWER": {"IN": ["casualties", "fatalities"]}}])
    return [{"label": "CASUALTY", "id": "numeral", "pattern": p} for p in patterns]


def actor_patterns() -> list[dict]:
    heads = {"LOWER": _in(lx.ARMED_GROUP_HEADS)}
    patterns = [[heads, {"TEXT": {"REGEX": NAME_PART}, "OP": "*"}, {"TEXT": {"REGEX": NAME_START}}],
                [{"TEXT": {"REGEX": CAP}, "OP": "+"}, {"LOWER": _in(lx.ORG_HEADS), "IS_TITLE": True}],
                # a named group based in a country or city: "<Name> <Resistance|Front|...> in <Place>"
                [{"TEXT": {"REGEX": CAP}, "OP": "+"}, {"LOWER": _in(lx.ORG_HEADS), "IS_TITLE": True},
                 {"LOWER": "in"}, {"TEXT": {"IN": sorted(_single({*lx.COUNTRIES, *lx.IRAQ_PLACES}))}}]]
    backer = [{"TEXT": {"REGEX": r"^[A-Z][\w'’]*$"}}, {"ORTH": "-"}, {"LOWER": _in(lx.BACKING_WORDS)}]
    pro = [{"LOWER": "pro"}, {"ORTH": "-"}, {"TEXT": {"REGEX": r"^[A-Z][\w'’]*$"}}]
    group_tail = [{"LOWER": _in(lx.GROUP_MODIFIERS), "OP": "*"}, {"LOWER": _in(lx.GROUP_NOUNS)}]
    nominals = [backer + group_tail, pro + group_tail, pro + backer[1:] + group_tail,
                [{"LOWER": _in(lx.FORCE_MODIFIERS), "OP": "+"}, {"LOWER": _in(lx.FORCE_NOUNS)}]]
    out = [{"label": "ACTOR", "id": "name", "pattern": p} for p in patterns]
    out += [{"label": "ACTOR", "id": "nominal", "pattern": p} for p in nominals]
    determiner = {"LOWER": {"IN": list(lx.DETERMINERS)}}
    out.append({"label": "DET_ACTOR", "pattern": [determiner, {"LOWER": "same", "OP": "?"},
                                                  {"LOWER": _in(lx.GROUP_MODIFIERS), "OP": "*"},
                                                  {"LOWER": _in(lx.GROUP_NOUNS)}]})
    return out


NAME = [{"TEXT": {"REGEX": NAME_START}}, {"TEXT": {"REGEX": NAME_PART}, "OP": "*"}]


def group_head_phrases() -> list[dict]:
    """A head word of an armed group's name on its own is a name too."""
    return [{"label": "ACTOR", "id": "name", "phrase": [head]} for head in dict.fromkeys(lx.ARMED_GROUP_HEADS)]


def official_phrases() -> list[dict]:
    """Titles: an ``OFFICIAL`` is a title phrase followed by a ``NAME`` (the id: title tokens to drop)."""
    return [{"label": "OFFICIAL", "id": f"title{len(title.split())}", "phrase": title.split(), "then": "name"}
            for title in lx.TITLES]


def location_patterns() -> list[dict]:
    place_types = _single(lx.PLACE_TYPE_NOUNS)
    facility = _single(lx.FACILITY_NOUNS)
    name = [{"TEXT": {"REGEX": NAME_START}}, {"TEXT": {"REGEX": NAME_PART}, "OP": "*"}]
    patterns = [{"label": "LOCATION", "pattern": name + [{"LOWER": "military", "OP": "?"}, {"LOWER": _in(place_types)}]},
                {"label": "LOCATION", "pattern": name + [{"LOWER": "air"}, {"LOWER": {"IN": ["base", "field"]}}]}]
    determiner = {"LOWER": {"IN": [*lx.DETERMINERS, "’s", "'s"]}}
    modifiers = {"LOWER": _in(lx.FACILITY_MODIFIERS), "OP": "*"}
    patterns.append({"label": "FACILITY", "pattern": [determiner, modifiers, {"LOWER": _in(facility)}]})
    patterns.append({"label": "LOCATION", "pattern": [dict(modifiers, OP="+"), {"LOWER": _in(facility)}]})
    return patterns


def place_phrases(tokenize: Callable[[str], list[str]]) -> list[dict]:
    """Place names in the spellings the text must have (the name, and its upper case when longer than 3)."""
    out = []
    for name in (*lx.COUNTRIES, *lx.IRAQ_PLACES, *lx.OTHER_PLACES):
        kind = "country" if name in lx.COUNTRIES or name in lx.CAPITALS else "place"
        variants = [tokenize(v) for v in dict.fromkeys((name, name.upper() if len(name) > 3 else name))]
        out.append({"label": "PLACE_NAME", "id": kind, "phrase": variants[0], "case": variants})
    return out


def trigger_phrases() -> list[dict]:
    out = [{"label": "ATTACK", "id": "singular", "phrase": w.split()} for w in lx.TRIGGER_WORDS]
    out += [{"label": "ATTACK", "id": "plural", "phrase": w.split()} for w in lx.PLURAL_TRIGGERS]
    return out


def token_patterns() -> list[dict]:
    """The patterns that need a shape or an operator (spaCy ``Matcher``), in ``EntityRuler`` format."""
    return [*weapon_patterns(), *casualty_patterns(), *actor_patterns(), *location_patterns()]


def phrase_patterns(tokenize: Callable[[str], list[str]] = str.split) -> list[dict]:
    """The literal entries: ``{"label", "id", "phrase": words[, "case": [words, ...]][, "then": "name"]}``."""
    return [*official_phrases(), *group_head_phrases(), *place_phrases(tokenize), *trigger_phrases()]


def all_patterns(tokenize: Callable[[str], list[str]] = str.split) -> list[dict]:
    """Every pattern as an ``EntityRuler`` token pattern (phrases spelt out), for inspection."""
    out = token_patterns()
    for phrase in phrase_patterns(tokenize):
        pattern = [{"LOWER": w.lower()} for w in phrase["phrase"]] + (NAME if phrase.get("then") else [])
        out.append({"label": phrase["label"], "id": phrase["id"], "pattern": pattern})
    return out
