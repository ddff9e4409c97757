"""Benchmark the scorer on a synthetic corpus (not a test).

Builds ~1,000,000 tokens (50,000 sentences of 12-28 tokens, 25 sentences a document) with
non-overlapping token-aligned entities and ATTACK events, perturbs them into predictions,
writes the predictions as SPEC JSONL, then times:

(a) reading the prediction file with ``benchmark.formats.jsonl.read_annotations``;
(b) ``benchmark.scoring.score.score`` for all keys;
(c) seqeval ``classification_report`` (strict, IOB2) on the same entities as IOB2 tags;
(d) nervaluate 1.2.1 on the same IOB2 tags (one list per sentence);

and checks that ``entity.strict`` equals seqeval's micro figures. Gold and predictions are
both read back from their JSONL files before scoring, as ``iraq-attacks evaluate`` does.
Each timing is the best of a few runs (seqeval and nervaluate: one run), in CPU and wall
seconds; the ratios use CPU time, which waiting for a shared processor does not inflate. Offsets are
half-open code-point offsets ``[start, end)`` into tokens joined by single spaces.

    PYTHONPATH=. python scripts/bench_scorer.py [--sentences N] [--seed S]
"""

from __future__ import annotations

import argparse
import math
import random
import string
import tempfile
import time
from pathlib import Path

from benchmark.scoring.bootstrap import bootstrap_intervals
from benchmark.formats.jsonl import read_annotations, write_annotations
from benchmark.model import Annotation, Argument, Entity, Event, Span, to_attributes
from benchmark.scoring.score import KEYS, score

LABELS = ("ACTOR", "LOCATION", "WEAPON", "CASUALTY")
ROLES = {"ACTOR": ("ATTACKER", "TARGET", "KILLED"), "LOCATION": ("TARGET", "PLACE"),
         "WEAPON": ("INSTRUMENT",), "CASUALTY": ("KILLED", "INJURED")}
SENTENCES_PER_DOC = 25


def attributes(label: str, rng: random.Random, complete: bool = True) -> dict:
    if label == "CASUALTY":
        values = {"status": rng.choice(("killed", "injured", "unspecified")), "count": rng.randint(0, 12),
                  "qualifier": rng.choice(("exact", "at_least", "more_than"))}
        if not complete and rng.random() < 0.3:
            values.pop("qualifier")
        return values
    if label == "WEAPON":
        return {"weapon_class": rng.choice(("rocket", "drone", "missile"))}
    return {}


def sentence_spans(n_tokens: int, rng: random.Random, density: float) -> list[tuple[int, int, str]]:
    """Non-overlapping (token_start, token_end, label) spans."""
    spans, i = [], 0
    while i < n_tokens:
        if rng.random() < density:
            length = min(rng.choice((1, 1, 2, 2, 3)), n_tokens - i)
            spans.append((i, i + length, rng.choice(LABELS)))
            i += length + 1
        else:
            i += 1
    return spans


def perturb(spans: list, n_tokens: int, rng: random.Random) -> list:
    """Predicted spans: kept, relabelled, re-bounded, dropped or added; still non-overlapping."""
    taken = [False] * n_tokens
    out = []
    for start, end, label in spans:
        r = rng.random()
        if r < 0.06:
            continue
        if r < 0.12:
            label = rng.choice(LABELS)
        elif r < 0.18 and end - start > 1:
            end -= 1
        elif r < 0.24 and end < n_tokens:
            end += 1
        if not any(taken[start:end]):
            out.append((start, end, label))
            for t in range(start, end):
                taken[t] = True
    for start in range(n_tokens):
        if not taken[start] and rng.random() < 0.01:
            out.append((start, start + 1, rng.choice(LABELS)))
            taken[start] = True
    return sorted(out)


def tags(spans: list, n_tokens: int) -> list[str]:
    out = ["O"] * n_tokens
    for start, end, label in spans:
        out[start] = "B-" + label
        for t in range(start + 1, end):
            out[t] = "I-" + label
    return out


