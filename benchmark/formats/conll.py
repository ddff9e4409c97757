"""IOB2 over the benchmark's tokens, and CoNLL-style files.

Conversion between labelled character spans (half-open code-point offsets) and IOB2
tags is exact in both directions for spans that start and end on token boundaries; a
span that does not is reported, never silently moved. Token indices exist only in here,
as ``token_start`` / ``token_end``.

File format: one token per line, ``TOKEN<TAB>TAG`` with an optional third column of
trigger tags (``B-ATTACK``), a blank line between sentences, documents in the
benchmark's order; lines starting with ``#`` and ``-DOCSTART-`` lines are ignored.

The CoNLL-2003 layout (``to_conll2003``), for tools that read that shared task's files
(``spacy convert --converter ner``, seqeval-based scripts): ``TOKEN TAG`` separated by a
space, the NER tag in the last column, the line ``-DOCSTART- -X- O O`` and a blank line
before each document, a blank line between sentences, no comment lines. It carries the
entities only (no trigger column), and ``read_conll`` reads it back.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

from benchmark.errors import Problem, SubmissionError
from benchmark.files import write_text_atomic
from benchmark.model import Annotation, Document, Entity, Event, Span
from benchmark.tokens import Sentence, sentences_of

OUTSIDE = "O"


@dataclass(frozen=True, slots=True)
class Labelled:
    """A labelled character span, the unit IOB2 carries (an entity or a trigger)."""

    span: Span
    label: str


def _boundaries(sentence: Sentence) -> tuple[dict[int, int], dict[int, int]]:
    starts = {t.start: i for i, t in enumerate(sentence.tokens)}
    ends = {t.end: i + 1 for i, t in enumerate(sentence.tokens)}
    return starts, ends


def to_iob2(sentence: Sentence, items: Iterable[Labelled], problems: list[Problem],
            document: str | None = None) -> list[str]:
    """IOB2 tags of ``sentence`` for the items inside it; misaligned or overlapping items are reported."""
    tags = [OUTSIDE] * len(sentence.tokens)
    starts, ends = _boundaries(sentence)
    for item in sorted(items, key=lambda i: (i.span.start, i.span.end)):
        token_start, token_end = starts.get(item.span.start), ends.get(item.span.end)
        if token_start is None or token_end is None:
            problems.append(Problem(f"span [{item.span.start}, {item.span.end}) does not start and end on token "
                                    "boundaries of the benchmark tokenisation", document=document,
                                    item=f"{item.label} [{item.span.start}, {item.span.end})"))
            continue
        if any(tag != OUTSIDE for tag in tags[token_start:token_end]):
            problems.append(Problem("span overlaps another span; IOB2 cannot hold both", document=document,
                                    item=f"{item.label} [{item.span.start}, {item.span.end})"))
            continue
        tags[token_start] = f"B-{item.label}"
        for index in range(token_start + 1, token_end):
            tags[index] = f"I-{item.label}"
    return tags


def from_iob2(sentence: Sentence, tags: Sequence[str]) -> list[Labelled]:
    """Labelled spans of valid IOB2 ``tags`` over ``sentence`` (see ``check_iob2``)."""
    items, token_start, label = [], None, None
    for index, tag in enumerate([*tags, OUTSIDE]):
        if token_start is not None and not (tag.startswith("I-") and tag[2:] == label):
            items.append(Labelled(Span(sentence.tokens[token_start].start, sentence.tokens[index - 1].end), label))
            token_start = None
        if tag.startswith("B-"):
            token_start, label = index, tag[2:]
    return items


def check_iob2(previous: str, tag: str) -> str | None:
    """What is wrong with ``tag`` after ``previous`` in strict IOB2, or None."""
    if tag == OUTSIDE:
        return None
    if len(tag) < 3 or tag[:2] not in ("B-", "I-"):
        return f"tag {tag!r} is not O, B-LABEL or I-LABEL"
    if tag.startswith("I-") and previous[2:] != tag[2:]:
        return f"tag {tag!r} follows {previous!r}: in IOB2 an I- tag must continue a span of the same label"
    return None


def to_conll(documents: Sequence[Document], annotations: Sequence[Annotation]) -> str:
    """CoNLL text of entity tags and trigger tags over the benchmark tokens."""
    by_id = {a.doc_id: a for a in annotations}
    problems: list[Problem] = []
    lines = []
    for document in documents:
        annotation = by_id.get(document.id, Annotation(document.id))
        entities = [Labelled(e.span, e.label) for e in annotation.entities]
        triggers = [Labelled(e.trigger, e.event_type) for e in annotation.events]
        lines.append(f"# doc_id = {document.id}")
        for sentence in sentences_of(document):
            inside = lambda items: [i for i in items if sentence.span.start <= i.span.start < sentence.span.end]
            entity_tags = to_iob2(sentence, inside(entities), problems, document.id)
            trigger_tags = to_iob2(sentence, inside(triggers), problems, document.id)
            for token, tag, trigger in zip(sentence.tokens, entity_tags, trigger_tags):
                lines.append(f"{token.text_in(document.text)}\t{tag}\t{trigger}")
            lines.append("")
    if problems:
        raise SubmissionError(problems)
    return "\n".join(lines) + "\n"


DOCSTART = "-DOCSTART- -X- O O"
LAYOUTS = ("benchmark", "conll2003")


def to_conll2003(documents: Sequence[Document], annotations: Sequence[Annotation]) -> str:
    """CoNLL-2003 text of the entity tags over the benchmark tokens (see the module docstring)."""
    by_id = {a.doc_id: a for a in annotations}
    problems: list[Problem] = []
    lines = []
    for document in documents:
        annotation = by_id.get(document.id, Annotation(document.id))
        entities = [Labelled(e.span, e.label) for e in annotation.entities]
        lines += [DOCSTART, ""]
        for sentence in sentences_of(document):
            inside = [i for i in entities if sentence.span.start <= i.span.start < sentence.span.end]
            for token, tag in zip(sentence.tokens, to_iob2(sentence, inside, problems, document.id)):
                text = token.text_in(document.text)
                if not text or any(c.isspace() for c in text):
                    problems.append(Problem(f"token {text!r} holds white space: a CoNLL-2003 column cannot",
                                            document=document.id, item=f"token [{token.start}, {token.end})"))
                lines.append(f"{text} {tag}")
            lines.append("")
    if problems:
        raise SubmissionError(problems)
    return "\n".join(lines) + "\n"


def write_conll(path: str | Path, documents: Sequence[Document], annotations: Sequence[Annotation],
                layout: str = "benchmark") -> None:
    """Write the benchmark's own layout (the default; what submissions use) or ``conll2003``."""
    if layout not in LAYOUTS:
        raise ValueError(f"unknown CoNLL layout {layout!r}; the layouts are {', '.join(LAYOUTS)}")
    write_text_atomic(path, (to_conll if layout == "benchmark" else to_conll2003)(documents, annotations))


