"""Every score on small cases worked out by hand (arithmetic in the comments), and the bootstrap.

Offsets are half-open code-point offsets ``[start, end)``; the texts are never needed.
"""

from __future__ import annotations

import numpy as np
import pytest

from benchmark.scoring.bootstrap import (bootstrap_intervals, paired_bootstrap, per_doc_array, resample_weights,
                                        resampled_sums)
from benchmark.model import Annotation, Argument, Entity, Event, Span, to_attributes
from benchmark.schema import load_schema
from benchmark.scoring.result import Counts
from benchmark.scoring.score import KEYS, score


def ent(start: int, end: int, label: str, **attributes) -> Entity:
    return Entity(Span(start, end), label, to_attributes(attributes))


def arg(role: str, start: int, end: int) -> Argument:
    return Argument(role, Span(start, end))


def attack(trigger: tuple[int, int], *arguments: Argument, event_type: str = "ATTACK") -> Event:
    return Event(event_type, Span(*trigger), tuple(arguments))


KILLED_ONE = {"status": "killed", "count": 1, "qualifier": "exact"}

GOLD = Annotation("d1", (
    ent(0, 5, "ACTOR"), ent(10, 15, "LOCATION"), ent(20, 30, "WEAPON"), ent(40, 50, "CASUALTY", **KILLED_ONE)), (
    attack((70, 75), arg("ATTACKER", 0, 5), arg("PLACE", 10, 15), arg("INSTRUMENT", 20, 30)),
    attack((80, 85), arg("KILLED", 40, 50))))
PRED = Annotation("d1", (
    ent(0, 5, "ACTOR"),                     # exact, right label
    ent(0, 5, "ACTOR"),                     # the same tuple again: collapses
    ent(10, 15, "ACTOR"),                   # right boundaries, wrong label
    ent(22, 30, "WEAPON"),                  # overlap, right label
    ent(40, 50, "CASUALTY", status="killed", count=1, qualifier="at_least"),  # wrong qualifier
    ent(60, 65, "LOCATION")), (             # spurious
    attack((70, 75), arg("ATTACKER", 0, 5), arg("TARGET", 10, 15), arg("INSTRUMENT", 22, 30)),
    attack((80, 85), arg("KILLED", 40, 50)),
    attack((90, 95), arg("ATTACKER", 0, 5))))


@pytest.fixture(scope="module")
def scores():
    return score([GOLD], [PRED])


def totals(scores, key):
    total = scores[key].total
    return total.tp, total.predicted, total.gold


def test_counts_zero_rule_and_addition():
    assert Counts(0, 0, 0).precision == Counts(0, 0, 0).recall == Counts(0, 0, 0).f1 == 0.0
    assert Counts(0, 3, 0).recall == 0.0 and Counts(0, 0, 3).precision == 0.0
    # P = 1/2, R = 1/4, F1 = 2 * 1/8 / (3/4) = 1/3
    counts = Counts(1, 2, 4)
    assert (counts.precision, counts.recall) == (0.5, 0.25) and counts.f1 == pytest.approx(1 / 3)
    assert Counts(1, 2, 3) + Counts(0.5, 1, 1) == Counts(1.5, 3, 4)


def test_entity_strict(scores):
    # gold {(0,5,A), (10,15,L), (20,30,W), (40,50,C)}; pred {(0,5,A), (10,15,A), (22,30,W), (40,50,C), (60,65,L)}
    # (the repeated (0,5,ACTOR) collapses); shared: (0,5,A) and (40,50,C) -> tp 2, predicted 5, gold 4
    assert totals(scores, "entity.strict") == (2, 5, 4)
    groups = scores["entity.strict"].groups
    assert groups["ACTOR"] == Counts(1, 2, 1) and groups["LOCATION"] == Counts(0, 1, 1)
    assert groups["WEAPON"] == Counts(0, 1, 1) and groups["CASUALTY"] == Counts(1, 1, 1)
    assert scores["entity.strict"].total.f1 == pytest.approx(2 * 0.4 * 0.5 / 0.9)


def test_entity_exact(scores):
    # same boundaries, any label: (0,5), (10,15), (40,50) -> COR 3; ACT 5, POS 4
    assert totals(scores, "entity.exact") == (3, 5, 4)
    # per label, only that label's spans on both sides: ACTOR gold {(0,5)} pred {(0,5), (10,15)} -> 1, 2, 1
    assert scores["entity.exact"].groups["ACTOR"] == Counts(1, 2, 1)
    assert scores["entity.exact"].groups["LOCATION"] == Counts(0, 1, 1)


