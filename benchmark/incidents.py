"""Incident records (SPEC 1.3): one ACLED-style record per real-world attack.

A record names its incident by the key its event mentions carry (``Event`` attribute
``incident``). Records carry no offsets; the event mentions they belong to locate
themselves by half-open code-point offsets ``[start, end)`` into the document text.

``read_incident_records`` is the reader of a gold or predicted record file (JSON Lines):
it checks every line's shape (types, the date matching its precision, weapon classes
known to the schema, no repeated key) and, given the annotations the records belong to,
that every record's ``incident`` is a key one of their events uses (SPEC section 2). It
collects every problem, each with file, line and field, and raises once.
"""

from __future__ import annotations

import json
import re
from array import array
from dataclasses import dataclass
from datetime import date as Date
from pathlib import Path
from typing import Any, Iterable, NamedTuple, Sequence

from benchmark.errors import Problem, SubmissionError, raise_if_any
from benchmark.files import MAX_DEPTH, json_limit_problem, read_input_bytes, write_text_atomic
from benchmark.model import Annotation
from benchmark.schema import Schema, load_schema

DATE_PRECISIONS = {"day": r"[0-9]{4}-[0-9]{2}-[0-9]{2}", "month": r"[0-9]{4}-[0-9]{2}", "year": r"[0-9]{4}"}
FIELDS = ("incident", "date", "date_precision", "country", "place", "attackers", "weapon_classes",
          "killed", "injured")
REQUIRED = ("incident", "date", "date_precision")


@dataclass(frozen=True, slots=True)
class IncidentRecord:
    """One incident: its key, date (ISO 8601 to ``date_precision``), place, parties, weapons, toll."""

    incident: str
    date: str
    date_precision: str
    country: str | None = None
    place: str | None = None
    attackers: tuple[str, ...] = ()
    weapon_classes: tuple[str, ...] = ()
    killed: int | None = None
    injured: int | None = None


def record_to_json(record: IncidentRecord) -> dict[str, Any]:
    """The SPEC 1.3 JSON object of a record (lists for the name sets)."""
    return {"incident": record.incident, "date": record.date, "date_precision": record.date_precision,
            "country": record.country, "place": record.place, "attackers": list(record.attackers),
            "weapon_classes": list(record.weapon_classes), "killed": record.killed, "injured": record.injured}


def write_incident_records(path: str | Path, records: Iterable[IncidentRecord]) -> None:
    """Write records as JSON Lines, one record a line, in the order given."""
    text = "".join(json.dumps(record_to_json(r), ensure_ascii=False) + "\n" for r in records)
    write_text_atomic(path, text)


def _date_problem(value: object, precision: object) -> str | None:
    if precision not in DATE_PRECISIONS:
        return None  # reported on date_precision
    if not isinstance(value, str) or not re.fullmatch(DATE_PRECISIONS[precision], value):
        form = {"day": "YYYY-MM-DD", "month": "YYYY-MM", "year": "YYYY"}[precision]
        return f"{value!r} does not have the form {form} that date_precision {precision!r} asks for"
    parts = [int(p) for p in value.split("-")] + [1, 1]
    try:
        Date(parts[0], parts[1], parts[2])
    except ValueError as error:
        return f"{value!r} is not a calendar date ({error})"
    return None


def parse_incident_record(raw: object, weapon_classes: Sequence[str], where: dict[str, Any],
                          problems: list[Problem]) -> IncidentRecord | None:
    """One record from its JSON object; every shape problem goes to ``problems`` (with ``where``)."""
    def problem(message: str, field: str | None = None) -> None:
        problems.append(Problem(message, field=field, **where))

    if not isinstance(raw, dict):
        problem(f"a record is a JSON object, got {type(raw).__name__}")
        return None
    before = len(problems)
    for name in sorted(set(raw) - set(FIELDS)):
        problem(f"unknown field; a record has {', '.join(FIELDS)}", name)
    for name in REQUIRED:
        if raw.get(name) is None:
            problem("required field is missing", name)
    key = raw.get("incident")
    if key is not None and (not isinstance(key, str) or not key.strip()):
        problem(f"{key!r} is not a non-empty string", "incident")
    precision = raw.get("date_precision")
    if precision is not None and precision not in DATE_PRECISIONS:
        problem(f"{precision!r} is not one of {', '.join(DATE_PRECISIONS)}", "date_precision")
    if raw.get("date") is not None:
        message = _date_problem(raw["date"], precision)
        if message:
            problem(message, "date")
    for name in ("country", "place"):
        if raw.get(name) is not None and (not isinstance(raw[name], str) or not raw[name].strip()):
            problem(f"{raw[name]!r} is neither a non-empty string nor null", name)
    for name in ("attackers", "weapon_classes"):
        value = raw.get(name)
        if value is None:
            continue
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            problem(f"{value!r} is not a list of non-empty strings", name)
        elif name == "weapon_classes":
            for unknown in (v for v in value if v not in weapon_classes):
                problem(f"{unknown!r} is not a weapon class; choose from {', '.join(weapon_classes)}", name)
    for name in ("killed", "injured"):
        value = raw.get(name)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
            problem(f"{value!r} is neither an integer >= 0 nor null", name)
    if len(problems) > before:
        return None
    return IncidentRecord(raw["incident"], raw["date"], precision, raw.get("country"), raw.get("place"),
                          tuple(raw.get("attackers") or ()), tuple(raw.get("weapon_classes") or ()),
                          raw.get("killed"), raw.get("injured"))


