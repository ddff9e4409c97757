"""Read and write the SPEC's JSON Lines shape (gold and predictions alike).

One object per line: ``id``, ``entities`` and ``events``; gold lines also carry ``text``
and ``metadata``. Offsets are half-open code-point indices ``[start, end)`` into the
document text. The reader checks only the shape (JSON, keys, types, ``start < end``) and
the limits (``MAX_DEPTH``, 64-bit integers); what the schema and the text allow is
checked by ``benchmark.inputs.validate``. Readers take bytes that were read once
(``benchmark.files.read_input_bytes``), so pipes work.
"""

from __future__ import annotations

import gc
import json
import re
from pathlib import Path
from typing import Annotated, Any, Iterable, Iterator, Union

import msgspec

from benchmark.errors import BenchmarkError, Problem, SubmissionError
from benchmark.files import read_input_bytes, write_text_atomic
from benchmark.model import Annotation, Argument, Document, Entity, Event, Provenance, Span, to_attributes


MAX_DEPTH = 64  # nesting depth of any JSON input
INT_MIN, INT_MAX = -(2 ** 63), 2 ** 63 - 1  # integers: the signed 64-bit range
_Int = Annotated[int, msgspec.Meta(ge=INT_MIN, le=INT_MAX)]
_Value = Union[str, _Int, None]  # an attribute value; null is the same as absent (SPEC 2)
_Leaf = Union[str, _Int, float, bool, None]
_Meta = Union[_Leaf, list[_Leaf], dict[str, Union[_Leaf, list[_Leaf]]]]
_Id = Union[str, _Int, None]


class _SpanJson(msgspec.Struct, gc=False):
    start: _Int
    end: _Int


class _ArgumentJson(msgspec.Struct, gc=False):
    role: str
    start: _Int
    end: _Int


class _EntityJson(msgspec.Struct, gc=False):
    start: _Int
    end: _Int
    label: str
    id: _Id = None
    attributes: Union[dict[str, _Value], None] = None


class _EventJson(msgspec.Struct, gc=False):
    type: str
    trigger: _SpanJson
    id: _Id = None
    arguments: Union[list[_ArgumentJson], None] = None
    attributes: Union[dict[str, _Value], None] = None


class _RecordJson(msgspec.Struct, gc=False):
    id: str
    entities: Union[list[_EntityJson], None] = None
    events: Union[list[_EventJson], None] = None
    text: Union[str, None] = None
    metadata: Union[dict[str, _Meta], None] = None
    provenance: Union[dict[str, Union[str, int, None]], None] = None


# The optional ``provenance`` object of a line (written by ``labelstudio import``): where the
# annotation came from. It never affects scoring.
PROVENANCE_KEYS = {"annotation_id": "source_id", "annotator": "annotator", "annotator_id": "annotator_id",
                   "task_id": "task_id", "created_at": "created_at", "updated_at": "updated_at"}


def provenance_to_json(provenance: Provenance) -> dict:
    """The ``provenance`` object of a line: only the fields that are known."""
    return {key: getattr(provenance, field) for key, field in PROVENANCE_KEYS.items()
            if getattr(provenance, field) is not None}


def _provenance(value: dict | None) -> Provenance | None:
    if not value:
        return None
    return Provenance(**{field: None if value.get(key) is None else str(value[key])
                         for key, field in PROVENANCE_KEYS.items()})


_RECORD = msgspec.json.Decoder(_RecordJson)
_ANY = msgspec.json.Decoder()
_DOC_ID = re.compile(rb'\s*\{\s*"id"\s*:\s*"([A-Za-z0-9_.-]{1,128})"')
_PATH_PART = re.compile(r"^(entities|events)\[(\d+)\](?:\.(.*))?$")


def _message(error: Exception) -> tuple[str, str | None]:
    """A readable message and the field path of a msgspec error."""
    if isinstance(error, RecursionError):
        return f"JSON nested more than {MAX_DEPTH} deep", None
    text = str(error)
    message, _, path = text.partition(" - at `$")
    path = path.rstrip("`").lstrip(".") or None
    if "<= 9223372036854775807" in message or ">= -9223372036854775808" in message or "out of range" in message:
        message = "integer outside the signed 64-bit range (-2**63 to 2**63 - 1)"
    elif message.startswith("Invalid UTF-8"):
        message = "the line is not valid UTF-8"
    else:
        message = message.replace("`", "")
        if not isinstance(error, msgspec.ValidationError):
            message = f"malformed JSON: {message}"
    return message, path


