"""The benchmark's deterministic tokenisation and sentence segmentation.

spaCy's blank English tokenizer and its rule-based ``sentencizer``, run line by line:
every line break ends a sentence (headlines, captions and paragraphs are their own
sentences), and white-space tokens are dropped. Tokens and sentences are ``Span``s of
half-open code-point offsets into the document text, so they line up with annotations.
No model is downloaded.

Segmenting needs spaCy, which is slow to import; the result for a text is therefore
cached on disk (``benchmark.paths.cache_dir``), keyed by the SHA-256 of the text and
the spaCy version, so commands that only need the tokens of known texts never import it.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from array import array
from bisect import bisect_right
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Sequence

from benchmark.model import Document, Span
from benchmark.paths import cache_dir

SEGMENTER_VERSION = "2"  # change when segment_text changes

#: Abbreviations whose final period belongs to the word (guidelines G2): titles and ranks,
#: and company forms. The tokenizer keeps each with its period, so no sentence ends after it.
ABBREVIATIONS = ("Adm", "Brig", "Capt", "Co", "Col", "Corp", "Dr", "Gen", "Gov", "Inc", "Jr", "Lt", "Ltd", "Maj",
                 "Mr", "Mrs", "Ms", "Prof", "Rep", "Sen", "Sgt", "Sr", "St")

if TYPE_CHECKING:
    import spacy


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence: its character span and its tokens' character spans."""

    span: Span
    tokens: tuple[Span, ...]


@cache
def _pipeline() -> spacy.language.Language:
    import spacy  # imported on first use: scoring and validating a prediction file need no tokenizer

    nlp = spacy.blank("en")
    for word in ABBREVIATIONS:  # spaCy's own exceptions miss some ("Lt." would end a sentence)
        nlp.tokenizer.add_special_case(f"{word}.", [{"ORTH": f"{word}."}])
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


@cache
def spacy_version() -> str:
    """The installed spaCy's version, without importing spaCy (part of every cache key)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("spacy")
    except PackageNotFoundError:  # pragma: no cover
        return "unknown"


def _cache_file(text: str):
    key = hashlib.sha256(f"{SEGMENTER_VERSION}\0{spacy_version()}\0".encode() + text.encode("utf-8")).hexdigest()
    return cache_dir().joinpath("tokens", f"{key}.bin")


# A cache file is one array of 64-bit integers in this machine's byte order: the number of
# sentences n, then (start, end, number of tokens) per sentence, then (start, end) per token.
# Reading it is a copy of bytes; no parsing.

def _from_values(values: array) -> tuple[array, array] | None:
    """(sentence rows, flat token offsets) of a cache file's integers; None when damaged."""
    n = values[0] if values else -1
    sentences, offsets = values[1 : 1 + 3 * n], values[1 + 3 * n :]
    counts = sentences[2::3]
    if n < 0 or len(sentences) != 3 * n or min(counts, default=0) < 0 or 2 * sum(counts) != len(offsets):
        return None
    return sentences, offsets


def _to_values(sentences: tuple[Sentence, ...]) -> array:
    values = array("q", [len(sentences)])
    for s in sentences:
        values.extend((s.span.start, s.span.end, len(s.tokens)))
    for s in sentences:
        for t in s.tokens:
            values.extend((t.start, t.end))
    return values


def _cached_table(text: str) -> tuple[array, array] | None:
    """The cached segmentation of ``text``: (sentence rows, flat token offsets), or None."""
    values = array("q")
    try:
        values.frombytes(_cache_file(text).read_bytes())
    except (OSError, ValueError):
        return None  # not cached yet, unreadable, or not whole integers
    return _from_values(values)  # None when damaged: segmented again


def _table(text: str) -> tuple[array, array]:
    """The segmentation of ``text`` as (sentence rows, flat token offsets): cached, or segmented now (and cached)."""
    return _cached_table(text) or _from_values(_to_values(_segment_cached(text)))


def _write_table(text: str, sentences: tuple[Sentence, ...]) -> None:
    values = _to_values(sentences)
    path, tmp = _cache_file(text), None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            handle.write(values.tobytes())
        os.replace(tmp, path)
    except OSError:  # a read-only or full cache only costs time
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass


def _sentence_offsets(sentences: array, offsets: array) -> list[list[int]]:
    """The flat token offsets of each sentence, from a table."""
    out, at = [], 0
    for count in sentences[2::3]:
        out.append(offsets[at : at + 2 * count].tolist())
        at += 2 * count
    return out


@lru_cache(maxsize=64)
def _segment_cached(text: str) -> tuple[Sentence, ...]:
    table = _cached_table(text)
    if table is not None:
        sentences, offsets = table
        try:
            return tuple(Sentence(Span(start, end), tuple(Span(s, e) for s, e in zip(row[::2], row[1::2])))
                         for start, end, row in zip(sentences[0::3], sentences[1::3],
                                                    _sentence_offsets(sentences, offsets)))
        except (TypeError, ValueError):
            pass  # a damaged cache entry: segment again
    sentences = segment_text(text)
    _write_table(text, sentences)
    return sentences


class _Interiors:
    """The offsets inside a document's tokens (after a token's first character, before its end),
    as a membership test by bisection over the token starts."""

    def __init__(self, starts: Sequence[int], ends: Sequence[int]) -> None:
        self.starts, self.ends = starts, ends

    def __contains__(self, offset: int) -> bool:
        i = bisect_right(self.starts, offset) - 1
        return i >= 0 and self.starts[i] < offset < self.ends[i]


def token_interiors(document: Document) -> _Interiors:
    """The offsets that fall inside a benchmark token (``offset in token_interiors(doc)``)."""
    offsets = _table(document.text)[1]  # tokens in text order
    return _Interiors(offsets[0::2], offsets[1::2])


def sentences_of(document: Document) -> tuple[Sentence, ...]:
    """The sentences of a document (cached by text)."""
    return _segment_cached(document.text)


def token_offsets(document: Document) -> list[list[int]]:
    """The token offsets of each sentence, in text order, flat: ``[start, end, start, end, ...]``
    (half-open code points). Read from the disk cache without building ``Span``s (on a miss,
    segmented and cached); the lists are the caller's."""
    return _sentence_offsets(*_table(document.text))


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