class EventMentions(NamedTuple):
    """One document's event mentions in little memory: the trigger offsets of its events,
    in order, as ``start, end, start, end, ...`` (half-open code points), and the
    incident key of each event that carries one (``(event index, key)`` pairs)."""

    doc_id: str
    bounds: array
    keys: tuple[tuple[int, str], ...]


def event_mentions(annotation: Annotation | EventMentions) -> EventMentions:
    """The ``EventMentions`` of an annotation (one already made is returned as it is)."""
    if isinstance(annotation, EventMentions):
        return annotation
    bounds, keys = array("q"), []
    for n, event in enumerate(annotation.events):
        bounds.extend((event.trigger.start, event.trigger.end))
        key = event.attrs.get("incident") if event.attributes else None
        if key is not None:
            keys.append((n, key))
    return EventMentions(annotation.doc_id, bounds, tuple(keys))


def incident_keys(annotations: Iterable[Annotation | EventMentions]) -> set[str]:
    """Every incident key the events of ``annotations`` use."""
    return {key for a in annotations for _, key in event_mentions(a).keys}


def read_incident_records(path: str | Path, annotations: Sequence[Annotation | EventMentions] | None = None,
                          schema: Schema | None = None, complete: bool = False) -> list[IncidentRecord]:
    """Records of a JSON Lines file (SPEC 1.3), checked; with ``annotations``, keys checked too:
    every record's key is used by an event, and with ``complete`` (the annotations are the
    gold) every key the events use has a record.

    A field that is absent or ``null`` is ``null`` (``attackers`` and ``weapon_classes``:
    empty). Raises ``SubmissionError`` with every problem (file, line, field).
    """
    file = str(path)
    classes = next((a.values for label in (schema or load_schema()).labels for a in label.attributes
                    if a.name == "weapon_class"), ())
    problems: list[Problem] = []
    records: list[IncidentRecord] = []
    first_line: dict[str, int] = {}
    data = read_input_bytes(path)  # once, within the size limit; '-' is standard input
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    used = incident_keys(annotations) if annotations is not None else None
    for line_no, raw_line in enumerate(data.split(b"\n"), 1):
        if not raw_line.strip():
            continue
        where = {"file": file, "line": line_no}
        try:
            line = raw_line.decode("utf-8")
        except UnicodeDecodeError as error:
            problems.append(Problem(f"the line is not UTF-8: {error.reason}", **where))
            continue
        try:
            raw = json.loads(line)
        except json.JSONDecodeError as error:
            problems.append(Problem(f"malformed JSON: {error.msg} at column {error.colno}", **where))
            continue
        except (ValueError, RecursionError):  # nesting or digits past what the decoder takes
            problems.append(Problem(f"JSON nested more than {MAX_DEPTH} deep or an integer outside the signed "
                                    "64-bit range", **where))
            continue
        limit = json_limit_problem(raw_line)
        if limit:
            problems.append(Problem(limit, **where))
            continue
        record = parse_incident_record(raw, classes, where, problems)
        if record is None:
            continue
        item = f"incident {record.incident}"
        if record.incident in first_line:
            problems.append(Problem(f"a second record for this key (the first is on line "
                                    f"{first_line[record.incident]}); give one record per incident",
                                    field="incident", item=item, **where))
            continue
        first_line[record.incident] = line_no
        if used is not None and record.incident not in used:
            problems.append(Problem("no event of the annotations carries this incident key; a record's key "
                                    "must be the `incident` attribute of at least one event", field="incident",
                                    item=item, **where))
        records.append(record)
    if complete and used is not None:
        problems.extend(Problem(f"the gold's events use the incident key {key!r} but no record gives it; every "
                                "key used in the gold has exactly one record", file, field="incident",
                                item=f"incident {key}") for key in sorted(used - first_line.keys()))
    raise_if_any(problems, SubmissionError)
    return records
