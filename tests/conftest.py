"""Shared fixtures: the shipped corpus, small annotations built from exact strings, and one
run of the baselines per test session.

Hypothesis runs its full profile (``ci``: 150 examples a property) when the environment
sets ``CI`` (``.ci/run`` does), and a lighter one (``dev``: 40 examples) otherwise.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import settings

from benchmark.corpus import shipped_corpus
from benchmark.model import Document, Span
from benchmark.paths import ROOT

settings.register_profile("ci", max_examples=150, deadline=None)
settings.register_profile("dev", max_examples=40, deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")

DOC_ID = "000_02c939618ce97b94"


@pytest.fixture(scope="session")
def corpus() -> dict[str, Document]:
    return shipped_corpus()


@pytest.fixture(scope="session")
def doc(corpus) -> Document:
    return corpus[DOC_ID]


def find(text: str, needle: str, after: str | None = None) -> Span:
    """The span of ``needle`` in ``text`` (after the first occurrence of ``after``): offsets from strings."""
    start = text.index(needle, text.index(after) if after else 0)
    return Span(start, start + len(needle))


def write_lines(path: Path, records: list) -> Path:
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in records), encoding="utf-8")
    return path


def cli(*args: str, **kwargs) -> subprocess.CompletedProcess:
    """``python -m benchmark ARGS`` with this interpreter, from the project root (never PATH)."""
    return subprocess.run([sys.executable, "-m", "benchmark", *args], cwd=kwargs.pop("cwd", ROOT),
                          capture_output=True, text=True, **kwargs)


@pytest.fixture(scope="session")
def baselines_run(tmp_path_factory) -> tuple[str, Path]:
    """``baselines all`` run once for the whole session: (what it printed, its output folder)."""
    out = tmp_path_factory.mktemp("baselines")
    result = cli("baselines", "all", "--out-dir", str(out))
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout, out
