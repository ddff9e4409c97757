"""Benchmark Label Studio conversion at scale: the current release against this code, one run.

Builds a synthetic Label Studio export of N tasks (default 100,000): the gold's tasks
repeated, each copy with new task, annotation, region and document ids. Then each step
runs in a child process of its own (so that its peak memory is its own), first with the
current release's code (commit ``--release``, default 9d84797, extracted with ``git
archive`` and put first on ``PYTHONPATH``), then with this working tree's code:

1. ``export -> JSONL`` (``labelstudio import``): conversion, the gold checks and
   label-studio-sdk's validation of every annotation, streamed task by task;
2. ``JSONL -> tasks`` (``labelstudio tasks --gold``): the gold checks, line by line. This
   code reads the gold through ``benchmark.inputs.read.iter_gold``, which checks a gold
   file once and then knows it by its digest, as ``evaluate`` and ``validate`` do; so it
   runs twice: with the gold not yet known (its mark removed first: every check runs, as
   in the release) and with it known.

Both implementations read the same export, and both ``JSONL -> tasks`` steps read the
release's JSONL output. The outputs are compared (JSONL record by record, without the
``provenance`` object that only this code writes; task files task by task, without ids and
``ground_truth``), so a faster step that checks or writes less shows up as a difference.

Prints, per step and implementation, wall time, tasks per second, peak resident
memory (ru_maxrss, of that step's process alone) and the speed-up. Each step runs
``--repeat`` times (the implementations taking turns) and the fastest run counts, wall and
CPU apart: single runs on a shared 2-core machine vary by 20 % and more. This code reads
the export task by task and the JSONL piece by piece, so its peak memory should be about
the same at any ``--tasks``: run two sizes to see it. Usage::

    python scripts/bench_labelstudio.py [--tasks 100000] [--repeat 3] [--workdir DIR] [--release 9d84797]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RELEASE = "9d84797"


def _release_compatible(annotation):
    """The gold without spans that end in an abbreviation's period (``U.S.``): contract 1.1
    allows them, the release (1.0) rejects them, and both must read the same export."""
    from msgspec.structs import replace

    text = annotation.document.text
    dropped = {e.span for e in annotation.entities if text[e.span.end - 1] == "."}
    events = tuple(replace(ev, arguments=tuple(a for a in ev.arguments if a.span not in dropped))
                   for ev in annotation.events)
    return replace(annotation, entities=tuple(e for e in annotation.entities if e.span not in dropped), events=events)


def build_export(path: Path, n_tasks: int) -> None:
    from benchmark.formats.jsonl import read_annotations
    from benchmark.labelstudio.convert import to_labelstudio_task
    from benchmark.labelstudio.exchange import JsonArrayWriter
    from benchmark.paths import GOLD_FILE

    templates = [to_labelstudio_task(a, a.document) for a in map(_release_compatible, read_annotations(GOLD_FILE))]
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


def _forget_gold(path: Path) -> None:
    """Remove this code's mark that the gold file at ``path`` passed the gold rules."""
    from benchmark.inputs.read import _gold_digest, _valid_gold_mark

    digest = _gold_digest()
    digest.update(path.read_bytes())
    _valid_gold_mark(digest).unlink(missing_ok=True)


