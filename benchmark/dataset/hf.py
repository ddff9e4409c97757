"""Rows and features of the Hugging Face configs (``documents``, ``ner``, ``events``, ``incidents``).

Character offsets are half-open code-point offsets into the document text; the ``ner``
and ``events`` configs add the benchmark tokens (with their offsets) and IOB2 tags.
Features are written into the README's ``dataset_info`` so that ``datasets`` loads
``ner_tags`` as a ``ClassLabel`` sequence. The ``incidents`` config has one row per gold
incident record (SPEC 1.3); records carry no offsets.
"""

from __future__ import annotations

from typing import Any, Sequence

from datasets import ClassLabel, Features, List, Value

from benchmark.formats.conll import Labelled, to_iob2
from benchmark.errors import Problem, raise_if_any
from benchmark.incidents import IncidentRecord, record_to_json
from benchmark.model import Annotation
from benchmark.schema import Schema
from benchmark.tokens import sentences_of

CONFIGS = ("documents", "ner", "events")
INCIDENTS_CONFIG = "incidents"
SPLIT = "test"


def iob2_names(labels: Sequence[str]) -> list[str]:
    return ["O", *[f"{prefix}-{label}" for label in labels for prefix in ("B", "I")]]


def _attribute_features(owners) -> dict[str, Value]:
    return {spec.name: Value("int64" if spec.kind == "integer" else "string")
            for owner in owners for spec in owner.attributes}


def features(schema: Schema) -> dict[str, Features]:
    """The ``datasets.Features`` of each config (written into the card's ``dataset_info``)."""
    string, integer = Value("string"), Value("int64")
    span = {"start": integer, "end": integer, "text": string}
    entity = {"id": string, **span, "label": string, "attributes": _attribute_features(schema.labels)}
    argument = {"role": string, **span, "label": string}
    event = {"id": string, "type": string, "trigger": span, "arguments": List(argument),
             "attributes": _attribute_features(schema.event_types)}
    metadata_fields = ("title", "outlet", "published", "url")
    metadata = {**{name: string for name in metadata_fields}, "word_count": integer, "sha256": string,
                "established": {name: string for name in (*metadata_fields, "word_count", "sha256")}}
    sentence = {"id": string, "doc_id": string, "sentence_index": integer, "tokens": List(string),
                "token_starts": List(integer), "token_ends": List(integer)}
    stamp = {"dataset_version": string, "canary": string}
    ner_tags = List(ClassLabel(names=iob2_names(schema.label_names)))
    trigger_tags = List(ClassLabel(names=iob2_names(schema.event_type_names)))
    return {
        "documents": Features({"id": string, "text": string, "metadata": metadata, "entities": List(entity),
                               "events": List(event), **stamp}),
        "ner": Features({**sentence, "ner_tags": ner_tags, **stamp}),
        "events": Features({**sentence, "trigger_tags": trigger_tags, "events": List(event), **stamp}),
        INCIDENTS_CONFIG: Features({"incident": string, "date": string, "date_precision": string, "country": string,
                                    "place": string, "attackers": List(string), "weapon_classes": List(string),
                                    "killed": integer, "injured": integer, **stamp}),
    }


def _span(span, text: str) -> dict:
    return {"start": span.start, "end": span.end, "text": span.text_in(text)}


def _attrs(values: dict, names: list[str]) -> dict:
    return {name: values.get(name) for name in names}


def rows(annotations: Sequence[Annotation], schema: Schema) -> dict[str, list[dict[str, Any]]]:
    """The rows of every config for the gold annotations (each with its document)."""
    entity_attrs = list(_attribute_features(schema.labels))
    event_attrs = list(_attribute_features(schema.event_types))
    metadata_names = list(features(schema)["documents"]["metadata"])
    stamp = {"dataset_version": schema.version, "canary": schema.canary}
    ner_names, trigger_names = iob2_names(schema.label_names), iob2_names(schema.event_type_names)
    out: dict[str, list[dict[str, Any]]] = {name: [] for name in CONFIGS}
    problems: list[Problem] = []
    for annotation in annotations:
        document = annotation.document
        text = document.text
        labels = {e.span: e.label for e in annotation.entities}

        def event_row(event) -> dict:
            return {"id": event.id, "type": event.event_type, "trigger": _span(event.trigger, text),
                    "arguments": [{"role": a.role, **_span(a.span, text), "label": labels.get(a.span)}
                                  for a in event.arguments],
                    "attributes": _attrs(event.attrs, event_attrs)}

        meta = document.meta
        out["documents"].append({
            "id": document.id, "text": text, "metadata": {n: meta.get(n) for n in metadata_names},
            "entities": [{"id": e.id, **_span(e.span, text), "label": e.label,
                          "attributes": _attrs(e.attrs, entity_attrs)} for e in annotation.entities],
            "events": [event_row(e) for e in annotation.events], **stamp})
        for index, sentence in enumerate(sentences_of(document)):
            inside = lambda span: sentence.span.start <= span.start < sentence.span.end
            base = {"id": f"{document.id}-{index}", "doc_id": document.id, "sentence_index": index,
                    "tokens": [t.text_in(text) for t in sentence.tokens],
                    "token_starts": [t.start for t in sentence.tokens],
                    "token_ends": [t.end for t in sentence.tokens]}
            ner = to_iob2(sentence, [Labelled(e.span, e.label) for e in annotation.entities if inside(e.span)],
                          problems, document.id)
            triggers = to_iob2(sentence, [Labelled(e.trigger, e.event_type) for e in annotation.events
                                          if inside(e.trigger)], problems, document.id)
            out["ner"].append({**base, "ner_tags": [ner_names.index(t) for t in ner], **stamp})
            out["events"].append({**base, "trigger_tags": [trigger_names.index(t) for t in triggers],
                                  "events": [event_row(e) for e in annotation.events if inside(e.trigger)],
                                  **stamp})
    raise_if_any(problems)
    return out


def incident_rows(records: Sequence[IncidentRecord], schema: Schema) -> list[dict[str, Any]]:
    """The rows of the ``incidents`` config: one per record, in the order given."""
    stamp = {"dataset_version": schema.version, "canary": schema.canary}
    return [{**record_to_json(record), **stamp} for record in records]
