"""Streaming Label Studio files: read exports task by task, write task files and JSONL.

Offsets are half-open ``[start, end)`` code-point indices into the document text, in
Label Studio as in this package, so nothing is shifted on the way in or out.

- ``iter_tasks`` reads a Label Studio JSON export (a JSON array of tasks) task by task through the
  input boundary's limits (size, nesting depth, integer range) and yields its tasks.
- ``JsonArrayWriter`` / ``JsonlWriter`` write a task file or a SPEC JSONL file one item
  at a time, into a temporary file renamed over the target only when every item was
  written and no problem was found: readers see the old file or the new one.
- ``import_export`` converts an export to canonical annotations (per task: the
  annotations ``select_annotations`` chooses, one per annotator with ``--annotator
  all``, or a prediction), each with its provenance, and reports every problem with the task id, annotation (or prediction) id and region
  id: what ``benchmark.labelstudio.from_labelstudio_results`` finds (unknown label, text
  mismatch, dangling relation, attribute on a missing region), what
  ``benchmark.inputs.validate`` finds (gold rules for annotations, among them overlapping
  spans; prediction rules for predictions), and what label-studio-sdk's
  ``LabelInterface`` finds when it validates the same annotation against the
  labelling config (``sdk_errors``: the SDK's own checks, with a fast path for results
  it surely accepts).
- ``write_import`` / ``write_import_all`` write one JSONL file, or one per annotator.
- ``gold_tasks`` / ``prediction_tasks`` turn gold or a prediction file into Label Studio
  import tasks, one per document, holding annotations or pre-annotations.
"""

from __future__ import annotations

import gc
import hashlib
import json
import os
import re
import tempfile
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import IO, Any, Iterable, Iterator, Mapping

import orjson

from benchmark.errors import BenchmarkError, Problem, SubmissionError
from benchmark.formats.jsonl import annotation_to_json, iter_annotations, jsonl_line
from benchmark.files import MiB, output_target, write_text_atomic
from benchmark.labelstudio.convert import (annotator_email, annotator_key, choose_annotation, choose_prediction,
                                           from_labelstudio_annotation, label_config, latest_by_annotator,
                                           task_document, to_labelstudio_task, usable_annotations)
from benchmark.model import Annotation, Document
from benchmark.paths import cache_dir
from benchmark.schema import Schema, load_schema
from benchmark.inputs.read import iter_gold, iter_labelstudio_export
from benchmark.inputs.validate import validate_annotation


# ---------------------------------------------------------------- reading

def iter_tasks(path: str | Path, problems: list[Problem]) -> Iterator[dict]:
    """Yield the tasks of a Label Studio JSON export (a JSON array), one at a time.

    The file is read once through the input boundary
    (``benchmark.inputs.read.iter_labelstudio_export``: size, nesting depth, 64-bit
    integers, the JSON type of every task, annotation and result), task by task, so
    memory holds one task. An unreadable file, a broken limit, malformed JSON or a
    wrongly typed part go to ``problems`` (the tasks before malformed JSON were already
    yielded: a caller fails on any problem).
    """
    return iter_labelstudio_export(path, problems)


# ---------------------------------------------------------------- writing

def collector_paused(items: Iterable[Any]) -> Iterator[Any]:
    """``items``, with the cyclic garbage collector paused while each one is made.

    Converting a task makes thousands of small acyclic objects, which the collector
    would scan again and again while they are built and written (a third of the time).
    So it is paused while an item is made, and the objects then alive are moved out of
    its scans (``gc.freeze``, as ``benchmark.formats.jsonl.parse_jsonl`` does): they are
    acyclic, and reference counting frees them when the item is done. It runs as usual
    for everything else.
    """
    items = iter(items)
    while True:
        enabled = gc.isenabled()
        gc.disable()
        try:
            item = next(items, _END)
        finally:
            if enabled:
                gc.freeze()
                gc.enable()
        if item is _END:
            return
        yield item


_END = object()


