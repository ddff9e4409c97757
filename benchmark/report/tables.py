"""Turn scores into JSON, terminal tables and Markdown: the only place that rounds.

JSON keeps full precision and has the SPEC's shape (``scores_json``, the one JSON shape of
scores, shared by evaluate, the baselines, the leaderboard and agreement). Tables show
percentages with one decimal.
"""

from __future__ import annotations

import json
from typing import Iterator, Mapping, Sequence

from benchmark.model import Annotation, Span
from benchmark.scoring.analysis import CLASSES, ErrorItem, ErrorReport
from benchmark.scoring.bootstrap import Comparison, Interval, KeyIntervals
from benchmark.scoring.result import Counts, KeyScore, Scores

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
    return {key: scores_json_entry(scores, key, intervals, per_document) for key in scores}


def scores_json_entry(scores: Scores, key: str, intervals: Mapping[str, KeyIntervals] | None = None,
                      per_document: bool = True) -> dict:
    """``scores_json`` of one key."""
    entry = scores.key_dict(key, per_document)
    key_intervals = (intervals or {}).get(key)
    if key_intervals is not None:
        entry["interval"] = interval_json(key_intervals)
        for name, group in entry["groups"].items():
            if name in key_intervals.groups:
                group["interval"] = interval_json(key_intervals.groups[name])
    entry["missing_documents"] = list(scores.missing)
    return entry


def iter_json(scores: Scores, intervals: Mapping[str, KeyIntervals] | None = None) -> Iterator[str]:
    """``format_json`` in pieces, a key at a time, so that memory holds one key's JSON."""
    yield "{"
    for n, key in enumerate(scores):
        yield ",\n" if n else "\n"
        yield f"  {json.dumps(key)}: {json.dumps(scores_json_entry(scores, key, intervals))}"
    yield "\n}\n"


def format_json(scores: Scores, intervals: Mapping[str, KeyIntervals] | None = None) -> str:
    """``scores_json`` as one JSON object with a line per key (json's fast C encoder needs no indent)."""
    return "".join(iter_json(scores, intervals))


def percent(value: float) -> str:
    """A fraction in [0, 1] as a percentage with one decimal (``0.4567`` -> ``45.7``)."""
    return f"{100 * value:.1f}"


def format_p(p: float) -> str:
    """A p-value with three decimals; one that would print as 0.000 is ``< 0.001``."""
    return "< 0.001" if round(p, 3) == 0 else f"{p:.3f}"


def _number(value: float) -> str:
    return f"{value:g}"


def _interval(ci: Interval | None) -> str:
    return f"{percent(ci.low)}-{percent(ci.high)}" if ci else ""


def _counts_row(name: str, counts: Counts | KeyScore, ci: Interval | None = None) -> list[str]:
    return [name, percent(counts.precision), percent(counts.recall), percent(counts.f1), _interval(ci),
            _number(counts.tp), _number(counts.predicted), _number(counts.gold)]


def _rows(scores: Scores, intervals: Mapping[str, KeyIntervals] | None, keys: Sequence[str]) -> list[list[str]]:
    """A row per key (its F1 interval when computed); keys scored across documents (the incident
    keys) have no interval, and their groups (``incident.record``'s fields) follow as ``key[field]``
    unless the key has nothing to score (no gold and no predicted records)."""
    rows = []
    for key in keys:
        result = scores[key]
        rows.append(_counts_row(key, result, intervals[key].f1 if intervals and key in intervals else None))
        if result.by_doc is None and (result.gold or result.predicted):
            rows += [_counts_row(f"{key}[{name}]", counts) for name, counts in result.groups.items()]
    return rows


HEADER = ["key", "P", "R", "F1", "F1 95% CI", "tp", "predicted", "gold"]


