"""Streaming Label Studio files: read exports task by task, write task files and JSONL.

Offsets are half-open ``[start, end)`` code-point indices into the document text, in
Label Studio as in this package, so nothing is shifted on the way in or out.

- ``iter_tasks`` reads a Label Studio JSON export (a JSON array of tasks) one task at a
  time with ijson, so an export of any size is read in constant memory.
- ``JsonArrayWriter`` / ``JsonlWriter`` write a task file or a SPEC JSONL file one item
  at a time, into a temporary file renamed over the target only when every item was
  written and no problem was found: readers see the old file or the new one.
- ``import_export`` converts an export to canonical annotations (one per task: the
  annotation chosen by ``benchmark.labelstudio.choose_annotation``, or a prediction)
  and reports every problem with the task id, annotation (or prediction) id and region
  id: what ``benchmark.labelstudio.from_labelstudio_results`` finds (unknown label, text
  mismatch, dangling relation, attribute on a missing region), what
  ``benchmark.inputs.validate`` finds (gold rules for annotations, among them overlapping
  spans; prediction rules for predictions), and what label-studio-sdk's
  ``LabelInterface`` finds when it validates the same annotation against the
  labelling config.
- ``gold_tasks`` / ``prediction_tasks`` turn gold or a prediction file into Label Studio
  import tasks, one per document, holding annotations or pre-annotations.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import IO, Any, Iterable, Iterator, Mapping

import ijson

from benchmark.errors import BenchmarkError, Problem, SubmissionError
from benchmark.formats.jsonl import annotation_to_json, iter_annotations
from benchmark.labelstudio.convert import (choose_annotation, choose_prediction, from_labelstudio_task, label_config,
                                   to_labelstudio_task)
from benchmark.model import Annotation, Document
from benchmark.schema import Schema, load_schema
from benchmark.inputs.validate import validate_annotation


# ---------------------------------------------------------------- reading

def iter_tasks(path: str | Path, problems: list[Problem]) -> Iterator[dict]:
    """Yield the tasks of a Label Studio JSON export (a JSON array), one at a time.

    An unreadable file, a top level that is not an array, malformed JSON (named by the
    task after which it occurs) or a task that is not an object go to ``problems``.
    """
    file = str(path)
    try:
        handle = open(path, "rb")
    except OSError as error:
        problems.append(Problem(f"cannot read the file: {error.strerror}", file=file))
        return
    with handle:
        head = handle.read(64).lstrip()
        if not head.startswith(b"["):
            problems.append(Problem("a Label Studio JSON export is a JSON array of tasks; this file does not "
                                    "start with '['", file=file))
            return
        handle.seek(0)
        count = 0
        try:
            for task in ijson.items(handle, "item", use_float=True):
                count += 1
                if not isinstance(task, dict):
                    problems.append(Problem(f"task number {count} is not a JSON object", file=file))
                    continue
                yield task
        except ijson.JSONError as error:
            reason = str(error).splitlines()[0]
            problems.append(Problem(f"malformed JSON after task number {count}: {reason}", file=file))


# ---------------------------------------------------------------- writing

class _AtomicWriter:
    """Write a file item by item into a temporary file; rename it into place on success."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.count = 0
        self._handle: IO[str] | None = None
        self._tmp: str | None = None
        self._discard = False

    def __enter__(self):
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, self._tmp = tempfile.mkstemp(dir=self.path.parent, prefix=f".{self.path.name}.", suffix=".tmp")
        self._handle = os.fdopen(fd, "w", encoding="utf-8", newline="\n")
        self._begin()
        return self

    def _begin(self) -> None:
        pass

    def _end(self) -> None:
        pass

    def discard(self) -> None:
        """Leave the target untouched when the writer closes (e.g. problems were found)."""
        self._discard = True

    def __exit__(self, kind, error, trace) -> None:
        try:
            if kind is None and not self._discard:
                self._end()
                self._handle.flush()
                os.fsync(self._handle.fileno())
                self._handle.close()
                os.replace(self._tmp, self.path)
                return
        finally:
            if not self._handle.closed:
                self._handle.close()
            Path(self._tmp).unlink(missing_ok=True)


