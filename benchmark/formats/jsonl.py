"""Read and write the SPEC's JSON Lines shape (gold and predictions alike).

One object per line: ``id``, ``entities`` and ``events``; gold lines also carry ``text``
and ``metadata``. Offsets are half-open code-point indices ``[start, end)`` into the
document text. The reader checks only the shape (JSON, keys, types, ``start < end``) and
the limits (``MAX_DEPTH``, 64-bit integers); what the schema and the text allow is
checked by ``benchmark.inputs.validate``. Readers take bytes that were read once
(``benchmark.files.read_input_bytes``), or pieces read once from start to end
(``iter_annotations``: whole lines; ``iter_json_array``: the elements of a JSON array),
so pipes work.
"""

from __future__ import annotations

import codecs
import gc
import re
import sys
from itertools import chain
from pathlib import Path
from typing import Annotated, Any, Iterable, Iterator, Union

import msgspec

from benchmark.errors import BenchmarkError, Problem, SubmissionError
from benchmark.files import (DEFAULT_MAX_BYTES, INT_MAX, INT_MIN, MAX_DEPTH, MiB, json_limit_problem,
                             read_input_chunks, write_text_atomic)
from benchmark.model import Annotation, Argument, Document, Entity, Event, Provenance, Span, to_attributes


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
    if "<= 9223372036854775807" in message or ">= -9223372036854775808" in message \
            or message.startswith("Integer value out of range"):
        message = "integer outside the signed 64-bit range (-2**63 to 2**63 - 1)"
    elif message.startswith("Number out of range"):
        message = "number out of range: larger than a 64-bit float holds"
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
    if None in values.values():
        values = {k: v for k, v in values.items() if v is not None}
    return to_attributes(values)


def _build(record: _RecordJson, where: "_Located") -> Annotation | None:
    """The Annotation of one decoded line; span problems go to ``where``."""
    where.document = record.id
    entities, events, ok = [], [], True
    for n, obj in enumerate(record.entities or (), 1):
        span = where.span(obj.start, obj.end, obj.id, n, "entity", "")
        if span is None:
            ok = False
            continue
        entities.append(Entity(span, obj.label, _attributes(obj.attributes),
                               None if obj.id is None else str(obj.id)))
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
        try:
            return Span(start, end)  # a Span checks 0 <= start < end itself
        except ValueError:
            pass
        item = f"{kind} {obj_id if obj_id is not None else n}"
        if start < 0:
            self.add(f"start {start} is negative", item, prefix + "start")
        else:
            self.add(f"start {start} is not before end {end}: a span needs start < end", item, prefix + "end")
        return None


def parse_jsonl(data: bytes, file: str, problems: list[Problem], first_line: int = 1) -> list[tuple[int, Annotation]]:
    """``(line number, annotation)`` of each good line of SPEC JSON Lines ``data``.

    Each line is decoded once with msgspec straight into the record shape, with integers
    limited to the signed 64-bit range; the shape bounds the nesting depth (a value of an
    unknown key is skipped; one nested past the decoder's limit is an error). ``null``
    attributes are dropped (the same as absent), so ``datasets`` exports read as they
    are. Every problem of a line (malformed JSON, wrong type, bad span) goes to
    ``problems`` with file, line, document, item and field; other lines are still read.
    ``first_line``: the line number of the first line of ``data`` (a piece of a file).
    """
    # Hundreds of thousands of small acyclic objects: the cyclic garbage collector would
    # scan them again and again while they are built and scored, so it pauses meanwhile
    # and then leaves them out of its scans (reference counting still frees them).
    paused = gc.isenabled()
    gc.disable()
    try:
        return _parse_lines(data, file, problems, first_line)
    finally:
        if paused:
            gc.freeze()
            gc.enable()


def _parse_lines(data: bytes, file: str, problems: list[Problem], first_line: int) -> list[tuple[int, Annotation]]:
    out = []
    if first_line == 1 and data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    for line_no, line in enumerate(data.split(b"\n"), first_line):
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
    """The line and column (both from 1; the column in characters, not bytes) of byte ``offset``."""
    line_start = data.rfind(b"\n", 0, offset) + 1
    return data.count(b"\n", 0, offset) + 1, len(data[line_start:offset].decode("utf-8", "replace")) + 1


