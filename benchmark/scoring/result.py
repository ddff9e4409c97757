"""The result of scoring: counts, one key's score, every key's scores.

Pure values: no I/O, no rounding (the report layer rounds). ``Counts`` add up over
documents (micro average); precision, recall and F1 derive from them with the zero rule
of ``ratio``. Offsets play no part here (they are matched in ``benchmark.scoring.score``,
half-open code-point offsets ``[start, end)``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping

import msgspec


def ratio(numerator: float, denominator: float) -> float:
    """The zero rule, stated once: numerator / denominator, and 0 where the denominator is 0."""
    return numerator / denominator if denominator else 0.0


class Counts(msgspec.Struct, frozen=True, gc=False):
    """True positives, predicted and gold totals of one score; adds up across documents.

    A frozen ``msgspec.Struct``, as the spine's types are: scoring makes one per document,
    key and group."""

    tp: float = 0
    predicted: float = 0
    gold: float = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.tp + other.tp, self.predicted + other.predicted, self.gold + other.gold)

    @property
    def precision(self) -> float:
        return ratio(self.tp, self.predicted)

    @property
    def recall(self) -> float:
        return ratio(self.tp, self.gold)

    @property
    def f1(self) -> float:
        return ratio(2 * self.precision * self.recall, self.precision + self.recall)


def total(counts: Iterable[Counts]) -> Counts:
    return sum(counts, Counts())



@dataclass(frozen=True, eq=False)
class KeyScore:
    """One key's result: ``total`` counts, per ``groups`` (label, role, type or field), and
    per document (``by_doc``, gold order; ``None`` for keys scored across documents);
    ``group_by_doc``: group -> document -> counts, the documents where the group occurs.

    ``precision``, ``recall`` and ``f1`` derive from ``total``, except for keys whose rates
    are not tp / predicted (incident linking), which carry them in ``rates``.
    """

    total: Counts
    groups: Mapping[str, Counts] = field(default_factory=dict)
    by_doc: Mapping[str, Counts] | None = None
    group_by_doc: Mapping[str, Mapping[str, Counts]] | None = None
    rates: tuple[float, float, float] | None = None

    @classmethod
    def of(cls, result: Any) -> KeyScore:
        """A result from elsewhere (``precision``, ``recall``, ``f1``, ``tp``, ``predicted``,
        ``gold`` and optionally ``groups`` of such objects) as a ``KeyScore``."""
        if isinstance(result, KeyScore):
            return result
        groups = {name: Counts(g.tp, g.predicted, g.gold) for name, g in (getattr(result, "groups", None) or {}).items()}
        return cls(Counts(result.tp, result.predicted, result.gold), groups,
                   rates=(result.precision, result.recall, result.f1))

    precision = property(lambda self: self.rates[0] if self.rates else self.total.precision)
    recall = property(lambda self: self.rates[1] if self.rates else self.total.recall)
    f1 = property(lambda self: self.rates[2] if self.rates else self.total.f1)
    tp = property(lambda self: self.total.tp)
    predicted = property(lambda self: self.total.predicted)
    gold = property(lambda self: self.total.gold)


def counts_dict(counts: Counts | KeyScore) -> dict[str, float]:
    """precision, recall, f1, tp, predicted, gold: the SPEC's JSON object of one score (unrounded)."""
    return {name: getattr(counts, name) for name in ("precision", "recall", "f1", "tp", "predicted", "gold")}


@dataclass(frozen=True, eq=False)
class Scores(Mapping[str, KeyScore]):
    """Every key of SPEC section 3 (and any incident keys merged in), over the gold
    documents ``doc_ids`` (in gold order). A mapping: key -> ``KeyScore``.

    ``missing`` lists the gold documents absent from the predictions (scored as empty).
    """

    doc_ids: tuple[str, ...]
    missing: tuple[str, ...]
    by_key: Mapping[str, KeyScore]

    def __getitem__(self, key: str) -> KeyScore:
        return self.by_key[key]

    def __iter__(self):
        return iter(self.by_key)

    def __len__(self) -> int:
        return len(self.by_key)

    def to_dict(self, per_document: bool = True) -> dict[str, dict]:
        """The JSON shape of every key: its counts and rates, ``groups`` and (where the key
        has them, and when asked) ``per_document`` counts; unrounded."""
        return {key: self.key_dict(key, per_document) for key in self.by_key}

    def key_dict(self, key: str, per_document: bool = True) -> dict:
        """``to_dict`` of one key."""
        result = self.by_key[key]
        entry = {**counts_dict(result), "groups": {name: counts_dict(c) for name, c in result.groups.items()}}
        if per_document and result.by_doc is not None:
            entry["per_document"] = {doc: counts_dict(c) for doc, c in result.by_doc.items()}
        return entry

    def to_dataframe(self):
        """A pandas DataFrame: one row per key and group (group "" for the key's total)."""
        import pandas as pd

        rows = [{"key": key, "group": "", **counts_dict(result)} for key, result in self.by_key.items()]
        rows += [{"key": key, "group": name, **counts_dict(c)} for key, result in self.by_key.items()
                 for name, c in result.groups.items()]
        return pd.DataFrame(rows, columns=["key", "group", "precision", "recall", "f1", "tp", "predicted", "gold"])
