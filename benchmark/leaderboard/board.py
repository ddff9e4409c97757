"""The leaderboard: validate, score and rank a folder of submissions; write JSON, Markdown, HTML.

Offsets in every prediction file are half-open code-point offsets ``[start, end)`` into
the document text, as everywhere in the benchmark. This module reads submissions and
runs the shipped scorer (``benchmark.scoring.score``) and bootstrap (``benchmark.scoring.bootstrap``);
it never re-implements a score.

A submission is a folder holding ``metadata.json`` (fields: ``METADATA_FIELDS``, the one
definition of the metadata schema) and exactly one prediction file: ``predictions.jsonl``
(SPEC JSON Lines), ``predictions.conll`` (IOB2 over the benchmark tokens) or a brat
folder ``predictions/``, and may add ``incidents.jsonl``, its predicted incident records
(SPEC 1.3 and 3.1). The predictions are read through the same input boundary as
``iraq-attacks evaluate`` (``benchmark.inputs.read.parse_predictions``), so both accept
and reject the same files. Skip reasons echo user text and are cut to
``MAX_REASON_CHARS`` characters each, at most ``MAX_REASONS`` of them. Nothing
from a submission is executed or unpickled, and nothing is followed outside its folder:
symbolic links anywhere in it, unsafe names and non-regular files are refused, and so
is any file over the size limit, before it is read. A bad submission is reported with
every reason and skipped; the others are still scored.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
import stat
import tempfile
from dataclasses import dataclass, replace
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any, Mapping, Sequence
from urllib.parse import urlsplit

from benchmark.errors import BenchmarkError, Problem, SubmissionError
from benchmark.files import read_input_bytes, replace_folder_files
from benchmark.formats.jsonl import decode_json
from benchmark.incidents import IncidentRecord, read_incident_records
from benchmark.inputs.read import parse_gold
from benchmark.inputs.read import parse_predictions as parse_input_predictions
from benchmark.model import Annotation, Document
from benchmark.schema import load_schema
from benchmark.leaderboard.html import format_html
from benchmark.leaderboard.pages import format_json, format_markdown
from benchmark.report.tables import scores_json

METADATA_FILE = "metadata.json"
PREDICTION_FILES = {"predictions.jsonl": "jsonl", "predictions.conll": "conll"}
BRAT_FOLDER = "predictions"  # a brat folder of <doc_id>.ann files (and optional .txt) instead of a file
_PREDICTION_CHOICES = "predictions.jsonl, predictions.conll or a brat folder predictions/"
INCIDENTS_NAME = "incidents.jsonl"  # the optional predicted records
DEFAULT_MAX_BYTES = 20 * 1024 * 1024
DEFAULT_RANK_BY = "event.template"
SHOWN_KEYS = ("entity.strict", "casualty", "trigger.classification", "argument.classification", "event.template")
SIGNIFICANCE_LEVEL = 0.05
FLOAT_DIGITS = 12  # significant digits of every float stored in leaderboard.json
MAX_REASONS = 25  # problems listed per skipped submission; the rest are counted
MAX_ENTRIES = 1000  # files and folders inside one submission
MAX_DEPTH = 8
MAX_REASON_CHARS = 300  # a skip reason echoes user text (labels, ids): cut to this many characters
SAFE_NAME = re.compile(r"[A-Za-z0-9._-]{1,128}")
OUTPUT_FILES = ("leaderboard.json", "leaderboard.md", "index.html")


# ---------------------------------------------------------------------------------------
# The metadata schema: defined here, once; docs/leaderboard.md shows format_metadata_table().

@dataclass(frozen=True, slots=True)
class MetadataField:
    """One field of ``metadata.json``: its kind (``text``, ``line``, ``url``, ``date``, ``bool``)."""

    name: str
    kind: str
    description: str
    nullable: bool = False
    max_length: int = 200

    def check(self, value: object) -> str | None:
        """What is wrong with ``value`` for this field, or None."""
        if value is None:
            return None if self.nullable else "must not be null"
        if self.kind == "bool":
            return None if isinstance(value, bool) else f"must be true or false, got {_show(value)}"
        if not isinstance(value, str):
            return f"must be a string, got {_show(value)}"
        if not value.strip():
            return "must not be empty"
        if value != value.strip():
            return "must not start or end with white space"
        if len(value) > self.max_length:
            return f"is {len(value)} characters long; at most {self.max_length} are allowed"
        if any(ord(c) < 32 and (self.kind != "text" or c not in "\n\t") for c in value):
            return "must not contain control characters" + (" or line breaks" if self.kind != "text" else "")
        if self.kind == "url":
            parts = urlsplit(value)
            if parts.scheme not in ("http", "https") or not parts.netloc or any(c.isspace() for c in value):
                return f"must be an http:// or https:// address, got {_show(value)}"
        if self.kind == "date":
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
                return f"must be an ISO date YYYY-MM-DD, got {_show(value)}"
            try:
                date.fromisoformat(value)
            except ValueError:
                return f"is not a real calendar date: {_show(value)}"
        return None


METADATA_FIELDS: tuple[MetadataField, ...] = (
    MetadataField("name", "line", "Name of the system, unique on the leaderboard; ties are broken by it.", max_length=80),
    MetadataField("team", "line", "The people or group who built it."),
    MetadataField("contact", "line", "How to reach the team: an e-mail address, a web address, or where to ask."),
    MetadataField("url", "url", "http(s) address of the paper or code describing the system; `null` when neither "
                  "is public.", nullable=True, max_length=500),
    MetadataField("date", "date", "Date of the submission, ISO `YYYY-MM-DD`."),
    MetadataField("external_data", "bool", "`true` when anything beyond the benchmark files was used: other "
                  "annotated data, pre-trained models, gazetteers, large language models."),
    MetadataField("used_test_documents", "bool", "`true` when the five benchmark documents were used in any way "
                  "while building the system: training on them, tuning on them, rules or lists written after "
                  "reading them. `false` only when the system never saw them (leave-one-document-out "
                  "cross-validation counts as `false`; say so in the description)."),
    MetadataField("description", "text", "What the system does and how it was trained and tuned, in a few "
                  "sentences (plain text).", max_length=2000),
)


def format_metadata_table() -> str:
    """The Markdown table of the metadata fields (it appears in docs/leaderboard.md)."""
    types = {"line": "string (one line)", "text": "string", "url": "string (URL)", "date": "string (date)",
             "bool": "boolean"}
    rows = ["| field | type | required | meaning |", "|---|---|---|---|"]
    for spec in METADATA_FIELDS:
        kind = types[spec.kind] + (" or null" if spec.nullable else "")
        limit = f", at most {spec.max_length} characters" if spec.kind in ("line", "text", "url") else ""
        rows.append(f"| `{spec.name}` | {kind}{limit} | yes | {spec.description} |")
    return "\n".join(rows) + "\n"


def _show(value: object) -> str:
    text = json.dumps(value, ensure_ascii=True)
    return text if len(text) <= 60 else text[:57] + "..."


def validate_metadata(raw: object, file: str) -> list[Problem]:
    """Every problem of a decoded ``metadata.json`` object, each naming the file and the field."""
    if not isinstance(raw, dict):
        return [Problem(f"must be a JSON object with the fields {', '.join(f.name for f in METADATA_FIELDS)}",
                        file=file)]
    problems = []
    known = {spec.name: spec for spec in METADATA_FIELDS}
    for spec in METADATA_FIELDS:
        if spec.name not in raw:
            problems.append(Problem("required field is missing; see docs/leaderboard.md", file=file,
                                    field=spec.name))
            continue
        message = spec.check(raw[spec.name])
        if message:
            problems.append(Problem(message, file=file, field=spec.name))
    for name in raw:
        if name not in known:
            problems.append(Problem(f"unknown field; the fields are {', '.join(known)}", file=file,
                                    field=_safe_label(name)))
    return problems


def parse_metadata(data: bytes, file: str) -> tuple[dict[str, Any] | None, list[Problem]]:
    """Decode (within the input limits of ``benchmark.formats.jsonl.decode_json``) and validate
    the bytes of a ``metadata.json``; duplicate keys are an error."""
    try:
        decode_json(data, file)
    except BenchmarkError as error:
        return None, list(error.problems)
    duplicates: list[str] = []

    def pairs(items: list[tuple[str, Any]]) -> dict:
        seen: dict[str, Any] = {}
        for key, value in items:
            if key in seen:
                duplicates.append(key)
            seen[key] = value
        return seen

    # within the limits now (depth <= 64, 64-bit integers), so the standard decoder is safe
    raw = json.loads(data.decode("utf-8-sig"), object_pairs_hook=pairs)
    problems = [Problem("field given more than once", file=file, field=_safe_label(k)) for k in dict.fromkeys(duplicates)]
    problems += validate_metadata(raw, file)
    return (raw if not problems else None), problems


# ---------------------------------------------------------------------------------------
# Reading a submission folder without following anything out of it.

def _safe_label(name: str) -> str:
    """``name`` for display: as is when it is a safe name, else escaped (``ascii``)."""
    return name if SAFE_NAME.fullmatch(name) and ".." not in name else ascii(name)


def _name_problem(name: str) -> str | None:
    if not SAFE_NAME.fullmatch(name) or ".." in name:
        return (f"name {ascii(name)} is not allowed: use only letters, digits, '.', '_' and '-' "
                "(at most 128, no '..')")
    return None


_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_DIRECTORY = getattr(os, "O_DIRECTORY", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)


def _scan(dir_fd: int, prefix: str, depth: int, max_bytes: int, problems: list[Problem],
          budget: list[int]) -> dict[str, int]:
    """Check every entry under an open folder; return the sizes of the regular files at this level."""
    sizes: dict[str, int] = {}
    with os.scandir(dir_fd) as entries:
        listing = sorted(entries, key=lambda e: e.name)
    for entry in listing:
        budget[0] -= 1
        if budget[0] < 0:
            if budget[0] == -1:
                problems.append(Problem(f"the submission holds more than {MAX_ENTRIES} files and folders",
                                        file=prefix.split("/")[0]))
            return sizes
        shown = f"{prefix}/{_safe_label(entry.name)}"
        name_problem = _name_problem(entry.name)
        if name_problem:
            problems.append(Problem(name_problem, file=shown))
            continue
        info = os.stat(entry.name, dir_fd=dir_fd, follow_symlinks=False)
        if stat.S_ISLNK(info.st_mode):
            problems.append(Problem("is a symbolic link; a submission must hold only regular files and folders",
                                    file=shown))
        elif stat.S_ISDIR(info.st_mode):
            if depth >= MAX_DEPTH:
                problems.append(Problem(f"folders are nested more than {MAX_DEPTH} deep", file=shown))
                continue
            sub_fd = os.open(entry.name, os.O_RDONLY | _DIRECTORY | _NOFOLLOW, dir_fd=dir_fd)
            try:
                _scan(sub_fd, shown, depth + 1, max_bytes, problems, budget)
            finally:
                os.close(sub_fd)
        elif not stat.S_ISREG(info.st_mode):
            problems.append(Problem("is not a regular file (a device, pipe or socket); remove it", file=shown))
        elif info.st_size > max_bytes:
            problems.append(Problem(f"is {info.st_size} bytes; the limit is {max_bytes} bytes", file=shown))
        else:
            sizes[entry.name] = info.st_size
    return sizes


def _read_file(dir_fd: int, name: str, shown: str, max_bytes: int) -> tuple[bytes | None, Problem | None]:
    """The bytes of regular file ``name`` in the open folder: no link followed, no more than ``max_bytes``."""
    try:
        fd = os.open(name, os.O_RDONLY | _NOFOLLOW | _NONBLOCK, dir_fd=dir_fd)
    except OSError as error:
        return None, Problem(f"cannot open: {error.strerror}", file=shown)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            return None, Problem("is not a regular file", file=shown)
        if info.st_size > max_bytes:
            return None, Problem(f"is {info.st_size} bytes; the limit is {max_bytes} bytes", file=shown)
        chunks, total = [], 0
        while total <= max_bytes:
            chunk = os.read(fd, min(1 << 20, max_bytes + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        if total > max_bytes:
            return None, Problem(f"is over the limit of {max_bytes} bytes", file=shown)
        return b"".join(chunks), None
    finally:
        os.close(fd)


BRAT_CONF_FILES = ("annotation.conf", "visual.conf", "tools.conf", "kb_shortcuts.conf")


def _read_brat_folder(parent_fd: int, shown: str, max_bytes: int) -> tuple[dict[str, bytes], list[Problem]]:
    """The ``.ann`` and ``.txt`` files of the brat folder ``predictions/`` (already scanned), read
    without following links; brat's ``.conf`` files are passed over, other files reported."""
    files: dict[str, bytes] = {}
    problems: list[Problem] = []
    fd = os.open(BRAT_FOLDER, os.O_RDONLY | _DIRECTORY | _NOFOLLOW, dir_fd=parent_fd)
    try:
        for name in sorted(os.listdir(fd)):
            if name in BRAT_CONF_FILES:
                continue
            if not name.endswith((".ann", ".txt")):
                problems.append(Problem("a brat folder holds only <doc_id>.ann and <doc_id>.txt files "
                                        f"(and brat's {', '.join(BRAT_CONF_FILES)})",
                                        file=f"{shown}/{_safe_label(name)}"))
                continue
            data, problem = _read_file(fd, name, f"{shown}/{name}", max_bytes)
            if problem:
                problems.append(problem)
            else:
                files[name] = data
    finally:
        os.close(fd)
    return files, problems


