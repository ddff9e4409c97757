"""Context resolution of the rules baseline's pattern candidates (token positions of one sentence).

``resolve`` turns ``(token_start, token_end, kind, pattern_id)`` candidates from the
``EntityRuler`` into items ``(token_start, token_end, label, attributes)``: entities
and ``ATTACK`` triggers, following the general conventions of the guidelines (see
``baselines.rules``). It also returns the names worth looking for elsewhere in the
document. Words are token texts; no character offsets here.
"""

from __future__ import annotations

from typing import Iterable, Sequence

from baselines.rules import lexicon as lx
from baselines.common.numbers import count_outside, is_calibre, parse_number, qualifier_before

Item = tuple[int, int, str, dict]
Candidate = tuple[int, int, str, str]
COMPASS = frozenset(("the", "northern", "southern", "eastern", "western", "central", "neighbouring", "neighboring",
                     "autonomous"))
PLURAL_HEADS = frozenset(("people", "personnel", "staff", "police", "children", "men", "women", "more"))
STRIPPED = frozenset((*lx.DETERMINERS, *lx.VAGUE_STARTS, *lx.VAGUE_QUANTITY, "of", "few", "’s", "'s"))


def _strip(words: Sequence[str], i: int, j: int) -> int:
    while i < j - 1 and words[i].lower() in STRIPPED and not (
            words[i].lower() in ("a", "an") and words[i + 1].lower() == "dozen"):
        i += 1
    return i


def _name_follows(words: Sequence[str], j: int) -> bool:
    return j < len(words) and words[j][:1].isupper() and words[j].lower() not in lx.FUNCTION_WORDS


def resolve(words: Sequence[str], candidates: Iterable[Candidate]) -> tuple[list[Item], set[tuple[str, ...]]]:
    """Items of one sentence from its candidates, and the names to tag across the document."""
    items: list[Item] = []
    names: set[tuple[str, ...]] = set()
    for i, j, kind, pattern_id in candidates:
        if kind == "OFFICIAL":
            i += int(pattern_id[len("title"):])
            while j > i and words[j - 1] in ("-", "al", "el"):
                j -= 1
            if j > i:
                names.add(tuple(words[i:j]))
                if j - i > 1 and words[j - 1][:1].isupper():
                    names.add((words[j - 1],))
                items.append((i, j, "ACTOR", {}))
        elif kind in ("FACILITY", "DET_ACTOR"):
            label = "LOCATION" if kind == "FACILITY" else "ACTOR"
            if not (label == "ACTOR" and _name_follows(words, j)):
                items.append((_strip(words, i, j), j, label, {}))
        elif kind == "PLACE_NAME":
            label = _place_label(words, i, j, pattern_id)
            if label:
                items.append((i, j, label, {}))
        elif kind == "ACTOR":
            if pattern_id == "nominal" and _name_follows(words, j):
                continue
            if pattern_id == "name":
                names.add(tuple(words[i:j]))
            if j + 2 < len(words) and words[j] == "(" and words[j + 2] == ")" and words[j + 1].isupper():
                names.add((words[j + 1],))
            items.append((i, j, "ACTOR", {}))
        elif kind == "WEAPON":
            i = _strip(words, i, j)
            items.append((i, j, "WEAPON", _weapon(words[i:j])))
        elif kind == "CASUALTY":
            casualty = _casualty(words, i, j)
            if casualty:
                items.append(casualty)
        elif kind == "LOCATION":
            items.append((i, j, "LOCATION", {}))
        elif kind == "ATTACK" and _asserted(words, i, j, pattern_id):
            items.append((i, j, "ATTACK", {"plural": pattern_id == "plural"}))
    return _one_per_attack(words, items), names


def _place_label(words: Sequence[str], i: int, j: int, kind: str) -> str | None:
    if j < len(words) and words[j] == "-" or i >= 1 and words[i - 1] == "-":
        return None  # inside a hyphenated word: "Iran-backed", "pro-Iran", "US-coalition"
    if kind == "place":
        return "LOCATION"
    k = i - 1
    while k >= 0 and words[k].lower() in COMPASS:
        k -= 1
    if k >= 0 and words[k].lower() in lx.LOCATIVE_PREPOSITIONS:
        return "LOCATION"
    return "ACTOR"


def _weapon(words: Sequence[str]) -> dict:
    attrs: dict = {"weapon_class": lx.WEAPON_NOUNS.get(words[-1].lower(), "other")}
    number = None if is_calibre(words) else parse_number(words)
    if number is not None:
        attrs["quantity"] = number[0]
    return attrs


