"""Property tests of the scorer (hypothesis): perfect on gold, zero recall on nothing,
blind to order, additive over documents, and the SemEval modes bounded by one another.

Offsets are half-open code-point offsets ``[start, end)``; spans may overlap here (the
scorer must not rely on validated gold).
"""

from __future__ import annotations

import random
from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

import numpy as np
from scipy.optimize import linear_sum_assignment

from benchmark.model import Annotation, Argument, Entity, Event, Span, to_attributes
from benchmark.scoring.result import Counts
from benchmark.scoring.score import KEYS, score

LABELS = ("ACTOR", "LOCATION", "WEAPON", "CASUALTY")
ROLES = ("ATTACKER", "TARGET", "PLACE", "KILLED")
TYPES = ("ATTACK", "RAID")
SETTINGS = settings(deadline=None)  # examples: the profile chosen in conftest.py


@st.composite
def spans(draw, limit: int = 40) -> Span:
    start = draw(st.integers(0, limit - 1))
    return Span(start, draw(st.integers(start + 1, min(limit, start + 8))))


@st.composite
def entities(draw) -> Entity:
    label = draw(st.sampled_from(LABELS))
    attributes = {}
    if label == "CASUALTY":
        attributes = {"status": draw(st.sampled_from(("killed", "injured"))), "count": draw(st.integers(0, 3)),
                      "qualifier": draw(st.sampled_from(("exact", "at_least")))}
    return Entity(draw(spans()), label, to_attributes(attributes))


@st.composite
def annotations(draw, doc_id: str) -> Annotation:
    ents = draw(st.lists(entities(), max_size=7))
    fillers = [e.span for e in ents]
    arguments = st.lists(st.builds(Argument, st.sampled_from(ROLES), st.sampled_from(fillers)), max_size=4) \
        if fillers else st.just([])
    events = draw(st.lists(st.builds(lambda t, s, a: Event(t, s, tuple(a)), st.sampled_from(TYPES), spans(),
                                     arguments), max_size=4))
    return Annotation(doc_id, tuple(ents), tuple(events))


@st.composite
def corpora(draw) -> tuple[list[Annotation], list[Annotation]]:
    """Gold and predictions over the same documents; some predicted documents may be missing."""
    doc_ids = [f"d{i}" for i in range(draw(st.integers(0, 4)))]
    gold = [draw(annotations(d)) for d in doc_ids]
    pred = [draw(annotations(d)) for d in doc_ids if draw(st.booleans()) or draw(st.booleans())]
    return gold, pred


def shuffled(annotations: list[Annotation], rng: random.Random) -> list[Annotation]:
    def mix(items: tuple) -> tuple:
        items = list(items)
        rng.shuffle(items)
        return tuple(items)

    out = [Annotation(a.doc_id, mix(a.entities),
                      mix(Event(e.event_type, e.trigger, mix(e.arguments)) for e in a.events)) for a in annotations]
    rng.shuffle(out)
    return out


def snapshot(scores) -> dict:
    """Everything order must not change: totals, groups and per-document counts, by name."""
    return {key: (scores[key].total, dict(scores[key].groups), dict(scores[key].by_doc)) for key in KEYS}


@SETTINGS
@given(corpora())
def test_gold_against_itself_is_perfect(corpus):
    gold, _ = corpus
    scores = score(gold, gold)
    for key in KEYS:
        total = scores[key].total
        if total.gold:
            assert (total.precision, total.recall, total.f1) == (1.0, 1.0, 1.0), key
        else:
            assert total == Counts(0.0, 0, 0), key


@SETTINGS
@given(corpora())
def test_predicting_nothing_recalls_nothing(corpus):
    gold, _ = corpus
    scores = score(gold, [])
    assert scores.missing == tuple(a.doc_id for a in gold)
    for key in KEYS:
        total = scores[key].total
        assert (total.tp, total.predicted, total.recall, total.f1) == (0, 0, 0.0, 0.0), key


@SETTINGS
@given(corpora(), st.randoms(use_true_random=False))
def test_order_never_changes_scores(corpus, rng):
    gold, pred = corpus
    assert snapshot(score(gold, pred)) == snapshot(score(shuffled(gold, rng), shuffled(pred, rng)))