@dataclass(frozen=True, slots=True)
class RawSubmission:
    """The checked bytes of one submission folder."""

    folder: str
    metadata: bytes
    prediction_name: str
    prediction: bytes
    brat_files: Mapping[str, bytes] | None = None  # the brat folder's files by name, when it is one
    incidents: bytes | None = None

def read_submission_folder(parent: Path, name: str, max_bytes: int = DEFAULT_MAX_BYTES
                           ) -> tuple[RawSubmission | None, list[Problem]]:
    """Read ``parent/name`` safely: its metadata and prediction bytes, or every problem found.

    Problems name files relative to ``parent``.
    """
    shown = _safe_label(name)
    name_problem = _name_problem(name)
    if name_problem:
        return None, [Problem(name_problem, file=shown)]
    info = os.lstat(Path(parent) / name)
    if stat.S_ISLNK(info.st_mode):
        return None, [Problem("is a symbolic link; a submission must be a real folder", file=shown)]
    if not stat.S_ISDIR(info.st_mode):
        return None, [Problem(f"is not a folder; each submission is a folder holding {METADATA_FILE} and "
                              f"one of {_PREDICTION_CHOICES}", file=shown)]
    try:
        dir_fd = os.open(Path(parent) / name, os.O_RDONLY | _DIRECTORY | _NOFOLLOW)
    except OSError as error:
        return None, [Problem(f"cannot open the folder: {error.strerror}", file=shown)]
    problems: list[Problem] = []
    try:
        try:
            sizes = _scan(dir_fd, shown, 1, max_bytes, problems, [MAX_ENTRIES])
        except OSError as error:
            return None, [*problems, Problem(f"cannot read the folder or something in it: {error.strerror}",
                                             file=shown)]
        present = [n for n in PREDICTION_FILES if n in sizes]
        try:
            if stat.S_ISDIR(os.stat(BRAT_FOLDER, dir_fd=dir_fd, follow_symlinks=False).st_mode):
                present.append(BRAT_FOLDER)
        except FileNotFoundError:
            pass
        if METADATA_FILE not in sizes and not any(p.file == f"{shown}/{METADATA_FILE}" for p in problems):
            problems.append(Problem(f"{METADATA_FILE} is missing", file=shown))
        if len(present) > 1:
            problems.append(Problem(f"holds both {' and '.join(present)}; give exactly one prediction file",
                                    file=shown))
        elif not present and not any(p.file in {f"{shown}/{n}" for n in PREDICTION_FILES} for p in problems):
            problems.append(Problem(f"no prediction file: add {_PREDICTION_CHOICES}", file=shown))
        if problems:
            return None, problems
        contents = {}
        optional = (INCIDENTS_NAME,) if INCIDENTS_NAME in sizes else ()
        for file_name in (METADATA_FILE, *(n for n in present if n != BRAT_FOLDER), *optional):
            data, problem = _read_file(dir_fd, file_name, f"{shown}/{file_name}", max_bytes)
            if problem:
                problems.append(problem)
            contents[file_name] = data
        brat_files = None
        if present[0] == BRAT_FOLDER:
            brat_files, brat_problems = _read_brat_folder(dir_fd, f"{shown}/{BRAT_FOLDER}", max_bytes)
            problems += brat_problems
            contents[BRAT_FOLDER] = b"".join(brat_files[n] for n in sorted(brat_files))
        if problems:
            return None, problems
        return RawSubmission(name, contents[METADATA_FILE], present[0], contents[present[0]], brat_files,
                             contents.get(INCIDENTS_NAME)), []
    finally:
        os.close(dir_fd)


