"""Error analysis: every false positive and false negative of the set-valued keys.

Uses the match keys of ``benchmark.scoring.score.SET_KEYS`` through ``items`` (no second definition): for a key,
a false positive is a predicted tuple with no equal gold tuple in its document, a false
negative the reverse. Offsets are half-open code-point offsets into the gold text.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from benchmark.model import Annotation, Span
from benchmark.scoring.score import items

ERROR_KEYS = ("entity.strict", "casualty", "trigger.classification", "argument.attached")


@dataclass(frozen=True, slots=True)
class ErrorItem:
    """One false positive (``kind='FP'``) or false negative (``'FN'``) of ``key``."""

    doc_id: str
    key: str
    kind: str
    span: Span
    match_key: tuple


def _keyed(annotation: Annotation, key: str) -> dict[tuple, Span]:
    return dict(items(key, annotation))


def find_errors(gold: Sequence[Annotation], pred: Sequence[Annotation],
                keys: Sequence[str] = ERROR_KEYS) -> list[ErrorItem]:
    """Every FP and FN of ``keys``, per document in gold order, then by offset."""
    pred_by_doc = {a.doc_id: a for a in pred}
    errors = []
    for annotation in gold:
        other = pred_by_doc.get(annotation.doc_id, Annotation(annotation.doc_id))
        for key in keys:
            gold_keyed, pred_keyed = _keyed(annotation, key), _keyed(other, key)
            found = [ErrorItem(annotation.doc_id, key, "FP", span, k) for k, span in pred_keyed.items()
                     if k not in gold_keyed]
            found += [ErrorItem(annotation.doc_id, key, "FN", span, k) for k, span in gold_keyed.items()
                      if k not in pred_keyed]
            errors += sorted(found, key=lambda e: (e.span.start, e.span.end, e.kind))
    return errors
