"""Run the baselines over the gold documents, write SPEC prediction files, score them.

Learned baselines predict each gold document with a model fitted on the other
documents (``baselines.common.crossval``); the rules baseline needs no training, and
links its event mentions into incidents (keys on its events, records in
``NAME.incidents.jsonl`` beside the predictions). Prediction
files are SPEC JSON Lines without text (offsets: half-open code points). Every file is
read back through the benchmark's validating reader and scored by the shipped scorer
(``benchmark.inputs.read``, ``benchmark.scoring.score``), with 95 % bootstrap intervals over documents
(``benchmark.scoring.bootstrap``, fixed seed), so a second run prints the same numbers.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Mapping, Sequence

from tqdm import tqdm

from benchmark.inputs.read import read_gold as load_gold, read_predictions
from benchmark.model import Annotation, Document
from benchmark.schema import load_schema
from benchmark.scoring.result import Scores
from benchmark.scoring.score import score
from benchmark.scoring.bootstrap import KeyIntervals, bootstrap_intervals
from benchmark.scoring.evaluate import evaluate_incident_files, gold_incidents_file
from benchmark.formats.jsonl import write_annotations
from benchmark.report.tables import MAIN_KEYS, format_json, percent

from baselines.common.crossval import predict, text_only
from baselines.registry import factory, names as installed


@dataclass(frozen=True)
class Result:
    """One baseline's prediction file, scores and bootstrap intervals, and its incident records if any."""

    name: str
    path: Path
    scores: Scores
    intervals: Mapping[str, KeyIntervals]
    incidents_path: Path | None = None
    incident_scores: Mapping[str, object] | None = None  # filled by ``score_incidents`` (see there)


def predict_gold(name: str, gold: Sequence[Annotation], corpus: Mapping[str, Document] | None = None,
                 progress: bool = False) -> list[Annotation]:
    """Predictions of baseline ``name`` for every gold document (leave-one-out when learned), no incident keys."""
    return predict(factory(name), gold, corpus, progress=progress, desc=name)


def predict_with_incidents(name: str, gold: Sequence[Annotation], corpus: Mapping[str, Document] | None = None,
                           progress: bool = False) -> tuple[list[Annotation], list[dict] | None]:
    """``predict_gold``, then incident keys and records when the extractor links incidents.

    An extractor links incidents when it has ``link_incidents(documents, annotations)``
    returning ``(annotations with keys, records)``; it sees the documents' texts and
    metadata (publication dates) only. Others give ``None`` for the records.
    """
    predictions = predict_gold(name, gold, corpus, progress)
    extractor = factory(name)()
    if not hasattr(extractor, "link_incidents"):
        return predictions, None
    return extractor.link_incidents([text_only(a, corpus) for a in gold], predictions)


def write_records(path: str | Path, records: Sequence[dict]) -> Path:
    """Incident records as JSON Lines (SPEC 1.3 shape, one record a line)."""
    Path(path).write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return Path(path)


def incidents_path(predictions: Path) -> Path:
    """``out/rules.jsonl`` -> ``out/rules.incidents.jsonl``."""
    return predictions.with_name(predictions.stem + ".incidents.jsonl")


def run_one(name: str, gold_path: str | Path, out: str | Path, progress: bool = False) -> Path:
    """Write baseline ``name``'s predictions of the gold documents of ``gold_path`` to ``out``.

    Incident records, when the baseline links incidents, go beside it (``incidents_path``).
    """
    gold = load_gold(gold_path)
    predictions, records = predict_with_incidents(name, gold, progress=progress)
    write_annotations(out, predictions, with_document=False)
    if records is not None:
        write_records(incidents_path(Path(out)), records)
    return Path(out)


def score_file(name: str, path: Path, gold: Sequence[Annotation]) -> Result:
    """Validate (by reading it back) and score a prediction file, with bootstrap intervals."""
    scores = score(gold, read_predictions(path, gold), load_schema())
    return Result(name, path, scores, bootstrap_intervals(scores))


def score_incidents(result: Result, gold: Sequence[Annotation], gold_path: str | Path) -> Result:
    """``result`` with the incident scores (SPEC 3.1) of its prediction file and incident records,
    against the gold records that go with ``gold_path``; unchanged when there are none."""
    if result.incidents_path is None or gold_incidents_file(gold_path) is None:
        return result
    pred = read_predictions(result.path, gold)
    incidents = evaluate_incident_files(list(gold), pred, gold_path, result.incidents_path)
    return replace(result, incident_scores=incidents)


def run_all(gold_path: str | Path, out_dir: str | Path, names: Sequence[str] | None = None,
            progress: bool = True) -> list[Result]:
    """Run, write, validate and score every baseline; also writes ``NAME.scores.json``
    and, for baselines that link incidents, ``NAME.incidents.jsonl``."""
    out_dir = Path(out_dir)
    gold = load_gold(gold_path)
    results = []
    for name in tqdm(installed() if names is None else names, desc="baselines", unit="baseline",
                     disable=not progress):
        path = out_dir / f"{name}.jsonl"
        predictions, records = predict_with_incidents(name, gold, progress=progress)
        write_annotations(path, predictions, with_document=False)
        result = score_file(name, path, gold)
        if records is not None:
            result = replace(result, incidents_path=write_records(incidents_path(path), records))
            result = score_incidents(result, gold, gold_path)
        (out_dir / f"{name}.scores.json").write_text(format_json(result.scores, result.intervals), encoding="utf-8")
        results.append(result)
    return results


INCIDENT_KEYS = ("incident.conll", "incident.record")  # the main table's incident columns


def format_results(results: Sequence[Result], keys: Sequence[str] = MAIN_KEYS) -> str:
    """A plain-text table: one row per baseline, F1 % with its 95 % bootstrap interval per key;
    then the incident keys' F1 % (no interval: they span documents), "-" for baselines that
    link no incidents."""
    incident_keys = INCIDENT_KEYS if any(r.incident_scores for r in results) else ()
    header = ["baseline", *keys, *incident_keys]
    rows = [[r.name, *(f"{percent(r.scores[k].f1):>5} [{percent(r.intervals[k].f1.low):>5},"
                       f"{percent(r.intervals[k].f1.high):>5}]" for k in keys),
             *(percent(r.incident_scores[k].f1) if r.incident_scores else "-" for k in incident_keys)]
            for r in results]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    line = lambda row: "  ".join(cell.ljust(w) if i == 0 else cell.rjust(w)
                                 for i, (cell, w) in enumerate(zip(row, widths)))
    documents = len(results[0].scores.doc_ids) if results else 0
    note = (f"F1 % [95 % bootstrap interval over {documents} documents, 1,000 resamples]; "
            "learned baselines leave one document out; rules are an optimistic reference")
    return "\n".join([line(header), line(["-" * w for w in widths]), *map(line, rows), note])
