"""The one input boundary: every command reads gold and predictions through here.

Offsets are half-open code-point offsets ``[start, end)`` into the gold text.

- The format comes from ``format`` (``--format``) or from the path, never from the
  content: ``.jsonl``/``.json`` is SPEC JSON Lines, ``.conll``/``.iob2``/``.txt`` is
  IOB2 over the benchmark tokens, a folder is brat standoff; ``-`` is standard input
  (JSON Lines unless ``format`` says otherwise), and so is any other stream without a
  known suffix (``/dev/stdin``, ``/dev/fd/63`` of process substitution). ``INPUT_FORMATS`` lists the formats.
- Every input is read exactly once (``benchmark.files.read_input_bytes``), with a size
  limit, and parsed from those bytes, so pipes and process substitution work. SPEC JSON
  Lines gold and predictions can also be read piece by piece (``iter_gold``, and
  ``paired_predictions`` to pair each prediction with its gold document as both files
  are read), so ``evaluate`` holds one document of each at a time. A Label Studio export
  is read task by task (``iter_labelstudio_export``): memory holds one task, and the
  size limit applies to each task.
- One reader per format (``benchmark.formats``), then one validation
  (``benchmark.inputs.validate``); every problem of SPEC section 2 is collected with
  file, line, document, item and field and raised once as ``SubmissionError``.
- A gold file whose bytes were validated before (same SHA-256, same schema, same
  validator) is not validated again: the digest is remembered in the cache folder
  (``benchmark.paths.cache_dir``).
"""

from __future__ import annotations

import hashlib
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator, Mapping, Sequence

from benchmark.errors import BenchmarkError, Problem, SubmissionError, raise_if_any
from benchmark.files import DEFAULT_MAX_BYTES, STDIN, MiB, read_input_bytes, read_input_chunks
from benchmark.formats.brat import parse_brat_files, read_brat
from benchmark.formats.conll import REPAIRS, parse_conll
from benchmark.formats.jsonl import iter_json_array, parse_jsonl, parse_jsonl_pieces
from benchmark.inputs.validate import (SpanNotes, span_notes, validate_annotation, validate_annotations,
                                      validate_records)
from benchmark.model import Annotation, Document
from benchmark.paths import GOLD_FILE, SCHEMA_FILE, cache_dir
from benchmark.schema import load_schema

# The formats an input may have; the incident record reader joins these as "incidents".
INPUT_FORMATS = ("jsonl", "conll", "brat")
SUFFIX_FORMATS = {".jsonl": "jsonl", ".json": "jsonl", ".conll": "conll", ".iob2": "conll", ".txt": "conll"}
VALIDATOR_VERSION = "2"  # change when a gold rule changes, so remembered gold digests no longer count


def input_format(path: str | Path, format: str | None = None) -> str:
    """The format of the input at ``path``: ``format`` when given, else from the path (never the content)."""
    name = str(path)
    if format is not None:
        if format not in INPUT_FORMATS:
            raise SubmissionError([Problem(f"unknown input format {format!r}; choose one of "
                                           f"{', '.join(INPUT_FORMATS)}", file=name, field="--format")])
        return format
    if name == STDIN:
        return "jsonl"
    if Path(path).is_dir():
        return "brat"
    if Path(path).suffix.lower() not in SUFFIX_FORMATS and (name.startswith("/dev/") or (
            Path(path).exists() and not Path(path).is_file())):
        return "jsonl"  # a pipe or device such as /dev/stdin or /dev/fd/63: like -, JSON Lines
    found = SUFFIX_FORMATS.get(Path(path).suffix.lower())
    if found is None:
        raise SubmissionError([Problem("cannot tell the format from the name: use a name ending in "
                                       f"{', '.join(SUFFIX_FORMATS)}, a brat folder, or give --format "
                                       f"({', '.join(INPUT_FORMATS)})", file=name)])
    return found


def gold_documents(gold: Sequence[Annotation]) -> dict[str, Document]:
    """The documents (text and metadata) a gold file carries, by id."""
    return {a.doc_id: a.document for a in gold if a.document is not None}


