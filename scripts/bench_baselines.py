"""Throughput and peak memory of each baseline on a synthetic news-like corpus.

The synthetic corpus (default 10,000 documents) recombines the sentences of the
shipped corpus at random (fixed seed): each document has a headline sentence and 8 to
30 more in paragraphs of one to three sentences, so documents look like the benchmark's
articles. Documents are generated lazily and streamed through ``extract``, never held
in memory together. Each baseline runs in its own fresh process (``spawn``): learned
baselines are first fitted on all of the gold (fit time reported apart); the figures
are documents per second of ``extract`` and the process's peak resident set size
(``ru_maxrss``), before and after extraction.

    python scripts/bench_baselines.py [--documents N] [--baselines gazetteer rules crf]
"""

from __future__ import annotations

import argparse
import multiprocessing
import random
import resource
import sys
import time
from typing import Iterator

SEED = 13


def synthetic_corpus(n_documents: int, seed: int = SEED) -> Iterator:
    """``n_documents`` news-like ``Document``s recombined from the corpus sentences (lazily)."""
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


def _measure(name: str, n_documents: int, queue) -> None:
    from benchmark.inputs.read import read_gold
    from benchmark.paths import GOLD_FILE
    from baselines.registry import is_learned, make

    start = time.perf_counter()
    extractor = make(name)
    if is_learned(name):
        extractor.fit(read_gold(GOLD_FILE))
    fit_seconds = time.perf_counter() - start
    before = _peak_mb()
    start = time.perf_counter()
    entities = events = 0
    for annotation in extractor.extract(synthetic_corpus(n_documents)):
        entities += len(annotation.entities)
        events += len(annotation.events)
    seconds = time.perf_counter() - start
    queue.put({"baseline": name, "documents": n_documents, "fit_s": fit_seconds, "extract_s": seconds,
               "docs_per_s": n_documents / seconds if seconds else float("inf"), "rss_before_mb": before,
               "peak_rss_mb": _peak_mb(), "entities": entities, "events": events})


def _corpus_only(n_documents: int, queue) -> None:
    start = time.perf_counter()
    chars = sum(len(d.text) for d in synthetic_corpus(n_documents))
    queue.put({"seconds": time.perf_counter() - start, "chars": chars})


def _in_child(target, *args) -> dict:
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    process = context.Process(target=target, args=(*args, queue))
    process.start()
    result = queue.get()
    process.join()
    return result


def format_table(rows: list[dict]) -> str:
    header = ["baseline", "documents", "fit s", "extract s", "docs/s", "RSS before MB", "peak RSS MB",
              "entities", "events"]
    cells = [[r["baseline"], f"{r['documents']:,}", f"{r['fit_s']:.1f}", f"{r['extract_s']:.1f}",
              f"{r['docs_per_s']:.1f}", f"{r['rss_before_mb']:.0f}", f"{r['peak_rss_mb']:.0f}",
              f"{r['entities']:,}", f"{r['events']:,}"] for r in rows]
    widths = [max(len(row[i]) for row in [header, *cells]) for i in range(len(header))]
    line = lambda row: "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths)))
    return "\n".join([line(header), line(["-" * w for w in widths]), *map(line, cells)])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=10_000, help="synthetic documents (default 10,000)")
    parser.add_argument("--baselines", nargs="+", default=["gazetteer", "rules", "crf"])
    args = parser.parse_args(argv)
    from tqdm import tqdm

    corpus = _in_child(_corpus_only, args.documents)
    print(f"synthetic corpus: {args.documents:,} documents, {corpus['chars']:,} characters, "
          f"generated in {corpus['seconds']:.1f} s", file=sys.stderr)
    rows = [_in_child(_measure, name, args.documents) for name in tqdm(args.baselines, desc="baselines")]
    print(format_table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
