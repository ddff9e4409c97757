"""The baselines: valid predictions, determinism, honest cross-validation, a clean rules lexicon.

Works with whatever gold ``annotations/gold.jsonl`` holds. Offsets are half-open
code-point offsets ``[start, end)``.
"""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import pytest
from msgspec.structs import replace
from datasets import Dataset

from benchmark.cli import main
from benchmark.inputs.read import read_gold, read_predictions
from benchmark.formats.jsonl import write_annotations
from benchmark.model import Annotation, Argument, Document, Entity, Event, Span
from benchmark.paths import GOLD_FILE
from benchmark.inputs.validate import validate_file
from benchmark.tokens import segment_text, sentences_of

from baselines.rules import lexicon
from baselines.common.assemble import assemble, trim
from baselines.crf.extractor import repair_iob2
from baselines.common.crossval import folds, leave_one_out
from baselines.gazetteer import Gazetteer
from baselines.hfmap import from_row, map_predictions
from baselines.common.numbers import count_outside, parse_number, qualifier_before
from baselines.rules.patterns import all_patterns
from baselines.registry import SHIPPED as NAMES, factory, is_learned, make, names
from baselines.run import predict_gold
from baselines.common.text import longest_matches

ROOT = Path(__file__).resolve().parent.parent
LEARNED = [name for name in NAMES if is_learned(name)]
PLANTED = "Zorvexi Qintar Brigade"


@pytest.fixture(scope="module")
def gold() -> list[Annotation]:
    return read_gold(GOLD_FILE)


@pytest.fixture(scope="module")
def predictions(gold, baselines_run) -> dict[str, list[Annotation]]:
    """Each baseline's predictions, as the session's ``baselines all`` run wrote them, without the
    incident keys that the rules baseline adds after extraction (``baselines.run.predict_with_incidents``)."""
    unlinked = lambda event: replace(event, attributes=tuple(a for a in event.attributes if a[0] != "incident"))
    return {name: [replace(a, events=tuple(map(unlinked, a.events)))
                   for a in read_predictions(baselines_run[1] / f"{name}.jsonl", gold)] for name in NAMES}


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
def test_same_predictions_twice(name, gold, predictions):  # in this process and in the session's CLI run
    assert predict_gold(name, gold) == predictions[name]


def test_cli_all_prints_a_table_and_writes_scores(baselines_run):
    printed, out = baselines_run
    assert printed.splitlines()[0].split()[:2] == ["baseline", "entity.strict"]
    for name in NAMES:
        scores = json.loads((out / f"{name}.scores.json").read_text())
        assert {"precision", "recall", "f1", "tp", "predicted", "gold", "interval", "groups",
                "per_document"} <= set(scores["event.template"])


def test_cli_run_writes_a_valid_file(tmp_path, corpus, capsys):
    out = tmp_path / "rules.jsonl"
    assert main(["baselines", "run", "rules", "--out", str(out)]) == 0
    assert capsys.readouterr().out.strip() == f"wrote {out}"
    assert validate_file(out, corpus, gold=False) == []


def test_cli_names_match_the_registry():
    from benchmark.cli import parser

    with pytest.raises(SystemExit):
        parser().parse_args(["baselines", "run", "nonesuch", "--out", "x"])
    for name in NAMES:
        assert parser().parse_args(["baselines", "run", name, "--out", "x"]).name == name


# --- entry points: how the CLI finds the baselines ----------------------------------------------

def _declared_entry_points() -> dict[str, dict[str, str]]:
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return {group: dict(entries) for group, entries in project["entry-points"].items()}


def test_declared_entry_points_resolve_to_the_baselines():
    from importlib import import_module

    declared = _declared_entry_points()
    assert list(declared["iraq_attacks.extractors"]) == list(NAMES)
    assert declared["iraq_attacks.commands"] == {"baselines": "baselines.commands:add_parser"}
    for group in declared.values():
        for target in group.values():
            module, _, attribute = target.partition(":")
            assert callable(getattr(import_module(module), attribute)), target


def test_installed_metadata_declares_the_same_entry_points():
    """What ``importlib.metadata`` sees is what pyproject.toml declares (else: ``pip install -e .``)."""
    from importlib.metadata import entry_points

    for group, declared in _declared_entry_points().items():
        installed = {e.name: e.value for e in entry_points(group=group)}
        assert installed == declared, f"stale package metadata for {group}: reinstall with `pip install -e .`"
    assert names() == NAMES


