"""Reports people read: ``evaluate --by``, ``--errors`` (nervaluate's classes) and ``compare``.

The small case (``tests/fixtures/small``) is worked out by hand. Gold, two documents:
d1 "Militants fired rockets at Erbil airport." with ACTOR Militants, WEAPON rockets,
LOCATION Erbil airport and an ATTACK (fired) with ATTACKER, INSTRUMENT and TARGET;
d2 "A drone hit Ain al-Asad base." with WEAPON drone, LOCATION Ain al-Asad base and an
ATTACK (hit) with INSTRUMENT and TARGET. Predictions: d1 ACTOR Militants (correct),
LOCATION rockets (incorrect label), LOCATION airport (partial boundary), trigger fired
with ATTACKER Militants and TARGET airport; d2 ACTOR A (spurious), WEAPON drone, trigger
drone (spurious; hit is missed) with INSTRUMENT drone.

entity.strict: tp 2 of 5 predicted and 5 gold, 40.0. Per label: ACTOR 1/2/1 (50.0,
100.0, 66.7), LOCATION 0/2/2, WEAPON 1/1/2 (100.0, 50.0, 66.7); macro F1 (66.7 + 0 +
66.7) / 3 = 44.4. With two documents a resample is {d1, d1}, {d1, d2} or {d2, d2}, each
drawn far more often than 2.5% of the time, so a 95% interval runs from the least to the
greatest of the three values: micro 2/6/6 = 33.3 to 2/4/4 = 50.0.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmark.cli import main
from benchmark.inputs.read import read_gold, read_predictions
from benchmark.model import Annotation
from benchmark.report.stats import attribute_values
from benchmark.report.tables import format_p
from benchmark.scoring.analysis import ERROR_KEYS, find_errors
from benchmark.scoring.bootstrap import compare_systems, paired_bootstrap, resample_weights
from benchmark.scoring.score import score

SMALL = Path(__file__).parent / "fixtures" / "small"
GOLD, PRED = SMALL / "gold.jsonl", SMALL / "pred.jsonl"


def run(capsys, *argv) -> list[str]:
    assert main(list(argv)) == 0
    return capsys.readouterr().out.splitlines()


def after(lines: list[str], first: str) -> list[str]:
    return lines[lines.index(first):]


def test_by_label_prints_seqeval_style_rows(capsys):
    lines = run(capsys, "evaluate", "--gold", str(GOLD), "--pred", str(PRED), "--by", "label",
                "--key", "entity.strict")
    assert lines[2] == "entity.strict            40.0  40.0  40.0  33.3-50.0    2          5     5"
    assert after(lines, "entity.strict by label") == [
        "entity.strict by label",
        "label          P      R    F1  F1 95% CI  tp  predicted  gold",
        "---------  -----  -----  ----  ---------  --  ---------  ----",
        "ACTOR       50.0  100.0  66.7  0.0-100.0   1          2     1",
        "LOCATION     0.0    0.0   0.0    0.0-0.0   0          2     2",
        "WEAPON     100.0   50.0  66.7  0.0-100.0   1          1     2",
        "micro avg   40.0   40.0  40.0  33.3-50.0   2          5     5",
        "macro avg   50.0   50.0  44.4",
    ]


def test_by_role_and_by_document(capsys):
    lines = run(capsys, "evaluate", "--gold", str(GOLD), "--pred", str(PRED), "--by", "role",
                "--key", "argument.classification")
    # gold roles: ATTACKER 1, INSTRUMENT 2, TARGET 2; predicted: ATTACKER 1 (right), INSTRUMENT 1 (right,
    # the argument drone of d2's predicted event), TARGET 1 (airport: wrong boundaries). ATTACKER's
    # interval reaches 0: {d2, d2} has no ATTACKER on either side, and 0/0 counts as 0.
    assert after(lines, "argument.classification by role")[3:8] == [
        "ATTACKER    100.0  100.0  100.0  0.0-100.0   1          1     1",
        "INSTRUMENT  100.0   50.0   66.7  0.0-100.0   1          1     2",
        "TARGET        0.0    0.0    0.0    0.0-0.0   0          1     2",
        "micro avg    66.7   40.0   50.0  40.0-66.7   2          3     5",
        "macro avg    66.7   50.0   55.6",
    ]
    lines = run(capsys, "evaluate", "--gold", str(GOLD), "--pred", str(PRED), "--by", "document",
                "--key", "entity.strict", "--format", "markdown")
    assert after(lines, "#### `entity.strict` by document") == [
        "#### `entity.strict` by document", "",
        "| document | P | R | F1 | F1 95% CI | tp | predicted | gold |",
        "|---|---|---|---|---|---|---|---|",
        "| d1 | 33.3 | 33.3 | 33.3 |  | 1 | 3 | 3 |",
        "| d2 | 50.0 | 50.0 | 50.0 |  | 1 | 2 | 2 |",
        "| micro avg | 40.0 | 40.0 | 40.0 | 33.3-50.0 | 2 | 5 | 5 |",
        "| macro avg | 41.7 | 41.7 | 41.7 |  |  |  |  |",
    ]


def test_errors_are_classified_as_nervaluate_does(capsys):
    lines = run(capsys, "evaluate", "--gold", str(GOLD), "--pred", str(PRED), "--errors", "--resamples", "10")
    assert after(lines, "errors (classified as nervaluate does)") == [
        "errors (classified as nervaluate does)",
        "key                     correct  incorrect  partial  missed  spurious",
        "----------------------  -------  ---------  -------  ------  --------",
        "entity.strict                 2          1        1       1         1",
        "casualty                      0          0        0       0         0",
        "trigger.classification        1          0        0       1         1",
        "argument.attached             1          1        1       2         0",
        "== d1",
        "incorrect entity.strict gold [16, 23) WEAPON; pred [16, 23) LOCATION: ...Militants fired [rockets] at Erbil "
        "airport....",
        'partial entity.strict gold [27, 40) LOCATION; pred [33, 40) LOCATION "airport": ...Militants fired rockets '
        "at [Erbil airport]....",
        "missed argument.attached gold [16, 23) INSTRUMENT of ATTACK [10, 15): ...Militants fired [rockets] at Erbil "
        "airport....",
        "partial argument.attached gold [27, 40) TARGET of ATTACK [10, 15); pred [33, 40) TARGET of ATTACK [10, 15) "
        '"airport": ...Militants fired rockets at [Erbil airport]....',
        "== d2",
        "spurious entity.strict pred [0, 1) ACTOR: ...[A] drone hit Ain al-Asad base....",
        "missed entity.strict gold [12, 28) LOCATION: ...A drone hit [Ain al-Asad base]....",
        "spurious trigger.classification pred [2, 7) ATTACK: ...A [drone] hit Ain al-Asad base....",
        "missed trigger.classification gold [8, 11) ATTACK: ...A drone [hit] Ain al-Asad base....",
        "incorrect argument.attached gold [2, 7) INSTRUMENT of ATTACK [8, 11); pred [2, 7) INSTRUMENT of ATTACK "
        "[2, 7): ...A [drone] hit Ain al-Asad base....",
        "missed argument.attached gold [12, 28) TARGET of ATTACK [8, 11): ...A drone hit [Ain al-Asad base]....",
    ]


def test_errors_in_markdown_are_markdown(capsys):
    lines = run(capsys, "evaluate", "--gold", str(GOLD), "--pred", str(PRED), "--errors", "--format", "markdown",
                "--resamples", "10")
    listing = after(lines, "### Errors")
    assert listing[4:7] == ["| key | correct | incorrect | partial | missed | spurious |",
                            "|---|---|---|---|---|---|",
                            "| entity.strict | 2 | 1 | 1 | 1 | 1 |"]
    assert after(listing, "#### d2")[:5] == [
        "#### d2", "", "| class | key | gold | predicted | context |", "|---|---|---|---|---|",
        "| spurious | `entity.strict` |  | [0, 1) ACTOR | ...[A] drone hit Ain al-Asad base.... |"]
    assert not any(line.startswith("==") for line in lines)


def test_error_classes_add_up_to_the_scores_counts(corpus):
    """correct = tp; correct + incorrect + partial + missed = gold; ... + spurious = predicted."""
    gold = read_gold()
    pred = [Annotation(a.doc_id, a.entities[::2], tuple(e for i, e in enumerate(a.events) if i % 3)) for a in gold]
    report, scores = find_errors(gold, pred), score(gold, pred)
    for key in ERROR_KEYS:
        counts, total = report.counts[key], scores[key].total
        assert counts["correct"] == total.tp, key
        assert counts["correct"] + counts["incorrect"] + counts["partial"] + counts["missed"] == total.gold, key
        assert counts["correct"] + counts["incorrect"] + counts["partial"] + counts["spurious"] == total.predicted


def test_compare_prints_both_f1_the_difference_its_interval_and_p(capsys):
    lines = run(capsys, "compare", str(GOLD), str(PRED), "--gold", str(GOLD), "--key", "entity.strict",
                "--key", "trigger.classification")
    # trigger.classification: B scores 100 on {d1, d1}, 50 on {d1, d2} and 0 on {d2, d2}; A is
    # not above B only on {d1, d1}, so p is the share of resamples drawing d1 twice.
    p_value = (resample_weights(2)[:, 0] == 2).mean()
    assert lines == [
        f"A: {GOLD}", f"B: {PRED}",
        "paired bootstrap over 2 documents, 1000 resamples, seed 20240215; p: the fraction of resamples in which "
        "the system with the higher F1 is not above the other",
        "key                      F1 A  F1 B  A - B  95% CI of A - B        p",
        "----------------------  -----  ----  -----  ---------------  -------",
        "entity.strict           100.0  40.0  +60.0   [+50.0, +66.7]  < 0.001",
        f"trigger.classification  100.0  50.0  +50.0   [+0.0, +100.0]    {p_value:.3f}",
    ]


def test_compare_p_value_is_paired_bootstraps():
    gold = read_gold(GOLD)
    pred = read_predictions(PRED, gold)
    comparison = compare_systems(gold, gold, pred, keys=["trigger.classification"])
    assert comparison.keys[0].p_value == paired_bootstrap(gold, gold, pred, "trigger.classification")
    swapped = compare_systems(gold, pred, gold, keys=["trigger.classification"]).keys[0]
    assert swapped.difference == pytest.approx(-0.5) and swapped.p_value == comparison.keys[0].p_value


def test_p_values_that_round_to_zero_print_as_below_one_in_a_thousand():
    assert format_p(0.0) == "< 0.001"
    assert format_p(0.0004) == "< 0.001"
    assert format_p(0.012) == "0.012"
    assert format_p(1.0) == "1.000"


def test_json_refuses_listing_options(capsys):
    assert main(["evaluate", "--gold", str(GOLD), "--pred", str(PRED), "--format", "json", "--errors"]) == 2
    assert "use --format table or markdown" in capsys.readouterr().err


def test_integer_attribute_values_sort_as_numbers():
    table = attribute_values(read_gold())
    counts = table[(table.label == "CASUALTY") & (table.attribute == "count")]["value"].tolist()
    assert counts == sorted(counts, key=int) and "35" in counts
