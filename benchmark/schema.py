"""The annotation schema, read from the one schema file ``annotations/schema.json``.

Labels, attributes, event types and roles (with their allowed filler labels) all come
from that file: validation, the Label Studio config, conversion and scoring read them
from here, so adding a label or event type is a data change.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from benchmark.errors import Problem, SchemaError
from benchmark.paths import SCHEMA_FILE


@dataclass(frozen=True, slots=True)
class AttributeSpec:
    """An attribute: its kind (``choice``, ``integer`` or ``string``) and constraints."""

    name: str
    kind: str
    required: bool
    values: tuple[str, ...] = ()
    minimum: int | None = None
    pattern: str | None = None

    def check(self, value: object, pattern: bool = True) -> str | None:
        """Return what is wrong with ``value``, or None when it is valid; with ``pattern``
        False a string's ``pattern`` is not checked (it binds gold only: SPEC 2 lets a
        system name its incident keys as it likes)."""
        if self.kind == "choice":
            if value not in self.values:
                return f"{value!r} is not one of {', '.join(self.values)}"
        elif self.kind == "integer":
            if isinstance(value, bool) or not isinstance(value, int):
                return f"{value!r} is not an integer"
            if self.minimum is not None and value < self.minimum:
                return f"{value} is below the minimum {self.minimum}"
        elif self.kind == "string":
            if not isinstance(value, str):
                return f"{value!r} is not a string"
            if pattern and self.pattern and not _compiled(self.pattern).fullmatch(value):
                return f"{value!r} does not match the pattern {self.pattern}"
        return None


@cache
def _compiled(pattern: str) -> re.Pattern:
    """An attribute's pattern, compiled once (checked for every attribute value read)."""
    return re.compile(pattern)


@dataclass(frozen=True, slots=True)
class LabelSpec:
    """An entity label and its attributes."""

    name: str
    description: str
    attributes: tuple[AttributeSpec, ...]


@dataclass(frozen=True, slots=True)
class EventTypeSpec:
    """An event type, its roles (role -> allowed filler labels) and attributes."""

    name: str
    description: str
    roles: tuple[tuple[str, tuple[str, ...]], ...]
    attributes: tuple[AttributeSpec, ...]

    def fillers(self, role: str) -> tuple[str, ...]:
        return dict(self.roles).get(role, ())


@dataclass(frozen=True, slots=True)
class Schema:
    """Everything the schema file defines."""

    name: str
    version: str
    canary: str
    labels: tuple[LabelSpec, ...]
    event_types: tuple[EventTypeSpec, ...]

    @property
    def label_names(self) -> tuple[str, ...]:
        return _index(self).label_names

    @property
    def event_type_names(self) -> tuple[str, ...]:
        return _index(self).event_type_names

    @property
    def role_names(self) -> tuple[str, ...]:
        return _index(self).role_names

    def label(self, name: str) -> LabelSpec | None:
        return _index(self).labels.get(name)

    def event_type(self, name: str) -> EventTypeSpec | None:
        return _index(self).event_types.get(name)

    def attribute(self, name: str) -> AttributeSpec | None:
        """The attribute called ``name`` on any label or event type (names are unique)."""
        return _index(self).attributes.get(name)


@dataclass(frozen=True, slots=True)
class _Index:
    """Look-up tables of one Schema, built once (conversion and validation ask per span)."""

    label_names: tuple[str, ...]
    event_type_names: tuple[str, ...]
    role_names: tuple[str, ...]
    labels: dict[str, LabelSpec]
    event_types: dict[str, EventTypeSpec]
    attributes: dict[str, AttributeSpec]


_INDEXES: dict[int, tuple[Schema, _Index]] = {}


_LAST: list = [None, None]


def _index(schema: Schema) -> _Index:
    if _LAST[0] is schema:
        return _LAST[1]
    index = _build_index(schema)
    _LAST[0], _LAST[1] = schema, index
    return index


