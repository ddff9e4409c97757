"""The scores of SPEC section 3: gold and predicted annotations in, counts out.

Pure: no I/O, no printing, no rounding. Offsets are half-open ``[start, end)`` indices
into the document text as a Python ``str`` (Unicode code points). Matching is on
content (offsets, label, role, type), never on ids.

Per document, each key's tuples are Python sets (``SET_KEYS``, one entry per key), and a
true positive is a predicted tuple equal to a gold tuple; a tuple holding ``None`` (a
predicted casualty without one of its attributes) is counted but never equal. Counts
add up over documents (micro average). Breakdowns: per label for the entity keys and
``casualty``, per role for ``argument.classification`` and ``argument.attached``, per
event type for ``trigger.classification``, ``event.exact`` and ``event.template``.

SemEval-2013 modes (``entity.exact``: same boundaries; ``entity.partial``: same
boundaries is COR, any other overlap is PAR worth 0.5, label ignored; ``entity.type``:
any overlap with the same label is COR) over the distinct (start, end, label) spans:
tp = COR (+ 0.5 PAR), predicted = ACT, gold = POS. Each span is used at most once; the
pairing is the one-to-one matching of maximal credit (Hungarian assignment per
connected group of overlapping spans; ties go to the closest boundaries, which never
changes a count), so the numbers never depend on input order. The per-label figures
re-run the mode with only that label's spans on both sides, as nervaluate does. Where the
pairing is not contested (no overlaps within a side, each span overlapping at most one
on the other side, no duplicates, gold spans of at most 100 characters) the counts equal
nervaluate 1.2.1's; where they differ, and why, is worked case by case in
``tests/test_score_differential.py``.

``event.exact``: type, trigger and argument set equal; each gold event matches at most
one prediction. ``event.template``: F(e) = {(TRIGGER, start, end)} | {(role, start, end)
per argument}; within each document and event type, the one-to-one alignment of
predicted to gold events maximising the total |F(g) & F(p)| (Hungarian); tp is that
total, predicted and gold the sums of |F(p)| and |F(g)|.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from itertools import accumulate
from operator import itemgetter
from typing import Any, Callable, Iterable, Iterator, Mapping, NamedTuple, Sequence

from benchmark.model import Annotation, Span
from benchmark.schema import Schema
from benchmark.scoring.result import Counts, KeyScore, Scores, total

KEYS = ("entity.strict", "entity.exact", "entity.partial", "entity.type", "casualty",
        "trigger.identification", "trigger.classification", "argument.identification",
        "argument.classification", "argument.attached", "event.exact", "event.template")
CASUALTY_LABEL = "CASUALTY"
CASUALTY_ATTRIBUTES = ("status", "count", "qualifier")


# ---------------------------------------------------------------------------------------
# The match keys: every set-valued key's tuple, declared once.

def _casualties(a: Annotation) -> set[tuple]:
    found = set()
    for e in a.entities:
        if e.label == CASUALTY_LABEL:
            attrs = e.attrs
            found.add((e.span.start, e.span.end, *(attrs.get(name) for name in CASUALTY_ATTRIBUTES)))
    return found


class SetKey(NamedTuple):
    """A document's tuples of the key, the group (label, role, type) of a tuple, and
    where in a tuple the span it stands for starts (its end follows)."""

    tuples: Callable[[Annotation], set[tuple]]
    group: Callable[[tuple], str] | None
    span_at: int


SET_KEYS: dict[str, SetKey] = {
    "entity.strict": SetKey(lambda a: {(e.span.start, e.span.end, e.label) for e in a.entities}, itemgetter(2), 0),
    "casualty": SetKey(_casualties, lambda t: CASUALTY_LABEL, 0),
    "trigger.identification": SetKey(lambda a: {(e.trigger.start, e.trigger.end) for e in a.events}, None, 0),
    "trigger.classification": SetKey(lambda a: {(e.trigger.start, e.trigger.end, e.event_type) for e in a.events},
                                     itemgetter(2), 0),
    "argument.identification": SetKey(lambda a: {(e.event_type, x.span.start, x.span.end)
                                                 for e in a.events for x in e.arguments}, None, 1),
    "argument.classification": SetKey(lambda a: {(e.event_type, x.role, x.span.start, x.span.end)
                                                 for e in a.events for x in e.arguments}, itemgetter(1), 2),
    "argument.attached": SetKey(lambda a: {(e.trigger.start, e.trigger.end, e.event_type, x.role, x.span.start,
                                            x.span.end) for e in a.events for x in e.arguments}, itemgetter(3), 4),
}
# SemEval modes: the credit of an overlapping (gold, pred) pair, in half points.
SEMEVAL_CREDIT = {
    "entity.exact": lambda same_bounds, same_label: 2 * same_bounds,
    "entity.partial": lambda same_bounds, same_label: 1 + same_bounds,
    "entity.type": lambda same_bounds, same_label: 2 * same_label,
}
GROUPED_BY = {**{key: "label" for key in ("entity.strict", *SEMEVAL_CREDIT, "casualty")},
              "trigger.classification": "event_type", "event.exact": "event_type", "event.template": "event_type",
              "argument.classification": "role", "argument.attached": "role"}


def items(key: str, annotation: Annotation) -> Iterator[tuple[tuple, Span]]:
    """The tuples of set-valued ``key`` in one annotation, each with the span it stands for."""
    tuples, _, at = SET_KEYS[key]
    return ((t, Span(t[at], t[at + 1])) for t in tuples(annotation))


# ---------------------------------------------------------------------------------------
# Counting one document.

DocCounts = dict[str | None, Counts]  # group (None: the whole key) -> counts


def _score_set(key: str, gold: Annotation, pred: Annotation) -> DocCounts:
    tuples, group, _ = SET_KEYS[key]
    g, p = tuples(gold), tuples(pred)
    both = {t for t in g & p if None not in t}
    out: DocCounts = {None: Counts(len(both), len(p), len(g))}
    if group is not None:
        tp, predicted, gold_count = Counter(map(group, both)), Counter(map(group, p)), Counter(map(group, g))
        out.update((name, Counts(tp[name], predicted[name], gold_count[name]))
                   for name in predicted.keys() | gold_count.keys())
    return out


def assign(weights: Mapping[tuple[Any, Any], float]) -> list[tuple[Any, Any]]:
    """A one-to-one set of (left, right) edges of maximal total weight (weights > 0).

    Solved per connected group of edges: a lone edge is taken; where one node meets every
    edge of its group, its heaviest edge is taken; any other group is solved by the Hungarian algorithm
    (``scipy.optimize.linear_sum_assignment``).
    """
    if not weights:
        return []
    left_degree = Counter(left for left, _ in weights)
    right_degree = Counter(right for _, right in weights)
    if len(left_degree) == len(right_degree) == len(weights):
        return list(weights)  # every edge alone
    chosen = [edge for edge in weights if left_degree[edge[0]] == 1 and right_degree[edge[1]] == 1]
    parent: dict = {}

    def root(node):
        while parent.setdefault(node, node) != node:
            parent[node] = node = parent[parent[node]]
        return node

    busy = [edge for edge in weights if left_degree[edge[0]] > 1 or right_degree[edge[1]] > 1]
    for left, right in busy:
        parent[root(("L", left))] = root(("R", right))
    groups: dict = defaultdict(list)
    for edge in busy:
        groups[root(("L", edge[0]))].append(edge)
    for edges in groups.values():
        rows = list(dict.fromkeys(left for left, _ in edges))
        cols = list(dict.fromkeys(right for _, right in edges))
        if len(rows) == 1 or len(cols) == 1:
            chosen.append(max(edges, key=weights.__getitem__))
            continue
        from scipy.optimize import linear_sum_assignment

        matrix = [[weights.get((r, c), 0) for c in cols] for r in rows]
        for i, j in zip(*linear_sum_assignment(matrix, maximize=True)):
            if matrix[i][j] > 0:
                chosen.append((rows[i], cols[j]))
    return chosen


def _overlaps(gold: Sequence[tuple], pred: Sequence[tuple]) -> Iterator[tuple[int, int]]:
    """Every (gold index, pred index) whose (start, end, ...) spans share a code point."""
    order = sorted(range(len(gold)), key=lambda i: gold[i][0])
    starts = [gold[i][0] for i in order]
    reach = list(accumulate((gold[i][1] for i in order), max))  # the furthest end so far
    for j, (start, end, *_) in enumerate(pred):
        for k in range(bisect_right(reach, start), bisect_left(starts, end)):
            if gold[order[k]][1] > start:
                yield order[k], j


def _score_semeval(gold: Annotation, pred: Annotation) -> dict[str, DocCounts]:
    g = list(dict.fromkeys((e.span.start, e.span.end, e.label) for e in gold.entities))
    p = list(dict.fromkeys((e.span.start, e.span.end, e.label) for e in pred.entities))
    overlaps = list(_overlaps(g, p))
    gold_degree, pred_degree = Counter(i for i, _ in overlaps), Counter(j for _, j in overlaps)
    pairs = [(i, j, g[i][0] == p[j][0] and g[i][1] == p[j][1], g[i][2] == p[j][2],
              gold_degree[i] == pred_degree[j] == 1) for i, j in overlaps]
    scale = 1 + sum(abs(g[i][0] - p[j][0]) + abs(g[i][1] - p[j][1]) for i, j in overlaps)
    predicted, gold_count = Counter(s[2] for s in p), Counter(s[2] for s in g)
    # a pair that overlaps nothing else is paired in every pairing: count those by kind
    alone = Counter((g[i][2], same_bounds, same_label) for i, _, same_bounds, same_label, is_alone in pairs
                    if is_alone)
    others = [pair[:4] for pair in pairs if not pair[4]]
    out = {}
    for key, credit_of in SEMEVAL_CREDIT.items():
        tp_all: Counter = Counter()
        tp_alone: Counter = Counter()  # each label scored alone
        for (label, same_bounds, same_label), n in alone.items():
            credit = credit_of(same_bounds, same_label)
            if credit:
                tp_all[label] += n * credit / 2
                tp_alone[label] += n * credit / 2 if same_label else 0
        contested = {}
        for i, j, same_bounds, same_label in others:
            credit = credit_of(same_bounds, same_label)
            if credit:  # credit first, then the closest boundaries
                contested[i, j] = (credit * scale - abs(g[i][0] - p[j][0]) - abs(g[i][1] - p[j][1]), credit,
                                   same_label)
        for tp, edges in ((tp_all, contested), (tp_alone, {e: w for e, w in contested.items() if w[2]})):
            for i, j in assign({edge: weight[0] for edge, weight in edges.items()}):
                tp[g[i][2]] += contested[i, j][1] / 2
        counts: DocCounts = {label: Counts(tp_alone[label], predicted[label], gold_count[label])
                             for label in predicted.keys() | gold_count.keys()}
        counts[None] = Counts(sum(tp_all.values()), len(p), len(g))
        out[key] = counts
    return out


def fillers(event) -> frozenset:
    """F(e): (TRIGGER, start, end) and (role, start, end) for each argument."""
    return frozenset([("TRIGGER", event.trigger.start, event.trigger.end),
                      *((x.role, x.span.start, x.span.end) for x in event.arguments)])


def _score_events(gold: Annotation, pred: Annotation) -> dict[str, DocCounts]:
    exact: dict[str | None, Counts] = {}
    template: dict[str | None, Counts] = {}
    for event_type in {e.event_type for e in (*gold.events, *pred.events)}:
        g = [fillers(e) for e in gold.events if e.event_type == event_type]
        p = [fillers(e) for e in pred.events if e.event_type == event_type]
        gold_copies, pred_copies = Counter(g), Counter(p)
        exact[event_type] = Counts(sum(min(n, pred_copies[f]) for f, n in gold_copies.items()), len(p), len(g))
        holding = defaultdict(list)  # filler -> the gold events holding it
        for i, f in enumerate(g):
            for filler in f:
                holding[filler].append(i)
        shared = Counter((i, j) for j, f in enumerate(p) for filler in f for i in holding.get(filler, ()))
        tp = sum(shared[edge] for edge in assign(shared))
        template[event_type] = Counts(tp, sum(map(len, p)), sum(map(len, g)))
    exact[None], template[None] = total(exact.values()), total(template.values())
    return {"event.exact": exact, "event.template": template}


def score_document(gold: Annotation, pred: Annotation) -> dict[str, DocCounts]:
    """Every key's counts in one document, in total (group ``None``) and per group."""
    counts = {key: _score_set(key, gold, pred) for key in SET_KEYS}
    counts.update(_score_semeval(gold, pred))
    counts.update(_score_events(gold, pred))
    return counts


