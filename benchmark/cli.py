"""The ``iraq-attacks`` command line: the front door to the benchmark.

Every subcommand turns bad input into one line per problem (file:line: document,
item, field: what is wrong) on standard error and exit status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import gc
import signal
import sys
import threading
from pathlib import Path
from typing import Callable, Sequence

from benchmark.errors import BenchmarkError, Problem

INPUT_ERROR = 2
# The score keys of SPEC section 3 (as benchmark.scoring.score.KEYS; not imported here to keep start-up light).
KEYS_CHOICES = ("entity.strict", "entity.exact", "entity.partial", "entity.type", "casualty",
                "trigger.identification", "trigger.classification", "argument.identification",
                "argument.classification", "argument.attached", "event.exact", "event.template")
Handler = Callable[[argparse.Namespace], int]


def _print_problems(problems: Sequence[Problem], what: str) -> None:
    """Each problem, then how many were found and where: the files they name, else ``what``."""
    for problem in problems:
        print(problem, file=sys.stderr)
    files = ", ".join(dict.fromkeys(p.file for p in problems if p.file)) or what
    print(f"{len(problems)} problem{'s' if len(problems) != 1 else ''} found in {files}", file=sys.stderr)


def cmd_validate(args: argparse.Namespace) -> int:
    from benchmark.corpus import shipped_corpus
    from benchmark.inputs.read import validate_input

    if args.input_format == "incidents":  # a record file alone: shapes and values (its keys need the events)
        from benchmark.incidents import read_incident_records

        read_incident_records(args.file)
        print(f"{args.file}: valid")
        return 0
    problems = validate_input(args.file, shipped_corpus(), args.kind, args.input_format, args.repair,
                              args.max_bytes)
    if problems:
        _print_problems(problems, str(args.file))
        return INPUT_ERROR
    print(f"{args.file}: valid")
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    from benchmark.dataset.build import build_outputs, stale_files, write_outputs
    from benchmark.paths import ROOT

    outputs = build_outputs()
    if args.check:
        stale = stale_files(outputs)
        for path in stale:
            shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
            print(f"{shown}: stale; run `iraq-attacks build`", file=sys.stderr)
        return 1 if stale else 0
    written = write_outputs(outputs)
    for path in written:
        print(f"wrote {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
    unchanged = len(outputs) - len(written)
    print(f"{len(written)} file{'s' if len(written) != 1 else ''} written, {unchanged} already up to date "
          f"(of {len(outputs)} generated files)")
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    from benchmark.report.docblocks import update_files
    from benchmark.inputs.read import read_gold
    from benchmark.paths import DOCUMENTED_FILES, STATS_FIGURE
    from benchmark.report.stats import format_stats, stats_blocks, write_figure

    gold = read_gold(args.gold)
    from benchmark.incidents import read_incident_records  # the gold records, when known
    from benchmark.scoring.evaluate import gold_incidents_file

    records_file = gold_incidents_file(args.gold, args.gold_incidents)
    records = read_incident_records(records_file, gold, complete=True) if records_file is not None else None
    sys.stdout.write(format_stats(gold, records))
    if args.write:
        updated = update_files(DOCUMENTED_FILES, stats_blocks(gold, records))
        for path in updated:
            print(f"updated {path}", file=sys.stderr)
        if not updated:
            print(f"tables already up to date in {', '.join(str(p) for p in DOCUMENTED_FILES)}", file=sys.stderr)
        write_figure(gold, STATS_FIGURE)
        print(f"wrote {STATS_FIGURE}", file=sys.stderr)
    return 0


def cmd_evaluate(args: argparse.Namespace) -> int:
    from benchmark.scoring.analysis import find_errors
    from benchmark.scoring.bootstrap import bootstrap_intervals
    from benchmark.scoring.evaluate import evaluate_inputs, gold_incidents_file
    from benchmark.report.tables import format_breakdown, format_errors, format_markdown, format_table, iter_json

    if args.key and not args.by:
        raise BenchmarkError("--key chooses the keys of a breakdown: give --by label, role, type or document too")
    if args.format == "json" and args.by:
        raise BenchmarkError("--by prints tables: use --format table or markdown (the JSON already holds every "
                             "breakdown)")
    if args.resamples < 0:
        raise BenchmarkError([Problem(f"needs 0 (no intervals) or more resamples, got {args.resamples}",
                                      field="--resamples")])
    scores, gold, pred = evaluate_inputs(args.pred, args.gold, args.input_format, args.repair, args.max_bytes,
                                         args.incidents, args.gold_incidents, keep=args.errors)
    groups = args.format == "json" or args.by in ("label", "role", "type")
    intervals = bootstrap_intervals(scores, resamples=args.resamples, seed=args.seed, groups=groups)
    if args.format == "json":
        sys.stdout.writelines(iter_json(scores, intervals))  # a key at a time: the per-document counts are long
    else:
        sys.stdout.write((format_markdown if args.format == "markdown" else format_table)(scores, intervals))
    # With --format json, stdout holds the one JSON document; every diagnostic goes to stderr.
    if gold_incidents_file(args.gold, args.gold_incidents) is None:
        print(f"{args.gold}: no gold incident records (give --gold-incidents): incident.record is scored "
              "against none (gold 0)",
              file=sys.stderr)
    for doc_id in scores.missing:
        print(f"{args.pred}: document {doc_id} is missing: scored as predicting nothing", file=sys.stderr)
    print(f"{args.pred}: {pred.notes}", file=sys.stderr)
    if args.by:
        sys.stdout.write(format_breakdown(scores, args.by, intervals, keys=args.key or None,
                                          markdown=args.format == "markdown"))
    if args.errors:
        listing = format_errors(find_errors(gold, list(pred.annotations)), gold, markdown=args.format == "markdown")
        (sys.stderr if args.format == "json" else sys.stdout).write(listing)
    return 0


def cmd_compare(args: argparse.Namespace) -> int:
    from benchmark.inputs.read import read_gold, read_prediction_input
    from benchmark.report.tables import format_comparison
    from benchmark.scoring.bootstrap import compare_systems

    gold = read_gold(args.gold, args.max_bytes)
    pred_a, pred_b = (list(read_prediction_input(path, gold, args.input_format, args.repair, args.max_bytes)
                           .annotations) for path in (args.a, args.b))
    comparison = compare_systems(gold, pred_a, pred_b, keys=args.key or None, resamples=args.resamples,
                                 seed=args.seed)
    sys.stdout.write(format_comparison(comparison, str(args.a), str(args.b), markdown=args.format == "markdown"))
    return 0


def cmd_leaderboard(args: argparse.Namespace) -> int:
    from benchmark.leaderboard.board import DEFAULT_RANK_BY, build_leaderboard, write_leaderboard

    board = build_leaderboard(args.submissions, args.gold, rank_by=args.rank_by or DEFAULT_RANK_BY,
                              max_bytes=args.max_bytes, gold_incidents=args.gold_incidents)
    for path in write_leaderboard(args.out, board):
        print(f"wrote {path}")
    for item in board["skipped"]:
        for reason in item["reasons"]:
            print(f"skipped {item['folder']}: {reason}", file=sys.stderr)
    print(f"ranked {len(board['entries'])} submissions, skipped {len(board['skipped'])}")
    return 1 if args.strict and board["skipped"] else 0


COMMANDS_GROUP = "iraq_attacks.commands"


def _add_installed_commands(commands) -> None:
    """Subcommands that installed packages declare in the entry-point group ``iraq_attacks.commands``.

    Each entry point is a function ``add(commands)`` that adds its subparser (with a
    ``handler``) to ``commands``. The baselines package declares ``baselines`` this way,
    so ``benchmark`` never imports it.
    """
    from importlib.metadata import entry_points

    for entry in sorted(entry_points(group=COMMANDS_GROUP), key=lambda e: e.name):
        entry.load()(commands)


def cmd_labelstudio_tasks(args: argparse.Namespace) -> int:
    from benchmark.labelstudio.exchange import write_tasks

    problems: list[Problem] = []
    count = write_tasks(args.out, _labelstudio_tasks(args, problems), problems)
    print(f"wrote {count} task{'s' if count != 1 else ''} to {args.out}")
    return 0


def cmd_labelstudio_import(args: argparse.Namespace) -> int:
    from benchmark.corpus import shipped_corpus
    from benchmark.labelstudio.exchange import ALL_ANNOTATORS, write_import, write_import_all

    options = dict(ground_truth=args.ground_truth, use_prediction=args.predictions, model_version=args.model_version,
                   corpus=shipped_corpus())
    if args.annotator == ALL_ANNOTATORS:
        for name, count in write_import_all(args.file, args.out, **options).items():
            print(f"wrote {count} document{'s' if count != 1 else ''} to {args.out / name}")
        return 0
    count = write_import(args.file, args.out, annotator=args.annotator, **options)
    print(f"wrote {count} document{'s' if count != 1 else ''} to {args.out}")
    return 0


def _labelstudio_tasks(args: argparse.Namespace, problems: list[Problem]):
    """The tasks of ``labelstudio tasks`` and ``push``: a system's output as predictions, or the gold."""
    from benchmark.corpus import shipped_corpus
    from benchmark.labelstudio.exchange import gold_tasks, prediction_tasks

    if args.pred is not None:
        if not args.model_version:
            raise BenchmarkError("--pred needs --model-version: Label Studio shows it with each pre-annotation")
        return prediction_tasks(args.pred, shipped_corpus(), args.model_version, args.score, problems)
    if args.model_version or args.score is not None:
        raise BenchmarkError("--model-version and --score go with --pred only")
    # The gold is ground truth: Label Studio keeps the flag, and import (pull) --ground-truth finds it.
    return gold_tasks(args.gold_file or _gold_default(), problems, shipped_corpus(), ground_truth=True)