def test_entity_partial(scores):
    # COR 3 as above, plus PAR (22,30) ~ (20,30) worth 0.5 -> tp 3.5; ACT 5, POS 4
    assert totals(scores, "entity.partial") == (3.5, 5, 4)
    assert scores["entity.partial"].groups["WEAPON"] == Counts(0.5, 1, 1)
    # P = 3.5/5 = 0.7, R = 3.5/4 = 0.875
    assert scores["entity.partial"].total.precision == pytest.approx(0.7)
    assert scores["entity.partial"].total.recall == pytest.approx(0.875)


def test_entity_type(scores):
    # overlap with the right label: (0,5) A, (22,30)~(20,30) W, (40,50) C -> 3; (10,15) has the wrong label
    assert totals(scores, "entity.type") == (3, 5, 4)
    assert scores["entity.type"].groups["LOCATION"] == Counts(0, 1, 1)


def test_casualty(scores):
    # gold (40,50,killed,1,exact) vs pred (40,50,killed,1,at_least): no match -> 0, 1, 1
    assert totals(scores, "casualty") == (0, 1, 1)
    assert set(scores["casualty"].groups) == {"CASUALTY"}


def test_casualty_missing_attribute_never_matches():
    gold = Annotation("d", (ent(0, 5, "CASUALTY", **KILLED_ONE), ent(10, 15, "CASUALTY", status="injured",
                                                                     count=2, qualifier="at_least")))
    pred = Annotation("d", (ent(0, 5, "CASUALTY", **KILLED_ONE), ent(10, 15, "CASUALTY", status="injured", count=2),
                            ent(10, 15, "CASUALTY", status="injured", count=2)))  # no qualifier, twice
    # (0,5) matches; (10,15,injured,2,None) is one tuple (the copies collapse) and never equals gold -> 1, 2, 2
    assert totals(score([gold], [pred]), "casualty") == (1, 2, 2)
    # even against a gold tuple that lacks the same attribute
    assert totals(score([pred], [pred]), "casualty") == (1, 2, 2)


def test_triggers(scores):
    # gold {(70,75), (80,85)}, pred {(70,75), (80,85), (90,95)} -> 2, 3, 2 (with or without the type)
    assert totals(scores, "trigger.identification") == (2, 3, 2)
    assert totals(scores, "trigger.classification") == (2, 3, 2)
    assert scores["trigger.classification"].groups == {"ATTACK": Counts(2, 3, 2)}
    assert scores["trigger.identification"].groups == {}


def test_trigger_classification_needs_the_type():
    gold = Annotation("d", events=(attack((0, 3)),))
    pred = Annotation("d", events=(attack((0, 3), event_type="RAID"),))
    scores = score([gold], [pred])
    assert totals(scores, "trigger.identification") == (1, 1, 1)
    # (0,3,ATTACK) vs (0,3,RAID) -> 0, 1, 1
    assert totals(scores, "trigger.classification") == (0, 1, 1)
    assert scores["trigger.classification"].groups == {"ATTACK": Counts(0, 0, 1), "RAID": Counts(0, 1, 0)}


def test_arguments(scores):
    # identification (type, start, end): gold {0-5, 10-15, 20-30, 40-50}; pred {0-5, 10-15, 22-30, 40-50}
    # (0-5 of the third event collapses with the first's) -> 3, 4, 4
    assert totals(scores, "argument.identification") == (3, 4, 4)
    assert scores["argument.identification"].groups == {}
    # classification (type, role, start, end): shared ATTACKER 0-5 and KILLED 40-50 -> 2, 4, 4
    assert totals(scores, "argument.classification") == (2, 4, 4)
    groups = scores["argument.classification"].groups
    assert groups["ATTACKER"] == Counts(1, 1, 1) and groups["PLACE"] == Counts(0, 0, 1)
    assert groups["TARGET"] == Counts(0, 1, 0) and groups["INSTRUMENT"] == Counts(0, 1, 1)
    # attached adds the trigger: the third event's ATTACKER 0-5 is a fifth tuple -> 2, 5, 4
    assert totals(scores, "argument.attached") == (2, 5, 4)
    assert scores["argument.attached"].groups["ATTACKER"] == Counts(1, 2, 1)


