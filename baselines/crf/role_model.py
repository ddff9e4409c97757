"""Argument roles by logistic regression over (trigger, entity) pairs of one sentence.

Every entity in the trigger's sentence whose label may fill some role of the event type
is a candidate; the classifier (``baselines.crf.classifiers``) chooses a role or ``NONE``
from the pair's features (``baselines.crf.features.pair_features``: labels, distance,
order, words between, ...), restricted to the roles the schema lets that label fill.
Offsets of the arguments are the entities' half-open code-point spans.
"""

from __future__ import annotations

from typing import Sequence

from benchmark.model import Annotation, Argument, Entity
from benchmark.schema import Schema

from baselines.crf.classifiers import Classifier
from baselines.crf.features import pair_features
from baselines.common.text import Sentence, sentence_of, sentences, token_range

NONE = "NONE"
Range = tuple[int, int]


def _allowed(schema: Schema, event_type: str, label: str) -> set[str]:
    spec = schema.event_type(event_type)
    return {role for role, fillers in spec.roles if label in fillers} if spec else set()


def _pairs(sentence: Sentence, trigger: Range, entities: Sequence[tuple[Range, Entity]]) -> list[dict]:
    out = []
    for (e0, e1), entity in entities:
        low, high = sorted((trigger[1], e0) if e0 >= trigger[1] else (e1, trigger[0]))
        between = sum(1 for (o0, _), _ in entities if low <= o0 < high)
        out.append(pair_features(sentence.words, trigger, (e0, e1), entity.label, between,
                                 entity.attrs.get("status")))
    return out


class RoleModel:
    """Role classifier for candidate arguments (see the module docstring)."""

    def __init__(self, schema: Schema) -> None:
        self.schema = schema
        self.classifier = Classifier(c=1.0)

    def fit(self, train: Sequence[Annotation]) -> RoleModel:
        features: list[dict] = []
        labels: list[str] = []
        for annotation in train:
            sents = sentences(annotation.document)
            for event in annotation.events:
                sentence = sentence_of(sents, event.trigger)
                trigger = token_range(sentence, event.trigger) if sentence else None
                if trigger is None:
                    continue
                roles = {a.span: a.role for a in event.arguments}
                candidates = [(token_range(sentence, e.span), e) for e in annotation.entities
                              if sentence.contains(e.span) and _allowed(self.schema, event.event_type, e.label)]
                candidates = [(r, e) for r, e in candidates if r is not None]
                features += _pairs(sentence, trigger, candidates)
                labels += [roles.get(e.span, NONE) for _, e in candidates]
        self.classifier.fit(features, labels)
        return self

    def predict(self, sentence: Sentence, event_type: str, trigger: Range,
                entities: Sequence[tuple[Range, Entity]]) -> tuple[Argument, ...]:
        """Arguments of one trigger among the entities of its sentence."""
        candidates = [(r, e) for r, e in entities if _allowed(self.schema, event_type, e.label)]
        allowed = [_allowed(self.schema, event_type, e.label) | {NONE} for _, e in candidates]
        roles = self.classifier.predict(_pairs(sentence, trigger, candidates), allowed)
        return tuple(Argument(role, e.span) for role, (_, e) in zip(roles, candidates) if role and role != NONE)
