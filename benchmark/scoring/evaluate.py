"""Score a prediction file against a gold file: read both through the input boundary, then score.

Offsets are half-open code-point offsets ``[start, end)`` into the gold text.
"""

from __future__ import annotations

from pathlib import Path

from benchmark.inputs.read import read_gold, read_predictions
from benchmark.model import Annotation
from benchmark.paths import GOLD_FILE
from benchmark.scoring.score import Scores, score


def evaluate_files(pred_path: str | Path, gold_path: str | Path = GOLD_FILE) -> tuple[Scores, list[Annotation],
                                                                                          list[Annotation]]:
    """Scores of a prediction file, with the gold and predictions it was computed from."""
    gold = read_gold(gold_path)
    pred = read_predictions(pred_path, gold)
    return score(gold, pred), gold, pred