def cmd_labelstudio_push(args: argparse.Namespace) -> int:
    from benchmark.errors import SubmissionError
    from benchmark.labelstudio.convert import label_config
    from benchmark.labelstudio.server import connect, push_tasks, server_errors

    problems: list[Problem] = []
    # Every task is checked before anything is sent: a file with problems sends nothing.
    tasks = list(_labelstudio_tasks(args, problems))
    if problems:
        raise SubmissionError(problems)
    client = connect(args.url, args.api_key)
    try:
        result = push_tasks(client, args.project, label_config(), tasks)
    except server_errors() as error:
        raise BenchmarkError(f"Label Studio at {client_url(args)}: {error}") from None
    print(f"project {result.project_id} ({'created' if result.created_project else 'updated'}): "
          f"{result.new_tasks} new task{'s' if result.new_tasks != 1 else ''}, "
          f"{result.added_to_existing} existing task{'s' if result.added_to_existing != 1 else ''} given "
          f"{'predictions' if args.pred is not None else 'annotations'}")
    return 0


def cmd_labelstudio_pull(args: argparse.Namespace) -> int:
    import tempfile

    from benchmark.labelstudio.server import connect, pull_export, server_errors

    client = connect(args.url, args.api_key)
    with tempfile.TemporaryDirectory(prefix="iraq-attacks-pull-") as folder:
        try:
            args.file = pull_export(client, args.project, args.export or Path(folder) / "export.json")
        except server_errors() as error:
            raise BenchmarkError(f"Label Studio at {client_url(args)}: {error}") from None
        if args.export is not None:
            print(f"wrote the snapshot export to {args.export}")
        return cmd_labelstudio_import(args)