def _task_shape(number: int, task: object, file: str) -> list[Problem]:
    """What is wrongly typed in task ``number`` (from 1) of a Label Studio export, before any conversion."""
    if not isinstance(task, dict):
        return [Problem(f"task number {number} is not a JSON object", file=file)]
    problems: list[Problem] = []

    def bad(message: str, field: str) -> None:
        task_id = task.get("id")
        problems.append(Problem(message, file=file, item=f"task {str(task_id)[:40]}" if task_id is not None else None,
                                field=field))

    if task.get("id") is not None and not _id_like(task["id"]):
        bad(f"id must be an integer or a string, got {type(task['id']).__name__}", "id")
    if not isinstance(task.get("data"), dict):
        bad(f"data must be an object holding the text, got {type(task.get('data')).__name__}", "data")
    if task.get("meta") is not None and not isinstance(task["meta"], dict):
        bad(f"meta must be an object, got {type(task['meta']).__name__}", "meta")
    for kind in ("annotations", "predictions"):
        items = task.get(kind)
        if items is None:
            continue
        if not isinstance(items, list):
            bad(f"{kind} must be a list, got {type(items).__name__}", kind)
            continue
        for n, item in enumerate(items):
            where = f"{kind}[{n}]"
            if not isinstance(item, dict):
                bad("must be an object", where)
                continue
            if not _annotator_form(item.get("completed_by")):
                bad("completed_by must be a user id or an object with the user's id and e-mail, got "
                    f"{type(item['completed_by']).__name__}", f"{where}.completed_by")
            result = item.get("result")
            if result is None:
                continue
            if not isinstance(result, list):
                bad(f"result must be a list, got {type(result).__name__}", f"{where}.result")
                continue
            for k, region in enumerate(result):
                if _plainly_typed(region):
                    continue
                field = f"{where}.result[{k}]"
                if not isinstance(region, dict):
                    bad("a result must be an object", field)
                    continue
                value = region.get("value")
                if value is not None and not isinstance(value, dict):
                    bad(f"value must be an object, got {type(value).__name__}", f"{field}.value")
                    continue
                for name in ("labels", "choices"):
                    got = (value or {}).get(name)
                    if got is not None and not _strings(got):
                        bad(f"{name} must be a list of strings", f"{field}.value.{name}")
                text = (value or {}).get("text")
                if text is not None and not isinstance(text, str) and not _strings(text):
                    bad("text must be a string or a list of strings", f"{field}.value.text")
                got = region.get("labels")
                if got is not None and not _strings(got):
                    bad("labels must be a list of strings", f"{field}.labels")
    return problems


def _id_like(value: object) -> bool:
    """An id as Label Studio writes one: an integer (not a boolean) or a string."""
    return isinstance(value, str) or (isinstance(value, int) and not isinstance(value, bool))


def _annotator_form(completed_by: object) -> bool:
    """``completed_by`` in one of its two forms (a user id, or an object with ``id`` and
    ``email``), or absent."""
    if completed_by is None or _id_like(completed_by):
        return True
    return isinstance(completed_by, dict) and (completed_by.get("id") is None or _id_like(completed_by["id"])) \
        and (completed_by.get("email") is None or isinstance(completed_by["email"], str))


def _plainly_typed(region: object) -> bool:
    """True for a result that surely passes the checks of ``_task_shape`` (most do): a
    quick look first, so that only the others are looked at closely."""
    if type(region) is not dict:
        return False
    roles = region.get("labels")  # a relation's
    if roles is not None and not _plain_strings(roles):
        return False
    value = region.get("value")
    if value is None:
        return True
    if type(value) is not dict:
        return False
    labels, choices, text = value.get("labels"), value.get("choices"), value.get("text")
    return ((labels is None or _plain_strings(labels)) and (choices is None or _plain_strings(choices))
            and (text is None or type(text) is str or _plain_strings(text)))


def _plain_strings(value: object) -> bool:
    """Whether ``value`` is a list of strings."""
    return type(value) is list and all(type(x) is str for x in value)


def _strings(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(x, str) for x in value)


