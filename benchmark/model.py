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


@dataclass(frozen=True, slots=True, order=True)
class Span:
    """Half-open code-point offsets ``[start, end)``; checked on creation."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if not (isinstance(self.start, int) and isinstance(self.end, int)):
            raise TypeError(f"span offsets must be integers, got ({self.start!r}, {self.end!r})")
        if not 0 <= self.start < self.end:
            raise ValueError(f"span needs 0 <= start < end, got [{self.start}, {self.end})")

    def overlaps(self, other: Span) -> bool:
        return self.start < other.end and other.start < self.end

    def text_in(self, text: str) -> str:
        return text[self.start : self.end]


@dataclass(frozen=True, slots=True)
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


@dataclass(frozen=True, slots=True)
class Entity:
    """A labelled span with its attributes."""

    span: Span
    label: str
    attributes: Attributes = ()
    id: str | None = field(default=None, compare=False)
    provenance: Provenance | None = field(default=None, compare=False, repr=False)

    @property
    def attrs(self) -> dict[str, AttributeValue]:
        return dict(self.attributes)


@dataclass(frozen=True, slots=True)
class Argument:
    """A role filled by the entity located at ``span``."""

    role: str
    span: Span
    provenance: Provenance | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Event:
    """An event mention: type, trigger span, arguments and attributes (e.g. incident)."""

    event_type: str
    trigger: Span
    arguments: tuple[Argument, ...] = ()
    attributes: Attributes = ()
    id: str | None = field(default=None, compare=False)
    provenance: Provenance | None = field(default=None, compare=False, repr=False)

    @property
    def attrs(self) -> dict[str, AttributeValue]:
        return dict(self.attributes)


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

