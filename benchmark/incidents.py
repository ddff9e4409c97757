"""ACLED-style incident records (SPEC 1.3): read with a shape check, and write.

One JSON object a line, with exactly these keys, written in this order: ``incident``,
``date``, ``date_precision``, ``country``, ``place``, ``attackers``, ``weapon_classes``,
``killed``, ``injured``. A record describes a real-world attack, not a span, so it holds
no offsets; the event mentions that report it carry its key in ``attributes.incident``
(whose offsets, like every offset of the benchmark, are half-open code-point indices
``[start, end)`` into the document text).

The reader checks the shape of every record (types, allowed values, the date written to
its precision, each key once) and reports every problem with its file, line and field.
Whether a record's key is used by the events of an annotation file is for the caller to
check, with the annotations at hand.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date as calendar_date
from pathlib import Path
from typing import Any, Iterable

from benchmark.errors import Problem, SubmissionError
from benchmark.files import write_text_atomic
from benchmark.schema import Schema, load_schema

FIELDS = ("incident", "date", "date_precision", "country", "place", "attackers", "weapon_classes", "killed",
          "injured")

#: How a date is written at each precision (ISO 8601 reduced precision).
DATE_FORMATS = {"day": re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}"), "month": re.compile(r"[0-9]{4}-[0-9]{2}"),
                "year": re.compile(r"[0-9]{4}")}


@dataclass(frozen=True, slots=True)
class IncidentRecord:
    """One incident: when, where, by whom, with what, and its toll (``None``: no figure)."""

    incident: str
    date: str
    date_precision: str
    country: str | None
    place: str | None
    attackers: tuple[str, ...] = ()
    weapon_classes: tuple[str, ...] = ()
    killed: int | None = None
    injured: int | None = None

    def to_json(self) -> dict[str, Any]:
        """The record as a JSON object, keys in the SPEC's order."""
        return {"incident": self.incident, "date": self.date, "date_precision": self.date_precision,
                "country": self.country, "place": self.place, "attackers": list(self.attackers),
                "weapon_classes": list(self.weapon_classes), "killed": self.killed, "injured": self.injured}


def _date_problem(value: str, precision: str) -> str | None:
    if not DATE_FORMATS[precision].fullmatch(value):
        return f"date {value!r} is not written to its precision {precision!r} (YYYY-MM-DD, YYYY-MM or YYYY)"
    parts = [int(p) for p in value.split("-")] + [1] * (3 - len(value.split("-")))
    try:
        calendar_date(*parts)
    except ValueError:
        return f"date {value!r} is not a calendar date"
    return None


def _name_list(value: Any, field: str, add, allowed: tuple[str, ...] = ()) -> tuple[str, ...] | None:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        add(f"{field} must be a list of non-empty strings, got {value!r}", field)
        return None
    problems = [f"{v!r} is not one of {', '.join(allowed)}" for v in value if allowed and v not in allowed]
    folded = [v.casefold() for v in value]
    problems += [f"{v!r} is listed twice (names are compared ignoring case)"
                 for v in sorted({v for v in folded if folded.count(v) > 1})]
    for problem in problems:
        add(problem, field)
    return None if problems else tuple(value)


def _figure(value: Any, field: str, add) -> bool:
    if value is None or (isinstance(value, int) and not isinstance(value, bool) and value >= 0):
        return True
    add(f"{field} must be an integer >= 0 or null (no figure), got {value!r}", field)
    return False


