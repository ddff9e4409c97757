"""Score a prediction input against a gold file: read both through the input boundary, then score.

Offsets are half-open code-point offsets ``[start, end)`` into the gold text.
"""

from __future__ import annotations

from pathlib import Path

from benchmark.errors import Problem, SubmissionError
from benchmark.files import DEFAULT_MAX_BYTES
from benchmark.incidents import read_incident_records
from benchmark.inputs.read import Predictions, read_gold, read_prediction_input
from benchmark.model import Annotation
from benchmark.paths import GOLD_FILE
from benchmark.schema import load_schema
from benchmark.scoring.incidents import IncidentScore, score_incidents
from benchmark.scoring.result import Scores
from benchmark.scoring.score import score


def evaluate_inputs(pred_path: str | Path, gold_path: str | Path = GOLD_FILE, format: str | None = None,
                    repair: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES,
                    pred_incidents: str | Path | None = None, gold_incidents: str | Path | None = None,
                    ) -> tuple[Scores, list[Annotation], Predictions]:
    """Scores of a prediction input (any format; ``-`` is standard input) with the incident
    keys (see ``evaluate_incident_files``), and the gold and the validated predictions (and
    their span notes) they were computed from. Breakdowns list every label, role and event
    type of the schema, those absent from both sides with 0."""
    gold = read_gold(gold_path, max_bytes)
    pred = read_prediction_input(pred_path, gold, format, repair, max_bytes)
    annotations = list(pred.annotations)
    incidents = evaluate_incident_files(gold, annotations, gold_path, pred_incidents, gold_incidents)
    return score(gold, annotations, load_schema(), incidents=incidents), gold, pred


def evaluate_files(pred_path: str | Path, gold_path: str | Path = GOLD_FILE, format: str | None = None,
                   repair: str | None = None, pred_incidents: str | Path | None = None,
                   gold_incidents: str | Path | None = None) -> tuple[Scores, list[Annotation], list[Annotation]]:
    """Scores of a prediction file, with the gold and predictions it was computed from."""
    scores, gold, pred = evaluate_inputs(pred_path, gold_path, format, repair, DEFAULT_MAX_BYTES, pred_incidents,
                                         gold_incidents)
    return scores, gold, list(pred.annotations)


def gold_incidents_file(gold_path: str | Path, gold_incidents: str | Path | None = None) -> Path | None:
    """The gold records for ``gold_path``: ``gold_incidents`` when given, else the shipped records
    (``annotations/incidents.jsonl``) when ``gold_path`` is the shipped gold and they exist, else None."""
    from benchmark.paths import INCIDENTS_FILE

    if gold_incidents is not None:
        return Path(gold_incidents)
    if Path(gold_path).resolve() == GOLD_FILE.resolve() and INCIDENTS_FILE.exists():
        return INCIDENTS_FILE
    return None


def evaluate_incident_files(gold: list[Annotation], pred: list[Annotation], gold_path: str | Path = GOLD_FILE,
                            pred_incidents: str | Path | None = None, gold_incidents: str | Path | None = None,
                            ) -> dict[str, IncidentScore]:
    """The SPEC 3.1 scores: linking from the events' incident keys, records from the record files.

    The predicted records (``pred_incidents``; none: no records, scoring 0 on
    ``incident.record``) must name keys of ``pred``'s events, the gold records keys of
    ``gold``'s. Without gold records (see ``gold_incidents_file``) ``incident.record`` is
    scored against none (gold 0), and asking for predicted records is an error.
    """
    gold_file = gold_incidents_file(gold_path, gold_incidents)
    if gold_file is None and pred_incidents is not None:
        raise SubmissionError([Problem("predicted incident records need gold records: give --gold-incidents "
                                       "(the shipped ones go only with the shipped gold)", file=str(pred_incidents))])
    gold_records = read_incident_records(gold_file, gold, complete=True) if gold_file is not None else None
    pred_records = read_incident_records(pred_incidents, pred) if pred_incidents is not None else []
    return score_incidents(gold, pred, gold_records, pred_records)