def client_url(args: argparse.Namespace) -> str:
    import os

    return args.url or os.environ.get("LABEL_STUDIO_URL") or "?"


def cmd_agreement(args: argparse.Namespace) -> int:
    import json

    from benchmark.report.agreement import agreement_to_json, export_agreement, format_agreement
    from benchmark.files import write_text_atomic

    pairs = export_agreement(args.file)
    print(format_agreement(pairs))
    if args.json:
        write_text_atomic(args.json, json.dumps(agreement_to_json(pairs), indent=1) + "\n")
    if args.write_block:
        from benchmark.report.docblocks import update_files
        from benchmark.paths import AGREEMENT_FILE, DOCUMENTED_FILES

        block = {args.write_block: "```text\n" + format_agreement(pairs) + "\n```\n"}
        for path in update_files([AGREEMENT_FILE, *DOCUMENTED_FILES], block):
            print(f"updated {path.name}", file=sys.stderr)
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from benchmark.inputs.read import read_gold

    gold = read_gold(args.gold)
    if args.format == "brat":
        from benchmark.formats.brat import write_brat

        write_brat(args.out, gold)
        print(f"wrote {len(gold)} documents in brat standoff to {args.out}")
    else:
        from benchmark.formats.conll import write_conll

        write_conll(args.out, [a.document for a in gold], gold, layout=args.layout)
        what = "the CoNLL-2003 layout (entities)" if args.layout == "conll2003" else "CoNLL IOB2"
        print(f"wrote {len(gold)} documents in {what} to {args.out}")
    return 0


