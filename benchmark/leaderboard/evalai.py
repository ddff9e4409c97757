"""An EvalAI evaluation script entry point, so the benchmark can be hosted there unchanged.

EvalAI calls ``evaluate(test_annotation_file, user_annotation_file, phase_codename,
**kwargs)`` and expects ``{"result": [{split: {metric: value}}], "submission_result": ...}``.
The test annotation file is the gold (SPEC JSONL with text); the user file a SPEC JSONL
or IOB2 prediction file. Values are F1 (and P, R) in percent for every SPEC key, and for
the incident keys that need no record file (linking, from the events' incident keys; with
the shipped gold also ``incident.record``, which scores 0 without predicted records).
"""

from __future__ import annotations

from typing import Any

from benchmark.scoring.evaluate import evaluate_files, evaluate_incident_files
from benchmark.scoring.score import KEYS

SPLIT = "test_split"


def evaluate(test_annotation_file: str, user_annotation_file: str, phase_codename: str, **kwargs: Any) -> dict:
    """Score ``user_annotation_file`` against ``test_annotation_file``; EvalAI's result shape.

    Offsets in both files are half-open code-point offsets. A bad prediction file raises
    ``benchmark.errors.SubmissionError`` whose message lists every problem (EvalAI shows it).
    """
    scores, gold, pred = evaluate_files(user_annotation_file, test_annotation_file)
    incidents = evaluate_incident_files(gold, pred, test_annotation_file)  # incident keys
    metrics = {}
    for key in (*KEYS, *incidents):
        total = incidents[key] if key in incidents else scores[key].total
        metrics[f"{key} F1"] = 100 * total.f1
        metrics[f"{key} P"] = 100 * total.precision
        metrics[f"{key} R"] = 100 * total.recall
    split = kwargs.get("split", SPLIT)
    return {"result": [{split: metrics}], "submission_result": {split: metrics}}
