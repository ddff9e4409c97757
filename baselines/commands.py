"""``iraq-attacks baselines run|all``: declared to the benchmark's CLI by the entry point
``baselines = "baselines.commands:add_parser"`` of the group ``iraq_attacks.commands``.

Building the parser imports nothing heavy: extractor names come from the installed
metadata (``baselines.registry``); the runner is imported when the command runs.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def add_parser(commands) -> None:
    """Add the ``baselines`` subcommand to the CLI's subparsers ``commands``."""
    from baselines.registry import names

    baselines = commands.add_parser("baselines", help="run the baseline extractors and score them")
    sub = baselines.add_subparsers(dest="baselines_command", required=True)
    run = sub.add_parser("run", help="write one baseline's predictions (learned ones leave one document out)")
    run.add_argument("name", choices=names())
    run.add_argument("--out", type=Path, required=True, metavar="FILE")
    everything = sub.add_parser("all", help="run, write and score every baseline; print the results table")
    everything.add_argument("--out-dir", type=Path, required=True, metavar="DIR")
    everything.add_argument("--write-readme", action="store_true", help="also put the table into README.md")
    for command in (run, everything):
        command.add_argument("--gold", type=Path, default=None, help="gold file (default: shipped)")
        command.set_defaults(handler=run_command)


def run_command(args: argparse.Namespace) -> int:
    """``baselines run NAME --out FILE`` or ``baselines all --out-dir DIR``; returns the exit status."""
    from baselines.run import format_results, run_all, run_one

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
        from benchmark.paths import ROOT
        from benchmark.report.docblocks import update_files

        update_files([ROOT / "README.md"], {"results": "```text\n" + table.rstrip("\n") + "\n```\n"})
        print("updated README.md", file=sys.stderr)
    return 0
