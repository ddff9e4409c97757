"""Benchmark what a user waits for: the whole ``evaluate`` process, against seqeval and seqscore.

Builds synthetic corpora of about 0.25M, 1M and 4M tokens (sentences of 12-28 tokens, one
a line, 25 a document) with non-overlapping token-aligned gold entities and ATTACK events,
perturbs them into predictions, and writes gold (SPEC JSONL with its text) and predictions
(SPEC JSONL) as files. Then, in the same run, for each size, three times each (median; the
commands take turns, so that a slow spell of the machine falls on all of them alike):

- ``python -m benchmark evaluate --gold G --pred P --format json``: the whole process
  (start-up from byte-compiled modules, as after ``pip install``; reading and validating
  both files, scoring every key, 1,000 bootstrap resamples, writing the JSON), and the
  same with ``--resamples 0`` (no intervals);
- seqeval's ``classification_report(mode="strict", scheme=IOB2)`` and seqscore's
  ``score_label_sequences(..., "BIO", repair=None)`` on the same entities as IOB2 tag lists
  (one list a sentence), each timed around the call alone, in a process of its own.

Wall and CPU seconds, and peak memory (maximum resident set of the process, from
``os.wait4``). The ratios compare our whole process with the other tools' calls alone, on
wall time (CPU time in brackets). ``entity.strict`` must equal both tools' micro figures.
Offsets are half-open code-point offsets ``[start, end)``.

    python scripts/bench_scorer.py [--sizes 250000 1000000 4000000] [--repeat 3] [--seed 7]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import statistics
import string
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Iterator

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmark.formats.jsonl import format_jsonl  # noqa: E402
from benchmark.model import Annotation, Argument, Document, Entity, Event, Span, to_attributes  # noqa: E402

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


def documents(n_sentences: int, seed: int) -> Iterator[tuple[Annotation, Annotation, list, list]]:
    """Per document: gold (with its text), predictions, and the IOB2 tags of both per sentence."""
    rng = random.Random(seed)
    words = ["".join(rng.choices(string.ascii_lowercase, k=rng.randint(2, 9))) for _ in range(5000)]
    for d in range(math.ceil(n_sentences / SENTENCES_PER_DOC)):
        offset, lines = 0, []
        g_ents, p_ents, g_events, p_events, g_tags, p_tags = [], [], [], [], [], []
        for _ in range(min(SENTENCES_PER_DOC, n_sentences - d * SENTENCES_PER_DOC)):
            n = rng.randint(12, 28)
            toks = rng.choices(words, k=n)
            lines.append(" ".join(toks))
            starts = []
            for tok in toks:
                starts.append(offset)
                offset += len(tok) + 1  # a space, or the line break after the sentence
            char = lambda s, e: Span(starts[s], starts[e - 1] + len(toks[e - 1]))  # noqa: E731
            g_spans = sentence_spans(n, rng, 0.13)
            p_spans = perturb(g_spans, n, rng)
            g_tags.append(tags(g_spans, n))
            p_tags.append(tags(p_spans, n))
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
        doc_id = f"doc{d:05d}"
        document = Document(doc_id, "\n".join(lines))
        yield (Annotation(doc_id, tuple(g_ents), tuple(g_events), document=document),
               Annotation(doc_id, tuple(p_ents), tuple(p_events)), g_tags, p_tags)


def write_corpus(folder: Path, n_tokens: int, seed: int) -> dict:
    """gold.jsonl, pred.jsonl and tags.jsonl (gold and predicted tags, a sentence a line) in ``folder``."""
    counts = Counter()
    with open(folder / "gold.jsonl", "w", encoding="utf-8") as gold, \
            open(folder / "pred.jsonl", "w", encoding="utf-8") as pred, \
            open(folder / "tags.jsonl", "w", encoding="utf-8") as tag_file:
        for g, p, g_tags, p_tags in documents(n_tokens // 20, seed):
            gold.write(format_jsonl([g]))
            pred.write(format_jsonl([p], with_document=False))
            for sentence in zip(g_tags, p_tags):
                tag_file.write(json.dumps(sentence) + "\n")
            counts.update(tokens=sum(map(len, g_tags)), documents=1, gold=len(g.entities), pred=len(p.entities),
                          gold_events=len(g.events), pred_events=len(p.events))
    return counts


def run(argv: list[str]) -> dict:
    """Run ``argv`` to its end: wall and CPU seconds, peak memory (MiB) and what it printed."""
    start = time.perf_counter()
    process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT)
    out, err = [], []
    readers = [threading.Thread(target=lambda s, b: b.append(s.read()), args=(stream, buffer))
               for stream, buffer in ((process.stdout, out), (process.stderr, err))]
    for reader in readers:
        reader.start()
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    for reader in readers:
        reader.join()
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise SystemExit(f"{' '.join(argv)} failed:\n{err[0].decode()[-3000:]}")
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "mib": usage.ru_maxrss / 1024,
            "out": out[0].decode()}


def child(tool: str, tags_path: str) -> None:
    """In a process of its own: one tool's call on the tag lists; print its time and micro figures."""
    gold, pred = [], []
    with open(tags_path, encoding="utf-8") as handle:
        for line in handle:
            g, p = json.loads(line)
            gold.append(g)
            pred.append(p)
    start_cpu, start_wall = time.process_time(), time.perf_counter()
    if tool == "seqeval":
        from seqeval.metrics import classification_report
        from seqeval.scheme import IOB2

        report = classification_report(gold, pred, mode="strict", scheme=IOB2, output_dict=True, zero_division=0)
        micro = report["micro avg"]
        figures = {"precision": micro["precision"], "recall": micro["recall"], "gold": int(micro["support"])}
    else:
        from seqscore.scoring import score_label_sequences

        scores, _ = score_label_sequences(pred, gold, "BIO", repair=None)
        figures = {"precision": scores.precision, "recall": scores.recall, "gold": scores.total_ref,
                   "tp": scores.true_pos, "predicted": scores.total_pos}
    figures.update(call_cpu=time.process_time() - start_cpu, call_wall=time.perf_counter() - start_wall)
    print(json.dumps(figures))


