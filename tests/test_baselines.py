"""The baselines: valid predictions, determinism, honest cross-validation, a clean rules lexicon.

Works with whatever gold ``annotations/gold.jsonl`` holds. Offsets are half-open
code-point offsets ``[start, end)``.
"""

from __future__ import annotations

import json
import pickle
from dataclasses import replace

import pytest
from datasets import Dataset

from benchmark.cli import main
from benchmark.inputs.read import read_gold
from benchmark.formats.jsonl import write_annotations
from benchmark.model import Annotation, Argument, Document, Entity, Event, Span
from benchmark.paths import GOLD_FILE
from benchmark.inputs.validate import validate_file

from baselines import lexicon
from baselines.assemble import assemble, trim
from baselines.crf import repair_iob2
from baselines.crossval import folds, leave_one_out
from baselines.gazetteer import Gazetteer
from baselines.hfmap import from_row, map_predictions
from baselines.numbers import count_outside, parse_number, qualifier_before
from baselines.patterns import all_patterns
from baselines.registry import EXTRACTORS, NAMES, is_learned, make
from baselines.run import predict_gold
from baselines.text import longest_matches

LEARNED = [name for name in NAMES if is_learned(name)]
PLANTED = "Zorvexi Qintar Brigade"


@pytest.fixture(scope="module")
def gold() -> list[Annotation]:
    return read_gold(GOLD_FILE)


@pytest.fixture(scope="module")
def predictions(gold) -> dict[str, list[Annotation]]:
    return {name: predict_gold(name, gold) for name in NAMES}


# --- small units, checked by hand ---------------------------------------------------------

def test_numbers_by_hand():
    assert parse_number(["14", "rockets"]) == (14, 1)
    assert parse_number(["nine", "others"]) == (9, 1)
    assert parse_number(["a", "dozen", "rockets"]) == (12, 2)
    assert parse_number(["two", "dozen", "casualties"]) == (24, 2)
    assert parse_number(["2,500", "troops"]) == (2500, 1)
    assert parse_number(["Another", "nine", "people"]) == (9, 2)
    assert parse_number(["dozens", "of", "groups"]) is None  # vague: outside the span (B2)
    assert parse_number(["107", "mm", "rockets"]) is None  # a calibre
    assert parse_number(["a", "contractor"]) is None
    assert parse_number(["a", "contractor"], allow_article=True) == (1, 1)
    assert qualifier_before(["wounded", "at", "least"]) == "at_least"
    assert qualifier_before(["More", "than"]) == "more_than"
    assert qualifier_before(["as", "many", "as"]) == "at_most"
    assert qualifier_before(["killed"]) == "exact"


def test_counts_outside_the_span_follow_the_guidelines():
    assert count_outside(["injured", "several"], plural=True) == (3, "at_least")
    assert count_outside(["injured", "a", "few"], plural=True) == (3, "at_least")
    assert count_outside(["killed", "some"], plural=True) == (2, "at_least")
    assert count_outside(["the", "wounded"], plural=True) == (2, "at_least")
    assert count_outside(["killed", "dozens", "of"], plural=True) == (12, "at_least")
    assert count_outside(["killed", "tens", "of"], plural=True) == (10, "at_least")
    assert count_outside(["killed", "hundreds", "of"], plural=True) == (100, "at_least")
    assert count_outside(["did", "not", "cause", "any"], plural=True) == (0, "exact")
    assert count_outside(["killed", "a"], plural=False) == (1, "exact")
    assert count_outside(["the"], plural=False) is None


def test_longest_match_first_without_overlap():
    phrases = {("a",): 1, ("a", "b"): 2, ("b", "c", "d"): 3}
    assert longest_matches(["a", "b", "c", "d", "a"], phrases, 3) == [(0, 1, 1), (1, 4, 3), (4, 5, 1)]


def test_repair_iob2():
    assert repair_iob2(["I-ACTOR", "I-ACTOR", "O", "B-WEAPON", "I-ACTOR"]) == \
        ["B-ACTOR", "I-ACTOR", "O", "B-WEAPON", "B-ACTOR"]


def test_assemble_trims_and_moves_arguments():
    document = Document("d", "They fired ‘rockets’ at the base.")
    raw = Entity(Span(11, 20), "WEAPON", (("quantity", -3), ("weapon_class", "rocket")))
    event = Event("ATTACK", Span(5, 10), (Argument("INSTRUMENT", Span(11, 20)), Argument("PLACE", Span(0, 4))))
    annotation = assemble(document, [raw, Entity(Span(32, 33), "LOCATION")], [event])
    assert trim(Span(11, 20), document.text) == Span(12, 19)
    assert [(e.span, e.attrs) for e in annotation.entities] == [(Span(12, 19), {"weapon_class": "rocket"})]
    assert annotation.events[0].arguments == (Argument("INSTRUMENT", Span(12, 19)),)


