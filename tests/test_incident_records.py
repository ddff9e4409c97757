"""Incident records (SPEC 1.3) against the gold, BigBio style: collect every failure, fail once.

The rules are those of the guidelines' section 12 "Incident records" (I1-I9); the helpers
below implement them, so a record that does not follow from the gold annotations of its
mentions fails. Offsets are half-open code-point indices ``[start, end)``.
"""

from __future__ import annotations

import json
import re
from itertools import combinations

import pytest

from benchmark.incidents import FIELDS, IncidentRecord, read_incident_records, write_incident_records
from benchmark.inputs.read import read_gold
from benchmark.paths import CANONICAL_NAMES_FILE, INCIDENTS_FILE
from benchmark.tokens import sentence_index, sentences_of

ROLE = {"killed": "KILLED", "injured": "INJURED"}
#: I3: the order of specificity of a record's place: a base, a city or town, a province or region, a country.
SPECIFICITY = {"base": 0, "city": 1, "town": 1, "province": 2, "region": 2, "country": 3}


@pytest.fixture(scope="module")
def gold():
    return read_gold()


@pytest.fixture(scope="module")
def records(gold):
    return read_incident_records(INCIDENTS_FILE, gold)  # also: every record's key is used by the gold


@pytest.fixture(scope="module")
def names():
    raw = json.loads(CANONICAL_NAMES_FILE.read_text(encoding="utf-8"))
    folded = {table: {alias.casefold(): name for alias, name in raw[table].items()}
              for table in ("attackers", "places", "persons")}
    return {**folded, "place_details": raw["place_details"], "raw": raw}


@pytest.fixture(scope="module")
def mentions(gold):
    """incident key -> [(annotation, event)] in gold order."""
    found: dict[str, list] = {}
    for annotation in gold:
        for event in annotation.events:
            key = event.attrs.get("incident")
            if key:
                found.setdefault(key, []).append((annotation, event))
    return found


def _entities(annotation):
    return {entity.span: entity for entity in annotation.entities}


def _text(annotation, span) -> str:
    return annotation.document.text[span.start:span.end]


def _is_definite(annotation, span) -> bool:
    """I4: a nominal preceded by "the" refers back to a party named before it."""
    text = annotation.document.text
    return re.search(r"\bthe\s+\Z", text[max(0, span.start - 8):span.start], re.IGNORECASE) is not None


def expected_attackers(mentions_of_key, names) -> tuple[set[str], set[str]]:
    """I4: (names of the ATTACKER arguments themselves, names reached through a definite nominal)."""
    direct, through = set(), set()
    for annotation, event in mentions_of_key:
        for argument in event.arguments:
            if argument.role != "ATTACKER":
                continue
            name = names["attackers"].get(_text(annotation, argument.span).casefold())
            if name:
                direct.add(name)
            elif _is_definite(annotation, argument.span):
                earlier = [(a.span.start, names["attackers"].get(_text(annotation, a.span).casefold()))
                           for other in annotation.events for a in other.arguments
                           if a.role == "ATTACKER" and a.span.start < argument.span.start]
                named = [(start, name) for start, name in earlier if name]
                if named:
                    through.add(max(named)[1])
    return direct, through


def expected_places(mentions_of_key, names) -> set[str]:
    """I3: the named places of the attacked site: TARGET and PLACE arguments; failing those, the
    named places of the mentions' sentences that fill no role of another event."""
    from_arguments, from_sentences = set(), set()
    for annotation, event in mentions_of_key:
        entities = _entities(annotation)
        for argument in event.arguments:
            if argument.role in ("TARGET", "PLACE") and entities[argument.span].label == "LOCATION":
                place = names["places"].get(_text(annotation, argument.span).casefold())
                if place:
                    from_arguments.add(place)
        sentences = sentences_of(annotation.document)
        here = sentence_index(sentences, event.trigger)
        elsewhere = {a.span for other in annotation.events if other is not event for a in other.arguments}
        for entity in annotation.entities:
            if (entity.label == "LOCATION" and entity.span not in elsewhere
                    and sentence_index(sentences, entity.span) == here):
                place = names["places"].get(_text(annotation, entity.span).casefold())
                if place:
                    from_sentences.add(place)
    return from_arguments or from_sentences


