"""Every rule of SPEC sections 1 and 2, each with a bad-input case."""

from __future__ import annotations

import pytest

from benchmark.cli import main
from benchmark.inputs.validate import ends_in_abbreviation, validate_file
from conftest import DOC_ID, find, write_lines

PUNCTUATED: dict = {}
SENTENCE = "14 rockets were fired at the airbase hosting US troops in Erbil"


@pytest.fixture()
def spans(doc):
    text = doc.text
    return {name: find(text, needle, SENTENCE) for name, needle in
            [("rockets", "14 rockets"), ("fired", "fired"), ("airbase", "airbase"), ("erbil", "Erbil"),
             ("contractor", "one contractor")]}


def entity(span, label, **attributes):
    return {"start": span.start, "end": span.end, "label": label, "attributes": attributes}


def good_record(spans, gold_text=None):
    record = {"id": DOC_ID, "entities": [
        {"id": "T1", **entity(spans["rockets"], "WEAPON", weapon_class="rocket", quantity=14)},
        {"id": "T2", **entity(spans["airbase"], "LOCATION")},
        {"id": "T3", **entity(spans["contractor"], "CASUALTY", status="killed", count=1, qualifier="exact")}],
        "events": [{"id": "E1", "type": "ATTACK", "trigger": {"start": spans["fired"].start, "end": spans["fired"].end},
                    "arguments": [{"role": "INSTRUMENT", "start": spans["rockets"].start, "end": spans["rockets"].end},
                                  {"role": "TARGET", "start": spans["airbase"].start, "end": spans["airbase"].end}],
                    "attributes": {"incident": "2021-02-15-erbil"}}]}
    if gold_text is not None:
        record["text"] = gold_text
    return record


def problems_of(tmp_path, corpus, record, gold=None):
    path = write_lines(tmp_path / "file.jsonl", [record] if isinstance(record, (dict, str)) else record)
    return [str(p) for p in validate_file(path, corpus, gold=gold)]


def test_good_prediction_and_gold_pass(tmp_path, corpus, spans, doc):
    assert problems_of(tmp_path, corpus, good_record(spans)) == []
    assert problems_of(tmp_path, corpus, good_record(spans, doc.text)) == []


@pytest.mark.parametrize("mutate,expected", [
    (lambda r: r.update(id="999_nope"), "unknown document id '999_nope'"),
    (lambda r: r["entities"][0].update(end=10**6), "offset 1000000 is past the end of the text"),
    (lambda r: r["entities"][0].update(end=r["entities"][0]["start"]), "is not before end"),
    (lambda r: r["entities"][1].update(label="PLACE"), "unknown label 'PLACE'"),
    (lambda r: r["events"][0].update(type="PROTEST"), "unknown event type 'PROTEST'"),
    (lambda r: r["events"][0]["arguments"][0].update(role="WEAPON"), "unknown role 'WEAPON'"),
    (lambda r: r["entities"][0]["attributes"].update(weapon_class="mortar"), "'mortar' is not one of"),
    (lambda r: r["entities"][2]["attributes"].update(count="one"), "'one' is not an integer"),
    (lambda r: r["entities"][1]["attributes"].update(status="killed"), "unknown attribute 'status' for LOCATION"),
    (lambda r: r["events"][0]["arguments"][0].update(start=r["events"][0]["arguments"][0]["start"] + 3),
     "coincides with no entity"),
])
def test_rules_for_every_file(tmp_path, corpus, spans, mutate, expected, doc):
    span = find(doc.text, "Awliyaa al-Dam,")
    PUNCTUATED.update(start=span.start, end=span.end)
    record = good_record(spans)
    mutate(record)
    found = problems_of(tmp_path, corpus, record)
    assert any(expected in p for p in found), found
    assert all(p.startswith(f"{tmp_path / 'file.jsonl'}:1: ") for p in found)


def test_malformed_json_and_duplicate_document_name_their_lines(tmp_path, corpus, spans):
    found = problems_of(tmp_path, corpus, [good_record(spans), "{not json", good_record(spans)])
    assert any(":2: malformed JSON" in p for p in found)
    assert any(":3: " in p and "document given twice (first on line 1)" in p for p in found)