def test_event_exact(scores):
    # only (80,85) KILLED 40-50 equals a gold event -> 1; 3 predicted and 2 gold mentions
    assert totals(scores, "event.exact") == (1, 3, 2)


def test_event_exact_counts_mentions_one_gold_per_prediction():
    event = attack((0, 3), arg("TARGET", 5, 9))
    twice = attack((0, 3), arg("TARGET", 5, 9), arg("TARGET", 5, 9))  # the argument set is a set: equal
    # two gold copies, three predicted: min(2, 3) = 2 matches
    assert totals(score([Annotation("d", events=(event, event))], [Annotation("d", events=(event, twice, event))]),
                  "event.exact") == (2, 3, 2)
    # one gold, two predicted copies: 1 match
    assert totals(score([Annotation("d", events=(event,))], [Annotation("d", events=(event, event))]),
                  "event.exact") == (1, 2, 1)
    # a missing argument or another trigger is no match
    other = (attack((0, 3)), attack((1, 3), arg("TARGET", 5, 9)))
    assert totals(score([Annotation("d", events=(event,))], [Annotation("d", events=other)]),
                  "event.exact") == (0, 2, 1)


def test_event_template(scores):
    # F(gold 1) = {T70-75, ATTACKER 0-5, PLACE 10-15, INSTRUMENT 20-30} (4); F(gold 2) = {T80-85, KILLED 40-50} (2)
    # F(pred 1) = {T70-75, ATTACKER 0-5, TARGET 10-15, INSTRUMENT 22-30} (4); F(pred 2) = {T80-85, KILLED 40-50} (2)
    # F(pred 3) = {T90-95, ATTACKER 0-5} (2)
    # overlaps: g1-p1 = 2, g1-p3 = 1, g2-p2 = 2; best alignment g1-p1, g2-p2 -> 4; predicted 8, gold 6
    assert totals(scores, "event.template") == (4, 8, 6)
    assert scores["event.template"].total.precision == 0.5
    assert scores["event.template"].total.recall == pytest.approx(4 / 6)


def test_event_template_is_a_hungarian_alignment():
    gold = Annotation("d", events=(
        attack((0, 1), arg("ATTACKER", 10, 11), arg("TARGET", 20, 21), arg("PLACE", 30, 31)),   # ga, |F| = 4
        attack((2, 3), arg("INSTRUMENT", 40, 41), arg("KILLED", 50, 51))))                     # gb, |F| = 3
    pred = Annotation("d", events=(
        attack((7, 8), arg("ATTACKER", 10, 11), arg("TARGET", 20, 21), arg("PLACE", 30, 31),
               arg("INSTRUMENT", 40, 41), arg("KILLED", 50, 51)),                               # p1, |F| = 6
        attack((0, 1), arg("ATTACKER", 10, 11))))                                               # p2, |F| = 2
    # overlaps: ga-p1 = 3, ga-p2 = 2, gb-p1 = 2, gb-p2 = 0. Greedy (largest first) takes ga-p1 and gb-p2 = 3;
    # the best one-to-one alignment is ga-p2 + gb-p1 = 2 + 2 = 4. predicted 6 + 2 = 8, gold 4 + 3 = 7
    assert totals(score([gold], [pred]), "event.template") == (4, 8, 7)


def test_event_template_aligns_within_type_and_document():
    gold = [Annotation("a", events=(attack((0, 1), arg("TARGET", 5, 6)),)), Annotation("b")]
    pred = [Annotation("a", events=(attack((0, 1), arg("TARGET", 5, 6), event_type="RAID"),)),
            Annotation("b", events=(attack((0, 1), arg("TARGET", 5, 6)),))]
    # another type in a, the same fillers in another document b: nothing aligns -> 0, 2 + 2, 2
    assert totals(score(gold, pred), "event.template") == (0, 4, 2)


def test_semeval_one_to_one_best_pairing():
    gold = Annotation("d", (ent(0, 4, "A"), ent(5, 10, "A")))
    pred = Annotation("d", (ent(3, 7, "A"), ent(0, 4, "A")))
    scores = score([gold], [pred])
    # [0,4) pairs with [0,4) exactly, so [3,7) takes [5,10): exact 1; partial 1 + 0.5; type 2
    assert totals(scores, "entity.exact") == (1, 2, 2)
    assert totals(scores, "entity.partial") == (1.5, 2, 2)
    assert totals(scores, "entity.type") == (2, 2, 2)


