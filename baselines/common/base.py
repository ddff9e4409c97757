"""The common interface of every baseline extractor.

An extractor turns a ``Document`` into an ``Annotation`` of predictions in the spine's
types (``benchmark.model``); offsets are half-open ``[start, end)`` code-point indices
into ``Document.text``. ``extract`` streams: it takes any iterable of documents and
yields one annotation per document, in order, holding at most one document at a time.
A learned extractor is first fitted on gold annotations with ``fit``; it must never see
the annotations of a document it is asked to predict (``baselines.common.crossval`` sees to
that).
"""

from __future__ import annotations

from typing import Iterable, Iterator, Protocol, Sequence, runtime_checkable

from benchmark.model import Annotation, Document


@runtime_checkable
class Extractor(Protocol):
    """Anything with ``name`` and a streaming ``extract``."""

    name: str

    def extract(self, documents: Iterable[Document]) -> Iterator[Annotation]:
        """One prediction per document, in input order (offsets: half-open code points)."""
        ...


@runtime_checkable
class Learned(Extractor, Protocol):
    """An extractor that learns from gold annotations."""

    def fit(self, train: Sequence[Annotation]) -> Learned:
        """Learn from ``train`` (gold annotations carrying ``.document``); returns self."""
        ...


class PerDocument:
    """Base class: ``extract`` maps ``extract_one`` over the documents lazily."""

    name = "base"

    def extract_one(self, document: Document) -> Annotation:  # pragma: no cover - abstract
        raise NotImplementedError

    def extract(self, documents: Iterable[Document]) -> Iterator[Annotation]:
        for document in documents:
            yield self.extract_one(document)