class _AtomicWriter:
    """Write a file item by item into a temporary file; rename it into place on success."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.count = 0
        self._handle: IO[bytes] | None = None
        self._tmp: str | None = None
        self._discard = False

    def __enter__(self):
        self._target = output_target(self.path)
        try:
            self._target.parent.mkdir(parents=True, exist_ok=True)
            fd, self._tmp = tempfile.mkstemp(dir=self._target.parent, prefix=f".{self._target.name}.", suffix=".tmp")
            mask = os.umask(0o022)
            os.umask(mask)
            os.fchmod(fd, 0o666 & ~mask)  # the permissions the umask gives, not mkstemp's 0600
        except OSError as error:
            raise BenchmarkError([Problem(f"cannot write: {error.strerror}", file=str(self.path))]) from None
        # UTF-8 bytes (a text layer would decode and encode every item again), written a MiB at
        # a time rather than a system call or two per item
        self._handle = os.fdopen(fd, "wb", buffering=MiB)
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
                try:
                    self._end()
                    self._handle.flush()
                    os.fsync(self._handle.fileno())
                    self._handle.close()
                    os.replace(self._tmp, self._target)
                except OSError as failed:  # a full disk: name the target, leave nothing behind
                    raise BenchmarkError([Problem(f"cannot write: {failed.strerror}", file=str(self.path))]) from None
                return
            if isinstance(error, OSError):
                raise BenchmarkError([Problem(f"cannot write: {error.strerror}", file=str(self.path))]) from None
        finally:
            if not self._handle.closed:
                self._handle.close()
            Path(self._tmp).unlink(missing_ok=True)


class JsonArrayWriter(_AtomicWriter):
    """A JSON array written one element at a time (a Label Studio task file or export)."""

    def _begin(self) -> None:
        self._handle.write(b"[")

    def write(self, item: Any) -> None:
        self._handle.write(b",\n" if self.count else b"\n")
        try:  # orjson: the same JSON (compact), ten times as fast as the standard library
            self._handle.write(orjson.dumps(item))
        except TypeError:  # what orjson does not take (an integer past 64 bits, a non-string key)
            self._handle.write(json.dumps(item, ensure_ascii=False).encode("utf-8"))
        self.count += 1

    def _end(self) -> None:
        self._handle.write(b"\n]\n" if self.count else b"]\n")


class JsonlWriter(_AtomicWriter):
    """A SPEC JSON Lines file written one annotation at a time (as ``benchmark.formats.jsonl.format_jsonl``)."""

    def __init__(self, path: str | Path, with_document: bool = True) -> None:
        super().__init__(path)
        self.with_document = with_document

    def write(self, annotation: Annotation) -> None:
        record = annotation_to_json(annotation, self.with_document, with_provenance=True)
        self._handle.write(jsonl_line(record))
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


_VALUE_KEYS = {"labels": frozenset({"start", "end", "text", "labels"}),
               "choices": frozenset({"start", "end", "text", "choices"}),
               "number": frozenset({"start", "end", "text", "number"}),
               "textarea": frozenset({"start", "end", "text"})}
_DIRECTIONS = ("left", "right", "bi")


@cache
def _fast_rules(interface) -> dict[str, tuple[str, frozenset, frozenset | None]]:
    """control name -> (result type, its objects, allowed labels or choices), for the
    control kinds whose valid results ``_surely_valid`` recognises."""
    objects = {obj.name for obj in interface.objects}
    rules = {}
    for control in interface.controls:
        kind = control.tag.lower()
        if kind not in _VALUE_KEYS or any(key == control.name for key in _VALUE_KEYS[kind]):
            continue
        labels = frozenset(control.labels) if kind in ("labels", "choices") and control.labels else None
        rules[control.name] = (kind, frozenset(control.to_name) & objects, labels)
    return rules


@cache
def _remembered_rules(config: str) -> dict[str, tuple[str, frozenset, frozenset | None]]:
    """``_fast_rules`` of ``config``'s ``LabelInterface``, remembered in the cache folder
    (``benchmark.paths.cache_dir``) per config and label-studio-sdk version: importing
    the SDK takes more than a second, and a run whose results are all surely valid
    (``_all_surely_valid``) needs nothing else from it."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        sdk_version = version("label-studio-sdk")
    except PackageNotFoundError:
        return _fast_rules(_interface(config))  # _interface says how to install it
    key = hashlib.sha256(f"{sdk_version}\0{config}".encode()).hexdigest()
    path = cache_dir() / "labelstudio-rules" / f"{key}.json"
    try:
        stored = json.loads(path.read_text(encoding="utf-8"))
        return {name: (kind, frozenset(objects), None if labels is None else frozenset(labels))
                for name, (kind, objects, labels) in stored.items()}
    except (OSError, ValueError, TypeError):
        pass
    rules = _fast_rules(_interface(config))
    try:
        write_text_atomic(path, json.dumps({name: [kind, sorted(objects), None if labels is None else sorted(labels)]
                                            for name, (kind, objects, labels) in rules.items()}))
    except BenchmarkError:
        pass  # a read-only cache only costs time
    return rules


