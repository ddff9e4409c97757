"""Run the baselines over the gold documents, write SPEC prediction files, score them.

Learned baselines predict each gold document with a model fitted on the other
documents (``baselines.crossval``); the rules baseline needs no training. Prediction
files are SPEC JSON Lines without text (offsets: half-open code points). Every file is
read back through the benchmark's validating reader and scored by the shipped scorer
(``benchmark.inputs.read``, ``benchmark.scoring.score``), with 95 % bootstrap intervals over documents
(``benchmark.scoring.bootstrap``, fixed seed), so a second run prints the same numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Sequence

from tqdm import tqdm

from benchmark.inputs.read import read_gold as load_gold, read_predictions
from benchmark.model import Annotation, Document
from benchmark.schema import load_schema
from benchmark.scoring.score import Scores, score
from benchmark.scoring.bootstrap import KeyIntervals, bootstrap_intervals
from benchmark.formats.jsonl import write_annotations
from benchmark.report.tables import MAIN_KEYS, format_json, percent

from baselines.crossval import predict
from baselines.registry import EXTRACTORS, NAMES


@dataclass(frozen=True)
class Result:
    """One baseline's prediction file, scores and bootstrap intervals."""

    name: str
    path: Path
    scores: Scores
    intervals: Mapping[str, KeyIntervals]


def predict_gold(name: str, gold: Sequence[Annotation], corpus: Mapping[str, Document] | None = None,
                 progress: bool = False) -> list[Annotation]:
    """Predictions of baseline ``name`` for every gold document (leave-one-out when learned)."""
    if name not in EXTRACTORS:
        raise KeyError(f"unknown baseline {name!r}; the baselines are {', '.join(NAMES)}")
    return predict(EXTRACTORS[name], gold, corpus, progress=progress, desc=name)


def run_one(name: str, gold_path: str | Path, out: str | Path, progress: bool = False) -> Path:
    """Write baseline ``name``'s predictions of the gold documents of ``gold_path`` to ``out``."""
    gold = load_gold(gold_path)
    write_annotations(out, predict_gold(name, gold, progress=progress), with_document=False)
    return Path(out)


def score_file(name: str, path: Path, gold: Sequence[Annotation]) -> Result:
    """Validate (by reading it back) and score a prediction file, with bootstrap intervals."""
    scores = score(gold, read_predictions(path, gold), load_schema())
    return Result(name, path, scores, bootstrap_intervals(scores))


def run_all(gold_path: str | Path, out_dir: str | Path, names: Sequence[str] = NAMES,
            progress: bool = True) -> list[Result]:
    """Run, write, validate and score every baseline; also writes ``NAME.scores.json``."""
    out_dir = Path(out_dir)
    gold = load_gold(gold_path)
    results = []
    for name in tqdm(names, desc="baselines", unit="baseline", disable=not progress):
        path = out_dir / f"{name}.jsonl"
        write_annotations(path, predict_gold(name, gold, progress=progress), with_document=False)
        result = score_file(name, path, gold)
        (out_dir / f"{name}.scores.json").write_text(format_json(result.scores, result.intervals), encoding="utf-8")
        results.append(result)
    return results


def format_results(results: Sequence[Result], keys: Sequence[str] = MAIN_KEYS) -> str:
    """A plain-text table: one row per baseline, F1 % with its 95 % bootstrap interval per key."""
    header = ["baseline", *keys]
    rows = [[r.name, *(f"{percent(r.scores[k].total.f1):>5} [{percent(r.intervals[k].f1.low):>5},"
                       f"{percent(r.intervals[k].f1.high):>5}]" for k in keys)] for r in results]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    line = lambda row: "  ".join(cell.ljust(w) if i == 0 else cell.rjust(w)
                                 for i, (cell, w) in enumerate(zip(row, widths)))
    documents = len(results[0].scores.doc_ids) if results else 0
    note = (f"F1 % [95 % bootstrap interval over {documents} documents, 1,000 resamples]; "
            "learned baselines leave one document out; rules are an optimistic reference")
    return "\n".join([line(header), line(["-" * w for w in widths]), *map(line, rows), note])