def _align(gold: Sequence[Annotation], pred: Sequence[Annotation]) -> tuple[list[Annotation], tuple[str, ...]]:
    doc_ids = [a.doc_id for a in gold]
    if len(set(doc_ids)) != len(doc_ids):
        raise ValueError("gold annotations repeat a document id")
    pred_by_doc = {a.doc_id: a for a in pred}
    if len(pred_by_doc) != len(pred):
        raise ValueError("predictions repeat a document id")
    unknown = sorted(set(pred_by_doc) - set(doc_ids))
    if unknown:
        raise ValueError(f"predictions name documents that are not in gold: {', '.join(unknown)}")
    return [pred_by_doc.get(d) or Annotation(d) for d in doc_ids], tuple(d for d in doc_ids if d not in pred_by_doc)


def score(gold: Sequence[Annotation], pred: Sequence[Annotation], schema: Schema | None = None,
          incidents: Mapping[str, Any] | None = None) -> Scores:
    """Score predictions against gold on every key of SPEC section 3 (see the module docstring).

    Offsets are half-open code-point offsets ``[start, end)``. A gold document absent from
    ``pred`` counts as predicting nothing and is listed in ``Scores.missing``; a predicted
    document id absent from gold, or a repeated document id, raises ``ValueError``. With a
    ``schema``, its labels, event types and roles appear in the breakdowns even when
    absent from the data (``casualty`` breaks down by the CASUALTY label only).
    ``incidents`` (key -> result, as ``KeyScore.of`` takes) are merged in after ``KEYS``.
    """
    gold, (pred, missing) = list(gold), _align(gold, pred)
    per_doc = ((a.doc_id, score_document(a, p)) for a, p in zip(gold, pred))
    return scores_of(per_doc, missing, schema, incidents)


