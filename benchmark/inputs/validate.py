"""Check annotations against every rule of SPEC sections 1 and 2; report all problems.

Offsets are half-open code-point offsets ``[start, end)`` into the corpus text.

Rules for every file (gold and predictions; SPEC section 2 and the span rule of 1):
known document id, once per file; offsets inside the text; known label, event type,
role, attribute and attribute value; every argument coincides with an entity of the
same document. ``null`` attributes were dropped by the reader (the same as absent).
A span may end in the period of an abbreviation (SPEC 1.1: "A U.S. drone strike" gives
``U.S.``; see ``ends_in_abbreviation``).

Predicted spans with white space or punctuation at an edge, or off the benchmark's
token boundaries, are scored as given (SPEC 1.1 section 2): ``span_notes`` counts them.

Rules for gold only (SPEC section 1): no span starts or ends with white space or
punctuation; text equal to the corpus; no overlapping spans
(entities and triggers alike); unique entity and event ids; required attributes
present; every argument filled by an entity of an allowed label in the same sentence
as its trigger; every span on benchmark token boundaries (so that it maps to IOB2 tags
without loss).
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections import Counter
from functools import lru_cache
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Mapping

from benchmark.errors import Problem
from benchmark.formats.jsonl import iter_annotations
from benchmark.model import Annotation, Attributes, Document, Span
from benchmark.schema import Schema, load_schema
from benchmark.tokens import ABBREVIATIONS, Sentence, sentences_of, token_boundaries


_ABBREVIATION_END = re.compile(r"(?<![\w.])(?:(?:[A-Za-z]\.){2,}|(?:" + "|".join(ABBREVIATIONS) + r")\.)\Z")


def ends_in_abbreviation(covered: str) -> bool:
    """True when the final period of ``covered`` ends an abbreviation and so belongs to the span.

    An abbreviation is a word of single letters each followed by a period, at least two of
    them (``U.S.``, ``U.N.``), or a word of ``benchmark.tokens.ABBREVIATIONS`` with its period
    (``Gen.``, ``Lt.``). ``Erbil.`` and ``stability...`` are not abbreviations.
    """
    return _ABBREVIATION_END.search(covered) is not None


@lru_cache(maxsize=4096)
def _is_edge_junk(char: str) -> bool:
    return char.isspace() or unicodedata.category(char).startswith("P")


_BY_NAME: dict[int, tuple[tuple, dict]] = {}


def _by_name(specs: tuple) -> dict:
    """name -> spec of an owner's attribute specs (kept per tuple, which the schema holds)."""
    entry = _BY_NAME.get(id(specs))
    if entry is None or entry[0] is not specs:
        entry = _BY_NAME[id(specs)] = (specs, {spec.name: spec for spec in specs})
    return entry[1]


def _item(kind: str, obj_id: str | None, span: Span) -> str:
    return f"{kind} {obj_id}" if obj_id else f"{kind} [{span.start}, {span.end})"


class _Checker:
    def __init__(self, schema: Schema, problems: list[Problem], file: str | None, line: int | None,
                 document: str) -> None:
        self.schema, self.problems, self.file, self.line, self.document = schema, problems, file, line, document

    def add(self, message: str, item: str | None = None, field: str | None = None) -> None:
        self.problems.append(Problem(message, self.file, self.line, self.document, item, field))

    def span(self, span: Span, text: str, item: str, field: str, gold: bool = True) -> bool:
        if span.end > len(text):
            self.add(f"offset {span.end} is past the end of the text ({len(text)} code points)", item, field)
            return False
        covered = text[span.start:span.end]
        if gold and (_is_edge_junk(covered[0]) or (_is_edge_junk(covered[-1]) and not ends_in_abbreviation(covered))):
            self.add(f"span text {covered!r} starts or ends with white space or punctuation; "
                     "trim it", item, field)
        return True

    def attributes(self, attributes: Attributes, specs: tuple, owner: str, item: str, gold: bool) -> None:
        """Add the problems of an owner's ``attributes`` against its ``specs``; the verdict on
        the same attributes of the same owner is remembered (a few thousand at most)."""
        if not attributes and not specs:
            return
        key = (id(specs), owner, gold, attributes, tuple(type(value) for _, value in attributes))  # 1 == True
        found = _ATTRIBUTE_VERDICTS.get(key)
        if found is None or found[0] is not specs:
            if len(_ATTRIBUTE_VERDICTS) > 4096:
                _ATTRIBUTE_VERDICTS.clear()
            found = _ATTRIBUTE_VERDICTS[key] = (specs, _attribute_problems(dict(attributes), specs, owner, gold))
        for message, field in found[1]:
            self.add(message, item, field)


