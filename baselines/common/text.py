"""Token helpers shared by the baselines: benchmark tokens with their words, phrase matching.

Offsets are half-open ``[start, end)`` code-point indices into the document text; token
positions (``token_start`` / ``token_end``, end exclusive) index a sentence's tokens from
``benchmark.tokens.sentences_of``, the benchmark's own tokenisation.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Hashable, Mapping, Sequence, TypeVar

from benchmark.model import Document, Span
from benchmark.tokens import sentences_of

V = TypeVar("V")


@dataclass(frozen=True, slots=True)
class Sentence:
    """A benchmark sentence with its token spans and their texts."""

    span: Span
    tokens: tuple[Span, ...]
    words: tuple[str, ...]

    def span_of(self, token_start: int, token_end: int) -> Span:
        """Character span of tokens ``[token_start, token_end)``."""
        return Span(self.tokens[token_start].start, self.tokens[token_end - 1].end)

    def contains(self, span: Span) -> bool:
        return self.span.start <= span.start and span.end <= self.span.end


def sentences(document: Document) -> tuple[Sentence, ...]:
    """The benchmark sentences of ``document`` with token texts."""
    text = document.text
    return tuple(Sentence(s.span, s.tokens, tuple(t.text_in(text) for t in s.tokens))
                 for s in sentences_of(document))


def token_bounds(sentence: Sentence) -> tuple[dict[int, int], dict[int, int]]:
    """Maps character start -> token index and character end -> token index + 1."""
    return ({t.start: i for i, t in enumerate(sentence.tokens)},
            {t.end: i + 1 for i, t in enumerate(sentence.tokens)})


def longest_matches(keys: Sequence[Hashable], phrases: Mapping[tuple, V], max_length: int
                    ) -> list[tuple[int, int, V]]:
    """Non-overlapping ``(token_start, token_end, value)`` matches of ``phrases`` in ``keys``.

    Longest match first (ties: leftmost), no overlaps; returned in text order.
    """
    candidates = []
    for start in range(len(keys)):
        for length in range(min(max_length, len(keys) - start), 0, -1):
            value = phrases.get(tuple(keys[start:start + length]))
            if value is not None:
                candidates.append((-length, start, value))
    taken = [False] * len(keys)
    chosen = []
    for negative_length, start, value in sorted(candidates, key=lambda c: (c[0], c[1])):
        end = start - negative_length
        if not any(taken[start:end]):
            taken[start:end] = [True] * (end - start)
            chosen.append((start, end, value))
    return sorted(chosen, key=lambda m: m[0])


def token_range(sentence: Sentence, span: Span) -> tuple[int, int] | None:
    """``(token_start, token_end)`` of the tokens overlapping ``span``, or None if none does."""
    inside = [i for i, t in enumerate(sentence.tokens) if t.start < span.end and span.start < t.end]
    return (inside[0], inside[-1] + 1) if inside else None


def sentence_of(sents: Sequence[Sentence], span: Span) -> Sentence | None:
    """The sentence that contains ``span`` entirely, or None."""
    return next((s for s in sents if s.contains(span)), None)
