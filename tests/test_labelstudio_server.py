"""Round trip through a real Label Studio server.

Starts Label Studio from ``.labelstudio-venv/`` (made by
``scripts/labelstudio_server_venv.sh``; the server pins its own label-studio-sdk and
pyarrow, so it never goes in the project's environment) on 127.0.0.1 with a free port,
a throw-away data folder, analytics, version checks and Sentry off, so it calls nothing
outside this machine. With label-studio-sdk's client it creates a project with
``annotations/label_config.xml``, imports the gold as annotations and as predictions
(plus the fixture export's ground truth, whose text has an emoji and curly quotes
before its spans: offsets are code points), exports a snapshot with predictions in
full, converts the export back with our importer and compares it with what went in.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from benchmark.errors import Problem
from benchmark.model import Annotation
from benchmark.formats.jsonl import read_annotations
from benchmark.labelstudio.convert import to_labelstudio_task
from benchmark.labelstudio.exchange import import_export, write_import
from benchmark.paths import GOLD_FILE, LABEL_CONFIG_FILE, ROOT

pytestmark = pytest.mark.labelstudio_server

VENV = Path(os.environ.get("LABEL_STUDIO_VENV") or ROOT / ".labelstudio-venv")
SERVER = VENV / "bin" / "label-studio"
FIXTURE = Path(__file__).parent / "fixtures" / "labelstudio_export_rich.json"
USER = "u@example.org"
START_TIMEOUT = 180.0
REGION_KEYS = ("id", "from_name", "to_name", "type", "value")
RELATION_KEYS = ("from_id", "to_id", "type", "direction", "labels", "id")

if not SERVER.exists():
    pytest.skip(f"no Label Studio server at {SERVER}: run `bash scripts/labelstudio_server_venv.sh` to make "
                ".labelstudio-venv/", allow_module_level=True)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _up(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/health", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


class Server:
    def __init__(self, url: str, token: str, process: subprocess.Popen, log: Path, start_seconds: float,
                 password: str = "") -> None:
        self.url, self.token, self.process, self.log, self.start_seconds = url, token, process, log, start_seconds
        self.password = password


@pytest.fixture(scope="module")
def server(tmp_path_factory, request) -> Server:
    base = tmp_path_factory.mktemp("labelstudio")
    port, token, password = _free_port(), secrets.token_hex(20), secrets.token_urlsafe(18)
    env = {key: value for key, value in os.environ.items()
           if key not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "DJANGO_SETTINGS_MODULE")}
    env.update(HOME=str(base / "home"), LABEL_STUDIO_BASE_DATA_DIR=str(base / "base"), COLLECT_ANALYTICS="false",
               LATEST_VERSION_CHECK="false", SENTRY_DSN="", FRONTEND_SENTRY_DSN="",
               # Label Studio asks git for its own version from its package folder; keep git
               # from walking up out of the venv into this repository.
               GIT_CEILING_DIRECTORIES=str(VENV.resolve()))
    (base / "home").mkdir()
    log = base / "server.log"
    command = [str(SERVER), "start", "--no-browser", "--internal-host", "127.0.0.1", "--port", str(port),
               "--data-dir", str(base / "data"), "--username", USER, "--password", password,
               "--user-token", token, "--enable-legacy-api-token"]
    started = time.monotonic()
    with open(log, "wb") as handle:
        process = subprocess.Popen(command, env=env, cwd=base, stdout=handle, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL, start_new_session=True)

    def stop() -> None:
        try:
            os.killpg(process.pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=30)

    request.addfinalizer(stop)
    url = f"http://127.0.0.1:{port}"
    while not _up(url):
        if process.poll() is not None:
            pytest.fail(f"Label Studio exited with {process.returncode}:\n{log.read_text(errors='replace')[-3000:]}")
        if time.monotonic() - started > START_TIMEOUT:
            pytest.fail(f"Label Studio not up after {START_TIMEOUT:.0f} s:\n{log.read_text(errors='replace')[-3000:]}")
        time.sleep(0.5)
    return Server(url, token, process, log, time.monotonic() - started, password)


def _normalised(results: list[dict]) -> list[str]:
    out = []
    for result in results:
        keys = RELATION_KEYS if result.get("type") == "relation" else REGION_KEYS
        out.append(json.dumps({k: result[k] for k in keys if k in result}, sort_keys=True, ensure_ascii=False))
    return sorted(out)


def _snapshot(client, project_id: int, path: Path) -> list[dict]:
    """Export a snapshot with predictions and annotators in full, and write it to ``path``."""
    export = client.projects.exports.create(
        project_id, title="round trip",
        serialization_options={"predictions": {"only_id": False}, "annotations__completed_by": {"only_id": False}})
    deadline = time.monotonic() + 120
    while client.projects.exports.get(project_id, export.id).status != "completed":
        assert time.monotonic() < deadline, "the export snapshot did not complete in 120 s"
        time.sleep(0.5)
    data = b"".join(client.projects.exports.download(project_id, export.id, export_type="JSON"))
    path.write_bytes(data)
    return json.loads(data)


def test_gold_round_trips_through_a_real_label_studio(server, tmp_path):
    from label_studio_sdk.client import LabelStudio

    print(f"Label Studio answered /health {server.start_seconds:.1f} s after start")
    client = LabelStudio(base_url=server.url, api_key=server.token)
    project = client.projects.create(title="iraq-attacks round trip",
                                     label_config=LABEL_CONFIG_FILE.read_text(encoding="utf-8"))
    gold = read_annotations(GOLD_FILE)
    problems: list[Problem] = []
    rich = list(import_export(FIXTURE, problems, ground_truth=True))
    assert problems == []
    sent = []
    for annotation in [*gold, *rich]:
        task = to_labelstudio_task(annotation, annotation.document)
        task.pop("id", None)
        envelope = task["annotations"][0]
        for key in ("id", "completed_by", "created_at", "updated_at"):  # the server assigns these
            envelope.pop(key, None)
        task["predictions"] = to_labelstudio_task(annotation, annotation.document, as_prediction=True,
                                                  model_version="gold-as-prediction", score=0.9)["predictions"]
        sent.append(task)
    response = client.projects.import_tasks(project.id, request=sent, return_task_ids=True)
    assert response.task_count == len(sent)

    exported = _snapshot(client, project.id, tmp_path / "export.json")
    assert len(exported) == len(sent)
    by_doc = {t["data"]["doc_id"]: t for t in exported}
    for task in sent:
        back = by_doc[task["data"]["doc_id"]]
        assert back["data"] == task["data"]
        [annotation] = back["annotations"]
        [prediction] = back["predictions"]
        # every region, per-region result and relation, ids included
        assert _normalised(annotation["result"]) == _normalised(task["annotations"][0]["result"])
        assert _normalised(prediction["result"]) == _normalised(task["predictions"][0]["result"])
        assert (prediction["model_version"], prediction["score"]) == ("gold-as-prediction", 0.9)
        assert annotation["completed_by"]["email"] == USER

    expected = {a.doc_id: a for a in [*gold, *rich]}
    for options in ({}, {"annotator": USER}, {"use_prediction": True}):
        out = tmp_path / "back.jsonl"
        count = write_import(tmp_path / "export.json", out, **options)
        assert count == len(expected)
        for annotation in read_annotations(out):
            want = expected[annotation.doc_id]
            assert annotation.entities == want.entities  # spans, labels and attributes
            assert annotation.events == want.events  # triggers, arguments and incident keys
            assert [e.attrs.get("incident") for e in annotation.events] == \
                   [e.attrs.get("incident") for e in want.events]
            assert [e.id for e in annotation.entities] == [e.id for e in want.entities]
            if not options.get("use_prediction"):
                assert annotation.document.text == want.document.text


# ---------------------------------------------------------------- push / pull with the CLI

def _cli(argv: list) -> tuple[int, list[str], list[str]]:
    import contextlib
    import io

    from benchmark.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(a) for a in argv])
    return code, out.getvalue().splitlines(), err.getvalue().splitlines()


def test_push_then_pull_returns_the_gold_and_every_annotator(server, tmp_path, monkeypatch):
    from label_studio_sdk.client import LabelStudio

    from benchmark.formats.jsonl import write_annotations

    monkeypatch.setenv("LABEL_STUDIO_URL", server.url)
    monkeypatch.setenv("LABEL_STUDIO_API_KEY", server.token)
    gold = read_annotations(GOLD_FILE)
    title = "iraq-attacks push and pull"

    code, out, err = _cli(["labelstudio", "push", "--project", title])
    assert (code, err) == (0, []), err
    assert out[0].endswith(f"(created): {len(gold)} new tasks, 0 existing tasks given annotations")
    # a system's output, pushed afterwards, lands on the same tasks as predictions
    pred = tmp_path / "pred.jsonl"
    write_annotations(pred, gold, with_document=False)
    code, out, err = _cli(["labelstudio", "push", "--project", title, "--pred", pred, "--model-version", "copy-1"])
    assert (code, err) == (0, []), err
    assert out[0].endswith(f"(updated): 0 new tasks, {len(gold)} existing tasks given predictions")

    # a second annotator annotates the first document (fewer entities than the gold)
    client = LabelStudio(base_url=server.url, api_key=server.token)
    [project] = [p for p in client.projects.list() if p.title == title]
    assert project.label_config.strip() == LABEL_CONFIG_FILE.read_text(encoding="utf-8").strip()
    second = client.users.create(email="second@example.org", username="second", first_name="S", last_name="A")
    tasks = {t.data["doc_id"]: t.id for t in client.tasks.list(project=project.id, fields="all")}
    first = gold[0]
    partial = Annotation(first.doc_id, first.entities[:3], (), first.document)
    result = to_labelstudio_task(partial, first.document)["annotations"][0]["result"]
    client.annotations.create(tasks[first.doc_id], result=result, completed_by=second.id)

    # no choice and two annotators on a task: an error, nothing written
    code, out, err = _cli(["labelstudio", "pull", "--project", title, "--out", tmp_path / "x.jsonl",
                           "--export", tmp_path / "export.json"])
    assert code == 2 and not (tmp_path / "x.jsonl").exists()
    assert "task has annotations by 2 annotators" in err[0]

    # the pusher's set is the gold exactly
    code, out, err = _cli(["labelstudio", "pull", "--project", str(project.id), "--annotator", USER,
                           "--out", tmp_path / "mine.jsonl"])
    assert (code, err) == (0, []), err
    mine = read_annotations(tmp_path / "mine.jsonl")
    assert mine == gold
    assert [a.document.text for a in mine] == [a.document.text for a in gold]
    for annotation in mine:
        assert [(e.id, e.attributes) for e in annotation.entities] == \
               [(e.id, e.attributes) for e in next(g for g in gold if g.doc_id == annotation.doc_id).entities]
        assert annotation.provenance.annotator == USER and annotation.provenance.task_id == \
               str(tasks[annotation.doc_id])

    # every annotator: one file each, with provenance
    code, out, err = _cli(["labelstudio", "pull", "--project", title, "--annotator", "all", "--out", tmp_path / "all"])
    assert (code, err) == (0, []), err
    index = json.loads((tmp_path / "all" / "annotators.json").read_text(encoding="utf-8"))
    by_email = {entry["email"]: entry for entry in index}
    assert by_email[USER]["documents"] == len(gold) and by_email["second@example.org"]["documents"] == 1
    [theirs] = read_annotations(tmp_path / "all" / by_email["second@example.org"]["file"])
    assert theirs == partial
    assert theirs.provenance.annotator == "second@example.org"
    assert theirs.provenance.annotator_id == str(second.id)
    assert theirs.provenance.task_id == str(tasks[first.doc_id]) and theirs.provenance.source_id
    assert read_annotations(tmp_path / "all" / by_email[USER]["file"]) == gold

    # the predictions, with their model version
    code, out, err = _cli(["labelstudio", "pull", "--project", title, "--predictions", "--model-version", "copy-1",
                           "--out", tmp_path / "pred-back.jsonl"])
    assert (code, err) == (0, []), err
    back = read_annotations(tmp_path / "pred-back.jsonl")
    assert back == [Annotation(a.doc_id, a.entities, a.events) for a in gold]
    assert {a.provenance.annotator for a in back} == {"copy-1"}

    # ground truth: push marks the gold as ground truth, and the server keeps the flag
    exported = json.loads((tmp_path / "export.json").read_text(encoding="utf-8"))
    flags = {(a["completed_by"]["email"], a["ground_truth"]) for t in exported for a in t["annotations"]}
    assert flags == {(USER, True), ("second@example.org", False)}
    code, out, err = _cli(["labelstudio", "pull", "--project", title, "--ground-truth", "--out", tmp_path / "gt.jsonl"])
    assert (code, err) == (0, []), err
    assert read_annotations(tmp_path / "gt.jsonl") == gold


# ---------------------------------------------------------------- the labelling view

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
VIEWPORT = {"width": 1400, "height": 900}


def test_casualty_controls_sit_beside_the_text(server, tmp_path):
    """Select a CASUALTY region in the labelling view: its attribute controls appear to the
    right of the text, inside the viewport, without scrolling. The screenshot is kept in
    ``tmp_path``."""
    playwright = pytest.importorskip("playwright.sync_api")
    if not CHROMIUM.exists():
        pytest.skip(f"no browser at {CHROMIUM}")
    from label_studio_sdk.client import LabelStudio

    client = LabelStudio(base_url=server.url, api_key=server.token)
    project = client.projects.create(title="labelling view",
                                     label_config=LABEL_CONFIG_FILE.read_text(encoding="utf-8"))
    gold = read_annotations(GOLD_FILE)
    document = next(a for a in gold if any(e.label == "CASUALTY" for e in a.entities))
    casualty = next(e for e in document.entities if e.label == "CASUALTY")
    task = to_labelstudio_task(document, document.document)
    task.pop("id", None)
    for key in ("id", "completed_by", "created_at", "updated_at"):
        task["annotations"][0].pop(key, None)
    [task_id] = client.projects.import_tasks(project.id, request=[task], return_task_ids=True).task_ids

    with playwright.sync_playwright() as browser_driver:
        browser = browser_driver.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport=VIEWPORT)
            page.goto(f"{server.url}/user/login/")
            page.fill("input[name=email]", USER)
            page.fill("input[name=password]", server.password)
            page.click("button[type=submit], input[type=submit]")
            page.wait_for_load_state("networkidle")
            page.goto(f"{server.url}/projects/{project.id}/data?task={task_id}")
            region = page.locator("span.htx-highlight", has_text=casualty.span.text_in(document.document.text)).first
            region.wait_for(timeout=120_000)
            region.click()
            header = page.get_by_text("status (required)", exact=True)
            header.wait_for(state="visible", timeout=30_000)
            page.wait_for_timeout(500)
            page.screenshot(path=str(tmp_path / "casualty-selected.png"))
            print(f"screenshot: {tmp_path / 'casualty-selected.png'}")
            controls = [page.get_by_text(text, exact=True).bounding_box()
                        for text in ("status (required)", "count (required)", "qualifier (required)", "victim (optional)")]
            highlights = page.locator("span.htx-highlight")
            text_right = max(box["x"] + box["width"] for box in
                             (highlights.nth(n).bounding_box() for n in range(highlights.count())) if box)
            scrolled = page.evaluate("() => window.scrollY")
        finally:
            browser.close()
    assert scrolled == 0
    for box in controls:
        assert box is not None
        assert box["x"] >= text_right, f"controls at x={box['x']} are not right of the text (ends at {text_right})"
        assert 0 <= box["x"] and box["x"] + box["width"] <= VIEWPORT["width"]
        assert 0 <= box["y"] and box["y"] + box["height"] <= VIEWPORT["height"]