def _add_exchange(commands) -> None:
    """The exchange formats: Label Studio tasks and exports, agreement, brat and CoNLL."""
    studio = commands.add_parser("labelstudio", help="Label Studio import tasks and exports")
    studio_commands = studio.add_subparsers(dest="labelstudio_command", required=True)
    tasks = studio_commands.add_parser("tasks", help="write Label Studio import tasks, one per document")
    source = tasks.add_mutually_exclusive_group()
    source.add_argument("--gold", dest="gold_file", nargs="?", type=Path, const=None, default=None,
                        metavar="FILE", help="gold as annotations (the default; FILE defaults to the shipped gold)")
    source.add_argument("--pred", type=Path, default=None, metavar="FILE",
                        help="a prediction file as pre-annotations (predictions)")
    tasks.add_argument("--model-version", default=None, help="model version shown with the pre-annotations")
    tasks.add_argument("--score", type=float, default=None, help="prediction score in [0, 1]")
    tasks.add_argument("--out", type=Path, required=True, metavar="FILE")
    tasks.set_defaults(handler=cmd_labelstudio_tasks)
    imported = studio_commands.add_parser("import", help="convert a Label Studio JSON export to JSON Lines (docs/CONTRACT.md)")
    imported.add_argument("file", type=Path, metavar="EXPORT.json")
    imported.add_argument("--out", type=Path, required=True, metavar="FILE",
                          help="the JSONL file to write (a folder with --annotator all)")
    which = imported.add_mutually_exclusive_group()
    which.add_argument("--annotator", default=None, metavar="ID_OR_EMAIL",
                       help="that annotator's annotation of each task (user id or e-mail, either completed_by form); "
                            "'all': one file per annotator in the --out folder. Default: each task's annotation, "
                            "an error for a task annotated by several people")
    which.add_argument("--ground-truth", action="store_true", help="the ground-truth annotation of each task")
    which.add_argument("--predictions", action="store_true", help="each task's prediction, written without text")
    imported.add_argument("--model-version", default=None, help="with --predictions: that model version's")
    imported.set_defaults(handler=cmd_labelstudio_import)

    push = studio_commands.add_parser("push", help="create or update a Label Studio project and send it tasks")
    pull = studio_commands.add_parser("pull", help="take a snapshot export of a Label Studio project and import it")
    for command in (push, pull):
        command.add_argument("--project", required=True, metavar="ID_OR_TITLE",
                             help="project id or title (push creates a project of that title when there is none)")
        command.add_argument("--url", default=None, help="Label Studio URL (default: $LABEL_STUDIO_URL)")
        command.add_argument("--api-key", default=None, help="API token (default: $LABEL_STUDIO_API_KEY)")
    source = push.add_mutually_exclusive_group()
    source.add_argument("--gold", dest="gold_file", nargs="?", type=Path, const=None, default=None, metavar="FILE",
                        help="gold as annotations (the default; FILE defaults to the shipped gold)")
    source.add_argument("--pred", type=Path, default=None, metavar="FILE",
                        help="a prediction file as pre-annotations (predictions)")
    push.add_argument("--model-version", default=None, help="model version shown with the pre-annotations")
    push.add_argument("--score", type=float, default=None, help="prediction score in [0, 1]")
    push.set_defaults(handler=cmd_labelstudio_push)
    pull.add_argument("--out", type=Path, required=True, metavar="FILE",
                      help="the JSONL file to write (a folder with --annotator all)")
    pull.add_argument("--export", type=Path, default=None, metavar="FILE", help="also keep the raw export here")
    which = pull.add_mutually_exclusive_group()
    which.add_argument("--annotator", default=None, metavar="ID_OR_EMAIL", help="as for `labelstudio import`")
    which.add_argument("--ground-truth", action="store_true", help="the ground-truth annotation of each task")
    which.add_argument("--predictions", action="store_true", help="each task's prediction, written without text")
    pull.add_argument("--model-version", default=None, help="with --predictions: that model version's")
    pull.set_defaults(handler=cmd_labelstudio_pull)

    agreement = commands.add_parser("agreement", help="pairwise agreement between the annotators of an export")
    agreement.add_argument("file", type=Path, metavar="EXPORT.json")
    agreement.add_argument("--json", type=Path, default=None, metavar="FILE", help="also write the scores as JSON")
    agreement.add_argument("--write-block", default=None, metavar="NAME",
                           help="also put the table into the block NAME of AGREEMENT.md / README.md / DATASHEET.md")
    agreement.set_defaults(handler=cmd_agreement)

    export = commands.add_parser("export", help="write the gold as brat standoff or CoNLL IOB2")
    export.add_argument("--format", choices=("brat", "conll"), required=True)
    export.add_argument("--out", type=Path, required=True, metavar="DIR_OR_FILE",
                        help="a folder for brat, a file for CoNLL")
    export.add_argument("--layout", choices=("benchmark", "conll2003"), default="benchmark",
                        help="with --format conll: the benchmark's own layout (TOKEN<TAB>TAG<TAB>TRIGGER_TAG, the "
                        "submission format; default) or CoNLL-2003's (-DOCSTART-, TOKEN TAG, entities only: "
                        "for spacy convert and seqeval scripts)")
    export.add_argument("--gold", type=Path, default=None)
    export.set_defaults(handler=cmd_export)


