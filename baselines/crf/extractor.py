"""CRF baseline: a linear-chain CRF tags entities and triggers; logistic regression does the rest.

One ``sklearn_crfsuite.CRF`` (L-BFGS, deterministic) tags the benchmark tokens of each
sentence with one joint IOB2 tag set: every entity label and every event type (spans
never overlap, so one sequence holds both), from lexical, shape and context features
(``baselines.crf.features.token_features``). Gold spans that do not fall on token
boundaries are widened to the tokens they overlap for training; predicted spans are
trimmed of edge punctuation. Attributes come from ``baselines.crf.attribute_model`` and
arguments from ``baselines.crf.role_model`` (scikit-learn, fixed ``random_state``).
Offsets are half-open ``[start, end)`` code points. Evaluate it with
``baselines.common.crossval`` (leave one document out).
"""

from __future__ import annotations

from typing import Sequence

import sklearn_crfsuite

from benchmark.formats.conll import OUTSIDE, Labelled, from_iob2, to_iob2
from benchmark.model import Annotation, Document, Entity, Event, Span, to_attributes
from benchmark.schema import Schema, load_schema
from benchmark.tokens import Sentence as TokenSentence

from baselines.common.assemble import assemble
from baselines.crf.attribute_model import AttributeModel
from baselines.common.base import PerDocument
from baselines.crf.features import sentence_features
from baselines.crf.role_model import RoleModel
from baselines.common.text import Sentence, sentences, token_range


def repair_iob2(tags: Sequence[str]) -> list[str]:
    """Valid IOB2: an I- tag that does not continue a span of its label becomes B-."""
    out: list[str] = []
    for tag in tags:
        previous = out[-1] if out else OUTSIDE
        if tag.startswith("I-") and previous[2:] != tag[2:]:
            tag = "B-" + tag[2:]
        out.append(tag)
    return out


def _tags(sentence: Sentence, items: Sequence[Labelled]) -> list[str]:
    widened = []
    for item in items:
        span = token_range(sentence, item.span)
        if span is not None:
            widened.append(Labelled(sentence.span_of(*span), item.label))
    problems: list = []  # overlapping widened spans are skipped (reported to nobody: training only)
    return to_iob2(TokenSentence(sentence.span, sentence.tokens), widened, problems)


class Crf(PerDocument):
    """CRF tagger + logistic-regression attributes and arguments (see the module docstring)."""

    name = "crf"

    def __init__(self, schema: Schema | None = None, c1: float = 0.1, c2: float = 0.1,
                 max_iterations: int = 100) -> None:
        self.schema = schema or load_schema()
        self.params = dict(algorithm="lbfgs", c1=c1, c2=c2, max_iterations=max_iterations,
                           all_possible_transitions=True)
        self.tagger: sklearn_crfsuite.CRF | None = None
        self.attributes = AttributeModel()
        self.roles = RoleModel(self.schema)

    def fit(self, train: Sequence[Annotation]) -> Crf:
        """Fit the tagger, the attribute classifiers and the role classifier on gold ``train``."""
        features, tags = [], []
        for annotation in train:
            items = [Labelled(e.span, e.label) for e in annotation.entities]
            items += [Labelled(e.trigger, e.event_type) for e in annotation.events]
            for sentence in sentences(annotation.document):
                features.append(sentence_features(sentence.words))
                tags.append(_tags(sentence, [i for i in items if sentence.contains(i.span)]))
        labelled = any(t != OUTSIDE for sequence in tags for t in sequence)
        self.tagger = None
        if labelled:
            self.tagger = sklearn_crfsuite.CRF(**self.params)
            self.tagger.fit(features, tags)
        self.attributes = AttributeModel().fit(train)
        self.roles = RoleModel(self.schema).fit(train)
        return self

    def extract_one(self, document: Document) -> Annotation:
        if self.tagger is None:
            return Annotation(document.id)
        sents = sentences(document)
        predicted = self.tagger.predict([sentence_features(s.words) for s in sents])
        event_types = set(self.schema.event_type_names)
        entities: list[Entity] = []
        events: list[Event] = []
        for sentence, tags in zip(sents, predicted):
            found = from_iob2(TokenSentence(sentence.span, sentence.tokens), repair_iob2(tags))
            spans = [(token_range(sentence, f.span), f) for f in found]
            mentions = [(r, f.label) for r, f in spans if f.label not in event_types]
            attributes = self.attributes.predict(sentence, mentions)
            in_sentence = [(r, Entity(Span(sentence.tokens[r[0]].start, sentence.tokens[r[1] - 1].end), label,
                                      to_attributes(attrs)))
                           for (r, label), attrs in zip(mentions, attributes)]
            entities += [e for _, e in in_sentence]
            for r, f in spans:
                if f.label in event_types:
                    events.append(Event(f.label, f.span, self.roles.predict(sentence, f.label, r, in_sentence)))
        return assemble(document, entities, events, self.schema)