# ---------------------------------------------------------------------------------------
# Gold, submissions, scoring.

def _truncate(text: str, limit: int = MAX_REASON_CHARS) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "\u2026"


@dataclass(frozen=True, slots=True)
class Gold:
    """The gold annotations (each carrying its document text) and the SHA-256 of the file."""

    annotations: tuple[Annotation, ...]
    sha256: str

    @property
    def documents(self) -> dict[str, Document]:
        return {a.doc_id: a.document for a in self.annotations}


def read_gold(path: str | Path) -> Gold:
    """Read (once) and validate a gold file (shipped or hidden, e.g. outside the repository)
    through the input boundary (``benchmark.inputs.read.parse_gold``); its lines carry the text."""
    data = read_input_bytes(path)
    return Gold(tuple(parse_gold(data, str(path))), hashlib.sha256(data).hexdigest())


@dataclass(frozen=True, slots=True)
class Submission:
    """A submission that passed every check, with its predictions (offsets as in the SPEC)."""

    folder: str
    metadata: Mapping[str, Any]
    prediction_file: str
    format: str
    sha256: str
    annotations: tuple[Annotation, ...]
    incidents: tuple[IncidentRecord, ...] | None = None  # None when the folder has none

    @property
    def name(self) -> str:
        return self.metadata["name"]


