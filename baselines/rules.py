"""Rules baseline: spaCy ``EntityRuler`` / ``PhraseMatcher`` patterns over the benchmark tokens.

Candidates come from hand-written patterns (``baselines.patterns``) over lexicons of
general domain knowledge (``baselines.lexicon``); they are **not** copied from the gold.
Each sentence becomes a ``spacy.tokens.Doc`` built from the benchmark's own tokens
(``Doc(vocab, words, spaces)``, ``spacy.blank("en")``, no model download), so token
indices map back to the benchmark's character offsets (half-open code points).

Candidates are resolved in context (``baselines.resolve``): determiners and vague
quantities are left out of spans; a country is a LOCATION after a locative preposition
and an ACTOR otherwise; a casualty needs a status word in its sentence and gets its
count from ``text2num`` or the guidelines' vague-quantity convention; a trigger is
dropped after modal, threat or negation words, when plural and not definite, and when
it repeats an attack already mentioned in its sentence. Names of officials, groups and
their acronyms found once are tagged again across the document (``PhraseMatcher``).
Arguments follow syntax-free rules (``baselines.rule_arguments``).

The authors of these rules have read the five test articles and the guidelines' worked
examples, so its scores are an optimistic reference, not a held-out result.
"""

from __future__ import annotations

import spacy
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from benchmark.model import Annotation, Document, Entity, Event, to_attributes
from benchmark.schema import Schema, load_schema

from baselines import lexicon as lx
from baselines.assemble import assemble
from baselines.base import PerDocument
from baselines.patterns import all_patterns
from baselines.resolve import Item, propagate, resolve
from baselines.rule_arguments import arguments
from baselines.text import Sentence, sentences


def _nearest(span: tuple[int, int], triggers: list[tuple[int, int]]) -> tuple[int, int]:
    """The trigger closest to a token span (ties: the earlier trigger); arguments go to it only."""
    return min(triggers, key=lambda t: (max(t[0] - span[1], span[0] - t[1], 0), t[0]))


def _boilerplate(sentence: Sentence) -> bool:
    opening = " ".join(sentence.words[:2]).lower()
    return any(opening.startswith(start) for start in lx.BOILERPLATE_STARTS)


class Rules(PerDocument):
    """Rule-based extractor (see the module docstring)."""

    name = "rules"

    def __init__(self, schema: Schema | None = None) -> None:
        self.schema = schema or load_schema()
        self._nlp: spacy.language.Language | None = None

    def __getstate__(self) -> dict:
        return {**self.__dict__, "_nlp": None}

    @property
    def nlp(self) -> spacy.language.Language:
        if self._nlp is None:
            nlp = spacy.blank("en")
            nlp.add_pipe("entity_ruler").add_patterns(all_patterns())
            self._nlp = nlp
        return self._nlp

    def _doc(self, sentence: Sentence) -> Doc:
        tokens = sentence.tokens
        spaces = [i + 1 < len(tokens) and tokens[i].end < tokens[i + 1].start for i in range(len(tokens))]
        return Doc(self.nlp.vocab, words=list(sentence.words), spaces=spaces)

    def extract_one(self, document: Document) -> Annotation:
        ruler = self.nlp.get_pipe("entity_ruler")
        sents = [s for s in sentences(document) if not _boilerplate(s)]
        resolved = [resolve(s.words, [(e.start, e.end, e.label_, e.ent_id_) for e in ruler(self._doc(s)).ents])
                    for s in sents]
        names = sorted({name for _, found in resolved for name in found})
        matcher = PhraseMatcher(self.nlp.vocab)
        matcher.add("ACTOR", [Doc(self.nlp.vocab, words=list(name)) for name in names])
        entities: list[Entity] = []
        events: list[Event] = []
        for sentence, (items, _) in zip(sents, resolved):
            items: list[Item] = propagate(items, matcher(self._doc(sentence)))
            spans = {(i, j): Entity(sentence.span_of(i, j), label, to_attributes(attrs))
                     for i, j, label, attrs in items if label != "ATTACK"}
            entities += spans.values()
            triggers = [(i, j) for i, j, label, _ in items if label == "ATTACK"]
            for trigger in triggers:
                nearest = {r: e for r, e in spans.items() if _nearest(r, triggers) == trigger}
                events.append(Event("ATTACK", sentence.span_of(*trigger), arguments(sentence.words, trigger, nearest)))
        return assemble(document, entities, events, self.schema)
