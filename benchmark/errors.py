"""One root exception and the problem record every check reports.

A ``Problem`` names where something is wrong (file, line, document, item, field) and
what is wrong. Checks collect every problem, then raise once with all of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with an input, and where."""

    message: str
    file: str | None = None
    line: int | None = None
    document: str | None = None
    item: str | None = None
    field: str | None = None

    def __str__(self) -> str:
        # Parts echo user text (ids, labels, values): each is cut to a sane length, so that a
        # 1 MB label gives a line, not a megabyte.
        where = ":".join(_cut(str(p), MAX_PART_CHARS) for p in (self.file, self.line) if p is not None)
        parts = [f"document {_cut(self.document, MAX_PART_CHARS)}" if self.document else "",
                 f"item {_cut(self.item, MAX_PART_CHARS)}" if self.item else "",
                 f"field {_cut(self.field, MAX_PART_CHARS)}" if self.field else ""]
        context = ", ".join(p for p in parts if p)
        head = ": ".join(p for p in (where, context) if p)
        message = _cut(self.message, MAX_MESSAGE_CHARS)
        return f"{head}: {message}" if head else message


MAX_PART_CHARS = 200
MAX_MESSAGE_CHARS = 600


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "\u2026"


class BenchmarkError(Exception):
    """Root of every error this package raises on bad input."""

    def __init__(self, problems: Iterable[Problem] | str) -> None:
        self.problems = (Problem(problems),) if isinstance(problems, str) else tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class SchemaError(BenchmarkError):
    """A label, role, type or attribute that the schema does not allow."""


class SubmissionError(BenchmarkError):
    """A prediction or gold file that cannot be read or breaks the SPEC."""


class CorpusError(BenchmarkError):
    """The shipped corpus does not match its recorded checksums or metadata."""


def raise_if_any(problems: list[Problem], error: type[BenchmarkError] = SubmissionError) -> None:
    """Raise ``error`` carrying every problem, if there is at least one."""
    if problems:
        raise error(problems)