def attached_figures(gold, key: str, status: str) -> dict[str, list[int]]:
    """I6/I7: document -> the casualty figures of ``status`` that the document gives for incident ``key``.

    (a) CASUALTY spans filling KILLED/INJURED in a mention of the incident; (b) a CASUALTY that fills no
    role, in a sentence without a trigger, belongs to the incident of the nearest event before it;
    (c) an explicit zero of status ``unspecified`` ("no casualties") counts as 0 killed and 0 injured.
    """
    figures: dict[str, list[int]] = {}
    for annotation in gold:
        entities = _entities(annotation)
        sentences = sentences_of(annotation.document)
        trigger_sentences = {sentence_index(sentences, event.trigger) for event in annotation.events}
        in_roles = {a.span for event in annotation.events for a in event.arguments}
        found = []
        for event in annotation.events:
            if event.attrs.get("incident") != key:
                continue
            for argument in event.arguments:
                entity = entities[argument.span]
                if argument.role == ROLE[status] and entity.label == "CASUALTY":
                    found.append(entity.attrs["count"])
        for entity in annotation.entities:
            if entity.label != "CASUALTY" or entity.span in in_roles:
                continue
            attrs = entity.attrs
            if attrs["status"] != status and not (attrs["status"] == "unspecified" and attrs["count"] == 0):
                continue
            where = sentence_index(sentences, entity.span)
            if where in trigger_sentences:
                same = [e for e in annotation.events if sentence_index(sentences, e.trigger) == where]
                if attrs["status"] == "unspecified" and any(e.attrs.get("incident") == key for e in same):
                    found.append(0)
                continue
            before = [e for e in annotation.events if e.trigger.start < entity.span.start]
            if before and max(before, key=lambda e: e.trigger.start).attrs.get("incident") == key:
                found.append(attrs["count"])
        if found:
            figures[annotation.doc_id] = found
    return figures


def named_victims(mentions_of_key, names, status: str) -> set[str]:
    """I6: the distinct named persons (ACTOR spans) killed or injured in the incident's mentions."""
    victims = set()
    for annotation, event in mentions_of_key:
        entities = _entities(annotation)
        for argument in event.arguments:
            if argument.role == ROLE[status] and entities[argument.span].label == "ACTOR":
                text = _text(annotation, argument.span)
                victims.add(names["persons"].get(text.casefold(), text))
    return victims


def _totals(figures: list[int]) -> set[int]:
    """Every total a report's figures can combine to (I6: distinct groups add, the same group counts once)."""
    return {sum(group) for size in range(1, len(figures) + 1) for group in combinations(figures, size)}


def figure_problems(record: IncidentRecord, gold, mentions_of_key, names) -> list[str]:
    failures = []
    for status in ("killed", "injured"):
        value = getattr(record, status)
        figures = attached_figures(gold, record.incident, status)
        victims = named_victims(mentions_of_key, names, status)
        where = f"{record.incident} {status}={value!r}"
        if not figures and not victims:
            if value is not None:
                failures.append(f"{where}: no report gives a figure, so it must be null (I8)")
            continue
        if value is None:
            failures.append(f"{where}: the reports give {figures or sorted(victims)}; null is only for no figure")
            continue
        if not figures:
            if value != len(victims):
                failures.append(f"{where}: the named victims are {sorted(victims)}, {len(victims)} (I6)")
            continue
        combinable = set().union(*(_totals(f) for f in figures.values()))
        lowest_possible = min(max(f) for f in figures.values())
        highest_possible = min(sum(f) for f in figures.values())
        if value not in combinable:
            failures.append(f"{where}: no report's figures {figures} combine to it (I6)")
        if not lowest_possible <= value <= highest_possible:
            failures.append(f"{where}: the lowest report total of {figures} lies in "
                            f"[{lowest_possible}, {highest_possible}] (I6, ACLED)")
        if value < len(victims):
            failures.append(f"{where}: fewer than the {len(victims)} named victims")
    return failures


def test_records_file_has_the_spec_shape_and_key_order():
    failures = []
    lines = INCIDENTS_FILE.read_text(encoding="utf-8").splitlines()
    keys = []
    for n, line in enumerate(lines, 1):
        obj = json.loads(line)
        keys.append(obj["incident"])
        if tuple(obj) != FIELDS:
            failures.append(f"line {n}: keys {tuple(obj)}, not in the SPEC's order {FIELDS}")
        for field in ("attackers", "weapon_classes"):
            if obj[field] != sorted(obj[field]):
                failures.append(f"line {n}: {field} not sorted (I1)")
    if keys != sorted(keys):
        failures.append("records are not in key order (I1)")
    records = read_incident_records(INCIDENTS_FILE)
    for record in records:
        if not isinstance(record.attackers, tuple) or not isinstance(record.weapon_classes, tuple):
            failures.append(f"{record.incident}: lists are not tuples")
    assert failures == []