def _strings(values: Any) -> bool:
    return type(values) is list and all(type(v) is str for v in values)


def _surely_valid(region: dict, rules: Mapping[str, tuple[str, frozenset, frozenset | None]]) -> bool:
    """True only for a region that label-studio-sdk's ``validate_region`` accepts: a text
    span result of a known control, of the control's type, to one of its objects, whose
    value has only the keys of that type, of the types its value model takes. Anything
    else (False) is handed to the SDK itself, which finds the same or gives the message."""
    rule = rules.get(region.get("from_name"))
    if rule is None:
        return False
    kind, objects, allowed = rule
    value = region.get("value")
    if type(value) is not dict or region.get("type") != kind or region.get("to_name") not in objects \
            or not value.keys() <= _VALUE_KEYS[kind]:
        return False
    start, end = value.get("start", 0), value.get("end", 0)
    if type(start) is not int or type(end) is not int or (kind == "labels" and ("start" not in value
                                                                               or "end" not in value)):
        return False
    if kind == "textarea":
        return _strings(value.get("text"))
    if type(value.get("text", "")) is not str:
        return False
    if kind == "number":
        return type(value.get("number")) in (int, float)
    given = value.get(kind)
    if type(given) is not list or not given:
        return False
    if len(given) == 1:
        return type(given[0]) is str and (allowed is None or given[0] in allowed)
    return _strings(given) and (allowed is None or allowed.issuperset(given))


def _all_surely_valid(result: list, rules) -> bool:
    """Whether every region is ``_surely_valid`` (with a string or integer id) and every
    relation joins two of them with a valid direction: then the SDK finds nothing."""
    ids = set()
    relations = []
    for region in result:
        if type(region) is not dict:
            return False
        if region.get("type") == "relation":
            relations.append(region)
            continue
        region_id = region.get("id")
        if (type(region_id) is not str and type(region_id) is not int) or not _surely_valid(region, rules):
            return False
        ids.add(region_id)
    for relation in relations:
        if not ("direction" in relation and relation["direction"] in _DIRECTIONS and "from_id" in relation
                and "to_id" in relation and type(relation["from_id"]) in (str, int)
                and type(relation["to_id"]) in (str, int) and relation["from_id"] in ids and relation["to_id"] in ids):
            return False
    return True


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
    if _all_surely_valid(result, _fast_rules(interface)):
        return errors
    siblings: dict[Any, list[dict]] = {}
    for region in result:
        if isinstance(region, dict) and region.get("type") != "relation" and _hashable(region.get("id")):
            siblings.setdefault(region.get("id"), []).append(region)
    rules = _fast_rules(interface)
    # A region whose id another region shares with a type outside the fast rules (a
    # geometry partner, say) goes to the SDK, which validates the pair together.
    mixed = {key for key, group in siblings.items() if any(r.get("type") not in _VALUE_KEYS for r in group)}
    valid: dict[Any, list[dict]] = {}
    relations = []
    for index, region in enumerate(result):
        if not isinstance(region, dict):
            errors.append(f"Region must be a dictionary. Got {type(region)}: {region}")
            continue
        if region.get("type") == "relation":
            relations.append((index, region))
            continue
        if _hashable(region.get("id")) and region["id"] not in mixed and _surely_valid(region, rules):
            valid.setdefault(region["id"], []).append(region)
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
        if ("type" in relation and relation["direction"] in _DIRECTIONS if "direction" in relation else False) \
                and relation.get("type") == "relation" and _hashable(relation.get("from_id")) \
                and _hashable(relation.get("to_id")) and relation["from_id"] in valid and relation["to_id"] in valid:
            continue
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
    result = obj.get("result")
    if type(result) is list and obj.get("score") is None and _all_surely_valid(result, _remembered_rules(config)):
        return []  # what sdk_errors finds without the SDK itself
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


