"""The shipped corpus: the five article texts and their metadata, checksums verified.

Text is read as UTF-8 without newline translation, so offsets are code points into the
file exactly as stored.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path

from benchmark.errors import CorpusError, Problem
from benchmark.model import Document
from benchmark.paths import CORPUS_DIR


def read_corpus(corpus_dir: Path = CORPUS_DIR) -> dict[str, Document]:
    """Read every document listed in ``metadata.jsonl``; fail on any checksum mismatch."""
    corpus_dir = Path(corpus_dir)
    metadata_file = corpus_dir / "metadata.jsonl"
    documents: dict[str, Document] = {}
    problems: list[Problem] = []
    for line_no, line in enumerate(metadata_file.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        meta = json.loads(line)
        doc_id = meta["id"]
        text_file = corpus_dir / f"{doc_id}.txt"
        if not text_file.is_file():
            problems.append(Problem(f"text file {text_file} is missing", file=str(metadata_file),
                                    line=line_no, document=doc_id))
            continue
        raw = text_file.read_bytes()
        digest = hashlib.sha256(raw).hexdigest()
        if digest != meta["sha256"]:
            problems.append(Problem(f"SHA-256 of {text_file.name} is {digest}, metadata records "
                                    f"{meta['sha256']}: the text changed; restore it from the seeds",
                                    file=str(metadata_file), line=line_no, document=doc_id, field="sha256"))
            continue
        metadata = tuple((k, v) for k, v in meta.items() if k != "id")
        documents[doc_id] = Document(doc_id, raw.decode("utf-8"), metadata)
    if problems:
        raise CorpusError(problems)
    return documents


@cache
def shipped_corpus() -> dict[str, Document]:
    """The shipped corpus, read once per process."""
    return read_corpus()
