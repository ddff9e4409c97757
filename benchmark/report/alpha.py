"""Krippendorff's alpha between two annotators (the maintained ``krippendorff`` package).

Offsets are half-open code-point offsets ``[start, end)`` into the document text.

- **Span labels** (nominal). The units are code points: every position of a document
  that an entity span or an event trigger of either annotator covers (the union of both
  annotators' spans; positions that neither marked are left out, or agreement on the
  unlabelled bulk of the text would swamp the figure). Each annotator's value at a
  position is the label of the span covering it (``trigger:<event type>`` for a trigger;
  labels joined with ``+`` where that annotator's spans overlap), or ``none`` when that
  annotator marked nothing there: a missed span is a disagreement, not missing data.
  Code points rather than tokens: annotators' spans need not lie on the benchmark's
  token boundaries, and the figure must not depend on the tokeniser; longer spans weigh
  more, as they do in character-level agreement studies.
- **Casualty counts** (interval and ratio). The units are the CASUALTY spans both
  annotators marked with the same offsets; the values are their ``count`` attributes
  (an absent count is missing data).

Alpha is undefined (``None``) when there are no units or fewer than two distinct values
(perfect agreement on one value included): ``krippendorff`` refuses such data.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

from benchmark.model import Annotation

NONE = "none"
CASUALTY_LABEL = "CASUALTY"


@dataclass(frozen=True, slots=True)
class Alpha:
    """Krippendorff's alpha (None when undefined) over ``units`` units."""

    value: float | None
    units: int


def _alpha(data: np.ndarray, level: str) -> Alpha:
    import krippendorff

    units = data.shape[1]
    values = data[~np.isnan(data)]
    if units == 0 or len(np.unique(values)) < 2:
        return Alpha(None, units)
    return Alpha(float(krippendorff.alpha(reliability_data=data, level_of_measurement=level)), units)


def _labels_at(annotation: Annotation) -> dict[int, str]:
    at: dict[int, set[str]] = {}
    spans = [(e.span, e.label) for e in annotation.entities]
    spans += [(e.trigger, f"trigger:{e.event_type}") for e in annotation.events]
    for span, label in spans:
        for position in range(span.start, span.end):
            at.setdefault(position, set()).add(label)
    return {position: "+".join(sorted(labels)) for position, labels in at.items()}


def span_label_alpha(a: Sequence[Annotation], b: Sequence[Annotation]) -> Alpha:
    """Nominal alpha of the span labels over the code points either annotator covered (same documents, same order)."""
    rows: list[tuple[str, str]] = []
    for left, right in zip(a, b):
        at_a, at_b = _labels_at(left), _labels_at(right)
        rows += [(at_a.get(p, NONE), at_b.get(p, NONE)) for p in sorted(set(at_a) | set(at_b))]
    names = {name: i for i, name in enumerate(sorted({v for row in rows for v in row}))}
    data = np.array([[names[x] for x, _ in rows], [names[y] for _, y in rows]], dtype=float).reshape(2, len(rows))
    return _alpha(data, "nominal")


def casualty_count_alpha(a: Sequence[Annotation], b: Sequence[Annotation], level: str = "ratio") -> Alpha:
    """Alpha of the ``count`` of the CASUALTY spans both annotators marked at the same offsets."""
    pairs: list[tuple[float, float]] = []
    for left, right in zip(a, b):
        counts_b = {e.span: e.attrs.get("count") for e in right.entities if e.label == CASUALTY_LABEL}
        for entity in left.entities:
            if entity.label == CASUALTY_LABEL and entity.span in counts_b:
                values = (entity.attrs.get("count"), counts_b[entity.span])
                pairs.append(tuple(np.nan if v is None else float(v) for v in values))
    data = np.array(pairs, dtype=float).T.reshape(2, len(pairs))
    return _alpha(data, level)
