"""Benchmark Label Studio conversion at scale, streaming, in both directions.

Builds a synthetic Label Studio export of N tasks (default 100,000): the gold's tasks
repeated, each copy with new task, annotation, region and document ids. Then, each step
in a child process of its own so that its peak memory is its own:

1. ``export -> JSONL``: ``benchmark.labelstudio.exchange.write_import`` (ijson, task by task;
   conversion, the gold checks and label-studio-sdk's validation of every annotation);
2. ``JSONL -> tasks``: ``gold_tasks`` + ``write_tasks`` (line by line, gold checks).

Prints, per step, wall time, tasks per second and the peak resident memory (ru_maxrss)
of the step's process; ``--tracemalloc`` also reports the peak of Python allocations
(slower). Usage::

    python scripts/bench_labelstudio.py [--tasks 100000] [--workdir DIR] [--no-sdk-check]
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path


def build_export(path: Path, n_tasks: int) -> None:
    from benchmark.formats.jsonl import read_annotations
    from benchmark.labelstudio.convert import to_labelstudio_task
    from benchmark.labelstudio.exchange import JsonArrayWriter
    from benchmark.paths import GOLD_FILE

    templates = [to_labelstudio_task(a, a.document) for a in read_annotations(GOLD_FILE)]
    with JsonArrayWriter(path) as writer:
        for n in range(n_tasks):
            template = templates[n % len(templates)]
            copy = n // len(templates)
            results = []
            for result in template["annotations"][0]["result"]:
                result = dict(result)
                for key in ("id", "from_id", "to_id"):
                    if key in result:
                        result[key] = f"{result[key]}-{copy}"
                results.append(result)
            data = dict(template["data"], doc_id=f"{template['data']['doc_id']}-{copy}")
            writer.write({"id": n + 1, "data": data, "annotations": [
                {"id": 10 * n + 1, "completed_by": {"id": 1, "email": "bench@example.org"}, "result": results,
                 "was_cancelled": False, "ground_truth": False, "created_at": "2024-01-01T00:00:00Z",
                 "updated_at": "2024-01-01T00:00:00Z"}], "predictions": []})


def step(name: str, workdir: Path, sdk_check: bool) -> dict:
    """Run one step in this process; return its figures."""
    from benchmark.errors import Problem
    from benchmark.labelstudio.exchange import gold_tasks, write_import, write_tasks

    export, jsonl, tasks = workdir / "export.json", workdir / "export.jsonl", workdir / "tasks.json"
    started = time.perf_counter()
    if name == "build":
        build_export(export, int(sys.argv[sys.argv.index("--tasks") + 1]))
        count, out = None, export
    elif name == "import":
        count, out = write_import(export, jsonl, check_with_sdk=sdk_check), jsonl
    else:
        problems: list[Problem] = []
        count, out = write_tasks(tasks, gold_tasks(jsonl, problems), problems), tasks
    seconds = time.perf_counter() - started
    return {"step": name, "seconds": seconds, "count": count, "bytes": out.stat().st_size,
            "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=100_000)
    parser.add_argument("--workdir", type=Path, default=None, help="keep the files here (default: a temp folder)")
    parser.add_argument("--no-sdk-check", action="store_true", help="skip label-studio-sdk validation on import")
    parser.add_argument("--tracemalloc", action="store_true", help="also measure the peak of Python allocations")
    parser.add_argument("--step", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step:
        if args.tracemalloc:
            tracemalloc.start()
        figures = step(args.step, args.workdir, not args.no_sdk_check)
        if args.tracemalloc:
            figures["tracemalloc_peak_mib"] = tracemalloc.get_traced_memory()[1] / 2**20
        print(json.dumps(figures))
        return 0

    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="bench-labelstudio-"))
    workdir.mkdir(parents=True, exist_ok=True)
    try:
        print(f"{args.tasks:,} tasks in {workdir}")
        for name, label in (("build", "build synthetic export"), ("import", "export -> JSONL (import)"),
                            ("tasks", "JSONL -> tasks (tasks --gold)")):
            command = [sys.executable, __file__, "--step", name, "--workdir", str(workdir), "--tasks", str(args.tasks)]
            command += ["--no-sdk-check"] * args.no_sdk_check + ["--tracemalloc"] * args.tracemalloc
            result = subprocess.run(command, capture_output=True, text=True)
            if result.returncode != 0:
                print(result.stderr[-4000:], file=sys.stderr)
                return result.returncode
            figures = json.loads(result.stdout.strip().splitlines()[-1])
            rate = f"{args.tasks / figures['seconds']:>9,.0f} tasks/s" if name != "build" else " " * 16
            extra = f", Python heap peak {figures['tracemalloc_peak_mib']:.1f} MiB" if "tracemalloc_peak_mib" in figures else ""
            print(f"{label:<32} {figures['seconds']:8.1f} s {rate}  peak RSS {figures['peak_rss_mib']:7.1f} MiB"
                  f"{extra}  output {figures['bytes'] / 2**20:,.0f} MiB")
    finally:
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
