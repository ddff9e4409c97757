"""Iraq Attacks: an annotated news benchmark for extracting attacks on US forces in Iraq.

All offsets are half-open ``[start, end)`` indices into the document text as a Python
``str`` (Unicode code points). The public API is what ``__all__`` lists; the readers,
writers and the scorer are imported on first use, so ``import benchmark`` stays light.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any, Sequence

from benchmark.errors import BenchmarkError, CorpusError, Problem, SchemaError, SubmissionError
from benchmark.model import Annotation, Argument, Document, Entity, Event, Provenance, Span

if TYPE_CHECKING:
    from benchmark.schema import Schema
    from benchmark.scoring.result import Scores

_LAZY = {
    "KEYS": "benchmark.scoring.score", "Counts": "benchmark.scoring.result", "KeyScore": "benchmark.scoring.result",
    "Scores": "benchmark.scoring.result", "score": "benchmark.scoring.score",
    "bootstrap_intervals": "benchmark.scoring.bootstrap",
    "Schema": "benchmark.schema", "load_schema": "benchmark.schema",
    "read_gold": "benchmark.inputs.read", "read_predictions": "benchmark.inputs.read",
    "validate_file": "benchmark.inputs.validate",
    "read_annotations": "benchmark.formats.jsonl", "write_annotations": "benchmark.formats.jsonl",
    "read_conll": "benchmark.formats.conll", "write_conll": "benchmark.formats.conll",
    "read_brat": "benchmark.formats.brat", "write_brat": "benchmark.formats.brat",
    "INCIDENT_KEYS": "benchmark.scoring.incidents", "IncidentScore": "benchmark.scoring.incidents",
    "score_incidents": "benchmark.scoring.incidents", "IncidentRecord": "benchmark.incidents",
    "read_incident_records": "benchmark.incidents", "write_incident_records": "benchmark.incidents",
}

__all__ = [
    # the spine types and the errors
    "Annotation", "Argument", "Document", "Entity", "Event", "Provenance", "Span",
    "BenchmarkError", "CorpusError", "Problem", "SchemaError", "SubmissionError",
    # scoring
    "KEYS", "Counts", "KeyScore", "Scores", "score", "evaluate", "bootstrap_intervals",
    # the schema, readers, validation and writers
    "Schema", "load_schema", "load_gold", "read_gold", "read_predictions", "validate_file",
    "read_annotations", "write_annotations", "read_conll", "write_conll", "read_brat", "write_brat",
    # incidents (records and their scores)
    "INCIDENT_KEYS", "IncidentRecord", "IncidentScore", "score_incidents", "read_incident_records",
    "write_incident_records", "load_gold_incidents",
]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'benchmark' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


def evaluate(gold: Sequence[Annotation], pred: Sequence[Annotation], schema: Schema | None = None) -> Scores:
    """Every SPEC score of in-memory predictions against in-memory gold (no validation, no I/O).

    The same as ``score``; with a ``schema``, its labels, roles and types appear in the
    breakdowns even when absent from the data.
    """
    from benchmark.scoring.score import score

    return score(gold, pred, schema)


def load_gold(path=None) -> list[Annotation]:
    """The shipped gold (or the gold file at ``path``), validated, each annotation with its document."""
    from benchmark.inputs.read import read_gold
    from benchmark.paths import GOLD_FILE

    return read_gold(path or GOLD_FILE)


def load_gold_incidents(path=None, gold: Sequence[Annotation] | None = None) -> list:
    """The shipped gold incident records (or those at ``path``), checked against ``gold``'s keys when given."""
    from benchmark.incidents import read_incident_records
    from benchmark.paths import INCIDENTS_FILE

    return read_incident_records(path or INCIDENTS_FILE, gold, complete=True)
