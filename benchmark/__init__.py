"""Iraq Attacks: an annotated news benchmark for extracting attacks on US forces in Iraq.

All offsets are half-open ``[start, end)`` indices into the document text as a Python
``str`` (Unicode code points). The public API is what ``__all__`` lists.
"""

from __future__ import annotations

from typing import Sequence

from benchmark.errors import BenchmarkError, CorpusError, OffsetError, Problem, SchemaError, SubmissionError
from benchmark.model import Annotation, Argument, Document, Entity, Event, Provenance, Span
from benchmark.incidents import IncidentRecord, read_incident_records, write_incident_records
from benchmark.scoring.incidents import INCIDENT_KEYS, IncidentScore, score_incidents
from benchmark.scoring.score import KEYS, Counts, Scores

__all__ = [
    "Annotation", "Argument", "BenchmarkError", "CorpusError", "Counts", "Document", "Entity", "Event", "KEYS",
    "OffsetError", "Problem", "Provenance", "SchemaError", "Scores", "Span", "SubmissionError", "evaluate",
    "load_gold", "read_predictions",
    # incident keys
    "INCIDENT_KEYS", "IncidentRecord", "IncidentScore", "evaluate_incidents", "load_gold_incidents",
    "read_incident_records", "score_incidents", "write_incident_records",
]


def evaluate(gold: Sequence[Annotation], pred: Sequence[Annotation]) -> Scores:
    """Every SPEC score of in-memory predictions against in-memory gold (no validation, no I/O)."""
    from benchmark.scoring.score import score

    return score(gold, pred)


def load_gold(path=None) -> list[Annotation]:
    """The shipped gold (or the gold file at ``path``), validated, each annotation with its document."""
    from benchmark.inputs.read import read_gold
    from benchmark.paths import GOLD_FILE

    return read_gold(path or GOLD_FILE)


def read_predictions(path, gold: Sequence[Annotation]) -> list[Annotation]:
    """A SPEC JSONL or IOB2 prediction file, validated against ``gold``'s documents."""
    from benchmark.inputs.read import read_predictions as read

    return read(path, gold)


# incident keys
def load_gold_incidents(path=None, gold: Sequence[Annotation] | None = None) -> list[IncidentRecord]:
    """The shipped gold incident records (or those at ``path``), checked against ``gold``'s keys when given."""
    from benchmark.paths import INCIDENTS_FILE

    return read_incident_records(path or INCIDENTS_FILE, gold)


# incident keys
def evaluate_incidents(gold: Sequence[Annotation], pred: Sequence[Annotation],
                       gold_records: Sequence[IncidentRecord] | None = None,
                       pred_records: Sequence[IncidentRecord] = ()) -> dict[str, IncidentScore]:
    """The incident scores of SPEC 3.1 (``INCIDENT_KEYS``) in memory (no validation, no I/O).

    Linking comes from the events' ``incident`` keys (mentions located by half-open trigger
    offsets ``[start, end)``); ``incident.record`` is scored when ``gold_records`` is given
    (a submission without ``pred_records`` scores 0 on it).
    """
    return score_incidents(gold, pred, gold_records, pred_records)
