"""Score a prediction input against a gold file: read both through the input boundary, then score.

Offsets are half-open code-point offsets ``[start, end)`` into the gold text.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterator, Sequence

from benchmark.errors import BenchmarkError, Problem, SubmissionError, raise_if_any
from benchmark.files import DEFAULT_MAX_BYTES, STDIN, read_input_chunks
from benchmark.formats.jsonl import parse_jsonl_pieces
from benchmark.incidents import EventMentions, event_mentions, read_incident_records
from benchmark.inputs.read import (Predictions, check_repair, input_format, iter_gold, paired_predictions, read_gold,
                                   read_prediction_input)
from benchmark.inputs.validate import SpanNotes, document_span_notes
from benchmark.model import Annotation
from benchmark.paths import GOLD_FILE
from benchmark.schema import load_schema
from benchmark.scoring.incidents import IncidentScore, score_incidents
from benchmark.scoring.result import KeyScore, Scores
from benchmark.scoring.score import score, score_document, scores_of


def evaluate_inputs(pred_path: str | Path, gold_path: str | Path = GOLD_FILE, format: str | None = None,
                    repair: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES,
                    pred_incidents: str | Path | None = None, gold_incidents: str | Path | None = None,
                    keep: bool = True) -> tuple[Scores, list[Annotation], Predictions]:
    """Scores of a prediction input (any format; ``-`` is standard input) with the incident
    keys (see ``evaluate_incident_files``), and the gold and the validated predictions (and
    their span notes) they were computed from. Breakdowns list every label, role and event
    type of the schema, those absent from both sides with 0.

    SPEC JSON Lines predictions are read alongside the gold, a document at a time
    (``paired_predictions``): with ``keep`` false, the gold and ``Predictions.annotations``
    come back empty, and memory holds the counts of each document, not its annotations.
    Every problem is still found and raised (gold problems first)."""
    if str(pred_path) == str(gold_path) == STDIN:
        raise SubmissionError([Problem("gold and predictions cannot both be standard input", file=STDIN)])
    if input_format(pred_path, format) != "jsonl":
        gold = read_gold(gold_path, max_bytes)
        pred = read_prediction_input(pred_path, gold, format, repair, max_bytes)
        annotations = list(pred.annotations)
        incidents = evaluate_incident_files(gold, annotations, gold_path, pred_incidents, gold_incidents)
        return score(gold, annotations, load_schema(), incidents=incidents), gold, pred
    check_repair(repair, "jsonl", str(pred_path))
    gold_problems: list[Problem] = []
    pred_problems: list[Problem] = []
    missing: list[str] = []
    kept_gold: list[Annotation] = []
    kept_pred: list[Annotation] = []
    linking_gold: list[EventMentions] = []  # for the incident keys
    linking_pred: list[EventMentions] = []
    notes = SpanNotes()
    unreadable: list[BenchmarkError] = []

    def predictions() -> Iterator[tuple[int, Annotation]]:
        try:
            yield from parse_jsonl_pieces(read_input_chunks(pred_path, max_bytes), str(pred_path), pred_problems,
                                          max_bytes)
        except BenchmarkError as error:  # reported after the gold's problems: the gold is read to its end
            unreadable.append(error)

    def scored() -> Iterator[tuple[str, dict]]:
        nonlocal notes
        gold_records = iter_gold(gold_path, gold_problems, max_bytes)
        for gold, pred in paired_predictions(gold_records, predictions(), str(pred_path), pred_problems):
            if keep:
                kept_gold.append(gold)
            if pred is None:
                missing.append(gold.doc_id)
                pred = Annotation(gold.doc_id)
            else:
                notes += document_span_notes(pred, gold.document)
                if keep:
                    kept_pred.append(pred)
            linking_gold.append(event_mentions(gold))
            linking_pred.append(event_mentions(pred))
            yield gold.doc_id, score_document(gold, pred)

    per_doc = scores_of(scored(), schema=load_schema())
    raise_if_any(sorted(gold_problems, key=lambda p: p.line or 0))
    if not per_doc.doc_ids:
        raise SubmissionError([Problem("the gold file holds no documents", file=str(gold_path))])
    if unreadable:
        raise unreadable[0]
    raise_if_any(sorted(pred_problems, key=lambda p: p.line or 0))
    incidents = evaluate_incident_files(linking_gold, linking_pred, gold_path, pred_incidents, gold_incidents)
    scores = Scores(per_doc.doc_ids, tuple(missing),
                    {**per_doc.by_key, **{key: KeyScore.of(result) for key, result in incidents.items()}})
    return scores, kept_gold, Predictions(tuple(kept_pred), "jsonl", notes)


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


def evaluate_incident_files(gold: Sequence[Annotation | EventMentions], pred: Sequence[Annotation | EventMentions],
                            gold_path: str | Path = GOLD_FILE, pred_incidents: str | Path | None = None,
                            gold_incidents: str | Path | None = None) -> dict[str, IncidentScore]:
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
