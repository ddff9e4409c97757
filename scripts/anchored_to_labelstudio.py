"""Turn string-anchored annotations into a Label Studio JSON export (offsets by code).

For annotators who draft outside Label Studio: each span is given by its exact text and,
when that text occurs more than once, a ``context`` string that contains it and occurs
exactly once in the document; the offsets are computed from these strings, never typed.

Input: JSON Lines, one object per document::

    {"id": "000_02c939618ce97b94",
     "entities": [{"id": "T1", "text": "14 rockets", "label": "WEAPON",
                   "attributes": {"weapon_class": "rocket", "quantity": 14}},
                  {"id": "T2", "text": "airbase", "context": "fired at the airbase hosting", "label": "LOCATION"}],
     "events": [{"id": "E1", "type": "ATTACK", "trigger": {"text": "fired", "context": "rockets were fired"},
                 "arguments": [{"role": "INSTRUMENT", "ref": "T1"}, {"role": "TARGET", "ref": "T2"}],
                 "attributes": {"incident": "2021-02-15-erbil"}}]}

Output: a Label Studio export (one task per corpus document, one annotation each,
``completed_by`` = ``--annotator``), validated against every gold rule of the SPEC.

    python scripts/anchored_to_labelstudio.py DRAFT.jsonl --annotator NAME --out EXPORT.json
"""

from __future__ import annotations

import argparse
import json
import sys

from benchmark.corpus import shipped_corpus
from benchmark.errors import Problem
from benchmark.files import write_text_atomic
from benchmark.labelstudio.convert import to_labelstudio_task
from benchmark.model import Annotation, Argument, Entity, Event, Provenance, Span, to_attributes
from benchmark.inputs.validate import validate_annotations


def locate(text: str, anchor: dict, where: str, problems: list[Problem], doc_id: str) -> Span | None:
    """The span of ``anchor['text']`` inside its unique ``context`` (default: the text itself)."""
    needle = anchor.get("text") or ""
    context = anchor.get("context") or needle
    count = text.count(context)
    if not needle or needle not in context or count != 1:
        problems.append(Problem(f"context {context!r} occurs {count} times (must be once) or does not contain "
                                f"{needle!r}", document=doc_id, item=where))
        return None
    start = text.index(context) + context.index(needle)
    return Span(start, start + len(needle))


def convert(record: dict, annotator: str, problems: list[Problem]) -> Annotation | None:
    document = shipped_corpus().get(record.get("id"))
    if document is None:
        problems.append(Problem(f"unknown document {record.get('id')!r}"))
        return None
    text, spans, entities, events = document.text, {}, [], []
    for n, raw in enumerate(record.get("entities", []), 1):
        entity_id = raw.get("id") or f"T{n}"
        span = locate(text, raw, f"entity {entity_id}", problems, document.id)
        if span is not None:
            spans[entity_id] = span
            entities.append(Entity(span, raw["label"], to_attributes(raw.get("attributes")), id=entity_id,
                                   provenance=Provenance(source_id=entity_id, annotator=annotator)))
    for n, raw in enumerate(record.get("events", []), 1):
        event_id = raw.get("id") or f"E{n}"
        trigger = locate(text, raw.get("trigger") or {}, f"event {event_id}", problems, document.id)
        arguments = []
        for argument in raw.get("arguments", []):
            if argument.get("ref") not in spans:
                problems.append(Problem(f"argument refers to unknown entity {argument.get('ref')!r}",
                                        document=document.id, item=f"event {event_id}"))
                continue
            arguments.append(Argument(argument["role"], spans[argument["ref"]]))
        if trigger is not None:
            events.append(Event(raw.get("type", "ATTACK"), trigger, tuple(arguments),
                                to_attributes(raw.get("attributes")), id=event_id,
                                provenance=Provenance(source_id=event_id, annotator=annotator)))
    return Annotation(document.id, tuple(entities), tuple(events), document, Provenance(annotator=annotator))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("draft")
    parser.add_argument("--annotator", required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args(argv)
    problems: list[Problem] = []
    annotations = {}
    with open(args.draft, encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                annotation = convert(json.loads(line), args.annotator, problems)
                if annotation is not None:
                    annotations[annotation.doc_id] = annotation
    corpus = shipped_corpus()
    problems += validate_annotations(((None, a) for a in annotations.values()), corpus, gold=True, file=args.draft)
    if problems:
        for problem in problems:
            print(problem, file=sys.stderr)
        print(f"{len(problems)} problems; nothing written", file=sys.stderr)
        return 2
    tasks = [to_labelstudio_task(annotations.get(doc_id, Annotation(doc_id, provenance=Provenance(annotator=args.annotator))),
                                 document, task_id=n)
             for n, (doc_id, document) in enumerate(corpus.items(), 1)]
    write_text_atomic(args.out, json.dumps(tasks, ensure_ascii=False, indent=1) + "\n")
    print(f"wrote {args.out}: {sum(len(a.entities) for a in annotations.values())} entities, "
          f"{sum(len(a.events) for a in annotations.values())} events")
    return 0


if __name__ == "__main__":
    sys.exit(main())
