"""``iraq-attacks evaluate``, the library API and the EvalAI adapter on the shipped gold."""

from __future__ import annotations

import json

import pytest

import benchmark
from benchmark.cli import main
from benchmark.formats.conll import to_conll
from benchmark.leaderboard.evalai import evaluate as evalai_evaluate
from benchmark.formats.jsonl import write_annotations
from benchmark.model import Annotation
from benchmark.paths import GOLD_FILE
from benchmark.scoring.score import KEYS
from conftest import DOC_ID, write_lines


@pytest.fixture(scope="module")
def gold():
    return benchmark.load_gold()


def run_json(capsys, *argv) -> dict:
    assert main(["evaluate", *argv, "--format", "json", "--resamples", "50"]) == 0
    return json.loads(capsys.readouterr().out)


def test_gold_against_itself_is_perfect_on_every_key(capsys):
    result = run_json(capsys, "--pred", str(GOLD_FILE))
    # incident keys: after the SPEC 3 keys, without interval; incident.record needs --incidents
    # (tests/test_incidents.py)
    assert list(result) == [*KEYS, *(k for k in benchmark.INCIDENT_KEYS if k in result)]
    result.pop("incident.record", None)
    for key, entry in result.items():
        assert {"precision", "recall", "f1", "tp", "predicted", "gold"} <= set(entry)
        assert ("ci" in entry) != key.startswith("incident.")
        assert entry["f1"] == 1.0 and entry["tp"] == entry["gold"] > 0, key


def test_empty_predictions_have_zero_recall_and_list_missing_documents(tmp_path, capsys, gold):
    path = write_lines(tmp_path / "empty.jsonl", [])
    result = run_json(capsys, "--pred", str(path))
    assert all(entry["recall"] == 0.0 and entry["tp"] == 0 for entry in result.values())
    assert result["entity.strict"]["missing_documents"] == [a.doc_id for a in gold]


def test_three_bad_things_give_three_precise_messages_and_exit_2(tmp_path, capsys):
    bad = [{"id": "999_unknown", "entities": [], "events": []},
           {"id": DOC_ID, "entities": [{"start": 5, "end": 99999, "label": "ACTOR"},
                                       {"start": 0, "end": 4, "label": "ACTOR"}],
            "events": [{"type": "ATTACK", "trigger": {"start": 40, "end": 45},
                        "arguments": [{"role": "ATTACKER", "start": 1, "end": 3}]}]}]
    path = write_lines(tmp_path / "bad.jsonl", bad)
    assert main(["evaluate", "--pred", str(path)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.splitlines() == [
        f"{path}:1: document 999_unknown, field id: unknown document id '999_unknown': not in the benchmark corpus",
        f"{path}:2: document {DOC_ID}, item entity [5, 99999), field start/end: offset 99999 is past the end "
        "of the text (4112 code points)",
        f"{path}:2: document {DOC_ID}, item event [40, 45), field arguments[0]: argument [1, 3) coincides with no "
        "entity of this document; add the entity or fix the offsets",
        f"3 problems found in {path}"]


def test_iob2_predictions_score_like_their_spans(tmp_path, capsys, gold):
    documents = [a.document for a in gold]
    path = tmp_path / "pred.conll"
    path.write_text(to_conll(documents, gold), encoding="utf-8")
    result = run_json(capsys, "--pred", str(path))
    assert result["entity.strict"]["f1"] == 1.0 and result["trigger.classification"]["f1"] == 1.0
    assert result["argument.classification"]["predicted"] == 0


def test_errors_list_false_positives_and_negatives_in_context(tmp_path, capsys, gold):
    first = gold[0]
    dropped = Annotation(first.doc_id, first.entities[1:], ())
    path = tmp_path / "pred.jsonl"
    write_annotations(path, [dropped], with_document=False)
    assert main(["evaluate", "--pred", str(path), "--errors", "--resamples", "20"]) == 0
    out = capsys.readouterr().out
    missing = first.entities[0]
    shown = first.document.text[missing.span.start:missing.span.end]
    assert f"missed entity.strict gold [{missing.span.start}, {missing.span.end}) {missing.label}:" in out
    assert f"[{shown}]" in out and f"== {first.doc_id}" in out


def test_library_api_and_evalai_adapter_agree(tmp_path, gold):
    scores = benchmark.evaluate(gold, gold)
    assert all(scores[key].total.f1 == 1.0 for key in KEYS)
    path = tmp_path / "pred.jsonl"
    write_annotations(path, gold[:1], with_document=False)
    result = evalai_evaluate(str(GOLD_FILE), str(path), "test")
    metrics = result["result"][0]["test_split"]
    partial = benchmark.evaluate(gold, gold[:1])
    assert metrics["entity.strict F1"] == pytest.approx(100 * partial["entity.strict"].total.f1)
    assert result["submission_result"] == result["result"][0]
