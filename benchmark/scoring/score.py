"""The scores of SPEC section 3: gold and predicted annotations in, counts out.

Pure: no I/O, no printing, no rounding. Offsets are half-open ``[start, end)`` indices
into the document text as a Python ``str`` (Unicode code points). Matching is on
content (offsets, label, role, type), never on ids.

Every score is a ``Counts`` (tp, predicted, gold) summed over documents (micro average).
Each match key is declared once, from the SPEC's definition (``SET_KEYS``,
``SEMEVAL_CREDIT``, ``_score_events``); a true positive is a predicted tuple equal to a
gold tuple:

- ``entity.strict``: (doc, start, end, label)
- ``casualty``: (doc, start, end, status, count, qualifier) over CASUALTY spans
- ``trigger.identification``: (doc, trigger start, trigger end)
- ``trigger.classification``: (doc, trigger start, trigger end, type)
- ``argument.identification``: (doc, type, argument start, argument end)
- ``argument.classification``: (doc, type, role, argument start, argument end)
- ``argument.attached``: (doc, trigger start, trigger end, type, role, start, end)
- ``entity.exact``, ``entity.partial``, ``entity.type``: SemEval-2013, see below
- ``event.exact``: type, trigger and argument set equal; each gold event matches at most
  one prediction (identical events match min(gold copies, predicted copies) times);
  predicted and gold are numbers of event mentions
- ``event.template``: F(e) = {(TRIGGER, start, end)} | {(role, start, end) per argument};
  within each document and event type, the one-to-one alignment of predicted to gold
  events maximising the total |F(g) & F(p)| (Hungarian); tp is that total, predicted
  and gold are the sums of |F(p)| and |F(g)|

Tuples are sets per document (duplicates collapse), except that ``event.exact`` and
``event.template`` count event mentions as given. A casualty tuple with a missing
attribute (``None``) is counted but never equals a gold tuple. Breakdowns: per label for
the entity keys and ``casualty``, per role for ``argument.classification`` and
``argument.attached``, per event type for ``trigger.classification``, ``event.exact`` and
``event.template``; names come from the data and, when given, the schema.

SemEval-2013 modes (``entity.exact``: same boundaries; ``entity.partial``: same
boundaries is COR, any other overlap is PAR worth 0.5, label ignored; ``entity.type``:
any overlap with the same label is COR). tp = COR (+ 0.5 PAR), predicted = ACT = the
number of predicted tuples, gold = POS = the number of gold tuples. Each gold and each
predicted span is used at most once, and the pairing is the one-to-one matching of
*maximal credit* (Hungarian assignment per connected group of overlapping spans; ties
go to the closest boundaries, |start difference| + |end difference|, which never
changes a count). The per-label figures re-run the mode with only that label's spans on
both sides, as nervaluate does. Where this differs from nervaluate 1.2.1:

1. nervaluate walks the predictions in input order and gives each one a still-unmatched
   gold span: one with the same boundaries if any, else the first one it overlaps (for
   ``ent_type``: the closest overlapping one with the same label, else the first
   overlapping one with another label); a prediction that only overlaps (INC or PAR)
   still uses that gold span up. Its numbers therefore depend on the order of the
   predictions, and can be below the best pairing. Ours never depend on order. Worked
   cases (tested in ``tests/test_score_differential.py``):

   a. Two predictions overlapping one gold span: gold [0, 10); predictions [0, 5) then
      [0, 10). nervaluate: exact COR 0, partial 0.5 (the first takes the gold span as
      INC/PAR, the second is SPU); in the other order COR 1, partial 1.0. Ours: 1 and 1.0
      in both orders.
   b. One prediction overlapping two gold spans: gold [0, 4) and [5, 10); predictions
      [3, 7) then [0, 4). nervaluate: exact COR 0, partial 0.5 ([3, 7) takes [0, 4), and
      [0, 4) finds nothing left); in the other order 1 and 1.5. Ours: 1 and 1.5 in both.
   c. ``ent_type`` with closest-boundary greed: gold A[0, 4) and A[5, 10); predictions
      A[3, 8) then A[8, 10). nervaluate: COR 1 ([3, 8) takes the closer [5, 10), and
      [8, 10) finds nothing); in the other order COR 2. Ours: 2.
   d. ``ent_type`` with a wrong label first: gold A[0, 5); predictions B[0, 5) then
      A[0, 5). nervaluate: COR 0 (B takes the gold span as INC); other order COR 1.
      Ours: 1.

2. Identical predicted (start, end, label) spans in a document collapse to one (set
   semantics); nervaluate counts each copy in ACT.
3. Overlap is any shared code point. nervaluate measures overlap as a percentage of the
   gold span with a 1 % minimum, so a one-character overlap with a gold span longer than
   100 characters is no overlap there.
4. nervaluate ends are inclusive: our [start, end) is its (start, end - 1). It also drops
   labels outside its ``tags`` list; we keep every label.

Without overlaps among the predictions or among the gold spans, with each prediction
overlapping at most one gold span and vice versa, no duplicates, and gold spans of at
most 100 characters, the counts equal nervaluate's (tested).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Mapping, Sequence

import numpy as np
from scipy.optimize import linear_sum_assignment
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from benchmark.model import Annotation
from benchmark.schema import Schema

KEYS = ("entity.strict", "entity.exact", "entity.partial", "entity.type", "casualty",
        "trigger.identification", "trigger.classification", "argument.identification",
        "argument.classification", "argument.attached", "event.exact", "event.template")
CASUALTY_LABEL = "CASUALTY"
CASUALTY_ATTRIBUTES = ("status", "count", "qualifier")
Number = int | float


def ratio(numerator, denominator):
    """The zero rule, stated once: numerator / denominator, and 0 where the denominator is 0.

    Works on scalars and on numpy arrays (elementwise).
    """
    numerator = np.asarray(numerator, dtype=float)
    denominator = np.asarray(denominator, dtype=float)
    out = np.zeros(np.broadcast(numerator, denominator).shape)
    return np.divide(numerator, denominator, out=out, where=denominator != 0)


def prf(tp, predicted, gold):
    """Precision, recall and F1 = 2PR / (P + R), each 0 when its denominator is 0 (arrays too)."""
    precision, recall = ratio(tp, predicted), ratio(tp, gold)
    return precision, recall, ratio(2 * precision * recall, precision + recall)


@dataclass(frozen=True, slots=True)
class Counts:
    """True positives, predicted and gold totals of one score; adds up across documents."""

    tp: float = 0.0
    predicted: Number = 0
    gold: Number = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.tp + other.tp, self.predicted + other.predicted, self.gold + other.gold)

    @property
    def precision(self) -> float:
        return float(prf(self.tp, self.predicted, self.gold)[0])

    @property
    def recall(self) -> float:
        return float(prf(self.tp, self.predicted, self.gold)[1])

    @property
    def f1(self) -> float:
        return float(prf(self.tp, self.predicted, self.gold)[2])


def _counts(row: np.ndarray) -> Counts:
    return Counts(float(row[0]), int(round(row[1])), int(round(row[2])))


@dataclass(frozen=True, eq=False)
class KeyScores:
    """One key's counts: total, per group (label, role or type), and per document.

    ``per_doc[i]`` holds (tp, predicted, gold) of ``Scores.doc_ids[i]``; ``per_doc_groups[i, j]``
    those of group ``group_names[j]`` in that document. Arrays are read-only.
    """

    total: Counts
    groups: Mapping[str, Counts]
    group_names: tuple[str, ...]
    per_doc: np.ndarray
    per_doc_groups: np.ndarray


@dataclass(frozen=True, eq=False)
class Scores:
    """Every key of SPEC section 3, over the gold documents ``doc_ids`` (in gold order).

    ``missing`` lists the gold documents absent from the predictions (scored as empty).
    """

    doc_ids: tuple[str, ...]
    missing: tuple[str, ...]
    by_key: Mapping[str, KeyScores]

    def __getitem__(self, key: str) -> KeyScores:
        return self.by_key[key]

    def by_doc(self, key: str) -> dict[str, Counts]:
        """Counts of ``key`` per document id."""
        return {doc_id: _counts(row) for doc_id, row in zip(self.doc_ids, self.by_key[key].per_doc)}


# ---------------------------------------------------------------------------------------
# Match keys: the one place where each set-valued key is defined.

@dataclass(frozen=True, slots=True)
class SetKey:
    """A key whose true positives are the tuples (doc, *fields) found on both sides."""

    table: str
    fields: tuple[str, ...]
    group: str | None = None


SET_KEYS: dict[str, SetKey] = {
    "entity.strict": SetKey("entity", ("start", "end", "label"), "label"),
    "casualty": SetKey("casualty", ("start", "end", *CASUALTY_ATTRIBUTES), "label"),
    "trigger.identification": SetKey("event", ("trigger_start", "trigger_end")),
    "trigger.classification": SetKey("event", ("trigger_start", "trigger_end", "event_type"), "event_type"),
    "argument.identification": SetKey("argument", ("event_type", "start", "end")),
    "argument.classification": SetKey("argument", ("event_type", "role", "start", "end"), "role"),
    "argument.attached": SetKey("argument", ("trigger_start", "trigger_end", "event_type", "role",
                                             "start", "end"), "role"),
}
# SemEval modes: credit of an overlapping (gold, pred) pair in half points.
SEMEVAL_CREDIT = {
    "entity.exact": lambda same_bounds, same_label: 2 * same_bounds,
    "entity.partial": lambda same_bounds, same_label: 1 + same_bounds,
    "entity.type": lambda same_bounds, same_label: 2 * same_label,
}
# What each key is broken down by (None: no breakdown).
GROUPED_BY: dict[str, str | None] = {**{key: d.group for key, d in SET_KEYS.items()},
                                     **dict.fromkeys(SEMEVAL_CREDIT, "label"),
                                     "event.exact": "event_type", "event.template": "event_type"}

# ---------------------------------------------------------------------------------------
# Flat tables: one pass over the objects into numpy columns.
#
# Reading ~500k small objects is most of the cost of ``score``, and most of that is waiting
# for memory. The objects of one document were created together, so the pass reads every
# field it needs document by document, while that document's objects are close together,
# into flat lists of ints; numpy then splits each list into columns.

Table = dict[str, np.ndarray]
_LIMIT = 1 << 62


class _Ids(dict):
    """Name -> dense integer id, assigned on first sight and shared by gold and pred."""

    def __missing__(self, name: object) -> int:
        self[name] = len(self)
        return self[name]


class _Projection(dict):
    """Casualty attributes tuple -> number of its row of ids of (status, count, qualifier); -1 = absent."""

    def __init__(self) -> None:
        super().__init__()
        self.ids, self.rows = _Ids(), []

    def __missing__(self, attributes: tuple) -> int:
        found = dict(attributes)
        row = [self.ids[(n, found[n])] if found.get(n) is not None else -1 for n in CASUALTY_ATTRIBUTES]
        self.rows.append(row)
        self[attributes] = len(self.rows) - 1
        return self[attributes]

    def columns(self, rows: np.ndarray) -> np.ndarray:
        """The (status, count, qualifier) ids of the given row numbers, one line each."""
        return np.array(self.rows, dtype=np.int64).reshape(-1, len(CASUALTY_ATTRIBUTES))[rows]


def _take(table: Table, rows: np.ndarray) -> Table:
    return {name: column[rows] for name, column in table.items()}


def _columns(flat: list[int], names: Sequence[str]) -> Table:
    """Split a flat list of rows of ``len(names)`` ints into one int64 column per name."""
    rows = np.fromiter(flat, dtype=np.int64, count=len(flat)).reshape(-1, len(names))
    return {name: rows[:, k] for k, name in enumerate(names)}


def _tables(annotations: Sequence[Annotation], ids: dict[str, _Ids], projection: _Projection) -> dict[str, Table]:
    """The entity, casualty, event and argument rows of ``annotations``, as columns (doc = position)."""
    labels, event_types, roles = ids["label"], ids["event_type"], ids["role"]
    entity_rows, event_rows, argument_rows = [], [], []
    for a in annotations:
        for e in a.entities:
            entity_rows += (e.span.start, e.span.end, labels[e.label],
                            projection[e.attributes] if e.label == CASUALTY_LABEL else -1)
        for e in a.events:
            event_rows += (e.trigger.start, e.trigger.end, event_types[e.event_type], len(e.arguments))
            for x in e.arguments:
                argument_rows += (roles[x.role], x.span.start, x.span.end)
    docs = np.arange(len(annotations))
    entity = _columns(entity_rows, ("start", "end", "label", "attributes"))
    entity["doc"] = np.repeat(docs, [len(a.entities) for a in annotations])
    found = entity["label"] == labels[CASUALTY_LABEL]
    values = projection.columns(entity.pop("attributes")[found])
    casualty = _take(entity, found)
    casualty.update({name: values[:, k] for k, name in enumerate(CASUALTY_ATTRIBUTES)})
    casualty["ok"] = (values >= 0).all(axis=1).astype(np.int64)

    event = _columns(event_rows, ("trigger_start", "trigger_end", "event_type", "arguments"))
    event["doc"] = np.repeat(docs, [len(a.events) for a in annotations])
    owner = np.repeat(np.arange(len(event["doc"])), event.pop("arguments"))
    argument = {name: column[owner] for name, column in event.items()}
    argument["event"] = owner
    argument.update(_columns(argument_rows, ("role", "start", "end")))
    return {"entity": entity, "casualty": casualty, "event": event, "argument": argument}


def _split(both: dict[str, Table], n_docs: int) -> tuple[dict[str, Table], dict[str, Table]]:
    """The gold rows and the predicted rows (views) of tables read from the gold documents followed
    by the predictions; first renumbers, in place, the predicted rows' documents and events from 0."""
    n_gold = {name: int(np.searchsorted(table["doc"], n_docs)) for name, table in both.items()}
    for name, table in both.items():
        table["doc"][n_gold[name]:] -= n_docs
    both["argument"]["event"][n_gold["argument"]:] -= n_gold["event"]
    gold = {name: {column: values[:n_gold[name]] for column, values in table.items()}
            for name, table in both.items()}
    pred = {name: {column: values[n_gold[name]:] for column, values in table.items()}
            for name, table in both.items()}
    return gold, pred


