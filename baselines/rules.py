"""Rules baseline: spaCy ``EntityRuler`` / ``PhraseMatcher`` patterns over the benchmark tokens.

Candidates come from hand-written patterns (``baselines.patterns``) over lexicons of
general domain knowledge (``baselines.lexicon``); they are **not** copied from the gold.
Each sentence becomes a ``spacy.tokens.Doc`` built from the benchmark's own tokens
(``Doc(vocab, words, spaces)``, ``spacy.blank("en")``, no model download), so token
indices map back to the benchmark's character offsets (half-open code points). The
candidates are then resolved in context: a country is a LOCATION after a locative
preposition and an ACTOR otherwise; a casualty needs a status word in its sentence
(the nearest one gives ``status``), its count is parsed with ``text2num`` and the
vague-plural convention, its qualifier from the words before it; a trigger is dropped
after modal, threat or negation words (not an asserted event) and, when plural, unless
definite. Names of officials, groups and their acronyms found once are tagged again
across the document (``PhraseMatcher``). Arguments follow syntax-free rules: "by X" is
the ATTACKER, "on/at/against X" the TARGET, "in/near X" the PLACE, the subject before an
active trigger the ATTACKER and before a passive one the TARGET, the nearest weapon the
INSTRUMENT, and every casualty KILLED or INJURED by its status.

The authors of these rules have read the five test articles, so its scores are an
optimistic reference, not a held-out result.
"""

from __future__ import annotations

from typing import Sequence

import spacy
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from benchmark.model import Annotation, Argument, Document, Entity, Event, Span, to_attributes
from benchmark.schema import Schema, load_schema

from baselines import lexicon as lx
from baselines.assemble import assemble
from baselines.base import PerDocument
from baselines.numbers import is_calibre, parse_number, qualifier_before
from baselines.patterns import all_patterns
from baselines.text import Sentence, sentences

Item = tuple[int, int, str, dict]  # token_start, token_end, label, attributes
COMPASS = ("the", "northern", "southern", "eastern", "western", "central", "north", "south", "east", "west",
           "neighbouring", "neighboring", "war-ravaged", "autonomous")


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
        sents = sentences(document)
        resolved = [self._resolve(s, ruler(self._doc(s))) for s in sents]
        names = {name for items, found in resolved for name in found}
        matcher = PhraseMatcher(self.nlp.vocab)
        matcher.add("ACTOR", [Doc(self.nlp.vocab, words=list(n)) for n in sorted(names)])
        entities: list[Entity] = []
        events: list[Event] = []
        for sentence, (items, _) in zip(sents, resolved):
            items = _propagate(items, matcher(self._doc(sentence)))
            spans = {(i, j): Entity(sentence.span_of(i, j), label, to_attributes(attrs))
                     for i, j, label, attrs in items if label != "ATTACK"}
            entities += spans.values()
            for i, j, label, _ in items:
                if label == "ATTACK":
                    arguments = _arguments(sentence.words, (i, j), spans)
                    events.append(Event("ATTACK", sentence.span_of(i, j), arguments))
        return assemble(document, entities, events, self.schema)

    def _resolve(self, sentence: Sentence, doc: Doc) -> tuple[list[Item], set[tuple[str, ...]]]:
        """Candidates of one sentence as items, and the names to look for elsewhere."""
        words = sentence.words
        items: list[Item] = []
        names: set[tuple[str, ...]] = set()
        for ent in doc.ents:
            i, j, kind, pattern_id = ent.start, ent.end, ent.label_, ent.ent_id_
            if kind == "OFFICIAL":
                i += int(pattern_id[len("title"):])
                while j > i and words[j - 1] in ("-", "al", "el"):
                    j -= 1
                if j <= i:
                    continue
                names.add(tuple(words[i:j]))
                if j - i > 1 and words[j - 1][:1].isupper():
                    names.add((words[j - 1],))
                items.append((i, j, "ACTOR", {}))
            elif kind == "FACILITY":
                items.append((i + 1, j, "LOCATION", {}))
            elif kind == "PLACE_NAME":
                label = _place_label(words, i, j, pattern_id)
                if label:
                    items.append((i, j, label, {}))
            elif kind == "ACTOR":
                if j - i > 1 and any(w[:1].isupper() for w in words[i:j]) and "-" != words[i + 1]:
                    names.add(tuple(words[i:j]))
                if j + 2 < len(words) and words[j] == "(" and words[j + 2] == ")" and words[j + 1].isupper():
                    names.add((words[j + 1],))
                items.append((i, j, "ACTOR", {}))
            elif kind == "WEAPON":
                items.append((i, j, "WEAPON", _weapon(words[i:j])))
            elif kind == "CASUALTY":
                casualty = _casualty(words, i, j)
                if casualty:
                    items.append(casualty)
            elif kind == "ATTACK" and _asserted(words, i, j, pattern_id):
                items.append((i, j, "ATTACK", {}))
            elif kind == "LOCATION":
                items.append((i, j, "LOCATION", {}))
        return items, names


