"""IOB2 over the benchmark's tokens, and CoNLL-style files.

Conversion between labelled character spans (half-open code-point offsets) and IOB2
tags is exact in both directions for spans that start and end on token boundaries; a
span that does not is reported, never silently moved. Token indices exist only in here,
as ``token_start`` / ``token_end``.

File format: one token per line, ``TOKEN<TAB>TAG`` with an optional third column of
trigger tags (``B-ATTACK``), a blank line between sentences, documents in the
benchmark's order; ``-DOCSTART-`` lines and comment lines are ignored. A comment starts
with ``#``; a line that starts with ``#`` but ends in a tag (``O``, ``B-X``, ``I-X``) after
a tab or space is the row of a token ``#`` (``#\tO``), not a comment.

The CoNLL-2003 layout (``to_conll(..., layout="conll2003")``), for tools that read that shared task's files
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
from benchmark.files import read_input_bytes, write_text_atomic
from benchmark.model import Annotation, Document, Entity, Event, Span
from benchmark.schema import Schema, load_schema
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


REPAIRS = ("conlleval", "discard")
_REPAIR_HINT = ("; fix the tags, or give --repair conlleval (the tag starts a new span) or --repair discard "
                "(its tokens are dropped)")


def check_iob2(previous: str, tag: str, labels: Iterable[str] | None = None) -> str | None:
    """What is wrong with ``tag`` after ``previous`` in strict IOB2, or None.

    With ``labels``, a label outside them is wrong too.
    """
    if tag == OUTSIDE:
        return None
    if len(tag) < 3 or tag[:2] not in ("B-", "I-"):
        return f"tag {tag[:60]!r} is not O, B-LABEL or I-LABEL"
    if labels is not None and tag[2:] not in labels:
        return f"tag {tag[:60]!r}: label {tag[2:][:40]!r} is not in the schema (allowed: {', '.join(labels)})"
    if tag.startswith("I-") and previous[2:] != tag[2:]:
        return f"tag {tag!r} follows {previous!r}: in IOB2 an I- tag must continue a span of the same label"
    return None


def repair_iob2(tags: Sequence[str], repair: str) -> list[str]:
    """``tags`` with every stray ``I-`` (one that continues no span of its label) repaired.

    ``conlleval``: it starts a new span (becomes ``B-``), as conlleval and seqeval's
    default mode read it. ``discard``: it and the ``I-`` tags of its label that follow it
    become ``O``, as seqeval's strict IOB2 mode drops them.
    """
    out: list[str] = []
    dropping = None
    for tag in tags:
        previous = out[-1] if out else OUTSIDE
        if tag.startswith("I-") and dropping == tag[2:]:
            tag = OUTSIDE
        elif tag.startswith("I-") and previous[2:] != tag[2:]:
            if repair == "conlleval":
                tag = "B-" + tag[2:]
            else:
                dropping, tag = tag[2:], OUTSIDE
        else:
            dropping = None
        out.append(tag)
    return out


DOCSTART = "-DOCSTART- -X- O O"
LAYOUTS = ("benchmark", "conll2003")


def to_conll(documents: Sequence[Document], annotations: Sequence[Annotation], layout: str = "benchmark") -> str:
    """CoNLL text over the benchmark tokens: the benchmark's layout (``# doc_id`` comment,
    ``TOKEN<TAB>TAG<TAB>TRIGGER_TAG``) or CoNLL-2003's (``-DOCSTART-``, ``TOKEN TAG``, entities only)."""
    if layout not in LAYOUTS:
        raise ValueError(f"unknown CoNLL layout {layout!r}; the layouts are {', '.join(LAYOUTS)}")
    by_id = {a.doc_id: a for a in annotations}
    problems: list[Problem] = []
    lines = []
    for document in documents:
        annotation = by_id.get(document.id, Annotation(document.id))
        entities = [Labelled(e.span, e.label) for e in annotation.entities]
        triggers = [Labelled(e.trigger, e.event_type) for e in annotation.events]
        lines += [f"# doc_id = {document.id}"] if layout == "benchmark" else [DOCSTART, ""]
        for sentence in sentences_of(document):
            inside = lambda items: [i for i in items if sentence.span.start <= i.span.start < sentence.span.end]
            entity_tags = to_iob2(sentence, inside(entities), problems, document.id)
            if layout == "benchmark":
                trigger_tags = to_iob2(sentence, inside(triggers), problems, document.id)
                lines += [f"{token.text_in(document.text)}\t{tag}\t{trigger}"
                          for token, tag, trigger in zip(sentence.tokens, entity_tags, trigger_tags)]
            for token, tag in zip(sentence.tokens, entity_tags) if layout == "conll2003" else ():
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
    write_text_atomic(path, to_conll(documents, annotations, layout))


