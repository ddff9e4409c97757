"""BigBio-style data tests over the committed gold: collect every failure, fail once."""

from __future__ import annotations

import re
from datetime import date

import pytest

from benchmark.inputs.read import read_gold
from benchmark.schema import load_schema
from benchmark.tokens import sentence_index, sentences_of
from benchmark.inputs.validate import validate_annotations

ARMED_GROUPS = ["Guardians of Blood", "Awliyaa al-Dam", "Kataib Hezbollah", "Kataeb Hezbollah",
                "Kata'ib Hezbollah", "Asaib Ahl al-Haq", "Kata'ib Sayyid al-Shuhada", "Ashab al-Kahf",
                "Islamic Resistance in Iraq", "Hashid Shaabi", "Popular Mobilization Forces", "ISIS"]
WEAPON_WORDS = ["rockets", "drones", "ballistic missiles", "roadside bombs", "107mm"]


@pytest.fixture(scope="module")
def gold():
    return read_gold()


def test_gold_passes_every_gold_rule(gold, corpus):
    problems = validate_annotations(((None, a) for a in gold), corpus, gold=True)
    assert [str(p) for p in problems] == []


def test_every_span_and_reference_resolves(gold):
    failures = []
    schema = load_schema()
    for annotation in gold:
        text = annotation.document.text
        sentences = sentences_of(annotation.document)
        ids = [e.id for e in annotation.entities] + [e.id for e in annotation.events]
        if len(ids) != len(set(ids)):
            failures.append(f"{annotation.doc_id}: duplicate ids")
        labels = {e.span: e.label for e in annotation.entities}
        for entity in annotation.entities:
            covered = text[entity.span.start:entity.span.end]
            if covered != covered.strip() or not covered:
                failures.append(f"{annotation.doc_id} {entity.id}: {covered!r} has edge white space")
        for event in annotation.events:
            where = sentence_index(sentences, event.trigger)
            for argument in event.arguments:
                label = labels.get(argument.span)
                if label not in schema.event_type(event.event_type).fillers(argument.role):
                    failures.append(f"{annotation.doc_id} {event.id}: {argument.role} filled by {label}")
                if sentence_index(sentences, argument.span) != where:
                    failures.append(f"{annotation.doc_id} {event.id}: argument outside the trigger's sentence")
    assert failures == []


def _key_date(key: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.match(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", key).groups() if part)


def test_incident_keys_are_well_formed_and_not_after_publication(gold):
    failures = []
    pattern = load_schema().attribute("incident").pattern
    for annotation in gold:
        published = tuple(int(p) for p in annotation.document.meta["published"].split("-"))
        for event in annotation.events:
            key = event.attrs.get("incident")
            if key is None:
                continue
            if not re.fullmatch(pattern, key):
                failures.append(f"{annotation.doc_id} {event.id}: malformed key {key!r}")
                continue
            parts = _key_date(key)
            if len(parts) == 3:
                try:
                    date(*parts)
                except ValueError:
                    failures.append(f"{annotation.doc_id} {event.id}: {key!r} is not a calendar date")
            shared = min(len(parts), len(published))
            if parts[:shared] > published[:shared]:
                failures.append(f"{annotation.doc_id} {event.id}: {key!r} is after publication {published}")
    assert failures == []


def test_each_incident_has_one_date_and_place_across_documents(gold):
    """A key names one attack: its mentions agree on date and place by construction of the key,
    and no two keys name the same date and place apart from a disambiguating suffix."""
    keys = {e.attrs["incident"] for a in gold for e in a.events if "incident" in e.attrs}
    stems = {}
    failures = []
    for key in sorted(keys):
        stem = re.sub(r"-(drone|rocket)$", "", key)
        if stem in stems and not (key.endswith(("-drone", "-rocket")) and stems[stem].endswith(("-drone", "-rocket"))):
            failures.append(f"{key} and {stems[stem]} name the same date and place")
        stems.setdefault(stem, key)
    assert failures == []
    erbil = {a.doc_id for a in gold for e in a.events if e.attrs.get("incident") == "2021-02-15-erbil"}
    assert {"000_02c939618ce97b94", "001_4d23d494d5691604"} <= erbil


def test_every_named_armed_group_and_weapon_mention_is_annotated(gold):
    failures = []
    for annotation in gold:
        text = annotation.document.text
        for names, label in ((ARMED_GROUPS, "ACTOR"), (WEAPON_WORDS, "WEAPON")):
            for name in names:
                for match in re.finditer(re.escape(name), text):
                    covering = [e for e in annotation.entities
                                if e.label == label and e.span.start <= match.start() and match.end() <= e.span.end]
                    if not covering:
                        failures.append(f"{annotation.doc_id}: {name!r} at {match.start()} is not inside a {label}")
    assert failures == []


def test_casualty_figures_are_plausible(gold):
    casualties = [(a.doc_id, a.document.text[e.span.start:e.span.end], e.attrs) for a in gold for e in a.entities
                  if e.label == "CASUALTY"]
    by_text = {text: attrs for _, text, attrs in casualties}
    assert by_text["one contractor"] == {"status": "killed", "count": 1, "qualifier": "exact", "victim": "contractor"}
    assert by_text["nine others"]["count"] == 9 and by_text["nine others"]["status"] == "injured"
    assert by_text["five civilians"]["qualifier"] == "at_least"
    assert all(attrs["count"] >= 0 for _, _, attrs in casualties)
