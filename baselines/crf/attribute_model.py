"""Learned attributes of predicted spans: weapon class; casualty status, qualifier and victim.

Classifiers (``baselines.crf.classifiers``) trained on the gold spans of the training
documents: ``weapon_class`` and casualty ``victim`` from the span's words, casualty
``status`` from the words around the span, ``qualifier`` from the words just before it. Counts and quantities
are parsed with ``text2num`` (``baselines.common.numbers``) from the span's numeral, else read
from the words just before it by the guidelines' convention ("a" = 1, "no" = 0,
"several" = 3, a bare plural = 2); a count found neither way takes the most frequent
training count of such spans. Token positions are
``(token_start, token_end)`` in one benchmark sentence.
"""

from __future__ import annotations

from collections import Counter
from typing import Sequence

from benchmark.model import Annotation

from baselines.crf.classifiers import Classifier
from baselines.crf.features import context_features, qualifier_features, span_word_features
from baselines.common.numbers import count_outside, is_calibre, parse_number
from baselines.common.text import Sentence, sentence_of, sentences, token_range

Range = tuple[int, int]


def parsed_count(words: Sequence[str], span: Range) -> int | None:
    """The count stated by a span's numeral or, failing that, by the words before it (C4 convention)."""
    e0, e1 = span
    if not is_calibre(words[e0:e1]):
        number = parse_number(words[e0:e1])
        if number is not None:
            return number[0]
    head = words[e1 - 1].lower()
    outside = count_outside(words[max(0, e0 - 3):e0], plural=head.endswith("s") or head == "people")
    return outside[0] if outside else None


class AttributeModel:
    """Predicts the attributes of WEAPON and CASUALTY spans (see the module docstring)."""

    def __init__(self) -> None:
        self.weapon_class = Classifier()
        self.status = Classifier()
        self.qualifier = Classifier()
        self.victim = Classifier()
        self.default_count: int | None = None

    def fit(self, train: Sequence[Annotation]) -> AttributeModel:
        rows: dict[str, tuple[list, list]] = {name: ([], []) for name in ("weapon_class", "status", "qualifier", "victim")}
        unparsed: Counter = Counter()
        for annotation in train:
            sents = sentences(annotation.document)
            for entity in annotation.entities:
                sentence = sentence_of(sents, entity.span)
                span = token_range(sentence, entity.span) if sentence else None
                if span is None:
                    continue
                attrs, words = entity.attrs, sentence.words
                if entity.label == "WEAPON" and "weapon_class" in attrs:
                    rows["weapon_class"][0].append(span_word_features(words, span))
                    rows["weapon_class"][1].append(attrs["weapon_class"])
                if entity.label == "CASUALTY":
                    for name, features in (("status", context_features), ("qualifier", qualifier_features),
                                           ("victim", span_word_features)):
                        if name in attrs:
                            rows[name][0].append(features(words, span))
                            rows[name][1].append(attrs[name])
                    if "count" in attrs and parsed_count(words, span) is None:
                        unparsed[attrs["count"]] += 1
        for name, (features, labels) in rows.items():
            getattr(self, name).fit(features, labels)
        self.default_count = unparsed.most_common(1)[0][0] if unparsed else None
        return self

    def predict(self, sentence: Sentence, items: Sequence[tuple[Range, str]]) -> list[dict]:
        """Attributes for each ``(token range, label)`` of one sentence."""
        words = sentence.words
        out: list[dict] = [{} for _ in items]
        weapons = [n for n, (_, label) in enumerate(items) if label == "WEAPON"]
        casualties = [n for n, (_, label) in enumerate(items) if label == "CASUALTY"]
        for n, value in zip(weapons, self.weapon_class.predict([span_word_features(words, items[n][0])
                                                                 for n in weapons])):
            out[n]["weapon_class"] = value
            span = items[n][0]
            number = parse_number(words[span[0]:span[1]])
            if number is not None and not is_calibre(words[span[0]:span[1]]):
                out[n]["quantity"] = number[0]
        statuses = self.status.predict([context_features(words, items[n][0]) for n in casualties])
        qualifiers = self.qualifier.predict([qualifier_features(words, items[n][0]) for n in casualties])
        victims = self.victim.predict([span_word_features(words, items[n][0]) for n in casualties])
        for n, status, qualifier, victim in zip(casualties, statuses, qualifiers, victims):
            count = parsed_count(words, items[n][0])
            out[n].update(status=status, qualifier=qualifier, victim=victim,
                          count=count if count is not None else self.default_count)
        return out
