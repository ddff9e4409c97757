"""The spine types and the schema file, and the generated Label Studio config."""

from __future__ import annotations

import pytest
from label_studio_sdk.label_interface import LabelInterface

from benchmark.errors import SchemaError
from benchmark.labelstudio.convert import label_config
from benchmark.model import Annotation, Argument, Document, Entity, Event, Provenance, Span
from benchmark.paths import LABEL_CONFIG_FILE, SCHEMA_FILE
from benchmark.schema import load_schema, parse_schema
import json


@pytest.mark.parametrize("start,end", [(3, 3), (5, 2), (-1, 4)])
def test_span_rejects_empty_reversed_and_negative(start, end):
    with pytest.raises(ValueError):
        Span(start, end)


def test_provenance_does_not_affect_equality():
    a = Entity(Span(0, 4), "ACTOR", id="T1", provenance=Provenance(source_id="abc", annotator="x"))
    b = Entity(Span(0, 4), "ACTOR", id="T9")
    assert a == b and hash(a) == hash(b)


def test_content_alone_makes_equality_for_every_spine_type():
    who, other = Provenance(source_id="r1", annotator="a@b.c"), Provenance(source_id="r2")
    span = Span(0, 4)
    pairs = [
        (Argument("TARGET", span, who), Argument("TARGET", span, other)),
        (Event("ATTACK", span, (Argument("TARGET", Span(5, 9)),), (("incident", "k"),), "E1", who),
         Event("ATTACK", span, (Argument("TARGET", Span(5, 9)),), (("incident", "k"),), "E7")),
        (Document("d", "text", (("title", "T"),)), Document("d", "text")),
        (Annotation("d", (Entity(span, "ACTOR", id="T1"),), document=Document("d", "text"), provenance=who),
         Annotation("d", (Entity(span, "ACTOR", id="T2"),))),
    ]
    for a, b in pairs:
        assert a == b and not a != b and hash(a) == hash(b) and len({a, b}) == 1
    assert Argument("TARGET", span) != Argument("PLACE", span)
    assert Event("ATTACK", span) != Event("ATTACK", Span(0, 5))
    assert Document("d", "text") != Document("d", "other text")
    assert Annotation("d") != Annotation("d", (Entity(span, "ACTOR"),))
    assert Span(1, 2) != (1, 2) and Entity(span, "ACTOR") != Argument("ACTOR", span)


def test_repr_leaves_out_provenance_and_an_annotation_s_document():
    document = Document("d", "A long gold text that a repr should not print")
    entity = Entity(Span(0, 1), "ACTOR", id="T1", provenance=Provenance(annotator="someone@example.org"))
    annotation = Annotation("d", (entity,), document=document, provenance=Provenance(annotator="someone@example.org"))
    shown = repr(annotation)
    assert "T1" in shown and "ACTOR" in shown
    assert "gold text" not in shown and "someone@example.org" not in shown


def test_spine_objects_are_immutable():
    with pytest.raises(AttributeError):
        Span(0, 1).start = 3  # type: ignore[misc]
    with pytest.raises(AttributeError):
        Entity(Span(0, 1), "ACTOR").label = "WEAPON"  # type: ignore[misc]


def test_schema_has_the_spec_labels_roles_and_attributes():
    schema = load_schema()
    assert schema.label_names == ("ACTOR", "LOCATION", "WEAPON", "CASUALTY")
    assert schema.event_type("ATTACK").fillers("TARGET") == ("ACTOR", "LOCATION")
    assert schema.event_type("ATTACK").fillers("KILLED") == ("CASUALTY", "ACTOR")
    required = {a.name for a in schema.label("CASUALTY").attributes if a.required}
    assert required == {"status", "count", "qualifier"}
    assert schema.attribute("count").check(-1) and not schema.attribute("count").check(0)
    assert schema.attribute("incident").check("2021-02-15-erbil") is None
    assert schema.attribute("incident").check("Erbil 2021") is not None


def test_schema_rejects_unknown_filler_and_shared_attribute_names():
    raw = json.loads(SCHEMA_FILE.read_text())
    raw["event_types"]["ATTACK"]["roles"]["TARGET"].append("VEHICLE")
    raw["entity_labels"]["ACTOR"]["attributes"] = {"count": {"kind": "integer", "required": False}}
    with pytest.raises(SchemaError) as error:
        parse_schema(raw, "schema.json")
    message = str(error.value)
    assert "VEHICLE" in message and "count" in message


def test_committed_label_config_is_generated_from_the_schema():
    assert LABEL_CONFIG_FILE.read_text(encoding="utf-8") == label_config()


def test_label_studio_sdk_parses_and_validates_the_config():
    interface = LabelInterface(LABEL_CONFIG_FILE.read_text(encoding="utf-8"))
    interface.validate()
    assert interface.get_control("entity").labels == list(load_schema().label_names)
    assert set(interface.get_control("status").labels) == {"killed", "injured", "unspecified"}
    for name in ("count", "quantity", "incident", "weapon_class", "qualifier", "victim"):
        assert interface.get_control(name).attr.get("perRegion") == "true"


def test_adding_a_label_is_a_data_change():
    raw = json.loads(SCHEMA_FILE.read_text())
    raw["entity_labels"]["VEHICLE"] = {"description": "", "attributes": {}}
    config = label_config(parse_schema(raw))
    assert '<Label value="VEHICLE"' in config
    LabelInterface(config).validate()