def _syntax_problem(error: Exception, data: bytes, file: str, first_line: int = 1, first_column: int = 1,
                    at_end: bool = True) -> Problem:
    """The located problem of a msgspec error over ``data``, whose first byte is at
    ``first_line`` and ``first_column`` of the file; ``at_end``: ``data`` runs to the end of the file.
    (Malformed UTF-8 anywhere in the file takes precedence: see ``_utf8_problem``.)"""
    message, _ = _message(error)
    found = re.search(r"\(byte (\d+)\)", message)
    line = None
    if found:
        line, column = _line_column(data, int(found.group(1)))
        column += first_column - 1 if line == 1 else 0
        line += first_line - 1
        message = message.replace(found.group(0), f"(column {column})")
    elif "truncated" in message and at_end:
        line = first_line + data.count(b"\n", 0, len(data.rstrip()))
        message = "malformed JSON: the data ends before the JSON is complete"
    return Problem(message, file=file, line=line)


def _utf8_problem(pieces: Iterable[bytes], file: str, first_line: int = 1) -> Problem | None:
    """The first place where the bytes of ``pieces`` (starting at line ``first_line``) are not UTF-8; None if nowhere."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    line = first_line
    for piece in pieces:
        try:
            decoder.decode(piece)
        except UnicodeDecodeError as bad:  # bad.object: the piece after the few bytes still pending
            return Problem(f"the file is not UTF-8: {bad.reason}", file=file,
                           line=line + bad.object.count(b"\n", 0, bad.start))
        line += piece.count(b"\n")
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError as bad:
        return Problem(f"the file is not UTF-8: {bad.reason}", file=file, line=line)
    return None


def decode_json(data: bytes, file: str) -> Any:
    """One JSON document (an export, a schema, a metadata file), within the limits.

    Raises ``SubmissionError`` naming the file (and the line of a syntax error) for
    malformed JSON or UTF-8, nesting deeper than ``MAX_DEPTH``, or an integer outside
    the signed 64-bit range. The decoder (msgspec) is C code whose own depth limit stops
    a deeper document early, before it can cost memory; ``benchmark.files.json_limit_problem`` enforces the
    documented limits.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        value = _ANY.decode(data)
    except (msgspec.DecodeError, msgspec.ValidationError, RecursionError) as error:
        raise SubmissionError([_utf8_problem([data], file) or _syntax_problem(error, data, file)]) from None
    problem = json_limit_problem(data)
    if problem is not None:
        raise SubmissionError([Problem(problem, file=file)])
    return value


_RAW = msgspec.json.Decoder(msgspec.Raw)
_TRAILING = re.compile(r"trailing characters \(byte (\d+)\)")
_SPACE = re.compile(rb"[ \t\r\n]*")


def _at_most(pieces: Iterable[bytes], limit: int) -> Iterator[bytes]:
    """The ``pieces`` while their total stays within ``limit`` bytes."""
    total = 0
    for piece in pieces:
        total += len(piece)
        if total > limit:
            return
        yield piece