# --- every extractor gives valid predictions -----------------------------------------------

@pytest.mark.parametrize("name", NAMES)
def test_cross_validated_predictions_are_valid(name, gold, predictions, corpus, tmp_path):
    path = tmp_path / f"{name}.jsonl"
    write_annotations(path, predictions[name], with_document=False)
    assert validate_file(path, corpus, gold=False) == []
    assert [a.doc_id for a in predictions[name]] == [a.doc_id for a in gold]


@pytest.mark.parametrize("name", NAMES)
def test_predictions_on_the_whole_corpus_are_valid(name, gold, corpus, tmp_path):
    """Fitted on all the gold (learned ones) and run on every corpus document: never invalid."""
    extractor = make(name)
    if is_learned(name):
        extractor.fit(gold)
    path = tmp_path / f"{name}.jsonl"
    write_annotations(path, list(extractor.extract(iter(corpus.values()))), with_document=False)
    assert validate_file(path, corpus, gold=False) == []


def test_extract_streams(corpus):
    """``extract`` is lazy: it takes a one-shot iterator and yields document by document."""
    stream = make("rules").extract(iter(corpus.values()))
    first = next(stream)
    assert first.doc_id == next(iter(corpus))


@pytest.mark.parametrize("name", NAMES)
def test_fitted_extractors_survive_pickling(name, gold):
    """Worker processes may receive fitted models: a pickled copy predicts the same."""
    extractor = make(name)
    if is_learned(name):
        extractor.fit(gold[1:])
    copy = pickle.loads(pickle.dumps(extractor))
    assert list(copy.extract([gold[0].document])) == list(extractor.extract([gold[0].document]))


# --- determinism ----------------------------------------------------------------------------

@pytest.mark.parametrize("name", NAMES)
def test_same_predictions_twice(name, gold, predictions):
    assert predict_gold(name, gold) == predictions[name]


def test_cli_all_prints_the_same_table_twice(tmp_path, capsys):
    outputs = []
    for run in ("first", "second"):
        assert main(["baselines", "all", "--out-dir", str(tmp_path / run)]) == 0
        outputs.append(capsys.readouterr().out)
    assert outputs[0] == outputs[1]
    assert outputs[0].splitlines()[0].split()[:2] == ["baseline", "entity.strict"]
    for name in NAMES:
        first, second = (tmp_path / run / f"{name}.jsonl" for run in ("first", "second"))
        assert first.read_bytes() == second.read_bytes()
        scores = json.loads((tmp_path / "first" / f"{name}.scores.json").read_text())
        assert {"precision", "recall", "f1", "tp", "predicted", "gold"} <= set(scores["event.template"])


def test_cli_run_writes_a_valid_file(tmp_path, corpus, capsys):
    out = tmp_path / "rules.jsonl"
    assert main(["baselines", "run", "rules", "--out", str(out)]) == 0
    assert capsys.readouterr().out.strip() == f"wrote {out}"
    assert validate_file(out, corpus, gold=False) == []


def test_cli_names_match_the_registry():
    from benchmark.cli import parser

    with pytest.raises(SystemExit):
        parser().parse_args(["baselines", "run", "nonesuch", "--out", "x"])
    for name in EXTRACTORS:
        assert parser().parse_args(["baselines", "run", name, "--out", "x"]).name == name


# --- cross-validation honesty ---------------------------------------------------------------

def _with_text(annotation: Annotation, extra: str) -> Annotation:
    document = annotation.document
    return replace(annotation, document=Document(document.id, document.text + extra, document.metadata))


def _planted(gold: list[Annotation], annotate: bool) -> tuple[list[Annotation], Span, Span]:
    """Gold with an invented group name appended to two documents, annotated (or not) in the first only.

    Text is appended at the end, so every existing offset stays valid.
    """
    first, second = gold[0], gold[1]
    sentence_a = f"\n\n{PLANTED} claimed the attack.\n"
    sentence_b = f"\n\nThe {PLANTED} denied it.\n"
    a, b = _with_text(first, sentence_a), _with_text(second, sentence_b)
    span_a = Span(len(first.document.text) + 2, len(first.document.text) + 2 + len(PLANTED))
    span_b = Span(len(second.document.text) + 6, len(second.document.text) + 6 + len(PLANTED))
    assert span_a.text_in(a.document.text) == PLANTED == span_b.text_in(b.document.text)
    if annotate:
        a = replace(a, entities=(*a.entities, Entity(span_a, "ACTOR")))
    return [a, b, *gold[2:]], span_a, span_b


