"""Leave-one-document-out cross-validation for learned extractors.

For each gold document in turn, a fresh extractor (from ``make``) is fitted on the
*other* documents' gold annotations and predicts the held-out document from its text
alone (a ``Document`` without annotations). A document's own annotations are never
seen by the model that predicts it. Predictions come out in gold order; offsets are
half-open ``[start, end)`` code points. Extractors are deterministic (fixed seeds), so
the result is the same on every run.
"""

from __future__ import annotations

from typing import Callable, Iterator, Mapping, Sequence

from tqdm import tqdm

from benchmark.model import Annotation, Document

from baselines.common.base import Extractor, Learned


def text_only(annotation: Annotation, corpus: Mapping[str, Document] | None = None) -> Document:
    """The held-out document as the extractor may see it: id, text and metadata, no annotations."""
    if corpus is not None and annotation.doc_id in corpus:
        return corpus[annotation.doc_id]
    if annotation.document is None:
        raise ValueError(f"gold for {annotation.doc_id} carries no text and the corpus lacks it")
    document = annotation.document
    return Document(document.id, document.text, document.metadata)


def folds(gold: Sequence[Annotation]) -> Iterator[tuple[list[Annotation], Annotation]]:
    """``(train, held_out)`` pairs: each document held out once, trained on all the others."""
    for held_out in gold:
        yield [a for a in gold if a.doc_id != held_out.doc_id], held_out


def leave_one_out(make: Callable[[], Learned], gold: Sequence[Annotation],
                  corpus: Mapping[str, Document] | None = None, progress: bool = False,
                  desc: str | None = None) -> Iterator[Annotation]:
    """Predictions for every gold document, each by a model fitted without it."""
    pairs = folds(gold)
    if progress:
        pairs = tqdm(pairs, total=len(gold), desc=desc or "folds", unit="fold", leave=False)
    for train, held_out in pairs:
        model = make().fit(train)
        yield from model.extract([text_only(held_out, corpus)])


def predict(make: Callable[[], Extractor], gold: Sequence[Annotation],
            corpus: Mapping[str, Document] | None = None, progress: bool = False,
            desc: str | None = None) -> list[Annotation]:
    """Predictions for the gold documents: leave-one-out when learned, a single pass otherwise."""
    probe = make()
    if isinstance(probe, Learned) and hasattr(probe, "fit"):
        return list(leave_one_out(make, gold, corpus, progress, desc))
    documents = [text_only(a, corpus) for a in gold]
    if progress:
        documents = tqdm(documents, desc=desc or "documents", unit="doc", leave=False)
    return list(probe.extract(documents))