def build(n_sentences: int, seed: int):
    """Gold and predicted annotations, and the IOB2 tag lists of both (one list per sentence)."""
    rng = random.Random(seed)
    words = ["".join(rng.choices(string.ascii_lowercase, k=rng.randint(2, 9))) for _ in range(5000)]
    gold, pred, gold_tags, pred_tags = [], [], [], []
    tokens = 0
    for d in range(math.ceil(n_sentences / SENTENCES_PER_DOC)):
        offset = 0
        g_ents, p_ents, g_events, p_events = [], [], [], []
        for _ in range(min(SENTENCES_PER_DOC, n_sentences - d * SENTENCES_PER_DOC)):
            n = rng.randint(12, 28)
            tokens += n
            toks = rng.choices(words, k=n)
            starts = []
            for tok in toks:
                starts.append(offset)
                offset += len(tok) + 1
            char = lambda s, e: Span(starts[s], starts[e - 1] + len(toks[e - 1]))  # noqa: E731
            g_spans = sentence_spans(n, rng, 0.13)
            p_spans = perturb(g_spans, n, rng)
            gold_tags.append(tags(g_spans, n))
            pred_tags.append(tags(p_spans, n))
            g_by_span = {}
            for s, e, label in g_spans:
                entity = Entity(char(s, e), label, to_attributes(attributes(label, rng)))
                g_ents.append(entity)
                g_by_span[entity.span] = entity
            p_by_span = {}
            for s, e, label in p_spans:
                span = char(s, e)
                same = g_by_span.get(span)
                values = same.attrs if same and same.label == label and rng.random() < 0.9 else \
                    attributes(label, rng, complete=False)
                p_by_span[span] = Entity(span, label, to_attributes(values))
            p_ents.extend(p_by_span.values())
            free = [t for t in range(n) if not any(s <= t < e for s, e, _ in g_spans)]
            if g_spans and free and rng.random() < 0.6:
                trigger = char(t := rng.choice(free), t + 1)
                chosen = rng.sample(g_spans, min(len(g_spans), rng.randint(1, 4)))
                arguments = tuple(Argument(rng.choice(ROLES[label]), char(s, e)) for s, e, label in chosen)
                g_events.append(Event("ATTACK", trigger, arguments))
                if rng.random() < 0.9:
                    kept = tuple(a if rng.random() < 0.9 else Argument(rng.choice(("TARGET", "PLACE")), a.span)
                                 for a in arguments if a.span in p_by_span and rng.random() < 0.9)
                    if rng.random() < 0.1:
                        trigger = char(t := rng.choice(free), t + 1)
                    p_events.append(Event("ATTACK", trigger, kept))
        gold.append(Annotation(f"doc{d:05d}", tuple(g_ents), tuple(g_events)))
        pred.append(Annotation(f"doc{d:05d}", tuple(p_ents), tuple(p_events)))
    return gold, pred, gold_tags, pred_tags, tokens