def _place_label(words: Sequence[str], i: int, j: int, kind: str) -> str | None:
    if j + 1 < len(words) and words[j] == "-":
        return None  # adjectival: "Iran-backed", "US-coalition"
    if i >= 2 and words[i - 1] == "-" and words[i - 2].lower() == "pro":
        return None
    if kind == "place":
        return "LOCATION"
    k = i - 1
    while k >= 0 and words[k].lower() in COMPASS:
        k -= 1
    return "LOCATION" if k >= 0 and words[k].lower() in lx.LOCATIVE_PREPOSITIONS else "ACTOR"


def _weapon(words: Sequence[str]) -> dict:
    attrs: dict = {"weapon_class": lx.WEAPON_NOUNS.get(words[-1].lower(), "other")}
    if not is_calibre(words):
        number = parse_number(words)
        if number is not None:
            attrs["quantity"] = number[0]
    return attrs


def _status(words: Sequence[str], i: int, j: int) -> str | None:
    found = [(min(abs(k - i), abs(k - j + 1)), lx.STATUS_WORDS[w.lower()])
             for k, w in enumerate(words) if w.lower() in lx.STATUS_WORDS and not i <= k < j]
    return min(found)[1] if found else None


def _casualty(words: Sequence[str], i: int, j: int) -> Item | None:
    head = words[j - 1].lower()
    status = _status(words, i, j) or ("unspecified" if head in ("casualties", "fatalities") else None)
    if status is None:
        return None
    first = words[i].lower()
    if first in ("no", "any"):
        count, i = 0, i + 1
    elif first in lx.VAGUE_QUANTITY:
        count = parse_number(words[i:j])[0]
        i += 2 if words[i + 1].lower() == "of" else 1
    else:
        number = parse_number(words[i:j], allow_article=True)
        count = number[0] if number else 1
        if first in ("a", "an", "another") and (number is None or number[1] == 1):
            i += 1
    if i >= j:
        return None
    attrs = {"status": status, "count": count, "qualifier": qualifier_before(words[max(0, i - 3):i])}
    victims = {lx.VICTIM_WORDS[w.lower()] for w in words[i:j] if w.lower() in lx.VICTIM_WORDS}
    for victim in ("contractor", "civilian", "military"):
        if victim in victims:
            attrs["victim"] = victim
            break
    return i, j, "CASUALTY", attrs


def _asserted(words: Sequence[str], i: int, j: int, pattern_id: str) -> bool:
    before = [w.lower() for w in words[max(0, i - 2):i]]
    if pattern_id == "plural" and (not before or before[-1] != "the"):
        return False
    if words[i].lower() == "fire" and not (before and before[-1] in lx.WEAPON_NOUNS):
        return False
    return not any(w in lx.NOT_EVENT_BEFORE for w in before)


def _propagate(items: list[Item], matches) -> list[Item]:
    taken = {k for i, j, _, _ in items for k in range(i, j)}
    out = list(items)
    for _, i, j in sorted(matches, key=lambda m: (m[1] - m[2], m[1])):
        if not taken & set(range(i, j)):
            out.append((i, j, "ACTOR", {}))
            taken |= set(range(i, j))
    return sorted(out, key=lambda item: item[:2])


def _marker(words: Sequence[str], i: int) -> str:
    k = i - 1
    while k >= 0 and words[k].lower() in (*lx.DETERMINERS, "’s", "'s", "-"):
        k -= 1
    return words[k].lower() if k >= 0 else ""


def _arguments(words: Sequence[str], trigger: tuple[int, int], spans: dict[tuple[int, int], Entity]
               ) -> tuple[Argument, ...]:
    t0, t1 = trigger
    verb = words[t1 - 1].lower() in lx.OBJECT_VERBS or words[t1 - 1].lower().endswith("ed")
    subject_reach = 8 if verb else 2
    passive = any(w.lower() in lx.PASSIVE_AUXILIARIES for w in words[max(0, t0 - 2):t0])
    best: dict[str, tuple[int, Entity]] = {}
    arguments: list[Argument] = []

    def offer(role: str, gap: int, entity: Entity) -> None:
        if role not in best or gap < best[role][0]:
            best[role] = (gap, entity)

    first_after = min((i for i, _ in spans if i >= t1), default=None)
    for (i, j), entity in spans.items():
        gap = t0 - j if j <= t0 else i - t1
        before = j <= t0
        marker = _marker(words, i)
        if entity.label == "CASUALTY":
            role = {"killed": "KILLED", "injured": "INJURED"}.get(entity.attrs.get("status"))
            if role:
                arguments.append(Argument(role, entity.span))
        elif entity.label == "WEAPON":
            offer("INSTRUMENT", gap, entity)
        elif marker in lx.ATTACKER_MARKERS and entity.label == "ACTOR":
            offer("ATTACKER", gap, entity)
        elif marker in lx.TARGET_MARKERS and not before:
            offer("TARGET", gap, entity)
        elif marker in lx.PLACE_MARKERS and entity.label == "LOCATION":
            offer("PLACE", gap, entity)
        elif before and passive and gap <= 8:
            offer("TARGET", gap, entity)
        elif before and entity.label == "ACTOR" and gap <= subject_reach and marker not in lx.LOCATIVE_PREPOSITIONS:
            offer("ATTACKER", gap, entity)
        elif i == first_after and gap <= 3 and words[t1 - 1].lower() in lx.OBJECT_VERBS:
            offer("TARGET", gap, entity)
    return tuple(arguments) + tuple(Argument(role, entity.span) for role, (_, entity) in sorted(best.items()))