def test_every_key_has_one_record_and_every_record_a_mention(records, mentions):
    keys = [record.incident for record in records]
    failures = [f"{key}: {keys.count(key)} records" for key in sorted(set(keys)) if keys.count(key) != 1]
    failures += [f"{key}: used by the gold's events, but no record" for key in sorted(set(mentions) - set(keys))]
    failures += [f"{key}: record without a mention" for key in sorted(set(keys) - set(mentions))]
    assert failures == []


def test_dates_agree_with_their_precision_the_key_and_publication(records, mentions):
    failures = []
    for record in records:
        key_date = re.match(r"^[0-9]{4}(?:-[0-9]{2}){0,2}", record.incident).group()
        if not (key_date.startswith(record.date) or record.date.startswith(key_date)):
            failures.append(f"{record.incident}: date {record.date} and the key's date disagree")
        for annotation, _ in mentions.get(record.incident, []):
            published = annotation.document.meta["published"]
            shared = min(len(published), len(record.date))
            if record.date[:shared] > published[:shared]:
                failures.append(f"{record.incident}: date {record.date} after {annotation.doc_id}'s {published}")
    assert failures == []


def test_place_and_country_are_the_most_specific_named_place(records, mentions, names):
    failures = []
    details = names["place_details"]
    for record in records:
        candidates = expected_places(mentions.get(record.incident, []), names)
        if not candidates:
            if record.place is not None or record.country is not None:
                failures.append(f"{record.incident}: no named place in its mentions, so place and country are null")
            continue
        best = min(SPECIFICITY[details[place]["kind"]] for place in candidates)
        if record.place not in candidates:
            failures.append(f"{record.incident}: place {record.place!r} is none of {sorted(candidates)}")
        elif SPECIFICITY[details[record.place]["kind"]] != best:
            failures.append(f"{record.incident}: place {record.place!r} is not the most specific of {sorted(candidates)}")
        if record.place in details and record.country != details[record.place]["country"]:
            failures.append(f"{record.incident}: country {record.country!r}, but {record.place} is in "
                            f"{details[record.place]['country']}")
    assert failures == []


def test_attackers_are_canonical_names_of_attacker_arguments(records, mentions, names):
    failures = []
    for record in records:
        direct, through = expected_attackers(mentions.get(record.incident, []), names)
        for attacker in record.attackers:
            if attacker not in direct | through:
                failures.append(f"{record.incident}: attacker {attacker!r} is the canonical name of no ATTACKER "
                                f"argument of its mentions (nor of the party a definite nominal refers back to)")
        for missing in sorted((direct | through) - set(record.attackers)):
            failures.append(f"{record.incident}: attacker {missing!r} is missing (I4)")
    assert failures == []


def test_weapon_classes_are_those_of_the_instrument_arguments(records, mentions):
    failures = []
    for record in records:
        classes = set()
        for annotation, event in mentions.get(record.incident, []):
            entities = _entities(annotation)
            classes |= {entities[a.span].attrs["weapon_class"] for a in event.arguments if a.role == "INSTRUMENT"}
        if set(record.weapon_classes) != classes:
            failures.append(f"{record.incident}: weapon_classes {list(record.weapon_classes)}, "
                            f"the INSTRUMENT arguments give {sorted(classes)}")
    assert failures == []


def test_killed_and_injured_follow_from_the_casualty_spans(records, mentions, names, gold):
    failures = []
    for record in records:
        failures += figure_problems(record, gold, mentions.get(record.incident, []), names)
    assert failures == []


def test_figure_rule_catches_a_wrong_total(gold, mentions, names):
    erbil = IncidentRecord("2021-02-15-erbil", "2021-02-15", "day", "Iraq", "Erbil", ("Guardians of Blood",),
                           ("rocket",), 1, 5)
    assert figure_problems(erbil, gold, mentions["2021-02-15-erbil"], names) == []
    for killed, injured in ((2, 5), (1, 9), (1, 14), (1, None), (None, 5)):
        wrong = IncidentRecord(erbil.incident, erbil.date, erbil.date_precision, erbil.country, erbil.place,
                               erbil.attackers, erbil.weapon_classes, killed, injured)
        assert figure_problems(wrong, gold, mentions["2021-02-15-erbil"], names), (killed, injured)


