"""brat standoff and CoNLL IOB2 round trips over the gold (offsets: code points)."""

from __future__ import annotations

from pathlib import Path

import pytest
from msgspec.structs import replace

from benchmark.formats.brat import from_brat, read_brat, to_brat, write_brat
from benchmark.cli import main
from benchmark.formats.conll import read_conll, write_conll
from benchmark.errors import Problem, SubmissionError
from benchmark.formats.jsonl import read_annotations
from benchmark.labelstudio.exchange import import_export
from benchmark.model import Annotation, Argument, Entity, Event
from benchmark.paths import GOLD_FILE

FIXTURE = Path(__file__).parent / "fixtures" / "labelstudio_export_rich.json"


@pytest.fixture(scope="module")
def gold() -> list[Annotation]:
    return read_annotations(GOLD_FILE)


@pytest.fixture(scope="module")
def rich() -> list[Annotation]:
    """The fixture export's ground truth: emoji, curly quotes, two events, every attribute kind."""
    problems: list[Problem] = []
    annotations = list(import_export(FIXTURE, problems, ground_truth=True))
    assert problems == []
    return annotations


def test_brat_round_trip_is_the_identity_on_the_gold(tmp_path, gold):
    write_brat(tmp_path, gold)
    back = read_brat(tmp_path, [a.document for a in gold])
    assert back == gold
    for a, b in zip(gold, back):
        assert a.entities == b.entities and a.events == b.events
        assert [e.id for e in a.entities] == [e.id for e in b.entities]
        assert [e.id for e in a.events] == [e.id for e in b.events]
    # without the documents: every .ann of the folder, in name order
    assert read_brat(tmp_path) == sorted(gold, key=lambda a: a.doc_id)


def test_brat_round_trip_on_emoji_text_with_two_events(tmp_path, rich):
    write_brat(tmp_path, rich)
    back = read_brat(tmp_path, [a.document for a in rich])
    assert back == rich
    assert [e.attributes for e in back[0].entities] == [e.attributes for e in rich[0].entities]
    assert [e.attrs for e in back[0].events] == [{"incident": "2024-01-02-ain-al-asad"}] * 2
    # brat counts code points: the .txt is the text, and each T line's text is text[start:end]
    assert (tmp_path / "fixture_emoji_quotes.txt").read_text(encoding="utf-8") == rich[0].document.text
    assert "T1\tACTOR 21 37\tKataib Hezbollah" in (tmp_path / "fixture_emoji_quotes.ann").read_text(encoding="utf-8")


def test_brat_repeated_roles_are_numbered(rich):
    annotation = rich[0]
    event = annotation.events[0]
    actor = next(e for e in annotation.entities if e.label == "ACTOR")
    doubled = replace(annotation, events=(replace(event, arguments=(*event.arguments, Argument("TARGET", actor.span))),
                                          *annotation.events[1:]))
    problems: list[Problem] = []
    ann = to_brat(doubled, annotation.document.text, problems)
    assert problems == []
    event_line = next(line for line in ann.splitlines() if line.startswith("E1\t"))
    parts = event_line.split("\t")[1].split()
    assert [part for part in parts if part.startswith("TARGET")] == ["TARGET:T3", "TARGET2:T1"]
    assert from_brat(ann, annotation.document, problems) == doubled and problems == []


def test_brat_ids_that_are_not_brat_ids_are_renumbered(doc):
    entities = (Entity(_span(doc, "Erbil"), "LOCATION", id="loc-1"), Entity(_span(doc, "14 rockets"), "WEAPON", id="T1"))
    annotation = Annotation(doc.id, entities, (Event("ATTACK", _span(doc, "fired"), id="ev"),))
    problems: list[Problem] = []
    ann = to_brat(annotation, doc.text, problems)
    assert ann.splitlines()[0].split("\t")[0] == "T2"
    back = from_brat(ann, doc, problems)
    assert problems == [] and back == annotation
    assert [e.id for e in back.entities] == ["T2", "T1"] and back.events[0].id == "E1"