def step(name: str, impl: str, workdir: Path, n_tasks: int) -> dict:
    """Run one step in this process (the implementation is whatever ``benchmark`` imports); return its figures.
    ``impl`` "new-unknown" is this code with the gold not known valid yet."""
    from benchmark.errors import Problem

    if impl == "new-unknown":
        _forget_gold(workdir / "release.jsonl")
        impl = "new"

    if impl == "release":
        from benchmark.labelstudio_io import gold_tasks, write_import, write_tasks
    else:
        from benchmark.labelstudio.exchange import gold_tasks, write_import, write_tasks
    import benchmark

    export = workdir / "export.json"
    jsonl, tasks = workdir / f"{impl}.jsonl", workdir / f"{impl}-tasks.json"
    started, cpu_started = time.perf_counter(), time.process_time()
    if name == "build":
        build_export(export, n_tasks)
        count, out = None, export
    elif name == "import":
        count, out = write_import(export, jsonl), jsonl
    else:
        problems: list[Problem] = []
        count, out = write_tasks(tasks, gold_tasks(workdir / "release.jsonl", problems), problems), tasks
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    return {"step": name, "impl": impl, "code": str(Path(benchmark.__file__).parent), "seconds": seconds, "cpu": cpu,
            "count": count, "bytes": out.stat().st_size,
            "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def extract_release(commit: str, folder: Path) -> Path:
    """The release's ``benchmark``, ``baselines`` and ``annotations`` in ``folder`` (git archive)."""
    folder.mkdir(parents=True, exist_ok=True)
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", commit, "benchmark", "baselines", "annotations"],
                             check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    return folder


def _records(path: Path):
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            record.pop("provenance", None)
            yield record


def _tasks(path: Path):
    for task in json.loads(path.read_bytes()):
        task.pop("id", None)
        for annotation in task.get("annotations") or []:
            for key in ("id", "completed_by", "created_at", "updated_at", "ground_truth"):
                annotation.pop(key, None)
        yield task


def same_output(a, b) -> bool:
    """Whether two record streams are equal, element by element (constant memory)."""
    sentinel = object()
    from itertools import zip_longest

    return all(x == y for x, y in zip_longest(a, b, fillvalue=sentinel))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each step; the fastest counts")
    parser.add_argument("--workdir", type=Path, default=None, help="keep the files here (default: a temp folder)")
    parser.add_argument("--release", default=RELEASE, help=f"commit of the current release (default {RELEASE})")
    parser.add_argument("--only", choices=("release", "new"), default=None, help="run one implementation only")
    parser.add_argument("--step", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--impl", default="new", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step:
        print(json.dumps(step(args.step, args.impl, args.workdir, args.tasks)))
        return 0

    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="bench-labelstudio-"))
    workdir.mkdir(parents=True, exist_ok=True)
    release = extract_release(args.release, workdir / "release-code")
    paths = {"release": str(release), "new": str(ROOT), "new-unknown": str(ROOT)}

    def run(name: str, impl: str) -> dict | None:
        env = {**os.environ, "PYTHONPATH": paths[impl]}
        command = [sys.executable, __file__, "--step", name, "--impl", impl, "--workdir", str(workdir),
                   "--tasks", str(args.tasks)]
        result = subprocess.run(command, capture_output=True, text=True, env=env, cwd=workdir)
        if result.returncode != 0:
            print(result.stderr[-4000:], file=sys.stderr)
            return None
        return json.loads(result.stdout.strip().splitlines()[-1])

    try:
        print(f"{args.tasks:,} tasks in {workdir}; release {args.release} against {ROOT}")
        build = run("build", "new")
        if build is None:
            return 1
        print(f"{'build synthetic export':<34} {build['seconds']:8.1f} s  output {build['bytes'] / 2**20:,.0f} MiB")
        impls = [args.only] if args.only else ["release", "new"]
        if "release" not in impls:  # the tasks step reads the release's JSONL
            impls = ["release-import-only", *impls]
        rates: dict[tuple[str, str], float] = {}
        cpu_rates: dict[tuple[str, str], float] = {}
        for name, label in (("import", "export -> JSONL (import)"), ("tasks", "JSONL -> tasks (tasks --gold)")):
            twice = {"new": ["new-unknown", "new"]} if name == "tasks" else {}
            if name == "import" and "release-import-only" in impls and run("import", "release") is None:
                return 1
            variants = [variant for impl in impls if impl != "release-import-only"
                        for variant in twice.get(impl, [impl])]
            runs: dict[str, list[dict]] = {impl: [] for impl in variants}
            for _ in range(max(1, args.repeat)):
                for impl in variants:
                    figures = run(name, impl)
                    if figures is None:
                        return 1
                    runs[impl].append(figures)
            for impl in variants:
                figures = {**runs[impl][0], "seconds": min(r["seconds"] for r in runs[impl]),
                           "cpu": min(r["cpu"] for r in runs[impl]),
                           "peak_rss_mib": max(r["peak_rss_mib"] for r in runs[impl])}
                rate = args.tasks / figures["seconds"]
                rates[name, impl] = rate
                cpu_rates[name, impl] = args.tasks / figures["cpu"]
                print(f"{label:<34} {impl:<11} {figures['seconds']:8.1f} s {rate:>9,.0f} tasks/s  "
                      f"CPU {figures['cpu']:8.1f} s {cpu_rates[name, impl]:>9,.0f} tasks/s  "
                      f"peak RSS {figures['peak_rss_mib']:7.1f} MiB  output {figures['bytes'] / 2**20:,.0f} MiB")
            for impl in ("new-unknown", "new"):
                if (name, "release") in rates and (name, impl) in rates:
                    print(f"{'':<34} speed-up{' (' + impl + ')' if name == 'tasks' else ''} "
                          f"{rates[name, impl] / rates[name, 'release']:.1f}x wall time, "
                          f"{cpu_rates[name, impl] / cpu_rates[name, 'release']:.1f}x CPU time")
        if not args.only:
            jsonl = same_output(_records(workdir / "release.jsonl"), _records(workdir / "new.jsonl"))
            tasks = same_output(_tasks(workdir / "release-tasks.json"), _tasks(workdir / "new-tasks.json"))
            print(f"same JSONL as the release (without provenance): {'yes' if jsonl else 'NO'}; "
                  f"same tasks (without ids and ground_truth): {'yes' if tasks else 'NO'}")
            if not (jsonl and tasks):
                return 1
    finally:
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
