"""Where the shipped files live.

The package is installed editable from the repository (see README), so the data sit
next to it; ``IRAQ_ATTACKS_ROOT`` points elsewhere, e.g. at a copy of the repository.
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(os.environ.get("IRAQ_ATTACKS_ROOT") or Path(__file__).resolve().parent.parent)
CORPUS_DIR = ROOT / "corpus"
METADATA_FILE = CORPUS_DIR / "metadata.jsonl"
ANNOTATIONS_DIR = ROOT / "annotations"
SCHEMA_FILE = ANNOTATIONS_DIR / "schema.json"
LABEL_CONFIG_FILE = ANNOTATIONS_DIR / "label_config.xml"
LABELSTUDIO_EXPORT_FILE = ANNOTATIONS_DIR / "labelstudio_export.json"
GOLD_FILE = ANNOTATIONS_DIR / "gold.jsonl"
INCIDENTS_FILE = ANNOTATIONS_DIR / "incidents.jsonl"  # the gold records (SPEC 1.3)
DATA_DIR = ROOT / "data"
DOCS_DIR = ROOT / "docs"
STATS_FIGURE = DOCS_DIR / "label_distribution.png"
DOCUMENTED_FILES = [ROOT / "README.md", ROOT / "DATASHEET.md"]
AGREEMENT_FILE = ANNOTATIONS_DIR / "AGREEMENT.md"


def cache_dir() -> Path:
    """Where derived data (token boundaries, validated gold digests, label-studio-sdk's rules) is cached:
    ``IRAQ_ATTACKS_CACHE``, else ``$XDG_CACHE_HOME/iraq-attacks``, else ``~/.cache/iraq-attacks``.
    Everything in it can be deleted at any time."""
    explicit = os.environ.get("IRAQ_ATTACKS_CACHE")
    if explicit:
        return Path(explicit)
    # os.path rather than Path.home(): the token cache asks for this once per document
    return Path(os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "iraq-attacks")
CANONICAL_NAMES_FILE = ANNOTATIONS_DIR / "canonical_names.json"