def _is_comment(line: str) -> bool:
    """A line starting with ``#`` that is not a token row: its last field is not a tag."""
    if not line.startswith("#"):
        return False
    fields = line.split("\t") if "\t" in line else line.split()
    return len(fields) < 2 or not (fields[-1] == "O" or fields[-1][:2] in ("B-", "I-"))


def parse_conll(data: bytes, file: str, documents: Sequence[Document], schema: Schema | None = None,
                repair: str | None = None) -> list[Annotation]:
    """Annotations (entities, and triggers as argument-less events) of CoNLL IOB2 ``data``.

    Tokens must equal the benchmark's tokens of ``documents`` in order. Every mismatch,
    tag whose label is not in the schema (entity labels in the second column, event
    types in the third), stray ``I-`` (unless ``repair`` is ``conlleval`` or
    ``discard``, see ``repair_iob2``), undecodable line or sentence-length difference is
    reported with its line; then ``SubmissionError`` is raised with all of them.
    """
    schema = schema or load_schema()
    if repair is not None and repair not in REPAIRS:
        raise SubmissionError([Problem(f"unknown repair {repair!r}; choose one of {', '.join(REPAIRS)}",
                                       field="--repair")])
    problems: list[Problem] = []
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    rows = []
    for line_no, raw in enumerate(data.split(b"\n"), 1):
        try:
            line = raw.decode("utf-8").rstrip("\r")
        except UnicodeDecodeError as error:
            problems.append(Problem(f"the line is not valid UTF-8 ({error.reason} at byte {error.start + 1})",
                                    file=file, line=line_no))
            continue
        if _is_comment(line) or line.startswith("-DOCSTART-"):
            continue
        rows.append((line_no, line))
    if problems:
        raise SubmissionError(problems)
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
    label_sets = (schema.label_names, schema.event_type_names)
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
                shown = fields[0][:60] if fields else ""
                problems.append(Problem(f"token {shown!r} does not match the benchmark token {expected_text!r}",
                                        line=line_no, **where))
                ok = False
                continue
            for n, (column, tag) in enumerate(zip(columns, (fields[1], fields[2] if len(fields) > 2 else OUTSIDE))):
                problem = check_iob2(column[-1] if column else OUTSIDE, tag, label_sets[n])
                stray = problem is not None and tag.startswith("I-") and tag[2:] in label_sets[n]
                if problem and not (stray and repair):
                    problems.append(Problem(problem + (_REPAIR_HINT if stray else ""), line=line_no, **where,
                                            field="entity tag" if n == 0 else "trigger tag"))
                    ok = False
                column.append(tag)
        if not ok:
            continue
        if repair:
            columns = [repair_iob2(column, repair) for column in columns]
        entities, events = annotations[document.id]
        entities += [Entity(i.span, i.label) for i in from_iob2(sentence, columns[0])]
        events += [Event(i.label, i.span) for i in from_iob2(sentence, columns[1])]
    if problems:
        raise SubmissionError(problems)
    return [Annotation(doc_id, tuple(ents), tuple(evs)) for doc_id, (ents, evs) in annotations.items()]


def read_conll(path: str | Path, documents: Sequence[Document], schema: Schema | None = None,
               repair: str | None = None) -> list[Annotation]:
    """``parse_conll`` of the file at ``path`` (read once; see ``benchmark.files.read_input_bytes``)."""
    return parse_conll(read_input_bytes(path), str(path), documents, schema, repair)
