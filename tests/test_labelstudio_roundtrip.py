"""Label Studio round trips, import problems, annotator choice and agreement.

Offsets are code points in Label Studio as here: the fixture has curly quotes and an
emoji (one code point, two UTF-16 units) before its spans.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from benchmark.report.agreement import export_agreement
from benchmark.cli import main
from benchmark.errors import Problem
from benchmark.formats.jsonl import read_annotations
from benchmark.labelstudio.convert import (from_labelstudio_results, from_labelstudio_task, label_config,
                                   to_labelstudio_results, to_labelstudio_task)
from benchmark.labelstudio.exchange import import_export, iter_tasks, sdk_problems
from benchmark.model import Provenance
from benchmark.paths import GOLD_FILE

FIXTURE = Path(__file__).parent / "fixtures" / "labelstudio_export_rich.json"
# The keys of a result that carry its meaning; Label Studio's UI bookkeeping ("origin",
# "readonly", "hidden") is not kept by the canonical model.
REGION_KEYS = ("id", "from_name", "to_name", "type", "value")
RELATION_KEYS = ("from_id", "to_id", "type", "direction", "labels", "id")


def export_tasks() -> list[dict]:
    return json.loads(FIXTURE.read_text(encoding="utf-8"))


def normalised(results: list[dict]) -> list[str]:
    """Each result as canonical JSON of its meaningful keys, sorted: order carries nothing."""
    out = []
    for result in results:
        keys = RELATION_KEYS if result.get("type") == "relation" else REGION_KEYS
        out.append(json.dumps({k: result[k] for k in keys if k in result}, sort_keys=True, ensure_ascii=False))
    return sorted(out)


def run(argv: list[str], capsys) -> tuple[int, list[str], list[str]]:
    code = main([str(a) for a in argv])
    captured = capsys.readouterr()
    return code, captured.out.splitlines(), captured.err.splitlines()


# ---------------------------------------------------------------- canonical -> LS -> canonical

def test_gold_to_labelstudio_and_back_is_the_identity():
    gold = read_annotations(GOLD_FILE)
    assert gold
    for as_prediction in (False, True):
        for annotation in gold:
            task = to_labelstudio_task(annotation, annotation.document, as_prediction=as_prediction,
                                       model_version="m" if as_prediction else None)
            problems: list[Problem] = []
            back = from_labelstudio_task(task, {}, problems, use_prediction=as_prediction)
            assert problems == []
            assert back == annotation
            assert back.entities == annotation.entities and back.events == annotation.events
            assert [e.attributes for e in back.entities] == [e.attributes for e in annotation.entities]
            assert [e.attributes for e in back.events] == [e.attributes for e in annotation.events]
            assert [e.id for e in back.entities] == [e.id for e in annotation.entities]
            assert [e.id for e in back.events] == [e.id for e in annotation.events]
            assert back.document.text == annotation.document.text
            assert back.document.meta == annotation.document.meta


def test_gold_tasks_pass_label_studio_sdk_validation():
    gold = read_annotations(GOLD_FILE)
    for annotation in gold:
        task = to_labelstudio_task(annotation, annotation.document)
        assert sdk_problems(task["annotations"][0], {}, annotation.doc_id, label_config()) == []


def test_provenance_survives_canonical_to_labelstudio_and_back():
    problems: list[Problem] = []
    annotations = list(import_export(FIXTURE, problems, ground_truth=True))
    assert problems == []
    for annotation in annotations:
        task = to_labelstudio_task(annotation, annotation.document)
        back = from_labelstudio_task(task, {}, problems)
        assert problems == []
        assert back == annotation
        assert back.provenance == annotation.provenance
        assert back.provenance == Provenance(source_id=annotation.provenance.source_id, annotator="ann@example.org",
                                             created_at=annotation.provenance.created_at,
                                             updated_at=annotation.provenance.updated_at,
                                             task_id=str(task["id"]), annotator_id="1")
        assert task["annotations"][0]["completed_by"] == {"id": 1, "email": "ann@example.org"}
        assert [e.provenance.source_id for e in back.entities] == [e.id for e in annotation.entities]


def test_cli_gold_tasks_then_import_is_the_identity(tmp_path, capsys):
    code, out, err = run(["labelstudio", "tasks", "--gold", "--out", tmp_path / "tasks.json"], capsys)
    assert (code, err) == (0, [])
    gold = read_annotations(GOLD_FILE)
    assert out == [f"wrote {len(gold)} task{'s' if len(gold) != 1 else ''} to {tmp_path / 'tasks.json'}"]
    tasks = json.loads((tmp_path / "tasks.json").read_text(encoding="utf-8"))
    assert [t["data"]["doc_id"] for t in tasks] == [a.doc_id for a in gold]
    code, out, err = run(["labelstudio", "import", tmp_path / "tasks.json", "--out", tmp_path / "back.jsonl"], capsys)
    assert (code, err) == (0, [])
    assert read_annotations(tmp_path / "back.jsonl") == gold
    assert (tmp_path / "back.jsonl").read_text(encoding="utf-8") == GOLD_FILE.read_text(encoding="utf-8")
    # the gold is flagged ground truth, as push flags it, so --ground-truth finds it too
    assert all(a["ground_truth"] for t in tasks for a in t["annotations"])
    code, out, err = run(["labelstudio", "import", tmp_path / "tasks.json", "--ground-truth",
                          "--out", tmp_path / "truth.jsonl"], capsys)
    assert (code, err) == (0, [])
    assert (tmp_path / "truth.jsonl").read_bytes() == (tmp_path / "back.jsonl").read_bytes()


# ---------------------------------------------------------------- LS export -> canonical -> LS

def test_export_to_canonical_and_back_keeps_every_result():
    tasks = export_tasks()
    compared = 0
    for task in tasks:
        document = from_labelstudio_task(task, {}, [], ground_truth=True).document
        for kind in ("annotations", "predictions"):
            for item in task.get(kind) or []:
                if item.get("was_cancelled"):
                    continue
                problems: list[Problem] = []
                annotation = from_labelstudio_results(item["result"], document, {"task": task["id"]}, problems)
                assert problems == []
                again = to_labelstudio_results(annotation, document.text)
                assert normalised(again) == normalised(item["result"])
                compared += 1
    assert compared == 5  # four annotations and one prediction; the cancelled one is skipped


def test_export_through_spec_jsonl_and_back_keeps_every_result(tmp_path, capsys):
    code, _, err = run(["labelstudio", "import", FIXTURE, "--ground-truth", "--out", tmp_path / "gt.jsonl"], capsys)
    assert (code, err) == (0, [])
    code, _, err = run(["labelstudio", "tasks", "--gold", tmp_path / "gt.jsonl", "--out", tmp_path / "t.json"], capsys)
    assert (code, err) == (0, [])
    written = json.loads((tmp_path / "t.json").read_text(encoding="utf-8"))
    original = export_tasks()
    assert len(written) == len(original)
    for task, source in zip(written, original):
        chosen = next(a for a in source["annotations"] if a["ground_truth"])
        assert task["data"] == source["data"]
        assert normalised(task["annotations"][0]["result"]) == normalised(chosen["result"])


def test_offsets_are_code_points_after_an_emoji_and_curly_quotes():
    problems: list[Problem] = []
    annotation = next(iter(import_export(FIXTURE, problems, ground_truth=True)))
    text = annotation.document.text
    assert text.startswith("\u201cBreaking\u201d \U0001F680")
    actor = next(e for e in annotation.entities if e.label == "ACTOR")
    assert (actor.span.start, actor.span.end) == (21, 37)
    assert text[actor.span.start:actor.span.end] == "Kataib Hezbollah"
    # the same region in UTF-16 code units would start one later (the emoji is a surrogate pair)
    assert len(text[:actor.span.start].encode("utf-16-le")) // 2 == 22


# ---------------------------------------------------------------- problems, each placed precisely

def _bad_export(tmp_path: Path, change) -> Path:
    tasks = export_tasks()
    annotation = tasks[0]["annotations"][0]
    assert annotation["id"] == 1001
    change(annotation["result"])
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")
    return path


def _region(results: list[dict], region_id: str, from_name: str = "entity") -> dict:
    return next(r for r in results if r.get("id") == region_id and r["from_name"] == from_name)


def _import_problems(tmp_path, capsys, path) -> list[str]:
    out = tmp_path / "out.jsonl"
    code, stdout, err = run(["labelstudio", "import", path, "--ground-truth", "--out", out], capsys)
    assert code == 2
    assert stdout == []
    assert not out.exists()
    return err


def test_dangling_relation_is_reported_with_task_annotation_and_region(tmp_path, capsys):
    def change(results):
        next(r for r in results if r.get("type") == "relation" and r["to_id"] == "kH7aP2xQ1z")["to_id"] = "ghost00001"

    path = _bad_export(tmp_path, change)
    err = _import_problems(tmp_path, capsys, path)
    head = f"{path}: document fixture_emoji_quotes, item task 101, annotation 1001"
    assert f"{head}, region ghost00001, field relation: dangling relation f1red00001 -> ghost00001: " \
           "region ghost00001 does not exist" in err
    assert f"{head}, relation f1red00001 -> ghost00001: label-studio-sdk: 'to_id' 'ghost00001' not found in regions" in err
    assert err[-1] == f"{len(err) - 1} problems found in {path}"


def test_region_text_mismatch_is_reported(tmp_path, capsys):
    def change(results):
        _region(results, "kH7aP2xQ1z")["value"]["text"] = "Kataib Hizbollah"

    path = _bad_export(tmp_path, change)
    err = _import_problems(tmp_path, capsys, path)
    assert (f"{path}: document fixture_emoji_quotes, item task 101, annotation 1001, region kH7aP2xQ1z, field text: "
            "region text 'Kataib Hizbollah' does not match text[21:37] = 'Kataib Hezbollah'") in err


def test_unknown_label_is_reported_by_us_and_by_the_sdk(tmp_path, capsys):
    def change(results):
        _region(results, "aSad00001b")["value"]["labels"] = ["PLACE_NAME"]

    path = _bad_export(tmp_path, change)
    err = _import_problems(tmp_path, capsys, path)
    head = f"{path}: document fixture_emoji_quotes, item task 101, annotation 1001, region aSad00001b"
    assert (f"{head}, field labels: entity region has labels ['PLACE_NAME']; expected exactly one of "
            "ACTOR, LOCATION, WEAPON, CASUALTY") in err
    assert any(line.startswith(f"{head}: label-studio-sdk: Invalid value for control 'entity'") for line in err)


def test_attribute_on_a_missing_region_is_reported(tmp_path, capsys):
    def change(results):
        stray = copy.deepcopy(_region(results, "kiLLed0001", "status"))
        stray["id"] = "nowhere001"
        results.append(stray)

    path = _bad_export(tmp_path, change)
    err = _import_problems(tmp_path, capsys, path)
    assert (f"{path}: document fixture_emoji_quotes, item task 101, annotation 1001, region nowhere001, "
            "field status: attribute 'status' is on region nowhere001, which does not exist") in err


def test_overlapping_spans_are_reported_by_the_gold_checks(tmp_path, capsys):
    def change(results):
        extra = copy.deepcopy(_region(results, "kH7aP2xQ1z"))
        extra["id"] = "ovl0000001"
        extra["value"].update(start=28, text="Hezbollah")
        results.append(extra)

    path = _bad_export(tmp_path, change)
    err = _import_problems(tmp_path, capsys, path)
    assert err == [f"{path}: document fixture_emoji_quotes, item task 101, annotation 1001, region kH7aP2xQ1z "
                   "(entity): overlaps entity ovl0000001 [28, 37); gold spans never overlap",
                   f"1 problem found in {path}"]


def test_every_problem_is_reported_at_once(tmp_path, capsys):
    def change(results):
        _region(results, "aSad00001b")["value"]["labels"] = ["PLACE_NAME"]
        _region(results, "kH7aP2xQ1z")["value"]["text"] = "Kataib Hizbollah"

    err = _import_problems(tmp_path, capsys, _bad_export(tmp_path, change))
    assert sum("region aSad00001b" in line for line in err) >= 2
    assert sum("region kH7aP2xQ1z" in line for line in err) >= 1


def test_malformed_and_non_array_exports_are_reported(tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text(FIXTURE.read_text(encoding="utf-8")[:-40], encoding="utf-8")
    problems: list[Problem] = []
    # read task by task: the tasks before the cut are yielded, then the problem (the caller fails)
    assert len(list(iter_tasks(broken, problems))) == len(export_tasks()) - 1
    assert [(p.message.split(":")[0], p.line is not None) for p in problems] == [("malformed JSON", True)]
    single = tmp_path / "single.json"
    single.write_text(json.dumps(export_tasks()[0]), encoding="utf-8")
    problems = []
    assert list(iter_tasks(single, problems)) == []
    assert problems[0].message.startswith("a Label Studio JSON export is a JSON array of tasks")


# ---------------------------------------------------------------- choosing an annotation

def _imported(tmp_path, capsys, *options) -> list[dict]:
    out = tmp_path / "chosen.jsonl"
    code, _, err = run(["labelstudio", "import", FIXTURE, "--out", out, *options], capsys)
    assert (code, err) == (0, [])
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]


def test_annotator_choice(tmp_path, capsys):
    by_email = _imported(tmp_path, capsys, "--annotator", "ann@example.org")
    by_user_id = _imported(tmp_path, capsys, "--annotator", "1")  # the object form's id
    ground_truth = _imported(tmp_path, capsys, "--ground-truth")
    by_id = _imported(tmp_path, capsys, "--annotator", "2")
    assert by_email == ground_truth == by_user_id
    assert [len(r["entities"]) for r in by_email] == [6, 2]
    assert [len(r["entities"]) for r in by_id] == [5, 1]
    roles = sorted(a["role"] for a in by_id[0]["events"][0]["arguments"])
    assert roles == ["ATTACKER", "INJURED", "INSTRUMENT", "KILLED", "PLACE"]
    assert [r["provenance"] for r in by_id] == [
        {"annotation_id": "1002", "annotator": "2", "annotator_id": "2", "task_id": "101",
         "created_at": "2024-01-03T11:00:00.000000Z", "updated_at": "2024-01-03T11:05:00.000000Z"},
        {"annotation_id": "1005", "annotator": "2", "annotator_id": "2", "task_id": "102",
         "created_at": "2024-01-03T13:00:00.000000Z", "updated_at": "2024-01-03T13:00:00.000000Z"}]
    assert [r["provenance"]["annotator"] for r in by_email] == ["ann@example.org"] * 2


def _mixed_forms(tmp_path) -> Path:
    """The fixture with annotator 1 given as an integer on task 102 and as an object on 101."""
    tasks = export_tasks()
    tasks[1]["annotations"][0]["completed_by"] = 1
    path = tmp_path / "mixed.json"
    path.write_text(json.dumps(tasks), encoding="utf-8")
    return path


def test_an_email_matches_both_completed_by_forms(tmp_path, capsys):
    mixed = _mixed_forms(tmp_path)
    out = tmp_path / "by-email.jsonl"
    code, _, err = run(["labelstudio", "import", mixed, "--annotator", "ANN@example.org", "--out", out], capsys)
    assert (code, err) == (0, [])
    assert [json.loads(line)["provenance"]["annotation_id"] for line in out.read_text().splitlines()] == \
           ["1001", "1004"]


def test_several_annotators_and_no_choice_is_an_error(tmp_path, capsys):
    out = tmp_path / "x.jsonl"
    code, _, err = run(["labelstudio", "import", FIXTURE, "--out", out], capsys)
    assert code == 2 and not out.exists()
    assert err[0] == (f"{FIXTURE}: document fixture_emoji_quotes, item task 101: task has annotations by 2 "
                      "annotators (1 <ann@example.org>, 2): choose one with --annotator ID_OR_EMAIL or --ground-truth, "
                      "or write one file per annotator with --annotator all")


def test_annotator_all_writes_one_set_per_annotator(tmp_path, capsys):
    mixed = _mixed_forms(tmp_path)
    out = tmp_path / "sets"
    code, lines, err = run(["labelstudio", "import", mixed, "--annotator", "all", "--out", out], capsys)
    assert (code, err) == (0, [])
    assert lines == [f"wrote 2 documents to {out / 'annotator-1.jsonl'}", f"wrote 2 documents to {out / 'annotator-2.jsonl'}"]
    index = json.loads((out / "annotators.json").read_text(encoding="utf-8"))
    assert index == [{"file": "annotator-1.jsonl", "annotator_id": "1", "email": "ann@example.org", "documents": 2},
                     {"file": "annotator-2.jsonl", "annotator_id": "2", "email": None, "documents": 2}]
    ones = read_annotations(out / "annotator-1.jsonl")
    assert [a.provenance.source_id for a in ones] == ["1001", "1004"]
    assert [a.provenance.annotator_id for a in ones] == ["1", "1"]
    # the provenance survives JSONL -> tasks -> JSONL
    code, _, err = run(["labelstudio", "tasks", "--gold", out / "annotator-2.jsonl", "--out", tmp_path / "t.json"],
                       capsys)
    assert (code, err) == (0, [])
    tasks = json.loads((tmp_path / "t.json").read_text(encoding="utf-8"))
    assert [(t["id"], t["annotations"][0]["id"], t["annotations"][0]["completed_by"]) for t in tasks] == \
           [(101, 1002, 2), (102, 1005, 2)]
    code, _, err = run(["labelstudio", "import", tmp_path / "t.json", "--out", tmp_path / "back.jsonl"], capsys)
    assert (code, err) == (0, [])
    assert (tmp_path / "back.jsonl").read_text() == (out / "annotator-2.jsonl").read_text()


def test_ground_truth_missing_is_explained(tmp_path, capsys):
    tasks = export_tasks()
    for task in tasks:
        for annotation in task["annotations"]:
            annotation["ground_truth"] = False
    path = tmp_path / "no-gt.json"
    path.write_text(json.dumps(tasks), encoding="utf-8")
    code, _, err = run(["labelstudio", "import", path, "--ground-truth", "--out", tmp_path / "x.jsonl"], capsys)
    assert code == 2
    assert "task has no ground-truth annotation (Label Studio keeps the flag an imported annotation carries" in err[0]


def test_cancelled_annotations_are_ignored(tmp_path, capsys):
    # annotator 3's annotation of task 101 is the most recent, but cancelled
    every = tmp_path / "every"
    code, _, err = run(["labelstudio", "import", FIXTURE, "--annotator", "all", "--out", every], capsys)
    assert (code, err) == (0, [])
    assert sorted(p.name for p in every.glob("*.jsonl")) == ["annotator-1.jsonl", "annotator-2.jsonl"]
    code, _, err = run(["labelstudio", "import", FIXTURE, "--annotator", "3", "--out", tmp_path / "x.jsonl"], capsys)
    assert code == 2
    assert err[0] == f"{FIXTURE}: document fixture_emoji_quotes, item task 101: task has no usable annotation by 3"


def test_predictions_import_without_text(tmp_path):
    problems: list[Problem] = []
    predicted = list(import_export(FIXTURE, problems, use_prediction=True))
    assert [p.message for p in problems] == ["task has no usable prediction"]
    assert problems[0].item == "task 102"
    assert predicted[0].provenance.annotator == "baseline-0.1"
    assert [e.attrs for e in predicted[0].entities] == [{}, {"weapon_class": "missile"}]


# ---------------------------------------------------------------- predictions as pre-annotations

def test_prediction_tasks_round_trip(tmp_path, capsys, corpus):
    gold = read_annotations(GOLD_FILE)
    pred = tmp_path / "pred.jsonl"
    pred.write_text("".join(json.dumps({"id": a.doc_id, "entities": [
        {"start": e.span.start, "end": e.span.end, "label": e.label, "attributes": e.attrs} for e in a.entities],
        "events": [{"type": ev.event_type, "trigger": {"start": ev.trigger.start, "end": ev.trigger.end},
                    "arguments": [{"role": r.role, "start": r.span.start, "end": r.span.end} for r in ev.arguments],
                    "attributes": ev.attrs} for ev in a.events]}) + "\n" for a in gold[:1]), encoding="utf-8")
    tasks_file = tmp_path / "tasks.json"
    code, out, err = run(["labelstudio", "tasks", "--pred", pred, "--model-version", "v1", "--score", "0.5",
                          "--out", tasks_file], capsys)
    assert (code, err) == (0, [])
    tasks = json.loads(tasks_file.read_text(encoding="utf-8"))
    assert sorted(t["data"]["doc_id"] for t in tasks) == sorted(corpus)  # one task per document
    for task in tasks:
        assert "annotations" not in task
        [prediction] = task["predictions"]
        assert (prediction["model_version"], prediction["score"]) == ("v1", 0.5)
        assert sdk_problems(prediction, {}, None) == []
    code, _, err = run(["labelstudio", "import", tasks_file, "--predictions", "--out", tmp_path / "back.jsonl"], capsys)
    assert (code, err) == (0, [])
    back = {a.doc_id: a for a in read_annotations(tmp_path / "back.jsonl")}
    assert back[gold[0].doc_id] == gold[0]
    assert all(back[d].entities == () and back[d].events == () for d in corpus if d != gold[0].doc_id)


def test_invalid_predictions_write_no_tasks(tmp_path, capsys):
    pred = tmp_path / "pred.jsonl"
    doc_id = read_annotations(GOLD_FILE)[0].doc_id
    pred.write_text(json.dumps({"id": doc_id, "entities": [{"start": 0, "end": 4, "label": "PLACE"}]}) + "\n",
                    encoding="utf-8")
    out = tmp_path / "tasks.json"
    code, stdout, err = run(["labelstudio", "tasks", "--pred", pred, "--model-version", "v1", "--out", out], capsys)
    assert code == 2 and stdout == [] and not out.exists()
    assert err[0] == (f"{pred}:1: document {doc_id}, item entity [0, 4), field label: unknown label 'PLACE' "
                      "(allowed: ACTOR, LOCATION, WEAPON, CASUALTY)")
    code, _, err = run(["labelstudio", "tasks", "--pred", pred, "--out", out], capsys)
    assert code == 2 and err[0] == "--pred needs --model-version: Label Studio shows it with each pre-annotation"


# ---------------------------------------------------------------- agreement

def test_pairwise_agreement_worked_by_hand():
    [pair] = export_agreement(FIXTURE)  # annotator 3's only annotation is cancelled
    assert (pair.a, pair.b, pair.doc_ids) == ("2", "ann@example.org", ("fixture_emoji_quotes", "fixture_plain"))
    strict = pair.scores["entity.strict"].total
    assert (strict.tp, strict.gold, strict.predicted) == (6, 6, 8)
    assert strict.f1 == pytest.approx(12 / 14)
    triggers = pair.scores["trigger.classification"].total
    assert triggers.f1 == pytest.approx(4 / 5)
    arguments = pair.scores["argument.classification"]
    assert arguments.total.f1 == pytest.approx(10 / 14)
    assert arguments.groups["TARGET"].f1 == 0 and arguments.groups["ATTACKER"].f1 == 1
    assert pair.scores["entity.strict"].groups["LOCATION"].f1 == pytest.approx(0.5)


def test_agreement_treats_one_person_as_one_across_completed_by_forms(tmp_path):
    pairs = export_agreement(_mixed_forms(tmp_path))
    assert [(p.a, p.b, p.doc_ids) for p in pairs] == [("2", "ann@example.org",
                                                      ("fixture_emoji_quotes", "fixture_plain"))]
    [pair] = export_agreement(FIXTURE)
    assert pairs[0].scores["entity.strict"].total == pair.scores["entity.strict"].total


def test_agreement_cli(tmp_path, capsys):
    code, out, err = run(["agreement", FIXTURE, "--json", tmp_path / "a.json"], capsys)
    assert (code, err) == (0, [])
    assert out[0] == "2 vs ann@example.org: 2 documents"
    assert out[2].split() == ["entity.strict", "0.857", "6", "8", "ACTOR", "1.000,", "LOCATION", "0.500,", "WEAPON",
                              "1.000,", "CASUALTY", "1.000"]
    [pair] = json.loads((tmp_path / "a.json").read_text(encoding="utf-8"))
    assert pair["scores"]["trigger.classification"]["f1"] == pytest.approx(0.8)


# ---------------------------------------------------------------- our linear SDK validation loop

def _variants() -> list[dict]:
    """Annotations and predictions of the fixture, and broken copies of each kind."""
    tasks = export_tasks()
    objects = [o for t in tasks for o in [*t["annotations"], *t["predictions"]]]
    base = tasks[0]["annotations"][0]

    def broken(change) -> dict:
        obj = copy.deepcopy(base)
        change(obj)
        return obj

    objects += [
        broken(lambda o: _region(o["result"], "aSad00001b")["value"].update(labels=["PLACE_NAME"])),
        broken(lambda o: _region(o["result"], "kiLLed0001", "status")["value"].update(choices=["dead"])),
        broken(lambda o: _region(o["result"], "kiLLed0001", "count")["value"].pop("number")),
        broken(lambda o: _region(o["result"], "kH7aP2xQ1z")["value"].pop("end")),
        broken(lambda o: _region(o["result"], "kH7aP2xQ1z").update(from_name="nowhere")),
        broken(lambda o: o["result"].append({"from_id": "f1red00001", "to_id": "ghost", "type": "relation",
                                             "direction": "sideways", "labels": ["TARGET"]})),
        broken(lambda o: o["result"].append({"from_id": "f1red00001", "type": "relation", "labels": ["TARGET"]})),
        broken(lambda o: o["result"].append("not a region")),
        broken(lambda o: o.update(score=1.5)),
        broken(lambda o: o.update(score="high")),
        broken(lambda o: o.update(result={"not": "a list"})),
        broken(lambda o: o.pop("result")),
        # shapes the fast path leaves to the SDK: each must get the SDK's own answer
        broken(lambda o: _region(o["result"], "kH7aP2xQ1z")["value"].update(extra=1)),
        broken(lambda o: _region(o["result"], "kH7aP2xQ1z")["value"].update(start=1.0)),
        broken(lambda o: _region(o["result"], "kH7aP2xQ1z")["value"].update(start="1")),
        broken(lambda o: _region(o["result"], "kH7aP2xQ1z")["value"].update(labels=[])),
        broken(lambda o: _region(o["result"], "kH7aP2xQ1z")["value"].update(text=None)),
        broken(lambda o: _region(o["result"], "kH7aP2xQ1z").update(type="Labels")),
        broken(lambda o: _region(o["result"], "kH7aP2xQ1z").update(to_name="image")),
        broken(lambda o: _region(o["result"], "kiLLed0001", "count")["value"].update(number="3")),
        broken(lambda o: _region(o["result"], "kiLLed0001", "count")["value"].update(number=True)),
        broken(lambda o: _region(o["result"], "kiLLed0001", "status")["value"].update(choices="killed")),
        broken(lambda o: o["result"].append({"id": "kH7aP2xQ1z", "from_name": "entity", "to_name": "text",
                                             "type": "rectangle", "value": {"x": 1, "y": 1, "width": 2,
                                                                            "height": 2}})),
        broken(lambda o: o["result"].append({"from_id": "f1red00001", "to_id": "kH7aP2xQ1z", "type": "relation",
                                             "direction": ["right"], "labels": ["TARGET"]})),
    ]
    return objects


def test_sdk_errors_equal_label_studio_sdk_validate_prediction():
    from label_studio_sdk.label_interface import LabelInterface

    from benchmark.labelstudio.exchange import sdk_errors

    interface = LabelInterface(label_config())
    variants = _variants()
    for obj in variants:
        assert sdk_errors(interface, obj) == interface.validate_prediction(obj, return_errors=True)
    assert sum(bool(interface.validate_prediction(o, return_errors=True)) for o in variants) == 16


def test_remembered_sdk_rules_are_the_sdks_and_give_its_answers(tmp_path, monkeypatch):
    from label_studio_sdk.label_interface import LabelInterface

    from benchmark.labelstudio import exchange

    monkeypatch.setenv("IRAQ_ATTACKS_CACHE", str(tmp_path))
    config = label_config()
    fresh = exchange._fast_rules(LabelInterface(config))
    for _ in range(2):  # computed and stored, then read back
        exchange._remembered_rules.cache_clear()
        assert exchange._remembered_rules(config) == fresh
    assert len(list((tmp_path / "labelstudio-rules").iterdir())) == 1
    interface = LabelInterface(config)
    for obj in _variants():  # the quick answer (no error) only where the SDK finds none
        found = exchange.sdk_problems(obj, {"file": "f"}, "d", config)
        assert bool(found) == bool(interface.validate_prediction(obj, return_errors=True))
    exchange._remembered_rules.cache_clear()


# ---------------------------------------------------------------- push / pull without a server

def test_push_and_pull_need_a_server_and_say_so(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("LABEL_STUDIO_URL", raising=False)
    monkeypatch.delenv("LABEL_STUDIO_API_KEY", raising=False)
    code, out, err = run(["labelstudio", "push", "--project", "p"], capsys)
    assert (code, err) == (2, ["no Label Studio --url or LABEL_STUDIO_URL and --api-key or LABEL_STUDIO_API_KEY given",
                               "1 problem found in labelstudio"])
    code, out, err = run(["labelstudio", "pull", "--project", "p", "--url", "http://127.0.0.1:9", "--api-key", "k",
                          "--out", tmp_path / "x.jsonl"], capsys)
    assert code == 2 and err[0].startswith("Label Studio at http://127.0.0.1:9: ")
    assert not (tmp_path / "x.jsonl").exists()


def test_a_prediction_may_name_its_incident_keys_freely():
    # SPEC section 2: the key pattern binds gold only; a system's keys are its own.
    from msgspec.structs import replace

    from benchmark.labelstudio.convert import from_labelstudio_export

    gold = read_annotations(GOLD_FILE)[0]
    free = replace(gold, events=tuple(replace(e, attributes=(("incident", "my key 7"),)) for e in gold.events))
    assert free.events
    task = to_labelstudio_task(free, gold.document, as_prediction=True, model_version="m")
    problems: list[Problem] = []
    [back] = from_labelstudio_export([task], problems, use_prediction=True)
    assert problems == [] and {e.attrs["incident"] for e in back.events} == {"my key 7"}
    as_gold = copy.deepcopy(task)
    as_gold["annotations"] = [{"id": 1, "result": as_gold.pop("predictions")[0]["result"]}]
    from_labelstudio_export([as_gold], problems)
    assert any("does not match the pattern" in p.message for p in problems)


def test_a_failed_import_of_every_annotator_leaves_no_folder_behind(tmp_path, capsys):
    tasks = json.loads(FIXTURE.read_text(encoding="utf-8"))
    tasks[0]["annotations"][0]["result"][0]["value"]["start"] = -5  # a problem
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(tasks), encoding="utf-8")
    code, _, err = run(["labelstudio", "import", bad, "--annotator", "all", "--out", tmp_path / "every"], capsys)
    assert code == 2 and err
    assert not (tmp_path / "every").exists()
    kept = tmp_path / "kept"
    kept.mkdir()
    (kept / "mine.txt").write_text("x")
    assert run(["labelstudio", "import", bad, "--annotator", "all", "--out", kept], capsys)[0] == 2
    assert sorted(p.name for p in kept.iterdir()) == ["mine.txt"]


def test_jsonl_lines_are_json_dumps_bytes():
    """SPEC JSON Lines are written as ``json.dumps(record, ensure_ascii=False)`` writes them,
    in UTF-8; a float (only metadata holds one) in another notation of the same number."""
    from benchmark.formats.jsonl import jsonl_line

    text = "A “quoted” 🙂 line\nwith\ttabs, \\ and \" and \x1f\x7f\u2028"
    records = [
        {"id": "d1", "text": text, "metadata": {"source": "x", "n": [1, {"k": None}], "flag": True},
         "entities": [{"id": "T1", "start": 0, "end": 1, "label": "PER", "attributes": {}}], "events": []},
        {"id": "d4", "metadata": {}, "provenance": {"annotator": "a@b.c", "task_id": "7"}, "entities": [],
         "events": [{"id": "E1", "type": "ATTACK", "trigger": {"start": 2, "end": 3}, "arguments": [],
                     "attributes": {"incident": "inc-1", "count": 3}}]},
    ]
    for record in records:
        assert jsonl_line(record) == (json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8")
    floats = {"id": "d2", "metadata": {"score": 1e-05, "nested": {"f": [0.5, 1e16, -0.0]}}, "entities": []}
    line = jsonl_line(floats)
    assert line.endswith(b"\n") and line.count(b"\n") == 1 and json.loads(line) == floats


def test_gold_tasks_read_the_gold_through_the_one_gold_reader(tmp_path, monkeypatch):
    # labelstudio tasks --gold checks a gold file as validate and evaluate do: once per digest.
    import benchmark.inputs.read as read
    from benchmark.labelstudio.exchange import gold_tasks

    monkeypatch.setenv("IRAQ_ATTACKS_CACHE", str(tmp_path / "cache"))
    problems: list[Problem] = []
    assert len(list(gold_tasks(GOLD_FILE, problems))) == 5 and problems == []   # checked, digest remembered
    monkeypatch.setattr(read, "validate_annotation", lambda *a, **k: pytest.fail("checked twice"))
    assert len(list(gold_tasks(GOLD_FILE, problems))) == 5 and problems == []   # known: not checked again
    twice = tmp_path / "twice.jsonl"
    first = GOLD_FILE.read_text(encoding="utf-8").splitlines(keepends=True)[0]
    twice.write_text(first + first, encoding="utf-8")
    monkeypatch.undo()
    monkeypatch.setenv("IRAQ_ATTACKS_CACHE", str(tmp_path / "cache"))
    assert len(list(gold_tasks(twice, problems))) == 1
    assert [(p.line, p.message) for p in problems] == [(2, "document given twice (first on line 1)")]
