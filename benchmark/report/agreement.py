"""Pairwise agreement between the annotators of a Label Studio export.

For every pair of annotators (A, B) the documents both annotated are scored with
``benchmark.scoring.score.score``, A's annotation as gold and B's as prediction, on every key of
SPEC section 3, with the same per-label, per-role and per-type breakdowns. F1 is
symmetric in A and B for the set keys (precision and recall swap), so it is the
agreement figure reported; the counts are kept for the record. Offsets are half-open
``[start, end)`` code-point indices into the task text, in Label Studio as here.

Next to the F1 tables: the linking scores of SPEC 3.1 (``incident.muc``, ``incident.b3``,
``incident.ceafe``, ``incident.conll``) over the two annotators' incident keys, and
Krippendorff's alpha for the span labels and the casualty counts (``benchmark.report.alpha``
says what the units and values are).

An annotator is one person however the export writes ``completed_by`` (a user id, or an
object with ``id`` and ``email``): annotations are grouped by user id, and a person is
named by e-mail when any annotation of the export carries it, by user id otherwise.
Cancelled (skipped) annotations are ignored; when one annotator has several annotations
on a task, the latest counts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from typing import Any, Iterable, Mapping

from benchmark.errors import Problem, SubmissionError
from benchmark.labelstudio.convert import (annotator_email, annotator_key, from_labelstudio_results,
                                           latest_by_annotator, task_document)
from benchmark.labelstudio.exchange import iter_tasks
from benchmark.model import Annotation
from benchmark.report.alpha import Alpha, casualty_count_alpha, span_label_alpha
from benchmark.schema import Schema, load_schema
from benchmark.report.tables import scores_json
from benchmark.scoring.result import Scores
from benchmark.scoring.score import score
from benchmark.scoring.incidents import score_linking


ALPHA_NAMES = {"span_labels": "alpha span labels", "casualty_counts_interval": "alpha counts (interval)",
               "casualty_counts_ratio": "alpha counts (ratio)"}
ALPHA_UNITS = {"span_labels": "code points", "casualty_counts_interval": "CASUALTY spans",
               "casualty_counts_ratio": "CASUALTY spans"}


@dataclass(frozen=True, eq=False)
class PairAgreement:
    """The scores of annotator ``b`` against annotator ``a`` on the documents both annotated."""

    a: str
    b: str
    doc_ids: tuple[str, ...]
    scores: Scores
    alpha: Mapping[str, Alpha] = field(default_factory=dict)  # span labels, casualty counts


def annotator_name(completed_by: Any) -> str | None:
    """E-mail (or id) of a ``completed_by`` value: an object with ``email``/``id``, or an id."""
    return annotator_email(completed_by) or annotator_key(completed_by)


def annotations_by_annotator(tasks: Iterable[dict], problems: list[Problem], file: str | None = None,
                             schema: Schema | None = None) -> dict[str, dict[str, Annotation]]:
    """annotator -> document id -> annotation, from every annotation that is not cancelled.

    Annotators are grouped by user id (``annotator_key``) and named by e-mail where any
    ``completed_by`` of the export gives it.
    """
    schema = schema or load_schema()
    by_key: dict[str, dict[str, Annotation]] = {}
    emails: dict[str, str] = {}
    for task in tasks:
        where = {"file": file, "task": task.get("id")}
        document = task_document(task, where, problems)
        if document is None:
            continue
        for key, chosen in sorted(latest_by_annotator(task).items()):
            email = annotator_email(chosen.get("completed_by"))
            if email is not None:
                emails.setdefault(key, email)
            annotation = from_labelstudio_results(chosen.get("result") or [], document,
                                                  {**where, "annotation": chosen.get("id")}, problems, schema, key)
            by_doc = by_key.setdefault(key, {})
            if document.id in by_doc:
                problems.append(Problem(f"annotator {emails.get(key, key)} annotated this document in two tasks",
                                        file=file, document=document.id, item=f"task {task.get('id')}"))
                continue
            by_doc[document.id] = annotation
    return {emails.get(key, key): by_doc for key, by_doc in by_key.items()}


def pairwise_agreement(by_annotator: Mapping[str, Mapping[str, Annotation]],
                       schema: Schema | None = None) -> list[PairAgreement]:
    """Scores for every pair of annotators with at least one document in common."""
    schema = schema or load_schema()
    pairs = []
    for a, b in combinations(sorted(by_annotator), 2):
        shared = [d for d in by_annotator[a] if d in by_annotator[b]]
        if not shared:
            continue
        gold = [by_annotator[a][d] for d in shared]
        pred = [by_annotator[b][d] for d in shared]
        alpha = {"span_labels": span_label_alpha(gold, pred),
                 "casualty_counts_interval": casualty_count_alpha(gold, pred, "interval"),
                 "casualty_counts_ratio": casualty_count_alpha(gold, pred, "ratio")}
        # the linking keys (incident.*) are scored with the others; records are not annotated in Label Studio
        pairs.append(PairAgreement(a, b, tuple(shared), score(gold, pred, schema, incidents=score_linking(gold, pred)),
                                   alpha))
    return pairs


def export_agreement(path: str | Path, schema: Schema | None = None) -> list[PairAgreement]:
    """Pairwise agreement of a Label Studio JSON export (read task by task).

    Raises ``SubmissionError`` with every problem of the export (task, annotation and
    region named).
    """
    problems: list[Problem] = []
    by_annotator = annotations_by_annotator(iter_tasks(path, problems), problems, str(path), schema)
    if problems:
        raise SubmissionError(problems)
    return pairwise_agreement(by_annotator, schema)


def agreement_to_json(pairs: Iterable[PairAgreement]) -> list[dict]:
    """Machine-readable agreement: per pair, every key in the one JSON shape of scores
    (``benchmark.report.tables.scores_json``, without per-document counts) and Krippendorff's alpha."""
    return [{"a": pair.a, "b": pair.b, "documents": list(pair.doc_ids),
             "scores": scores_json(pair.scores, per_document=False),
             "krippendorff_alpha": {name: {"alpha": value.value, "units": value.units}
                                    for name, value in pair.alpha.items()}} for pair in pairs]


def format_agreement(pairs: Iterable[PairAgreement]) -> str:
    """A plain-text table per pair: F1 of every key, and per label, role or type."""
    lines = []
    for pair in pairs:
        lines.append(f"{pair.a} vs {pair.b}: {len(pair.doc_ids)} document{'s' if len(pair.doc_ids) != 1 else ''}")
        lines.append(f"  {'key':<28} {'F1':>6}  {'A':>5} {'B':>5}  per label/role/type (F1)")
        for key, result in pair.scores.items():
            groups = ", ".join(f"{name} {c.f1:.3f}" for name, c in result.groups.items() if c.gold or c.predicted)
            lines.append(f"  {key:<28} {result.f1:6.3f}  {result.gold:>5g} {result.predicted:>5g}"
                         f"  {groups}".rstrip())
        for name, value in pair.alpha.items():
            shown = "n/a" if value.value is None else f"{value.value:.3f}"
            lines.append(f"  {ALPHA_NAMES[name]:<28} {shown:>6}  {value.units} {ALPHA_UNITS[name]}")
    if not lines:
        return "no two annotators annotated the same document"
    return "\n".join(lines)