def _rank_names(ids: _Ids, first: Sequence[str]) -> tuple[tuple[str, ...], np.ndarray]:
    """Names in a stable order (``first``, then the rest sorted) and the old -> new id map."""
    names = tuple(dict.fromkeys([*first, *sorted(ids, key=str)]))
    position = {name: i for i, name in enumerate(names)}
    remap = np.array([position[name] for name in ids], dtype=np.int64)
    return names, remap


# ---------------------------------------------------------------------------------------
# Vectorised building blocks.

def _encode(columns: Sequence[np.ndarray]) -> tuple[np.ndarray, int]:
    """One int64 per row, equal exactly when the rows are equal, and the number of possible
    codes (mixed radix over the columns, re-ranked when it would overflow)."""
    code = np.zeros(len(columns[0]), dtype=np.int64)
    radix = 1
    if not len(code):
        return code, radix
    for column in columns:
        low = int(column.min())
        size = int(column.max()) - low + 1
        if radix * size >= _LIMIT:
            kept, code = np.unique(code, return_inverse=True)
            radix = len(kept)
        if radix * size >= _LIMIT:
            kept, column = np.unique(column, return_inverse=True)
            low, size = 0, len(kept)
        code = code * size + (column - low)
        radix *= size
    return code, radix


def _keyed(lead: np.ndarray, lead_size: int, tail: Sequence[np.ndarray]) -> tuple[np.ndarray, int]:
    """Codes ``lead * radix + code(tail)``, so that ``code // radix`` gives the lead back."""
    code, radix = _encode(tail)
    if lead_size * radix >= _LIMIT:
        kept, code = np.unique(code, return_inverse=True)
        radix = len(kept)
    return lead * radix + code, radix