@dataclass(frozen=True, slots=True)
class Skipped:
    """A submission that was not scored, and why."""

    folder: str
    problems: tuple[Problem, ...]

    @property
    def reasons(self) -> list[str]:
        shown = [_truncate(str(p)) for p in self.problems[:MAX_REASONS]]
        if len(self.problems) > MAX_REASONS:
            shown.append(f"... and {len(self.problems) - MAX_REASONS} more problems")
        return shown


def _format(prediction_name: str) -> str:
    return "brat" if prediction_name == BRAT_FOLDER else PREDICTION_FILES[prediction_name]


def parse_predictions(raw: RawSubmission, gold: Gold) -> tuple[tuple[Annotation, ...] | None, list[Problem]]:
    """Validate and read the prediction bytes through the input boundary, as ``evaluate`` does."""
    shown = f"{raw.folder}/{raw.prediction_name}"
    try:
        predictions = parse_input_predictions(raw.prediction, shown, _format(raw.prediction_name),
                                              list(gold.annotations), files=raw.brat_files)
    except BenchmarkError as error:
        return None, list(error.problems)
    return predictions.annotations, []


def _relabel(problems: Sequence[Problem], temporary: str, shown: str) -> list[Problem]:
    return [replace(p, file=shown) if p.file == temporary else p for p in problems]