def _located(path: str | None) -> tuple[str | None, str | None]:
    """(item, field) of a msgspec path such as ``entities[2].attributes[...]``."""
    if path is None:
        return None, None
    match = _PATH_PART.match(path)
    if not match:
        return None, path
    kind = "entity" if match.group(1) == "entities" else "event"
    return f"{kind} {int(match.group(2)) + 1}", match.group(3) or None


def _attributes(values: dict | None) -> tuple:
    """The canonical attributes of a decoded object; ``null`` values are dropped (absent)."""
    if not values:
        return ()
    return to_attributes({k: v for k, v in values.items() if v is not None})


def _build(record: _RecordJson, where: "_Located") -> Annotation | None:
    """The Annotation of one decoded line; span problems go to ``where``."""
    where.document = record.id
    entities, events, ok = [], [], True
    for n, obj in enumerate(record.entities or (), 1):
        span = where.span(obj.start, obj.end, obj.id, n, "entity", "")
        if span is None:
            ok = False
            continue
        entities.append(Entity(span, obj.label, _attributes(obj.attributes), None if obj.id is None else str(obj.id)))
    for n, obj in enumerate(record.events or (), 1):
        trigger = where.span(obj.trigger.start, obj.trigger.end, obj.id, n, "event", "trigger.")
        arguments = []
        for k, arg in enumerate(obj.arguments or ()):
            arg_span = where.span(arg.start, arg.end, obj.id, n, "event", f"arguments[{k}].")
            if arg_span is None:
                trigger = None
            else:
                arguments.append(Argument(arg.role, arg_span))
        if trigger is None:
            ok = False
            continue
        events.append(Event(obj.type, trigger, tuple(arguments), _attributes(obj.attributes),
                            None if obj.id is None else str(obj.id)))
    document = None
    if record.text is not None:
        document = Document(record.id, record.text, tuple((record.metadata or {}).items()))
    return Annotation(record.id, tuple(entities), tuple(events), document=document,
                      provenance=_provenance(record.provenance)) if ok else None


class _Located:
    """Collects problems for one line of one file."""

    def __init__(self, file: str, line: int, problems: list[Problem]) -> None:
        self.file, self.line, self.problems, self.document = file, line, problems, None

    def add(self, message: str, item: str | None = None, field: str | None = None) -> None:
        self.problems.append(Problem(message, self.file, self.line, self.document, item, field))

    def span(self, start: int, end: int, obj_id, n: int, kind: str, prefix: str) -> Span | None:
        """The span [start, end) of the ``n``th ``kind`` (id ``obj_id``), or None with its problem added."""
        if 0 <= start < end:
            return Span(start, end)
        item = f"{kind} {obj_id if obj_id is not None else n}"
        if start < 0:
            self.add(f"start {start} is negative", item, prefix + "start")
        else:
            self.add(f"start {start} is not before end {end}: a span needs start < end", item, prefix + "end")
        return None


def parse_jsonl(data: bytes, file: str, problems: list[Problem]) -> list[tuple[int, Annotation]]:
    """``(line number, annotation)`` of each good line of SPEC JSON Lines ``data``.

    Each line is decoded once with msgspec straight into the record shape, with integers
    limited to the signed 64-bit range; the shape bounds the nesting depth (a value of an
    unknown key is skipped; one nested past the decoder's limit is an error). ``null``
    attributes are dropped (the same as absent), so ``datasets`` exports read as they
    are. Every problem of a line (malformed JSON, wrong type, bad span) goes to
    ``problems`` with file, line, document, item and field; other lines are still read.
    """
    # Hundreds of thousands of small acyclic objects: the cyclic garbage collector would
    # scan them again and again while they are built and scored, so it pauses meanwhile
    # and then leaves them out of its scans (reference counting still frees them).
    paused = gc.isenabled()
    gc.disable()
    try:
        return _parse_lines(data, file, problems)
    finally:
        if paused:
            gc.freeze()
            gc.enable()


def _parse_lines(data: bytes, file: str, problems: list[Problem]) -> list[tuple[int, Annotation]]:
    out = []
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    for line_no, line in enumerate(data.split(b"\n"), 1):
        if not line.strip():
            continue
        where = _Located(file, line_no, problems)
        try:
            record = _RECORD.decode(line)
        except (msgspec.DecodeError, msgspec.ValidationError, RecursionError) as error:
            match = _DOC_ID.match(line)
            where.document = match.group(1).decode("ascii") if match else None
            message, path = _message(error)
            if path is None and message.startswith("Expected object"):
                message = "each line must be a JSON object with an id"
            item, field = _located(path)
            where.add(message, item, field)
            continue
        annotation = _build(record, where)
        if annotation is not None:
            out.append((line_no, annotation))
    return out