def aligned_table(rows: Sequence[Sequence[str]]) -> list[str]:
    """Rows (the first is the header) as aligned lines: first column left, the others right; a rule under the header."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(w) if i == 0 else cell.rjust(w) for i, (cell, w) in enumerate(zip(row, widths)))
             .rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return lines


def format_table(scores: Scores, intervals: Mapping[str, KeyIntervals] | None = None,
                 keys: Sequence[str] | None = None) -> str:
    """A plain aligned table for the terminal."""
    lines = aligned_table([HEADER, *_rows(scores, intervals, keys or list(scores))])
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


# ---------------------------------------------------------------- breakdowns (--by)

# The keys each breakdown applies to; "document" applies to every key.
BREAKDOWN_KEYS = {
    "label": ("entity.strict", "entity.exact", "entity.partial", "entity.type", "casualty"),
    "role": ("argument.classification", "argument.attached"),
    "type": ("trigger.classification", "event.exact", "event.template"),
    "document": MAIN_KEYS,
}


def _macro(rows: Sequence[Counts]) -> tuple[float, float, float]:
    n = len(rows)
    return (sum(c.precision for c in rows) / n, sum(c.recall for c in rows) / n, sum(c.f1 for c in rows) / n)


def breakdown_rows(scores: Scores, key: str, by: str,
                   intervals: Mapping[str, KeyIntervals] | None = None) -> list[list[str]]:
    """One key's rows per label, role, event type or document, then ``micro avg`` and ``macro avg``,
    as seqeval's ``classification_report`` has them (percentages; the macro average is the
    unweighted mean of the rows' P, R and F1). Empty when the key has no such breakdown."""
    if by == "document":
        parts = dict(scores[key].by_doc or {})
        group_ci: Mapping[str, KeyIntervals] = {}
    else:
        if key not in BREAKDOWN_KEYS[by]:
            return []
        # alphabetical, and only what either side has (a schema label absent from both is left
        # out of the rows and of the macro average), as seqeval's report
        parts = {name: c for name, c in sorted(scores[key].groups.items()) if c.predicted or c.gold}
        group_ci = intervals[key].groups if intervals else {}
    if not parts:
        return []
    rows = [_counts_row(name, counts, group_ci[name].f1 if name in group_ci else None)
            for name, counts in parts.items()]
    rows.append(_counts_row("micro avg", scores[key], intervals[key].f1 if intervals else None))
    precision, recall, f1 = _macro(list(parts.values()))
    rows.append(["macro avg", percent(precision), percent(recall), percent(f1), "", "", "", ""])
    return rows


def format_breakdown(scores: Scores, by: str, intervals: Mapping[str, KeyIntervals] | None = None,
                     keys: Sequence[str] | None = None, markdown: bool = False) -> str:
    """Per-label (``by="label"``), per-role, per-event-type or per-document tables, one per key.

    ``keys`` default to the keys that have the breakdown (for documents: the main keys).
    """
    keys = BREAKDOWN_KEYS[by] if keys is None else keys
    parts = []
    for key in keys:
        rows = breakdown_rows(scores, key, by, intervals)
        if not rows:
            continue
        header = [by, *HEADER[1:]]
        if markdown:
            parts.append(f"#### `{key}` by {by}\n\n" + markdown_table(header, rows))
        else:
            parts.append(f"{key} by {by}\n" + "\n".join(aligned_table([header, *rows])) + "\n")
    return "\n" + "\n".join(parts) if parts else f"\nno key of {', '.join(keys)} breaks down by {by}\n"


# ---------------------------------------------------------------- errors (--errors)

def _label_text(key: str, label: tuple | None) -> str:
    if label is None:
        return ""
    if key == "argument.attached":
        trigger_start, trigger_end, event_type, role = label
        return f"{role} of {event_type} [{trigger_start}, {trigger_end})"
    return "/".join("-" if value is None else str(value) for value in label)


def _where(span: Span) -> str:
    return f"[{span.start}, {span.end})"


def _context(text: str, gold: Span | None, pred: Span | None, width: int) -> str:
    """``...left [shown] right...`` around the gold span (the predicted one when there is none)."""
    span = gold or pred
    left = text[max(0, span.start - width):span.start].replace("\n", " ")
    right = text[span.end:span.end + width].replace("\n", " ")
    return f"...{left}[{text[span.start:span.end]}]{right}..."


