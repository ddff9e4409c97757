"""Token patterns in spaCy's ``Matcher`` format, matched by an automaton over word types.

``TokenMatcher`` finds what spaCy's ``Matcher`` finds (without ``greedy``): every
``(pattern, start, end)`` whose tokens match the pattern, once, for the part of the format
that ``baselines.rules.patterns`` uses: the attributes ``LOWER``, ``TEXT`` and ``ORTH``
(a string, ``{"IN": [...]}`` or ``{"REGEX": ...}``, tested as spaCy tests them: equality,
membership, ``re.search``), ``IS_TITLE`` (``str.istitle``) and the operators ``?``, ``*``
and ``+``. spaCy's ``Matcher`` tries every pattern at every token; here the tests of a
word are computed once per spelling, and one deterministic automaton, built as the words
need it, runs all the patterns together from each token, so a token that starts no
pattern costs one look-up.
"""

from __future__ import annotations

import re
from typing import Callable, Iterable, Sequence

Step = tuple[int, bool, bool]  # (the bit of its token test, may repeat, may be skipped)
Position = tuple[int, int]  # (pattern, steps matched)


def _test(attr: str, value) -> Callable[[str], bool]:
    """spaCy's test of one attribute of a token spec, as a predicate on the token's text."""
    if attr == "IS_TITLE":
        return lambda word: word.istitle() == value
    if attr not in ("LOWER", "TEXT", "ORTH"):
        raise ValueError(f"token attribute {attr!r} is not supported")
    form = str.lower if attr == "LOWER" else str
    if isinstance(value, str):
        return lambda word: form(word) == value
    if not isinstance(value, dict) or len(value) != 1 or next(iter(value)) not in ("IN", "REGEX"):
        raise ValueError(f"token test {value!r} is not supported")
    (operator, argument), = value.items()
    if operator == "IN":
        members = frozenset(argument)
        return lambda word: form(word) in members
    search = re.compile(argument).search
    return lambda word: search(form(word)) is not None


class TokenMatcher:
    """All matches of token patterns (lists of spaCy token specs), as spaCy's ``Matcher`` gives them."""

    def __init__(self, patterns: Iterable[Sequence[dict]]) -> None:
        bits: dict[str, int] = {}
        self._tests: list[list[Callable[[str], bool]]] = []  # one conjunction per bit
        self._patterns: list[tuple[Step, ...]] = []
        for pattern in patterns:
            steps: list[Step] = []
            for spec in pattern:
                conditions = {attr: value for attr, value in spec.items() if attr != "OP"}
                key = repr(sorted(conditions.items()))
                if key not in bits:
                    bits[key] = len(self._tests)
                    self._tests.append([_test(attr, value) for attr, value in conditions.items()])
                bit, operator = 1 << bits[key], spec.get("OP")
                if operator == "+":
                    steps += [(bit, False, False), (bit, True, True)]
                elif operator in (None, "?", "*"):
                    steps.append((bit, operator == "*", operator is not None))
                else:
                    raise ValueError(f"operator {operator!r} is not supported")
            self._patterns.append(tuple(steps))
        self._masks: dict[str, int] = {}  # spelling -> the bits of the tests it passes
        # automaton states: sets of positions; state 0 matches nothing more, state 1 is the start
        start = self._closure((n, 0) for n in range(len(self._patterns)))
        self._states: list[frozenset[Position]] = [frozenset(), start]
        self._state_ids: dict[frozenset[Position], int] = {frozenset(): 0, start: 1}
        self._moves: list[dict[int, tuple[int, tuple[int, ...]]]] = [{}, {}]  # mask -> (state, patterns matched)

    def _closure(self, positions: Iterable[Position]) -> frozenset[Position]:
        """``positions`` and those reached from them by skipping optional steps."""
        out = set()
        for n, i in positions:
            steps = self._patterns[n]
            out.add((n, i))
            while i < len(steps) and steps[i][2]:
                i += 1
                out.add((n, i))
        return frozenset(out)

    def _mask(self, word: str) -> int:
        mask = self._masks.get(word)
        if mask is None:
            mask = sum(1 << bit for bit, tests in enumerate(self._tests) if all(test(word) for test in tests))
            self._masks[word] = mask
        return mask

    def _move(self, state: int, mask: int) -> tuple[int, tuple[int, ...]]:
        """The state after a word with tests ``mask`` and the patterns that end there."""
        following = []
        for n, i in self._states[state]:
            steps = self._patterns[n]
            if i < len(steps) and mask & steps[i][0]:
                following.append((n, i if steps[i][1] else i + 1))
        target = self._closure(following)
        if target not in self._state_ids:
            self._state_ids[target] = len(self._states)
            self._states.append(target)
            self._moves.append({})
        move = (self._state_ids[target], tuple(sorted(n for n, i in target if i == len(self._patterns[n]))))
        self._moves[state][mask] = move
        return move

    def __call__(self, words: Sequence[str], limits: Sequence[int]) -> list[tuple[int, int, int]]:
        """``(pattern index, start, end)`` of every match with ``end <= limits[start]``, each once."""
        masks = [self._mask(word) for word in words]
        moves = self._moves
        found = []
        for start, limit in enumerate(limits):
            state, end = 1, start
            while end < limit:
                mask = masks[end]
                move = moves[state].get(mask) or self._move(state, mask)
                state, matched = move
                if not state:
                    break
                end += 1
                for n in matched:
                    found.append((n, start, end))
        return found