class JsonArrayWriter(_AtomicWriter):
    """A JSON array written one element at a time (a Label Studio task file or export)."""

    def _begin(self) -> None:
        self._handle.write("[")

    def write(self, item: Any) -> None:
        self._handle.write(",\n" if self.count else "\n")
        self._handle.write(json.dumps(item, ensure_ascii=False))
        self.count += 1

    def _end(self) -> None:
        self._handle.write("\n]\n" if self.count else "]\n")


class JsonlWriter(_AtomicWriter):
    """A SPEC JSON Lines file written one annotation at a time (as ``benchmark.formats.jsonl.format_jsonl``)."""

    def __init__(self, path: str | Path, with_document: bool = True) -> None:
        super().__init__(path)
        self.with_document = with_document

    def write(self, annotation: Annotation) -> None:
        self._handle.write(json.dumps(annotation_to_json(annotation, self.with_document), ensure_ascii=False) + "\n")
        self.count += 1


# ---------------------------------------------------------------- validation by label-studio-sdk

@cache
def _interface(config: str):
    try:  # an optional dependency: only the Label Studio commands need it, scoring does not
        from label_studio_sdk.label_interface import LabelInterface
    except ImportError as error:
        raise BenchmarkError("the Label Studio commands need label-studio-sdk: "
                             'pip install "iraq-attacks[labelstudio]"') from error

    return LabelInterface(config)


_INDEXED = re.compile(r"^(Region|Relation) (\d+): ")


def _flatten(errors: Any) -> Iterator[str]:
    # validate_prediction nests the errors of one relation in a list of its own.
    if isinstance(errors, (list, tuple)):
        for error in errors:
            yield from _flatten(error)
    elif errors:
        yield str(errors)


def _hashable(value: Any) -> bool:
    return value is not None and isinstance(value, (str, int, float, bool))


def sdk_errors(interface, obj: dict) -> list[str]:
    """``interface.validate_prediction(obj, return_errors=True)``, in linear time.

    The same checks through the same public methods (``validate_region``,
    ``validate_relation``), in the same order, with the same messages. The SDK's own loop
    hands every labels region the whole result list, where it looks for a "split-format"
    geometry partner with the same id (rectangles and other image regions), and hands
    every relation every region: quadratic in the number of results, 17 ms for an
    annotation of 140 results. Here a region is given only the results that share its
    id, and a relation only the regions it names, which gives the same answers
    (``tests/test_labelstudio_roundtrip.py`` compares the two). One difference: a region
    id that is not a string or number makes the SDK fail on every relation ("unhashable
    type"); here only that region's relations miss it, and ``from_labelstudio_results``
    reports the id itself.
    """
    if "result" not in obj:
        return ["Missing required field 'result'"]
    result = obj["result"]
    if not isinstance(result, list):
        return ["'result' must be a list"]
    errors: list[Any] = []
    if obj.get("score") is not None:
        try:
            score = float(obj["score"])
            if not 0.0 <= score <= 1.0:
                errors.append(f"Score must be between 0.00 and 1.00 inclusive, got {score}")
        except (ValueError, TypeError):
            errors.append(f"Score must be a valid number, got {obj['score']}")
    siblings: dict[Any, list[dict]] = {}
    for region in result:
        if isinstance(region, dict) and region.get("type") != "relation" and _hashable(region.get("id")):
            siblings.setdefault(region.get("id"), []).append(region)
    valid: dict[Any, list[dict]] = {}
    relations = []
    for index, region in enumerate(result):
        if not isinstance(region, dict):
            errors.append(f"Region must be a dictionary. Got {type(region)}: {region}")
            continue
        if region.get("type") == "relation":
            relations.append((index, region))
            continue
        same_id = siblings.get(region.get("id")) if _hashable(region.get("id")) else None
        context = {"result": same_id or [region], "region": region}
        try:
            found = interface.validate_region(region, return_errors=True, region_index=index, context=context)
        except Exception as error:  # the SDK's loop turns any exception into one message
            return [*errors, f"Unexpected error during validation: {error}"]
        errors.extend(found)
        if not found and "id" in region and _hashable(region["id"]):
            valid.setdefault(region["id"], []).append(region)
    for index, relation in relations:
        named = [r for key in (relation.get("from_id"), relation.get("to_id")) if _hashable(key)
                 for r in valid.get(key, ())]
        found = interface.validate_relation(relation, named, return_errors=True, relation_index=index)
        if found:
            errors.append(found)
    return errors