def test_folds_never_train_on_the_held_out_document(gold):
    for train, held_out in folds(gold):
        assert held_out.doc_id not in {a.doc_id for a in train}
        assert len(train) == len(gold) - 1


@pytest.mark.parametrize("name", LEARNED)
def test_held_out_predictions_ignore_the_held_out_annotations(name, gold):
    """Changing a document's gold cannot change its leave-one-out prediction; the planted name is not found."""
    if len(gold) < 2:
        pytest.skip("needs two gold documents")
    planted, span_a, _ = _planted(gold, annotate=True)
    unplanted, _, _ = _planted(gold, annotate=False)
    with_plant = list(leave_one_out(EXTRACTORS[name], planted))
    without_plant = list(leave_one_out(EXTRACTORS[name], unplanted))
    assert with_plant[0] == without_plant[0]
    assert all(e.span != span_a for e in with_plant[0].entities), f"{name} recovered {PLANTED!r} in its own document"


def test_gazetteer_recovers_the_plant_only_from_other_documents(gold):
    """Positive control: the planted name is learned from the first document and found in the second."""
    if len(gold) < 2:
        pytest.skip("needs two gold documents")
    planted, span_a, span_b = _planted(gold, annotate=True)
    cross_validated = list(leave_one_out(Gazetteer, planted))
    assert any(e.span == span_b and e.label == "ACTOR" for e in cross_validated[1].entities)
    assert all(e.span != span_a for e in cross_validated[0].entities)
    memorised = next(Gazetteer().fit(planted).extract([planted[0].document]))
    assert any(e.span == span_a and e.label == "ACTOR" for e in memorised.entities)


# --- the rules lexicon is not the gold -----------------------------------------------------

def _gold_strings(gold: list[Annotation]) -> set[str]:
    strings = set()
    for annotation in gold:
        text = annotation.document.text
        strings |= {e.span.text_in(text) for e in annotation.entities}
        strings |= {e.trigger.text_in(text) for e in annotation.events}
    return strings


def _pattern_strings(value) -> set[str]:
    if isinstance(value, str):
        return {value.lower()}
    if isinstance(value, dict):
        return set().union(*(_pattern_strings(v) for k, v in value.items() if k != "REGEX"))
    if isinstance(value, (list, tuple)):
        return set().union(set(), *(_pattern_strings(v) for v in value))
    return set()


def test_rules_lexicon_shares_only_generic_words_and_geography_with_the_gold(gold):
    """A gold string may equal a rules entry only if it is a generic word or a public place name."""
    generic = lexicon.all_entries(exclude=(*lexicon.GEOGRAPHY_LISTS, *lexicon.NAME_SHAPE_LISTS))
    generic |= _pattern_strings([p["pattern"] for p in all_patterns() if p["label"] != "PLACE_NAME"])
    name_shapes = {w for n in lexicon.NAME_SHAPE_LISTS for w in getattr(lexicon, n)}
    strings = _gold_strings(gold)
    as_place = sorted(s for s in strings if s.lower() in lexicon.GEOGRAPHY)
    as_generic = sorted(s for s in strings if s.lower() in generic and s not in as_place)
    other = sorted(s for s in strings if s.lower() in name_shapes and s not in as_generic + as_place)
    print(f"\n{len(strings)} distinct gold strings (entities and triggers); equal to a rules lexicon entry: "
          f"{len(as_generic)} generic words {as_generic}; {len(as_place)} public place names {as_place}; "
          f"{len(other)} others {other}")
    assert other == [], f"rules lexicon holds gold names: {other}"
    two_word_triggers = {w for w in (*lexicon.TRIGGER_WORDS, *lexicon.PLURAL_TRIGGERS) if " " in w}
    assert all(len(s.split()) == 1 or s.lower() in two_word_triggers for s in as_generic), as_generic
    assert not any(s.lower() in generic for s in strings if len(s.split()) > 2)


# --- datasets.Dataset.map --------------------------------------------------------------------

@pytest.mark.parametrize("name", NAMES)
def test_dataset_map_with_two_processes_equals_the_plain_loop(name, gold, predictions, corpus):
    rows = [{"id": a.doc_id, "text": a.document.text} for a in gold]
    mapped = map_predictions(Dataset.from_list(rows), name, gold, num_proc=2, batch_size=2)
    assert [from_row(row) for row in mapped] == predictions[name]
    json.dumps(mapped[0]["pred_entities"])  # JSON-able columns