def median_of(runs: list[dict]) -> dict:
    """The median wall and CPU seconds and peak memory of ``runs`` of one command, and its last output."""
    result = {name: statistics.median(r[name] for r in runs) for name in ("wall", "cpu", "mib")}
    last = json.loads(runs[-1]["out"])
    if "call_wall" in last:
        for name in ("call_wall", "call_cpu"):
            result[name] = statistics.median(json.loads(r["out"])[name] for r in runs)
    return {**result, "output": last}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[250_000, 1_000_000, 4_000_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--child", nargs=2, metavar=("TOOL", "TAGS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(*args.child)
    me = [sys.executable, str(Path(__file__).resolve())]
    # An installed package is byte-compiled (pip does it); where PYTHONDONTWRITEBYTECODE is
    # set, as on this project's machines, every run would compile the sources again instead.
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "benchmark")], check=True,
                   stdout=subprocess.DEVNULL)
    peaks = {}
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as name:
            folder = Path(name)
            counts = write_corpus(folder, size, args.seed)
            evaluate = [sys.executable, "-m", "benchmark", "evaluate", "--gold", str(folder / "gold.jsonl"),
                        "--pred", str(folder / "pred.jsonl"), "--format", "json"]
            commands = {"evaluate": evaluate, "evaluate --resamples 0": [*evaluate, "--resamples", "0"],
                        "seqeval (call)": [*me, "--child", "seqeval", str(folder / "tags.jsonl")],
                        "seqscore (call)": [*me, "--child", "seqscore", str(folder / "tags.jsonl")]}
            runs: dict[str, list[dict]] = {name: [] for name in commands}
            for _ in range(args.repeat):  # in turns, so that a slow spell of the machine falls on every tool alike
                for name, argv in commands.items():
                    runs[name].append(run(argv))
            results = {name: median_of(r) for name, r in runs.items()}
        print(f"\n{counts['tokens']:,} tokens, {counts['documents']:,} documents; entities gold {counts['gold']:,} "
              f"pred {counts['pred']:,}; events gold {counts['gold_events']:,} pred {counts['pred_events']:,}")
        print(f"  {'':32s} {'wall s':>8s} {'CPU s':>8s} {'peak MiB':>9s}")
        for name, r in results.items():
            wall, cpu = r.get("call_wall", r["wall"]), r.get("call_cpu", r["cpu"])
            whole = f"   (whole process {r['wall']:.2f} s wall)" if "call_wall" in r else ""
            print(f"  {name:32s} {wall:8.2f} {cpu:8.2f} {r['mib']:9.0f}{whole}")
        ours, seqeval, seqscore = (results[k] for k in ("evaluate", "seqeval (call)", "seqscore (call)"))
        bare = results["evaluate --resamples 0"]
        for label, mine in (("evaluate", ours), ("evaluate --resamples 0", bare)):
            print(f"  {label}: {mine['wall'] / seqeval['call_wall']:.3f} of seqeval's call "
                  f"({mine['cpu'] / seqeval['call_cpu']:.3f} CPU; target <= 0.333), "
                  f"{mine['wall'] / seqscore['call_wall']:.3f} of seqscore's "
                  f"({mine['cpu'] / seqscore['call_cpu']:.3f} CPU; target <= 1)")
        strict = ours["output"]["entity.strict"]
        same = all(math.isclose(strict["precision"], tool["output"]["precision"])
                   and math.isclose(strict["recall"], tool["output"]["recall"])
                   and strict["gold"] == tool["output"]["gold"] for tool in (seqeval, seqscore))
        same = same and (strict["tp"], strict["predicted"]) == (seqscore["output"]["tp"], seqscore["output"]["predicted"])
        print(f"  entity.strict tp {strict['tp']:g} predicted {strict['predicted']:g} gold {strict['gold']:g}, "
              f"P {strict['precision']:.6f} R {strict['recall']:.6f}: "
              f"{'identical to seqeval and seqscore' if same else 'DIFFERENT from seqeval or seqscore'}")
        peaks[size] = (ours["mib"], bare["mib"])
    if 1_000_000 in peaks and 4_000_000 in peaks:
        print(f"\npeak memory at 4M / at 1M tokens: evaluate {peaks[4_000_000][0] / peaks[1_000_000][0]:.2f}, "
              f"--resamples 0 {peaks[4_000_000][1] / peaks[1_000_000][1]:.2f} (target <= 2)")


if __name__ == "__main__":
    main()