def iter_export_tasks(chunks: Iterable[bytes], file: str, problems: list[Problem],
                      max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[dict]:
    """The tasks of a Label Studio JSON export whose bytes ``chunks`` gives, one at a time
    (``benchmark.formats.jsonl.iter_json_array``: memory holds one task), each checked for
    the JSON type of its data, annotations, predictions and results before any conversion.

    A wrongly typed task goes to ``problems`` and is not yielded. Malformed JSON or
    UTF-8, a broken limit (nesting, 64-bit integers, a task larger than ``max_bytes``)
    or a document that is not an array
    goes to ``problems`` and ends the tasks, after those before it were yielded: a
    caller fails on any problem.
    """
    try:
        for number, task in enumerate(iter_json_array(chunks, file, EXPORT_IS_AN_ARRAY, max_bytes), 1):
            found = _task_shape(number, task, file)
            if found:
                problems.extend(found)
            else:
                yield task
    except BenchmarkError as error:
        problems.extend(error.problems)


EXPORT_IS_AN_ARRAY = "a Label Studio JSON export is a JSON array of tasks"


def iter_labelstudio_export(path: str | Path, problems: list[Problem],
                            max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[dict]:
    """The tasks of the Label Studio JSON export at ``path`` (``-`` is standard input),
    read once, one task at a time (see ``iter_export_tasks``). Memory holds one task, so
    ``max_bytes`` limits each task, not the file; an unreadable file goes to ``problems`` too."""
    try:
        yield from iter_export_tasks(read_input_chunks(path, sys.maxsize, MiB), str(path), problems, max_bytes)
    except BenchmarkError as error:
        problems.extend(error.problems)


def read_labelstudio_export(path: str | Path, max_bytes: int = DEFAULT_MAX_BYTES) -> list[dict]:
    """Every task of a Label Studio JSON export (see ``iter_labelstudio_export``).
    Raises ``SubmissionError`` with every problem (file, task, field)."""
    problems: list[Problem] = []
    tasks = list(iter_labelstudio_export(path, problems, max_bytes))
    raise_if_any(problems)
    return tasks


# ------------------------------------------------------------------ gold

def _gold_digest() -> "hashlib._Hash":
    """A SHA-256 primed with what the gold rules depend on: the validator, the tokens
    (segmenter and spaCy's version) and the schema; the gold's bytes are fed after it."""
    from benchmark.tokens import SEGMENTER_VERSION, spacy_version

    digest = hashlib.sha256(f"{VALIDATOR_VERSION}\0{SEGMENTER_VERSION}\0{spacy_version()}\0".encode())
    try:
        digest.update(SCHEMA_FILE.read_bytes())
    except OSError:
        pass
    digest.update(b"\0")
    return digest


def _valid_gold_mark(digest: "hashlib._Hash") -> Path:
    """The cache file whose presence says the gold of ``digest`` passed every gold rule."""
    return cache_dir() / "valid-gold" / digest.hexdigest()


def _remember_valid(mark: Path) -> None:
    try:
        mark.parent.mkdir(parents=True, exist_ok=True)
        mark.touch()
    except OSError:
        pass  # a read-only cache only costs time


def checked_gold(records: Iterable[tuple[int, Annotation]], name: str, problems: list[Problem],
                 validate: bool = True) -> Iterator[tuple[int, Annotation]]:
    """The ``(line, annotation)`` records of a gold file, each checked as it passes: it
    carries its text, its document comes once, and (with ``validate``) every gold rule of
    the SPEC holds (``validate_annotation``). Problems go to ``problems``; a record
    without text or given twice is not passed on."""
    seen: dict[str, int] = {}
    schema = load_schema()
    for line, annotation in records:
        if annotation.document is None:
            problems.append(Problem("a gold line needs the document text", name, line, annotation.doc_id,
                                    field="text"))
            continue
        if annotation.doc_id in seen:
            problems.append(Problem(f"document given twice (first on line {seen[annotation.doc_id]})", name, line,
                                    annotation.doc_id, field="id"))
            continue
        seen[annotation.doc_id] = line
        if validate:
            validate_annotation(annotation, annotation.document, True, problems, name, line, schema)
        yield line, annotation


def parse_gold(data: bytes, name: str) -> list[Annotation]:
    """A gold file's bytes (SPEC JSONL with text), validated against every gold rule of the SPEC."""
    digest = _gold_digest()
    digest.update(data)
    mark = _valid_gold_mark(digest)
    problems: list[Problem] = []
    known = mark.exists()
    records = list(checked_gold(parse_jsonl(data, name, problems), name, problems, validate=not known))
    return _gold_read(records, name, problems, None if known else mark)


def _gold_read(records: list[tuple[int, Annotation]], name: str, problems: list[Problem],
               mark: Path | None) -> list[Annotation]:
    raise_if_any(sorted(problems, key=lambda p: p.line or 0))
    if not records:
        raise SubmissionError([Problem("the gold file holds no documents", file=name)])
    if mark is not None:
        _remember_valid(mark)
    return [a for _, a in records]


def iter_gold(path: str | Path, problems: list[Problem],
              max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[tuple[int, Annotation]]:
    """The ``(line, annotation)`` records of the gold file at ``path`` (``-`` is standard
    input), checked as they pass (``checked_gold``). Problems go to ``problems``: use the
    records only when it stays empty; a file that cannot be read or passes ``max_bytes``
    raises ``BenchmarkError``.

    A regular file is read line by line, so that memory holds one piece of it; its digest
    is taken first (a quick pass over its bytes) so that known gold is not validated again,
    and a file whose bytes change meanwhile is a problem. A stream (standard input, a
    pipe) is read whole first, because the predictions may come from the same stream
    under another name (``-`` and ``/dev/stdin``); it is validated unless known.
    """
    name = str(path)
    digest = _gold_digest()
    count = len(problems)
    if name != STDIN and Path(path).is_file():
        for chunk in read_input_chunks(path, max_bytes):
            digest.update(chunk)
        known = _valid_gold_mark(digest).exists()
        read = _gold_digest()

        def hashed(chunks: Iterable[bytes]) -> Iterator[bytes]:
            for chunk in chunks:
                read.update(chunk)
                yield chunk

        records = parse_jsonl_pieces(hashed(read_input_chunks(path, max_bytes)), name, problems, max_bytes)
        yield from checked_gold(records, name, problems, validate=not known)
        if read.digest() != digest.digest():
            problems.append(Problem("the file changed while it was read; run again", file=name))
    else:
        data = read_input_bytes(path, max_bytes)
        digest.update(data)
        known = _valid_gold_mark(digest).exists()
        yield from checked_gold(parse_jsonl(data, name, problems), name, problems, validate=not known)
    if len(problems) == count and not known:
        _remember_valid(_valid_gold_mark(digest))


def read_gold(path: str | Path = GOLD_FILE, max_bytes: int = DEFAULT_MAX_BYTES) -> list[Annotation]:
    """The gold file at ``path`` (read once; ``-`` is standard input), validated against
    every gold rule of the SPEC (see ``iter_gold``)."""
    problems: list[Problem] = []
    records = list(iter_gold(path, problems, max_bytes))
    return _gold_read(records, str(path), problems, None)


# ------------------------------------------------------------------ predictions

@dataclass(frozen=True, slots=True)
class Predictions:
    """Validated predictions, their format, and the spans counted but scored as given."""

    annotations: tuple[Annotation, ...]
    format: str
    notes: SpanNotes


def check_repair(repair: str | None, format: str, name: str) -> None:
    if repair is not None and repair not in REPAIRS:
        raise SubmissionError([Problem(f"unknown repair {repair!r}; choose one of {', '.join(REPAIRS)}",
                                       file=name, field="--repair")])


def parse_predictions(data: bytes | None, name: str, format: str, gold: Sequence[Annotation],
                      repair: str | None = None, folder: str | Path | None = None,
                      max_bytes: int = DEFAULT_MAX_BYTES, files: Mapping[str, bytes] | None = None) -> Predictions:
    """Predictions from bytes already read (``data``), or from a brat folder: its files
    already read (``files``, name -> bytes) or the ``folder`` to read.

    Every command that reads predictions ends here: the same files are accepted and
    rejected everywhere. Raises ``SubmissionError`` with every problem.
    """
    check_repair(repair, format, name)
    documents = gold_documents(gold)
    if format == "jsonl":
        problems: list[Problem] = []
        records = parse_jsonl(data or b"", name, problems)
        raise_if_any(validate_records(records, documents, False, name, problems))
        annotations = [a for _, a in records]
    elif format == "conll":
        annotations = parse_conll(data or b"", name, [documents[a.doc_id] for a in gold], repair=repair)
    elif format == "brat" and files is not None:
        annotations = parse_brat_files(files, name, [documents[a.doc_id] for a in gold])
        annotations = [Annotation(a.doc_id, a.entities, a.events) for a in annotations]
        raise_if_any(validate_annotations([(None, a) for a in annotations], documents, gold=False, file=name))
    elif format == "brat":
        annotations = read_brat(folder if folder is not None else name, [documents[a.doc_id] for a in gold],
                                missing_ok=True, max_bytes=max_bytes)
        annotations = [Annotation(a.doc_id, a.entities, a.events) for a in annotations]
        raise_if_any(validate_annotations([(None, a) for a in annotations], documents, gold=False, file=name))
    else:
        raise SubmissionError([Problem(f"unknown input format {format!r}", file=name, field="--format")])
    return Predictions(tuple(annotations), format, span_notes(annotations, documents))


def read_prediction_input(path: str | Path, gold: Sequence[Annotation], format: str | None = None,
                          repair: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES) -> Predictions:
    """The predictions at ``path`` (``-`` is standard input), read once and validated."""
    format = input_format(path, format)
    check_repair(repair, format, str(path))
    if format == "brat":
        return parse_predictions(None, str(path), format, gold, repair, folder=path, max_bytes=max_bytes)
    return parse_predictions(read_input_bytes(path, max_bytes), str(path), format, gold, repair)


def read_predictions(path: str | Path, gold: Sequence[Annotation], format: str | None = None,
                     repair: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES) -> list[Annotation]:
    """Predictions of a SPEC JSONL, IOB2 or brat input, validated against the gold documents.

    Raises ``SubmissionError`` with every problem; nothing is returned half-read.
    """
    return list(read_prediction_input(path, gold, format, repair, max_bytes).annotations)


def paired_predictions(gold: Iterable[tuple[int, Annotation]], pred: Iterable[tuple[int, Annotation]], name: str,
                       problems: list[Problem]) -> Iterator[tuple[Annotation, Annotation | None]]:
    """Each gold annotation, in gold order, with its prediction from ``pred`` (``None``: the
    document is missing), the prediction validated against the gold document on the way
    (the rules of SPEC section 2, as ``parse_predictions``); ``name`` is the predictions' file.

    Both inputs are read once, in step: for each gold document the predictions are read
    up to its own, and those read on the way wait for theirs. So when the predictions come
    in the gold's order, memory holds one document of each. A prediction given twice or
    naming no gold document is a problem (in ``problems``).
    """
    schema = load_schema()
    pred = iter(pred)
    waiting: dict[str, tuple[int, Annotation]] = {}  # predictions read, by document
    first_line: dict[str, int] = {}

    def read_until(doc_id: str | None) -> None:
        """Read predictions into ``waiting`` until the one of ``doc_id`` (None: to the end)."""
        for line, annotation in pred:
            if annotation.doc_id in first_line:
                problems.append(Problem(f"document given twice (first on line {first_line[annotation.doc_id]})",
                                        name, line, annotation.doc_id, field="id"))
                continue
            first_line[annotation.doc_id] = line
            waiting[annotation.doc_id] = line, annotation
            if annotation.doc_id == doc_id:
                return

    for _, gold_annotation in gold:
        doc_id = gold_annotation.doc_id
        if doc_id not in waiting:
            read_until(doc_id)
        if doc_id in waiting:
            line, annotation = waiting.pop(doc_id)
            validate_annotation(annotation, gold_annotation.document, False, problems, name, line, schema)
            yield gold_annotation, annotation
        else:
            yield gold_annotation, None
    read_until(None)
    for line, annotation in waiting.values():
        validate_annotation(annotation, None, False, problems, name, line, schema)  # no such gold document


# ------------------------------------------------------------------ validate

def validate_input(path: str | Path, corpus: dict[str, Document], kind: str = "auto", format: str | None = None,
                   repair: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES) -> list[Problem]:
    """Every problem of an input in any format ``evaluate`` accepts (``kind``: auto, gold or pred).

    IOB2 and brat inputs are checked as predictions over ``corpus`` (in its order) unless
    ``kind`` is ``gold``; JSON Lines in ``auto`` is gold when its lines carry text.
    """
    name = str(path)
    format = input_format(path, format)
    gold_flag = {"gold": True, "pred": False, "auto": None}[kind]
    if format == "jsonl":
        data = read_input_bytes(path, max_bytes)
        problems: list[Problem] = []
        records = parse_jsonl(data, name, problems)
        return validate_records(records, corpus, gold_flag, name, problems)
    pseudo_gold = [Annotation(d.id, document=d) for d in corpus.values()]
    try:
        if format == "brat" and gold_flag:
            annotations = read_brat(path, list(corpus.values()), max_bytes=max_bytes)
            return validate_annotations([(None, a) for a in annotations], corpus, gold=True, file=name)
        if format == "brat":
            parse_predictions(None, name, format, pseudo_gold, repair, folder=path, max_bytes=max_bytes)
        else:
            check_repair(repair, format, name)
            parse_predictions(read_input_bytes(path, max_bytes), name, format, pseudo_gold, repair)
    except SubmissionError as error:
        return list(error.problems)
    return []
