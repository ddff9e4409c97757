"""Read and write the SPEC's JSON Lines shape (gold and predictions alike).

One object per line: ``id``, ``entities`` and ``events``; gold lines also carry ``text``
and ``metadata``. Offsets are half-open code-point indices ``[start, end)`` into the
document text. The reader checks only the shape (JSON, keys, types, ``start < end``);
what the schema and the text allow is checked by ``benchmark.inputs.validate``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterable, Iterator

from benchmark.errors import Problem, SubmissionError
from benchmark.files import write_text_atomic
from benchmark.model import Annotation, Argument, Document, Entity, Event, Provenance, Span, to_attributes


class _Located:
    """Collects problems for one line of one file."""

    def __init__(self, file: str, line: int, problems: list[Problem]) -> None:
        self.file, self.line, self.problems, self.document = file, line, problems, None

    def add(self, message: str, item: str | None = None, field: str | None = None) -> None:
        self.problems.append(Problem(message, self.file, self.line, self.document, item, field))


def _span(obj: dict, where: _Located, item: str, prefix: str = "") -> Span | None:
    start, end = obj.get("start"), obj.get("end")
    if type(start) is int and type(end) is int and 0 <= start < end:
        return Span(start, end)
    for name, value in (("start", start), ("end", end)):
        if isinstance(value, bool) or not isinstance(value, int):
            where.add(f"{name} must be an integer, got {value!r}", item, prefix + name)
            return None
    if start < 0:
        where.add(f"start {start} is negative", item, prefix + "start")
        return None
    if start >= end:
        where.add(f"start {start} is not before end {end}: a span needs start < end", item, prefix + "end")
        return None
    return Span(start, end)


def _attributes(obj: dict, where: _Located, item: str) -> dict | None:
    attributes = obj.get("attributes", {})
    if attributes is None:
        return {}
    if not isinstance(attributes, dict):
        where.add(f"attributes must be an object, got {type(attributes).__name__}", item, "attributes")
        return None
    # SPEC 2: a null attribute is the same as an absent one (``datasets`` writes every struct field).
    return {name: value for name, value in attributes.items() if value is not None}


def _entity(obj: Any, index: int, where: _Located) -> Entity | None:
    if type(obj) is dict:  # the common, well-formed case in one go; anything else is checked below
        start, end, label, attributes = obj.get("start"), obj.get("end"), obj.get("label"), obj.get("attributes", {})
        if type(start) is int and type(end) is int and 0 <= start < end and type(label) is str \
                and type(attributes) is dict and None not in attributes.values():
            entity_id = obj.get("id")
            return Entity(Span(start, end), label, to_attributes(attributes),
                          id=str(entity_id) if entity_id is not None else None)
    item = f"entity {obj.get('id') or index}" if isinstance(obj, dict) else f"entity {index}"
    if not isinstance(obj, dict):
        where.add("an entity must be a JSON object", item)
        return None
    span = _span(obj, where, item)
    label = obj.get("label")
    if not isinstance(label, str):
        where.add(f"label must be a string, got {label!r}", item, "label")
    attributes = _attributes(obj, where, item)
    if span is None or not isinstance(label, str) or attributes is None:
        return None
    entity_id = obj.get("id")
    return Entity(span, label, to_attributes(attributes), id=str(entity_id) if entity_id is not None else None)


def _event(obj: Any, index: int, where: _Located) -> Event | None:
    item = f"event {obj.get('id') or index}" if isinstance(obj, dict) else f"event {index}"
    if not isinstance(obj, dict):
        where.add("an event must be a JSON object", item)
        return None
    event_type = obj.get("type")
    if not isinstance(event_type, str):
        where.add(f"type must be a string, got {event_type!r}", item, "type")
    trigger = obj.get("trigger")
    span = _span(trigger, where, item, "trigger.") if isinstance(trigger, dict) else None
    if not isinstance(trigger, dict):
        where.add("trigger must be an object with start and end", item, "trigger")
    raw_arguments = obj.get("arguments", [])
    arguments = []
    if not isinstance(raw_arguments, list):
        where.add("arguments must be a list", item, "arguments")
        raw_arguments = []
    ok = True
    for n, arg in enumerate(raw_arguments):
        if not isinstance(arg, dict) or not isinstance(arg.get("role"), str):
            where.add("an argument must be an object with a string role", item, f"arguments[{n}]")
            ok = False
            continue
        arg_span = _span(arg, where, item, f"arguments[{n}].")
        if arg_span is None:
            ok = False
            continue
        arguments.append(Argument(arg["role"], arg_span))
    attributes = _attributes(obj, where, item)
    if span is None or not isinstance(event_type, str) or attributes is None or not ok:
        return None
    event_id = obj.get("id")
    return Event(event_type, span, tuple(arguments), to_attributes(attributes),
                 id=str(event_id) if event_id is not None else None)


def parse_record(record: Any, where: _Located) -> Annotation | None:
    """Build an Annotation from one decoded JSON line, reporting shape problems to ``where``."""
    if not isinstance(record, dict):
        where.add("each line must be a JSON object")
        return None
    doc_id = record.get("id")
    if not isinstance(doc_id, str):
        where.add(f"id must be a string naming a document, got {doc_id!r}", field="id")
        return None
    where.document = doc_id
    lists = {}
    for key in ("entities", "events"):
        value = record.get(key, [])
        if not isinstance(value, list):
            where.add(f"{key} must be a list", field=key)
            value = []
        lists[key] = value
    entities = [_entity(obj, n, where) for n, obj in enumerate(lists["entities"], 1)]
    events = [_event(obj, n, where) for n, obj in enumerate(lists["events"], 1)]
    document = None
    if "text" in record:
        if not isinstance(record["text"], str):
            where.add("text must be a string", field="text")
        else:
            metadata = record.get("metadata") or {}
            document = Document(doc_id, record["text"], tuple(metadata.items()) if isinstance(metadata, dict) else ())
    return Annotation(doc_id, tuple(e for e in entities if e), tuple(e for e in events if e), document=document,
                      provenance=_provenance(record.get("provenance"), where))


# The optional ``provenance`` object of a line (written by ``labelstudio import``): where the
# annotation came from. It never affects scoring.
PROVENANCE_KEYS = {"annotation_id": "source_id", "annotator": "annotator", "annotator_id": "annotator_id",
                   "task_id": "task_id", "created_at": "created_at", "updated_at": "updated_at"}


def _provenance(value: Any, where: _Located) -> Provenance | None:
    if value is None:
        return None
    if not isinstance(value, dict) or not all(v is None or isinstance(v, (str, int)) and not isinstance(v, bool)
                                              for v in value.values()):
        where.add("provenance must be an object of strings", field="provenance")
        return None
    return Provenance(**{field: None if value.get(key) is None else str(value[key])
                         for key, field in PROVENANCE_KEYS.items()})


def provenance_to_json(provenance: Provenance) -> dict:
    """The ``provenance`` object of a line: only the fields that are known."""
    return {key: getattr(provenance, field) for key, field in PROVENANCE_KEYS.items()
            if getattr(provenance, field) is not None}


def iter_annotations(path: str | Path, problems: list[Problem]) -> Iterator[tuple[int, Annotation]]:
    """Yield ``(line number, annotation)`` for each readable line; shape problems go to ``problems``.

    Lines with a shape problem still yield what could be read of them, so that later
    checks can report everything at once; callers decide whether to go on.
    """
    file = str(path)
    try:
        handle = open(path, encoding="utf-8")
    except OSError as error:
        problems.append(Problem(f"cannot read the file: {error.strerror}", file=file))
        return
    with handle:
        try:
            for line_no, line in enumerate(handle, 1):
                if not line.strip():
                    continue
                where = _Located(file, line_no, problems)
                try:
                    record = json.loads(line)
                except json.JSONDecodeError as error:
                    where.add(f"malformed JSON: {error.msg} at column {error.colno}")
                    continue
                annotation = parse_record(record, where)
                if annotation is not None:
                    yield line_no, annotation
        except UnicodeDecodeError as error:
            problems.append(Problem(f"the file is not UTF-8: {error.reason}", file=file))


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