_ATTRIBUTE_VERDICTS: dict[tuple, tuple[tuple, tuple[tuple[str, str], ...]]] = {}


def _attribute_problems(values: Mapping[str, object], specs: tuple, owner: str,
                        gold: bool) -> tuple[tuple[str, str], ...]:
    """(message, field) of each problem of an owner's attribute ``values`` against its ``specs``."""
    problems = []
    known = _by_name(specs)
    for name, value in values.items():
        spec = known.get(name)
        if spec is None:
            allowed = ", ".join(known) or "none"
            problems.append((f"unknown attribute {name!r} for {owner} (allowed: {allowed})", f"attributes.{name}"))
            continue
        problem = spec.check(value, pattern=gold)
        if problem:
            problems.append((problem, f"attributes.{name}"))
    if gold:
        for spec in specs:
            if spec.required and spec.name not in values:
                problems.append((f"required attribute {spec.name!r} of {owner} is missing", f"attributes.{spec.name}"))
    return tuple(problems)


def _sentence_finder(sentences: tuple[Sentence, ...]):
    """``sentence_index(sentences, span)`` by bisection: sentences are in text order and disjoint."""
    firsts = [s.span.start for s in sentences]

    def sentence_index(_: tuple[Sentence, ...], span: Span) -> int | None:
        n = bisect_right(firsts, span.start) - 1
        if n >= 0 and span.end <= sentences[n].span.end:
            return n
        return None

    return sentence_index


def validate_annotation(annotation: Annotation, document: Document | None, gold: bool,
                        problems: list[Problem], file: str | None = None, line: int | None = None,
                        schema: Schema | None = None) -> None:
    """Append to ``problems`` everything wrong with one document's annotation."""
    schema = schema or load_schema()
    check = _Checker(schema, problems, file, line, annotation.doc_id)
    if document is None:
        check.add(f"unknown document id {annotation.doc_id!r}: not in the benchmark corpus", field="id")
        return
    text = document.text
    if gold and (annotation.document is None or annotation.document.text != text):
        check.add("gold text is missing or differs from the corpus text", field="text")
    spans_in_text: list[tuple[Span, str]] = []
    entity_labels: dict[Span, str] = {}
    for entity in annotation.entities:
        item = _item("entity", entity.id, entity.span)
        in_text = check.span(entity.span, text, item, "start/end", gold)
        label = schema.label(entity.label)
        if label is None:
            check.add(f"unknown label {entity.label!r} (allowed: {', '.join(schema.label_names)})", item, "label")
        else:
            check.attributes(entity.attributes, label.attributes, entity.label, item, gold)
        if in_text:
            spans_in_text.append((entity.span, item))
        entity_labels[entity.span] = entity.label
    sentences = sentences_of(document) if gold else ()
    sentence_index = _sentence_finder(sentences)
    text = document.text
    for event in annotation.events:
        item = _item("event", event.id, event.trigger)
        in_text = check.span(event.trigger, text, item, "trigger", gold)
        if in_text:
            spans_in_text.append((event.trigger, item))
        event_type = schema.event_type(event.event_type)
        if event_type is None:
            check.add(f"unknown event type {event.event_type!r} (allowed: {', '.join(schema.event_type_names)})",
                      item, "type")
        else:
            check.attributes(event.attributes, event_type.attributes, event.event_type, item, gold)
        trigger_sentence = sentence_index(sentences, event.trigger) if gold and in_text else None
        for n, argument in enumerate(event.arguments):
            field = f"arguments[{n}]"
            if argument.role not in schema.role_names:
                check.add(f"unknown role {argument.role!r} (allowed: {', '.join(schema.role_names)})", item, field)
                continue
            label = entity_labels.get(argument.span)
            if label is None:
                check.add(f"argument [{argument.span.start}, {argument.span.end}) coincides with no entity "
                          "of this document; add the entity or fix the offsets", item, field)
                continue
            if not gold or event_type is None:
                continue
            allowed = event_type.fillers(argument.role)
            if label not in allowed:
                check.add(f"role {argument.role} is filled by a {label}; allowed: {', '.join(allowed)}", item, field)
            if trigger_sentence is not None and sentence_index(sentences, argument.span) != trigger_sentence:
                check.add(f"argument [{argument.span.start}, {argument.span.end}) is not in the trigger's "
                          "sentence", item, field)
    if gold:
        starts, ends = token_boundaries(document)
        for span, item in spans_in_text:
            if span.start not in starts or span.end not in ends:
                check.add(f"span [{span.start}, {span.end}) {text[span.start:span.end]!r} does not start and end on "
                          "benchmark token boundaries, so it has no exact IOB2 form", item)
        ordered = sorted(spans_in_text, key=lambda pair: (pair[0].start, pair[0].end))
        for (span_a, item_a), (span_b, item_b) in zip(ordered, ordered[1:]):
            if span_a.overlaps(span_b):
                check.add(f"overlaps {item_b} [{span_b.start}, {span_b.end}); gold spans never overlap", item_a)
        for kind, ids in (("entity", [e.id for e in annotation.entities]), ("event", [e.id for e in annotation.events])):
            present = [i for i in ids if i is not None]
            for duplicate in sorted(i for i, n in Counter(present).items() if n > 1):
                check.add(f"{kind} id {duplicate!r} is used more than once", f"{kind} {duplicate}", "id")


