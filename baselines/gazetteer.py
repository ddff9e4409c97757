"""Gazetteer baseline: memorise training strings, tag them in unseen documents.

Learns every entity string (with its label) and every trigger string (with its event
type) of the training annotations as a sequence of benchmark tokens, and tags their
case-sensitive occurrences in a new document: token-aligned, longest match first, no
overlaps; a string seen with several labels takes its most frequent one. Attributes:
for each attribute, the most frequent training value of that string when it was seen
with the label, else of the label ("absent" counts as a value, so optional attributes
are only given when they were mostly present). Arguments: for each trigger and role,
the nearest entity of the same sentence whose (label, side, status) was most often
seen in that role (``baselines.common.arguments.RoleMap``; fillers from the schema).

Offsets are half-open ``[start, end)`` code-point indices. It must be evaluated with
``baselines.common.crossval`` (leave one document out): on a training document it is an
oracle of its own memory.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Sequence

from benchmark.model import Annotation, Document, Entity, Event, Span, to_attributes
from benchmark.schema import Schema, load_schema

from baselines.common.arguments import RoleMap, nearest_arguments
from baselines.common.assemble import assemble
from baselines.common.base import PerDocument
from baselines.common.text import longest_matches, sentences

ENTITY, TRIGGER = "entity", "trigger"
ABSENT = "\x00absent"  # a picklable "attribute not given" value


def _covered(sentence, span: Span) -> tuple[str, ...]:
    return tuple(w for t, w in zip(sentence.tokens, sentence.words) if t.start < span.end and span.start < t.end)


class Gazetteer(PerDocument):
    """Memorisation baseline (see the module docstring)."""

    name = "gazetteer"

    def __init__(self, schema: Schema | None = None) -> None:
        self.schema = schema or load_schema()
        self.phrases: dict[tuple[str, ...], tuple[str, str]] = {}
        self.max_length = 0
        self.attributes: dict[tuple, object] = {}
        self.roles = RoleMap(self.schema)

    def fit(self, train: Sequence[Annotation]) -> Gazetteer:
        """Learn strings, attributes and roles from gold ``train`` (each carrying ``.document``)."""
        seen: dict[tuple[str, ...], Counter] = defaultdict(Counter)
        values: dict[tuple, Counter] = defaultdict(Counter)
        for annotation in train:
            items = [(e.span, ENTITY, e.label, e) for e in annotation.entities]
            items += [(e.trigger, TRIGGER, e.event_type, None) for e in annotation.events]
            for sentence in sentences(annotation.document):
                for span, kind, label, entity in items:
                    if not sentence.contains(span):
                        continue
                    words = _covered(sentence, span)
                    if not words:
                        continue
                    seen[words][(kind, label)] += 1
                    if entity is None:
                        continue
                    spec = self.schema.label(label)
                    for attribute in spec.attributes if spec else ():
                        value = entity.attrs.get(attribute.name, ABSENT)
                        values[(label, attribute.name)][value] += 1
                        values[(label, attribute.name, words)][value] += 1
        self.phrases = {words: counter.most_common(1)[0][0] for words, counter in seen.items()}
        self.max_length = max(map(len, self.phrases), default=0)
        self.attributes = {key: counter.most_common(1)[0][0] for key, counter in values.items()}
        self.roles = RoleMap.learn(train, self.schema)
        return self

    def _attributes(self, label: str, words: tuple[str, ...]) -> dict:
        spec = self.schema.label(label)
        out = {}
        for attribute in spec.attributes if spec else ():
            value = self.attributes.get((label, attribute.name, words),
                                        self.attributes.get((label, attribute.name), ABSENT))
            if value is not ABSENT:
                out[attribute.name] = value
        return out

    def extract_one(self, document: Document) -> Annotation:
        entities: list[Entity] = []
        events: list[Event] = []
        for sentence in sentences(document):
            found, triggers = [], []
            for start, end, (kind, label) in longest_matches(sentence.words, self.phrases, self.max_length):
                span = sentence.span_of(start, end)
                if kind == ENTITY:
                    words = sentence.words[start:end]
                    found.append(Entity(span, label, to_attributes(self._attributes(label, words))))
                else:
                    triggers.append((span, label))
            entities += found
            for span, event_type in triggers:
                spec = self.schema.event_type(event_type)
                allowed = {label for _, fillers in spec.roles for label in fillers} if spec else set()
                candidates = [e for e in found if e.label in allowed]
                events.append(Event(event_type, span, nearest_arguments(span, candidates, self.roles)))
        return assemble(document, entities, events, self.schema)