ALL_ANNOTATORS = "all"
GROUND_TRUTH_DROPPED = ("Label Studio keeps the flag an imported annotation carries, and `labelstudio tasks --gold` "
                        "and `push` set it only on the gold: mark the ground truth in Label Studio (the star), "
                        "or choose by --annotator")


def export_emails(path: str | Path, problems: list[Problem]) -> dict[str, str]:
    """user id -> e-mail, from every ``completed_by`` of the export given in the object form."""
    emails: dict[str, str] = {}
    for task in iter_tasks(path, problems):
        for annotation in task.get("annotations") or []:
            if isinstance(annotation, dict):
                completed_by = annotation.get("completed_by")
                email = annotator_email(completed_by)
                if email is not None:
                    emails.setdefault(annotator_key(completed_by) or email, email)
    return emails


def _task_problem(message: str, file: str, task: dict, document: str | None = None) -> Problem:
    data = task.get("data") if isinstance(task.get("data"), dict) else {}
    doc_id = document or (data.get("doc_id") if isinstance(data.get("doc_id"), str) else None)
    return Problem(message, file=file, document=doc_id, item=f"task {task.get('id')}")


def select_annotations(task: dict, file: str, problems: list[Problem], annotator: str | None = None,
                       ground_truth: bool = False, use_prediction: bool = False, model_version: str | None = None,
                       emails: Mapping[str, str] | None = None) -> list[dict]:
    """The annotations (or the prediction) of ``task`` to import; what is wrong goes to ``problems``.

    - ``use_prediction``: the first prediction (of ``model_version``);
    - ``annotator="all"``: every annotator's latest annotation, one each;
    - ``annotator`` (a user id or e-mail, in either ``completed_by`` form): theirs, the latest;
    - ``ground_truth``: the one annotation flagged ground truth (none, or two, is a problem);
    - nothing chosen: the task's annotation when one annotator made it; a task annotated by
      several people is a problem (choose one, or import them all), never reduced to one.

    Cancelled (skipped) annotations never count.
    """
    if use_prediction:
        chosen = choose_prediction(task, model_version)
        if chosen is None:
            problems.append(_task_problem("task has no usable prediction"
                                          + (f" of model version {model_version}" if model_version else ""), file, task))
        return [chosen] if chosen is not None else []
    if annotator == ALL_ANNOTATORS:
        chosen_list = list(latest_by_annotator(task).values())
    elif annotator is not None:
        chosen = choose_annotation(task, annotator, emails=emails)
        chosen_list = [chosen] if chosen is not None else []
    elif ground_truth:
        chosen_list = [a for a in usable_annotations(task) if a.get("ground_truth")]
        if len(chosen_list) > 1:
            ids = ", ".join(str(a.get("id")) for a in chosen_list)
            problems.append(_task_problem(f"task has {len(chosen_list)} ground-truth annotations ({ids}); "
                                          "keep one, or choose by --annotator", file, task))
            return []
        if not chosen_list:
            problems.append(_task_problem(f"task has no ground-truth annotation ({GROUND_TRUTH_DROPPED})", file, task))
            return []
    else:
        by_annotator = latest_by_annotator(task)
        if len(by_annotator) > 1:
            names = ", ".join(_annotator_label(a) for a in by_annotator.values())
            problems.append(_task_problem(
                f"task has annotations by {len(by_annotator)} annotators ({names}): choose one with --annotator "
                "ID_OR_EMAIL or --ground-truth, or write one file per annotator with --annotator all", file, task))
            return []
        chosen_list = list(by_annotator.values())
    if not chosen_list:
        problems.append(_task_problem("task has no usable annotation" + (f" by {annotator}" if annotator and
                                                                        annotator != ALL_ANNOTATORS else ""),
                                      file, task))
    return chosen_list


