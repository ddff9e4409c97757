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
from operator import itemgetter
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Mapping

from benchmark.errors import Problem
from benchmark.formats.jsonl import iter_annotations
from benchmark.model import Annotation, Document, Span
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


_BY_NAME: dict[int, tuple[tuple, dict, tuple]] = {}


def _by_name(specs: tuple) -> tuple[dict, tuple]:
    """(name -> spec, the required specs) of an owner's attribute specs (kept per tuple, which the schema holds)."""
    entry = _BY_NAME.get(id(specs))
    if entry is None or entry[0] is not specs:
        entry = _BY_NAME[id(specs)] = (specs, {spec.name: spec for spec in specs},
                                       tuple(spec for spec in specs if spec.required))
    return entry[1], entry[2]


def _item(kind: str, obj_id: str | None, span: Span) -> str:
    return f"{kind} {obj_id}" if obj_id else f"{kind} [{span.start}, {span.end})"


class _Checker:
    def __init__(self, schema: Schema, problems: list[Problem], file: str | None, line: int | None,
                 document: str) -> None:
        self.schema, self.problems, self.file, self.line, self.document = schema, problems, file, line, document

    def add(self, message: str, item: str | None = None, field: str | None = None) -> None:
        self.problems.append(Problem(message, self.file, self.line, self.document, item, field))

    def span(self, span: Span, text: str, kind: str, obj_id: str | None, field: str, gold: bool) -> bool:
        """Whether ``span`` lies inside ``text``; a problem is added when not, or when a gold span has junk at an edge."""
        start, end = span.start, span.end
        if end > len(text):
            self.add(f"offset {end} is past the end of the text ({len(text)} code points)",
                     _item(kind, obj_id, span), field)
            return False
        if gold and (_is_edge_junk(text[start]) or (_is_edge_junk(text[end - 1])
                                                    and not ends_in_abbreviation(text[start:end]))):
            self.add(f"span text {text[start:end]!r} starts or ends with white space or punctuation; "
                     "trim it", _item(kind, obj_id, span), field)
        return True

    def attributes(self, attributes: tuple, specs: tuple, owner: str, kind: str, obj_id: str | None, span: Span,
                   gold: bool) -> None:
        if not attributes and not (gold and specs):
            return
        known, required = _by_name(specs)
        values = dict(attributes)
        for name, value in values.items():
            spec = known.get(name)
            if spec is None:
                allowed = ", ".join(known) or "none"
                self.add(f"unknown attribute {name!r} for {owner} (allowed: {allowed})", _item(kind, obj_id, span),
                         f"attributes.{name}")
                continue
            problem = spec.check(value, pattern=gold)
            if problem:
                self.add(problem, _item(kind, obj_id, span), f"attributes.{name}")
        if gold:
            for spec in required:
                if spec.name not in values:
                    self.add(f"required attribute {spec.name!r} of {owner} is missing", _item(kind, obj_id, span),
                             f"attributes.{spec.name}")


def _sentence_finder(sentences: tuple[Sentence, ...]):
    """``sentence_index(span)`` by bisection: sentences are in text order and disjoint."""
    firsts = [s.span.start for s in sentences]
    lasts = [s.span.end for s in sentences]

    def sentence_index(span: Span) -> int | None:
        n = bisect_right(firsts, span.start) - 1
        if n >= 0 and span.end <= lasts[n]:
            return n
        return None

    return sentence_index


