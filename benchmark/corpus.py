"""The shipped corpus: the five article texts and their metadata, checksums verified.

Text is read as UTF-8 without newline translation, so offsets are code points into the
file exactly as stored.
"""

from __future__ import annotations

import hashlib
import json
import re
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
    try:
        lines = metadata_file.read_bytes().decode("utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise CorpusError([Problem(f"cannot read the corpus metadata: {error}", file=str(metadata_file))]) from None
    for line_no, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            meta = json.loads(line)
            doc_id, _ = meta["id"], meta["sha256"]
            if not isinstance(doc_id, str) or not isinstance(meta["sha256"], str):
                raise TypeError("id and sha256 must be strings")
        except (ValueError, RecursionError, KeyError, TypeError) as error:
            problems.append(Problem(f"not a metadata record with a string id and sha256 "
                                    f"({type(error).__name__}: {str(error)[:100]})", file=str(metadata_file),
                                    line=line_no))
            continue
        if not re.fullmatch(r"[A-Za-z0-9_.-]{1,128}", doc_id) or ".." in doc_id:
            problems.append(Problem(f"document id {doc_id[:80]!r} is not a safe file stem", file=str(metadata_file),
                                    line=line_no, field="id"))
            continue
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