def _span(doc, needle):
    from benchmark.model import Span

    start = doc.text.index(needle)
    return Span(start, start + len(needle))


def test_brat_reading_reports_each_problem_with_its_line(doc):
    ann = "\n".join([
        "T1\tWEAPON 255 265\t14 rocket",          # 2 text mismatch... line 1
        "T2\tPLACE 313 318\tErbil",               # unknown label
        "T3\tATTACK 271 276\tfired",
        "E1\tATTACK:T3 WEAPONRY:T2 PLACE:T9",     # unknown role, argument not an entity
        "A1\tweapon_class T1 laser",              # on a rejected entity
        "R1\tLocated Arg1:T1 Arg2:T2",            # relations are not part of the mapping
        "T4\tLOCATION 313 318;320 322\tErbil",    # discontinuous
        "T5\tATTACK 271 276\tfired",              # a trigger without event
        "#1\tAnnotatorNotes T1\tnotes without name=value are comments",
    ]) + "\n"
    problems: list[Problem] = []
    from_brat(ann, doc, problems, file="x.ann")
    found = [(p.line, p.item, p.message) for p in problems]
    assert found == [
        (1, "T1", "span text '14 rocket' does not match text[255:265] = '14 rockets'"),
        (2, "T2", "unknown label 'PLACE'"),
        (6, "R1", "R line is not part of this mapping (T, E, A and # lines only)"),
        (7, "T4", "discontinuous spans are not part of this mapping"),
        (4, "E1", "unknown role 'WEAPONRY'"),
        (4, "E1", "argument PLACE:T9 is not an entity"),
        (5, "T1", "attribute 'weapon_class' is on T1, which is no entity or event"),
        (8, "T5", "trigger T5 belongs to no event (E line)"),
    ]
    assert all(p.file == "x.ann" and p.document == doc.id for p in problems)


def test_brat_attribute_values_are_typed_by_the_schema(doc):
    ann = "T1\tWEAPON 255 265\t14 rockets\nA1\tquantity T1 14\nA2\tweapon_class T1 rocket\nA3\tquantity T1 many\n"
    problems: list[Problem] = []
    back = from_brat(ann, doc, problems)
    assert back.entities[0].attrs == {"quantity": 14, "weapon_class": "rocket"}
    assert [p.message for p in problems] == ["'many' is not an integer"]


def test_write_brat_refuses_values_brat_cannot_hold(tmp_path, doc):
    event = Event("ATTACK", _span(doc, "fired"), attributes=(("incident", "two words"),))
    with pytest.raises(SubmissionError) as error:
        write_brat(tmp_path, [Annotation(doc.id, (), (event,), document=doc)])
    assert "cannot be a brat attribute value" in str(error.value)
    assert list(tmp_path.iterdir()) == []


def _labelled(annotations):
    return {a.doc_id: (sorted((e.span, e.label) for e in a.entities),
                       sorted((e.trigger, e.event_type) for e in a.events)) for a in annotations}


def test_conll_round_trip_is_the_identity_on_entities_and_triggers(tmp_path, gold, rich):
    for name, annotations in (("gold", gold), ("rich", rich)):
        path = tmp_path / f"{name}.conll"
        documents = [a.document for a in annotations]
        write_conll(path, documents, annotations)
        back = read_conll(path, documents)
        assert _labelled(back) == _labelled(annotations)
        assert all(e.attributes == () for a in back for e in a.entities)


