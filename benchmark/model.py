"""The data model: the only types that cross module boundaries.

Offsets everywhere are half-open ``[start, end)`` indices into the document text as a
Python ``str`` (Unicode code points), exactly as stored in ``corpus/``.

The types are frozen ``msgspec.Struct``s: immutable, hashable, and built in C (the readers
build hundreds of thousands of them). Attributes are kept as sorted tuples of
``(name, value)`` pairs so that every type is immutable and hashable; ``attrs`` gives them
back as a dict. Provenance (Label Studio region ids, annotator, timestamps), ids and a
document's metadata survive a round trip but never affect equality: the types that carry
them define ``__eq__`` and ``__hash__`` on their content (``_content``), and scoring
matches on content, never on ids.
"""

from __future__ import annotations

from typing import Any, ClassVar, Mapping

import msgspec

AttributeValue = str | int
Attributes = tuple[tuple[str, AttributeValue], ...]


def to_attributes(values: Mapping[str, AttributeValue] | None) -> Attributes:
    """Turn a mapping into the canonical sorted tuple of (name, value) pairs."""
    return tuple(sorted((values or {}).items()))


class _Content(msgspec.Struct, frozen=True, gc=False):
    """A type whose equality and hash are those of its ``compared`` fields only, and whose
    ``repr`` leaves out the ``hidden`` ones (a gold document's text, who annotated it)."""

    compared: ClassVar[tuple[str, ...]]
    hidden: ClassVar[tuple[str, ...]] = ("provenance",)

    def _content(self) -> tuple:
        return tuple(getattr(self, name) for name in self.compared)

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self._content() == other._content()

    def __hash__(self) -> int:
        return hash(self._content())

    def __repr__(self) -> str:
        shown = (f"{name}={getattr(self, name)!r}" for name in self.__struct_fields__ if name not in self.hidden)
        return f"{type(self).__name__}({', '.join(shown)})"


class Span(msgspec.Struct, frozen=True, order=True, gc=False):
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


class Provenance(msgspec.Struct, frozen=True, gc=False):
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


class Entity(_Content, frozen=True, gc=False):
    """A labelled span with its attributes."""

    compared: ClassVar = ("span", "label", "attributes")
    span: Span
    label: str
    attributes: Attributes = ()
    id: str | None = None
    provenance: Provenance | None = None

    @property
    def attrs(self) -> dict[str, AttributeValue]:
        return dict(self.attributes)


class Argument(_Content, frozen=True, gc=False):
    """A role filled by the entity located at ``span``."""

    compared: ClassVar = ("role", "span")
    role: str
    span: Span
    provenance: Provenance | None = None


class Event(_Content, frozen=True, gc=False):
    """An event mention: type, trigger span, arguments and attributes (e.g. incident)."""

    compared: ClassVar = ("event_type", "trigger", "arguments", "attributes")
    event_type: str
    trigger: Span
    arguments: tuple[Argument, ...] = ()
    attributes: Attributes = ()
    id: str | None = None
    provenance: Provenance | None = None

    @property
    def attrs(self) -> dict[str, AttributeValue]:
        return dict(self.attributes)


class Document(_Content, frozen=True, gc=False):
    """A source document: id (the corpus file stem), text and metadata."""

    compared: ClassVar = ("id", "text")
    id: str
    text: str
    metadata: tuple[tuple[str, Any], ...] = ()

    @property
    def meta(self) -> dict[str, Any]:
        return dict(self.metadata)


class Annotation(_Content, frozen=True, gc=False):
    """The entities and events of one document: gold and predictions share this type.

    ``document`` is present for gold (which carries text and metadata) and absent for
    predictions, which name their document by ``doc_id`` only.
    """

    compared: ClassVar = ("doc_id", "entities", "events")
    hidden: ClassVar = ("document", "provenance")
    doc_id: str
    entities: tuple[Entity, ...] = ()
    events: tuple[Event, ...] = ()
    document: Document | None = None
    provenance: Provenance | None = None

    def entity_at(self, span: Span) -> Entity | None:
        return next((e for e in self.entities if e.span == span), None)
