"""The corpus (byte-for-byte, checksums) and the benchmark tokenisation."""

from __future__ import annotations

import shutil

import pytest

from benchmark.corpus import read_corpus
from benchmark.errors import CorpusError
from benchmark.paths import CORPUS_DIR, ROOT
from benchmark.tokens import segment_text, sentence_index

SEEDS = ROOT.parent / "shared" / "seeds"


def test_five_documents_with_metadata(corpus):
    assert len(corpus) == 5
    for document in corpus.values():
        meta = document.meta
        assert meta["word_count"] == len(document.text.split())
        assert set(meta["established"]) >= {"title", "outlet", "published", "url"}


@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds is not next to this checkout")
def test_corpus_is_byte_identical_to_the_seeds():
    for seed in SEEDS.glob("*.txt"):
        assert (CORPUS_DIR / seed.name).read_bytes() == seed.read_bytes()


def test_a_changed_text_fails_loudly(tmp_path):
    copy = tmp_path / "corpus"
    shutil.copytree(CORPUS_DIR, copy)
    victim = copy / "002_81d3cff89d8ee832.txt"
    victim.write_bytes(victim.read_bytes().replace(b"seven", b"eight"))
    with pytest.raises(CorpusError) as error:
        read_corpus(copy)
    assert "002_81d3cff89d8ee832" in str(error.value) and "sha256" in str(error.value)


def test_tokens_are_offsets_into_the_text_and_lines_end_sentences():
    text = "Headline here\n\nRockets hit Erbil. Nobody was hurt.\nCaption  line"
    sentences = segment_text(text)
    assert [text[s.span.start:s.span.end] for s in sentences] == [
        "Headline here", "Rockets hit Erbil.", "Nobody was hurt.", "Caption  line"]
    assert [text[t.start:t.end] for t in sentences[3].tokens] == ["Caption", "line"]
    assert segment_text(text) == sentences


def test_sentence_index_finds_the_containing_sentence():
    sentences = segment_text("One two.\nThree four.")
    assert sentence_index(sentences, sentences[1].tokens[0]) == 1
    crossing = type(sentences[0].span)(0, sentences[1].span.end)
    assert sentence_index(sentences, crossing) is None


def test_every_corpus_token_is_non_empty_and_ordered(corpus):
    from benchmark.tokens import sentences_of

    for document in corpus.values():
        previous = -1
        for sentence in sentences_of(document):
            for token in sentence.tokens:
                assert token.start >= previous and document.text[token.start:token.end].strip()
                previous = token.end