@dataclass(frozen=True, slots=True)
class SpanNotes:
    """How many predicted spans (entities and triggers) are scored as given although they
    cannot equal a gold span: white space or punctuation at an edge (``edge``), or a start
    or end inside a benchmark token (``inside_token``). Not errors (SPEC 1.1 section 2)."""

    edge: int = 0
    inside_token: int = 0

    def __add__(self, other: SpanNotes) -> SpanNotes:
        return SpanNotes(self.edge + other.edge, self.inside_token + other.inside_token)

    def to_json(self) -> dict[str, int]:
        return {"spans_with_edge_white_space_or_punctuation": self.edge,
                "spans_starting_or_ending_inside_a_token": self.inside_token}

    def __str__(self) -> str:
        return (f"{self.edge} predicted span{'s have' if self.edge != 1 else ' has'} white space or punctuation "
                f"at an edge; {self.inside_token} start or end inside a benchmark token")


def span_notes(pred: Iterable[Annotation], documents: Mapping[str, Document]) -> SpanNotes:
    """Count the predicted spans of ``pred`` that SPEC 1.1 section 2 scores as given (offsets
    half-open code points); token boundaries come from ``benchmark.tokens`` (cached)."""
    notes = SpanNotes()
    for annotation in pred:
        document = documents.get(annotation.doc_id)
        if document is not None:
            notes += document_span_notes(annotation, document)
    return notes


def document_span_notes(annotation: Annotation, document: Document) -> SpanNotes:
    """``span_notes`` of one document's predictions."""
    from benchmark.tokens import token_interiors

    spans = [e.span for e in annotation.entities] + [e.trigger for e in annotation.events]
    if not spans:
        return SpanNotes()
    text, interiors = document.text, token_interiors(document)
    edge = inside = 0
    for span in spans:
        covered = text[span.start:span.end]
        if covered and (_is_edge_junk(covered[0]) or (_is_edge_junk(covered[-1]) and not ends_in_abbreviation(covered))):
            edge += 1
        if span.start in interiors or span.end in interiors:
            inside += 1
    return SpanNotes(edge, inside)


def validate_annotations(annotations: Iterable[tuple[int | None, Annotation]], corpus: Mapping[str, Document],
                         gold: bool, file: str | None = None) -> list[Problem]:
    """Every problem of a file's ``(line, annotation)`` pairs; also documents given twice."""
    problems: list[Problem] = []
    seen: dict[str, int | None] = {}
    schema = load_schema()
    for line, annotation in annotations:
        if annotation.doc_id in seen:
            problems.append(Problem(f"document given twice (first on line {seen[annotation.doc_id]})", file, line,
                                    annotation.doc_id, field="id"))
            continue
        seen[annotation.doc_id] = line
        validate_annotation(annotation, corpus.get(annotation.doc_id), gold, problems, file, line, schema)
    return problems


def validate_records(records: list[tuple[int | None, Annotation]], corpus: Mapping[str, Document],
                     gold: bool | None, file: str, problems: list[Problem]) -> list[Problem]:
    """Every problem of a file's records (after the shape ``problems`` its reader found), in file order."""
    if gold is None:
        gold = bool(records) and records[0][1].document is not None
    problems = problems + validate_annotations(records, corpus, gold, file)
    return sorted(problems, key=lambda p: (p.line or 0))


def validate_file(path: str | Path, corpus: Mapping[str, Document], gold: bool | None = None) -> list[Problem]:
    """Every problem of a SPEC JSONL file (shape and content), in file order."""
    problems: list[Problem] = []
    records = list(iter_annotations(path, problems))
    return validate_records(records, corpus, gold, str(path), problems)
