"""Baseline predictions inside ``datasets.Dataset.map(batched=True, num_proc=N)``.

``BatchPredictor(name, gold)`` is a picklable callable over batches of rows of the
``documents`` config (columns ``id`` and ``text``); it returns two JSON-able columns,
``pred_entities`` and ``pred_events``, in the shape of the config's own ``entities`` and
``events`` (offsets: half-open ``[start, end)`` code points; every schema attribute is a
key, ``None`` when not predicted). A learned baseline predicts a gold document with a
model fitted on the other gold documents (leave one out, as ``baselines.common.crossval``)
and any other document with a model fitted on all of them. Models are fitted lazily in
each worker process and never pickled; fitting is deterministic, so every worker and
the plain loop give the same predictions.
"""

from __future__ import annotations

from typing import Any, Sequence

from datasets import Dataset, Features, List, Value

from benchmark.model import Annotation, Argument, Document, Entity, Event, Span, to_attributes
from benchmark.schema import Schema, load_schema

from baselines.common.base import Extractor
from baselines.registry import is_learned, make, names

ALL_GOLD = "\x00all"


def prediction_features(schema: Schema | None = None) -> dict[str, Any]:
    """The ``datasets`` features of the two prediction columns."""
    schema = schema or load_schema()
    integer, string = Value("int64"), Value("string")

    def attributes(owners) -> dict:
        return {a.name: integer if a.kind == "integer" else string for o in owners for a in o.attributes}

    span = {"start": integer, "end": integer}
    return {"pred_entities": List({**span, "label": string, "attributes": attributes(schema.labels)}),
            "pred_events": List({"type": string, "trigger": span,
                                 "arguments": List({"role": string, **span}),
                                 "attributes": attributes(schema.event_types)})}


def to_columns(annotation: Annotation, schema: Schema) -> tuple[list[dict], list[dict]]:
    """One annotation as the rows of ``pred_entities`` and ``pred_events``."""
    entity_names = [a.name for o in schema.labels for a in o.attributes]
    event_names = [a.name for o in schema.event_types for a in o.attributes]
    entities = [{"start": e.span.start, "end": e.span.end, "label": e.label,
                 "attributes": {n: e.attrs.get(n) for n in entity_names}} for e in annotation.entities]
    events = [{"type": e.event_type, "trigger": {"start": e.trigger.start, "end": e.trigger.end},
               "arguments": [{"role": a.role, "start": a.span.start, "end": a.span.end} for a in e.arguments],
               "attributes": {n: e.attrs.get(n) for n in event_names}} for e in annotation.events]
    return entities, events


def from_row(row: dict) -> Annotation:
    """An annotation back from a mapped row (attributes that are ``None`` are dropped)."""
    present = lambda values: to_attributes({k: v for k, v in (values or {}).items() if v is not None})
    entities = tuple(Entity(Span(e["start"], e["end"]), e["label"], present(e["attributes"]))
                     for e in row["pred_entities"])
    events = tuple(Event(e["type"], Span(e["trigger"]["start"], e["trigger"]["end"]),
                         tuple(Argument(a["role"], Span(a["start"], a["end"])) for a in e["arguments"]),
                         present(e["attributes"])) for e in row["pred_events"])
    return Annotation(row["id"], entities, events)


class BatchPredictor:
    """A batched ``Dataset.map`` function for baseline ``name`` (see the module docstring)."""

    def __init__(self, name: str, gold: Sequence[Annotation] = ()) -> None:
        if name not in names():
            raise KeyError(f"unknown baseline {name!r}; the baselines are {', '.join(names())}")
        self.name, self.gold = name, tuple(gold)
        self._models: dict[str, Extractor] = {}

    def __getstate__(self) -> dict:
        return {"name": self.name, "gold": self.gold, "_models": {}}

    def _model(self, doc_id: str) -> Extractor:
        if not is_learned(self.name):
            key = ALL_GOLD
        else:
            key = doc_id if any(a.doc_id == doc_id for a in self.gold) else ALL_GOLD
        if key not in self._models:
            model = make(self.name)
            if is_learned(self.name):
                model.fit([a for a in self.gold if a.doc_id != key])
            self._models[key] = model
        return self._models[key]

    def __call__(self, batch: dict[str, list]) -> dict[str, list]:
        schema = load_schema()
        out: dict[str, list] = {"pred_entities": [], "pred_events": []}
        for doc_id, text in zip(batch["id"], batch["text"]):
            annotation = next(iter(self._model(doc_id).extract([Document(doc_id, text)])))
            entities, events = to_columns(annotation, schema)
            out["pred_entities"].append(entities)
            out["pred_events"].append(events)
        return out


def map_predictions(dataset: Dataset, name: str, gold: Sequence[Annotation] = (), num_proc: int | None = None,
                    batch_size: int = 8) -> Dataset:
    """``dataset`` (rows with ``id`` and ``text``) with the prediction columns added."""
    features = Features({**dataset.features, **prediction_features()})
    return dataset.map(BatchPredictor(name, gold), batched=True, batch_size=batch_size, num_proc=num_proc,
                       features=features, desc=f"{name} predictions")
