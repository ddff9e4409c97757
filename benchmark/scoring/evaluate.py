"""Score a prediction file against a gold file: read both through the input boundary, then score.

Offsets are half-open code-point offsets ``[start, end)`` into the gold text.
"""

from __future__ import annotations

from pathlib import Path

from benchmark.errors import Problem, SubmissionError
from benchmark.incidents import read_incident_records
from benchmark.inputs.read import read_gold, read_predictions
from benchmark.model import Annotation
from benchmark.paths import GOLD_FILE
from benchmark.scoring.incidents import IncidentScore, score_incidents
from benchmark.scoring.score import Scores, score


def evaluate_files(pred_path: str | Path, gold_path: str | Path = GOLD_FILE) -> tuple[Scores, list[Annotation],
                                                                                          list[Annotation]]:
    """Scores of a prediction file, with the gold and predictions it was computed from."""
    gold = read_gold(gold_path)
    pred = read_predictions(pred_path, gold)
    return score(gold, pred), gold, pred


# incident keys
def gold_incidents_file(gold_path: str | Path, gold_incidents: str | Path | None = None) -> Path | None:
    """The gold records for ``gold_path``: ``gold_incidents`` when given, else the shipped records
    (``annotations/incidents.jsonl``) when ``gold_path`` is the shipped gold and they exist, else None."""
    from benchmark.paths import INCIDENTS_FILE

    if gold_incidents is not None:
        return Path(gold_incidents)
    if Path(gold_path).resolve() == GOLD_FILE.resolve() and INCIDENTS_FILE.exists():
        return INCIDENTS_FILE
    return None


# incident keys
def evaluate_incident_files(gold: list[Annotation], pred: list[Annotation], gold_path: str | Path = GOLD_FILE,
                            pred_incidents: str | Path | None = None, gold_incidents: str | Path | None = None,
                            ) -> dict[str, IncidentScore]:
    """The SPEC 3.1 scores: linking from the events' incident keys, records from the record files.

    The predicted records (``pred_incidents``; none: no records, scoring 0 on
    ``incident.record``) must name keys of ``pred``'s events, the gold records keys of
    ``gold``'s. Without gold records (see ``gold_incidents_file``) ``incident.record`` is
    left out, and asking for predicted records is an error.
    """
    gold_file = gold_incidents_file(gold_path, gold_incidents)
    if gold_file is None and pred_incidents is not None:
        raise SubmissionError([Problem("predicted incident records need gold records: give --gold-incidents "
                                       "(the shipped ones go only with the shipped gold)", file=str(pred_incidents))])
    gold_records = read_incident_records(gold_file, gold) if gold_file is not None else None
    pred_records = read_incident_records(pred_incidents, pred) if pred_incidents is not None else []
    return score_incidents(gold, pred, gold_records, pred_records)