def test_entry_points_are_found_from_fresh_metadata(tmp_path):
    """The CLI lists the baselines from metadata built from this tree's pyproject.toml, without an install.

    The metadata is written to ``tmp_path`` (``setuptools``' ``egg_info``) and put on the
    path of a fresh interpreter, so the check does not depend on what is installed.
    """
    import subprocess
    import sys

    declared = _declared_entry_points()
    info = tmp_path / "iraq_attacks.egg-info"  # first on the path: it hides any installed metadata
    info.mkdir()
    (info / "PKG-INFO").write_text("Metadata-Version: 2.1\nName: iraq-attacks\nVersion: 0+probe\n")
    (info / "entry_points.txt").write_text("".join(
        f"[{group}]\n" + "".join(f"{name} = {target}\n" for name, target in entries.items()) + "\n"
        for group, entries in declared.items()))
    code = ("from importlib.metadata import distribution; from benchmark.cli import parser; "
            "assert distribution('iraq-attacks').version == '0+probe'; "
            "eps = distribution('iraq-attacks').entry_points; "
            "print(sorted((e.group, e.name) for e in eps)); "
            "print(parser().parse_args(['baselines', 'run', 'crf', '--out', 'x']).name)")
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True,
                            env={**__import__("os").environ, "PYTHONPATH": f"{tmp_path}:{ROOT}"})
    assert result.returncode == 0, result.stderr[-2000:]
    groups = sorted((group, name) for group, entries in declared.items() for name in entries)
    assert result.stdout.splitlines() == [str(groups), "crf"]


def test_benchmark_never_imports_baselines_to_build_its_parser():
    import subprocess
    import sys

    code = "import sys, benchmark.cli; print(sorted(m for m in sys.modules if m.split('.')[0] == 'baselines'))"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert result.stdout.strip() == "[]", result.stderr


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
    with_plant = list(leave_one_out(factory(name), planted))
    without_plant = list(leave_one_out(factory(name), unplanted))
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


def _words(text: str) -> tuple[str, ...]:
    return tuple(t.text_in(text) for sentence in segment_text(text) for t in sentence.tokens)


def _literal(spec) -> str | None:
    """The one word a token pattern element admits, or None (a set, a shape, an optional element)."""
    if not isinstance(spec, dict) or spec.get("OP") in ("?", "*", "+"):
        return None
    values = [v for k, v in spec.items() if k != "OP"]
    if len(values) != 1 or not set(spec) - {"OP"} <= {"LOWER", "ORTH", "TEXT"}:
        return None
    value = values[0]
    if isinstance(value, dict) and set(value) == {"IN"} and len(value["IN"]) == 1:
        value = value["IN"][0]
    return value.lower() if isinstance(value, str) else None


def literal_sequences(patterns, entries) -> set[tuple[str, ...]]:
    """Every literal run of two or more words in the token patterns, and every multi-token lexicon entry."""
    out = set()
    for entry in patterns:
        pattern = entry["pattern"]
        if isinstance(pattern, str):
            pattern = [{"LOWER": w} for w in _words(pattern)]
        run: list[str] = []
        for spec in [*pattern, None]:
            word = _literal(spec)
            if word is not None:
                run.append(word)
                continue
            if len(run) >= 2:
                out.add(tuple(run))
            run = []
    out |= {tuple(w.lower() for w in _words(e)) for e in entries if len(_words(e)) >= 2}
    return out


def leaks(sequences, strings) -> list[tuple[str, str]]:
    """``(sequence, gold string)`` where a literal sequence spells part of a gold *name*.

    A name part is a run of tokens of a gold string (entity or trigger) that equals the
    sequence ignoring case and has a capital letter; public geography is not a leak.
    Generic phrases ("air strikes", "rained down", "sub - contractor") stay lower case.
    """
    found = set()
    for string in strings:
        tokens = _words(string)
        for sequence in sequences:
            n = len(sequence)
            for i in range(len(tokens) - n + 1):
                part = tokens[i:i + n]
                if tuple(t.lower() for t in part) == sequence and any(c.isupper() for t in part for c in t) \
                        and " ".join(part).lower() not in lexicon.GEOGRAPHY:
                    found.add((" ".join(part), string))
    return sorted(found)


def test_no_literal_sequence_of_the_patterns_or_lexicons_spells_a_gold_name(gold):
    """Issue 16: the patterns and lexicon files hold no multi-token piece of a test-set name."""
    sequences = literal_sequences(all_patterns(), lexicon.all_entries())
    assert leaks(sequences, _gold_strings(gold)) == []