def timed(function, repeat: int = 1):
    """(best CPU seconds, best wall seconds, result) of ``repeat`` runs.

    CPU time (``time.process_time``) is what the ratios use: on a shared machine wall
    time also counts the time spent waiting for a processor.
    """
    cpu, wall, result = float("inf"), float("inf"), None
    for _ in range(repeat):
        start_cpu, start_wall = time.process_time(), time.perf_counter()
        result = function()
        cpu = min(cpu, time.process_time() - start_cpu)
        wall = min(wall, time.perf_counter() - start_wall)
    return cpu, wall, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--skip-nervaluate", action="store_true", help="skip (d), the slowest step")
    args = parser.parse_args()

    from nervaluate import Evaluator
    from seqeval.metrics import classification_report
    from seqeval.scheme import IOB2

    built_gold, built_pred, gold_tags, pred_tags, tokens = build(args.sentences, args.seed)
    n_ent = sum(len(a.entities) for a in built_gold), sum(len(a.entities) for a in built_pred)
    n_ev = sum(len(a.events) for a in built_gold), sum(len(a.events) for a in built_pred)
    print(f"corpus: {tokens:,} tokens, {args.sentences:,} sentences, {len(built_gold):,} documents; "
          f"entities gold {n_ent[0]:,} pred {n_ent[1]:,}; events gold {n_ev[0]:,} pred {n_ev[1]:,}")
    with tempfile.TemporaryDirectory() as folder:
        gold_path, pred_path = Path(folder) / "gold.jsonl", Path(folder) / "pred.jsonl"
        write_annotations(gold_path, built_gold, with_document=False)
        write_annotations(pred_path, built_pred, with_document=False)
        gold = read_annotations(gold_path)  # as the evaluate command does: both sides from files
        t_read, w_read, pred = timed(lambda: read_annotations(pred_path), repeat=3)
    if gold != built_gold or pred != built_pred:
        raise SystemExit("the JSONL files did not round-trip")
    del built_gold, built_pred
    t_score, w_score, scores = timed(lambda: score(gold, pred), repeat=5)
    t_boot, w_boot, _ = timed(lambda: bootstrap_intervals(scores), repeat=3)
    t_seqeval, w_seqeval, report = timed(lambda: classification_report(
        gold_tags, pred_tags, mode="strict", scheme=IOB2, output_dict=True, zero_division=0))
    print("                                   CPU s    wall s")
    print(f"(a) read_annotations            {t_read:8.3f}  {w_read:8.3f}")
    print(f"(b) score, all {len(KEYS)} keys           {t_score:8.3f}  {w_score:8.3f}")
    print(f"    bootstrap, 1,000 resamples  {t_boot:8.3f}  {w_boot:8.3f}")
    print(f"(c) seqeval classification_report {t_seqeval:6.3f}  {w_seqeval:8.3f}")
    if not args.skip_nervaluate:
        t_nerv, w_nerv, nerv = timed(lambda: Evaluator(gold_tags, pred_tags, tags=list(LABELS),
                                                       loader="list").evaluate())
        print(f"(d) nervaluate Evaluator.evaluate {t_nerv:6.3f}  {w_nerv:8.3f}")
    print(f"ratio score/seqeval = {t_score / t_seqeval:.4f} CPU, {w_score / w_seqeval:.4f} wall (target <= 0.05: "
          f"{'met' if t_score <= t_seqeval / 20 else 'NOT met'} on CPU time); "
          f"score/read = {t_score / t_read:.3f} CPU (target <= 3: {'met' if t_score <= 3 * t_read else 'NOT met'})")
    strict, micro = scores["entity.strict"].total, report["micro avg"]
    agree = (math.isclose(strict.precision, micro["precision"]) and math.isclose(strict.recall, micro["recall"])
             and math.isclose(strict.f1, micro["f1-score"]) and strict.gold == micro["support"])
    print(f"entity.strict P/R/F1 {strict.precision:.6f} {strict.recall:.6f} {strict.f1:.6f} (gold {strict.gold}); "
          f"seqeval micro {micro['precision']:.6f} {micro['recall']:.6f} {micro['f1-score']:.6f} "
          f"(support {micro['support']}): {'agree' if agree else 'DISAGREE'}")
    if not args.skip_nervaluate:
        for ours, theirs in (("entity.exact", "exact"), ("entity.partial", "partial"), ("entity.type", "ent_type")):
            mine, other = scores[ours].total, nerv["overall"][theirs]
            print(f"{ours:15s} ours tp {mine.tp:g} act {mine.predicted} pos {mine.gold} f1 {mine.f1:.6f}; "
                  f"nervaluate tp {other.correct + 0.5 * other.partial:g} act {other.actual} "
                  f"pos {other.possible} f1 {other.f1:.6f}")
    for key in KEYS:
        total = scores[key].total
        print(f"  {key:24s} P {total.precision:.4f} R {total.recall:.4f} F1 {total.f1:.4f}")


if __name__ == "__main__":
    main()