def test_predicted_spans_may_overlap_but_gold_spans_may_not(tmp_path, corpus, spans, doc):
    record = good_record(spans)
    record["entities"].append(entity(find(doc.text, "rockets", SENTENCE), "WEAPON", weapon_class="rocket"))
    assert problems_of(tmp_path, corpus, record) == []
    record["text"] = doc.text
    assert any("gold spans never overlap" in p for p in problems_of(tmp_path, corpus, record))


@pytest.mark.parametrize("mutate,expected", [
    (lambda r, d: r.update(text=d.text + " "), "differs from the corpus text"),
    (lambda r, d: (r["entities"][1].update(end=r["entities"][1]["end"] + 1), r["events"][0].update(arguments=[])),
     "starts or ends with white space"),
    (lambda r, d: (r["entities"][1].update(start=r["entities"][1]["start"] - 1), r["events"][0].update(arguments=[])),
     "starts or ends with white space"),
    (lambda r, d: r["entities"][2]["attributes"].pop("qualifier"), "required attribute 'qualifier' of CASUALTY"),
    (lambda r, d: r["entities"][0]["attributes"].pop("weapon_class"), "required attribute 'weapon_class'"),
    (lambda r, d: r["entities"][1].update(id="T1"), "entity id 'T1' is used more than once"),
    (lambda r, d: r["events"][0]["arguments"][0].update(role="PLACE"), "role PLACE is filled by a WEAPON"),
    (lambda r, d: r["events"][0]["attributes"].update(incident="Erbil attack"), "does not match the pattern"),
])
def test_gold_only_rules(tmp_path, corpus, spans, doc, mutate, expected):
    record = good_record(spans, doc.text)
    mutate(record, doc)
    found = problems_of(tmp_path, corpus, record)
    assert any(expected in p for p in found), found
    prediction = good_record(spans)
    mutate(prediction, doc) if "text" not in expected and "corpus text" not in expected else None
    if expected.startswith("required") or "more than once" in expected or "filled by" in expected \
            or "white space" in expected or "pattern" in expected:
        assert problems_of(tmp_path, corpus, prediction) == []


def test_gold_argument_must_be_in_the_trigger_sentence(tmp_path, corpus, spans, doc):
    record = good_record(spans, doc.text)
    other = find(doc.text, "Kataib Hezbollah")
    record["entities"].append({"id": "T9", **entity(other, "ACTOR")})
    record["events"][0]["arguments"].append({"role": "ATTACKER", "start": other.start, "end": other.end})
    assert any("not in the trigger's sentence" in p for p in problems_of(tmp_path, corpus, record))


def test_cli_reports_bad_offset_and_unknown_label_at_once(tmp_path, spans, capsys):
    record = good_record(spans)
    record["events"] = []
    record["entities"][0]["end"] = 99999
    record["entities"][1]["label"] = "PLACE"
    record["entities"][2]["end"] += 1  # a trailing space: scored as given in predictions (SPEC 1.1 section 2)
    path = write_lines(tmp_path / "bad.jsonl", [record])
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert any(f"{path}:1: document {DOC_ID}, item entity T1, field start/end: offset 99999 is past" in l for l in err)
    assert any("item entity T2, field label: unknown label 'PLACE'" in l for l in err)
    assert err[-1] == f"2 problems found in {path}"


def test_prediction_spans_with_edge_junk_or_inside_tokens_are_counted_not_errors(tmp_path, corpus, spans, doc):
    from benchmark.inputs.validate import span_notes
    from benchmark.formats.jsonl import read_annotations

    record = good_record(spans)
    record["events"] = []
    record["entities"][1]["end"] += 1        # "airbase " : trailing white space
    record["entities"][2]["start"] += 1      # "ne contractor": starts inside a token
    punctuated = find(doc.text, "Awliyaa al-Dam,")
    record["entities"].append(entity(punctuated, "ACTOR"))
    assert problems_of(tmp_path, corpus, record) == []
    notes = span_notes(read_annotations(tmp_path / "file.jsonl"), corpus)
    assert (notes.edge, notes.inside_token) == (2, 1)
    assert str(notes) == "2 predicted spans have white space or punctuation at an edge; 1 start or end inside a benchmark token"


