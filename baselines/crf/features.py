"""Feature dictionaries for the learned baselines (CRF tokens, argument pairs, attributes).

Features are computed from token texts and token positions of one benchmark sentence
(``token_start`` / ``token_end``, end exclusive); no character offsets here.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Sequence

from baselines.common.numbers import parse_number, qualifier_before

WINDOW = 2


@lru_cache(maxsize=65536)
def shape(word: str) -> str:
    """Collapsed word shape: "Kata'ib" -> "Xx'x", "107mm" -> "dx"."""
    mapped = re.sub(r"[A-Z]", "X", re.sub(r"[a-z]", "x", re.sub(r"\d", "d", word)))
    return re.sub(r"(.)\1+", r"\1", mapped)


@lru_cache(maxsize=65536)
def _word(word: str) -> tuple[tuple[str, object], ...]:
    lower = word.lower()
    return (("lower", lower), ("shape", shape(word)), ("title", word.istitle()), ("upper", word.isupper()),
            ("suffix3", lower[-3:]))


@lru_cache(maxsize=65536)
def _own(word: str) -> tuple[tuple[str, object], ...]:
    lower = word.lower()
    return (("prefix3", lower[:3]), ("suffix2", lower[-2:]), ("digit", word.isdigit()), ("hyphen", "-" in word),
            ("alpha", word.isalpha()), ("number", parse_number([word]) is not None),
            ("punct", not any(c.isalnum() for c in word)))


def token_features(words: Sequence[str], index: int) -> dict:
    """Lexical, shape and context features of token ``index`` (for the CRF)."""
    word = words[index]
    lower = word.lower()
    features: dict = {"bias": 1.0, **dict(_word(word)), **dict(_own(word))}
    for offset in range(-WINDOW, WINDOW + 1):
        if offset and 0 <= index + offset < len(words):
            features.update((f"{offset:+d}:{key}", value) for key, value in _word(words[index + offset]))
    if index == 0:
        features["BOS"] = True
    if index == len(words) - 1:
        features["EOS"] = True
    if 0 < index:
        features["-1|0"] = f"{words[index - 1].lower()}|{lower}"
    if index + 1 < len(words):
        features["0|+1"] = f"{lower}|{words[index + 1].lower()}"
    return features


def sentence_features(words: Sequence[str]) -> list[dict]:
    return [token_features(words, i) for i in range(len(words))]


def _bucket(distance: int) -> str:
    for limit in (0, 1, 2, 4, 8, 16):
        if distance <= limit:
            return str(limit)
    return "far"


def pair_features(words: Sequence[str], trigger: tuple[int, int], entity: tuple[int, int], label: str,
                  entities_between: int, status: object = None) -> dict:
    """Features of a (trigger, entity) pair of one sentence, for the argument-role classifier."""
    (t0, t1), (e0, e1) = trigger, entity
    side = "before" if e1 <= t0 else "after"
    between = words[e1:t0] if side == "before" else words[t1:e0]
    distance = len(between)
    prev = words[e0 - 1].lower() if e0 > 0 else "<s>"
    prev2 = words[e0 - 2].lower() if e0 > 1 else "<s>"
    features = {"label": label, "trigger": words[t1 - 1].lower(), "side": side, "distance": _bucket(distance),
                "label|side": f"{label}|{side}", "label|prev": f"{label}|{prev}", "prev": prev,
                "prev2|prev": f"{prev2}|{prev}", "head": words[e1 - 1].lower(),
                "next": words[e1].lower() if e1 < len(words) else "</s>",
                "entities_between": _bucket(entities_between),
                "label|side|distance": f"{label}|{side}|{_bucket(distance)}"}
    for word in between[:12]:
        features[f"between:{word.lower()}"] = 1.0
    if status is not None:
        features["status"] = str(status)
    return features


def context_features(words: Sequence[str], span: tuple[int, int], window: int = 8) -> dict:
    """Words around and inside a span with their side and distance (casualty status)."""
    e0, e1 = span
    features: dict = {"bias": 1.0, "head": words[e1 - 1].lower()}
    for k in range(max(0, e0 - window), e0):
        features[f"L:{words[k].lower()}"] = 1.0
        features[f"L{_bucket(e0 - k - 1)}:{words[k].lower()}"] = 1.0
    for k in range(e1, min(len(words), e1 + window)):
        features[f"R:{words[k].lower()}"] = 1.0
        features[f"R{_bucket(k - e1)}:{words[k].lower()}"] = 1.0
    for word in words[e0:e1]:
        features[f"in:{word.lower()}"] = 1.0
    return features


def qualifier_features(words: Sequence[str], span: tuple[int, int]) -> dict:
    """The words just before a span (qualifier)."""
    e0, _ = span
    before = [w.lower() for w in words[max(0, e0 - 3):e0]]
    padded = ["<s>"] * (3 - len(before)) + before
    return {"bias": 1.0, "-1": padded[-1], "-2|-1": "|".join(padded[-2:]), "-3|-2|-1": "|".join(padded),
            "first": words[e0].lower(), "parsed": qualifier_before(before)}


def span_word_features(words: Sequence[str], span: tuple[int, int]) -> dict:
    """Words of a span and its head (weapon class)."""
    e0, e1 = span
    features: dict = {"bias": 1.0, "head": words[e1 - 1].lower(), "head_suffix3": words[e1 - 1].lower()[-3:]}
    for word in words[e0:e1]:
        features[f"in:{word.lower()}"] = 1.0
    return features