def validate_annotation(annotation: Annotation, document: Document | None, gold: bool,
                        problems: list[Problem], file: str | None = None, line: int | None = None,
                        schema: Schema | None = None) -> None:
    """Append to ``problems`` everything wrong with one document's annotation (in the order of its items)."""
    schema = schema or load_schema()
    check = _Checker(schema, problems, file, line, annotation.doc_id)
    if document is None:
        check.add(f"unknown document id {annotation.doc_id!r}: not in the benchmark corpus", field="id")
        return
    text = document.text
    if gold and (annotation.document is None or annotation.document.text != text):
        check.add("gold text is missing or differs from the corpus text", field="text")
    # (start, end, kind, id) of each span inside the text, for the gold checks below; an
    # item's name is made only when it has a problem.
    spans_in_text: list[tuple[int, int, str, str | None]] = []
    entity_labels: dict[tuple[int, int], str] = {}
    label_spec, span_ok, attributes_ok = schema.label, check.span, check.attributes
    for entity in annotation.entities:
        span, entity_id = entity.span, entity.id
        if span_ok(span, text, "entity", entity_id, "start/end", gold):
            spans_in_text.append((span.start, span.end, "entity", entity_id))
        label = label_spec(entity.label)
        if label is None:
            check.add(f"unknown label {entity.label!r} (allowed: {', '.join(schema.label_names)})",
                      _item("entity", entity_id, span), "label")
        elif entity.attributes or (gold and label.attributes):
            attributes_ok(entity.attributes, label.attributes, entity.label, "entity", entity_id, span, gold)
        entity_labels[span.start, span.end] = entity.label
    sentence_index = _sentence_finder(sentences_of(document)) if gold else None
    role_names, event_type_spec = schema.role_names, schema.event_type
    for event in annotation.events:
        trigger, event_id = event.trigger, event.id
        in_text = span_ok(trigger, text, "event", event_id, "trigger", gold)
        if in_text:
            spans_in_text.append((trigger.start, trigger.end, "event", event_id))
        event_type = event_type_spec(event.event_type)
        if event_type is None:
            check.add(f"unknown event type {event.event_type!r} (allowed: {', '.join(schema.event_type_names)})",
                      _item("event", event_id, trigger), "type")
        elif event.attributes or (gold and event_type.attributes):
            attributes_ok(event.attributes, event_type.attributes, event.event_type, "event", event_id, trigger, gold)
        if not event.arguments:
            continue
        item = _item("event", event_id, trigger)
        trigger_sentence = sentence_index(trigger) if gold and in_text else None
        check_fillers = gold and event_type is not None
        for n, argument in enumerate(event.arguments):
            role, span = argument.role, argument.span
            if role not in role_names:
                check.add(f"unknown role {role!r} (allowed: {', '.join(role_names)})", item, f"arguments[{n}]")
                continue
            label = entity_labels.get((span.start, span.end))
            if label is None:
                check.add(f"argument [{span.start}, {span.end}) coincides with no entity "
                          "of this document; add the entity or fix the offsets", item, f"arguments[{n}]")
                continue
            if not check_fillers:
                continue
            allowed = event_type.fillers(role)
            if label not in allowed:
                check.add(f"role {role} is filled by a {label}; allowed: {', '.join(allowed)}", item, f"arguments[{n}]")
            if trigger_sentence is not None and sentence_index(span) != trigger_sentence:
                check.add(f"argument [{span.start}, {span.end}) is not in the trigger's "
                          "sentence", item, f"arguments[{n}]")
    if gold:
        _check_gold_spans(check, text, spans_in_text, document)
        for kind, objects in (("entity", annotation.entities), ("event", annotation.events)):
            present = [o.id for o in objects if o.id is not None]
            if len(set(present)) == len(present):
                continue
            for duplicate in sorted(i for i, n in Counter(present).items() if n > 1):
                check.add(f"{kind} id {duplicate!r} is used more than once", f"{kind} {duplicate}", "id")


def _check_gold_spans(check: _Checker, text: str, spans: list[tuple[int, int, str, str | None]],
                      document: Document) -> None:
    """The gold rules between spans: on benchmark token boundaries, and no two overlapping."""
    starts, ends = token_boundaries(document)
    for start, end, kind, obj_id in spans:
        if start not in starts or end not in ends:
            check.add(f"span [{start}, {end}) {text[start:end]!r} does not start and end on "
                      "benchmark token boundaries, so it has no exact IOB2 form", _item(kind, obj_id, Span(start, end)))
    # Sorted by (start, end) and stable, as before; a span overlaps the next when that starts before it ends.
    ordered = sorted(spans, key=itemgetter(0, 1))
    for (start_a, end_a, kind_a, id_a), (start_b, end_b, kind_b, id_b) in zip(ordered, ordered[1:]):
        if start_b < end_a:
            check.add(f"overlaps {_item(kind_b, id_b, Span(start_b, end_b))} [{start_b}, {end_b}); "
                      "gold spans never overlap", _item(kind_a, id_a, Span(start_a, end_a)))


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
