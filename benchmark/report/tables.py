"""Turn scores into JSON, terminal tables and Markdown: the only place that rounds.

JSON keeps full precision and has the SPEC's shape (``scores_json``, the one JSON shape of
scores, shared by evaluate, the baselines, the leaderboard and agreement). Tables show
percentages with one decimal.
"""

from __future__ import annotations

import json
from typing import Mapping, Sequence

from benchmark.scoring.analysis import ErrorItem
from benchmark.scoring.bootstrap import KeyIntervals
from benchmark.model import Annotation
from benchmark.scoring.score import Scores

MAIN_KEYS = ("entity.strict", "entity.partial", "casualty", "trigger.classification",
             "argument.classification", "event.template")


def interval_json(intervals: KeyIntervals) -> dict:
    return {name: {"low": getattr(intervals, name).low, "high": getattr(intervals, name).high}
            for name in ("precision", "recall", "f1")}


def scores_json(scores: Scores, intervals: Mapping[str, KeyIntervals] | None = None,
                per_document: bool = True) -> dict:
    """The machine-readable result (SPEC section 3), the one JSON shape of scores.

    For every key: ``precision``, ``recall``, ``f1``, ``tp``, ``predicted``, ``gold``, the
    bootstrap ``interval`` (keys with per-document counts, when ``intervals`` are given),
    ``groups`` (per label, role, type or field, each with its interval when computed),
    ``per_document`` counts (when asked and the key has them) and ``missing_documents``.
    """
    result = scores.to_dict(per_document)
    for key, entry in result.items():
        key_intervals = (intervals or {}).get(key)
        if key_intervals is not None:
            entry["interval"] = interval_json(key_intervals)
            for name, group in entry["groups"].items():
                if name in key_intervals.groups:
                    group["interval"] = interval_json(key_intervals.groups[name])
        entry["missing_documents"] = list(scores.missing)
    return result


def format_json(scores: Scores, intervals: Mapping[str, KeyIntervals] | None = None) -> str:
    """``scores_json`` as one JSON object with a line per key (json's fast C encoder needs no indent)."""
    lines = [f"  {json.dumps(key)}: {json.dumps(entry)}" for key, entry in scores_json(scores, intervals).items()]
    return "{\n" + ",\n".join(lines) + "\n}\n"


def percent(value: float) -> str:
    return f"{100 * value:.1f}"


def _number(value: float) -> str:
    return f"{value:g}"


def _rows(scores: Scores, intervals: Mapping[str, KeyIntervals] | None, keys: Sequence[str]) -> list[list[str]]:
    rows = []
    for key in keys:
        total = scores[key]
        ci = intervals[key].f1 if intervals and key in intervals else None
        rows.append([key, percent(total.precision), percent(total.recall), percent(total.f1),
                     f"{percent(ci.low)}-{percent(ci.high)}" if ci else "", _number(total.tp),
                     _number(total.predicted), _number(total.gold)])
    return rows


HEADER = ["key", "P", "R", "F1", "F1 95% CI", "tp", "predicted", "gold"]


def format_table(scores: Scores, intervals: Mapping[str, KeyIntervals] | None = None,
                 keys: Sequence[str] | None = None) -> str:
    """A plain aligned table for the terminal."""
    rows = [HEADER, *_rows(scores, intervals, keys or list(scores))]
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
                    keys: Sequence[str] | None = None) -> str:
    return markdown_table(HEADER, _rows(scores, intervals, keys or list(scores)))


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