def test_export_cli_writes_brat_and_conll(tmp_path, capsys, gold):
    assert main(["export", "--format", "brat", "--out", str(tmp_path / "brat")]) == 0
    assert main(["export", "--format", "conll", "--out", str(tmp_path / "gold.conll")]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == [f"wrote {len(gold)} documents in brat standoff to {tmp_path / 'brat'}",
                   f"wrote {len(gold)} documents in CoNLL IOB2 to {tmp_path / 'gold.conll'}"]
    assert read_brat(tmp_path / "brat", [a.document for a in gold]) == gold
    assert (tmp_path / "brat" / "annotation.conf").read_text(encoding="utf-8").startswith("# brat configuration")
    assert _labelled(read_conll(tmp_path / "gold.conll", [a.document for a in gold])) == _labelled(gold)


def _section(conf: str, name: str) -> list[str]:
    lines = conf.split("\n")
    start = lines.index(f"[{name}]") + 1
    end = next((i for i in range(start, len(lines)) if lines[i].startswith("[")), len(lines))
    return [line for line in lines[start:end] if line and not line.startswith("#")]


def test_brat_export_writes_visual_and_tools_conf(tmp_path, gold):
    from benchmark.schema import load_schema

    schema = load_schema()
    write_brat(tmp_path, gold)
    visual = (tmp_path / "visual.conf").read_text(encoding="utf-8")
    labels = {line.split(" | ")[0]: line.split(" | ")[1] for line in _section(visual, "labels")}
    drawing = {line.split("\t")[0]: line.split("\t")[1] for line in _section(visual, "drawing")}
    for name in (*schema.label_names, *schema.event_type_names):
        assert labels[name] == name.capitalize()  # readable: "Actor", "Casualty", "Attack"
        assert drawing[name].startswith("bgColor:#")
    colours = [drawing[name] for name in schema.label_names]
    assert len(set(colours)) == len(colours)  # a colour per label
    assert all(labels[role] == role.capitalize() for role in schema.role_names)
    tools = (tmp_path / "tools.conf").read_text(encoding="utf-8")
    assert _section(tools, "options") == ["Tokens\ttokenizer:whitespace", "Sentences\tsplitter:newline",
                                          "Validation\tvalidate:all", "Annotation-display\tinterface:normal"]


def test_brat_value_lists_allow_values_the_gold_lacks(tmp_path, gold):
    write_brat(tmp_path, gold)
    conf = (tmp_path / "annotation.conf").read_text(encoding="utf-8")
    attributes = {line.split("\t")[0]: line.split("Value:")[1].split("|") for line in _section(conf, "attributes")}
    counts = {e.attrs["count"] for a in gold for e in a.entities if "count" in e.attrs}
    assert attributes["count"][:3] == ["0", "1", "2"] and "100" in attributes["count"]
    assert counts <= set(map(int, attributes["count"])) and "57" in attributes["count"]  # 57: in no gold span
    assert "incident" not in attributes  # free text: in the note
    assert "# incident (ATTACK): free text, in the note as incident=VALUE" in conf.split("\n")
    ann = (tmp_path / f"{gold[0].doc_id}.ann").read_text(encoding="utf-8")
    key = next(e.attrs["incident"] for e in gold[0].events if "incident" in e.attrs)
    assert f"\tAnnotatorNotes E1\tincident={key}" in ann


def test_brat_notes_carry_values_outside_the_lists(doc):
    ann = "\n".join([
        "T1\tCASUALTY 342 356\tone contractor",
        "A1\tstatus T1 killed",
        "A2\tqualifier T1 exact",
        "#1\tAnnotatorNotes T1\tcount=250 check the source",  # a count above brat's list, and a comment
        "T2\tATTACK 271 276\tfired",
        "E1\tATTACK:T2 KILLED:T1",
        "#2\tAnnotatorNotes E1\tincident=2021-02-16-new-key",   # a key the gold does not have
        "T3\tWEAPON 255 265\t14 rockets",
        "A3\tquantity T3 14",
        "#3\tAnnotatorNotes T3\tquantity=12",                   # contradicts A3
    ]) + "\n"
    problems: list[Problem] = []
    back = from_brat(ann, doc, problems, file="x.ann")
    assert back.entities[0].attrs == {"status": "killed", "qualifier": "exact", "count": 250}
    assert back.events[0].attrs == {"incident": "2021-02-16-new-key"}
    assert [(p.line, p.item, p.message) for p in problems] == [
        (10, "T3", "attribute 'quantity' given twice with different values (14 and 12)")]
