"""Error analysis: every prediction and gold item of the set-valued keys, classified as nervaluate does.

Offsets are half-open ``[start, end)`` code-point offsets into the gold text. For one
key and one document, each side is the set of that key's tuples (SPEC section 3;
duplicates collapse), each tuple split into its span and the rest (the "label": an
entity's label, a casualty's status/count/qualifier, a trigger's type, an argument's
trigger, type and role). The pairs are then classified in this order, each item used at
most once, as in nervaluate's five outcomes (Batista's SemEval-2013 scheme):

1. ``correct``: equal tuples (these are the key's true positives).
2. ``incorrect``: same span, different label.
3. ``partial``: overlapping spans with different boundaries (the labels may differ too;
   both are shown). Pairs with the largest overlap go first, then the closest boundaries.
4. ``missed``: a gold item left unpaired (false negative).
5. ``spurious``: a predicted item left unpaired (false positive).

So ``correct + incorrect + partial + missed`` is the key's gold count and ``correct +
incorrect + partial + spurious`` its predicted count. Pure: no I/O, no printing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Mapping, Sequence

from benchmark.model import Annotation, Span
from benchmark.scoring.score import SET_KEYS, items

ERROR_KEYS = ("entity.strict", "casualty", "trigger.classification", "argument.attached")
CLASSES = ("correct", "incorrect", "partial", "missed", "spurious")
ERROR_CLASSES = CLASSES[1:]

Label = tuple


@dataclass(frozen=True, slots=True)
class ErrorItem:
    """One error of ``key`` in a document: its class, and the gold and/or predicted item.

    ``gold_span`` / ``gold_label`` are None for a spurious item, ``pred_span`` /
    ``pred_label`` for a missed one.
    """

    doc_id: str
    key: str
    kind: str
    gold_span: Span | None
    gold_label: Label | None
    pred_span: Span | None
    pred_label: Label | None

    @property
    def span(self) -> Span:
        """The span to show: the gold one when there is one."""
        return self.gold_span or self.pred_span


@dataclass(frozen=True)
class ErrorReport:
    """Every error, in gold document order then by offset, and the count of each class per key."""

    errors: tuple[ErrorItem, ...]
    counts: Mapping[str, Mapping[str, int]]


def _items(annotation: Annotation, key: str) -> set[tuple[Span, Label]]:
    """The key's tuples of one document (``benchmark.scoring.score.items``) as (span, the rest) pairs."""
    if key not in ERROR_KEYS:
        raise ValueError(f"no error analysis for key {key!r}; the keys are {', '.join(ERROR_KEYS)}")
    at = SET_KEYS[key].span_at
    return {(span, t[:at] + t[at + 2:]) for t, span in items(key, annotation)}


def _overlap(a: Span, b: Span) -> int:
    return min(a.end, b.end) - max(a.start, b.start)


def classify(gold: Iterable[tuple[Span, Label]], pred: Iterable[tuple[Span, Label]]) -> list[tuple[str, tuple | None,
                                                                                                      tuple | None]]:
    """(class, gold item, predicted item) for every item of one document and key (see the module docstring)."""
    gold, pred = set(gold), set(pred)
    complete = lambda item: None not in item[1]  # a casualty tuple with a missing attribute never equals gold
    correct = {g for g in gold & pred if complete(g)}
    out: list[tuple[str, tuple | None, tuple | None]] = [("correct", g, g) for g in correct]
    order = lambda item: (item[0].start, item[0].end, str(item[1]))
    gold_left, pred_left = sorted(gold - correct, key=order), sorted(pred - correct, key=order)
    candidates = []
    for gi, (g_span, _) in enumerate(gold_left):
        for pi, (p_span, _) in enumerate(pred_left):
            overlap = _overlap(g_span, p_span)
            if overlap > 0:
                same = g_span == p_span
                distance = abs(g_span.start - p_span.start) + abs(g_span.end - p_span.end)
                candidates.append((not same, -overlap, distance, gi, pi))
    used_gold, used_pred = set(), set()
    for different, _, _, gi, pi in sorted(candidates):
        if gi in used_gold or pi in used_pred:
            continue
        used_gold.add(gi)
        used_pred.add(pi)
        out.append(("partial" if different else "incorrect", gold_left[gi], pred_left[pi]))
    out += [("missed", g, None) for i, g in enumerate(gold_left) if i not in used_gold]
    out += [("spurious", None, p) for i, p in enumerate(pred_left) if i not in used_pred]
    return out


def find_errors(gold: Sequence[Annotation], pred: Sequence[Annotation],
                keys: Sequence[str] = ERROR_KEYS) -> ErrorReport:
    """Every error of ``keys`` classified as nervaluate does, and each class's count per key.

    Documents in gold order (a document missing from ``pred`` predicts nothing); within a
    document, keys in the given order, then by offset.
    """
    pred_by_doc = {a.doc_id: a for a in pred}
    counts = {key: dict.fromkeys(CLASSES, 0) for key in keys}
    errors = []
    for annotation in gold:
        other = pred_by_doc.get(annotation.doc_id, Annotation(annotation.doc_id))
        for key in keys:
            found = []
            for kind, g, p in classify(_items(annotation, key), _items(other, key)):
                counts[key][kind] += 1
                if kind != "correct":
                    found.append(ErrorItem(annotation.doc_id, key, kind, g and g[0], g and g[1], p and p[0],
                                           p and p[1]))
            errors += sorted(found, key=lambda e: (e.span.start, e.span.end, CLASSES.index(e.kind)))
    return ErrorReport(tuple(errors), counts)