def _build_index(schema: Schema) -> _Index:
    entry = _INDEXES.get(id(schema))
    if entry is not None and entry[0] is schema:
        return entry[1]
    attributes: dict[str, AttributeSpec] = {}
    for owner in (*schema.labels, *schema.event_types):
        for spec in owner.attributes:
            attributes.setdefault(spec.name, spec)  # the first, as a search in file order finds
    labels: dict[str, LabelSpec] = {}
    for spec in schema.labels:
        labels.setdefault(spec.name, spec)
    event_types: dict[str, EventTypeSpec] = {}
    for spec in schema.event_types:
        event_types.setdefault(spec.name, spec)
    roles = tuple(dict.fromkeys(role for spec in schema.event_types for role, _ in spec.roles))
    index = _Index(tuple(spec.name for spec in schema.labels), tuple(spec.name for spec in schema.event_types),
                   roles, labels, event_types, attributes)
    if len(_INDEXES) > 64:
        _INDEXES.clear()
    _INDEXES[id(schema)] = (schema, index)  # the schema is kept, so its id is not reused
    return index


def _attributes(raw: dict, owner: str, file: str) -> tuple[AttributeSpec, ...]:
    specs = []
    for name, body in raw.items():
        if body.get("kind") not in ("choice", "integer", "string"):
            raise SchemaError([Problem(f"unknown attribute kind {body.get('kind')!r}", file=file,
                                       item=owner, field=name)])
        specs.append(AttributeSpec(name=name, kind=body["kind"], required=bool(body.get("required")),
                                   values=tuple(body.get("values", ())), minimum=body.get("minimum"),
                                   pattern=body.get("pattern")))
    return tuple(specs)


def parse_schema(raw: dict, file: str = "<schema>") -> Schema:
    """Build a Schema from the schema file's JSON object, checking its consistency."""
    labels = tuple(LabelSpec(name, body.get("description", ""), _attributes(body.get("attributes", {}), name, file))
                   for name, body in raw["entity_labels"].items())
    event_types = tuple(
        EventTypeSpec(name, body.get("description", ""),
                      tuple((role, tuple(fill)) for role, fill in body["roles"].items()),
                      _attributes(body.get("attributes", {}), name, file))
        for name, body in raw["event_types"].items())
    schema = Schema(raw["name"], raw["version"], raw["canary"], labels, event_types)
    problems = []
    attribute_names = [a.name for o in (*labels, *event_types) for a in o.attributes]
    for name in sorted({n for n in attribute_names if attribute_names.count(n) > 1}):
        problems.append(Problem("attribute names must be unique across labels and event types "
                                "(each is one Label Studio control)", file=file, field=name))
    for spec in event_types:
        for role, fillers in spec.roles:
            for label in fillers:
                if label not in schema.label_names:
                    problems.append(Problem(f"role filler {label!r} is not an entity label",
                                            file=file, item=spec.name, field=role))
    if set(schema.label_names) & set(schema.event_type_names):
        problems.append(Problem("entity labels and event types must have distinct names", file=file))
    if problems:
        raise SchemaError(problems)
    return schema


@cache
def load_schema(path: Path = SCHEMA_FILE) -> Schema:
    """Read and check the schema file (cached per path).

    A file that cannot be read, is not JSON (or nested too deeply for the decoder) or
    lacks the expected structure is a ``SchemaError`` naming the file, never a traceback.
    """
    file = str(path)
    try:
        raw = json.loads(Path(path).read_bytes().decode("utf-8-sig"))
    except OSError as error:
        raise SchemaError([Problem(f"cannot read the schema: {error.strerror}", file=file)]) from None
    except (ValueError, RecursionError) as error:  # JSONDecodeError, UnicodeDecodeError, int digits
        raise SchemaError([Problem(f"the schema is not valid JSON: {str(error)[:200]}", file=file)]) from None
    try:
        return parse_schema(raw, file=file)
    except (KeyError, TypeError, AttributeError, ValueError) as error:
        raise SchemaError([Problem(f"the schema does not have the expected structure ({type(error).__name__}: "
                                   f"{str(error)[:200]})", file=file)]) from None