def iter_json_array(chunks: Iterable[bytes], file: str, expected: str = "expected a JSON array",
                    max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Any]:
    """The elements of the JSON array whose bytes ``chunks`` gives, decoded one at a time.

    Memory holds one element (and one piece of ``chunks``), whatever the size of the
    array; an element larger than ``max_bytes`` is refused. Each element is checked as
    ``decode_json`` checks a document (nesting counted from the array, 64-bit integers).
    The first problem (malformed JSON or UTF-8, a limit, data after the array) raises
    ``SubmissionError`` naming the file and the line (for a limit, also the element), after the
    elements before it were yielded; with malformed UTF-8 in the next ``max_bytes`` after
    the elements read, that is the problem named, as ``decode_json`` names it (an endless
    pipe is not read to its end). A document that is not an array is decoded whole
    (``decode_json``), up to ``max_bytes``, and refused: "``expected``; this file holds a
    dict" (past ``max_bytes``: "does not begin with '['").
    """
    pieces = iter(chunks)
    buffer, start = b"", 0
    line, column = 1, 1  # of buffer[0] in the file
    at_end = False

    def more(least: int = 1) -> bool:
        """Append at least ``least`` bytes (or all that is left) to the buffer; False at the end."""
        nonlocal buffer, start, line, column, at_end
        gone = buffer[:start]
        newlines = gone.count(b"\n")
        line += newlines
        column = len(gone) - gone.rfind(b"\n") if newlines else column + len(gone)
        added = [buffer[start:]]
        size = 0
        while size < least:
            piece = next(pieces, None)
            if piece is None:
                at_end = True
                break
            added.append(piece)
            size += len(piece)
        buffer, start = b"".join(added), 0
        return size > 0

    def fail(error: Exception, offset: int) -> SubmissionError:
        """The problem of malformed JSON at ``buffer[offset:]``, or of malformed UTF-8 from there to the end."""
        line_there, column_there = position(offset)
        problem = _syntax_problem(error, buffer[offset:], file, line_there, column_there, at_end)
        rest = chain([buffer[offset:]], _at_most(pieces, max_bytes))  # an endless pipe still ends here
        return SubmissionError([_utf8_problem(rest, file, line_there) or problem])

    def position(offset: int) -> tuple[int, int]:
        """(line, column) of ``buffer[offset]`` in the file."""
        newlines = buffer.count(b"\n", 0, offset)
        if newlines:
            return line + newlines, offset - buffer.rfind(b"\n", 0, offset)
        return line, column + offset

    def skip_space() -> int:
        """The offset of the next byte that is not white space (reading on as needed); -1 at the end."""
        nonlocal start
        while True:
            start = _SPACE.match(buffer, start).end()
            if start < len(buffer):
                return start
            if not more():
                return -1

    while not at_end and len(buffer) < 3:
        more()
    if buffer.startswith(b"\xef\xbb\xbf"):
        start = 3
    if skip_space() == -1 or buffer[start:start + 1] != b"[":
        while len(buffer) <= max_bytes and more(len(buffer)):
            pass
        if len(buffer) > max_bytes:  # not an array, and too big to decode and say what it is
            raise SubmissionError([Problem(f"{expected}; this file does not begin with '['", file=file)])
        value = decode_json(buffer[start:], file)
        raise SubmissionError([Problem(f"{expected}; this file holds a {type(value).__name__}", file=file)])
    start += 1

    def end_or_comma() -> bool:
        """Past the "," before the next element (True), or past the "]" that closes the array (False)."""
        nonlocal start
        if skip_space() == -1:
            raise fail(msgspec.DecodeError("Input data was truncated"), start)
        if buffer[start:start + 1] == b"]":
            start += 1
            if skip_space() != -1:
                raise fail(msgspec.DecodeError("JSON is malformed: trailing characters (byte 1)"), start)
            return False
        if buffer[start:start + 1] != b",":
            raise fail(msgspec.DecodeError("JSON is malformed: expected ',' or ']' (byte 1)"), start)
        start += 1
        return True

    if skip_space() == -1:
        raise fail(msgspec.DecodeError("Input data was truncated"), start)
    if buffer[start:start + 1] == b"]":  # the empty array
        end_or_comma()
        return
    number = 0
    while True:
        number += 1
        skip_space()  # so that a problem names the line where the element begins
        end = _element_end(buffer, start, at_end, file)
        while end is None:  # the element goes on past what was read: read as much again
            if len(buffer) - start > max_bytes:
                break
            more(len(buffer) - start)
            end = _element_end(buffer, start, at_end, file)
        if end is None or (isinstance(end, int) and end - start > max_bytes):
            raise SubmissionError([Problem(f"an element of the array is larger than the limit of {max_bytes} bytes",
                                           file=file, line=position(start)[0], item=f"element {number} of the array")])
        if isinstance(end, Exception):
            raise fail(end, start)
        element = buffer[start:end]
        problem = json_limit_problem(element, depth=1)
        if problem is not None:
            raise SubmissionError([Problem(problem, file=file, line=position(start)[0],
                                           item=f"element {number} of the array")])
        paused = gc.isenabled()
        gc.disable()  # thousands of small acyclic objects: no use scanning them while they are built
        try:
            value = _ANY.decode(element)  # finding the end skipped the strings: their UTF-8 is checked here
        except msgspec.DecodeError as error:
            raise fail(error, start) from None
        finally:
            if paused:
                gc.enable()
        start = end
        yield value
        if not end_or_comma():
            return


