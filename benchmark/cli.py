"""The ``iraq-attacks`` command line: the front door to the benchmark.

Every subcommand turns bad input into one line per problem (file:line: document,
item, field: what is wrong) on standard error and exit status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Callable, Sequence

from benchmark.errors import BenchmarkError, Problem

INPUT_ERROR = 2
Handler = Callable[[argparse.Namespace], int]


def _print_problems(problems: Sequence[Problem], what: str) -> None:
    for problem in problems:
        print(problem, file=sys.stderr)
    print(f"{len(problems)} problem{'s' if len(problems) != 1 else ''} found in {what}", file=sys.stderr)


def cmd_validate(args: argparse.Namespace) -> int:
    from benchmark.corpus import shipped_corpus
    from benchmark.validate import validate_file

    kind = {"gold": True, "pred": False, "auto": None}[args.kind]
    problems = validate_file(args.file, shipped_corpus(), gold=kind)
    if problems:
        _print_problems(problems, str(args.file))
        return INPUT_ERROR
    print(f"{args.file}: valid")
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    from benchmark.build import build_outputs, stale_files, write_outputs
    from benchmark.paths import ROOT

    outputs = build_outputs()
    if args.check:
        stale = stale_files(outputs)
        for path in stale:
            print(f"{path.relative_to(ROOT)}: stale; run `iraq-attacks build`", file=sys.stderr)
        return 1 if stale else 0
    for path in write_outputs(outputs):
        print(f"wrote {path.relative_to(ROOT)}")
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    from benchmark.io import read_annotations
    from benchmark.stats import format_label_table

    print(format_label_table(read_annotations(args.gold)))
    return 0


def _gold_default() -> Path:
    from benchmark.paths import GOLD_FILE

    return GOLD_FILE


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="iraq-attacks", description=__doc__.splitlines()[0])
    commands = top.add_subparsers(dest="command", required=True)

    validate = commands.add_parser("validate", help="check a gold or prediction file against the SPEC")
    validate.add_argument("file", type=Path)
    validate.add_argument("--kind", choices=("auto", "gold", "pred"), default="auto",
                          help="gold applies the gold-only rules; auto: gold when lines carry text")
    validate.set_defaults(handler=cmd_validate)

    build = commands.add_parser("build", help="rebuild gold, label config and HF data from the Label Studio export")
    build.add_argument("--check", action="store_true", help="only report stale generated files (exit 1)")
    build.set_defaults(handler=cmd_build)

    stats = commands.add_parser("stats", help="per-document, per-label counts of the gold")
    stats.add_argument("--gold", type=Path, default=None)
    stats.set_defaults(handler=cmd_stats)
    return top


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if getattr(args, "gold", False) is None:
        args.gold = _gold_default()
    try:
        return args.handler(args)
    except BenchmarkError as error:
        _print_problems(error.problems, getattr(args, "file", None) or args.command)
        return INPUT_ERROR
    except OSError as error:
        print(f"{error.filename}: {error.strerror}", file=sys.stderr)
        return INPUT_ERROR


if __name__ == "__main__":
    sys.exit(main())
