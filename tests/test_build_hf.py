"""The generated files: in sync with the Label Studio export, loadable by ``datasets``."""

from __future__ import annotations

import os

import datasets
import pytest

from benchmark.dataset.build import build_outputs, stale_files
from benchmark.paths import ROOT


@pytest.fixture(scope="module")
def outputs():
    return build_outputs()


def test_committed_generated_files_are_fresh(outputs):
    stale = [str(p.relative_to(ROOT)) for p in stale_files(outputs)]
    assert stale == [], f"run `iraq-attacks build`; stale: {stale}"


def test_stale_detection_notices_a_changed_file(outputs, tmp_path):
    copies = {}
    for path, text in outputs.items():
        copy = tmp_path / path.relative_to(ROOT)
        copy.parent.mkdir(parents=True, exist_ok=True)
        copy.write_text(text, encoding="utf-8")
        copies[copy] = text
    assert stale_files(copies) == []
    victim = next(p for p in copies if p.name == "gold.jsonl")
    victim.write_text(copies[victim].replace('"ACTOR"', '"LOCATION"', 1), encoding="utf-8")
    assert stale_files(copies) == [victim]


def test_data_files_carry_the_canary(outputs):
    from benchmark.schema import load_schema

    canary = load_schema().canary
    for path, text in outputs.items():
        if path.suffix == ".jsonl":
            assert all(canary in line for line in text.splitlines()), path
    assert canary in (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def offline(tmp_path_factory):
    old = os.environ.get("HF_HUB_OFFLINE")
    os.environ["HF_HUB_OFFLINE"] = "1"
    yield str(tmp_path_factory.mktemp("hf-cache"))
    if old is None:
        os.environ.pop("HF_HUB_OFFLINE")


def test_ner_config_loads_offline_with_class_label_tags(offline):
    ner = datasets.load_dataset(str(ROOT), "ner", cache_dir=offline)["test"]
    names = ner.features["ner_tags"].feature.names
    assert names[:3] == ["O", "B-ACTOR", "I-ACTOR"] and len(names) == 9
    row = ner[0]
    assert len(row["tokens"]) == len(row["ner_tags"]) == len(row["token_starts"])


def test_documents_is_the_default_config_and_offsets_hold(offline, corpus):
    documents = datasets.load_dataset(str(ROOT), cache_dir=offline)["test"]
    assert documents.num_rows == 5
    for row in documents:
        text = corpus[row["id"]].text
        assert row["text"] == text
        for entity in row["entities"]:
            assert text[entity["start"]:entity["end"]] == entity["text"]


def test_events_config_has_trigger_tags_and_events(offline):
    events = datasets.load_dataset(str(ROOT), "events", cache_dir=offline)["test"]
    assert events.features["trigger_tags"].feature.names == ["O", "B-ATTACK", "I-ATTACK"]
    assert sum(len(row["events"]) for row in events) >= 1


def test_incidents_config_loads_offline_one_row_per_record(offline, tmp_path):
    """Built with a fixture of gold records (the shipped ``annotations/incidents.jsonl`` is built the same way)."""
    from pathlib import Path

    from benchmark.incidents import read_incident_records

    fixture = Path(__file__).parent / "fixtures" / "incidents_gold.jsonl"
    for path, text in build_outputs(incidents=fixture).items():
        copy = tmp_path / path.relative_to(ROOT)
        copy.parent.mkdir(parents=True, exist_ok=True)
        copy.write_text(text, encoding="utf-8")
    assert (tmp_path / "data" / "incidents" / "test.jsonl").is_file()
    incidents = datasets.load_dataset(str(tmp_path), "incidents", cache_dir=offline)["test"]
    records = read_incident_records(fixture)
    assert incidents.num_rows == len(records)
    assert incidents.features["killed"].dtype == "int64"
    assert incidents.features["attackers"].feature.dtype == "string"
    for row, record in zip(incidents, records):
        assert (row["incident"], row["date"], row["place"], tuple(row["attackers"]), row["killed"]) == \
            (record.incident, record.date, record.place, record.attackers, record.killed)
    documents = datasets.load_dataset(str(tmp_path), cache_dir=offline)["test"]
    assert documents.num_rows == 5