def sdk_problems(obj: dict, where: Mapping[str, Any], document: str | None, config: str | None = None) -> list[Problem]:
    """label-studio-sdk's ``LabelInterface`` errors for one annotation or prediction.

    Its messages name results by position ("Region 3: ..."); each is given back with the
    region id (or the relation's ends) of that result.
    """
    config = config or label_config()
    errors = sdk_errors(_interface(config), obj)
    results = obj.get("result") if isinstance(obj.get("result"), list) else []
    prefix = ", ".join(f"{k} {v}" for k, v in where.items() if k != "file" and v is not None)
    problems = []
    for message in _flatten(errors):
        region = None
        match = _INDEXED.match(message)
        if match and int(match.group(2)) < len(results) and isinstance(results[int(match.group(2))], dict):
            result = results[int(match.group(2))]
            if match.group(1) == "Region":
                region = f"region {result.get('id')}"
            else:
                region = f"relation {result.get('from_id')} -> {result.get('to_id')}"
            message = message[match.end():]
        item = ", ".join(p for p in (prefix, region) if p)
        problems.append(Problem(f"label-studio-sdk: {message}", file=where.get("file"), document=document,
                                item=item or None))
    return problems


# ---------------------------------------------------------------- export -> canonical

_VALIDATE_ITEM = re.compile(r"^(entity|event) (.+)$")


def _relocate(problem: Problem, prefix: str, file: str | None) -> Problem:
    """A ``benchmark.inputs.validate`` problem, placed in the task and annotation it came from."""
    item = problem.item
    if item:
        match = _VALIDATE_ITEM.match(item)
        item = f"region {match.group(2)} ({match.group(1)})" if match else item
    item = ", ".join(p for p in (prefix, item) if p)
    return replace(problem, file=file, line=None, item=item or None)


def import_export(path: str | Path, problems: list[Problem], annotator: str | None = None,
                  ground_truth: bool = False, use_prediction: bool = False, model_version: str | None = None,
                  corpus: Mapping[str, Document] | None = None, check_with_sdk: bool = True,
                  schema: Schema | None = None) -> Iterator[Annotation]:
    """Canonical annotations of a Label Studio export, streamed task by task.

    One annotation per task: with ``use_prediction`` the first prediction (of
    ``model_version``), else the annotation ``choose_annotation`` picks (not cancelled;
    ground truth, or by ``annotator`` id or e-mail, or the latest). Every problem goes to
    ``problems`` with task, annotation (or prediction) and region ids; annotations are
    checked with the gold rules, predictions with the prediction rules. A task whose
    document id is in ``corpus`` must carry that document's text. Annotations are
    yielded even when problems were found: the caller decides (see ``write_import``).
    """
    file = str(path)
    schema = schema or load_schema()
    config = label_config(schema) if check_with_sdk else None
    kind = "prediction" if use_prediction else "annotation"
    seen: dict[str, Any] = {}
    for task in iter_tasks(path, problems):
        task_id = task.get("id")
        chosen = (choose_prediction(task, model_version) if use_prediction
                  else choose_annotation(task, annotator, ground_truth))
        annotation = from_labelstudio_task(task, {"file": file}, problems, annotator, ground_truth,
                                           use_prediction, schema, model_version)
        if annotation is None or chosen is None:
            continue
        where = {"file": file, "task": task_id, kind: chosen.get("id")}
        prefix = ", ".join(f"{k} {v}" for k, v in where.items() if k != "file" and v is not None)
        doc_id = annotation.doc_id
        if config is not None:
            problems.extend(sdk_problems(chosen, where, doc_id, config))
        found: list[Problem] = []
        validate_annotation(annotation, annotation.document, not use_prediction, found, schema=schema)
        problems.extend(_relocate(p, prefix, file) for p in found)
        known = corpus.get(doc_id) if corpus is not None else None
        if known is not None and known.text != annotation.document.text:
            problems.append(Problem("task text differs from the corpus text of this document", file=file,
                                    document=doc_id, item=f"task {task_id}", field="data.text"))
        if doc_id in seen:
            problems.append(Problem(f"document is given by two tasks (first task {seen[doc_id]})", file=file,
                                    document=doc_id, item=f"task {task_id}", field="data.doc_id"))
        seen[doc_id] = task_id
        yield annotation


