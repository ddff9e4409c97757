"""The incident scores of SPEC 3.1: linking of event mentions across documents, and records.

Pure: no I/O, no printing, no rounding. Event mentions are located by half-open
code-point offsets ``[start, end)`` into the document text; records carry no offsets.

**Linking** (``incident.muc``, ``incident.b3``, ``incident.ceafe``, ``incident.conll``).
A mention is (doc, trigger start, trigger end). Mentions sharing an ``incident`` key form
a cluster; a mention without a key is a singleton cluster. When one side has several
events on one trigger with different keys, the first of them in the input that carries a
key decides (SPEC 3.1: "its first event in the file counts"); a mention is keyless only
when none of its events carries a key. With K the gold clusters and R the predicted ones, as the reference
CoNLL scorer v8.01 computes them over mention sets that may differ (Pradhan et al. 2014):

- MUC: recall = Σ_k (|k| − |p(k, R)|) / Σ_k (|k| − 1), where p(k, R) is the partition of
  k by the clusters of R, each mention of k that R lacks being a part of its own;
  precision swaps K and R.
- B³: recall = Σ_k Σ_r |k ∩ r|² / |k| over Σ_k |k|; precision swaps K and R. A mention
  missing from the other side adds to the denominator and nothing to the numerator.
- CEAF-e: φ4(k, r) = 2|k ∩ r| / (|k| + |r|); S = the largest Σ φ4 over one-to-one
  alignments of K and R (Hungarian, solved separately in each connected group of
  clusters that share a mention: clusters in different groups have φ4 = 0); recall =
  S / |K|, precision = S / |R|.
- ``incident.conll``: the means of the three metrics' precision, recall and F1.

Each ratio is 0 when its denominator is 0; F1 = 2PR / (P + R), 0 when P + R = 0. For
these keys ``predicted`` and ``gold`` count mentions and ``tp`` the mentions on both sides.

**Records** (``incident.record``). Credit in [0, 1] per field of a predicted record against
a gold one: ``date`` 1 when equal, 0.5 when one is a prefix of the other (a valid ISO
date that is a prefix of another is its year or month: "2021-02" against "2021-02-15",
and also "2021" against "2021-02-15"), else 0; ``place`` 1 when equal ignoring case
(``str.casefold``; two ``null`` places are equal), else 0; ``attackers`` and
``weapon_classes`` the F1 of the two sets of case-folded names, 1 when both are empty;
``killed`` and ``injured`` 1 when equal (both ``null`` included), 0 when only one is
``null``, else max(0, 1 − |p − g| / max(p, g, 4)) (IARPA Mercury). ``country`` is not
scored. A pair's credit is the sum over the six fields. Predicted records are aligned
one-to-one to gold records so that the total credit is maximal. Two records *can match*
when their pair credit is above 0; a pair of credit 0 adds nothing whether aligned or
not, so the maximum is the sum of the maxima of the connected groups of the graph whose
edges are the pairs that can match, and the assignment is solved per group
(``benchmark.scoring.score.assign``, the same as for SemEval pairing and ``event.template``).
``tp`` is the total credit, ``predicted`` 6 × the predicted records, ``gold`` 6 × the gold
records. Per field (``by_field``): ``tp`` is that field's credit over the aligned pairs,
``predicted`` and ``gold`` the numbers of records. Ties between alignments of equal total
go to ``assign`` over the records sorted by key: the total never depends on them, the
per-field split can. Note that fields on which both records are empty earn credit
(two ``null`` tolls, two empty attacker sets), so most pairs can match and the groups are
often one; restricting "can match" further (to a shared date or place, say) could lose
the maximum the SPEC asks for, so it is not done. The credits of all predicted × gold
pairs are computed (the gold has a few dozen records).
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from typing import Callable, Iterable, Mapping, Sequence

from benchmark.incidents import EventMentions, IncidentRecord, event_mentions
from benchmark.model import Annotation
from benchmark.scoring.score import assign

LINKING_KEYS = ("incident.muc", "incident.b3", "incident.ceafe", "incident.conll")
INCIDENT_KEYS = (*LINKING_KEYS, "incident.record")
RECORD_FIELDS = ("date", "place", "attackers", "weapon_classes", "killed", "injured")

Mention = tuple[str, int, int]
Cluster = frozenset
PR = tuple[float, float]


def _ratio(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator else 0.0


def _f1(precision: float, recall: float) -> float:
    return _ratio(2 * precision * recall, precision + recall)


@dataclass(frozen=True, slots=True)
class IncidentScore:
    """One incident key: precision, recall, F1 and the counts they come with.

    For the linking keys precision and recall are the metric's own (not tp / predicted);
    for ``incident.record`` they are tp / predicted and tp / gold, and ``by_field`` holds
    the same for each of ``RECORD_FIELDS``.
    """

    precision: float
    recall: float
    f1: float
    tp: float
    predicted: float
    gold: float
    by_field: Mapping[str, IncidentScore] = field(default_factory=dict, compare=False)

    @property
    def groups(self) -> Mapping[str, IncidentScore]:
        """``by_field`` under the name every score's breakdown has."""
        return self.by_field