def test_canonical_names_table_is_well_formed(records, names):
    failures = []
    raw = names["raw"]
    for table in ("attackers", "places", "persons"):
        aliases = [alias.casefold() for alias in raw[table]]
        failures += [f"{table}: alias {a!r} twice (aliases are matched ignoring case)"
                     for a in sorted({a for a in aliases if aliases.count(a) > 1})]
        failures += [f"{table}: canonical {name!r} is not an alias of itself"
                     for name in sorted(set(raw[table].values())) if raw[table].get(name) != name]
    failures += [f"places: {name!r} has no place_details" for name in sorted(set(raw["places"].values()))
                 if name not in raw["place_details"]]
    failures += [f"place_details: {name!r} has kind {d['kind']!r}" for name, d in raw["place_details"].items()
                 if d["kind"] not in SPECIFICITY]
    canonical_attackers, canonical_places = set(raw["attackers"].values()), set(raw["places"].values())
    for record in records:
        failures += [f"{record.incident}: {a!r} is not a canonical attacker name" for a in record.attackers
                     if a not in canonical_attackers]
        if record.place is not None and record.place not in canonical_places:
            failures.append(f"{record.incident}: {record.place!r} is not a canonical place name")
        countries = {d["country"] for d in raw["place_details"].values()}
        if record.country is not None and record.country not in countries:
            failures.append(f"{record.incident}: {record.country!r} is not a canonical country name")
    assert failures == []


# The reader and writer (their shape checks are tested in tests/test_incidents.py).

GOOD = {"incident": "2021-02-15-erbil", "date": "2021-02-15", "date_precision": "day", "country": "Iraq",
        "place": "Erbil", "attackers": ["Guardians of Blood"], "weapon_classes": ["rocket"], "killed": 1,
        "injured": 5}


def _write(path, objects) -> str:
    path.write_text("".join((o if isinstance(o, str) else json.dumps(o)) + "\n" for o in objects), encoding="utf-8")
    return str(path)


def test_records_round_trip(tmp_path, records):
    path = tmp_path / "incidents.jsonl"
    write_incident_records(path, records)
    assert read_incident_records(path) == records
    assert path.read_text(encoding="utf-8") == INCIDENTS_FILE.read_text(encoding="utf-8")


def test_spec_example_reads_as_the_gold_record(tmp_path, records):
    path = _write(tmp_path / "one.jsonl", [GOOD])
    assert read_incident_records(path) == [r for r in records if r.incident == "2021-02-15-erbil"]


def _markdown_rows(text: str, header: str) -> list[list[str]]:
    lines = text[text.index(header):].splitlines()[2:]
    rows = []
    for line in lines:
        if not line.startswith("|"):
            break
        rows.append([cell.strip() for cell in line.strip("|").split("|")])
    return rows


def test_guidelines_tables_are_the_machine_readable_ones(records):
    from benchmark.paths import ANNOTATIONS_DIR

    text = (ANNOTATIONS_DIR / "GUIDELINES.md").read_text(encoding="utf-8")
    raw = json.loads(CANONICAL_NAMES_FILE.read_text(encoding="utf-8"))
    failures = []
    for table, header in (("attackers", "| canonical attacker |"), ("places", "| canonical place |"),
                          ("persons", "| canonical person |")):
        documented = {}
        for row in _markdown_rows(text, header):
            for alias in re.findall(r"`([^`]+)`", row[-1]):
                documented[alias] = row[0]
        if documented != raw[table]:
            failures.append(f"GUIDELINES.md's {table} table differs from canonical_names.json")
    for row in _markdown_rows(text, "| canonical place |"):
        if raw["place_details"].get(row[0]) != {"kind": row[1], "country": row[2]}:
            failures.append(f"GUIDELINES.md: kind or country of {row[0]} differs from canonical_names.json")
    shown = [row for row in _markdown_rows(text, "| incident | date | precision |")]
    nulls = lambda value: "null" if value is None else str(value)
    expected = [[f"`{r.incident}`", r.date, r.date_precision, nulls(r.country), nulls(r.place),
                 ", ".join(r.attackers) or "—", ", ".join(r.weapon_classes) or "—", nulls(r.killed),
                 nulls(r.injured)] for r in records]
    if shown != expected:
        failures.append("GUIDELINES.md's records table differs from incidents.jsonl")
    assert failures == []