def _element_end(buffer: bytes, start: int, at_end: bool, file: str) -> int | Exception | None:
    """Where the JSON value at ``buffer[start:]`` ends; None when the buffer ends first
    (and more may follow), or the error that makes it malformed.

    msgspec finds the end: decoding the rest as one ``Raw`` value, it reports the first
    byte past the value as "trailing characters (byte N)", N counting one past that byte.
    """
    with memoryview(buffer) as view:
        try:
            _RAW.decode(view[start:])
        except msgspec.DecodeError as error:
            trailing = _TRAILING.search(str(error))
            if trailing is not None:
                return start + int(trailing.group(1)) - 1
            if "truncated" in str(error) and not at_end:
                return None
            try:  # the full decoder says more precisely what is wrong, and where, than skipping does
                _ANY.decode(view[start:])
            except (msgspec.DecodeError, RecursionError) as precise:
                if isinstance(precise, msgspec.DecodeError) and _TRAILING.search(str(precise)) is None:
                    return precise
            return error
        except RecursionError:
            raise SubmissionError([Problem(f"JSON nested more than {MAX_DEPTH} deep", file=file)]) from None
    return None if not at_end else len(buffer)


def parse_jsonl_pieces(chunks: Iterable[bytes], file: str, problems: list[Problem],
                       max_line: int = DEFAULT_MAX_BYTES) -> Iterator[tuple[int, Annotation]]:
    """``parse_jsonl`` over data that arrives in pieces (``chunks``, read once from start to
    end): each run of whole lines is parsed as soon as it is complete, so memory holds one
    piece, whatever the size of the input. A line longer than ``max_line`` bytes is a
    problem (raised as ``BenchmarkError``, naming the line).
    """
    rest: list[bytes] = []  # the pieces of a line not yet complete (joined once, however long)
    rest_size, line = 0, 1
    for chunk in chunks:
        cut = chunk.rfind(b"\n") + 1
        if cut:
            piece = b"".join([*rest, chunk[:cut]])
            yield from parse_jsonl(piece, file, problems, line)
            line += piece.count(b"\n")
            rest, rest_size = [], 0
        rest.append(chunk[cut:])
        rest_size += len(chunk) - cut
        if rest_size > max_line:
            raise BenchmarkError([Problem(f"a line is longer than the limit of {max_line} bytes", file=file,
                                          line=line)])
    if rest_size:
        yield from parse_jsonl(b"".join(rest), file, problems, line)


def iter_annotations(path: str | Path, problems: list[Problem],
                     max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[tuple[int, Annotation]]:
    """Yield ``(line number, annotation)`` for each readable line of a file (``-`` is
    standard input), read once in pieces of whole lines (``parse_jsonl_pieces``); problems
    go to ``problems``. A line longer than ``max_bytes`` is a problem.
    """
    try:
        yield from parse_jsonl_pieces(read_input_chunks(path, sys.maxsize, MiB), str(path), problems, max_bytes)
    except BenchmarkError as error:
        problems.extend(error.problems)


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
        {"id": e.id or f"T{n}", "start": e.span.start, "end": e.span.end, "label": e.label,
         "attributes": dict(e.attributes)}
        for n, e in enumerate(annotation.entities, 1)]
    record["events"] = [
        {"id": ev.id or f"E{n}", "type": ev.event_type, "trigger": _span_json(ev.trigger),
         "arguments": [{"role": a.role, "start": a.span.start, "end": a.span.end} for a in ev.arguments],
         "attributes": dict(ev.attributes)}
        for n, ev in enumerate(annotation.events, 1)]
    return record


def jsonl_line(record: dict) -> bytes:
    """One JSON Lines line in UTF-8, with its line break: the bytes of ``json.dumps(record,
    ensure_ascii=False)`` (", " and ": " between items), written by msgspec, which is several
    times as fast. A float (only metadata can hold one) is written in msgspec's notation,
    the same number (``1e-05`` as ``0.00001``)."""
    return msgspec.json.format(msgspec.json.encode(record), indent=0) + b"\n"


def format_jsonl(annotations: Iterable[Annotation], with_document: bool = True) -> str:
    return b"".join(jsonl_line(annotation_to_json(a, with_document)) for a in annotations).decode("utf-8")


def write_annotations(path: str | Path, annotations: Iterable[Annotation], with_document: bool = True) -> None:
    """Write a SPEC JSONL file atomically."""
    write_text_atomic(path, format_jsonl(annotations, with_document))