def _status(words: Sequence[str], i: int, j: int) -> str | None:
    """The nearest status word; a predicate before the span (its verb) wins ties over one after."""
    found = [(i - k if k < i else k - j + 1 + lx.STATUS_AFTER_PENALTY, lx.STATUS_WORDS[w.lower()])
             for k, w in enumerate(words) if w.lower() in lx.STATUS_WORDS and not i <= k < j]
    found = [pair for pair in found if pair[0] <= lx.STATUS_REACH]
    return min(found)[1] if found else None


def _victim(words: Sequence[str], i: int, j: int) -> str:
    found = {lx.VICTIM_WORDS[w.lower()] for w in words[i:j] if w.lower() in lx.VICTIM_WORDS}
    for victim in ("contractor", "civilian", "military"):
        if victim in found:
            return victim
    if any(w.lower() in lx.MIXED_MARKERS for w in words[j:j + 3]):
        return "mixed"
    return "unknown"


def _casualty(words: Sequence[str], i: int, j: int) -> Item | None:
    head = words[j - 1].lower()
    status = _status(words, i, j) or ("unspecified" if head in ("casualties", "fatalities") else None)
    if status is None or any(w.lower() == "if" for w in words[:i]):
        return None
    i = _strip(words, i, j)
    number = parse_number(words[i:j])
    qualifier = qualifier_before(words[max(0, i - 3):i])
    if number is not None:
        count = number[0]
    else:
        plural = head.endswith("s") or head in PLURAL_HEADS
        outside = count_outside(words[:i], plural) or (1, "exact")
        count = outside[0]
        qualifier = qualifier if qualifier != "exact" else outside[1]
    return i, j, "CASUALTY", {"status": status, "count": count, "qualifier": qualifier,
                              "victim": _victim(words, i, j)}


def _asserted(words: Sequence[str], i: int, j: int, pattern_id: str) -> bool:
    before = [w.lower() for w in words[max(0, i - 2):i]]
    word = words[i].lower()
    if pattern_id == "plural" and not (before and before[-1] in ("the", *lx.LIGHT_VERBS)):
        return False
    if word == "killing" and not (j + 1 < len(words) and words[j] == "of" and words[j + 1][:1].isupper()
                                  or len(before) == 2 and before[-1] in ("’s", "'s") and words[i - 2][:1].isupper()):
        return False
    if word in lx.NEEDS_WEAPON:
        near = [w.lower() for w in words[max(0, i - 3):j + 3]]
        if not (i == 0 or any(w in lx.WEAPON_NOUNS for w in near)):
            return False
    return not any(w in lx.NOT_EVENT_BEFORE for w in before)


def _one_per_attack(words: Sequence[str], items: list[Item]) -> list[Item]:
    """One trigger per attack per sentence: light verbs yield to their noun, repeats to the first."""
    items = sorted(items, key=lambda item: item[:2])
    triggers = [item for item in items if item[2] == "ATTACK"]
    if len(triggers) > 1:
        triggers = [t for t in triggers if words[t[0]].lower() != "killing"]
    weapons = {item[1]: item[0] for item in items if item[2] == "WEAPON"}
    new_attack = lambda t: t[0] in weapons and weapons[t[0]] > 0 and words[weapons[t[0]] - 1].lower() in (
        "a", "an", "and")
    kept: list[Item] = []
    for trigger in triggers:
        word = words[trigger[0]].lower()
        next_trigger = next((t for t in triggers if t[0] > trigger[0]), None)
        if word in lx.LIGHT_VERBS and next_trigger and next_trigger[0] - trigger[1] <= 2:
            continue
        if kept:
            previous = kept[-1]
            close = trigger[0] - previous[1] <= lx.SAME_ATTACK_WINDOW and not new_attack(trigger)
            repeated = word == words[previous[0]].lower() and not new_attack(trigger)
            if close or repeated:
                continue
        kept.append(trigger)
    return [item for item in items if item[2] != "ATTACK"] + [(i, j, k, {}) for i, j, k, _ in kept]


def propagate(items: list[Item], matches) -> list[Item]:
    """Add the document's known names (PhraseMatcher matches) where no item is yet."""
    taken = {k for i, j, _, _ in items for k in range(i, j)}
    out = list(items)
    for _, i, j in sorted(matches, key=lambda m: (m[1] - m[2], m[1])):
        if not taken & set(range(i, j)):
            out.append((i, j, "ACTOR", {}))
            taken |= set(range(i, j))
    return sorted(out, key=lambda item: item[:2])