def _line_column(data: bytes, offset: int) -> tuple[int, int]:
    line_start = data.rfind(b"\n", 0, offset) + 1
    return data.count(b"\n", 0, offset) + 1, offset - line_start + 1


def decode_json(data: bytes, file: str) -> Any:
    """One JSON document (an export, a schema, a metadata file), within the limits.

    Raises ``SubmissionError`` naming the file (and the line of a syntax error) for
    malformed JSON or UTF-8, nesting deeper than ``MAX_DEPTH``, or an integer outside
    the signed 64-bit range. The decoder (msgspec) is C code whose own depth limit stops
    a deeper document early, before it can cost memory; the walk below enforces the
    documented limit.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        value = _ANY.decode(data)
    except (msgspec.DecodeError, msgspec.ValidationError, RecursionError) as error:
        message, _ = _message(error)
        found = re.search(r"\(byte (\d+)\)", message)
        line = None
        if found:
            line, column = _line_column(data, int(found.group(1)))
            message = message.replace(found.group(0), f"(column {column})")
        elif "truncated" in message:
            line = data.count(b"\n", 0, len(data.rstrip())) + 1
            message = "malformed JSON: the data ends before the JSON is complete"
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as bad:
            line = data.count(b"\n", 0, bad.start) + 1
            message = f"the file is not UTF-8: {bad.reason}"
        raise SubmissionError([Problem(message, file=file, line=line)]) from None
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, (dict, list)):
            if depth > MAX_DEPTH:
                raise SubmissionError([Problem(f"JSON nested more than {MAX_DEPTH} deep", file=file)])
            stack.extend((child, depth + 1) for child in (item.values() if isinstance(item, dict) else item))
        elif isinstance(item, int) and not isinstance(item, bool) and not INT_MIN <= item <= INT_MAX:
            raise SubmissionError([Problem("integer outside the signed 64-bit range (-2**63 to 2**63 - 1)",
                                           file=file)])
    return value


def iter_annotations(path: str | Path, problems: list[Problem]) -> Iterator[tuple[int, Annotation]]:
    """Yield ``(line number, annotation)`` for each readable line of a file; problems go to ``problems``."""
    try:
        data = read_input_bytes(path)
    except BenchmarkError as error:
        problems.extend(error.problems)
        return
    yield from parse_jsonl(data, str(path), problems)


def read_annotations(path: str | Path) -> list[Annotation]:
    """Read a SPEC JSONL file; raise ``SubmissionError`` listing every shape problem."""
    problems: list[Problem] = []
    annotations = [a for _, a in iter_annotations(path, problems)]
    if problems:
        raise SubmissionError(problems)
    return annotations


def _span_json(span: Span) -> dict:
    return {"start": span.start, "end": span.end}


def annotation_to_json(annotation: Annotation, with_document: bool = True, with_provenance: bool = False) -> dict:
    """The SPEC JSON object of one document; ids are kept, or numbered T1.. / E1.. when absent.

    With ``with_provenance`` a known provenance is written as a ``provenance`` object.
    """
    record: dict[str, Any] = {"id": annotation.doc_id}
    if with_provenance and annotation.provenance is not None and provenance_to_json(annotation.provenance):
        record["provenance"] = provenance_to_json(annotation.provenance)
    if with_document and annotation.document is not None:
        record["text"] = annotation.document.text
        record["metadata"] = annotation.document.meta
    record["entities"] = [
        {"id": e.id or f"T{n}", **_span_json(e.span), "label": e.label, "attributes": e.attrs}
        for n, e in enumerate(annotation.entities, 1)]
    record["events"] = [
        {"id": ev.id or f"E{n}", "type": ev.event_type, "trigger": _span_json(ev.trigger),
         "arguments": [{"role": a.role, **_span_json(a.span)} for a in ev.arguments],
         "attributes": ev.attrs}
        for n, ev in enumerate(annotation.events, 1)]
    return record


def format_jsonl(annotations: Iterable[Annotation], with_document: bool = True) -> str:
    return "".join(json.dumps(annotation_to_json(a, with_document), ensure_ascii=False) + "\n"
                   for a in annotations)


def write_annotations(path: str | Path, annotations: Iterable[Annotation], with_document: bool = True) -> None:
    """Write a SPEC JSONL file atomically."""
    write_text_atomic(path, format_jsonl(annotations, with_document))
