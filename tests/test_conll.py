"""IOB2 over the benchmark tokens: exact both ways for aligned spans, errors otherwise."""

from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from benchmark.formats.conll import Labelled, check_iob2, from_iob2, read_conll, to_conll, to_iob2
from benchmark.errors import SubmissionError
from benchmark.model import Annotation, Entity, Event, Span
from benchmark.tokens import segment_text, sentences_of

TEXT = "14 rockets were fired at the airbase in Erbil ."


def test_to_and_from_iob2_by_hand():
    sentence = segment_text(TEXT)[0]
    items = [Labelled(Span(0, 10), "WEAPON"), Labelled(Span(29, 36), "LOCATION"), Labelled(Span(40, 45), "LOCATION")]
    tags = to_iob2(sentence, items, [])
    assert tags == ["B-WEAPON", "I-WEAPON", "O", "O", "O", "O", "B-LOCATION", "O", "B-LOCATION", "O"]
    assert from_iob2(sentence, tags) == items


def test_misaligned_span_is_reported_not_moved():
    sentence = segment_text(TEXT)[0]
    problems = []
    assert to_iob2(sentence, [Labelled(Span(4, 10), "WEAPON")], problems, "d1") == ["O"] * 10
    assert "does not start and end on token boundaries" in str(problems[0])
    assert problems[0].document == "d1" and problems[0].item == "WEAPON [4, 10)"


def test_strict_iob2_transitions():
    assert check_iob2("O", "I-ACTOR") and check_iob2("B-WEAPON", "I-ACTOR") and check_iob2("O", "X-ACTOR")
    assert check_iob2("B-ACTOR", "I-ACTOR") is None and check_iob2("I-ACTOR", "B-ACTOR") is None


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 9), st.integers(1, 3), st.sampled_from(["ACTOR", "WEAPON"])), max_size=5))
def test_round_trip_is_exact_for_token_aligned_spans(raw):
    sentence = segment_text(TEXT)[0]
    tokens, used, items = sentence.tokens, set(), []
    for first, length, label in raw:
        last = min(first + length, len(tokens)) - 1
        if used & set(range(first, last + 1)):
            continue
        used |= set(range(first, last + 1))
        items.append(Labelled(Span(tokens[first].start, tokens[last].end), label))
    tags = to_iob2(sentence, items, [])
    assert sorted(from_iob2(sentence, tags), key=lambda i: i.span) == sorted(items, key=lambda i: i.span)


def test_conll_file_round_trip_and_token_mismatch_names_the_line(tmp_path, corpus):
    documents = list(corpus.values())
    doc = documents[0]
    first = sentences_of(doc)[0]
    annotation = Annotation(doc.id, (Entity(first.tokens[4], "ACTOR"),), (Event("ATTACK", first.tokens[-3]),))
    text = to_conll(documents, [annotation])
    path = tmp_path / "pred.conll"
    path.write_text(text, encoding="utf-8")
    read = {a.doc_id: a for a in read_conll(path, documents)}
    assert read[doc.id] == annotation and len(read) == 5
    lines = text.split("\n")
    lines[3] = "Tehran\tO\tO"
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(SubmissionError) as error:
        read_conll(path, documents)
    assert f"{path}:4: document {doc.id}: token 'Tehran' does not match the benchmark token" in str(error.value)


def test_invalid_tag_sequence_names_the_line(tmp_path, corpus):
    documents = list(corpus.values())
    lines = to_conll(documents, []).split("\n")
    token = lines[1].split("\t")[0]
    lines[1] = f"{token}\tI-ACTOR\tO"
    path = tmp_path / "pred.conll"
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(SubmissionError) as error:
        read_conll(path, documents)
    assert f"{path}:2:" in str(error.value) and "I- tag must continue" in str(error.value)


def test_conll2003_layout_is_read_by_spacy_convert_and_seqeval(tmp_path):
    """The CoNLL-2003 export: -DOCSTART- per document, no comments, the NER tag last; spaCy's
    ``ner`` converter and seqeval read back exactly the gold entities."""
    import subprocess
    import sys

    from seqeval.metrics.sequence_labeling import get_entities
    from spacy.tokens import DocBin
    from spacy.vocab import Vocab

    from benchmark.cli import main
    from benchmark.inputs.read import read_gold

    gold = read_gold()
    path = tmp_path / "gold.conll"
    assert main(["export", "--format", "conll", "--layout", "conll2003", "--out", str(path)]) == 0
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[:2] == ["-DOCSTART- -X- O O", ""]
    assert lines.count("-DOCSTART- -X- O O") == len(gold)
    assert not any(line.startswith("#") for line in lines)
    assert all(len(line.split(" ")) == 2 for line in lines if line and not line.startswith("-DOCSTART-"))

    expected = [[(e.label, a.document.text[e.span.start:e.span.end]) for e in sorted(a.entities, key=lambda e: e.span.start)]
                for a in gold]
    out = tmp_path / "spacy"
    out.mkdir()
    done = subprocess.run([sys.executable, "-m", "spacy", "convert", str(path), str(out), "--converter", "ner"],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    docs = list(DocBin().from_disk(out / "gold.spacy").get_docs(Vocab()))
    assert len(docs) == len(gold)
    assert [len(doc.ents) for doc in docs] == [len(a.entities) for a in gold]
    assert [[e.label_ for e in doc.ents] for doc in docs] == [[label for label, _ in doc] for doc in expected]

    documents, current = [], None  # seqeval on the last column, as a CoNLL-2003 script reads it
    for line in lines:
        if line.startswith("-DOCSTART-"):
            documents.append(current := [])
        elif line:
            current.append(line.split()[-1])
    assert [[label for label, _, _ in get_entities(tags)] for tags in documents] == \
        [[label for label, _ in doc] for doc in expected]
    entities_only = [Annotation(a.doc_id, tuple(Entity(e.span, e.label) for e in sorted(a.entities,
                                                                                        key=lambda e: e.span.start)))
                     for a in gold]
    assert read_conll(path, [a.document for a in gold]) == entities_only  # the benchmark reads it back