def test_the_leak_test_sees_the_pattern_it_was_written_for(gold):
    """Positive control: the pattern of release 9d84797 that spelt out a gold name is caught."""
    old = {"label": "ACTOR", "pattern": [{"LOWER": "islamic"}, {"LOWER": "resistance"}, {"LOWER": "in"},
                                         {"TEXT": {"REGEX": "^[A-Z]"}}]}
    found = leaks(literal_sequences([old], []), _gold_strings(gold))
    assert [part.lower() for part, _ in found] == ["islamic resistance in"] * len(found) and found
    assert leaks(literal_sequences([], ["islamic resistance in"]), _gold_strings(gold)) == found


# --- the rules rewrite kept the output (issue 16) --------------------------------------------

BEFORE = ROOT / "tests" / "fixtures" / "baselines_before"
# The only change: the leaking pattern "islamic resistance in <Name>" is gone, and the general
# shape that replaced it ("<Name> <Org-head> in <Place>") needs a capitalised head and a known place,
# so the misspelt, lower-case "Islamic resistance in Irag" of document 004 is no longer found.
EXPECTED_CHANGES = {"rules": {"removed": [("001_4d23d494d5691604", 1074, 1077, "ACTOR"), ("004_b79713956a5c5e5f", 2611, 2637, "ACTOR")],
                        "added": [("001_4d23d494d5691604", 1074, 1078, "ACTOR")]}}  # U.S. keeps its period (1.1)


def _records(lines: list[str]) -> dict[str, dict]:
    return {record["id"]: record for record in map(json.loads, lines)}


# Only the rules baseline: the gazetteer and the CRF learn from the gold, which changed in dataset 1.1.0.
@pytest.mark.parametrize("name", ["rules"])
def test_predictions_equal_those_before_the_rewrite_but_for_the_listed_changes(name, predictions, tmp_path):
    path = tmp_path / f"{name}.jsonl"
    write_annotations(path, predictions[name], with_document=False)
    now = _records(path.read_text(encoding="utf-8").splitlines())
    before = _records((BEFORE / f"{name}.jsonl").read_text(encoding="utf-8").splitlines())
    assert now.keys() == before.keys()
    key = lambda doc_id, e: (doc_id, e["start"], e["end"], e["label"])
    removed = sorted({key(d, e) for d, r in before.items() for e in r["entities"]}
                     - {key(d, e) for d, r in now.items() for e in r["entities"]})
    added = sorted({key(d, e) for d, r in now.items() for e in r["entities"]}
                   - {key(d, e) for d, r in before.items() for e in r["entities"]})
    expected = EXPECTED_CHANGES.get(name, {"removed": [], "added": []})
    assert (removed, added) == (expected["removed"], expected["added"])
    without_id = lambda e: {k: v for k, v in e.items() if k != "id"}  # entity ids are renumbered
    for doc_id in now:
        kept = [without_id(e) for e in before[doc_id]["entities"] if key(doc_id, e) not in set(expected["removed"])]
        unchanged = [without_id(e) for e in now[doc_id]["entities"] if key(doc_id, e) not in set(expected["added"])]
        assert unchanged == kept, doc_id
        # the rules baseline now also links its events into incidents (keys added after extraction)
        unlinked = [{**e, "attributes": {k: v for k, v in e["attributes"].items() if k != "incident"}}
                    for e in now[doc_id]["events"]]
        # an argument on a span that kept its abbreviation period moved with it
        moved = {(start, end): (start, end + 1) for d, start, end, _ in expected["removed"]
                 if d == doc_id and (d, start, end + 1, _) in expected["added"]}
        shift = lambda a: {**a, **dict(zip(("start", "end"), moved.get((a["start"], a["end"]), (a["start"], a["end"]))))}
        expected_events = [{**e, "arguments": [shift(a) for a in e["arguments"]]} for e in before[doc_id]["events"]]
        assert unlinked == expected_events, doc_id


def _spacy_matcher(patterns: list[list[dict]]):
    """spaCy's ``Matcher`` of ``patterns`` (pattern ``n`` named ``str(n)``): words -> (n, start, end) matches."""
    import spacy
    from spacy.matcher import Matcher
    from spacy.tokens import Doc

    vocab = spacy.blank("en").vocab
    matcher = Matcher(vocab)
    for n, pattern in enumerate(patterns):
        matcher.add(str(n), [pattern])
    return lambda words: {(int(vocab.strings[key]), start, end)
                          for key, start, end in matcher(Doc(vocab, words=words))}


