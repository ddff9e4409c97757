"""The Hugging Face card (README): sizes as ``datasets`` computes them, licence link, data
fields, BibTeX, the ``ner`` scoring snippet, and the shipped cross-validation folds."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest
import yaml

from benchmark.dataset.build import CARD, FOLDS_FILE
from benchmark.dataset.hf import CONFIGS, SPLIT, features
from benchmark.inputs.read import read_gold
from benchmark.paths import DATA_DIR, ROOT
from benchmark.schema import load_schema

README = ROOT / "README.md"


def card() -> tuple[dict, str]:
    text = README.read_text(encoding="utf-8")
    _, matter, body = text.split("---\n", 2)
    return yaml.safe_load(matter), body


def section(body: str, heading: str) -> str:
    start = body.index(heading + "\n")
    level = heading.split(" ")[0]
    following = re.search(rf"^#{{1,{len(level)}}} ", body[start + len(heading):], re.M)
    return body[start:start + len(heading) + following.start()] if following else body[start:]


def test_num_bytes_are_what_datasets_computes(tmp_path, monkeypatch):
    datasets = pytest.importorskip("datasets")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    matter, _ = card()
    infos = {info["config_name"]: info for info in matter["dataset_info"]}
    feats = features(load_schema())
    for name in CONFIGS:
        path = DATA_DIR / name / f"{SPLIT}.jsonl"
        builder = datasets.load_dataset_builder("json", data_files={SPLIT: str(path)}, features=feats[name],
                                                cache_dir=str(tmp_path / name))
        builder.download_and_prepare()
        computed = builder.info.splits[SPLIT]
        split = infos[name]["splits"][0]
        assert (split["num_bytes"], split["num_examples"]) == (computed.num_bytes, computed.num_examples), name
        assert infos[name]["dataset_size"] == computed.num_bytes
        assert infos[name]["download_size"] == path.stat().st_size


def test_licence_link_and_card_body_opening():
    matter, body = card()
    assert matter["license"] == "other" and (ROOT / matter["license_link"]).is_file()
    # The body must open with the two fresh-machine commands (tests/test_docs.py); the title
    # and the one-paragraph description come right after them, before anything else.
    after_commands = body.split("\n```\n", 1)[1].lstrip("\n")
    title, paragraph = after_commands.split("\n\n")[:2]
    assert title == f"# {CARD['pretty_name']}"
    assert paragraph.startswith("Five real news articles") and "```" not in paragraph


def test_data_fields_section_names_every_field():
    _, body = card()
    fields = section(body, "### Data fields")
    feats = features(load_schema())

    def names(feature, prefix=()):
        inner = getattr(feature, "feature", feature)  # List(...) holds its element
        if isinstance(inner, dict):
            for key, value in inner.items():
                yield key
                yield from names(value)

    for name in CONFIGS:
        assert f"`{name}`" in fields
        missing = sorted({n for n in names(feats[name]) if f"`{n}`" not in fields})
        assert missing == [], f"{name}: {missing}"


def test_bibtex_block_agrees_with_citation_cff():
    _, body = card()
    bibtex = re.findall(r"```bibtex\n(.*?)```", body, re.S)
    assert len(bibtex) == 1
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    entry = dict(re.findall(r"^\s+(\w+)\s*=\s*\{(.*)\},?$", bibtex[0], re.M))
    assert entry["title"] == cff["title"]
    assert entry["author"] == "{" + cff["authors"][0]["name"] + "}"
    assert entry["year"] == str(cff["date-released"])[:4]
    assert f"Version {cff['version']}." in entry["note"]


def test_ner_scoring_snippet_runs_and_writes_null_attributes(tmp_path):
    _, body = card()
    snippet = next(code for code in re.findall(r"```python\n(.*?)```", body, re.S) if "predictions.to_json" in code)
    assert body.index("### Scoring a model trained on the `ner` config") < body.index(snippet)
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "HF_DATASETS_CACHE": str(tmp_path / "hf"), "TMPDIR": str(tmp_path)}
    result = subprocess.run([sys.executable, "-c", snippet], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.splitlines()[-1] == "entity.strict F1: 1.0"
    written = next(tmp_path.glob("*/predictions.jsonl"))
    first = json.loads(written.read_text(encoding="utf-8").splitlines()[0])
    assert first["entities"][0]["attributes"]["count"] is None  # null attributes, read as absent


def test_folds_file_holds_the_baselines_folds():
    from baselines.common import crossval
    gold = read_gold()
    shipped = json.loads(FOLDS_FILE.read_text(encoding="utf-8"))
    assert shipped["documents"] == [a.doc_id for a in gold]
    expected = [([a.doc_id for a in train], [held_out.doc_id]) for train, held_out in crossval.folds(gold)]
    assert [(f["train"], f["test"]) for f in shipped["folds"]] == expected
    assert [f["fold"] for f in shipped["folds"]] == list(range(len(gold)))