def test_null_attributes_are_absent(tmp_path, corpus, spans):
    record = good_record(spans)
    record["entities"][1]["attributes"] = {"status": None, "count": None, "weapon_class": None}
    record["entities"][0]["id"] = None
    record["events"][0]["attributes"] = {"incident": None}
    assert problems_of(tmp_path, corpus, record) == []


def test_cli_accepts_the_shipped_gold(capsys):
    from benchmark.paths import GOLD_FILE

    assert main(["validate", str(GOLD_FILE)]) == 0


def test_gold_spans_must_sit_on_token_boundaries(tmp_path, corpus, spans, doc):
    record = good_record(spans, doc.text)
    record["entities"][1]["start"] += 1  # "irbase": inside the token "airbase"
    record["events"][0]["arguments"] = []
    found = problems_of(tmp_path, corpus, record)
    assert any("'irbase' does not start and end on benchmark token boundaries" in p for p in found), found


ABBREVIATION_DOC = "001_4d23d494d5691604"


def abbreviation_record(corpus, actor_text: str, with_text: bool) -> dict:
    """Doc 001's "A U.S. drone strike" with the ACTOR span ``actor_text`` (the ATTACKER when it is U.S.)."""
    text = corpus[ABBREVIATION_DOC].text
    actor = find(text, actor_text, "A U.S. drone strike" if actor_text.startswith("U.S") else "not Erbil")
    drone, strike = find(text, "drone", "A U.S. drone"), find(text, "strike", "A U.S. drone")
    record = {"id": ABBREVIATION_DOC,
              "entities": [{"id": "T1", **entity(actor, "ACTOR")},
                           {"id": "T2", **entity(drone, "WEAPON", weapon_class="drone")}],
              "events": [{"id": "E1", "type": "ATTACK", "trigger": {"start": strike.start, "end": strike.end},
                          "arguments": [{"role": "INSTRUMENT", "start": drone.start, "end": drone.end}]}]}
    if actor_text.startswith("U.S"):
        record["events"][0]["arguments"].append({"role": "ATTACKER", "start": actor.start, "end": actor.end})
    if with_text:
        record["text"] = text
    return record


@pytest.mark.parametrize("with_text", [True, False], ids=["gold", "prediction"])
def test_a_span_may_end_in_the_period_of_an_abbreviation(tmp_path, corpus, with_text):
    # SPEC 1.1 section 1: "A U.S. drone strike" gives the ACTOR `U.S.`, one benchmark token.
    assert problems_of(tmp_path, corpus, abbreviation_record(corpus, "U.S.", with_text)) == []


@pytest.mark.parametrize("with_text", [True], ids=["gold"])  # predictions: scored as given (SPEC 1.1 section 2)
def test_a_sentence_final_period_is_still_trimmed(tmp_path, corpus, with_text):
    found = problems_of(tmp_path, corpus, abbreviation_record(corpus, "Erbil.", with_text))
    assert any("'Erbil.' starts or ends with white space or punctuation" in p for p in found), found


@pytest.mark.parametrize("covered,expected", [
    ("U.S.", True), ("the U.S.", True), ("Gen.", True), ("Lt.", True), ("Mr.", True), ("pro-U.S.", True),
    ("Erbil.", False), ("US.", False), ("stability...", False), ("J.", False), ("U.S", False), ("Gens.", False),
])
def test_what_counts_as_an_abbreviation(covered, expected):
    assert ends_in_abbreviation(covered) is expected


def test_the_tokenizer_keeps_us_with_its_period(corpus):
    from benchmark.tokens import sentences_of

    document = corpus[ABBREVIATION_DOC]
    us = find(document.text, "U.S.", "A U.S. drone strike")
    assert us in {token for sentence in sentences_of(document) for token in sentence.tokens}