def parse_incident_record(obj: Any, add, schema: Schema | None = None) -> IncidentRecord | None:
    """A record from one decoded JSON line, or None; each shape problem goes to ``add(message, field)``."""
    schema = schema or load_schema()
    found: list[str] = []

    def report(message: str, field: str | None) -> None:
        found.append(message)
        add(message, field)

    if not isinstance(obj, dict):
        report("each line must be a JSON object", None)
        return None
    for key in FIELDS:
        if key not in obj:
            report(f"missing key {key!r} (a record has {', '.join(FIELDS)}; null where a field has no value)", key)
    for key in obj:
        if key not in FIELDS:
            report(f"unknown key {key!r} (allowed: {', '.join(FIELDS)})", key)
    if found:
        return None
    spec = schema.attribute("incident")
    if not isinstance(obj["incident"], str) or (spec is not None and spec.check(obj["incident"]) is not None):
        report(f"incident must be a key such as '2021-02-15-erbil' (pattern {spec.pattern if spec else '?'}), "
               f"got {obj['incident']!r}", "incident")
    precision, value = obj["date_precision"], obj["date"]
    known_precision = isinstance(precision, str) and precision in DATE_FORMATS
    if not known_precision:
        report(f"date_precision must be one of {', '.join(DATE_FORMATS)}, got {precision!r}", "date_precision")
    if not isinstance(value, str):
        report(f"date must be a string (YYYY-MM-DD, YYYY-MM or YYYY), got {value!r}", "date")
    elif known_precision and (problem := _date_problem(value, precision)):
        report(problem, "date")
    for key in ("country", "place"):
        if obj[key] is not None and not (isinstance(obj[key], str) and obj[key].strip()):
            report(f"{key} must be a non-empty canonical name or null, got {obj[key]!r}", key)
    weapon_class = schema.attribute("weapon_class")
    attackers = _name_list(obj["attackers"], "attackers", report)
    weapon_classes = _name_list(obj["weapon_classes"], "weapon_classes", report,
                                weapon_class.values if weapon_class else ())
    _figure(obj["killed"], "killed", report)
    _figure(obj["injured"], "injured", report)
    if found or attackers is None or weapon_classes is None:
        return None
    return IncidentRecord(obj["incident"], value, precision, obj["country"], obj["place"], attackers,
                          weapon_classes, obj["killed"], obj["injured"])


class _Line:
    def __init__(self, file: str, line: int, problems: list[Problem], item: str | None = None) -> None:
        self.file, self.line, self.problems, self.item = file, line, problems, item

    def __call__(self, message: str, field: str | None = None) -> None:
        self.problems.append(Problem(message, self.file, self.line, item=self.item, field=field))


def read_incident_lines(path: str | Path, problems: list[Problem]) -> list[tuple[int, IncidentRecord]]:
    """The ``(line number, record)`` pairs of a records file whose shape is valid; every problem
    (including a key given twice) is appended to ``problems``, so that callers can report all at once."""
    file, records = str(path), []
    schema = load_schema()
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError as error:
        problems.append(Problem(f"cannot read the file: {error.strerror}", file=file))
        return []
    except UnicodeDecodeError as error:
        problems.append(Problem(f"the file is not UTF-8: {error.reason}", file=file))
        return []
    seen: dict[str, int] = {}
    for line_no, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as error:
            problems.append(Problem(f"malformed JSON: {error.msg} at column {error.colno}", file, line_no))
            continue
        key = obj.get("incident") if isinstance(obj, dict) else None
        item = f"incident {key}" if isinstance(key, str) else None
        record = parse_incident_record(obj, _Line(file, line_no, problems, item), schema)
        if record is None:
            continue
        if record.incident in seen:
            problems.append(Problem(f"incident key given twice (first on line {seen[record.incident]}); "
                                    "a key has one record", file, line_no, item=item, field="incident"))
            continue
        seen[record.incident] = line_no
        records.append((line_no, record))
    return records


def read_incident_records(path: str | Path) -> list[IncidentRecord]:
    """The records of a file, in file order; raise ``SubmissionError`` listing every problem."""
    problems: list[Problem] = []
    records = read_incident_lines(path, problems)
    if problems:
        raise SubmissionError(problems)
    return [record for _, record in records]


def format_incident_records(records: Iterable[IncidentRecord]) -> str:
    """JSON Lines text of ``records``: one object a line, keys in the SPEC's order."""
    return "".join(json.dumps(record.to_json(), ensure_ascii=False) + "\n" for record in records)


def write_incident_records(path: str | Path, records: Iterable[IncidentRecord]) -> None:
    """Write a records file atomically."""
    write_text_atomic(path, format_incident_records(records))
