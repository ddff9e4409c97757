"""Build every generated file from the Label Studio export, the source of truth.

``annotations/labelstudio_export.json`` -> ``annotations/gold.jsonl`` (SPEC shape, with
text and metadata), ``annotations/label_config.xml`` (from the schema), the Hugging Face
data files ``data/<config>/test.jsonl``, the cross-validation folds ``data/folds.json``
and the README's front matter (card fields, ``configs`` and ``dataset_info``). The
``incidents`` config comes from the gold records ``annotations/incidents.jsonl`` (checked
against the gold's incident keys) when that file exists. ``build_outputs`` computes them
in memory so that a
test can tell when the committed files are stale.
"""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from benchmark.corpus import read_corpus
from benchmark.errors import Problem, SubmissionError
from benchmark.files import write_text_atomic
from benchmark.inputs.read import read_labelstudio_export
from benchmark.dataset.hf import INCIDENTS_CONFIG, SPLIT, features, incident_rows, rows
from benchmark.formats.jsonl import format_jsonl
from benchmark.labelstudio.convert import from_labelstudio_export, label_config
from benchmark.model import Annotation, Document
from benchmark.incidents import read_incident_records
from benchmark.paths import DATA_DIR, GOLD_FILE, INCIDENTS_FILE, LABEL_CONFIG_FILE, LABELSTUDIO_EXPORT_FILE, ROOT
from benchmark.schema import Schema, load_schema
from benchmark.inputs.validate import validate_annotations

README_FILE = ROOT / "README.md"

CARD = {
    "pretty_name": "Iraq Attacks: conflict events in news about attacks on US forces in Iraq",
    "license": "other",
    "license_name": "annotations-cc-by-4.0-texts-publishers-copyright",
    "license_link": "LICENSE",
    "license_details": "Annotations, schema and guidelines: CC BY 4.0. Code: MIT. The five news texts remain "
                       "the copyright of their publishers and are redistributed for non-commercial research only; "
                       "see DATASHEET.md (Distribution).",
    "language": ["en"],
    "multilinguality": "monolingual",
    "size_categories": ["n<1K"],
    "source_datasets": ["original"],
    "task_categories": ["token-classification"],
    "task_ids": ["named-entity-recognition"],
    "annotations_creators": ["expert-generated"],
    "language_creators": ["found"],
    "tags": ["event-extraction", "conflict", "ACLED", "ACE", "iraq", "benchmark"],
}


def read_gold_export(path: Path = LABELSTUDIO_EXPORT_FILE) -> list[Annotation]:
    """Gold annotations from a Label Studio export, with the corpus documents attached.

    Raises ``SubmissionError`` listing every conversion and validation problem.
    """
    corpus = read_corpus()
    problems: list[Problem] = []
    tasks = read_labelstudio_export(path)
    annotations = from_labelstudio_export(tasks, problems, file=str(path), ground_truth=False)
    schema = load_schema()
    attached = []
    for annotation in annotations:
        document = corpus.get(annotation.doc_id)
        if document is None:
            problems.append(Problem("task names a document that is not in the corpus", file=str(path),
                                    document=annotation.doc_id))
            continue
        metadata = tuple((k, v) for k, v in document.metadata) + (("dataset_version", schema.version), ("canary", schema.canary))
        if annotation.document.text != document.text:
            problems.append(Problem("task text differs from the corpus text", file=str(path), document=document.id))
        attached.append(Annotation(annotation.doc_id, annotation.entities, annotation.events,
                                   Document(document.id, document.text, metadata), annotation.provenance))
    problems += validate_annotations(((None, a) for a in attached), corpus, gold=True, file=str(path))
    missing = sorted(set(corpus) - {a.doc_id for a in attached})
    problems += [Problem("corpus document has no task in the export", file=str(path), document=d) for d in missing]
    if problems:
        raise SubmissionError(problems)
    order = list(corpus)
    return sorted(attached, key=lambda a: order.index(a.doc_id))


def arrow_bytes(config_rows: list[dict], config_features) -> int:
    """A split's ``num_bytes`` as ``datasets`` computes it: the size of its Arrow table."""
    import datasets

    return datasets.Dataset.from_list(config_rows, features=config_features).data.nbytes