def test_missing_and_unknown_documents():
    gold = [GOLD, Annotation("d2", (ent(0, 3, "ACTOR"),))]
    scores = score(gold, [PRED])
    assert scores.missing == ("d2",) and scores.doc_ids == ("d1", "d2")
    # d2's one gold entity counts: 2, 5, 4 + 1
    assert totals(scores, "entity.strict") == (2, 5, 5)
    assert scores["entity.strict"].by_doc["d2"] == Counts(0, 0, 1)
    with pytest.raises(ValueError, match="not in gold: zz"):
        score(gold, [PRED, Annotation("zz")])
    with pytest.raises(ValueError):
        score(gold, [PRED, PRED])


def test_per_document_counts_add_up(scores):
    for key in KEYS:
        assert list(scores[key].by_doc) == ["d1"]
        assert sum(scores[key].by_doc.values(), Counts()) == scores[key].total


def test_schema_names_fill_the_breakdowns():
    scores = score([GOLD], [PRED], load_schema())
    schema = load_schema()
    assert set(scores["entity.strict"].groups) == set(schema.label_names)
    assert set(scores["argument.classification"].groups) >= set(schema.role_names)
    assert scores["argument.classification"].groups["INJURED"] == Counts(0, 0, 0)
    assert set(scores["casualty"].groups) == {"CASUALTY"}
    assert tuple(scores["entity.strict"].groups)[:4] == schema.label_names


def test_bootstrap_is_seeded_and_sums_documents():
    gold = [Annotation(f"d{i}", (ent(0, 5, "ACTOR"), ent(10, 15, "LOCATION"))) for i in range(6)]
    pred = [Annotation(f"d{i}", (ent(0, 5, "ACTOR"),) if i % 2 else (ent(0, 5, "ACTOR"), ent(10, 15, "ACTOR")))
            for i in range(6)]
    scores = score(gold, pred)
    first, again = bootstrap_intervals(scores), bootstrap_intervals(scores)
    assert first == again
    assert first["entity.strict"].f1.low <= scores["entity.strict"].total.f1 <= first["entity.strict"].f1.high
    # the vectorised resamples equal summing the documents' Counts one resample at a time
    weights = resample_weights(6, resamples=50, seed=3)
    assert (weights.sum(axis=1) == 6).all()
    by_doc = list(scores["entity.strict"].by_doc.values())
    for row, counts in zip(weights, weights @ per_doc_array(scores, "entity.strict")):
        summed = sum((by_doc[i] for i in np.repeat(np.arange(6), row.astype(int))), Counts())
        assert tuple(counts) == (summed.tp, summed.predicted, summed.gold)
    # drawn in blocks of 64 resamples, the sums are those of the same draws made at once
    per_doc = per_doc_array(scores, "entity.strict")
    assert (resampled_sums(per_doc, 150, seed=3) == resample_weights(6, 150, seed=3) @ per_doc).all()
    with_groups = bootstrap_intervals(scores, resamples=200, groups=True)
    assert set(with_groups["entity.strict"].groups) == {"ACTOR", "LOCATION"}
    # no LOCATION is ever predicted: its F1 is 0 in every resample
    location = with_groups["entity.strict"].groups["LOCATION"].f1
    assert (location.low, location.high) == (0.0, 0.0)


def test_bootstrap_perfect_system_has_a_point_interval():
    intervals = bootstrap_intervals(score([GOLD], [GOLD]), resamples=100)
    for key in KEYS:
        assert (intervals[key].f1.low, intervals[key].f1.high) == (1.0, 1.0)


def test_paired_bootstrap():
    gold = [Annotation(f"d{i}", (ent(0, 5, "ACTOR"), ent(10, 15, "LOCATION"))) for i in range(8)]
    worse = [Annotation(f"d{i}", (ent(0, 5, "ACTOR"),)) for i in range(8)]
    # A = gold is perfect in every resample and B never is: F1_A <= F1_B never happens -> 0
    assert paired_bootstrap(gold, gold, worse, "entity.strict", resamples=200) == 0.0
    # the reverse holds in every resample -> 1; identical systems tie everywhere -> 1
    assert paired_bootstrap(gold, worse, gold, "entity.strict", resamples=200) == 1.0
    assert paired_bootstrap(gold, worse, worse, "entity.strict", resamples=200) == 1.0
    with pytest.raises(ValueError):
        paired_bootstrap(gold, gold, worse, "entity.nope")
