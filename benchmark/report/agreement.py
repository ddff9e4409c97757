"""Pairwise agreement between the annotators of a Label Studio export.

For every pair of annotators (A, B) the documents both annotated are scored with
``benchmark.scoring.score.score``, A's annotation as gold and B's as prediction, on every key of
SPEC section 3, with the same per-label, per-role and per-type breakdowns. F1 is
symmetric in A and B for the set keys (precision and recall swap), so it is the
agreement figure reported; the counts are kept for the record. Offsets are half-open
``[start, end)`` code-point indices into the task text, in Label Studio as here.

An annotator is named by e-mail when the export carries it (``completed_by`` as an
object) and by user id otherwise. Cancelled (skipped) annotations are ignored; when one
annotator has several annotations on a task, the latest counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations
from pathlib import Path
from typing import Any, Iterable, Mapping

from benchmark.errors import Problem, SubmissionError
from benchmark.labelstudio.convert import choose_annotation, from_labelstudio_results, task_document
from benchmark.labelstudio.exchange import iter_tasks
from benchmark.model import Annotation
from benchmark.schema import Schema, load_schema
from benchmark.report.tables import scores_json
from benchmark.scoring.score import Scores, score


@dataclass(frozen=True, eq=False)
class PairAgreement:
    """The scores of annotator ``b`` against annotator ``a`` on the documents both annotated."""

    a: str
    b: str
    doc_ids: tuple[str, ...]
    scores: Scores


def annotator_name(completed_by: Any) -> str | None:
    """E-mail (or id) of a ``completed_by`` value: an object with ``email``/``id``, or an id."""
    if isinstance(completed_by, dict):
        completed_by = completed_by.get("email") or completed_by.get("id")
    return None if completed_by is None else str(completed_by)


def annotations_by_annotator(tasks: Iterable[dict], problems: list[Problem], file: str | None = None,
                             schema: Schema | None = None) -> dict[str, dict[str, Annotation]]:
    """annotator -> document id -> annotation, from every annotation that is not cancelled."""
    schema = schema or load_schema()
    out: dict[str, dict[str, Annotation]] = {}
    for task in tasks:
        where = {"file": file, "task": task.get("id")}
        document = task_document(task, where, problems)
        if document is None:
            continue
        names = {annotator_name(a.get("completed_by")) for a in task.get("annotations") or []
                 if isinstance(a, dict) and not a.get("was_cancelled")}
        for name in sorted(n for n in names if n is not None):
            chosen = choose_annotation(task, annotator=name)
            if chosen is None:
                continue
            annotation = from_labelstudio_results(chosen.get("result") or [], document,
                                                  {**where, "annotation": chosen.get("id")}, problems, schema, name)
            by_doc = out.setdefault(name, {})
            if document.id in by_doc:
                problems.append(Problem(f"annotator {name} annotated this document in two tasks", file=file,
                                        document=document.id, item=f"task {task.get('id')}"))
                continue
            by_doc[document.id] = annotation
    return out


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
        pairs.append(PairAgreement(a, b, tuple(shared), score(gold, pred, schema)))
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
    (``benchmark.report.tables.scores_json``), without per-document counts."""
    return [{"a": pair.a, "b": pair.b, "documents": list(pair.doc_ids),
             "scores": scores_json(pair.scores, per_document=False)} for pair in pairs]


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
    if not lines:
        return "no two annotators annotated the same document"
    return "\n".join(lines)