def _annotator_label(annotation: dict) -> str:
    completed_by = annotation.get("completed_by")
    email, key = annotator_email(completed_by), annotator_key(completed_by)
    return f"{key} <{email}>" if email and key != email else str(key)


def import_export(path: str | Path, problems: list[Problem], annotator: str | None = None,
                  ground_truth: bool = False, use_prediction: bool = False, model_version: str | None = None,
                  corpus: Mapping[str, Document] | None = None, check_with_sdk: bool = True,
                  schema: Schema | None = None) -> Iterator[Annotation]:
    """Canonical annotations of a Label Studio export, streamed task by task.

    Which annotations: see ``select_annotations`` (``annotator="all"`` yields one per
    annotator and task). Each carries its provenance (annotation or prediction id, task
    id, annotator, timestamps). Every problem goes to ``problems`` with task, annotation
    (or prediction) and region ids; annotations are checked with the gold rules,
    predictions with the prediction rules, and both with label-studio-sdk's validation
    against the labelling config. A task whose document id is in ``corpus`` must carry
    that document's text. Annotations are yielded even when problems were found: the
    caller decides (see ``write_import``).
    """
    file = str(path)
    schema = schema or load_schema()
    config = label_config(schema) if check_with_sdk else None
    kind = "prediction" if use_prediction else "annotation"
    emails = export_emails(path, []) if annotator and "@" in annotator else None
    seen: dict[tuple[str | None, str], Any] = {}
    for task in iter_tasks(path, problems):
        task_id = task.get("id")
        document = task_document(task, {"file": file, "task": task_id}, problems)
        if document is None:
            continue
        for chosen in select_annotations(task, file, problems, annotator, ground_truth, use_prediction,
                                         model_version, emails):
            annotation = from_labelstudio_annotation(task, chosen, document, {"file": file}, problems, schema,
                                                     use_prediction)
            where = {"file": file, "task": task_id, kind: chosen.get("id")}
            prefix = ", ".join(f"{k} {v}" for k, v in where.items() if k != "file" and v is not None)
            doc_id = annotation.doc_id
            if config is not None:
                problems.extend(sdk_problems(chosen, where, doc_id, config))
            found: list[Problem] = []
            validate_annotation(annotation, document, not use_prediction, found, schema=schema)
            problems.extend(_relocate(p, prefix, file) for p in found)
            known = corpus.get(doc_id) if corpus is not None else None
            if known is not None and known.text != document.text:
                problems.append(Problem("task text differs from the corpus text of this document", file=file,
                                        document=doc_id, item=f"task {task_id}", field="data.text"))
            who = annotation.provenance.annotator_id if annotation.provenance else None
            if (who, doc_id) in seen:
                whose = f" by annotator {who}" if annotator == ALL_ANNOTATORS else ""
                problems.append(Problem(f"document is given by two tasks{whose} (first task {seen[who, doc_id]})",
                                        file=file, document=doc_id, item=f"task {task_id}", field="data.doc_id"))
            seen[who, doc_id] = task_id
            yield annotation


def annotator_file_name(annotator_id: str | None) -> str:
    """The file of one annotator's set in an ``--annotator all`` import folder."""
    safe = re.sub(r"[^A-Za-z0-9._@+-]", "_", annotator_id or "unknown")
    return f"annotator-{safe}.jsonl"