def _from_counts(tp: float, predicted: float, gold: float, by_field=None) -> IncidentScore:
    precision, recall = _ratio(tp, predicted), _ratio(tp, gold)
    return IncidentScore(precision, recall, _f1(precision, recall), tp, predicted, gold, by_field or {})


# ---------------------------------------------------------------------------------------
# Linking

def incident_clusters(annotations: Iterable[Annotation | EventMentions]) -> list[Cluster]:
    """The clusters of event mentions (doc, trigger start, trigger end) by incident key.

    Keyed clusters first (in order of their keys' first use), then one singleton per
    mention without a key. The first event on a trigger that carries a key decides its
    mention's key.
    """
    key_of: dict[Mention, object] = {}
    for item in annotations:
        doc_id, bounds, keys = event_mentions(item)
        keyed = dict(keys)
        for n in range(len(bounds) // 2):
            mention = (doc_id, bounds[2 * n], bounds[2 * n + 1])
            if key_of.get(mention) is None:
                key_of[mention] = keyed.get(n)
    keyed_clusters: dict[object, set[Mention]] = {}
    singletons = []
    for mention, key in key_of.items():
        if key is None:
            singletons.append(frozenset((mention,)))
        else:
            keyed_clusters.setdefault(key, set()).add(mention)
    return [frozenset(c) for c in keyed_clusters.values()] + singletons


def _index(clusters: Sequence[Cluster]) -> dict[Mention, int]:
    return {m: i for i, cluster in enumerate(clusters) for m in cluster}


def _muc_side(clusters: Sequence[Cluster], other: Sequence[Cluster]) -> float:
    where = _index(other)
    numerator = denominator = 0
    for cluster in clusters:
        if len(cluster) == 1:
            continue  # a singleton adds 0 to both sums
        parts = {where.get(m, m) for m in cluster}  # an unseen mention is a part of its own
        numerator += len(cluster) - len(parts)
        denominator += len(cluster) - 1
    return _ratio(numerator, denominator)


def muc(gold: Sequence[Cluster], pred: Sequence[Cluster]) -> PR:
    """MUC (precision, recall) of reference scorer v8.01 over possibly different mention sets."""
    return _muc_side(pred, gold), _muc_side(gold, pred)


def _b3_side(clusters: Sequence[Cluster], other: Sequence[Cluster]) -> float:
    where = _index(other)
    shared = Counter((i, where[m]) for i, cluster in enumerate(clusters) for m in cluster if m in where)  # |k ∩ r|
    terms = [n * n / len(clusters[i]) for (i, _), n in shared.items()]
    return _ratio(math.fsum(terms), sum(map(len, clusters)))


def b_cubed(gold: Sequence[Cluster], pred: Sequence[Cluster]) -> PR:
    """B³ (precision, recall) of reference scorer v8.01 over possibly different mention sets."""
    return _b3_side(pred, gold), _b3_side(gold, pred)


def _phi4(a: Cluster, b: Cluster) -> float:
    return 2 * len(a & b) / (len(a) + len(b))


def ceaf_e(gold: Sequence[Cluster], pred: Sequence[Cluster]) -> PR:
    """CEAF-e (φ4) (precision, recall) of reference scorer v8.01, Hungarian per connected group."""
    where = _index(pred)
    shared = sorted({(g, where[m]) for g, cluster in enumerate(gold) for m in cluster if m in where})
    phi4 = {(g, p): _phi4(gold[g], pred[p]) for g, p in shared}
    similarity = math.fsum(phi4[pair] for pair in assign(phi4))
    return _ratio(similarity, len(pred)), _ratio(similarity, len(gold))


LINKING_METRICS: dict[str, Callable[[Sequence[Cluster], Sequence[Cluster]], PR]] = {
    "incident.muc": muc, "incident.b3": b_cubed, "incident.ceafe": ceaf_e}


def score_linking(gold: Sequence[Annotation | EventMentions], pred: Sequence[Annotation | EventMentions],
                  ) -> dict[str, IncidentScore]:
    """The four linking keys of SPEC 3.1 for the event mentions of ``gold`` and ``pred``
    (annotations, or their ``EventMentions``)."""
    gold_clusters, pred_clusters = incident_clusters(gold), incident_clusters(pred)
    gold_mentions = set().union(*gold_clusters) if gold_clusters else set()
    pred_mentions = set().union(*pred_clusters) if pred_clusters else set()
    counts = (len(gold_mentions & pred_mentions), len(pred_mentions), len(gold_mentions))
    out = {}
    for key, metric in LINKING_METRICS.items():
        precision, recall = metric(gold_clusters, pred_clusters)
        out[key] = IncidentScore(precision, recall, _f1(precision, recall), *counts)
    parts = [out[key] for key in LINKING_METRICS]
    out["incident.conll"] = IncidentScore(*(math.fsum(getattr(s, name) for s in parts) / len(parts)
                                            for name in ("precision", "recall", "f1")), *counts)
    return out


# ---------------------------------------------------------------------------------------
# Records

def _set_f1(pred: Iterable[str], gold: Iterable[str]) -> float:
    p, g = {v.casefold() for v in pred}, {v.casefold() for v in gold}
    if not p and not g:
        return 1.0
    return 2 * len(p & g) / (len(p) + len(g))


def count_credit(pred: int | None, gold: int | None) -> float:
    """1 when equal (both ``None`` included), 0 when one is ``None``, else Mercury's credit."""
    if pred == gold:
        return 1.0
    if pred is None or gold is None:
        return 0.0
    return max(0.0, 1 - abs(pred - gold) / max(pred, gold, 4))


def date_credit(pred: str, gold: str) -> float:
    """1 when equal, 0.5 when one ISO date is a prefix of the other, else 0."""
    if pred == gold:
        return 1.0
    return 0.5 if pred.startswith(gold) or gold.startswith(pred) else 0.0


def place_credit(pred: str | None, gold: str | None) -> float:
    """1 when equal ignoring case (two ``None`` are equal), else 0."""
    if pred is None or gold is None:
        return float(pred is gold)
    return float(pred.casefold() == gold.casefold())


def field_credits(pred: IncidentRecord, gold: IncidentRecord) -> tuple[float, ...]:
    """The credit of each of ``RECORD_FIELDS`` for ``pred`` against ``gold``."""
    return (date_credit(pred.date, gold.date), place_credit(pred.place, gold.place),
            _set_f1(pred.attackers, gold.attackers), _set_f1(pred.weapon_classes, gold.weapon_classes),
            count_credit(pred.killed, gold.killed), count_credit(pred.injured, gold.injured))


def score_records(gold: Sequence[IncidentRecord], pred: Sequence[IncidentRecord]) -> IncidentScore:
    """``incident.record``: the credit-maximal one-to-one alignment, total and per field."""
    gold = sorted(gold, key=lambda r: r.incident)
    pred = sorted(pred, key=lambda r: r.incident)
    credits = {(p, g): field_credits(pred[p], gold[g]) for p in range(len(pred)) for g in range(len(gold))}
    can_match = {pair: math.fsum(c) for pair, c in credits.items() if math.fsum(c) > 0}
    aligned = assign(can_match)
    per_field = [math.fsum(credits[pair][i] for pair in aligned) for i in range(len(RECORD_FIELDS))]
    by_field = {name: _from_counts(tp, len(pred), len(gold)) for name, tp in zip(RECORD_FIELDS, per_field)}
    return _from_counts(math.fsum(per_field), len(RECORD_FIELDS) * len(pred), len(RECORD_FIELDS) * len(gold),
                        by_field)


def score_incidents(gold: Sequence[Annotation | EventMentions], pred: Sequence[Annotation | EventMentions],
                    gold_records: Sequence[IncidentRecord] | None,
                    pred_records: Sequence[IncidentRecord] = ()) -> dict[str, IncidentScore]:
    """Every key of SPEC 3.1, in ``INCIDENT_KEYS`` order (see the module docstring).

    Offsets are half-open code-point offsets ``[start, end)``. Every key is present, as the
    result JSON of SPEC 3 asks: with ``gold_records`` None (no gold records known)
    ``incident.record`` is scored against no gold records (gold 0); a submission without
    records (``pred_records`` empty) scores 0 on it.
    """
    out = score_linking(gold, pred)
    out["incident.record"] = score_records(gold_records or (), pred_records)
    return out
