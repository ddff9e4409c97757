"""The benchmark's deterministic tokenisation and sentence segmentation.

spaCy's blank English tokenizer and its rule-based ``sentencizer``, run line by line:
every line break ends a sentence (headlines, captions and paragraphs are their own
sentences), and white-space tokens are dropped. Tokens and sentences are ``Span``s of
half-open code-point offsets into the document text, so they line up with annotations.
No model is downloaded.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache

import spacy

from benchmark.model import Document, Span


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence: its character span and its tokens' character spans."""

    span: Span
    tokens: tuple[Span, ...]


@cache
def _pipeline() -> spacy.language.Language:
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


def _lines(text: str) -> list[tuple[int, str]]:
    out, offset = [], 0
    for line in text.split("\n"):
        if line.strip():
            out.append((offset, line))
        offset += len(line) + 1
    return out


def segment_text(text: str) -> tuple[Sentence, ...]:
    """Sentences of ``text`` with their tokens, in text order."""
    sentences = []
    lines = _lines(text)
    for (offset, _), doc in zip(lines, _pipeline().pipe(line for _, line in lines)):
        for sent in doc.sents:
            tokens = tuple(Span(offset + t.idx, offset + t.idx + len(t.text)) for t in sent if not t.is_space)
            if tokens:
                sentences.append(Sentence(Span(tokens[0].start, tokens[-1].end), tokens))
    return tuple(sentences)


@lru_cache(maxsize=64)
def _segment_cached(text: str) -> tuple[Sentence, ...]:
    return segment_text(text)


def sentences_of(document: Document) -> tuple[Sentence, ...]:
    """The sentences of a document (cached by text)."""
    return _segment_cached(document.text)


def sentence_index(sentences: tuple[Sentence, ...], span: Span) -> int | None:
    """Index of the sentence containing ``span`` entirely, or None if it crosses a boundary."""
    for n, sentence in enumerate(sentences):
        if sentence.span.start <= span.start and span.end <= sentence.span.end:
            return n
    return None


@lru_cache(maxsize=64)
def _boundaries_cached(text: str) -> tuple[frozenset[int], frozenset[int]]:
    sentences = _segment_cached(text)
    return (frozenset(t.start for s in sentences for t in s.tokens),
            frozenset(t.end for s in sentences for t in s.tokens))


def token_boundaries(document: Document) -> tuple[frozenset[int], frozenset[int]]:
    """The offsets where benchmark tokens start, and where they end (cached by text)."""
    return _boundaries_cached(document.text)
