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
    def __init__(self, url: str, token: str, process: subprocess.Popen, log: Path, start_seconds: float) -> None:
        self.url, self.token, self.process, self.log, self.start_seconds = url, token, process, log, start_seconds


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
    return Server(url, token, process, log, time.monotonic() - started)


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
