"""The one input boundary (issue 11): every hostile input class ends in a located error
and exit 2, never a traceback; stdin works; evaluate and leaderboard agree; writes are
atomic with the umask's permissions."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from benchmark.cli import main
from benchmark.errors import BenchmarkError
from benchmark.formats.jsonl import write_annotations
from benchmark.paths import GOLD_FILE, LABELSTUDIO_EXPORT_FILE, ROOT
from conftest import DOC_ID, find, write_lines

HUGE = "9" * 5000
NESTED = "[" * 100_000 + "]" * 100_000


@pytest.fixture(scope="module")
def gold():
    from benchmark.inputs.read import read_gold

    return read_gold()


@pytest.fixture(scope="module")
def conll_text(gold):
    from benchmark.formats.conll import to_conll

    return to_conll([a.document for a in gold], gold)


def pred_line(doc, **entity_fields) -> dict:
    span = find(doc.text, "14 rockets")
    entity = {"start": span.start, "end": span.end, "label": "WEAPON", **entity_fields}
    return {"id": DOC_ID, "entities": [entity], "events": []}


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def assert_located(code: int, err: str, file: Path | str, line: int | None = None) -> None:
    assert code == 2, err
    assert "Traceback" not in err
    prefix = f"{file}:{line}:" if line is not None else f"{file}"
    assert any(l.startswith(prefix) for l in err.splitlines()), err


# ---------------------------------------------------------------- hostile prediction files

def _conll_with(conll_text: str, old: str, new: str, column: int = 1) -> str:
    lines = conll_text.split("\n")
    for n, line in enumerate(lines):
        fields = line.split("\t")
        if len(fields) == 3 and fields[column] == old:
            fields[column] = new
            lines[n] = "\t".join(fields)
            return "\n".join(lines)
    raise AssertionError(f"no {old} in column {column}")


HOSTILE = {
    # name: (file name, content builder(doc, conll_text) -> bytes, line named)
    "json array": ("p.jsonl", lambda d, c: json.dumps([pred_line(d)]).encode(), 1),
    "line starting with [": ("p.jsonl", lambda d, c: b"[1, 2]\n", 1),
    "5000-digit integer": ("p.jsonl", lambda d, c: json.dumps(pred_line(d)).replace('"end": ', f'"end": {HUGE}, "x": ')
                           .encode(), 1),
    "5000-digit attribute": ("p.jsonl", lambda d, c: json.dumps(pred_line(d, attributes={"quantity": 1}))
                             .replace('"quantity": 1', f'"quantity": {HUGE}').encode(), 1),
    "integer past 64 bits": ("p.jsonl", lambda d, c: json.dumps(pred_line(d)).replace('"end": ', '"end": 9223372036854775808, "y": ')
                             .encode(), 1),
    "100,000 nested lists": ("p.jsonl", lambda d, c: (NESTED + "\n").encode(), 1),
    "nested in an entity": ("p.jsonl", lambda d, c: ('{"id": "%s", "entities": %s}\n' % (DOC_ID, NESTED)).encode(), 1),
    "nested in an unknown key": ("p.jsonl", lambda d, c: ('{"id": "%s", "x": %s}\n' % (DOC_ID, NESTED)).encode(), 1),
    "invalid UTF-8 in JSON": ("p.jsonl", lambda d, c: b'\n{"id": "\xff\xfe"}\n', 2),
    "invalid UTF-8 in CoNLL": ("p.conll", lambda d, c: b"# doc\n\xff\tO\tO\n", 2),
    "CoNLL B-PERSON": ("p.conll", lambda d, c: _conll_with(c, "B-LOCATION", "B-PERSON").encode(), None),
    "CoNLL trigger B-BOMBING": ("p.conll", lambda d, c: _conll_with(c, "B-ATTACK", "B-BOMBING", 2).encode(), None),
    "CoNLL B-ACTOR as trigger": ("p.conll", lambda d, c: _conll_with(c, "B-ATTACK", "B-ACTOR", 2).encode(), None),
    "CoNLL stray I-": ("p.conll", lambda d, c: _conll_with(c, "B-LOCATION", "I-LOCATION").encode(), None),
    "unknown label": ("p.jsonl", lambda d, c: json.dumps(pred_line(d) | {"entities": [
        pred_line(d)["entities"][0] | {"label": "PERSON"}]}).encode(), 1),
}


@pytest.mark.parametrize("command", ["evaluate", "validate"])
@pytest.mark.parametrize("case", list(HOSTILE))
def test_hostile_predictions_are_located_errors(tmp_path, capsys, doc, conll_text, case, command):
    name, build, line = HOSTILE[case]
    path = tmp_path / name
    path.write_bytes(build(doc, conll_text))
    argv = ["evaluate", "--pred", str(path), "--resamples", "5"] if command == "evaluate" else ["validate", str(path)]
    code, out, err = run(capsys, *argv)
    if line is None:  # IOB2: the first line that differs from the gold's own tags
        line = next(n for n, (a, b) in enumerate(zip(path.read_text().split("\n"), conll_text.split("\n")), 1)
                    if a != b)
    assert_located(code, err, path, line)
    assert out == ""


def test_stray_i_tag_message_names_the_repair_options(tmp_path, capsys, conll_text):
    path = tmp_path / "p.conll"
    path.write_text(_conll_with(conll_text, "B-LOCATION", "I-LOCATION"))
    code, _, err = run(capsys, "evaluate", "--pred", str(path))
    assert code == 2 and "--repair conlleval" in err and "--repair discard" in err
    for repair in ("conlleval", "discard"):
        code, out, err = run(capsys, "evaluate", "--pred", str(path), "--repair", repair, "--resamples", "5",
                             "--format", "json")
        assert code == 0, err
        strict = json.loads(out)["entity.strict"]
        # conlleval reads the stray I- as B-: the span is found; discard drops it (and its I- tokens)
        lost = 0 if repair == "conlleval" else 1
        assert (strict["tp"], strict["predicted"]) == (strict["gold"] - lost, strict["gold"] - lost)


def test_unknown_labels_are_errors_even_with_repair(tmp_path, capsys, conll_text):
    path = tmp_path / "p.conll"
    path.write_text(_conll_with(conll_text, "B-ATTACK", "B-BOMBING", 2))
    code, _, err = run(capsys, "evaluate", "--pred", str(path), "--repair", "conlleval")
    assert code == 2 and "'BOMBING' is not in the schema" in err


@pytest.mark.parametrize("content", [b"", b"\xef\xbb\xbf"])
def test_bom_and_empty_jsonl_are_json_lines_not_conll(tmp_path, capsys, doc, content):
    path = tmp_path / "p.jsonl"
    path.write_bytes(content + (json.dumps(pred_line(doc)).encode() + b"\n" if content else b""))
    code, out, err = run(capsys, "evaluate", "--pred", str(path), "--resamples", "5", "--format", "json")
    assert code == 0, err
    assert "sentences" not in err


def test_format_comes_from_the_option_or_the_name_never_the_content(tmp_path, capsys, doc, conll_text):
    path = tmp_path / "predictions.conll"
    path.write_text(json.dumps(pred_line(doc)) + "\n")  # JSON inside a .conll name: read as IOB2, and rejected
    code, _, err = run(capsys, "validate", str(path))
    assert code == 2 and "the file has 1 sentences" in err
    code, _, err = run(capsys, "validate", str(path), "--format", "jsonl")
    assert code == 0, err
    odd = tmp_path / "predictions.data"
    odd.write_text(conll_text)
    code, _, err = run(capsys, "validate", str(odd))
    assert code == 2 and "give --format" in err
    assert run(capsys, "evaluate", "--pred", str(odd), "--format", "conll", "--format", "json",
               "--resamples", "5")[0] == 0


def test_validate_accepts_every_format_evaluate_accepts(tmp_path, capsys, gold, conll_text):
    from benchmark.formats.brat import write_brat

    (tmp_path / "g.conll").write_text(conll_text)
    write_brat(tmp_path / "brat", gold)
    for path in (tmp_path / "g.conll", tmp_path / "brat", GOLD_FILE):
        assert run(capsys, "validate", str(path))[0] == 0
        code, out, err = run(capsys, "evaluate", "--pred", str(path), "--resamples", "5", "--format", "json")
        assert code == 0, err
        assert json.loads(out)["entity.strict"]["f1"] == 1.0


def test_brat_folder_missing_document_is_missing_not_an_error(tmp_path, capsys, gold):
    from benchmark.formats.brat import write_brat

    write_brat(tmp_path / "brat", gold)
    (tmp_path / "brat" / f"{DOC_ID}.ann").unlink()
    code, out, err = run(capsys, "evaluate", "--pred", str(tmp_path / "brat"), "--resamples", "5")
    assert code == 0 and f"document {DOC_ID} is missing" in err
    (tmp_path / "brat" / "999_unknown.ann").write_text("")
    code, _, err = run(capsys, "evaluate", "--pred", str(tmp_path / "brat"))
    assert code == 2 and "999_unknown" in err and "Traceback" not in err


def test_size_limit_is_checked_before_reading(tmp_path, capsys, doc):
    path = write_lines(tmp_path / "p.jsonl", [pred_line(doc)] + [""] * 100_000)  # larger than the gold
    limit = GOLD_FILE.stat().st_size + 10
    code, _, err = run(capsys, "evaluate", "--pred", str(path), "--max-bytes", str(limit))
    assert_located(code, err, path)
    assert f"the limit is {limit} bytes" in err
    done = _cli("evaluate", "--pred", "-", "--max-bytes", str(limit), input=path.read_bytes())  # a pipe: no size
    assert done.returncode == 2 and b"-: holds more bytes than allowed" in done.stderr


@pytest.mark.parametrize("argv", [["--resamples", "-1"], ["--resamples", "-3"]])
def test_bad_numbers_on_the_command_line_are_errors(tmp_path, capsys, doc, argv):
    path = write_lines(tmp_path / "p.jsonl", [pred_line(doc)])
    code, _, err = run(capsys, "evaluate", "--pred", str(path), *argv)
    assert code == 2 and "--resamples" in err and "Traceback" not in err


def test_hostile_gold_is_located(tmp_path, capsys, doc):
    gold = tmp_path / "gold.jsonl"
    line = GOLD_FILE.read_text(encoding="utf-8").split("\n")[0]
    gold.write_text(line.replace('"start": ', f'"start": {HUGE}, "z": ', 1) + "\n")
    pred = write_lines(tmp_path / "p.jsonl", [pred_line(doc)])
    code, _, err = run(capsys, "evaluate", "--pred", str(pred), "--gold", str(gold))
    assert_located(code, err, gold, 1)


# ---------------------------------------------------------------- datasets export

def test_datasets_to_json_of_the_documents_config_is_accepted(tmp_path, capsys):
    datasets = pytest.importorskip("datasets")
    exported = tmp_path / "documents.jsonl"
    dataset = datasets.load_dataset("json", data_files=str(ROOT / "data" / "documents" / "test.jsonl"),
                                    split="train", cache_dir=str(tmp_path / "cache"))
    dataset.to_json(str(exported))
    assert "null" in exported.read_text(encoding="utf-8")  # absent struct fields come back as null
    for kind in ("pred", "auto"):
        code, _, err = run(capsys, "validate", str(exported), "--kind", kind)
        assert code == 0, err
    code, out, err = run(capsys, "evaluate", "--pred", str(exported), "--format", "json", "--resamples", "5")
    assert code == 0, err
    scores = json.loads(out)  # no predicted incident records: incident.record is 0 (SPEC 3.1)
    assert all(entry["f1"] == 1.0 for key, entry in scores.items() if key != "incident.record")
    assert scores["incident.record"]["f1"] == 0


# ---------------------------------------------------------------- stdin and pipes

def _cli(*argv: str, stdin=None, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "benchmark", *argv], stdin=stdin, capture_output=True,
                          cwd=ROOT, **kwargs)


def test_stdin_and_dev_stdin_give_the_file_scores(tmp_path):
    pred = ROOT / "leaderboard" / "submissions" / "crf" / "predictions.jsonl"
    args = ("--format", "json", "--resamples", "20")
    from_file = _cli("evaluate", "--pred", str(pred), *args)
    assert from_file.returncode == 0, from_file.stderr
    expected = json.loads(from_file.stdout)
    data = pred.read_bytes()
    for name in ("-", "/dev/stdin"):
        piped = _cli("evaluate", "--pred", name, *args, input=data)
        assert piped.returncode == 0, piped.stderr
        assert json.loads(piped.stdout) == expected
    with open(pred, "rb") as handle:
        redirected = _cli("evaluate", "--pred", "/dev/stdin", *args, stdin=handle)
    assert json.loads(redirected.stdout) == expected


def test_errors_with_json_format_keep_stdout_one_json_document(tmp_path):
    pred = ROOT / "leaderboard" / "submissions" / "rules" / "predictions.jsonl"
    done = _cli("evaluate", "--pred", str(pred), "--format", "json", "--errors", "--resamples", "5")
    assert done.returncode == 0, done.stderr
    json.loads(done.stdout)  # exactly one JSON document
    assert b"predicted spans have white space" in done.stderr


# ---------------------------------------------------------------- Label Studio exports and build

def _export_variants() -> dict[str, bytes]:
    tasks = json.loads(LABELSTUDIO_EXPORT_FILE.read_text(encoding="utf-8"))

    def changed(change) -> bytes:
        copy = json.loads(json.dumps(tasks))
        change(copy[0])
        return json.dumps(copy).encode()

    result = lambda t: t["annotations"][0]["result"][0]
    return {
        "nested": NESTED.encode(),
        "huge integer": json.dumps(tasks).replace('"start": ', f'"start": {HUGE}, "q": ', 1).encode(),
        "value a string": changed(lambda t: result(t).update(value="x")),
        "value a list": changed(lambda t: result(t).update(value=[1])),
        "data a string": changed(lambda t: t.update(data="x")),
        "meta a string": changed(lambda t: t.update(meta="x")),
        "annotations a string": changed(lambda t: t.update(annotations="x")),
        "annotations an object": changed(lambda t: t.update(annotations={"a": 1})),
        "result a string": changed(lambda t: t["annotations"][0].update(result="x")),
        "labels a number": changed(lambda t: result(t)["value"].update(labels=5)),
        "not UTF-8": b"[\xff]",
        "truncated": json.dumps(tasks).encode()[:-40],
    }


@pytest.mark.parametrize("command", ["import", "agreement"])
@pytest.mark.parametrize("case", list(_export_variants()))
def test_hostile_labelstudio_exports_are_located(tmp_path, capsys, case, command):
    path = tmp_path / "export.json"
    path.write_bytes(_export_variants()[case])
    out = tmp_path / "out.jsonl"
    argv = ["labelstudio", "import", str(path), "--out", str(out)] if command == "import" else ["agreement", str(path)]
    code, _, err = run(capsys, *argv)
    assert_located(code, err, path)
    assert not out.exists() and not list(tmp_path.glob(".*tmp"))


def test_nested_export_fails_fast_and_small(tmp_path):
    path = tmp_path / "nested.json"
    path.write_text(NESTED)
    assert path.stat().st_size == 200_000
    code = ("import resource, sys, time\n"
            "from benchmark.cli import main\n"
            "start = time.perf_counter()\n"
            f"code = main(['labelstudio', 'import', {str(path)!r}, '--out', {str(tmp_path / 'o.jsonl')!r}])\n"
            "took = time.perf_counter() - start\n"
            "peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024\n"
            "print(code, took, peak)\n")
    # /usr/bin/time measures the peak memory of a child it forks itself: a child forked from
    # pytest would report pytest's own peak (Linux keeps ru_maxrss across exec)
    timer = ["/usr/bin/time", "-v"] if Path("/usr/bin/time").exists() else []
    done = subprocess.run([*timer, sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    status, took, _ = done.stdout.split()
    assert status == "2" and "nested more than 64 deep" in done.stderr
    assert float(took) < 1.0, took
    if timer:
        peak_kb = int(next(l for l in done.stderr.splitlines() if "Maximum resident set size" in l).split()[-1])
        assert peak_kb < 200 * 1024, peak_kb


def test_malformed_schema_and_corpus_metadata_are_located(tmp_path):
    root = tmp_path / "repo"
    shutil.copytree(ROOT / "annotations", root / "annotations")
    shutil.copytree(ROOT / "corpus", root / "corpus")
    env = {**os.environ, "IRAQ_ATTACKS_ROOT": str(root), "IRAQ_ATTACKS_CACHE": str(tmp_path / "cache")}
    schema = root / "annotations" / "schema.json"
    original = schema.read_bytes()
    for broken in (b"[" * 100_000, b'{"name": ' + HUGE.encode() + b"}", b"{}"):
        schema.write_bytes(broken)
        done = _cli("build", "--check", env=env)
        assert done.returncode == 2 and b"Traceback" not in done.stderr, done.stderr[-500:]
        assert str(schema).encode() in done.stderr
    schema.write_bytes(original)
    export = root / "annotations" / "labelstudio_export.json"
    for broken in (NESTED.encode(), b'[{"id": ' + HUGE.encode() + b"}]", b'[{"data": "x"}]'):
        export.write_bytes(broken)
        done = _cli("build", "--check", env=env)
        assert done.returncode == 2 and b"Traceback" not in done.stderr, done.stderr[-500:]
        assert str(export).encode() in done.stderr
    metadata = root / "corpus" / "metadata.jsonl"
    metadata.write_text('{"id": 5}\n')
    done = _cli("build", "--check", env=env)
    assert done.returncode == 2 and b"Traceback" not in done.stderr and f"{metadata}:1:".encode() in done.stderr


# ---------------------------------------------------------------- leaderboard agrees with evaluate

def _submission(root: Path, folder: str, prediction_name: str, data: bytes) -> None:
    from test_leaderboard import metadata

    (root / folder).mkdir(parents=True)
    (root / folder / "metadata.json").write_text(metadata(folder))
    (root / folder / prediction_name).write_bytes(data)


def test_evaluate_and_leaderboard_accept_and_reject_the_same_files(tmp_path, capsys, doc, conll_text):
    cases = {name: spec for name, spec in HOSTILE.items()}
    cases["good jsonl"] = ("p.jsonl", lambda d, c: json.dumps(pred_line(d)).encode(), None)
    cases["good conll"] = ("p.conll", lambda d, c: c.encode(), None)
    cases["edge junk"] = ("p.jsonl", lambda d, c: json.dumps(pred_line(d) | {"entities": [
        pred_line(d)["entities"][0] | {"end": pred_line(d)["entities"][0]["end"] + 1}]}).encode(), None)
    root = tmp_path / "subs"
    accepted_by_evaluate = set()
    for n, (name, (file_name, build, _)) in enumerate(cases.items()):
        data = build(doc, conll_text)
        path = tmp_path / f"{n}{Path(file_name).suffix}"
        path.write_bytes(data)
        if run(capsys, "evaluate", "--pred", str(path), "--resamples", "5")[0] == 0:
            accepted_by_evaluate.add(f"s{n:02d}")
        _submission(root, f"s{n:02d}", "predictions" + Path(file_name).suffix, data)
    code, _, err = run(capsys, "leaderboard", str(root), "--out", str(tmp_path / "out"))
    assert code == 0, err
    board = json.loads((tmp_path / "out" / "leaderboard.json").read_text())
    assert {e["folder"] for e in board["entries"]} == accepted_by_evaluate
    assert len(accepted_by_evaluate) == 3


def test_huge_metadata_integer_skips_one_submission_not_the_run(tmp_path, capsys, doc):
    root = tmp_path / "subs"
    _submission(root, "good", "predictions.jsonl", json.dumps(pred_line(doc)).encode())
    _submission(root, "bad", "predictions.jsonl", json.dumps(pred_line(doc)).encode())
    meta = json.loads((root / "bad" / "metadata.json").read_text())
    (root / "bad" / "metadata.json").write_text(json.dumps(meta).replace('"date"', f'"n": {HUGE}, "date"'))
    (root / "nested").mkdir()
    _submission(root, "deep", "predictions.jsonl", json.dumps(pred_line(doc)).encode())
    (root / "deep" / "metadata.json").write_text(NESTED)
    shutil.rmtree(root / "nested")
    code, _, err = run(capsys, "leaderboard", str(root), "--out", str(tmp_path / "out"))
    assert code == 0 and "Traceback" not in err
    board = json.loads((tmp_path / "out" / "leaderboard.json").read_text())
    assert [e["folder"] for e in board["entries"]] == ["good"]
    reasons = {s["folder"]: s["reasons"] for s in board["skipped"]}
    assert reasons["bad"] == ["bad/metadata.json: integer outside the signed 64-bit range (-2**63 to 2**63 - 1)"]
    assert reasons["deep"] == ["deep/metadata.json: JSON nested more than 64 deep"]


def test_skip_reasons_are_truncated(tmp_path, capsys, doc):
    from benchmark.leaderboard.board import MAX_REASON_CHARS, MAX_REASONS

    root = tmp_path / "subs"
    entity = pred_line(doc)["entities"][0]
    huge_label = [entity | {"label": "X" * 100_000}] * 40  # 4 MB, under the 20 MiB limit
    _submission(root, "big", "predictions.jsonl", json.dumps({"id": DOC_ID, "entities": huge_label}).encode())
    code, _, err = run(capsys, "leaderboard", str(root), "--out", str(tmp_path / "out"))
    assert code == 0
    html = (tmp_path / "out" / "index.html").stat().st_size
    board = json.loads((tmp_path / "out" / "leaderboard.json").read_text())
    reasons = board["skipped"][0]["reasons"]
    assert len(reasons) == MAX_REASONS + 1 and all(len(r) <= MAX_REASON_CHARS for r in reasons)
    assert html < 200_000


# ---------------------------------------------------------------- writes

def test_writes_follow_the_umask(tmp_path, gold):
    from benchmark.files import write_text_atomic

    old = os.umask(0o022)
    try:
        write_text_atomic(tmp_path / "a.txt", "x")
        write_annotations(tmp_path / "g.jsonl", gold)
        assert stat.S_IMODE((tmp_path / "a.txt").stat().st_mode) == 0o644
        assert stat.S_IMODE((tmp_path / "g.jsonl").stat().st_mode) == 0o644
        os.umask(0o077)
        write_text_atomic(tmp_path / "b.txt", "x")
        assert stat.S_IMODE((tmp_path / "b.txt").stat().st_mode) == 0o600
    finally:
        os.umask(old)


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_a_full_disk_names_the_path_and_leaves_nothing(tmp_path, monkeypatch):
    import benchmark.files as files

    real_fdopen = os.fdopen

    def full(fd, *args, **kwargs):  # every temporary file behaves like /dev/full
        handle = real_fdopen(fd, *args, **kwargs)
        os.dup2(os.open("/dev/full", os.O_WRONLY), handle.fileno())
        return handle

    monkeypatch.setattr(files.os, "fdopen", full)
    (tmp_path / "keep.txt").write_text("old")
    with pytest.raises(BenchmarkError) as caught:
        files.write_text_atomic(tmp_path / "keep.txt", "new" * 100_000)
    assert str(caught.value) == f"{tmp_path / 'keep.txt'}: cannot write: No space left on device"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.txt"]
    assert (tmp_path / "keep.txt").read_text() == "old"
    with pytest.raises(BenchmarkError) as caught:
        files.replace_folder_files(tmp_path / "board", {"a.json": b"1", "b.md": b"2"})
    assert str(tmp_path / "board") in str(caught.value)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.txt"]


def test_leaderboard_outputs_are_replaced_as_one_set(tmp_path, monkeypatch):
    import benchmark.files as files
    from benchmark.leaderboard.board import OUTPUT_FILES

    out = tmp_path / "board"
    out.mkdir()
    for name in OUTPUT_FILES:
        (out / name).write_text("old")
    (out / "other").mkdir()
    (out / "other" / "kept.txt").write_text("kept")
    calls = []
    real = files._write_temporary

    def failing(folder, name, data, mode):
        calls.append(name)
        if name == "index.html":
            raise OSError(28, "No space left on device")
        return real(folder, name, data, mode)

    monkeypatch.setattr(files, "_write_temporary", failing)
    with pytest.raises(BenchmarkError):
        files.replace_folder_files(out, {name: b"new" for name in OUTPUT_FILES})
    assert all((out / name).read_text() == "old" for name in OUTPUT_FILES)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["board"]
    monkeypatch.setattr(files, "_write_temporary", real)
    files.replace_folder_files(out, {name: b"new" for name in OUTPUT_FILES})
    assert all((out / name).read_text() == "new" for name in OUTPUT_FILES)
    assert (out / "other" / "kept.txt").read_text() == "kept"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["board"]


def test_brat_export_is_written_as_one_folder(tmp_path, gold, capsys):
    code, _, err = run(capsys, "export", "--format", "brat", "--out", str(tmp_path / "brat"))
    assert code == 0, err
    assert len(list((tmp_path / "brat").glob("*.ann"))) == len(gold)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["brat"]


def test_leaderboard_accepts_a_brat_folder_submission(tmp_path, capsys, gold):
    from benchmark.formats.brat import write_brat
    from test_leaderboard import metadata

    root = tmp_path / "subs"
    (root / "bratty").mkdir(parents=True)
    (root / "bratty" / "metadata.json").write_text(metadata("Bratty"))
    write_brat(root / "bratty" / "predictions", gold)
    (root / "bratty" / "predictions" / "annotation.conf").unlink()
    code, _, err = run(capsys, "leaderboard", str(root), "--out", str(tmp_path / "out"))
    assert code == 0, err
    board = json.loads((tmp_path / "out" / "leaderboard.json").read_text())
    assert [(e["folder"], e["format"]) for e in board["entries"]] == [("bratty", "brat")]
    assert board["entries"][0]["scores"]["entity.strict"]["f1"] == 1.0
    (root / "bratty" / "predictions" / "999_unknown.ann").write_text("")
    code, _, err = run(capsys, "leaderboard", str(root), "--out", str(tmp_path / "out"))
    board = json.loads((tmp_path / "out" / "leaderboard.json").read_text())
    assert board["entries"] == [] and "999_unknown" in board["skipped"][0]["reasons"][0]


def test_labelstudio_import_output_follows_the_umask(tmp_path, capsys):
    out = tmp_path / "gold.jsonl"
    old = os.umask(0o022)
    try:
        code, _, err = run(capsys, "labelstudio", "import", str(LABELSTUDIO_EXPORT_FILE), "--out", str(out))
    finally:
        os.umask(old)
    assert code == 0, err
    assert stat.S_IMODE(out.stat().st_mode) == 0o644
    assert sorted(p.name for p in tmp_path.iterdir()) == ["gold.jsonl"]


def test_echoed_user_text_is_cut_on_the_command_line(tmp_path, capsys, doc):
    line = pred_line(doc)
    line["entities"][0]["label"] = "X" * 1_000_000
    path = write_lines(tmp_path / "p.jsonl", [line])
    code, _, err = run(capsys, "evaluate", "--pred", str(path))
    assert code == 2 and len(err) < 2000 and "unknown label 'XXX" in err


def test_token_cache_gives_the_segmenter_s_sentences(tmp_path, monkeypatch, doc):
    import benchmark.tokens as tokens

    monkeypatch.setenv("IRAQ_ATTACKS_CACHE", str(tmp_path))
    expected = tokens.segment_text(doc.text)
    tokens._segment_cached.cache_clear()
    assert tokens._segment_cached(doc.text) == expected  # segments and writes the cache
    assert len(list((tmp_path / "tokens").glob("*.bin"))) == 1
    tokens._segment_cached.cache_clear()
    monkeypatch.setattr(tokens, "segment_text", lambda text: pytest.fail("the cache was not used"))
    assert tokens._segment_cached(doc.text) == expected
    tokens._segment_cached.cache_clear()


def test_token_offsets_are_the_segmenter_s_tokens_cached_or_not(tmp_path, monkeypatch, doc):
    import benchmark.tokens as tokens

    monkeypatch.setenv("IRAQ_ATTACKS_CACHE", str(tmp_path))
    expected = [[x for t in s.tokens for x in (t.start, t.end)] for s in tokens.segment_text(doc.text)]
    tokens._segment_cached.cache_clear()
    assert tokens.token_offsets(doc) == expected  # a miss: segments and writes the cache
    tokens._segment_cached.cache_clear()
    monkeypatch.setattr(tokens, "segment_text", lambda text: pytest.fail("the cache was not used"))
    assert tokens.token_offsets(doc) == expected
    tokens._segment_cached.cache_clear()


@pytest.mark.parametrize("damage", ["truncated", "odd length", "negative count", "counts too large", "empty"])
def test_a_damaged_token_cache_entry_is_segmented_again(tmp_path, monkeypatch, doc, damage):
    from array import array

    import benchmark.tokens as tokens

    monkeypatch.setenv("IRAQ_ATTACKS_CACHE", str(tmp_path))
    expected = [[x for t in s.tokens for x in (t.start, t.end)] for s in tokens.segment_text(doc.text)]
    tokens._segment_cached.cache_clear()
    assert tokens.token_offsets(doc) == expected  # writes the entry
    (entry,) = (tmp_path / "tokens").glob("*.bin")
    values = array("q", entry.read_bytes())
    if damage == "truncated":
        data = values[:-2].tobytes()
    elif damage == "odd length":
        data = values.tobytes()[:-3]
    elif damage == "negative count":
        values[3] = -values[3]
        data = values.tobytes()
    elif damage == "counts too large":
        values[3] += 5
        data = values.tobytes()
    else:
        data = b""
    entry.write_bytes(data)
    tokens._segment_cached.cache_clear()
    assert tokens.token_offsets(doc) == expected
    interiors = tokens.token_interiors(doc)
    assert list(interiors.starts) == expected[0][0::2] + [x for row in expected[1:] for x in row[0::2]]
    assert entry.read_bytes() != data  # segmented again and rewritten
    tokens._segment_cached.cache_clear()


def test_gold_is_validated_once_per_digest(tmp_path, monkeypatch):
    import benchmark.inputs.read as read

    monkeypatch.setenv("IRAQ_ATTACKS_CACHE", str(tmp_path))
    assert len(read.read_gold()) == 5                       # validated, digest remembered
    monkeypatch.setattr(read, "validate_annotation", lambda *a, **k: pytest.fail("validated twice"))
    assert len(read.read_gold()) == 5                       # same bytes: not validated again
    changed = tmp_path / "gold.jsonl"
    changed.write_bytes(GOLD_FILE.read_bytes() + b"\n")
    with pytest.raises(pytest.fail.Exception):               # other bytes: validated
        read.read_gold(changed)


@pytest.mark.parametrize("content", [b"[" * 100_000, b"[" * 70 + b"]" * 70,
                                     b'{"incident": "x", "killed": ' + HUGE.encode() + b"}",
                                     b'{"incident": "x", "killed": 9223372036854775808}', b'\n{"incident": "\xff"}'])
def test_hostile_incident_record_files_are_located(tmp_path, content):
    from benchmark.incidents import read_incident_records

    path = tmp_path / "incidents.jsonl"
    path.write_bytes(content)
    with pytest.raises(BenchmarkError) as caught:
        read_incident_records(path)
    line = 2 if content.startswith(b"\n") else 1
    assert all(p.file == str(path) and p.line == line for p in caught.value.problems), caught.value
