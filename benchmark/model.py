"""The data model: the only types that cross module boundaries.

Offsets everywhere are half-open ``[start, end)`` indices into the document text as a
Python ``str`` (Unicode code points), exactly as stored in ``corpus/``.

Attributes are kept as sorted tuples of ``(name, value)`` pairs so that every type is
immutable and hashable; ``attrs`` gives them back as a dict. Provenance (Label Studio
region ids, annotator, timestamps) is carried with ``compare=False``: it survives a round
trip but never affects equality, and scoring matches on content, never on ids.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

AttributeValue = str | int
Attributes = tuple[tuple[str, AttributeValue], ...]


def to_attributes(values: Mapping[str, AttributeValue] | None) -> Attributes:
    """Turn a mapping into the canonical sorted tuple of (name, value) pairs."""
    return tuple(sorted((values or {}).items()))


# A frozen dataclass's own __init__ stores each field with object.__setattr__ looked up by
# name, which is most of the cost of making the hundreds of thousands of spans and items
# of a large file; the types made per item below store their fields through the slots'
# descriptors instead (``_setters``), with the same parameters and defaults.

def _setters(cls: type) -> tuple:
    """The ``__set__`` of each field's slot of a frozen slotted dataclass, in field order."""
    return tuple(getattr(cls, name).__set__ for name in cls.__dataclass_fields__)


@dataclass(frozen=True, slots=True, order=True, init=False)
class Span:
    """Half-open code-point offsets ``[start, end)``; checked on creation."""

    start: int
    end: int

    def __init__(self, start: int, end: int) -> None:
        if not (isinstance(start, int) and isinstance(end, int)):
            raise TypeError(f"span offsets must be integers, got ({start!r}, {end!r})")
        if not 0 <= start < end:
            raise ValueError(f"span needs 0 <= start < end, got [{start}, {end})")
        set_start, set_end = _SPAN
        set_start(self, start)
        set_end(self, end)

    def overlaps(self, other: Span) -> bool:
        return self.start < other.end and other.start < self.end

    def text_in(self, text: str) -> str:
        return text[self.start : self.end]


@dataclass(frozen=True, slots=True, init=False)
class Provenance:
    """Where an item came from: never part of equality.

    ``source_id`` is the item's id where it came from (a Label Studio region, annotation
    or prediction id); ``annotator`` names who made it as shown to people (an e-mail,
    a user id, or a model version), ``annotator_id`` identifies that person (a Label
    Studio user id); ``task_id`` is the Label Studio task that held it.
    """

    source_id: str | None = None
    annotator: str | None = None
    created_at: str | None = None
    updated_at: str | None = None
    task_id: str | None = None
    annotator_id: str | None = None

    def __init__(self, source_id: str | None = None, annotator: str | None = None, created_at: str | None = None,
                 updated_at: str | None = None, task_id: str | None = None, annotator_id: str | None = None) -> None:
        set_source_id, set_annotator, set_created_at, set_updated_at, set_task_id, set_annotator_id = _PROVENANCE
        set_source_id(self, source_id)
        set_annotator(self, annotator)
        set_created_at(self, created_at)
        set_updated_at(self, updated_at)
        set_task_id(self, task_id)
        set_annotator_id(self, annotator_id)


@dataclass(frozen=True, slots=True, init=False)
class Entity:
    """A labelled span with its attributes."""

    span: Span
    label: str
    attributes: Attributes = ()
    id: str | None = field(default=None, compare=False)
    provenance: Provenance | None = field(default=None, compare=False, repr=False)

    def __init__(self, span: Span, label: str, attributes: Attributes = (), id: str | None = None,
                 provenance: Provenance | None = None) -> None:
        set_span, set_label, set_attributes, set_id, set_provenance = _ENTITY
        set_span(self, span)
        set_label(self, label)
        set_attributes(self, attributes)
        set_id(self, id)
        set_provenance(self, provenance)

    @property
    def attrs(self) -> dict[str, AttributeValue]:
        return dict(self.attributes)


@dataclass(frozen=True, slots=True, init=False)
class Argument:
    """A role filled by the entity located at ``span``."""

    role: str
    span: Span
    provenance: Provenance | None = field(default=None, compare=False, repr=False)

    def __init__(self, role: str, span: Span, provenance: Provenance | None = None) -> None:
        set_role, set_span, set_provenance = _ARGUMENT
        set_role(self, role)
        set_span(self, span)
        set_provenance(self, provenance)


@dataclass(frozen=True, slots=True, init=False)
class Event:
    """An event mention: type, trigger span, arguments and attributes (e.g. incident)."""

    event_type: str
    trigger: Span
    arguments: tuple[Argument, ...] = ()
    attributes: Attributes = ()
    id: str | None = field(default=None, compare=False)
    provenance: Provenance | None = field(default=None, compare=False, repr=False)

    def __init__(self, event_type: str, trigger: Span, arguments: tuple[Argument, ...] = (),
                 attributes: Attributes = (), id: str | None = None, provenance: Provenance | None = None) -> None:
        set_event_type, set_trigger, set_arguments, set_attributes, set_id, set_provenance = _EVENT
        set_event_type(self, event_type)
        set_trigger(self, trigger)
        set_arguments(self, arguments)
        set_attributes(self, attributes)
        set_id(self, id)
        set_provenance(self, provenance)

    @property
    def attrs(self) -> dict[str, AttributeValue]:
        return dict(self.attributes)


_SPAN, _PROVENANCE, _ENTITY, _ARGUMENT, _EVENT = map(_setters, (Span, Provenance, Entity, Argument, Event))


@dataclass(frozen=True, slots=True)
class Document:
    """A source document: id (the corpus file stem), text and metadata."""

    id: str
    text: str
    metadata: tuple[tuple[str, Any], ...] = field(default=(), compare=False)

    @property
    def meta(self) -> dict[str, Any]:
        return dict(self.metadata)


@dataclass(frozen=True, slots=True)
class Annotation:
    """The entities and events of one document: gold and predictions share this type.

    ``document`` is present for gold (which carries text and metadata) and absent for
    predictions, which name their document by ``doc_id`` only.
    """

    doc_id: str
    entities: tuple[Entity, ...] = ()
    events: tuple[Event, ...] = ()
    document: Document | None = field(default=None, compare=False, repr=False)
    provenance: Provenance | None = field(default=None, compare=False, repr=False)

    def entity_at(self, span: Span) -> Entity | None:
        return next((e for e in self.entities if e.span == span), None)