def front_matter(schema: Schema, data_files: dict[str, str], num_bytes: dict[str, int]) -> str:
    """The README's YAML front matter: card fields, configs and dataset_info.

    ``data_files`` maps each config to its data file's content (examples, download size),
    ``num_bytes`` to its Arrow size (``arrow_bytes``).
    """
    feats = features(schema)
    card = dict(CARD)
    card["configs"] = [{"config_name": name, "data_files": [{"split": SPLIT, "path": f"data/{name}/{SPLIT}.jsonl"}],
                        **({"default": True} if name == "documents" else {})} for name in data_files]
    card["dataset_info"] = [{"config_name": name, "features": feats[name]._to_yaml_list(),
                              "splits": [{"name": SPLIT, "num_bytes": num_bytes[name],
                                          "num_examples": data_files[name].count("\n")}],
                              "download_size": len(data_files[name].encode("utf-8")),
                              "dataset_size": num_bytes[name]}
                            for name in data_files]
    return "---\n" + yaml.safe_dump(card, sort_keys=False, allow_unicode=True, width=100) + "---\n"


def _readme_with_front_matter(readme: str, matter: str) -> str:
    if readme.startswith("---\n"):
        end = readme.index("\n---\n", 4) + len("\n---\n")
        readme = readme[end:]
    return matter + readme


FOLDS_FILE = DATA_DIR / "folds.json"


def folds_json(gold: list[Annotation]) -> str:
    """``data/folds.json``: the leave-one-document-out folds the learned baselines use.

    Fold ``i`` holds out the ``i``-th gold document (gold order) and trains on all the
    others; report the micro average over the held-out documents (sum the counts of the
    five held-out predictions, then score), as ``iraq-attacks baselines`` does.
    """
    ids = [a.doc_id for a in gold]
    folds = [{"fold": i, "train": [d for d in ids if d != held_out], "test": [held_out]}
             for i, held_out in enumerate(ids)]
    body = {"description": "Leave-one-document-out cross-validation folds, as the learned baselines use them: "
                           "fit on `train`, predict `test`, then score all held-out predictions together "
                           "against the gold (micro average over documents).",
            "unit": "document", "documents": ids, "folds": folds}
    return json.dumps(body, indent=1, ensure_ascii=False) + "\n"


def build_outputs(export: Path = LABELSTUDIO_EXPORT_FILE, incidents: Path | None = INCIDENTS_FILE) -> dict[Path, str]:
    """Every generated file's path and content (the ``incidents`` config when ``incidents`` exists)."""
    schema = load_schema()
    gold = read_gold_export(export)
    outputs = {GOLD_FILE: format_jsonl(gold), LABEL_CONFIG_FILE: label_config(schema)}
    config_rows = rows(gold, schema)
    feats = features(schema)
    if incidents is not None and Path(incidents).exists():
        config_rows[INCIDENTS_CONFIG] = incident_rows(read_incident_records(incidents, gold, schema, complete=True), schema)
    data_files = {name: "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in found)
                  for name, found in config_rows.items()}
    num_bytes = {name: arrow_bytes(found, feats[name]) for name, found in config_rows.items()}
    for name, content in data_files.items():
        outputs[DATA_DIR / name / f"{SPLIT}.jsonl"] = content
    outputs[FOLDS_FILE] = folds_json(gold)
    readme = README_FILE.read_text(encoding="utf-8") if README_FILE.exists() else ""
    outputs[README_FILE] = _readme_with_front_matter(readme, front_matter(schema, data_files, num_bytes))
    return outputs


def stale_files(outputs: dict[Path, str]) -> list[Path]:
    """The generated files whose committed content differs from a fresh build."""
    return [path for path, text in outputs.items()
            if not path.exists() or path.read_text(encoding="utf-8") != text]


def write_outputs(outputs: dict[Path, str]) -> list[Path]:
    """Write the changed files atomically; return them."""
    changed = stale_files(outputs)
    for path in changed:
        write_text_atomic(path, outputs[path])
    return changed


def check_fresh() -> None:
    """Raise ``SubmissionError`` naming every stale generated file."""
    stale = stale_files(build_outputs())
    if stale:
        raise SubmissionError([Problem("generated file is stale; run `iraq-attacks build`", file=str(p.relative_to(ROOT)))
                               for p in stale])