def read_conll(path: str | Path, documents: Sequence[Document]) -> list[Annotation]:
    """Annotations (entities, and triggers as argument-less events) of a CoNLL IOB2 file.

    Tokens must equal the benchmark's tokens of ``documents`` in order; every mismatch,
    invalid tag or sentence-length difference is reported with its line.
    """
    file = str(path)
    problems: list[Problem] = []
    rows = []
    for line_no, raw in enumerate(Path(path).read_text(encoding="utf-8").split("\n"), 1):
        line = raw.rstrip("\r")
        if line.startswith("#") or line.startswith("-DOCSTART-"):
            continue
        rows.append((line_no, line))
    expected = [(d, s) for d in documents for s in sentences_of(d)]
    groups: list[list[tuple[int, list[str]]]] = [[]]
    for line_no, line in rows:
        if not line.strip():
            if groups[-1]:
                groups.append([])
            continue
        groups[-1].append((line_no, line.split("\t") if "\t" in line else line.split()))
    groups = [g for g in groups if g]
    if len(groups) != len(expected):
        problems.append(Problem(f"the file has {len(groups)} sentences; the benchmark tokenisation of "
                                f"{len(documents)} documents has {len(expected)}", file=file))
    annotations: dict[str, tuple[list[Entity], list[Event]]] = {d.id: ([], []) for d in documents}
    for group, (document, sentence) in zip(groups, expected):
        where = dict(file=file, document=document.id)
        if len(group) != len(sentence.tokens):
            problems.append(Problem(f"sentence has {len(group)} tokens, expected {len(sentence.tokens)}",
                                    line=group[0][0], **where))
            continue
        columns: list[list[str]] = [[], []]
        ok = True
        for token, (line_no, fields) in zip(sentence.tokens, group):
            expected_text = token.text_in(document.text)
            if len(fields) < 2 or fields[0] != expected_text:
                problems.append(Problem(f"token {fields[0] if fields else ''!r} does not match the benchmark token "
                                        f"{expected_text!r}", line=line_no, **where))
                ok = False
                continue
            for column, tag in zip(columns, (fields[1], fields[2] if len(fields) > 2 else OUTSIDE)):
                problem = check_iob2(column[-1] if column else OUTSIDE, tag)
                if problem:
                    problems.append(Problem(problem, line=line_no, **where, field="tag"))
                    ok = False
                column.append(tag)
        if not ok:
            continue
        entities, events = annotations[document.id]
        entities += [Entity(i.span, i.label) for i in from_iob2(sentence, columns[0])]
        events += [Event(i.label, i.span) for i in from_iob2(sentence, columns[1])]
    if problems:
        raise SubmissionError(problems)
    return [Annotation(doc_id, tuple(ents), tuple(evs)) for doc_id, (ents, evs) in annotations.items()]
