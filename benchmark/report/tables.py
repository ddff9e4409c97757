"""Turn scores into JSON, terminal tables and Markdown: the only place that rounds.

JSON keeps full precision and has the SPEC's shape: for every key an object with
``precision``, ``recall``, ``f1``, ``tp``, ``predicted``, ``gold``, the 95% interval
(``ci``), the breakdown per label / role / event type, per-document counts and the
missing documents. Tables show percentages with one decimal.
"""

from __future__ import annotations

import json
from typing import Mapping, Sequence

from benchmark.scoring.analysis import ErrorItem
from benchmark.scoring.bootstrap import KeyIntervals
from benchmark.model import Annotation
from benchmark.scoring.incidents import IncidentScore
from benchmark.scoring.score import KEYS, Counts, Scores

Incidents = Mapping[str, IncidentScore]

MAIN_KEYS = ("entity.strict", "entity.partial", "casualty", "trigger.classification",
             "argument.classification", "event.template")
BREAKDOWN_NAMES = {"entity": "by_label", "casualty": "by_label", "argument": "by_role",
                   "trigger": "by_type", "event": "by_type"}


def counts_json(counts: Counts) -> dict:
    return {"precision": counts.precision, "recall": counts.recall, "f1": counts.f1,
            "tp": counts.tp, "predicted": counts.predicted, "gold": counts.gold}


def _interval_json(intervals: KeyIntervals) -> dict:
    return {name: [getattr(intervals, name).low, getattr(intervals, name).high]
            for name in ("precision", "recall", "f1")}


def incidents_json(incidents: Incidents) -> dict:
    """The incident keys (SPEC 3.1): no interval; ``incident.record`` with ``by_field``."""
    result = {}
    for key, value in incidents.items():
        result[key] = counts_json(value)
        if value.by_field:
            result[key]["by_field"] = {name: counts_json(c) for name, c in value.by_field.items()}
    return result


def scores_json(scores: Scores, intervals: Mapping[str, KeyIntervals] | None = None,
                incidents: Incidents | None = None) -> dict:
    """The machine-readable result (SPEC section 3, and 3.1's incident keys when given)."""
    result = {}
    for key in KEYS:
        key_scores = scores[key]
        entry = counts_json(key_scores.total)
        if intervals is not None:
            entry["ci"] = {"level": 0.95, **_interval_json(intervals[key])}
        if key_scores.group_names:
            entry[BREAKDOWN_NAMES[key.split(".")[0]]] = {name: counts_json(c) for name, c in key_scores.groups.items()}
        entry["per_document"] = {doc: counts_json(c) for doc, c in scores.by_doc(key).items()}
        entry["missing_documents"] = list(scores.missing)
        result[key] = entry
    result.update(incidents_json(incidents or {}))  # incident keys
    return result


def format_json(scores: Scores, intervals: Mapping[str, KeyIntervals] | None = None,
                incidents: Incidents | None = None) -> str:
    return json.dumps(scores_json(scores, intervals, incidents), indent=2, sort_keys=False) + "\n"


def percent(value: float) -> str:
    return f"{100 * value:.1f}"


def _number(value: float) -> str:
    return f"{value:g}"


def _rows(scores: Scores, intervals: Mapping[str, KeyIntervals] | None, keys: Sequence[str]) -> list[list[str]]:
    rows = []
    for key in keys:
        total = scores[key].total
        ci = intervals[key].f1 if intervals else None
        rows.append([key, percent(total.precision), percent(total.recall), percent(total.f1),
                     f"{percent(ci.low)}-{percent(ci.high)}" if ci else "", _number(total.tp),
                     _number(total.predicted), _number(total.gold)])
    return rows


def _incident_rows(incidents: Incidents | None) -> list[list[str]]:
    """incident keys: one row per key (no interval), and ``incident.record[field]`` per field."""
    rows = []
    for key, value in (incidents or {}).items():
        named = [(key, value), *((f"{key}[{name}]", c) for name, c in value.by_field.items())]
        rows += [[name, percent(c.precision), percent(c.recall), percent(c.f1), "", _number(c.tp),
                  _number(c.predicted), _number(c.gold)] for name, c in named]
    return rows


HEADER = ["key", "P", "R", "F1", "F1 95% CI", "tp", "predicted", "gold"]


def format_table(scores: Scores, intervals: Mapping[str, KeyIntervals] | None = None,
                 keys: Sequence[str] = KEYS, incidents: Incidents | None = None) -> str:
    """A plain aligned table for the terminal."""
    rows = [HEADER, *_rows(scores, intervals, keys), *_incident_rows(incidents)]  # incident keys
    widths = [max(len(row[i]) for row in rows) for i in range(len(HEADER))]
    lines = ["  ".join(cell.ljust(w) if i == 0 else cell.rjust(w) for i, (cell, w) in enumerate(zip(row, widths)))
             for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    if scores.missing:
        lines.append(f"missing documents (scored as empty): {', '.join(scores.missing)}")
    return "\n".join(lines) + "\n"


def markdown_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def format_markdown(scores: Scores, intervals: Mapping[str, KeyIntervals] | None = None,
                    keys: Sequence[str] = KEYS, incidents: Incidents | None = None) -> str:
    return markdown_table(HEADER, [*_rows(scores, intervals, keys), *_incident_rows(incidents)])  # incident keys


def format_errors(errors: Sequence[ErrorItem], gold: Sequence[Annotation], width: int = 40) -> str:
    """Every error with its text in context: ``...left [span] right...``."""
    texts = {a.doc_id: a.document.text for a in gold if a.document is not None}
    lines, current = [], None
    for error in errors:
        if error.doc_id != current:
            current = error.doc_id
            lines.append(f"== {current}")
        text = texts.get(error.doc_id, "")
        left = text[max(0, error.span.start - width):error.span.start].replace("\n", " ")
        right = text[error.span.end:error.span.end + width].replace("\n", " ")
        shown = text[error.span.start:error.span.end]
        detail = ", ".join(str(v) for v in error.match_key[2:]) if len(error.match_key) > 2 else ""
        lines.append(f"{error.kind} {error.key} [{error.span.start}, {error.span.end}) {detail}: "
                     f"...{left}[{shown}]{right}...")
    return "\n".join(lines) + "\n"