@SETTINGS
@given(corpora(), st.integers(0, 4))
def test_counts_add_across_document_splits(corpus, cut):
    gold, pred = corpus
    whole = score(gold, pred)
    parts = [score(gold[:cut], [p for p in pred if p.doc_id in {g.doc_id for g in gold[:cut]}]),
             score(gold[cut:], [p for p in pred if p.doc_id in {g.doc_id for g in gold[cut:]}])]
    for key in KEYS:
        assert parts[0][key].total + parts[1][key].total == whole[key].total, key
        for name, counts in whole[key].groups.items():
            assert sum((part[key].groups.get(name, Counts()) for part in parts), Counts()) == counts, (key, name)
        assert {**parts[0][key].by_doc, **parts[1][key].by_doc} == whole[key].by_doc


@SETTINGS
@given(corpora())
def test_semeval_modes_bound_one_another(corpus):
    gold, pred = corpus
    scores = score(gold, pred)
    strict, exact = scores["entity.strict"].total.tp, scores["entity.exact"].total.tp
    assert strict <= exact <= scores["entity.partial"].total.tp
    assert strict <= scores["entity.type"].total.tp
    for key in ("entity.exact", "entity.partial", "entity.type"):
        assert (scores[key].total.predicted, scores[key].total.gold) == \
            (scores["entity.strict"].total.predicted, scores["entity.strict"].total.gold)


# A plain, slow restatement of SPEC section 3 (Python sets, dense Hungarian matrices over
# whole documents, breakdowns by re-scoring the restricted annotations), to check the
# scorer's totals, breakdowns and per-document counts against.

def plain_tuples(a: Annotation) -> dict[str, set]:
    casualty = set()
    for e in a.entities:
        if e.label == "CASUALTY":
            casualty.add((e.span.start, e.span.end, *(e.attrs.get(n) for n in ("status", "count", "qualifier"))))
    args = [(ev, x) for ev in a.events for x in ev.arguments]
    return {
        "entity.strict": {(e.span.start, e.span.end, e.label) for e in a.entities},
        "casualty": casualty,
        "trigger.identification": {(ev.trigger.start, ev.trigger.end) for ev in a.events},
        "trigger.classification": {(ev.trigger.start, ev.trigger.end, ev.event_type) for ev in a.events},
        "argument.identification": {(ev.event_type, x.span.start, x.span.end) for ev, x in args},
        "argument.classification": {(ev.event_type, x.role, x.span.start, x.span.end) for ev, x in args},
        "argument.attached": {(ev.trigger.start, ev.trigger.end, ev.event_type, x.role, x.span.start, x.span.end)
                              for ev, x in args}}


def best(matrix: list[list[float]]) -> float:
    matrix = np.array(matrix, dtype=float).reshape(len(matrix), -1)
    rows, cols = linear_sum_assignment(matrix, maximize=True)
    return float(matrix[rows, cols].sum())


def plain_semeval(gold: set, pred: set, mode: str) -> float:
    def credit(g, p):
        if not (g[0] < p[1] and p[0] < g[1]):
            return 0.0
        same = g[:2] == p[:2]
        return {"entity.exact": float(same), "entity.partial": 1.0 if same else 0.5,
                "entity.type": float(g[2] == p[2])}[mode]
    return best([[credit(g, p) for p in pred] for g in gold]) if gold and pred else 0.0


def fillers(ev: Event) -> frozenset:
    return frozenset({("TRIGGER", ev.trigger.start, ev.trigger.end)} |
                     {(x.role, x.span.start, x.span.end) for x in ev.arguments})


def plain_document(g: Annotation, p: Annotation) -> dict[str, Counts]:
    result = {}
    gt, pt = plain_tuples(g), plain_tuples(p)
    for key in gt:
        tp = len({t for t in gt[key] & pt[key] if None not in t})
        result[key] = Counts(tp, len(pt[key]), len(gt[key]))
    for mode in ("entity.exact", "entity.partial", "entity.type"):
        tp = plain_semeval(gt["entity.strict"], pt["entity.strict"], mode)
        result[mode] = Counts(tp, len(pt["entity.strict"]), len(gt["entity.strict"]))
    key_of = lambda ev: (ev.event_type, fillers(ev))  # noqa: E731 -- F equal and type equal: event.exact
    shared = Counter(map(key_of, g.events)) & Counter(map(key_of, p.events))
    result["event.exact"] = Counts(sum(shared.values()), len(p.events), len(g.events))
    tp = 0.0
    for event_type in {ev.event_type for ev in (*g.events, *p.events)}:
        gs = [fillers(ev) for ev in g.events if ev.event_type == event_type]
        ps = [fillers(ev) for ev in p.events if ev.event_type == event_type]
        tp += best([[len(a & b) for b in ps] for a in gs]) if gs and ps else 0.0
    result["event.template"] = Counts(tp, sum(len(fillers(ev)) for ev in p.events),
                                      sum(len(fillers(ev)) for ev in g.events))
    return result