def write_import(export: str | Path, out: str | Path, **options: Any) -> int:
    """Convert a Label Studio export to a SPEC JSONL file; return the number of documents.

    Annotations are written with text and metadata (the gold shape), predictions without
    (the prediction shape). Raises ``SubmissionError`` with every problem, and then
    leaves ``out`` untouched.
    """
    problems: list[Problem] = []
    with JsonlWriter(out, with_document=not options.get("use_prediction")) as writer:
        for annotation in import_export(export, problems, **options):
            writer.write(annotation)
        if problems:
            writer.discard()
    if problems:
        raise SubmissionError(problems)
    return writer.count


# ---------------------------------------------------------------- canonical -> tasks

def gold_tasks(path: str | Path, problems: list[Problem], corpus: Mapping[str, Document] | None = None,
               schema: Schema | None = None) -> Iterator[dict]:
    """One import task per line of a gold file, its annotation under ``annotations``.

    The file is read line by line; each record is checked with the gold rules against
    its own text (which must equal the corpus text for a document of ``corpus``).
    """
    schema = schema or load_schema()
    file = str(path)
    seen: set[str] = set()
    for line, annotation in iter_annotations(path, problems):
        document = annotation.document
        if document is None:
            problems.append(Problem("a gold line needs the document text", file, line, annotation.doc_id,
                                    field="text"))
            continue
        if annotation.doc_id in seen:
            problems.append(Problem("document given twice", file, line, annotation.doc_id, field="id"))
            continue
        seen.add(annotation.doc_id)
        known = corpus.get(annotation.doc_id) if corpus is not None else None
        if known is not None and known.text != document.text:
            problems.append(Problem("text differs from the corpus text of this document", file, line,
                                    annotation.doc_id, field="text"))
        validate_annotation(annotation, document, True, problems, file, line, schema)
        yield to_labelstudio_task(annotation, document, schema=schema)


def prediction_tasks(path: str | Path, corpus: Mapping[str, Document], model_version: str,
                     score: float | None, problems: list[Problem], schema: Schema | None = None) -> Iterator[dict]:
    """One import task per corpus document holding the predictions of ``path`` as pre-annotations.

    The prediction file is read line by line and checked with the prediction rules; a
    corpus document it does not mention gets an empty prediction (it predicts nothing,
    as in scoring).
    """
    schema = schema or load_schema()
    file = str(path)
    if score is not None and not 0.0 <= score <= 1.0:
        problems.append(Problem(f"score {score} is outside [0, 1], which Label Studio requires", field="score"))
    seen: set[str] = set()
    for line, annotation in iter_annotations(path, problems):
        document = corpus.get(annotation.doc_id)
        if annotation.doc_id in seen:
            problems.append(Problem("document given twice", file, line, annotation.doc_id, field="id"))
            continue
        validate_annotation(annotation, document, False, problems, file, line, schema)
        if document is None:
            continue
        seen.add(annotation.doc_id)
        yield to_labelstudio_task(annotation, document, as_prediction=True, model_version=model_version,
                                  score=score, schema=schema)
    for doc_id, document in corpus.items():
        if doc_id not in seen:
            yield to_labelstudio_task(Annotation(doc_id), document, as_prediction=True, model_version=model_version,
                                      score=score, schema=schema)


def write_tasks(out: str | Path, tasks: Iterable[dict], problems: list[Problem] | None = None) -> int:
    """Write import tasks as one JSON array; with problems found, raise and leave ``out`` untouched."""
    problems = problems if problems is not None else []
    with JsonArrayWriter(out) as writer:
        for task in tasks:
            writer.write(task)
        if problems:
            writer.discard()
    if problems:
        raise SubmissionError(problems)
    return writer.count