def parse_incidents(raw: RawSubmission, annotations: Sequence[Annotation]
                    ) -> tuple[tuple[IncidentRecord, ...] | None, list[Problem]]:
    """The submission's ``incidents.jsonl`` read and checked (keys against its own events)."""
    shown = f"{raw.folder}/{INCIDENTS_NAME}"
    with tempfile.TemporaryDirectory(prefix="iraq-attacks-leaderboard-") as scratch:
        path = Path(scratch) / INCIDENTS_NAME
        path.write_bytes(raw.incidents or b"")
        try:
            return tuple(read_incident_records(path, annotations)), []
        except BenchmarkError as error:
            return None, _relabel(error.problems, str(path), shown)


def load_submissions(submissions_dir: str | Path, gold: Gold, max_bytes: int = DEFAULT_MAX_BYTES
                     ) -> tuple[list[Submission], list[Skipped]]:
    """Every submission folder under ``submissions_dir``, checked; the bad ones with their reasons.

    Entries with safe names starting with ``.`` are ignored. Submissions sharing a ``name`` are
    all skipped, since the name identifies an entry.
    """
    root = Path(submissions_dir)
    if not root.is_dir():
        raise SubmissionError([Problem("is not a folder of submissions", file=str(root))])
    accepted: list[Submission] = []
    skipped: list[Skipped] = []
    for name in sorted(os.listdir(root)):
        if name.startswith(".") and _name_problem(name) is None:
            continue  # .gitkeep, .DS_Store and the like; unsafe names are always reported
        raw, problems = read_submission_folder(root, name, max_bytes)
        metadata = None
        annotations = None
        if raw is not None:
            metadata, problems = parse_metadata(raw.metadata, f"{raw.folder}/{METADATA_FILE}")
            annotations, prediction_problems = parse_predictions(raw, gold)
            problems += prediction_problems
            if annotations is not None and raw.incidents is not None:
                incidents, incident_problems = parse_incidents(raw, annotations)
                problems += incident_problems
        if problems or raw is None or metadata is None or annotations is None:
            skipped.append(Skipped(_safe_label(name), tuple(problems)))
            continue
        accepted.append(Submission(raw.folder, metadata, raw.prediction_name, _format(raw.prediction_name),
                                   hashlib.sha256(raw.prediction).hexdigest(), annotations,
                                   incidents if raw.incidents is not None else None))
    by_name: dict[str, list[Submission]] = {}
    for submission in accepted:
        by_name.setdefault(submission.name, []).append(submission)
    kept = []
    for submission in accepted:
        others = [s.folder for s in by_name[submission.name] if s is not submission]
        if others:
            skipped.append(Skipped(submission.folder, (Problem(
                f"name {submission.name!r} is also used by {', '.join(others)}; names must be unique",
                file=f"{submission.folder}/{METADATA_FILE}", field="name"),)))
        else:
            kept.append(submission)
    return kept, sorted(skipped, key=lambda s: s.folder)