def plain_by_doc(gold: list[Annotation], pred: list[Annotation]) -> dict[str, dict[str, Counts]]:
    """document id -> key -> counts."""
    by_id = {a.doc_id: a for a in pred}
    return {g.doc_id: plain_document(g, by_id.get(g.doc_id, Annotation(g.doc_id))) for g in gold}


def plain_score(gold: list[Annotation], pred: list[Annotation]) -> dict[str, Counts]:
    docs = plain_by_doc(gold, pred).values()
    return {key: sum((d[key] for d in docs), Counts()) for key in KEYS}


def restricted(annotations: list[Annotation], by: str, name: str) -> list[Annotation]:
    """Only the entities with label ``name``, the events of type ``name`` or the arguments of role ``name``."""
    def keep(a: Annotation) -> Annotation:
        if by == "label":
            return Annotation(a.doc_id, tuple(e for e in a.entities if e.label == name))
        if by == "event_type":
            return Annotation(a.doc_id, (), tuple(e for e in a.events if e.event_type == name))
        return Annotation(a.doc_id, (), tuple(Event(e.event_type, e.trigger, tuple(x for x in e.arguments
                                                                                if x.role == name))
                                               for e in a.events))
    return [keep(a) for a in annotations]


BREAKDOWN = {"entity.strict": "label", "entity.exact": "label", "entity.partial": "label", "entity.type": "label",
             "trigger.classification": "event_type", "event.exact": "event_type", "event.template": "event_type",
             "argument.classification": "role", "argument.attached": "role"}


@SETTINGS
@given(corpora())
def test_equals_the_plain_definitions(corpus):
    gold, pred = corpus
    scores, plain, plain_docs = score(gold, pred), plain_score(gold, pred), plain_by_doc(gold, pred)
    for key in KEYS:
        assert scores[key].total == plain[key], key
        assert dict(scores[key].by_doc) == {d: counts[key] for d, counts in plain_docs.items()}, key


@SETTINGS
@given(corpora())
def test_breakdowns_equal_the_plain_definitions_restricted(corpus):
    gold, pred = corpus
    scores = score(gold, pred)
    for key, by in BREAKDOWN.items():
        names = {*scores[key].groups, *(LABELS if by == "label" else TYPES if by == "event_type" else ROLES)}
        for name in names:
            alone = plain_by_doc(restricted(gold, by, name), restricted(pred, by, name))
            expected = sum((d[key] for d in alone.values()), Counts())
            assert scores[key].groups.get(name, Counts()) == expected, (key, name)
            for doc_id, counts in alone.items():
                assert scores[key].group_by_doc.get(name, {}).get(doc_id, Counts()) == counts[key], (key, name, doc_id)
    casualty = plain_score(gold, pred)["casualty"]
    assert scores["casualty"].groups.get("CASUALTY", Counts()) == casualty


@SETTINGS
@given(corpora())
def test_per_label_breakdown_equals_scoring_that_label_alone(corpus):
    gold, pred = corpus
    scores = score(gold, pred)
    only = lambda docs, label: [Annotation(a.doc_id, tuple(e for e in a.entities if e.label == label))  # noqa: E731
                                for a in docs]
    for label in LABELS:
        alone = score(only(gold, label), only(pred, label))
        for key in ("entity.strict", "entity.exact", "entity.partial", "entity.type"):
            assert scores[key].groups.get(label, Counts()) == alone[key].total, (key, label)


def shifted(annotations: list[Annotation], step: int) -> list[Annotation]:
    """Document i's offsets moved by i * step: wide columns force the codes to be re-ranked."""
    def move(span: Span, by: int) -> Span:
        return Span(span.start + by, span.end + by)

    return [Annotation(a.doc_id, tuple(Entity(move(e.span, by), e.label, e.attributes) for e in a.entities),
                       tuple(Event(e.event_type, move(e.trigger, by), tuple(Argument(x.role, move(x.span, by))
                                                                             for x in e.arguments))
                             for e in a.events))
            for a, by in ((a, int(a.doc_id[1:]) * step) for a in annotations)]


@SETTINGS
@given(corpora())
def test_huge_offsets_score_the_same(corpus):
    gold, pred = corpus
    scores = score(shifted(gold, 10**12), shifted(pred, 10**12))
    for key, counts in plain_score(gold, pred).items():
        assert scores[key].total == counts, key