def _gold_default() -> Path:
    from benchmark.paths import GOLD_FILE

    return GOLD_FILE


OUTPUT_FORMATS = ("table", "json", "markdown")
INPUT_FORMATS = ("jsonl", "conll", "brat")


def _add_input_options(command) -> None:
    from benchmark.files import DEFAULT_MAX_BYTES

    command.add_argument("--repair", choices=("conlleval", "discard"), default=None,
                         help="IOB2: an I- tag that continues no span starts one (conlleval) or is dropped "
                         "(discard); default: it is an error")
    command.add_argument("--max-bytes", type=int, default=DEFAULT_MAX_BYTES, metavar="N",
                         help="refuse inputs larger than N bytes (default: 256 MiB)")


def _split_formats(args: argparse.Namespace) -> None:
    """``evaluate --format``: sort the given values into the output and the input format."""
    given = args.format or []
    outputs = [f for f in given if f in OUTPUT_FORMATS]
    inputs = [f for f in given if f in INPUT_FORMATS]
    if len(outputs) > 1 or len(inputs) > 1:
        raise BenchmarkError([Problem("--format takes at most one output format (table, json, markdown) and one "
                                      "input format (jsonl, conll, brat)", field="--format")])
    args.format = outputs[0] if outputs else "table"
    args.input_format = inputs[0] if inputs else None


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="iraq-attacks", description=__doc__.splitlines()[0])
    commands = top.add_subparsers(dest="command", required=True)

    validate = commands.add_parser("validate", help="check a gold or prediction input (any format evaluate "
                                   "accepts) against the contract (docs/CONTRACT.md)")
    validate.add_argument("file", type=Path, help="a file, a brat folder, or - for standard input")
    validate.add_argument("--kind", choices=("auto", "gold", "pred"), default="auto",
                          help="gold applies the gold-only rules; auto: gold when lines carry text")
    validate.add_argument("--format", dest="input_format", choices=(*INPUT_FORMATS, "incidents"), default=None,
                          help="input format (default: from the name: .jsonl/.json, .conll/.iob2/.txt, a folder "
                          "is brat; - is jsonl)")
    _add_input_options(validate)
    validate.set_defaults(handler=cmd_validate)

    build = commands.add_parser("build", help="rebuild gold, label config and HF data from the Label Studio export")
    build.add_argument("--check", action="store_true", help="only report stale generated files (exit 1)")
    build.set_defaults(handler=cmd_build)

    stats = commands.add_parser("stats", help="statistics of the gold: documents, labels, attributes, roles, incidents")
    stats.add_argument("--gold", type=Path, default=None)
    stats.add_argument("--gold-incidents", type=Path, default=None, metavar="FILE",
                       help="gold incident records (default: the shipped ones, with the shipped gold)")
    stats.add_argument("--write", action="store_true",
                       help="also fill the tables quoted in README.md / DATASHEET.md and write the figure")
    stats.set_defaults(handler=cmd_stats)

    evaluate = commands.add_parser("evaluate", help="score a prediction file (JSON Lines, IOB2 or brat; see docs/CONTRACT.md) against the gold")
    evaluate.add_argument("--pred", type=Path, required=True, metavar="FILE",
                          help="a file, a brat folder, or - for standard input")
    evaluate.add_argument("--gold", type=Path, default=None, help="gold file (default: the shipped benchmark)")
    evaluate.add_argument("--incidents", type=Path, default=None, metavar="FILE",
                          help="predicted incident records (JSON Lines, docs/CONTRACT.md#incident-records); none: incident.record scores 0")
    evaluate.add_argument("--gold-incidents", type=Path, default=None, metavar="FILE",
                          help="gold incident records (default: the shipped ones, with the shipped gold)")
    evaluate.add_argument("--format", action="append", default=None, metavar="FORMAT",
                          choices=(*OUTPUT_FORMATS, *INPUT_FORMATS),
                          help="output format (table, json, markdown; default table) and/or input format "
                          "(jsonl, conll, brat; default: from the name); give it twice for both")
    _add_input_options(evaluate)
    evaluate.add_argument("--errors", action="store_true", help="count and list every error, classified as "
                          "nervaluate does (incorrect label, partial boundary, missed, spurious)")
    evaluate.add_argument("--by", choices=("label", "role", "type", "document"), default=None,
                          help="also print per-label, per-role, per-event-type or per-document rows "
                          "(as seqeval's classification_report)")
    evaluate.add_argument("--key", action="append", default=None, metavar="KEY", choices=KEYS_CHOICES,
                          help="with --by: only this key (repeatable)")
    evaluate.add_argument("--resamples", type=int, default=1000,
                          help="bootstrap resamples (default 1000; 0: no intervals)")
    evaluate.add_argument("--seed", type=int, default=20240215, help="bootstrap seed")
    evaluate.set_defaults(handler=cmd_evaluate)

    compare = commands.add_parser("compare", help="compare two prediction files: F1 of each, the difference with "
                                  "its 95%% interval and the paired-bootstrap p-value, per key")
    compare.add_argument("a", type=Path, metavar="A", help="prediction file of system A (JSON Lines, IOB2 or brat)")
    compare.add_argument("b", type=Path, metavar="B", help="prediction file of system B")
    compare.add_argument("--gold", type=Path, default=None, help="gold file (default: the shipped benchmark)")
    compare.add_argument("--key", action="append", default=None, metavar="KEY", choices=KEYS_CHOICES,
                         help="only this key (repeatable; default: every key)")
    compare.add_argument("--format", choices=("table", "markdown"), default="table")
    compare.add_argument("--resamples", type=int, default=1000, help="bootstrap resamples (default 1000)")
    compare.add_argument("--seed", type=int, default=20240215, help="bootstrap seed")
    _add_input_options(compare)
    compare.set_defaults(handler=cmd_compare, input_format=None)

    leaderboard = commands.add_parser("leaderboard", help="validate, score and rank a folder of submissions")
    leaderboard.add_argument("submissions", type=Path, metavar="SUBMISSIONS_DIR")
    leaderboard.add_argument("--out", type=Path, required=True, metavar="OUT_DIR")
    leaderboard.add_argument("--gold", type=Path, default=None, help="gold file, e.g. a hidden one (default: shipped)")
    leaderboard.add_argument("--gold-incidents", type=Path, default=None, metavar="FILE",
                             help="gold incident records (default: the shipped ones, with the shipped gold)")
    leaderboard.add_argument("--rank-by", default=None, metavar="KEY", help="score key ranked by F1 "
                             "(default: event.template)")
    leaderboard.add_argument("--max-bytes", type=int, default=20 * 1024 * 1024,
                             help="refuse submission files larger than this (default: 20 MiB per file)")
    leaderboard.add_argument("--strict", action="store_true", help="exit 1 when any submission was skipped")
    leaderboard.set_defaults(handler=cmd_leaderboard)
    _add_exchange(commands)
    _add_installed_commands(commands)
    return top


def _terminated(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)  # unwinds as an error does: temporary files are removed


def main(argv: Sequence[str] | None = None) -> int:
    # A command builds hundreds of thousands of small acyclic objects, then ends: the cyclic
    # collector would rescan them again and again, freeing nothing (reference counting does).
    gc.disable()
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _terminated)
    args = parser().parse_args(argv)
    if getattr(args, "gold", False) is None:
        args.gold = _gold_default()
    try:
        if args.command == "evaluate":
            _split_formats(args)
        return args.handler(args)
    except BenchmarkError as error:
        _print_problems(error.problems, getattr(args, "file", None) or getattr(args, "pred", None) or args.command)
        return INPUT_ERROR
    except OSError as error:
        where = error.filename if error.filename is not None else args.command
        print(f"{where}: {error.strerror or error}", file=sys.stderr)
        return INPUT_ERROR
    except KeyboardInterrupt:
        print(f"{args.command}: interrupted", file=sys.stderr)
        return 128 + signal.SIGINT


if __name__ == "__main__":
    sys.exit(main())
