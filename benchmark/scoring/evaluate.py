"""Score a prediction input against a gold file: read both through the input boundary, then score.

Offsets are half-open code-point offsets ``[start, end)`` into the gold text.
"""

from __future__ import annotations

from pathlib import Path

from benchmark.files import DEFAULT_MAX_BYTES
from benchmark.inputs.read import Predictions, read_gold, read_prediction_input
from benchmark.model import Annotation
from benchmark.paths import GOLD_FILE
from benchmark.scoring.score import Scores, score


def evaluate_inputs(pred_path: str | Path, gold_path: str | Path = GOLD_FILE, format: str | None = None,
                    repair: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES
                    ) -> tuple[Scores, list[Annotation], Predictions]:
    """Scores of a prediction input (any format; ``-`` is standard input), with the gold and
    the validated predictions (and their span notes) they were computed from."""
    gold = read_gold(gold_path, max_bytes)
    pred = read_prediction_input(pred_path, gold, format, repair, max_bytes)
    return score(gold, list(pred.annotations)), gold, pred


def evaluate_files(pred_path: str | Path, gold_path: str | Path = GOLD_FILE, format: str | None = None,
                   repair: str | None = None) -> tuple[Scores, list[Annotation], list[Annotation]]:
    """Scores of a prediction file, with the gold and predictions it was computed from."""
    scores, gold, pred = evaluate_inputs(pred_path, gold_path, format, repair)
    return scores, gold, list(pred.annotations)
