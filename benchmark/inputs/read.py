"""Read, validate and score a prediction file against a gold file.

A prediction file is SPEC JSON Lines, or CoNLL-style IOB2 over the benchmark's tokens
(``TOKEN<TAB>TAG[<TAB>TRIGGER_TAG]``, blank line between sentences, documents in gold
order), told apart by content. Every error of SPEC section 2 stops with all problems
(file, line, document, field) before anything is scored. Offsets are half-open
code-point offsets into the gold text.
"""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

from benchmark.formats.conll import read_conll
from benchmark.errors import Problem, SubmissionError, raise_if_any
from benchmark.formats.jsonl import iter_annotations, read_annotations
from benchmark.model import Annotation, Document
from benchmark.paths import GOLD_FILE
from benchmark.inputs.validate import validate_annotations, validate_file


def gold_documents(gold: Sequence[Annotation]) -> dict[str, Document]:
    """The documents (text and metadata) a gold file carries, by id."""
    return {a.doc_id: a.document for a in gold if a.document is not None}


def read_gold(path: str | Path = GOLD_FILE) -> list[Annotation]:
    """A gold file (SPEC JSONL with text), validated against every gold rule of the SPEC."""
    problems: list[Problem] = []
    records = list(iter_annotations(path, problems))
    documents = {a.doc_id: a.document for _, a in records if a.document is not None}
    for line, annotation in records:
        if annotation.document is None:
            problems.append(Problem("a gold line needs the document text", str(path), line, annotation.doc_id,
                                    field="text"))
    problems += validate_annotations(records, documents, gold=True, file=str(path))
    raise_if_any(problems)
    return [a for _, a in records]


def is_conll(path: str | Path) -> bool:
    """True when the first meaningful line is not a JSON object (so it is CoNLL IOB2)."""
    with open(path, encoding="utf-8", errors="replace") as handle:
        for line in handle:
            stripped = line.strip()
            if stripped and not stripped.startswith("#") and not stripped.startswith("-DOCSTART-"):
                return not stripped.startswith("{")
    return False


def read_predictions(path: str | Path, gold: Sequence[Annotation]) -> list[Annotation]:
    """Predictions of a SPEC JSONL or IOB2 file, validated against the gold documents.

    Raises ``SubmissionError`` with every problem; nothing is returned half-read.
    """
    documents = gold_documents(gold)
    if is_conll(path):
        return read_conll(path, [documents[a.doc_id] for a in gold])
    problems = validate_file(path, documents, gold=False)
    raise_if_any(problems, SubmissionError)
    return read_annotations(path)
