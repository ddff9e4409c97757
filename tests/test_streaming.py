"""``evaluate`` reads SPEC JSON Lines predictions alongside the gold, a document at a time.

The streamed path (``evaluate_inputs``, ``paired_predictions``, ``scores_of``) must give
exactly what reading both files whole and scoring them gives (``read_gold``,
``read_predictions``, ``score``), in any order of the predictions, with documents
missing, and reject the same files with the same problems.
"""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings, strategies as st

from benchmark.errors import SubmissionError
from benchmark.formats.jsonl import format_jsonl, read_annotations
from benchmark.inputs.read import paired_predictions, read_gold, read_predictions, validate_input
from benchmark.model import Annotation
from benchmark.paths import GOLD_FILE, ROOT
from benchmark.schema import load_schema
from benchmark.scoring.evaluate import evaluate_inputs
from benchmark.scoring.score import score

GOLD = read_annotations(GOLD_FILE)
SYSTEM = read_annotations(ROOT / "leaderboard" / "submissions" / "rules" / "predictions.jsonl")


def _write(path, annotations) -> str:
    path.write_text(format_jsonl(annotations, with_document=False), encoding="utf-8")
    return str(path)


@settings(max_examples=30, deadline=None)
@given(order=st.permutations(range(len(SYSTEM))), kept=st.lists(st.booleans(), min_size=len(SYSTEM),
                                                                 max_size=len(SYSTEM)))
def test_streamed_scores_equal_whole_file_scores(tmp_path_factory, order, kept):
    pred = [SYSTEM[i] for i in order if kept[i]]
    path = _write(tmp_path_factory.mktemp("pred") / "pred.jsonl", pred)
    streamed, gold_kept, kept_pred = evaluate_inputs(path, keep=False)
    whole = score(read_gold(), read_predictions(path, read_gold()), load_schema())
    assert gold_kept == [] and kept_pred.annotations == ()
    assert streamed.doc_ids == whole.doc_ids and streamed.missing == whole.missing
    for key, result in whole.items():
        assert streamed[key].total == result.total and dict(streamed[key].groups) == dict(result.groups), key
        assert list(streamed[key].by_doc.items()) == list(result.by_doc.items()), key
        assert streamed[key].group_by_doc == result.group_by_doc, key


def test_kept_annotations_are_the_inputs_in_gold_order(tmp_path):
    pred = list(reversed(SYSTEM[1:]))
    _, gold, kept = evaluate_inputs(_write(tmp_path / "pred.jsonl", pred), keep=True)
    assert gold == GOLD and list(kept.annotations) == [a for a in SYSTEM[1:]]


def test_in_order_predictions_are_read_one_document_ahead_at_most():
    consumed = {"gold": 0, "pred": 0}

    def counted(name, annotations):
        for n, annotation in enumerate(annotations, 1):
            consumed[name] += 1
            yield n, annotation

    problems = []
    pairs = paired_predictions(counted("gold", GOLD), counted("pred", SYSTEM), "pred", problems)
    for n, (gold, pred) in enumerate(pairs, 1):
        assert gold.doc_id == pred.doc_id
        assert consumed == {"gold": n, "pred": n}
    assert problems == []


def test_pairs_come_in_gold_order_with_missing_documents_in_place():
    problems = []
    pred = [SYSTEM[3], SYSTEM[0]]
    pairs = list(paired_predictions(enumerate(GOLD, 1), enumerate(pred, 1), "pred", problems))
    assert [g.doc_id for g, _ in pairs] == [a.doc_id for a in GOLD]
    assert [p is not None and p.doc_id for _, p in pairs] == [GOLD[0].doc_id, False, False, GOLD[3].doc_id, False]
    assert problems == []


BAD = [
    lambda pred: pred + [pred[0]],                                           # a document twice
    lambda pred: pred + [Annotation("no-such-document")],                    # not in the gold
    lambda pred: [Annotation(pred[0].doc_id, entities=tuple(e.__class__(e.span, "NOT_A_LABEL")
                                                           for e in pred[0].entities))] + pred[1:],
]


@pytest.mark.parametrize("make", BAD)
def test_streamed_evaluate_rejects_what_the_whole_file_reader_rejects(tmp_path, make):
    pred = make(list(SYSTEM))
    random.Random(3).shuffle(pred)
    path = _write(tmp_path / "pred.jsonl", pred)
    with pytest.raises(SubmissionError) as streamed:
        evaluate_inputs(path, keep=False)
    with pytest.raises(SubmissionError) as whole:
        read_predictions(path, read_gold())
    assert list(streamed.value.problems) == list(whole.value.problems)
    assert validate_input(path, {a.doc_id: a.document for a in GOLD}, kind="pred") == list(whole.value.problems)


def test_streamed_gold_problems_come_first(tmp_path):
    gold = tmp_path / "gold.jsonl"
    gold.write_text(format_jsonl(GOLD + GOLD[:1]), encoding="utf-8")  # a document twice
    pred = _write(tmp_path / "pred.jsonl", SYSTEM + [Annotation("no-such-document")])
    with pytest.raises(SubmissionError) as caught:
        evaluate_inputs(pred, gold, keep=False)
    assert [p.file for p in caught.value.problems] == [str(gold)]
    assert "given twice" in caught.value.problems[0].message


def test_gold_and_predictions_cannot_both_be_standard_input():
    with pytest.raises(SubmissionError, match="both be standard input"):
        evaluate_inputs("-", "-", keep=False)


def test_gold_problems_come_before_an_unreadable_prediction_file(tmp_path):
    gold = tmp_path / "gold.jsonl"
    gold.write_text(format_jsonl(GOLD + GOLD[:1]), encoding="utf-8")  # a document twice
    with pytest.raises(SubmissionError) as caught:
        evaluate_inputs(tmp_path / "no-such-file.jsonl", gold, keep=False)
    assert [p.file for p in caught.value.problems] == [str(gold)]


def test_a_gold_file_that_changes_while_it_is_read_is_a_problem(tmp_path, monkeypatch):
    import benchmark.inputs.read as read

    monkeypatch.setenv("IRAQ_ATTACKS_CACHE", str(tmp_path / "cache"))
    gold = tmp_path / "gold.jsonl"
    gold.write_bytes(GOLD_FILE.read_bytes())
    read.read_gold(gold)  # validated and remembered
    reads = []
    original = read.read_input_chunks

    def swapped(path, *args):
        reads.append(path)
        if len(reads) == 2:  # the second read, after the digest was taken: other bytes
            gold.write_bytes(GOLD_FILE.read_bytes().replace(b'"start": 0', b'"start": 1', 1) + b"\n")
        return original(path, *args)

    monkeypatch.setattr(read, "read_input_chunks", swapped)
    with pytest.raises(SubmissionError, match="changed while it was read"):
        read.read_gold(gold)


def test_gold_and_predictions_from_one_stream_under_two_names(tmp_path):
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "benchmark", "evaluate", "--gold", "/dev/stdin", "--pred", "-",
                           "--resamples", "0", "--format", "json"], input=GOLD_FILE.read_bytes(),
                          capture_output=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr.decode()
    assert done.stderr.decode().count("is missing: scored as predicting nothing") == len(GOLD)