def _distinct(code: np.ndarray) -> np.ndarray:
    """Indices of one row per distinct code (every row when they are distinct already)."""
    ordered = np.sort(code)
    if not (ordered[1:] == ordered[:-1]).any():
        return np.arange(len(code))
    order = np.argsort(code)
    first = np.ones(len(code), dtype=bool)
    first[1:] = code[order[1:]] != code[order[:-1]]
    return order[first]


def _distinct_rows(table: Table, code: np.ndarray) -> Table:
    """``table`` with one row per distinct code (``table`` itself when they are distinct already)."""
    rows = _distinct(code)
    return table if len(rows) == len(code) else _take(table, rows)


def _shared(gold_codes: np.ndarray, pred_codes: np.ndarray) -> np.ndarray:
    """The codes in both arrays (each array holding distinct codes)."""
    both = np.sort(np.concatenate([gold_codes, pred_codes]))
    return both[1:][both[1:] == both[:-1]]


def _sorting(values: np.ndarray) -> np.ndarray:
    """The permutation sorting ``values`` (the identity when sorted already)."""
    return np.arange(len(values)) if (values[1:] >= values[:-1]).all() else np.argsort(values)


def _expand(low: np.ndarray, high: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """All pairs (i, j) with low[i] <= j < high[i]."""
    size = np.maximum(high - low, 0)
    left = np.repeat(np.arange(len(low)), size)
    offset = np.arange(len(left)) - np.repeat(np.cumsum(size) - size, size)
    return left, np.repeat(low, size) + offset


def _bincount(index: np.ndarray, size: int, weights: np.ndarray | None = None) -> np.ndarray:
    return np.bincount(index, weights=weights, minlength=size).astype(float)[:size]


def assign(left: np.ndarray, right: np.ndarray, weight: np.ndarray) -> np.ndarray:
    """Choose a one-to-one set of edges (left[i], right[i]) of maximal total weight (weights > 0).

    Returns a boolean mask over the edges. A connected group that is one node with its
    neighbours (the usual case) takes its heaviest edge; any other group is solved with
    the Hungarian algorithm (``scipy.optimize.linear_sum_assignment``). Ties between
    equally heavy choices are broken deterministically from the edges' content.
    """
    chosen = np.zeros(len(left), dtype=bool)
    if not len(left):
        return chosen
    n_left, n_right = int(left.max()) + 1, int(right.max()) + 1
    left_degree = np.bincount(left, minlength=n_left)[left]
    right_degree = np.bincount(right, minlength=n_right)[right]
    chosen[(left_degree == 1) & (right_degree == 1)] = True  # an edge alone in its group
    busy = np.flatnonzero((left_degree > 1) | (right_degree > 1))
    left_star = np.bincount(left[busy], weights=right_degree[busy] > 1, minlength=n_left)[left[busy]] == 0
    right_star = ~left_star & (np.bincount(right[busy], weights=left_degree[busy] > 1,
                                           minlength=n_right)[right[busy]] == 0)
    for star, centre in ((left_star, left), (right_star, right)):
        edges = busy[star]
        edges = edges[np.argsort(_encode([centre[edges], -weight[edges]])[0])]
        first = np.ones(len(edges), dtype=bool)
        first[1:] = centre[edges[1:]] != centre[edges[:-1]]
        chosen[edges[first]] = True
    rest = busy[~(left_star | right_star)]
    if len(rest):
        graph = coo_matrix((np.ones(len(rest)), (left[rest], n_left + right[rest])),
                           shape=(n_left + n_right,) * 2)
        _, component = connected_components(graph, directed=False)
        rest = rest[np.argsort(component[left[rest]], kind="stable")]
        bounds = np.flatnonzero(np.diff(component[left[rest]])) + 1
        for edges in np.split(rest, bounds):
            rows, row = np.unique(left[edges], return_inverse=True)
            cols, col = np.unique(right[edges], return_inverse=True)
            matrix = np.zeros((len(rows), len(cols)))
            index = np.full((len(rows), len(cols)), -1)
            matrix[row, col], index[row, col] = weight[edges], edges
            picked = index[linear_sum_assignment(matrix, maximize=True)]
            chosen[picked[picked >= 0]] = True
    return chosen


# ---------------------------------------------------------------------------------------
# The keys.

def _score_set(key: SetKey, both: Table, n_gold: int, n_docs: int, n_groups: int):
    """(per_doc, per_doc_groups) of a set-valued key: the tuples (doc, *fields) on both sides.

    ``both`` holds the gold rows' columns followed by the predicted rows' (``n_gold`` gold rows).
    """
    width = max(n_groups, 1)
    lead = both["doc"] * width
    if key.group:
        lead += both[key.group]
    lead *= 2
    lead += both.get("ok", 1)  # ok = 0: a None inside, never a match
    code, radix = _keyed(lead, n_docs * width * 2, [both[f] for f in key.fields if f != key.group])
    code *= 2
    code[n_gold:] += 1  # the side: 0 gold, 1 predicted
    distinct = np.unique(code)  # each side's tuples once, sorted
    is_predicted = (distinct & 1).astype(bool)
    distinct >>= 1
    lead = distinct // radix
    cell, ok = lead >> 1, (lead & 1).astype(bool)
    shared = (distinct[1:] == distinct[:-1]) & ok[1:]  # a gold tuple, then the same predicted tuple
    size = n_docs * width
    tuples, predicted = _bincount(cell, size), _bincount(cell, size, is_predicted)
    counts = [_bincount(cell[1:], size, shared), predicted, tuples - predicted]
    counts = np.stack(counts, axis=-1).reshape(n_docs, width, 3)
    return counts.sum(axis=1), counts[:, :n_groups]


def _score_semeval(gold: Table, pred: Table, n_docs: int, n_labels: int) -> dict[str, tuple]:
    """(per_doc, per_doc_groups) of each SemEval mode over the distinct entity tuples."""
    g, p = (_distinct_rows(side, _encode([side[f] for f in ("doc", "start", "end", "label")])[0])
            for side in (gold, pred))
    stride = int(max(g["end"].max(initial=0), p["end"].max(initial=0))) + 1
    g_start, g_end = g["doc"] * stride + g["start"], g["doc"] * stride + g["end"]
    p_start, p_end = p["doc"] * stride + p["start"], p["doc"] * stride + p["end"]
    order = _sorting(g_start)
    reach = np.maximum.accumulate(g_end[order]) if len(order) else g_end
    pi, gi = _expand(np.searchsorted(reach, p_start, side="right"),
                     np.searchsorted(g_start[order], p_end, side="left"))
    gi = order[gi]
    keep = g_end[gi] > p_start[pi]  # the overlapping (pred, gold) pairs of each document
    pi, gi = pi[keep], gi[keep]
    gs, ge, gl = (g[f][gi] for f in ("start", "end", "label"))
    ps, pe, pl = (p[f][pi] for f in ("start", "end", "label"))
    same_bounds = ((gs == ps) & (ge == pe)).astype(np.int64)
    same_label = (gl == pl).astype(np.int64)
    distance = np.abs(gs - ps) + np.abs(ge - pe)
    scale = int(distance.sum()) + 1  # credit first, then closeness
    cell = g["doc"][gi] * n_labels + gl
    size = n_docs * n_labels
    predicted = _bincount(p["doc"] * n_labels + p["label"], size).reshape(n_docs, n_labels)
    gold_count = _bincount(g["doc"] * n_labels + g["label"], size).reshape(n_docs, n_labels)
    results = {}
    for key, credit_of in SEMEVAL_CREDIT.items():
        credit = credit_of(same_bounds, same_label)

        def best(edges: np.ndarray) -> np.ndarray:
            chosen = edges[assign(pi[edges], gi[edges], credit[edges] * scale - distance[edges])]
            return _bincount(cell[chosen], size, credit[chosen] / 2).reshape(n_docs, n_labels)

        every = np.flatnonzero(credit > 0)
        same = np.flatnonzero((credit > 0) & (same_label == 1))  # each label scored alone
        tp = best(every)
        tp_by_label = tp if len(same) == len(every) else best(same)
        per_doc = np.stack([tp.sum(axis=1), predicted.sum(axis=1), gold_count.sum(axis=1)], axis=-1)
        results[key] = per_doc, np.stack([tp_by_label, predicted, gold_count], axis=-1)
    return results


def _fillers(side: dict[str, Table]) -> Table:
    """F(e) of every event mention: (TRIGGER, start, end) and (role, start, end) per argument."""
    event, argument = side["event"], side["argument"]
    n = len(event["doc"])
    owner = np.concatenate([np.arange(n), argument["event"]])
    return {"event": owner, "doc": event["doc"][owner], "event_type": event["event_type"][owner],
            "kind": np.concatenate([np.zeros(n, dtype=np.int64), argument["role"] + 1]),  # 0 = TRIGGER
            "start": np.concatenate([event["trigger_start"], argument["start"]]),
            "end": np.concatenate([event["trigger_end"], argument["end"]])}


def _score_events(gold: dict[str, Table], pred: dict[str, Table], n_docs: int, n_types: int) -> dict[str, tuple]:
    """(per_doc, per_doc_groups) of ``event.template`` and ``event.exact``, by event type.

    A predicted and a gold event of one document and type are paired when their filler
    sets meet; the pair's weight is |F(g) & F(p)|, and F(g) = F(p) makes an exact match.
    """
    fg, fp = _fillers(gold), _fillers(pred)
    n_gold = len(fg["doc"])
    join, _ = _encode([np.concatenate([fg[f], fp[f]]) for f in ("doc", "event_type", "kind", "start", "end")])
    g_join, p_join = join[:n_gold], join[n_gold:]
    g_rows = _distinct(_encode([fg["event"], g_join])[0])  # F(e) is a set
    p_rows = _distinct(_encode([fp["event"], p_join])[0])
    g_events = len(gold["event"]["doc"])
    g_size = np.bincount(fg["event"][g_rows], minlength=g_events)
    p_size = np.bincount(fp["event"][p_rows], minlength=len(pred["event"]["doc"]))
    order, p_order = g_rows[_sorting(g_join[g_rows])], p_rows[_sorting(p_join[p_rows])]
    codes, queries = g_join[order], p_join[p_order]  # both sorted: the searches below are quick
    pi, gi = _expand(np.searchsorted(codes, queries, "left"), np.searchsorted(codes, queries, "right"))
    stride = max(g_events, 1)
    pair, shared = np.unique(fp["event"][p_order[pi]] * stride + fg["event"][order[gi]], return_counts=True)
    pe, ge = pair // stride, pair % stride
    g_cell = gold["event"]["doc"] * n_types + gold["event"]["event_type"]
    p_cell = pred["event"]["doc"] * n_types + pred["event"]["event_type"]
    size = n_docs * n_types

    def by_doc(tp: np.ndarray, predicted: np.ndarray, gold_count: np.ndarray) -> tuple:
        counts = np.stack([tp, predicted, gold_count], axis=-1).reshape(n_docs, n_types, 3)
        return counts.sum(axis=1), counts

    aligned = assign(pe, ge, shared)
    equal = np.flatnonzero((shared == g_size[ge]) & (shared == p_size[pe]))
    matched = equal[assign(pe[equal], ge[equal], np.ones(len(equal), dtype=np.int64))]
    return {"event.template": by_doc(_bincount(g_cell[ge[aligned]], size, shared[aligned]),
                                     _bincount(p_cell, size, p_size), _bincount(g_cell, size, g_size)),
            "event.exact": by_doc(_bincount(g_cell[ge[matched]], size), _bincount(p_cell, size),
                                  _bincount(g_cell, size))}


# ---------------------------------------------------------------------------------------

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
    missing = tuple(d for d in doc_ids if d not in pred_by_doc)
    return [pred_by_doc.get(d) or Annotation(d) for d in doc_ids], missing


def _schema_names(schema: Schema | None) -> dict[str, tuple[str, ...]]:
    if schema is None:
        return {"label": (), "event_type": (), "role": ()}
    return {"label": schema.label_names, "event_type": schema.event_type_names, "role": schema.role_names}


def _key_scores(per_doc: np.ndarray, per_group: np.ndarray, names: tuple[str, ...],
                wanted: Iterable[str]) -> KeyScores:
    """Freeze one key's arrays; keep the groups that are ``wanted`` or occur in the data."""
    wanted = set(wanted)
    keep = [i for i, name in enumerate(names) if name in wanted or per_group[:, i, 1:].any()]
    per_doc, per_group = np.ascontiguousarray(per_doc), np.ascontiguousarray(per_group[:, keep])
    names = tuple(names[i] for i in keep)
    for array in (per_doc, per_group):
        array.setflags(write=False)
    groups = {name: _counts(row) for name, row in zip(names, per_group.sum(axis=0))}
    return KeyScores(_counts(per_doc.sum(axis=0)), groups, names, per_doc, per_group)


def score(gold: Sequence[Annotation], pred: Sequence[Annotation], schema: Schema | None = None) -> Scores:
    """Score predictions against gold on every key of SPEC section 3 (see the module docstring).

    Offsets are half-open code-point offsets ``[start, end)``. A gold document absent from
    ``pred`` counts as predicting nothing and is listed in ``Scores.missing``; a predicted
    document id absent from gold, or a repeated document id, raises ``ValueError``. With a
    ``schema``, its labels, event types and roles appear in the breakdowns even when
    absent from the data (``casualty`` breaks down by the CASUALTY label only).
    """
    pred_aligned, missing = _align(gold, pred)
    ids = {"label": _Ids({CASUALTY_LABEL: 0}), "event_type": _Ids(), "role": _Ids()}
    projection = _Projection()
    both = _tables([*gold, *pred_aligned], ids, projection)  # the gold rows, then the predicted rows
    wanted = _schema_names(schema)
    names: dict[str, tuple[str, ...]] = {}
    for namespace, known in ids.items():
        names[namespace], remap = _rank_names(known, wanted[namespace])
        for table in both.values():
            if namespace in table:
                table[namespace] = remap[table[namespace]]
    n_docs = len(gold)
    g, p = _split(both, n_docs)
    counts = {key: _score_set(definition, both[definition.table], len(g[definition.table]["doc"]), n_docs,
                              len(names[definition.group]) if definition.group else 0)
              for key, definition in SET_KEYS.items()}
    counts.update(_score_semeval(g["entity"], p["entity"], n_docs, len(names["label"])))
    counts.update(_score_events(g, p, n_docs, len(names["event_type"])))
    by_key = {}
    for key in KEYS:
        namespace = GROUPED_BY[key]
        shown = (CASUALTY_LABEL,) if key == "casualty" else wanted.get(namespace, ())
        by_key[key] = _key_scores(*counts[key], names.get(namespace, ()), shown)
    return Scores(tuple(a.doc_id for a in gold), missing, by_key)
