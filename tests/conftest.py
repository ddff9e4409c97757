"""Shared fixtures: the shipped corpus and small annotations built from exact strings."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmark.corpus import shipped_corpus
from benchmark.model import Document, Span

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