def test_token_matcher_finds_what_spacys_matcher_finds(corpus):
    """The rules' token patterns on every corpus sentence, and operators that can match a word in two ways."""
    from baselines.rules.matcher import TokenMatcher
    from baselines.rules.patterns import token_patterns

    patterns = [entry["pattern"] for entry in token_patterns()]
    matcher, spacy_matches = TokenMatcher(patterns), _spacy_matcher(patterns)
    for document in corpus.values():
        for sentence in sentences_of(document):
            words = [t.text_in(document.text) for t in sentence.tokens]
            assert set(matcher(words, [len(words)] * len(words))) == spacy_matches(words)
    a, b = {"LOWER": "a"}, {"LOWER": "b"}
    tricky = [[dict(a, OP="+")], [dict(a, OP="?"), dict(a, OP="*"), b], [dict(a, OP="*"), dict(a, OP="+"), b],
              [a, dict(b, OP="?"), dict(a, OP="?")]]
    words = "A a b a a a b a".split()
    found = TokenMatcher(tricky)(words, [len(words)] * len(words))
    assert len(found) == len(set(found)) and set(found) == _spacy_matcher(tricky)(words)
    assert TokenMatcher(tricky)(words, [3] * len(words)) == [m for m in found if m[2] <= 3]


# --- datasets.Dataset.map --------------------------------------------------------------------

@pytest.mark.parametrize("name", NAMES)
def test_dataset_map_with_two_processes_equals_the_plain_loop(name, gold, predictions, corpus):
    rows = [{"id": a.doc_id, "text": a.document.text} for a in gold]
    mapped = map_predictions(Dataset.from_list(rows), name, gold, num_proc=2, batch_size=2)
    assert [from_row(row) for row in mapped] == predictions[name]
    json.dumps(mapped[0]["pred_entities"])  # JSON-able columns


# --- incidents of the rules baseline (issue 13), on small hand-made cases -----------------------

from baselines.rules.incidents import Date, find_dates, link_incidents, resolve_date  # noqa: E402


@pytest.mark.parametrize("kind, match, published, expected", [
    ("weekday", {"weekday": "Monday"}, "2021-02-16", "2021-02-15"),  # 16 February 2021 is a Tuesday
    ("weekday", {"weekday": "Tuesday"}, "2021-02-16", "2021-02-16"),  # the day itself
    ("weekday", {"weekday": "Wednesday"}, "2021-02-16", "2021-02-10"),  # the week before
    ("yesterday", {}, "2021-03-01", "2021-02-28"),
    ("today", {}, "2021-02-16", "2021-02-16"),
    ("last_week", {}, "2021-03-03", "2021-02"),  # a week before 3 March is in February: month precision
    ("last_month", {}, "2021-01-10", "2020-12"),
    ("this_month", {}, "2021-02-16", "2021-02"),
    ("day_month", {"day": "15", "month": "February"}, "2021-02-16", "2021-02-15"),
    ("month_day", {"month": "Dec", "day": "31"}, "2021-02-16", "2020-12-31"),  # the latest not after publication
    ("month_day", {"month": "October", "day": "17", "year": "2019"}, "2023-11", "2019-10-17"),
    ("in_month", {"month": "March"}, "2021-03", "2021-03"),
    ("weekday", {"weekday": "Saturday"}, "2023-10", "2023-10"),  # publication month only: the month
    ("last_month", {}, "2023-01", "2022-12"),
    ("yesterday", {}, "2023", None),  # a year says nothing finer
])
def test_relative_dates_resolve_against_the_publication_date(kind, match, published, expected):
    date = resolve_date(kind, match, published)
    assert (date.value if date else None) == expected


def test_date_expressions_are_found_with_their_offsets():
    text = "Rockets hit the base on Monday night, after a strike on 3 January and attacks last week."
    found = [(span.text_in(text), date.value) for span, date in find_dates(text, 0, "2021-02-16")]
    assert found == [("Monday", "2021-02-15"), ("3 January", "2021-01-03"), ("last week", "2021-02")]
    assert find_dates(text, 0, None) == []
    assert Date("2021-02").covers(Date("2021-02-15")) and not Date("2021-02-14").covers(Date("2021-02-15"))