# ---------------------------------------------------------------------------------------
# Building the leaderboard.

def stable_float(value: float) -> float:
    """``value`` with ``FLOAT_DIGITS`` significant digits: the form stored in leaderboard.json."""
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"not a finite number: {value}")
    return float(f"{value:.{FLOAT_DIGITS}g}") + 0.0


def _stable(value: Any, name: str = "") -> Any:
    """Every float in a JSON value with ``FLOAT_DIGITS`` significant digits; whole counts as ints."""
    if isinstance(value, dict):
        return {k: _stable(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_stable(v) for v in value]
    if name in ("tp", "predicted", "gold") and float(value).is_integer() and abs(value) < 2 ** 53:
        return int(value)
    return stable_float(value) if isinstance(value, float) else value


def scores_to_json(scores, intervals: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Scores in the one JSON shape (``benchmark.report.tables.scores_json``, without per-document
    counts), each float with ``FLOAT_DIGITS`` significant digits, as leaderboard.json stores them."""
    return _stable(scores_json(scores, intervals, per_document=False))


def _package_version() -> str | None:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("iraq-attacks")
    except PackageNotFoundError:
        return None


def _scorer_version() -> dict[str, Any]:
    import benchmark.scoring.bootstrap as bootstrap_module
    import benchmark.scoring.incidents as incidents_module
    import benchmark.scoring.result as result_module
    import benchmark.scoring.score as score_module

    digest = hashlib.sha256()
    for module in (score_module, result_module, bootstrap_module, incidents_module):
        digest.update(Path(module.__file__).read_bytes())
    return {"version": _package_version(), "sha256": digest.hexdigest()}


def _now() -> str:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = datetime.fromtimestamp(int(epoch), timezone.utc) if epoch and epoch.isdigit() else datetime.now(timezone.utc)
    return moment.replace(microsecond=0).isoformat().replace("+00:00", "Z")


def build_leaderboard(submissions_dir: str | Path, gold_file: str | Path, rank_by: str = DEFAULT_RANK_BY,
                      max_bytes: int = DEFAULT_MAX_BYTES, now: str | None = None,
                      gold_incidents: str | Path | None = None) -> dict[str, Any]:
    """The whole leaderboard as one JSON-ready object (see docs/leaderboard.md).

    ``gold_incidents``: the gold incident records (default: the shipped ones with the shipped
    gold); without any, ``incident.record`` is scored against none (gold 0).
    """
    from benchmark.scoring.bootstrap import LEVEL, RESAMPLES, SEED, bootstrap_intervals, paired_bootstrap
    from benchmark.scoring.evaluate import gold_incidents_file
    from benchmark.scoring.incidents import INCIDENT_KEYS, score_incidents
    from benchmark.scoring.score import KEYS, score

    if rank_by not in KEYS:
        raise BenchmarkError([Problem(f"unknown score key {rank_by!r}; choose one of {', '.join(KEYS)}",
                                      field="--rank-by")])
    if max_bytes <= 0:
        raise BenchmarkError([Problem("the size limit must be a positive number of bytes", field="--max-bytes")])
    gold = read_gold(gold_file)
    submissions, skipped = load_submissions(submissions_dir, gold, max_bytes)
    schema = load_schema()
    shown_keys = tuple(dict.fromkeys((*SHOWN_KEYS, rank_by)))
    gold_list = list(gold.annotations)
    records_file = gold_incidents_file(gold_file, gold_incidents)
    gold_records = read_incident_records(records_file, gold_list, complete=True) if records_file is not None else None

    rows = []
    for submission in submissions:
        try:
            pred = list(submission.annotations)
            incidents = score_incidents(gold_list, pred, gold_records, submission.incidents or ())
            scores = score(gold_list, pred, schema, incidents=incidents)
        except ValueError as error:  # validation should have caught it; report, never crash
            skipped.append(Skipped(submission.folder, (Problem(str(error), file=submission.folder),)))
            continue
        result = scores_to_json(scores, bootstrap_intervals(scores, RESAMPLES, SEED, LEVEL, groups=True))
        rows.append({"submission": submission, "scores": result, "missing": list(scores.missing)})

    rows.sort(key=lambda r: (-r["scores"][rank_by]["f1"], r["submission"].name, r["submission"].folder))
    entries = []
    for index, row in enumerate(rows):
        submission = row["submission"]
        value = row["scores"][rank_by]["f1"]
        rank = 1 + sum(1 for other in rows if other["scores"][rank_by]["f1"] > value)
        tied = sum(1 for other in rows if other["scores"][rank_by]["f1"] == value) > 1
        versus = None
        if index + 1 < len(rows):
            below = rows[index + 1]
            p_value = paired_bootstrap(gold_list, submission.annotations, below["submission"].annotations,
                                       rank_by, RESAMPLES, SEED, schema)
            versus = {"name": below["submission"].name, "p_value": stable_float(p_value),
                      "significant": bool(p_value < SIGNIFICANCE_LEVEL)}
        entries.append({
            "rank": rank, "tied": tied, "name": submission.name, "folder": submission.folder,
            "metadata": dict(submission.metadata), "prediction_file": submission.prediction_file,
            "format": submission.format, "prediction_sha256": submission.sha256,
            "incidents_file": INCIDENTS_NAME if submission.incidents is not None else None,
            "missing_documents": row["missing"], "scores": row["scores"], "better_than_next": versus,
        })
    schema_version = schema.version
    manifest = {
        "benchmark": {"name": schema.name, "schema_version": schema_version, "package_version": _package_version()},
        "scorer": _scorer_version(),
        "gold": {"sha256": gold.sha256, "documents": len(gold.annotations)},
        "bootstrap": {"seed": SEED, "resamples": RESAMPLES, "confidence": LEVEL,
                      "unit": "document", "significance_level": SIGNIFICANCE_LEVEL,
                      "test": "paired bootstrap, one-sided: an entry beats the entry below it"},
        "rank_by": rank_by, "rank_metric": "f1", "shown_keys": list(shown_keys),
        "keys": [*KEYS, *INCIDENT_KEYS],
        "max_bytes": max_bytes, "float_digits": FLOAT_DIGITS,
        "date": now or _now(),
    }
    return {
        "manifest": manifest,
        "entries": entries,
        "skipped": [{"folder": s.folder, "reasons": s.reasons, "problem_count": len(s.problems)}
                    for s in sorted(skipped, key=lambda s: s.folder)],
    }


def write_leaderboard(out_dir: str | Path, board: Mapping[str, Any]) -> list[Path]:
    """Write leaderboard.json, leaderboard.md and index.html as one set; return their paths.

    All three are formatted first, then ``benchmark.files.replace_folder_files`` builds
    the new folder beside the old one and swaps it in: a reader sees the three old files
    or the three new ones, never a mix, and a failure leaves the old set untouched.
    """
    texts = {"leaderboard.json": format_json(board), "leaderboard.md": format_markdown(board),
             "index.html": format_html(board)}
    return replace_folder_files(out_dir, {name: texts[name].encode("utf-8") for name in OUTPUT_FILES})
