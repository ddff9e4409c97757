"""Talk to a running Label Studio with label-studio-sdk's client: push tasks, pull exports.

Offsets are half-open ``[start, end)`` code-point indices into the task text, in Label
Studio as in this package; nothing here converts them (see ``convert``).

- ``push_tasks`` creates the project (or finds it by id or title and sets its labelling
  config to the generated one) and sends import tasks: a document the project does not
  hold yet becomes a new task (with its annotations or predictions); for a document it
  already holds, the annotation or prediction is added to that task, so a system's
  output pushed after the gold lands on the same tasks as pre-annotations.
- ``pull_export`` takes a snapshot export with annotations, predictions and annotators
  in full and writes it to a file chunk by chunk. The export options matter: Label
  Studio's default export leaves out tasks that have predictions only,
  ``download_all_tasks=true`` writes predictions as bare ids, and only a snapshot with
  ``predictions.only_id = false`` carries every prediction's result. The snapshot
  serialises ``completed_by`` in full (id and e-mail).

Label Studio assigns task, annotation and prediction ids, ``completed_by`` (the user
whose token pushes) and timestamps itself; the ids the tasks carry are not sent. It keeps
the ``ground_truth`` flag an imported annotation carries (1.23.2, tested): the gold is
pushed as ground truth, and ``pull --ground-truth`` finds it. Annotations made in Label
Studio are ground truth only when someone marks them (the star in its UI, or
``mark_ground_truth``).
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from benchmark.errors import BenchmarkError, Problem

URL_VARIABLE = "LABEL_STUDIO_URL"
TOKEN_VARIABLE = "LABEL_STUDIO_API_KEY"
BATCH = 200
SNAPSHOT_OPTIONS = {"predictions": {"only_id": False}, "annotations__completed_by": {"only_id": False}}
_SERVER_ASSIGNED = ("id", "completed_by", "created_at", "updated_at")


@dataclass(frozen=True)
class PushResult:
    project_id: int
    created_project: bool
    new_tasks: int
    added_to_existing: int


def server_errors():
    """The exceptions of label-studio-sdk's client and its HTTP layer (for one-line messages)."""
    import httpx
    from label_studio_sdk.core.api_error import ApiError

    return (ApiError, httpx.HTTPError)


def connect(url: str | None = None, api_key: str | None = None):
    """A label-studio-sdk client for ``url`` / ``api_key``, or the LABEL_STUDIO_URL /
    LABEL_STUDIO_API_KEY environment variables."""
    from label_studio_sdk.client import LabelStudio

    url = url or os.environ.get(URL_VARIABLE)
    api_key = api_key or os.environ.get(TOKEN_VARIABLE)
    missing = [name for name, value in ((f"--url or {URL_VARIABLE}", url), (f"--api-key or {TOKEN_VARIABLE}", api_key))
               if not value]
    if missing:
        raise BenchmarkError([Problem(f"no Label Studio {' and '.join(missing)} given")])
    return LabelStudio(base_url=url.rstrip("/"), api_key=api_key)


def find_project(client, project: str | int) -> Any | None:
    """The project with id ``project`` (digits) or with that title; None when there is none."""
    text = str(project)
    for candidate in client.projects.list():
        if (text.isdigit() and candidate.id == int(text)) or candidate.title == text:
            return candidate
    return None


def ensure_project(client, project: str | int, config: str) -> tuple[int, bool]:
    """Id of the project named ``project`` (id or title) with ``config`` as its labelling
    config, and whether it was created now."""
    found = find_project(client, project)
    if found is None:
        if str(project).isdigit():
            raise BenchmarkError([Problem(f"no Label Studio project with id {project}; give a title to create one")])
        return client.projects.create(title=str(project), label_config=config).id, True
    if (found.label_config or "").strip() != config.strip():
        client.projects.update(found.id, label_config=config)
    return found.id, False


def _project_documents(client, project_id: int) -> dict[str, int]:
    """doc_id -> task id of the tasks the project holds."""
    out: dict[str, int] = {}
    for task in client.tasks.list(project=project_id, fields="all"):
        data = task.data or {}
        if isinstance(data.get("doc_id"), str):
            out.setdefault(data["doc_id"], task.id)
    return out


def _for_server(task: dict) -> dict:
    """An import task without what the server assigns (ids, annotator, timestamps)."""
    clean = {"data": task["data"]}
    for kind in ("annotations", "predictions"):
        if task.get(kind):
            clean[kind] = [{k: v for k, v in item.items() if k not in _SERVER_ASSIGNED} for item in task[kind]]
    return clean


def push_tasks(client, project: str | int, config: str, tasks: Iterable[dict]) -> PushResult:
    """Send import ``tasks`` (from ``exchange.gold_tasks`` / ``prediction_tasks``) to ``project``.

    New documents are imported as tasks in batches of ``BATCH``; a document the project
    already holds gets the task's annotations and predictions added to its task.
    """
    project_id, created = ensure_project(client, project, config)
    existing = {} if created else _project_documents(client, project_id)
    new = added = 0
    fresh: list[dict] = []

    def flush() -> int:
        if not fresh:
            return 0
        client.projects.import_tasks(project_id, request=list(fresh), return_task_ids=True)
        count = len(fresh)
        fresh.clear()
        return count

    for task in tasks:
        clean = _for_server(task)
        task_id = existing.get(clean["data"].get("doc_id"))
        if task_id is None:
            fresh.append(clean)
            if len(fresh) == BATCH:
                new += flush()
            continue
        for annotation in clean.get("annotations", ()):
            client.annotations.create(task_id, result=annotation["result"],
                                      was_cancelled=bool(annotation.get("was_cancelled")),
                                      ground_truth=bool(annotation.get("ground_truth")))
        for prediction in clean.get("predictions", ()):
            options = {"score": prediction["score"]} if prediction.get("score") is not None else {}
            client.predictions.create(task=task_id, result=prediction["result"],
                                      model_version=prediction.get("model_version"), **options)
        added += 1
    new += flush()
    return PushResult(project_id, created, new, added)


def mark_ground_truth(client, annotation_id: int) -> None:
    """Flag an annotation as the ground truth of its task (what the Label Studio UI's star does)."""
    client.annotations.update(annotation_id, ground_truth=True)


def pull_export(client, project: str | int, path: str | Path, timeout: float = 600.0) -> Path:
    """Write a snapshot export (annotations, predictions and annotators in full) of ``project``
    to ``path``, chunk by chunk; return ``path``."""
    found = find_project(client, project)
    if found is None:
        raise BenchmarkError([Problem(f"no Label Studio project with id or title {project!r}")])
    export = client.projects.exports.create(found.id, title="iraq-attacks pull",
                                            serialization_options=SNAPSHOT_OPTIONS)
    deadline = time.monotonic() + timeout
    while True:
        status = client.projects.exports.get(found.id, export.id).status
        if status == "completed":
            break
        if status == "failed" or time.monotonic() > deadline:
            raise BenchmarkError([Problem(f"Label Studio export {export.id} of project {found.id} "
                                          f"{'failed' if status == 'failed' else f'not done after {timeout:.0f} s'}")])
        time.sleep(0.5)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.part")
    with open(partial, "wb") as handle:
        for chunk in client.projects.exports.download(found.id, export.id, export_type="JSON"):
            handle.write(chunk)
    os.replace(partial, path)
    return path