def scores_of(per_doc: Iterable[tuple[str, dict[str, DocCounts]]], missing: Sequence[str] = (),
              schema: Schema | None = None, incidents: Mapping[str, Any] | None = None) -> Scores:
    """The ``Scores`` of documents scored one by one (``score_document``), in gold order,
    added up as they come, so that memory holds their counts only. The rest as ``score``."""
    shared: dict[tuple, Counts] = {}  # equal counts recur across documents: keep one object of each
    summed = {key: defaultdict(Counts) for key in KEYS}
    by_doc: dict[str, dict[str, Counts]] = {key: {} for key in KEYS}
    group_by_doc: dict[str, dict[str, dict[str, Counts]]] = {key: defaultdict(dict) for key in KEYS}
    doc_ids = []
    for doc_id, counts in per_doc:
        doc_ids.append(doc_id)
        for key in KEYS:
            for group, c in counts[key].items():
                c = shared.setdefault((c, type(c.tp), type(c.predicted), type(c.gold)), c)  # 1 == 1.0: keep types
                if group is None:
                    by_doc[key][doc_id] = c
                else:
                    summed[key][group] += c
                    group_by_doc[key][group][doc_id] = c
    wanted = {"label": schema.label_names, "event_type": schema.event_type_names,
              "role": schema.role_names} if schema else {}
    by_key = {}
    for key in KEYS:
        grouped = GROUPED_BY.get(key)
        first = (CASUALTY_LABEL,) if key == "casualty" else wanted.get(grouped, ()) if grouped else ()
        names = dict.fromkeys([*first, *sorted(name for name, c in summed[key].items() if c.predicted or c.gold)])
        by_key[key] = KeyScore(total(by_doc[key].values()),
                               {name: summed[key].get(name, Counts()) for name in names} if grouped else {},
                               by_doc[key], dict(group_by_doc[key]))
    by_key.update((key, KeyScore.of(result)) for key, result in (incidents or {}).items())
    return Scores(tuple(doc_ids), tuple(missing), by_key)
