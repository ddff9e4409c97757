"""Throughput and peak memory of each baseline, this code against the previous release, in one run.

The synthetic corpus (default 2,000 documents) recombines the sentences of the shipped
corpus at random (fixed seed): each document has a headline sentence and 8 to 30 more in
paragraphs of one to three sentences, so documents look like the benchmark's articles.
Documents are generated before the clock starts and streamed through ``extract``, after
one warm-up document (another seed) off the clock, so that set-up done on first use
(spaCy pipelines, matchers) is not counted as throughput, in either release.

Every measurement runs in a fresh single-threaded process: this working tree's code, and
the previous release's (``--previous``, a git commit, default the release 9d84797),
unpacked with ``git archive`` into a temporary folder and put first on ``PYTHONPATH``.
The two alternate, baseline by baseline, so both see the same machine load; with
``--repeat N`` each figure is the median of N runs. Learned baselines are first fitted on
all of the gold (fit time reported apart). The figures are documents per second of
``extract`` per CPU second of the process (one core; little affected by other load on
the machine) and per wall-clock second, the process's peak resident set size
(``ru_maxrss``), and how many documents the two releases predict differently (a digest
of each prediction).

    python scripts/bench_baselines.py [--documents N] [--baselines gazetteer rules crf]
                                      [--previous COMMIT] [--repeat N]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Iterator

SEED = 13
PREVIOUS = "9d84797"
ROOT = Path(__file__).resolve().parent.parent


def synthetic_corpus(n_documents: int, seed: int = SEED) -> Iterator:
    """``n_documents`` news-like ``Document``s recombined from the corpus sentences (lazily)."""
    import random

    from benchmark.corpus import shipped_corpus
    from benchmark.model import Document
    from benchmark.tokens import sentences_of

    pool = [s.span.text_in(d.text) for d in shipped_corpus().values() for s in sentences_of(d)]
    rng = random.Random(seed)
    for n in range(n_documents):
        paragraphs = [rng.choice(pool)]
        remaining = rng.randint(8, 30)
        while remaining > 0:
            size = min(remaining, rng.randint(1, 3))
            paragraphs.append(" ".join(rng.choice(pool) for _ in range(size)))
            remaining -= size
        yield Document(f"synthetic-{n:05d}", "\n\n".join(paragraphs) + "\n")


def _peak_mb() -> float:
    scale = 1024 * 1024 if sys.platform == "darwin" else 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / scale


def _digest(annotation) -> str:
    """A digest of one prediction's content (works with every release's spine types)."""
    entities = [(e.span.start, e.span.end, e.label, sorted(e.attrs.items())) for e in annotation.entities]
    events = [(e.event_type, e.trigger.start, e.trigger.end, [(a.role, a.span.start, a.span.end) for a in e.arguments])
              for e in annotation.events]
    return hashlib.sha1(json.dumps([entities, events]).encode()).hexdigest()[:12]


def _make(name: str):
    """A fresh extractor of either release (``baselines.registry`` exists in both) and whether it learns."""
    from baselines.registry import is_learned, make

    return make(name), is_learned(name)


def _read_gold():
    try:
        from benchmark.inputs.read import read_gold
    except ImportError:  # the previous release's layout
        from benchmark.inputs import read_gold
    from benchmark.paths import GOLD_FILE

    return read_gold(GOLD_FILE)


def measure(name: str, n_documents: int) -> dict:
    """Fit (if learned) and run one baseline over the synthetic corpus, in this process."""
    start = time.perf_counter()
    extractor, learned = _make(name)
    if learned:
        extractor.fit(_read_gold())
    fit_seconds = time.perf_counter() - start
    before = _peak_mb()
    documents = list(synthetic_corpus(n_documents))  # generated before the clock starts
    # one warm-up document of another seed, off the clock: what an extractor sets up on first
    # use (spaCy pipelines, matchers) is set-up, not throughput, in either release
    list(extractor.extract(iter(list(synthetic_corpus(1, seed=SEED + 1)))))
    start, cpu_start = time.perf_counter(), time.process_time()
    digests = [_digest(annotation) for annotation in extractor.extract(iter(documents))]
    seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu_start
    return {"baseline": name, "documents": n_documents, "fit_s": fit_seconds, "extract_s": seconds,
            "docs_per_s": n_documents / seconds if seconds else float("inf"),
            "docs_per_cpu_s": n_documents / cpu_seconds if cpu_seconds else float("inf"), "rss_before_mb": before,
            "peak_rss_mb": _peak_mb(), "digests": digests}


def _child(name: str, n_documents: int, pythonpath: Path) -> dict:
    """``measure`` in a fresh process whose ``benchmark`` and ``baselines`` come from ``pythonpath``."""
    env = {**os.environ, "PYTHONPATH": str(pythonpath), "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1",
           "MKL_NUM_THREADS": "1", "IRAQ_ATTACKS_ROOT": str(pythonpath)}
    result = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--child", name,
                             "--documents", str(n_documents)], env=env, cwd=pythonpath, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"{name} at {pythonpath} failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def previous_release(commit: str, into: Path) -> Path:
    """The tree of ``commit`` unpacked under ``into`` (its own corpus, gold and packages)."""
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", commit], capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into


def _median_run(runs: list[dict]) -> dict:
    best = sorted(runs, key=lambda r: r["docs_per_cpu_s"])[len(runs) // 2]
    return {**best, "docs_per_s": statistics.median(r["docs_per_s"] for r in runs),
            "docs_per_cpu_s": statistics.median(r["docs_per_cpu_s"] for r in runs)}


def format_table(rows: list[tuple[dict, dict]], commit: str) -> str:
    header = ["baseline", "documents", "docs/CPU-s", f"{commit}", "ratio", "docs/s wall", f"{commit}", "ratio",
              "peak RSS MB", f"{commit}", "predicted differently"]
    cells = []
    for now, before in rows:
        differ = sum(a != b for a, b in zip(now["digests"], before["digests"]))
        cells.append([now["baseline"], f"{now['documents']:,}", f"{now['docs_per_cpu_s']:.1f}",
                      f"{before['docs_per_cpu_s']:.1f}", f"{now['docs_per_cpu_s'] / before['docs_per_cpu_s']:.2f}x",
                      f"{now['docs_per_s']:.1f}", f"{before['docs_per_s']:.1f}",
                      f"{now['docs_per_s'] / before['docs_per_s']:.2f}x",
                      f"{now['peak_rss_mb']:.0f}", f"{before['peak_rss_mb']:.0f}", f"{differ:,} docs"])
    widths = [max(len(row[i]) for row in [header, *cells]) for i in range(len(header))]
    line = lambda row: "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths)))
    return "\n".join([line(header), line(["-" * w for w in widths]), *map(line, cells)])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=2_000, help="synthetic documents (default 2,000)")
    parser.add_argument("--baselines", nargs="+", default=["gazetteer", "rules", "crf"])
    parser.add_argument("--previous", default=PREVIOUS, help=f"git commit of the previous release ({PREVIOUS})")
    parser.add_argument("--repeat", type=int, default=1, help="runs per figure; the median is shown")
    parser.add_argument("--child", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(measure(args.child, args.documents)))
        return 0
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-baselines-") as folder:
        before_tree = previous_release(args.previous, Path(folder))
        for name in args.baselines:
            now, before = [], []
            for _ in range(args.repeat):
                before.append(_child(name, args.documents, before_tree))
                now.append(_child(name, args.documents, ROOT))
                print(f"{name}: {now[-1]['docs_per_cpu_s']:.1f} docs/CPU-s, previous "
                      f"{before[-1]['docs_per_cpu_s']:.1f}", file=sys.stderr)
            rows.append((_median_run(now), _median_run(before)))
    print(f"synthetic corpus: {args.documents:,} documents (seed {SEED}); one single-threaded process per "
          f"figure; median of {args.repeat}; {args.previous} = the previous release, run in the same session")
    print(format_table(rows, args.previous))
    return 0


if __name__ == "__main__":
    sys.exit(main())
