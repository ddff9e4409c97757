"""The leaderboard: submissions checked, scored with the shipped scorer, ranked and written.

The gold is a small hidden gold file built in ``tmp_path`` from exact strings of the
shipped corpus (offsets half-open code points), so the expected scores are worked out
by hand here and do not move when the shipped annotations grow.
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from benchmark.cli import main
from benchmark.formats.conll import to_conll
from benchmark.formats.jsonl import format_jsonl, write_annotations
from benchmark.leaderboard.board import (METADATA_FIELDS, build_leaderboard, format_metadata_table, parse_metadata,
                                         read_gold, validate_metadata)
from benchmark.leaderboard.pages import format_json
from benchmark.model import Annotation, Argument, Entity, Event, to_attributes
from benchmark.paths import ROOT
from benchmark.inputs.validate import validate_annotations

from conftest import find

FIXTURES = Path(__file__).parent / "fixtures" / "leaderboard"
OUTPUTS = ("leaderboard.json", "leaderboard.md", "index.html")
GOOD = ("conll", "empty", "partial", "partial-copy", "perfect")


def _entity(text, needle, label, after=None, **attributes):
    return Entity(find(text, needle, after), label, to_attributes(attributes))


def gold_annotations(corpus) -> list[Annotation]:
    """Three annotated documents and two empty ones; 13 template fillers in all (6 + 3 + 4)."""
    docs = list(corpus.values())
    out = []
    t = docs[0].text
    first = "14 rockets"
    ents = [_entity(t, "14 rockets", "WEAPON", weapon_class="rocket", quantity=14),
            _entity(t, "airbase", "LOCATION", first), _entity(t, "US troops", "ACTOR", first),
            _entity(t, "Erbil", "LOCATION", first),
            _entity(t, "one contractor", "CASUALTY", first, status="killed", count=1, qualifier="exact"),
            _entity(t, "nine others", "CASUALTY", first, status="injured", count=9, qualifier="exact")]
    roles = ("INSTRUMENT", "TARGET", None, "PLACE", "KILLED", "INJURED")
    event = Event("ATTACK", find(t, "fired", first),
                  tuple(Argument(r, e.span) for r, e in zip(roles, ents) if r))
    out.append(Annotation(docs[0].id, tuple(ents), (event,), document=docs[0]))
    t = docs[1].text
    ents = [_entity(t, "107mm rockets", "WEAPON", weapon_class="rocket"), _entity(t, "Erbil airport", "LOCATION")]
    event = Event("ATTACK", find(t, "fired", "107mm"),
                  (Argument("INSTRUMENT", ents[0].span), Argument("PLACE", ents[1].span)))
    out.append(Annotation(docs[1].id, tuple(ents), (event,), document=docs[1]))
    t = docs[2].text
    ents = [_entity(t, "Iran-linked militant factions", "ACTOR"),
            _entity(t, "seven rockets", "WEAPON", weapon_class="rocket", quantity=7),
            _entity(t, "Iraqi airbase", "LOCATION")]
    event = Event("ATTACK", find(t, "fired", "Iran-linked"),
                  tuple(Argument(r, e.span) for r, e in zip(("ATTACKER", "INSTRUMENT", "TARGET"), ents)))
    out.append(Annotation(docs[2].id, tuple(ents), (event,), document=docs[2]))
    out += [Annotation(d.id, document=d) for d in docs[3:]]
    return out


def metadata(name: str, **changes) -> str:
    record = json.loads((FIXTURES / "metadata_valid.json").read_text(encoding="utf-8"))
    record.update(name=name, **changes)
    return json.dumps(record, indent=2)


def submit(root: Path, folder: str, name: str, file_name: str, content: str | bytes) -> Path:
    path = root / folder
    path.mkdir(parents=True)
    (path / "metadata.json").write_text(metadata(name), encoding="utf-8")
    data = content.encode("utf-8") if isinstance(content, str) else content
    (path / file_name).write_bytes(data)
    return path


def make_inputs(base: Path, corpus) -> tuple[Path, Path]:
    """A hidden gold file outside the repository and a folder of submissions.

    Good: perfect (the gold), conll (IOB2 of the gold: entities and triggers), partial
    and partial-copy (the same predictions, a tie), empty (no documents). Bad: malformed
    (bad JSON, unknown label), escape (a symbolic link out of its folder).
    """
    gold = gold_annotations(corpus)
    gold_file = base / "hidden" / "gold.jsonl"
    gold_file.parent.mkdir(parents=True)
    write_annotations(gold_file, gold)
    root = base / "submissions"
    submit(root, "perfect", "Perfect", "predictions.jsonl", format_jsonl(gold, with_document=False))
    submit(root, "conll", "IOB2 tagger", "predictions.conll", to_conll([a.document for a in gold], gold))
    partial = [Annotation(gold[0].doc_id, gold[0].entities, (Event("ATTACK", gold[0].events[0].trigger),))]
    submit(root, "partial", "Partial B", "predictions.jsonl", format_jsonl(partial))
    submit(root, "partial-copy", "Partial A", "predictions.jsonl", format_jsonl(partial))
    submit(root, "empty", "Empty", "predictions.jsonl", "")
    bad_lines = format_jsonl(partial).replace('"WEAPON"', '"GUN"') + '{"id": "002_81d3cff89d8ee832", "entities": [\n'
    submit(root, "malformed", "Malformed", "predictions.jsonl", bad_lines)
    escape = root / "escape"
    escape.mkdir()
    (escape / "metadata.json").write_text(metadata("Escape"), encoding="utf-8")
    (escape / "predictions.jsonl").symlink_to(gold_file)
    return gold_file, root


@pytest.fixture(scope="module")
def inputs(tmp_path_factory, corpus):
    return make_inputs(tmp_path_factory.mktemp("leaderboard"), corpus)


@pytest.fixture(scope="module")
def run(inputs, tmp_path_factory):
    gold_file, root = inputs
    out = tmp_path_factory.mktemp("out")
    code = main(["leaderboard", str(root), "--out", str(out), "--gold", str(gold_file)])
    return code, out, json.loads((out / "leaderboard.json").read_text(encoding="utf-8"))


def test_gold_is_valid_and_hidden(inputs):
    gold_file, _ = inputs
    gold = read_gold(gold_file)
    assert len(gold.annotations) == 5
    assert ROOT not in gold_file.parents


def test_writes_all_three_outputs_and_exits_zero(run):
    code, out, _ = run
    assert code == 0
    for name in OUTPUTS:
        assert (out / name).stat().st_size > 0


def test_cli_output_lines(inputs, tmp_path, capsys):
    gold_file, root = inputs
    assert main(["leaderboard", str(root), "--out", str(tmp_path), "--gold", str(gold_file)]) == 0
    captured = capsys.readouterr()
    assert captured.out.splitlines() == [*(f"wrote {tmp_path / name}" for name in OUTPUTS),
                                         "ranked 5 submissions, skipped 2"]
    err = captured.err.splitlines()
    assert "skipped escape: escape/predictions.jsonl: is a symbolic link; a submission must hold only regular " \
           "files and folders" in err
    assert any(line.startswith("skipped malformed: malformed/predictions.jsonl:") for line in err)


def test_strict_exits_non_zero_when_skipped(inputs, tmp_path):
    gold_file, root = inputs
    assert main(["leaderboard", str(root), "--out", str(tmp_path), "--gold", str(gold_file), "--strict"]) == 1
    assert (tmp_path / "leaderboard.json").is_file()


def test_strict_exits_zero_when_nothing_skipped(corpus, tmp_path):
    gold = gold_annotations(corpus)
    gold_file = tmp_path / "gold.jsonl"
    write_annotations(gold_file, gold)
    submit(tmp_path / "subs", "perfect", "Perfect", "predictions.jsonl", format_jsonl(gold, with_document=False))
    assert main(["leaderboard", str(tmp_path / "subs"), "--out", str(tmp_path / "out"), "--gold", str(gold_file),
                 "--strict"]) == 0


def test_bad_submissions_listed_with_reasons(run):
    _, out, board = run
    skipped = {item["folder"]: item["reasons"] for item in board["skipped"]}
    assert sorted(skipped) == ["escape", "malformed"]
    assert skipped["escape"] == ["escape/predictions.jsonl: is a symbolic link; a submission must hold only "
                                 "regular files and folders"]
    malformed = skipped["malformed"]
    assert any("item entity" in r and "unknown label 'GUN'" in r for r in malformed), malformed
    assert any(r.startswith("malformed/predictions.jsonl:2: ") and "malformed JSON" in r for r in malformed), malformed
    markdown = (out / "leaderboard.md").read_text(encoding="utf-8")
    html = (out / "index.html").read_text(encoding="utf-8")
    for folder in ("escape", "malformed"):
        assert f"- `{folder}`:" in markdown
        assert f'data-folder="{folder}"' in html
    assert "is a symbolic link" in markdown and "is a symbolic link" in html


def test_scores_come_from_the_shipped_scorer(run, inputs):
    from benchmark.scoring.evaluate import evaluate_files, evaluate_incident_files

    _, _, board = run
    gold_file, root = inputs
    by_folder = {e["folder"]: e for e in board["entries"]}
    for folder, file_name in (("perfect", "predictions.jsonl"), ("conll", "predictions.conll")):
        scores, gold, pred = evaluate_files(root / folder / file_name, gold_file)
        incidents = evaluate_incident_files(gold, pred, gold_file)  # incident keys
        for key, result in by_folder[folder]["scores"].items():
            total = incidents[key] if key in incidents else scores[key].total
            assert (result["tp"], result["predicted"], result["gold"]) == (total.tp, total.predicted, total.gold)
            assert result["f1"] == pytest.approx(total.f1, abs=1e-11)


def test_hand_checked_event_template(run):
    _, _, board = run
    template = {e["folder"]: e["scores"]["event.template"] for e in board["entries"]}
    # 13 gold fillers; the CoNLL file carries the 3 triggers; partial only the first.
    assert (template["perfect"]["tp"], template["perfect"]["predicted"], template["perfect"]["gold"]) == (13, 13, 13)
    assert (template["conll"]["tp"], template["conll"]["predicted"]) == (3, 3)
    assert template["conll"]["f1"] == pytest.approx(2 * 1 * (3 / 13) / (1 + 3 / 13))
    assert template["partial"]["f1"] == pytest.approx(2 / 14)
    assert template["empty"]["f1"] == 0


def test_ranking_and_ties(run):
    _, out, board = run
    ranked = [(e["rank"], e["tied"], e["name"]) for e in board["entries"]]
    assert ranked == [(1, False, "Perfect"), (2, False, "IOB2 tagger"), (3, True, "Partial A"),
                      (3, True, "Partial B"), (5, False, "Empty")]
    markdown = (out / "leaderboard.md").read_text(encoding="utf-8")
    rows = [line for line in markdown.splitlines() if line.startswith("| ") and "Partial" in line]
    assert [row.split(" | ")[0] for row in rows] == ["| =3", "| =3"]
    empty = board["entries"][-1]
    assert len(empty["missing_documents"]) == 5 and empty["better_than_next"] is None


def test_significance_against_next(run):
    _, _, board = run
    entries = board["entries"]
    for upper, lower in zip(entries, entries[1:]):
        versus = upper["better_than_next"]
        assert versus["name"] == lower["name"]
        assert 0 <= versus["p_value"] <= 1
        assert versus["significant"] == (versus["p_value"] < 0.05)
    tie = entries[2]["better_than_next"]
    assert tie["p_value"] == 1.0 and tie["significant"] is False  # identical predictions never beat each other


def test_shown_keys_have_intervals(run):
    _, _, board = run
    manifest = board["manifest"]
    assert manifest["shown_keys"] == ["entity.strict", "casualty", "trigger.classification",
                                      "argument.classification", "event.template"]
    for entry in board["entries"]:
        assert set(entry["scores"]) == set(manifest["keys"])
        for key in manifest["shown_keys"]:
            interval = entry["scores"][key]["interval"]["f1"]
            assert 0 <= interval["low"] <= interval["high"] <= 1


def test_manifest(run, inputs):
    import hashlib

    from benchmark.scoring.bootstrap import RESAMPLES, SEED
    from benchmark.schema import load_schema

    _, _, board = run
    manifest = board["manifest"]
    assert manifest["gold"] == {"sha256": hashlib.sha256(inputs[0].read_bytes()).hexdigest(), "documents": 5}
    assert manifest["bootstrap"]["seed"] == SEED and manifest["bootstrap"]["resamples"] == RESAMPLES
    assert manifest["benchmark"]["schema_version"] == load_schema().version
    assert manifest["rank_by"] == "event.template"
    assert len(manifest["scorer"]["sha256"]) == 64
    assert manifest["date"].endswith("Z")


def test_json_is_byte_identical_apart_from_the_date(inputs, tmp_path, run):
    gold_file, root = inputs
    assert main(["leaderboard", str(root), "--out", str(tmp_path), "--gold", str(gold_file)]) == 0
    first = (run[1] / "leaderboard.json").read_text(encoding="utf-8")
    second = (tmp_path / "leaderboard.json").read_text(encoding="utf-8")

    board_a, board_b = json.loads(first), json.loads(second)
    board_a["manifest"].pop("date"), board_b["manifest"].pop("date")
    assert format_json(board_a) == format_json(board_b)
    lines_a = [line for line in first.splitlines() if not line.startswith('    "date": ')]
    lines_b = [line for line in second.splitlines() if not line.startswith('    "date": ')]
    assert lines_a == lines_b
    assert json.loads(first) == json.loads(format_json(json.loads(first)))  # sorted keys, stable floats


def test_source_date_epoch_makes_every_byte_identical(inputs, tmp_path, monkeypatch):
    gold_file, root = inputs
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    texts = []
    for out in (tmp_path / "a", tmp_path / "b"):
        assert main(["leaderboard", str(root), "--out", str(out), "--gold", str(gold_file)]) == 0
        texts.append([(out / name).read_bytes() for name in OUTPUTS])
    assert texts[0] == texts[1]
    assert json.loads(texts[0][0])["manifest"]["date"] == "2023-11-14T22:13:20Z"


def test_rank_by_other_key(inputs):
    gold_file, root = inputs
    board = build_leaderboard(root, gold_file, rank_by="entity.strict")
    ranked = [(e["rank"], e["name"]) for e in board["entries"]]
    # IOB2 and Perfect have every entity; the partial pair has document 000's six of eleven.
    assert ranked == [(1, "IOB2 tagger"), (1, "Perfect"), (3, "Partial A"), (3, "Partial B"), (5, "Empty")]
    assert board["manifest"]["shown_keys"][-1] == "event.template"


def test_unknown_rank_key_is_an_input_error(inputs, tmp_path, capsys):
    gold_file, root = inputs
    assert main(["leaderboard", str(root), "--out", str(tmp_path), "--gold", str(gold_file),
                 "--rank-by", "event.f1"]) == 2
    assert "unknown score key 'event.f1'" in capsys.readouterr().err
    assert not (tmp_path / "leaderboard.json").exists()


def test_missing_submissions_folder_is_an_input_error(inputs, tmp_path, capsys):
    assert main(["leaderboard", str(tmp_path / "nowhere"), "--out", str(tmp_path / "out"),
                 "--gold", str(inputs[0])]) == 2
    assert "is not a folder of submissions" in capsys.readouterr().err


# ---------------------------------------------------------------------------------------
# Safety: nothing followed, nothing odd read, nothing too big read.

def _single(base: Path, gold_file: Path, **kwargs) -> dict:
    return build_leaderboard(base, gold_file, **kwargs)


@pytest.fixture()
def gold_file(corpus, tmp_path):
    path = tmp_path / "gold.jsonl"
    write_annotations(path, gold_annotations(corpus))
    return path


def _reasons(board, folder):
    return next(item["reasons"] for item in board["skipped"] if item["folder"] == folder)


def test_path_traversal_folder_name(gold_file, tmp_path):
    root = tmp_path / "subs"
    submit(root, "..\\..\\evil", "Evil", "predictions.jsonl", "")
    submit(root, "ok", "Ok", "predictions.jsonl", "")
    board = _single(root, gold_file)
    assert [e["folder"] for e in board["entries"]] == ["ok"]
    [item] = board["skipped"]
    assert item["folder"] == "'..\\\\..\\\\evil'"
    assert item["reasons"] == ["'..\\\\..\\\\evil': name '..\\\\..\\\\evil' is not allowed: use only letters, "
                               "digits, '.', '_' and '-' (at most 128, no '..')"]


def test_path_traversal_file_name_inside(gold_file, tmp_path):
    root = tmp_path / "subs"
    folder = submit(root, "sneaky", "Sneaky", "predictions.jsonl", "")
    (folder / "..%2f..%2fgold.jsonl").write_text("x", encoding="utf-8")
    board = _single(root, gold_file)
    assert board["entries"] == []
    assert "is not allowed" in _reasons(board, "sneaky")[0]


def test_symlinked_folder_and_nested_symlink(gold_file, tmp_path):
    root = tmp_path / "subs"
    real = submit(tmp_path / "elsewhere", "real", "Real", "predictions.jsonl", "")
    root.mkdir()
    (root / "linked").symlink_to(real, target_is_directory=True)
    nested = submit(root, "nested", "Nested", "predictions.jsonl", "")
    (nested / "extra").mkdir()
    (nested / "extra" / "notes.txt").symlink_to("/etc/hostname")
    board = _single(root, gold_file)
    assert board["entries"] == []
    assert _reasons(board, "linked") == ["linked: is a symbolic link; a submission must be a real folder"]
    assert _reasons(board, "nested") == ["nested/extra/notes.txt: is a symbolic link; a submission must hold only "
                                         "regular files and folders"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes on this platform")
def test_non_regular_file(gold_file, tmp_path):
    root = tmp_path / "subs"
    folder = root / "piped"
    folder.mkdir(parents=True)
    (folder / "metadata.json").write_text(metadata("Piped"), encoding="utf-8")
    os.mkfifo(folder / "predictions.jsonl")
    assert stat.S_ISFIFO(os.lstat(folder / "predictions.jsonl").st_mode)
    board = _single(root, gold_file)
    assert _reasons(board, "piped")[0] == ("piped/predictions.jsonl: is not a regular file (a device, pipe or "
                                           "socket); remove it")


def test_size_limit(gold_file, tmp_path, corpus):
    root = tmp_path / "subs"
    text = format_jsonl(gold_annotations(corpus), with_document=False)
    submit(root, "big", "Big", "predictions.jsonl", text)
    size = len(text.encode("utf-8"))
    board = _single(root, gold_file, max_bytes=size - 1)
    assert _reasons(board, "big") == [f"big/predictions.jsonl: is {size} bytes; the limit is {size - 1} bytes"]
    assert [e["name"] for e in _single(root, gold_file, max_bytes=size)["entries"]] == ["Big"]


def test_default_size_limit_refuses_a_huge_file_unread(gold_file, tmp_path, monkeypatch):
    import benchmark.leaderboard.board as leaderboard

    root = tmp_path / "subs"
    folder = submit(root, "huge", "Huge", "predictions.jsonl", "")
    with open(folder / "predictions.jsonl", "wb") as handle:
        handle.truncate(21 * 1024 * 1024)  # sparse: no disk used
    monkeypatch.setattr(leaderboard, "_read_file", lambda *a: pytest.fail("an oversized file was opened"))
    board = _single(root, gold_file)
    assert _reasons(board, "huge") == [f"huge/predictions.jsonl: is {21 * 1024 * 1024} bytes; the limit is "
                                       f"{20 * 1024 * 1024} bytes"]


def test_folder_problems(gold_file, tmp_path):
    root = tmp_path / "subs"
    root.mkdir()
    (root / "stray.jsonl").write_text("", encoding="utf-8")
    (root / ".hidden").mkdir()
    (root / "nothing").mkdir()
    both = submit(root, "both", "Both", "predictions.jsonl", "")
    (both / "predictions.conll").write_text("", encoding="utf-8")
    board = _single(root, gold_file)
    skipped = {item["folder"]: item["reasons"] for item in board["skipped"]}
    assert skipped == {
        "both": ["both: holds both predictions.jsonl and predictions.conll; give exactly one prediction file"],
        "nothing": ["nothing: metadata.json is missing",
                    "nothing: no prediction file: add predictions.jsonl or predictions.conll"],
        "stray.jsonl": ["stray.jsonl: is not a folder; each submission is a folder holding metadata.json and one "
                        "of predictions.jsonl or predictions.conll"],
    }


def test_deeply_nested_json_is_a_reason_not_a_crash(gold_file, tmp_path):
    root = tmp_path / "subs"
    submit(root, "deep", "Deep", "predictions.jsonl", "[" * 100_000 + "\n")
    board = _single(root, gold_file)
    assert _reasons(board, "deep") == ["deep/predictions.jsonl: JSON nested too deeply"]


def test_duplicate_names_are_skipped(gold_file, tmp_path):
    root = tmp_path / "subs"
    submit(root, "one", "Same", "predictions.jsonl", "")
    submit(root, "two", "Same", "predictions.jsonl", "")
    board = _single(root, gold_file)
    assert board["entries"] == []
    assert _reasons(board, "one") == ["one/metadata.json: field name: name 'Same' is also used by two; names must "
                                      "be unique"]


def test_markup_in_metadata_is_escaped(gold_file, tmp_path):
    from benchmark.leaderboard.pages import format_markdown
    from benchmark.leaderboard.html import format_html

    root = tmp_path / "subs"
    folder = submit(root, "xss", "x", "predictions.jsonl", "")
    (folder / "metadata.json").write_text(metadata("<script>alert(1)</script> | [a](b)",
                                                   description="<img src=x onerror=alert(1)>"), encoding="utf-8")
    board = _single(root, gold_file)
    html = format_html(board)
    assert "<script>alert(1)" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "\\<script\\>alert\\(1\\)\\</script\\> \\| \\[a\\]\\(b\\)" in format_markdown(board)


# ---------------------------------------------------------------------------------------
# Metadata schema.

def test_valid_metadata_fixture():
    data = (FIXTURES / "metadata_valid.json").read_bytes()
    record, problems = parse_metadata(data, "ok/metadata.json")
    assert problems == [] and record["name"] == "Fixture system"


def test_invalid_metadata_messages_name_file_and_field():
    data = (FIXTURES / "metadata_invalid.json").read_bytes()
    record, problems = parse_metadata(data, "bad/metadata.json")
    expected = (FIXTURES / "metadata_invalid.expected").read_text(encoding="utf-8").splitlines()
    assert record is None
    assert [str(p) for p in problems] == expected


@pytest.mark.parametrize(("field", "value", "message"), [
    ("date", "2026-02-30", 'is not a real calendar date: "2026-02-30"'),
    ("date", "20260101", 'must be an ISO date YYYY-MM-DD, got "20260101"'),
    ("url", "ftp://example.org/x", 'must be an http:// or https:// address, got "ftp://example.org/x"'),
    ("url", None, None),
    ("name", None, "must not be null"),
    ("name", " padded", "must not start or end with white space"),
    ("name", "x" * 81, "is 81 characters long; at most 80 are allowed"),
    ("used_test_documents", 0, "must be true or false, got 0"),
    ("team", ["a"], 'must be a string, got ["a"]'),
    ("description", "two\nparagraphs", None),
])
def test_metadata_field_checks(field, value, message):
    record = json.loads(metadata("System"))
    record[field] = value
    problems = validate_metadata(record, "s/metadata.json")
    assert [str(p) for p in problems] == ([f"s/metadata.json: field {field}: {message}"] if message else [])


def test_metadata_not_an_object_or_not_json():
    assert [str(p) for p in validate_metadata([], "s/metadata.json")] == [
        "s/metadata.json: must be a JSON object with the fields " + ", ".join(f.name for f in METADATA_FIELDS)]
    _, problems = parse_metadata(b'{"name": ', "s/metadata.json")
    assert [str(p) for p in problems] == ["s/metadata.json: malformed JSON: Expecting value at line 1 column 10"]
    _, problems = parse_metadata(b'{"name": "a", "name": "b"}', "s/metadata.json")
    assert str(problems[0]) == "s/metadata.json: field name: field given more than once"
    _, problems = parse_metadata(b'\xff{}', "s/metadata.json")
    assert str(problems[0]).startswith("s/metadata.json: the file is not UTF-8")


def test_docs_show_the_metadata_schema_and_a_valid_example(corpus):
    text = (ROOT / "docs" / "leaderboard.md").read_text(encoding="utf-8")
    assert format_metadata_table() in text
    blocks = [block.split("```", 1)[0] for block in text.split("```json\n")[1:]]
    record, problems = parse_metadata(blocks[0].encode("utf-8"), "docs example")
    assert problems == []
    from benchmark.formats.jsonl import parse_record, _Located

    line_problems = []
    annotation = parse_record(json.loads(blocks[1]), _Located("docs", 1, line_problems))
    assert line_problems == []
    assert validate_annotations([(1, annotation)], corpus, gold=False) == []


def test_baseline_entries_metadata():
    folders = sorted((ROOT / "leaderboard" / "submissions").iterdir())
    assert [f.name for f in folders] == ["crf", "gazetteer", "rules"]
    for folder in folders:
        record, problems = parse_metadata((folder / "metadata.json").read_bytes(), str(folder))
        assert problems == [], problems
        assert record["team"] == "iraq-attacks maintainers"
        assert record["used_test_documents"] is (folder.name == "rules")
    for name in ("crf", "gazetteer"):
        description = json.loads((ROOT / "leaderboard" / "submissions" / name / "metadata.json").read_text())[
            "description"]
        assert "leave-one-document-out" in description