def write_import(export: str | Path, out: str | Path, **options: Any) -> int:
    """Convert a Label Studio export to a SPEC JSONL file; return the number of documents.

    Annotations are written with text, metadata and provenance (the gold shape),
    predictions without text (the prediction shape), with provenance. Raises
    ``SubmissionError`` with every problem, and then leaves ``out`` untouched. With
    ``annotator="all"`` see ``write_import_all``.
    """
    if options.get("annotator") == ALL_ANNOTATORS:
        return sum(write_import_all(export, out, **options).values())
    problems: list[Problem] = []
    with JsonlWriter(out, with_document=not options.get("use_prediction")) as writer:
        for annotation in collector_paused(import_export(export, problems, **options)):
            writer.write(annotation)
        if problems:
            writer.discard()
    if problems:
        raise SubmissionError(problems)
    return writer.count


def write_import_all(export: str | Path, folder: str | Path, **options: Any) -> dict[str, int]:
    """One SPEC JSONL file per annotator in ``folder`` (``annotator-<user id>.jsonl``), and
    ``annotators.json`` naming each file's annotator (user id and e-mail) and its number
    of documents. One person is one set, whichever ``completed_by`` form the export
    used. Returns file name -> number of documents; with any problem, raises
    ``SubmissionError`` and writes nothing.
    """
    from contextlib import ExitStack

    options = {**options, "annotator": ALL_ANNOTATORS}
    folder = Path(folder)
    problems: list[Problem] = []
    writers: dict[str, JsonlWriter] = {}
    emails: dict[str, str] = {}
    keys: dict[str, str | None] = {}
    created = not folder.exists()
    try:
        with ExitStack() as stack:
            for annotation in collector_paused(import_export(export, problems, **options)):
                provenance = annotation.provenance
                key = provenance.annotator_id if provenance else None
                name = annotator_file_name(key)
                if name not in writers:
                    writers[name] = stack.enter_context(JsonlWriter(folder / name))
                    keys[name] = key
                if provenance and provenance.annotator and provenance.annotator != key:
                    emails.setdefault(name, provenance.annotator)
                writers[name].write(annotation)
            index = [{"file": name, "annotator_id": keys[name],
                      "email": emails.get(name), "documents": writer.count}
                     for name, writer in sorted(writers.items())]
            if problems:
                for writer in writers.values():
                    writer.discard()
            else:
                write_text_atomic(folder / "annotators.json", json.dumps(index, indent=1, ensure_ascii=False) + "\n")
    finally:
        if created:  # made here: removed again unless something landed in it
            try:
                folder.rmdir()  # only when empty
            except OSError:
                pass
    if problems:
        raise SubmissionError(problems)
    return {name: writer.count for name, writer in sorted(writers.items())}


# ---------------------------------------------------------------- canonical -> tasks

def gold_tasks(path: str | Path, problems: list[Problem], corpus: Mapping[str, Document] | None = None,
               ground_truth: bool = False) -> Iterator[dict]:
    """One import task per document of a gold file, its annotation under ``annotations``.

    The gold comes through the one gold reader (``benchmark.inputs.read.iter_gold``): line
    by line, each record checked with the gold rules as ``validate`` and ``evaluate`` check
    it (a file already known valid by its digest is not checked again); a document of
    ``corpus`` must also carry the corpus text.
    """
    schema = load_schema()
    for line, annotation in iter_gold(path, problems):
        known = corpus.get(annotation.doc_id) if corpus is not None else None
        if known is not None and known.text != annotation.document.text:
            problems.append(Problem("text differs from the corpus text of this document", str(path), line,
                                    annotation.doc_id, field="text"))
        yield to_labelstudio_task(annotation, annotation.document, schema=schema, ground_truth=ground_truth)


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
        for task in collector_paused(tasks):
            writer.write(task)
        if problems:
            writer.discard()
    if problems:
        raise SubmissionError(problems)
    return writer.count
