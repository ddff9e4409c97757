"""Handlers of ``iraq-attacks baselines run|all`` (imported lazily by ``benchmark.cli``)."""

from __future__ import annotations

import argparse
import sys

from baselines.run import format_results, run_all, run_one


def run_command(args: argparse.Namespace) -> int:
    """``baselines run NAME --out FILE`` or ``baselines all --out-dir DIR``; returns the exit status."""
    if args.baselines_command == "run":
        path = run_one(args.name, args.gold, args.out, progress=True)
        print(f"wrote {path}")
        return 0
    results = run_all(args.gold, args.out_dir, progress=True)
    for result in results:
        print(f"wrote {result.path}", file=sys.stderr)
    table = format_results(results)
    print(table)
    if getattr(args, "write_readme", False):
        from benchmark.report.docblocks import update_files
        from benchmark.paths import ROOT

        update_files([ROOT / "README.md"], {"results": "```text\n" + table.rstrip("\n") + "\n```\n"})
        print("updated README.md", file=sys.stderr)
    return 0
