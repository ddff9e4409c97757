"""Rules baseline: spaCy ``PhraseMatcher`` and ``Matcher`` patterns over the benchmark tokens.

Candidates come from hand-written patterns (``baselines.rules.patterns``) over lexicons of
general domain knowledge (``baselines.rules.lexicon``); they are **not** copied from the gold.
Each document is segmented once (the benchmark's own tokens and sentences, as offsets from
``benchmark.tokens.token_offsets``) and becomes one ``spacy.tokens.Doc`` (``Doc(vocab,
words)``, ``spacy.blank("en")``, no model download) that every step shares: one
``PhraseMatcher`` pass (attribute ``LOWER``) finds the literal entries, one ``Matcher``
pass the shaped patterns; a match that crosses a sentence boundary is dropped, and
overlaps are resolved as spaCy's ``EntityRuler`` does (longest first, then leftmost).
Token indices map back to the benchmark's character offsets (half-open code points).

Candidates are resolved in context (``baselines.rules.resolve``): determiners and vague
quantities are left out of spans; a country is a LOCATION after a locative preposition
and an ACTOR otherwise; a casualty needs a status word in its sentence and gets its
count from ``text2num`` or the guidelines' vague-quantity convention; a trigger is
dropped after modal, threat or negation words, when plural and not definite, and when
it repeats an attack already mentioned in its sentence. Names of officials, groups and
their acronyms found once are tagged again across the document (exact token sequences).
Arguments follow syntax-free rules (``baselines.rules.arguments``). ``link_incidents``
puts incident keys on the events of a set of documents and gives their records
(``baselines.rules.incidents``).

The authors of these rules have read the five test articles and the guidelines' worked
examples, so its scores are an optimistic reference, not a held-out result.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Sequence

import spacy
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from benchmark.model import Annotation, Document, Entity, Event, Span, to_attributes
from benchmark.schema import Schema, load_schema
from benchmark.tokens import token_offsets

from baselines.rules import lexicon as lx
from baselines.common.assemble import assemble
from baselines.common.base import PerDocument
from baselines.rules.patterns import NAME_PART, NAME_START, phrase_patterns, token_patterns
from baselines.rules.resolve import Candidate, Item, propagate, resolve
from baselines.rules.arguments import arguments
from baselines.rules.matcher import TokenMatcher

_NAME_START, _NAME_PART = re.compile(NAME_START), re.compile(NAME_PART)


def _nearest(span: tuple[int, int], triggers: list[tuple[int, int]]) -> tuple[int, int]:
    """The trigger closest to a token span (ties: the earlier trigger); arguments go to it only."""
    return min(triggers, key=lambda t: (max(t[0] - span[1], span[0] - t[1], 0), t[0]))


def _boilerplate(words: Sequence[str]) -> bool:
    return " ".join(words[:2]).lower().startswith(lx.BOILERPLATE_STARTS)


@dataclass(frozen=True)
class _Key:
    """What a match key stands for: candidate kind, pattern id, spellings required, a name to follow."""

    label: str
    pattern_id: str
    order: tuple[int, int]  # spaCy's order of (label, id) among spans with equal offsets
    case: frozenset | None = None
    then_name: bool = False


class _Matchers:
    """The compiled patterns: one ``PhraseMatcher`` (``LOWER``) and one ``Matcher`` on a shared vocabulary."""

    def __init__(self) -> None:
        nlp = spacy.blank("en")
        self.vocab = nlp.vocab
        strings = self.vocab.strings
        self.phrases = PhraseMatcher(self.vocab, attr="LOWER")
        self.keys: dict[int, _Key] = {}
        tokenize = lambda text: [t.text for t in nlp.make_doc(text)]
        for n, entry in enumerate(phrase_patterns(tokenize)):
            name = f"phrase{n}"
            variants = entry.get("case") or [entry["phrase"]]
            self.phrases.add(name, [Doc(self.vocab, words=[w.lower() for w in v]) for v in variants])
            self.keys[strings.add(name)] = _Key(
                entry["label"], entry["id"], (strings.add(entry["label"]), strings.add(entry["id"])),
                frozenset(map(tuple, entry["case"])) if "case" in entry else None, entry.get("then") == "name")
        entries = token_patterns()
        self.tokens = TokenMatcher(entry["pattern"] for entry in entries)
        self.token_keys = [_Key(entry["label"], entry.get("id", ""),
                                (strings.add(entry["label"]), strings.add(entry.get("id", ""))))
                           for entry in entries]

    def candidates(self, doc: Doc, words: Sequence[str], sentence_end: Sequence[int]) -> list[Candidate]:
        """Non-overlapping ``(token_start, token_end, kind, pattern_id)`` candidates of the whole ``doc``.

        ``sentence_end[i]`` is the end of token ``i``'s sentence: no candidate crosses it.
        Overlaps are settled as the ``EntityRuler`` settles them (spans deduplicated and
        sorted as spaCy sorts ``Span``s, then longest first, leftmost first).
        """
        found: set[tuple[int, int, tuple[int, int], str, str]] = set()
        for match_id, start, end in self.phrases(doc):
            key = self.keys[match_id]
            if key.case is not None and tuple(words[start:end]) not in key.case:
                continue
            if not key.then_name:
                found.add((start, end, key.order, key.label, key.pattern_id))
                continue
            limit = sentence_end[start]
            if end < limit and _NAME_START.search(words[end]):  # title + NAME_START + NAME_PART*
                stop = end + 1
                while True:
                    found.add((start, stop, key.order, key.label, key.pattern_id))
                    if stop < limit and _NAME_PART.search(words[stop]):
                        stop += 1
                    else:
                        break
        for n, start, end in self.tokens(words, sentence_end):
            key = self.token_keys[n]
            found.add((start, end, key.order, key.label, key.pattern_id))
        taken = [False] * len(words)
        kept = []
        for start, end, _, label, pattern_id in sorted(sorted(found), key=lambda m: (m[1] - m[0], -m[0]),
                                                       reverse=True):
            if not any(taken[start:end]):
                taken[start:end] = [True] * (end - start)
                kept.append((start, end, label, pattern_id))
        return sorted(kept)


class Rules(PerDocument):
    """Rule-based extractor (see the module docstring)."""

    name = "rules"

    def __init__(self, schema: Schema | None = None) -> None:
        self.schema = schema or load_schema()
        self._matchers: _Matchers | None = None

    def __getstate__(self) -> dict:
        return {**self.__dict__, "_matchers": None}

    def link_incidents(self, documents: Iterable[Document], annotations: Sequence[Annotation]
                       ) -> tuple[list[Annotation], list[dict]]:
        """Incident keys on the events of ``annotations`` and their records (``baselines.rules.incidents``).

        Canonical names come from ``annotations/canonical_names.json`` when it exists.
        """
        from benchmark.paths import ANNOTATIONS_DIR

        from baselines.rules.incidents import link_incidents

        return link_incidents(documents, annotations, ANNOTATIONS_DIR / "canonical_names.json")

    @property
    def matchers(self) -> _Matchers:
        if self._matchers is None:
            self._matchers = _Matchers()
        return self._matchers

    def extract_one(self, document: Document) -> Annotation:
        matchers = self.matchers
        text = document.text
        sents = []  # (words, token starts, token ends) of each benchmark sentence, boilerplate left out
        for offsets in token_offsets(document):
            starts, ends = offsets[::2], offsets[1::2]
            words = tuple([text[start:end] for start, end in zip(starts, ends)])
            if not _boilerplate(words):
                sents.append((words, starts, ends))
        words = [w for s in sents for w in s[0]]
        offsets, sentence_end, offset = [], [], 0
        for s in sents:
            offsets.append(offset)
            offset += len(s[0])
            sentence_end += [offset] * len(s[0])
        by_sentence: list[list[Candidate]] = [[] for _ in sents]
        if words:
            sentence_of = [n for n, s in enumerate(sents) for _ in s[0]]
            doc = Doc(matchers.vocab, words=words)  # white space between tokens does not matter to the patterns
            for start, end, kind, pattern_id in matchers.candidates(doc, words, sentence_end):
                n = sentence_of[start]
                by_sentence[n].append((start - offsets[n], end - offsets[n], kind, pattern_id))
        resolved = [resolve(s[0], found) for s, found in zip(sents, by_sentence)]
        names = {name for _, found in resolved for name in found}
        lengths = sorted({len(name) for name in names})
        first_words = {name[0] for name in names}
        entities: list[Entity] = []
        events: list[Event] = []
        for (sentence_words, starts, ends), (items, _) in zip(sents, resolved):
            matches = [(0, i, i + size) for i, word in enumerate(sentence_words) if word in first_words
                       for size in lengths
                       if i + size <= len(sentence_words) and tuple(sentence_words[i:i + size]) in names]
            items: list[Item] = propagate(items, matches)
            spans = {(i, j): Entity(Span(starts[i], ends[j - 1]), label, to_attributes(attrs))
                     for i, j, label, attrs in items if label != "ATTACK"}
            entities += spans.values()
            triggers = [(i, j) for i, j, label, _ in items if label == "ATTACK"]
            nearest = {r: _nearest(r, triggers) for r in spans} if triggers else {}
            for i, j in triggers:
                near = {r: e for r, e in spans.items() if nearest[r] == (i, j)}
                events.append(Event("ATTACK", Span(starts[i], ends[j - 1]), arguments(sentence_words, (i, j), near)))
        return assemble(document, entities, events, self.schema)
