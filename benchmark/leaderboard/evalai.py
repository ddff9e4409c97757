"""An EvalAI evaluation script entry point, so the benchmark can be hosted there unchanged.

EvalAI calls ``evaluate(test_annotation_file, user_annotation_file, phase_codename,
**kwargs)`` and expects ``{"result": [{split: {metric: value}}], "submission_result": ...}``.
The test annotation file is the gold (SPEC JSONL with text); the user file a SPEC JSONL
or IOB2 prediction file, read through the same input boundary as ``iraq-attacks
evaluate`` (format from its name: ``.conll``/``.iob2``/``.txt`` is IOB2; any other name is
JSON Lines, since EvalAI may store uploads under names of its own; ``format=`` in the
keyword arguments overrides). Values are F1 (and P, R) in percent for every SPEC key, and for
the incident keys that need no record file (linking, from the events' incident keys; with
the shipped gold also ``incident.record``, which scores 0 without predicted records).
"""

from __future__ import annotations

from typing import Any

from pathlib import Path

from benchmark.inputs.read import SUFFIX_FORMATS
from benchmark.scoring.evaluate import evaluate_files

SPLIT = "test_split"


def evaluate(test_annotation_file: str, user_annotation_file: str, phase_codename: str, **kwargs: Any) -> dict:
    """Score ``user_annotation_file`` against ``test_annotation_file``; EvalAI's result shape.

    Offsets in both files are half-open code-point offsets. A bad prediction file raises
    ``benchmark.errors.SubmissionError`` whose message lists every problem (EvalAI shows it).
    """
    format = kwargs.get("format") or SUFFIX_FORMATS.get(Path(user_annotation_file).suffix.lower(), "jsonl")
    scores, _, _ = evaluate_files(user_annotation_file, test_annotation_file, format=format)
    metrics = {}
    for key, result in scores.items():
        metrics[f"{key} F1"] = 100 * result.f1
        metrics[f"{key} P"] = 100 * result.precision
        metrics[f"{key} R"] = 100 * result.recall
    split = kwargs.get("split", SPLIT)
    return {"result": [{split: metrics}], "submission_result": {split: metrics}}
