"""Turn raw extractor output into a prediction that passes ``iraq-attacks validate --kind pred``.

Offsets are half-open ``[start, end)`` code-point indices into the document text.
``assemble`` trims white space and punctuation from span edges (the SPEC's span rule),
moves arguments along with their trimmed entities, drops what trims to nothing,
arguments that coincide with no kept entity, attribute values the schema does not
allow, and duplicates; entities and events come out in text order.
"""

from __future__ import annotations

import unicodedata
from typing import Iterable

from benchmark.inputs.validate import ends_in_abbreviation
from benchmark.model import Annotation, Argument, Document, Entity, Event, Span, to_attributes
from benchmark.schema import Schema, load_schema


def _junk(char: str) -> bool:
    return not char.isalnum() and (char.isspace() or unicodedata.category(char).startswith("P"))


def trim(span: Span, text: str) -> Span | None:
    """``span`` without leading or trailing white space or punctuation (but an abbreviation keeps
    its period, as the contract's span rule says); None if nothing is left."""
    start, end = span.start, min(span.end, len(text))
    while start < end and _junk(text[start]):
        start += 1
    while end > start and _junk(text[end - 1]) and not ends_in_abbreviation(text[start:end]):
        end -= 1
    if (start, end) == (span.start, span.end):
        return span
    return Span(start, end) if start < end else None


def _valid(values: dict, specs) -> dict:
    if not values:
        return values
    known = {spec.name: spec for spec in specs}
    return {name: value for name, value in values.items()
            if value is not None and name in known and known[name].check(value) is None}


def assemble(document: Document, entities: Iterable[Entity], events: Iterable[Event],
             schema: Schema | None = None) -> Annotation:
    """A valid prediction for ``document`` from raw entities and events (see the module docstring)."""
    schema = schema or load_schema()
    text = document.text
    moved: dict[Span, Span] = {}
    kept: dict[tuple[Span, str], Entity] = {}
    for entity in entities:
        label = schema.label(entity.label)
        span = trim(entity.span, text)
        if label is None or span is None:
            continue
        moved.setdefault(entity.span, span)
        key = (span, entity.label)
        if key not in kept:
            kept[key] = Entity(span, entity.label, to_attributes(_valid(entity.attrs, label.attributes)))
    entity_spans = {span for span, _ in kept}
    out_events: dict[tuple, Event] = {}
    for event in events:
        event_type = schema.event_type(event.event_type)
        trigger = trim(event.trigger, text)
        if event_type is None or trigger is None:
            continue
        arguments = {}
        roles = dict(event_type.roles)
        for argument in event.arguments:
            span = moved.get(argument.span, argument.span)
            if span in entity_spans and argument.role in roles:
                arguments[(argument.role, span)] = Argument(argument.role, span)
        ordered = tuple(sorted(arguments.values(), key=lambda a: (a.span.start, a.span.end, a.role)))
        new = Event(event.event_type, trigger, ordered,
                    to_attributes(_valid(event.attrs, event_type.attributes)))
        out_events.setdefault((new.event_type, new.trigger, new.arguments), new)
    return Annotation(document.id,
                      tuple(sorted(kept.values(), key=lambda e: (e.span.start, e.span.end, e.label))),
                      tuple(sorted(out_events.values(), key=lambda e: (e.trigger.start, e.trigger.end, e.event_type))))
