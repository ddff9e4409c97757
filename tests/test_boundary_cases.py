"""Edge cases of the contract found by an independent red-team pass, each worked by hand.

Offsets are half-open code-point offsets ``[start, end)`` into small texts written here.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmark.paths import ROOT
from conftest import cli, write_lines

TEXT = "Militants fired 14 rockets at the airbase near Balad."


def gold_line(key: str | None = "2021-03-15-balad", text: str = TEXT) -> dict:
    """One gold document: ACTOR Militants [0, 9), the ATTACK 'fired' [10, 15) with it as ATTACKER."""
    return {"id": "docB", "text": text,
            "entities": [{"id": "T1", "start": 0, "end": 9, "label": "ACTOR", "attributes": {}}],
            "events": [{"id": "E1", "type": "ATTACK", "trigger": {"start": 10, "end": 15},
                        "arguments": [{"role": "ATTACKER", "start": 0, "end": 9}],
                        "attributes": {"incident": key} if key else {}}]}


def evaluate_json(*args: str) -> dict:
    done = cli("evaluate", *args, "--format", "json", "--resamples", "0")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_predicted_incident_keys_are_the_systems_own_names(tmp_path):
    # SPEC 2: "predicted keys are names of the system's own choosing"; the gold key pattern binds gold only.
    gold = write_lines(tmp_path / "gold.jsonl", [gold_line()])
    pred = write_lines(tmp_path / "pred.jsonl", [{k: v for k, v in gold_line("My Key!").items() if k != "text"}])
    scores = evaluate_json("--gold", str(gold), "--pred", str(pred))
    assert scores["incident.b3"]["f1"] == 1.0  # one mention, one cluster on each side
    bad_gold = write_lines(tmp_path / "bad_gold.jsonl", [gold_line("My Key!")])
    done = cli("evaluate", "--gold", str(bad_gold), "--pred", str(pred))
    assert done.returncode == 2 and "does not match the pattern" in done.stderr


def test_every_gold_key_needs_a_record(tmp_path):
    # SPEC 1.3: "every key used in the gold has exactly one record".
    gold = write_lines(tmp_path / "gold.jsonl", [gold_line()])
    records = write_lines(tmp_path / "records.jsonl", [])
    done = cli("evaluate", "--gold", str(gold), "--gold-incidents", str(records), "--pred", str(gold))
    assert done.returncode == 2
    assert "'2021-03-15-balad' but no record gives it" in done.stderr
    assert done.stderr.strip().endswith(f"1 problem found in {records}")  # the file the problem is in


def test_breakdowns_list_every_schema_label_and_role(tmp_path):
    # CONTRACT: a label absent from both gold and predictions also shows 0.
    gold = write_lines(tmp_path / "gold.jsonl", [gold_line()])
    scores = evaluate_json("--gold", str(gold), "--pred", str(gold))
    assert list(scores["entity.strict"]["groups"]) == ["ACTOR", "LOCATION", "WEAPON", "CASUALTY"]
    weapon = scores["entity.strict"]["groups"]["WEAPON"]
    assert [weapon[k] for k in ("tp", "predicted", "gold", "precision", "recall", "f1")] == [0, 0, 0, 0, 0, 0]
    assert "INJURED" in scores["argument.classification"]["groups"]


def test_an_output_folder_that_is_a_file_is_refused_and_kept(tmp_path):
    victim = tmp_path / "notes.txt"
    victim.write_text("keep me\n")
    for args in (("leaderboard", str(Path(__file__).parents[1] / "leaderboard" / "submissions"), "--out", str(victim)),
                 ("export", "--format", "brat", "--out", str(victim))):
        done = cli(*args)
        assert done.returncode == 2 and "exists and is not a folder" in done.stderr
        assert victim.read_text() == "keep me\n"


def test_a_hash_token_survives_the_iob2_round_trip(tmp_path):
    # '#' is a token; a row '#\tO' is not a comment line.
    text = "Users posted # after a rocket hit Erbil."
    gold = write_lines(tmp_path / "gold.jsonl", [{"id": "docH", "text": text, "events": [],
                                                 "entities": [{"id": "T1", "start": 34, "end": 39,
                                                               "label": "LOCATION", "attributes": {}}]}])
    conll = tmp_path / "gold.conll"
    assert cli("export", "--format", "conll", "--gold", str(gold), "--out", str(conll)).returncode == 0
    assert "#\tO" in conll.read_text()
    assert evaluate_json("--gold", str(gold), "--pred", str(conll))["entity.strict"]["f1"] == 1.0


def test_titles_and_company_abbreviations_keep_their_period(tmp_path):
    # SPEC 1: the period ending an abbreviation is part of its word ("Gen.", "Lt." keep theirs);
    # "Lt." must not end a sentence, or an argument after it leaves its trigger's sentence.
    text = "Lt. Gen. Smith was killed in a strike on Halliburton Co. staff."
    line = {"id": "docL", "text": text,
            "entities": [{"id": "T1", "start": 0, "end": 14, "label": "ACTOR", "attributes": {}},
                         {"id": "T2", "start": 41, "end": 56, "label": "ACTOR", "attributes": {}}],
            "events": [{"id": "E1", "type": "ATTACK", "trigger": {"start": 31, "end": 37},
                        "arguments": [{"role": "KILLED", "start": 0, "end": 14},
                                      {"role": "TARGET", "start": 41, "end": 56}], "attributes": {}}]}
    assert text[0:14] == "Lt. Gen. Smith" and text[31:37] == "strike" and text[41:56] == "Halliburton Co."
    gold = write_lines(tmp_path / "gold.jsonl", [line])
    assert evaluate_json("--gold", str(gold), "--pred", str(gold))["event.exact"]["f1"] == 1.0
    conll = tmp_path / "gold.conll"
    assert cli("export", "--format", "conll", "--gold", str(gold), "--out", str(conll)).returncode == 0


def test_a_folder_without_ann_files_is_not_an_empty_prediction(tmp_path):
    done = cli("evaluate", "--pred", str(tmp_path))
    assert done.returncode == 2 and "holds no .ann file" in done.stderr


def test_a_stream_that_is_not_an_array_is_refused_within_the_limit():
    import itertools

    import pytest

    from benchmark.errors import SubmissionError
    from benchmark.formats.jsonl import iter_json_array

    endless_object = itertools.chain([b'{"a": ['], itertools.repeat(b'{"b": 1}, ' * 100))
    with pytest.raises(SubmissionError, match="does not begin with"):
        list(iter_json_array(endless_object, "export.json", max_bytes=10_000))
    # a syntax error is reported although the pipe never ends
    endless_after_error = itertools.chain([b"[1 2 "], itertools.repeat(b"3, " * 100))
    with pytest.raises(SubmissionError, match="expected ',' or ']'"):
        list(iter_json_array(endless_after_error, "export.json", max_bytes=10_000))


def test_a_terminated_import_leaves_nothing_behind(tmp_path):
    import signal
    import subprocess
    import sys
    import time

    out = tmp_path / "out"
    out.mkdir()
    task = json.dumps({"id": 1, "data": {"text": "x", "doc_id": "d"}, "annotations": []})
    process = subprocess.Popen([sys.executable, "-m", "benchmark", "labelstudio", "import", "-", "--out",
                                str(out / "import.jsonl")], cwd=Path(__file__).parents[1],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    process.stdin.write(("[" + ", ".join([task] * 50) + ", ").encode())
    process.stdin.flush()
    time.sleep(3)  # it has read what there is and waits for more
    process.send_signal(signal.SIGTERM)
    _, err = process.communicate(timeout=60)
    assert process.returncode != 0 and b"Traceback" not in err
    assert list(out.iterdir()) == []


def test_a_syntax_error_column_counts_characters_not_bytes(tmp_path):
    from benchmark.inputs.read import iter_labelstudio_export

    export = tmp_path / "export.json"
    export.write_text('[{"id": 1, "data": {"text": "aé", x}}]', encoding="utf-8")  # x is character 35, byte 36
    problems = []
    list(iter_labelstudio_export(export, problems))
    assert [p.line for p in problems] == [1] and "(column 35)" in problems[0].message


@pytest.mark.parametrize("junk, message", [("[" * 100 + "]" * 100, "JSON nested more than 64 deep"),
                                            ("1" * 30, "integer outside the signed 64-bit range")])
def test_a_limit_broken_in_an_export_names_the_task_s_line_and_place(tmp_path, junk, message):
    from benchmark.inputs.read import iter_labelstudio_export

    tasks = [{"id": n, "data": {"text": "x"}, "annotations": []} for n in (1, 2, 3)]
    text = json.dumps(tasks, indent=1).replace('"id": 2,', f'"id": 2, "junk": {junk},')
    export = tmp_path / "export.json"
    export.write_text(text, encoding="utf-8")
    problems = []
    assert [t["id"] for t in iter_labelstudio_export(export, problems)] == [1]
    second_task_line = text.splitlines().index(" {", 2) + 1
    assert [(p.line, p.item) for p in problems] == [(second_task_line, "element 2 of the array")]
    assert problems[0].message.startswith(message)


@pytest.mark.parametrize("change, field", [
    (lambda task: task.update(id=True), "id"),
    (lambda task: task.update(id=[1]), "id"),
    (lambda task: task["annotations"][0].update(completed_by=[1]), "annotations[0].completed_by"),
    (lambda task: task["annotations"][0].update(completed_by=True), "annotations[0].completed_by"),
    (lambda task: task["annotations"][0].update(completed_by={"id": 1.5}), "annotations[0].completed_by"),
])
def test_ids_and_annotators_of_the_wrong_type_are_located(tmp_path, change, field):
    from benchmark.inputs.read import iter_labelstudio_export

    tasks = json.loads((ROOT / "tests" / "fixtures" / "labelstudio_export_rich.json").read_text(encoding="utf-8"))
    change(tasks[0])
    export = tmp_path / "export.json"
    export.write_text(json.dumps(tasks), encoding="utf-8")
    problems = []
    list(iter_labelstudio_export(export, problems))
    assert [p.field for p in problems] == [field], problems


@pytest.mark.parametrize("command", [["labelstudio", "tasks", "--gold", "--out"],
                                     ["export", "--format", "conll", "--out"]])
def test_an_output_that_is_a_pipe_is_refused_and_left_as_it_is(tmp_path, command):
    import os
    import stat

    fifo = tmp_path / "out"
    os.mkfifo(fifo)
    result = cli(*command, str(fifo))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert f"{fifo}: is a device, pipe or socket, not a file" in result.stderr
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)  # a rename would have put a regular file in its place


@pytest.mark.parametrize("command", [["labelstudio", "tasks", "--gold", "--out"],
                                     ["export", "--format", "conll", "--out"]])
def test_an_output_through_a_symbolic_link_writes_the_file_it_points_to(tmp_path, command):
    target, link = tmp_path / "real.out", tmp_path / "link.out"
    target.write_text("old", encoding="utf-8")
    link.symlink_to(target.name)
    result = cli(*command, str(link))
    assert result.returncode == 0, result.stderr
    assert link.is_symlink() and target.read_text(encoding="utf-8") != "old"