def _incident_document(doc_id: str, published: str, sentences: list[tuple[str, str, str | None, str | None]]):
    """A document of one sentence per attack: ``(sentence, trigger, place, attacker)``, annotated by hand."""
    text = " ".join(s for s, _, _, _ in sentences)
    entities, events, offset = [], [], 0
    for sentence, trigger, place, attacker in sentences:
        arguments = []
        for role, label, word in (("PLACE", "LOCATION", place), ("ATTACKER", "ACTOR", attacker)):
            if word:
                span = Span(offset + sentence.index(word), offset + sentence.index(word) + len(word))
                entities.append(Entity(span, label))
                arguments.append(Argument(role, span))
        killed = sentence.find("two soldiers")
        if killed >= 0:
            span = Span(offset + killed, offset + killed + len("two soldiers"))
            entities.append(Entity(span, "CASUALTY", (("count", 2), ("qualifier", "exact"), ("status", "killed"))))
            arguments.append(Argument("KILLED", span))
        start = offset + sentence.index(trigger)
        events.append(Event("ATTACK", Span(start, start + len(trigger)), tuple(arguments)))
        offset += len(sentence) + 1
    document = Document(doc_id, text, (("published", published),))
    return document, Annotation(doc_id, tuple(entities), tuple(events), document=document)


def test_mentions_merge_across_documents_by_date_and_place(tmp_path):
    a = _incident_document("a", "2021-02-16", [
        ("Rockets hit Qarvan on Monday, killing two soldiers.", "hit", "Qarvan", None),
        ("The Zorvexi Front claimed the attack on Qarvan.", "attack", "Qarvan", "Zorvexi Front"),
        ("Another strike hit Dumeel yesterday.", "strike", "Dumeel", None),
        ("Such attacks are common.", "attacks", None, None)])
    b = _incident_document("b", "2021-02-17", [
        ("On 15 February, the Zorvexi Qintar struck Qarvan.", "struck", "Qarvan", "Zorvexi Qintar")])
    c = _incident_document("c", "2021-02", [
        ("Militants attacked Qarvan in February.", "attacked", "Qarvan", None)])
    names = tmp_path / "canonical_names.json"
    names.write_text(json.dumps({"attackers": {"Zorvexi Qintar": "Zorvexi Front"}, "places": {}}))
    documents = [a[0], b[0], c[0]]
    linked, records = link_incidents(documents, [a[1], b[1], c[1]], names)
    keys = [[e.attrs.get("incident") for e in annotation.events] for annotation in linked]
    assert keys == [["2021-02-15-qarvan", "2021-02-15-qarvan", "2021-02-15-dumeel", None],
                    ["2021-02-15-qarvan"], ["2021-02-15-qarvan"]]
    by_key = {r["incident"]: r for r in records}
    assert by_key["2021-02-15-qarvan"] == {
        "incident": "2021-02-15-qarvan", "date": "2021-02-15", "date_precision": "day", "country": None,
        "place": "Qarvan", "attackers": ["Zorvexi Front"], "weapon_classes": [], "killed": 2, "injured": None}
    assert by_key["2021-02-15-dumeel"]["killed"] is None
    # without the canonical names file the names stay as written
    _, records = link_incidents(documents, [a[1], b[1], c[1]], tmp_path / "absent.json")
    assert {r["incident"]: r for r in records}["2021-02-15-qarvan"]["attackers"] == ["Zorvexi Front", "Zorvexi Qintar"]


def test_a_month_under_two_days_of_one_place_is_not_pinned():
    a = _incident_document("a", "2021-02-16", [
        ("Rockets hit Qarvan on Monday.", "hit", "Qarvan", None),
        ("Drones hit Qarvan on 2 February.", "hit", "Qarvan", None)])
    c = _incident_document("c", "2021-02", [("Militants attacked Qarvan in February.", "attacked", "Qarvan", None)])
    linked, records = link_incidents([a[0], c[0]], [a[1], c[1]])
    assert [e.attrs.get("incident") for e in linked[0].events] == ["2021-02-15-qarvan", "2021-02-02-qarvan"]
    assert [e.attrs.get("incident") for e in linked[1].events] == [None]
    assert sorted(r["incident"] for r in records) == ["2021-02-02-qarvan", "2021-02-15-qarvan"]


def test_rules_records_are_written_beside_the_predictions_and_valid(tmp_path, corpus):
    out = tmp_path / "rules.jsonl"
    assert main(["baselines", "run", "rules", "--out", str(out)]) == 0
    assert validate_file(out, corpus, gold=False) == []
    records = [json.loads(line) for line in (tmp_path / "rules.incidents.jsonl").read_text().splitlines()]
    used = {e["attributes"]["incident"] for line in out.read_text().splitlines()
            for e in json.loads(line)["events"] if "incident" in e.get("attributes", {})}
    assert records and {r["incident"] for r in records} == used
    for r in records:
        assert set(r) == {"incident", "date", "date_precision", "country", "place", "attackers", "weapon_classes",
                          "killed", "injured"}
        assert r["date_precision"] == {10: "day", 7: "month", 4: "year"}[len(r["date"])]