def _error_cells(error: ErrorItem, text: str) -> tuple[str, str]:
    """(gold, predicted) descriptions: offsets, label, and for a partial match the predicted text."""
    gold = f"{_where(error.gold_span)} {_label_text(error.key, error.gold_label)}" if error.gold_span else ""
    pred = ""
    if error.pred_span:
        pred = f"{_where(error.pred_span)} {_label_text(error.key, error.pred_label)}"
        if error.kind == "partial":
            pred += f' "{text[error.pred_span.start:error.pred_span.end]}"'
    return gold, pred


def _count_rows(report: ErrorReport) -> list[list[str]]:
    return [[key, *(str(counts[name]) for name in CLASSES)] for key, counts in report.counts.items()]


def _md_escape(text: str) -> str:
    for special in ("\\", "|", "`", "*", "_", "<", ">"):
        text = text.replace(special, "\\" + special)
    return " ".join(text.split())


def format_errors(report: ErrorReport, gold: Sequence[Annotation], width: int = 40, markdown: bool = False) -> str:
    """The count of each error class per key, then every error with its text in context.

    Classes as nervaluate's (see ``benchmark.scoring.analysis``); ``gold`` gives the texts.
    """
    texts = {a.doc_id: a.document.text for a in gold if a.document is not None}
    header = ["key", *CLASSES]
    if markdown:
        parts = ["", "### Errors", "", "Classified as nervaluate does: `correct`, `incorrect` (same span, other "
                 "label), `partial` (overlapping span), `missed`, `spurious`.", "",
                 markdown_table(header, _count_rows(report)).rstrip("\n")]
    else:
        parts = ["", "errors (classified as nervaluate does)", *aligned_table([header, *_count_rows(report)])]
    current = None
    for error in report.errors:
        text = texts.get(error.doc_id, "")
        gold_cell, pred_cell = _error_cells(error, text)
        context = _context(text, error.gold_span, error.pred_span, width)
        if error.doc_id != current:
            current = error.doc_id
            if markdown:
                parts += ["", f"#### {current}", "", "| class | key | gold | predicted | context |",
                          "|---|---|---|---|---|"]
            else:
                parts.append(f"== {current}")
        if markdown:
            parts.append(f"| {error.kind} | `{error.key}` | {_md_escape(gold_cell)} | {_md_escape(pred_cell)} | "
                         f"{_md_escape(context)} |")
        else:
            sides = "; ".join(f"{side} {cell}" for side, cell in (("gold", gold_cell), ("pred", pred_cell)) if cell)
            parts.append(f"{error.kind} {error.key} {sides}: {context}")
    return "\n".join(parts) + "\n"


# ---------------------------------------------------------------- compare

def _signed(value: float) -> str:
    return f"{100 * value:+.1f}"


def format_comparison(comparison: Comparison, name_a: str, name_b: str, markdown: bool = False) -> str:
    """Per key: F1 of A and B, A - B with its interval, and the paired-bootstrap p-value (percentages)."""
    level = int(round(100 * comparison.level))
    header = ["key", "F1 A", "F1 B", "A - B", f"{level}% CI of A - B", "p"]
    rows = [[row.key, percent(row.f1_a), percent(row.f1_b), _signed(row.difference),
             f"[{_signed(row.interval.low)}, {_signed(row.interval.high)}]", format_p(row.p_value)]
            for row in comparison.keys]
    note = (f"paired bootstrap over {comparison.documents} documents, {comparison.resamples} resamples, "
            f"seed {comparison.seed}; p: the fraction of resamples in which the system with the higher F1 "
            "is not above the other")
    if markdown:
        return (f"- A: `{name_a}`\n- B: `{name_b}`\n\n" + markdown_table([f"`{h}`" if h == "key" else h for h in header],
                [[f"`{r[0]}`", *r[1:]] for r in rows]) + f"\n{note[0].upper() + note[1:]}.\n")
    return "\n".join([f"A: {name_a}", f"B: {name_b}", note, *aligned_table([header, *rows])]) + "\n"
