"""The incident scores of SPEC 3.1: hand-worked cases, the cross-check against scorch, the CLI.

Mentions are (doc, trigger start, trigger end) with half-open offsets ``[start, end)``.
The gold records used here are a test fixture (tests/fixtures/incidents_gold.jsonl), not
the shipped ``annotations/incidents.jsonl``.
"""

from __future__ import annotations

import json
import random
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from scipy.optimize import linear_sum_assignment

from benchmark.cli import main
from benchmark.errors import SubmissionError
from benchmark.incidents import IncidentRecord, read_incident_records, record_to_json, write_incident_records
from benchmark.model import Annotation, Event, Span, to_attributes
from benchmark.paths import GOLD_FILE
from benchmark.scoring.score import assign
from benchmark.scoring.incidents import (INCIDENT_KEYS, RECORD_FIELDS, ceaf_e, count_credit, date_credit,
                                         field_credits, incident_clusters, muc, place_credit,
                                         score_incidents, score_linking, score_records)
from conftest import write_lines

FIXTURES = Path(__file__).parent / "fixtures"
GOLD_RECORDS = FIXTURES / "incidents_gold.jsonl"


def mention_events(doc_id: str, mentions: list[tuple[int, str | None]]) -> Annotation:
    """One ATTACK event per (trigger start, key); each trigger is [start, start + 1)."""
    events = tuple(Event("ATTACK", Span(start, start + 1),
                         attributes=to_attributes({"incident": key} if key else None)) for start, key in mentions)
    return Annotation(doc_id, events=events)


# ---------------------------------------------------------------------------------------
# Linking, worked by hand. Gold K1 = {a, b, c}, K2 = {d, e}; predicted R1 = {a, b},
# R2 = {c, d, f}, and g without a key (a singleton). a..e are gold mentions; f and g are not.
# a, b, c, d, e, f, g are triggers at 0, 10, 20, 30, 40, 50, 60 of document "x".

GOLD = [mention_events("x", [(0, "k1"), (10, "k1"), (20, "k1"), (30, "k2"), (40, "k2")])]
PRED = [mention_events("x", [(0, "r1"), (10, "r1"), (20, "r2"), (30, "r2"), (50, "r2"), (60, None)])]


def test_muc_by_hand():
    # recall: K1 is cut by R into {a, b}, {c}: 3 - 2 = 1; K2 into {d} and unseen {e}: 2 - 2 = 0;
    # over (3 - 1) + (2 - 1) = 3 -> 1/3. precision: R1 in one part: 2 - 1 = 1; R2 into {c}, {d},
    # unseen {f}: 0; the singleton {g}: 0; over 1 + 2 + 0 = 3 -> 1/3.
    scores = score_linking(GOLD, PRED)["incident.muc"]
    assert (scores.precision, scores.recall) == pytest.approx((1 / 3, 1 / 3))
    assert scores.f1 == pytest.approx(1 / 3)


def test_b_cubed_by_hand():
    # recall: K1: |K1∩R1|²/3 + |K1∩R2|²/3 = 4/3 + 1/3; K2: |K2∩R2|²/2 = 1/2; (5/3 + 1/2) / 5 = 13/30.
    # precision: R1: 4/2; R2: 1/3 + 1/3; {g}: 0; (2 + 2/3) / 6 = 4/9.
    scores = score_linking(GOLD, PRED)["incident.b3"]
    precision, recall = Fraction(4, 9), Fraction(13, 30)
    assert (scores.precision, scores.recall) == pytest.approx((float(precision), float(recall)))
    assert scores.f1 == pytest.approx(float(2 * precision * recall / (precision + recall)))


def test_ceaf_e_by_hand():
    # φ4(K1, R1) = 4/5, φ4(K1, R2) = 2/6, φ4(K2, R2) = 2/5, φ4(K2, R1) = 0, {g} shares nothing.
    # Best alignment K1-R1, K2-R2: 6/5. recall = (6/5) / 2 gold clusters, precision = (6/5) / 3.
    scores = score_linking(GOLD, PRED)["incident.ceafe"]
    assert (scores.precision, scores.recall) == pytest.approx((0.4, 0.6))
    assert scores.f1 == pytest.approx(0.48)


def test_conll_is_the_mean_and_counts_are_mentions():
    scores = score_linking(GOLD, PRED)
    for name in ("precision", "recall", "f1"):
        parts = [getattr(scores[k], name) for k in ("incident.muc", "incident.b3", "incident.ceafe")]
        assert getattr(scores["incident.conll"], name) == pytest.approx(sum(parts) / 3)
    for key in ("incident.muc", "incident.b3", "incident.ceafe", "incident.conll"):
        assert (scores[key].tp, scores[key].predicted, scores[key].gold) == (4, 6, 5)


def test_clusters_keyless_singletons_first_keyed_event_wins_and_documents_apart():
    pred = [mention_events("x", [(0, "k"), (0, "other"), (10, None), (20, None), (30, "k")]),
            mention_events("y", [(0, "k"), (10, None), (10, "j"), (10, "k"), (20, None), (20, None)])]
    clusters = incident_clusters(pred)
    assert set(clusters) == {frozenset({("x", 0, 1), ("x", 30, 31), ("y", 0, 1)}), frozenset({("x", 10, 11)}),
                             frozenset({("x", 20, 21)}), frozenset({("y", 10, 11)}), frozenset({("y", 20, 21)})}


def test_all_singletons_give_zero_muc_and_an_empty_side_gives_zero():
    single = [mention_events("x", [(0, None), (10, None)])]
    assert muc(incident_clusters(single), incident_clusters(single)) == (0.0, 0.0)
    assert score_linking(GOLD, [])["incident.ceafe"].f1 == 0.0
    assert score_linking([], [])["incident.b3"].f1 == 0.0


# ---------------------------------------------------------------------------------------
# The cross-check against scorch.
#
# scorch 0.2's metric functions (``scorch.scores.muc``, ``b_cubed``, ``ceaf_e``) compute the
# formulae of Pradhan et al. (2014) over the two clusterings as given, as the reference
# scorer v8.01 does: a key mention the response lacks is a part of its own in MUC's
# partition and adds to B³'s and CEAF's denominators only, and vice versa. Its MUC edge
# case (0 when every cluster of one side is a singleton) agrees with v8.01's numbers: the
# other side's numerator is then 0 as well. Two differences, handled here:
#
# 1. scorch's front end (``scorch.main.process_files``/``process_dirs``, ``add_sys_mentions``
#    on by default) first adds every response mention missing from the key to the key as a
#    singleton. The reference scorer v8.01 does not (and the SPEC follows v8.01), so we
#    cross-check against the metric functions, which leave the mention sets alone; the last
#    test below shows the front end's numbers differ.
# 2. scorch computes F1 with ``statistics.harmonic_mean``, which raises on the numpy zero that
#    its CEAF gives when no cluster pair shares a mention; the test replaces it with the
#    harmonic mean that is 0 when either value is 0 (the SPEC's zero rule).


@pytest.fixture()
def scorch_scores(monkeypatch):
    scores = pytest.importorskip("scorch.scores")
    monkeypatch.setattr(scores, "harmonic_mean",
                        lambda pair: 0.0 if min(pair) == 0 else 2 * pair[0] * pair[1] / (pair[0] + pair[1]))
    return scores


def random_side(rng: random.Random, universe: list[tuple[int, int]], keep: float) -> list[Annotation]:
    """Events on a random subset of ``universe`` ((doc, start)), with random keys, some keyless."""
    n_keys = rng.randint(1, 6)
    by_doc: dict[int, list[tuple[int, str | None]]] = {}
    for doc, start in universe:
        if rng.random() < keep:
            key = None if rng.random() < 0.2 else f"k{rng.randrange(n_keys)}"
            by_doc.setdefault(doc, []).append((start, key))
    return [mention_events(f"d{doc}", mentions) for doc, mentions in sorted(by_doc.items())]


def test_linking_equals_scorch_on_random_clusterings(scorch_scores):
    rng = random.Random(20240215)
    cases = differing = 0
    for _ in range(300):
        universe = [(doc, 10 * i) for doc in range(rng.randint(1, 3)) for i in range(rng.randint(1, 8))]
        keep_gold, keep_pred = (1.0, 1.0) if rng.random() < 0.2 else (0.8, 0.8)
        gold, pred = random_side(rng, universe, keep_gold), random_side(rng, universe, keep_pred)
        ours = score_linking(gold, pred)
        key = [set(c) for c in incident_clusters(gold)]
        response = [set(c) for c in incident_clusters(pred)]
        differing += set().union(*key, set()) != set().union(*response, set())
        for name, metric in (("incident.muc", scorch_scores.muc), ("incident.b3", scorch_scores.b_cubed),
                             ("incident.ceafe", scorch_scores.ceaf_e)):
            recall, precision, f1 = metric(key, response)
            assert (ours[name].precision, ours[name].recall, ours[name].f1) == pytest.approx(
                (precision, recall, f1), abs=1e-12), (name, key, response)
        cases += 1
    assert cases >= 200 and differing >= 100


def test_scorch_front_end_adds_system_mentions_to_the_key(tmp_path):
    main_module = pytest.importorskip("scorch.main")
    import io

    key = {"type": "clusters", "clusters": {"a": ["m1", "m2"]}}
    response = {"type": "clusters", "clusters": {"a": ["m1", "m2", "m3"]}}
    out = "".join(main_module.process_files(io.StringIO(json.dumps(key)), io.StringIO(json.dumps(response))))
    b3_line = next(line for line in out.splitlines() if line.startswith("B"))
    # With m3 added to the key as a singleton, B³ precision is (4/3 + 1/3) / 3 = 5/9; v8.01 (and we),
    # scoring the mention sets as given, give (4/3) / 3 = 4/9: the spurious m3 earns nothing.
    assert "P=0.5555" in b3_line
    gold = [mention_events("x", [(1, "a"), (2, "a")])]
    pred = [mention_events("x", [(1, "a"), (2, "a"), (3, "a")])]
    assert score_linking(gold, pred)["incident.b3"].precision == pytest.approx(4 / 9)
    assert score_linking(gold, pred)["incident.b3"].recall == 1.0


def test_assignment_per_group_equals_the_full_matrix():
    rng = np.random.default_rng(7)
    for _ in range(100):
        n_left, n_right = rng.integers(1, 9, size=2)
        full = rng.random((n_left, n_right)) * (rng.random((n_left, n_right)) < 0.3)
        pairs = assign({(int(i), int(j)): full[i, j] for i, j in zip(*np.nonzero(full))})
        rows, cols = linear_sum_assignment(full, maximize=True)
        assert sum(full[i, j] for i, j in pairs) == pytest.approx(full[rows, cols].sum())
        assert len({p[0] for p in pairs}) == len({p[1] for p in pairs}) == len(pairs)


def test_ceaf_never_builds_the_all_pairs_matrix(monkeypatch):
    import scipy.optimize

    shapes = []
    real = scipy.optimize.linear_sum_assignment
    monkeypatch.setattr(scipy.optimize, "linear_sum_assignment",
                        lambda m, maximize: shapes.append((len(m), len(m[0]))) or real(m, maximize=maximize))
    gold = [mention_events("x", [(i, f"g{i // 2}") for i in range(40)])]
    pred = [mention_events("x", [(i, f"p{i // 4}") for i in range(40)])]
    ceaf_e(incident_clusters(gold), incident_clusters(pred))
    # 20 x 10 clusters in groups of 2 gold x 1 predicted: each is one node's edges, no matrix at all
    assert max((rows * cols for rows, cols in shapes), default=0) <= 2 * 1


# ---------------------------------------------------------------------------------------
# Records, worked by hand.

def record(incident, date, precision="day", place=None, attackers=(), weapons=(), killed=None, injured=None):
    return IncidentRecord(incident, date, precision, "Iraq", place, tuple(attackers), tuple(weapons), killed, injured)


def test_date_credit():
    assert date_credit("2021-02-15", "2021-02-15") == 1
    assert date_credit("2021-02", "2021-02-15") == date_credit("2021-02-15", "2021-02") == 0.5
    assert date_credit("2021", "2021-02-15") == 0.5  # a year is a prefix too
    assert date_credit("2021-02-14", "2021-02-15") == 0
    assert date_credit("2021-03", "2021-02-15") == 0


def test_place_and_set_credit():
    assert place_credit("erbil", "Erbil") == 1 and place_credit("Erbil", "Harir") == 0
    assert place_credit(None, None) == 1 and place_credit(None, "Erbil") == 0
    both_empty = field_credits(record("p", "2020"), record("g", "2020"))
    assert both_empty[2] == both_empty[3] == 1
    one_empty = field_credits(record("p", "2020", attackers=["Kataib Hezbollah"]), record("g", "2020"))
    assert one_empty[2] == 0
    partial = field_credits(record("p", "2020", attackers=["guardians of blood", "Kataib Hezbollah"]),
                            record("g", "2020", attackers=["Guardians of Blood"]))
    assert partial[2] == pytest.approx(2 / 3)


def test_count_credit_mercury():
    assert count_credit(None, None) == 1 and count_credit(3, 3) == 1 and count_credit(0, 0) == 1
    assert count_credit(3, None) == count_credit(None, 0) == 0
    assert count_credit(1, 2) == pytest.approx(0.75)  # 1 - 1 / max(1, 2, 4)
    assert count_credit(3, 0) == pytest.approx(0.25)  # 1 - 3 / 4
    assert count_credit(10, 5) == pytest.approx(0.5)  # 1 - 5 / 10
    assert count_credit(30, 5) == pytest.approx(1 / 6)  # 1 - 25 / 30
    assert count_credit(0, 20) == 0 and count_credit(4, 0) == 0  # 0 only when one figure is 0 and the other >= 4


G1 = record("2021-02-15-erbil", "2021-02-15", place="Erbil", attackers=["Guardians of Blood"], weapons=["rocket"],
            killed=1, injured=5)
G2 = record("2023-10-harir", "2023-10", "month", place="Harir", weapons=["drone"])
P1 = record("a", "2021-02", "month", place="erbil", attackers=["guardians of blood", "Kataib Hezbollah"],
            weapons=["rocket"], killed=2, injured=9)
P2 = record("b", "2023-10-20", place="Harir", weapons=["drone", "rocket"], killed=0)
P3 = record("c", "1999", "year", place="Mosul", attackers=["X"], weapons=["firearm"], killed=100, injured=100)


def test_record_alignment_by_hand():
    # P1-G1: date 1/2, place 1, attackers 2/3, weapons 1, killed 1 - 1/4, injured 1 - 4/9   = 4.4722
    # P2-G2: date 1/2, place 1, attackers 1 (both empty), weapons 2/3, killed 0 (one null),
    #        injured 1 (both null)                                                      = 4.1667
    # P2-G1: weapons 2/3, killed 1 - 1/4 = 1.4167; P3-G1: killed 0.01, injured 0.05; P1-G2 = P3-G2 = 0.
    # Best: P1-G1 + P2-G2 = 311/36; P3 can match G1 only, which P1 takes.
    scores = score_records([G1, G2], [P3, P2, P1])
    assert scores.tp == pytest.approx(311 / 36)
    assert (scores.predicted, scores.gold) == (18, 12)
    assert scores.precision == pytest.approx(311 / 36 / 18) and scores.recall == pytest.approx(311 / 36 / 12)
    expected = {"date": 1.0, "place": 2.0, "attackers": 5 / 3, "weapon_classes": 5 / 3, "killed": 0.75,
                "injured": 14 / 9}
    assert list(scores.by_field) == list(RECORD_FIELDS)
    for name, tp in expected.items():
        field = scores.by_field[name]
        assert (field.tp, field.predicted, field.gold) == (pytest.approx(tp), 3, 2), name
        assert field.f1 == pytest.approx(2 * (tp / 3) * (tp / 2) / (tp / 3 + tp / 2))


def test_records_order_does_not_change_the_total():
    assert score_records([G2, G1], [P1, P2, P3]).tp == pytest.approx(score_records([G1, G2], [P3, P2, P1]).tp)


def test_no_predicted_records_scores_zero():
    scores = score_records([G1, G2], [])
    assert (scores.tp, scores.predicted, scores.gold, scores.f1) == (0, 0, 12, 0)
    assert all(f.tp == 0 for f in scores.by_field.values())


# ---------------------------------------------------------------------------------------
# The shipped gold (with the fixture's records) against itself, and the CLI.

@pytest.fixture(scope="module")
def gold():
    from benchmark.inputs.read import read_gold

    return read_gold(GOLD_FILE)


def test_gold_records_fixture_covers_every_gold_key(gold):
    records = read_incident_records(GOLD_RECORDS, gold)
    keys = {e.attrs["incident"] for a in gold for e in a.events if "incident" in e.attrs}
    assert {r.incident for r in records} == keys


def test_gold_against_itself_is_perfect_on_every_incident_key(gold):
    records = read_incident_records(GOLD_RECORDS, gold)
    scores = score_incidents(gold, gold, records, records)
    assert list(scores) == list(INCIDENT_KEYS)
    for key, value in scores.items():
        assert (value.precision, value.recall, value.f1) == (1.0, 1.0, 1.0), key
    assert all(f.f1 == 1.0 for f in scores["incident.record"].by_field.values())


def run_json(capsys, *extra: str) -> dict:
    code = main(["evaluate", "--pred", str(GOLD_FILE), "--gold", str(GOLD_FILE), "--format", "json",
                 "--resamples", "20", "--gold-incidents", str(GOLD_RECORDS), *extra])
    out = capsys.readouterr().out
    assert code == 0
    return json.loads(out)


def test_cli_gold_as_prediction_with_records_is_perfect_and_without_scores_zero_on_record(capsys):
    full = run_json(capsys, "--incidents", str(GOLD_RECORDS))
    bare = run_json(capsys)
    for key in INCIDENT_KEYS:
        assert full[key]["f1"] == 1.0, key
    assert bare["incident.record"]["f1"] == 0 and bare["incident.record"]["tp"] == 0
    assert bare["incident.record"]["gold"] == 6 * 16 and bare["incident.record"]["predicted"] == 0
    assert {k: v for k, v in bare.items() if k != "incident.record"} == \
        {k: v for k, v in full.items() if k != "incident.record"}
    assert set(full["incident.record"]["groups"]) == set(RECORD_FIELDS)


def test_cli_table_shows_incident_rows(capsys):
    code = main(["evaluate", "--pred", str(GOLD_FILE), "--resamples", "20", "--gold-incidents", str(GOLD_RECORDS),
                 "--incidents", str(GOLD_RECORDS)])
    out = capsys.readouterr().out
    assert code == 0
    lines = {line.split()[0]: line.split() for line in out.splitlines() if line.startswith("incident.")}
    assert lines["incident.conll"] == ["incident.conll", "100.0", "100.0", "100.0", "68", "68", "68"]
    assert lines["incident.record[killed]"] == ["incident.record[killed]", "100.0", "100.0", "100.0", "16", "16",
                                                "16"]


# ---------------------------------------------------------------------------------------
# The record reader: every problem located by file, line and field.

def test_reader_reports_every_problem_with_line_and_field(tmp_path, gold):
    good = record_to_json(G1)
    path = write_lines(tmp_path / "incidents.jsonl", [
        good,
        {**good, "incident": "2020-01-03-baghdad", "date": "2020-01", "date_precision": "day"},
        {**good, "incident": "2019-12-27-kirkuk", "weapon_classes": ["laser"], "killed": -1, "colour": "red"},
        {**good, "incident": "no-such-key"},
        good,
        "{not json",
        {**good, "incident": "2019-12-29-al-qaim", "date": "2019-02-30"},
    ])
    with pytest.raises(SubmissionError) as error:
        read_incident_records(path, gold)
    found = {(p.line, p.field) for p in error.value.problems}
    assert found == {(2, "date"), (3, "weapon_classes"), (3, "killed"), (3, "colour"), (4, "incident"),
                     (5, "incident"), (6, None), (7, "date")}
    assert all(p.file == str(path) for p in error.value.problems)


def test_reader_round_trip_and_absent_fields_are_null(tmp_path):
    path = tmp_path / "incidents.jsonl"
    write_incident_records(path, [G1, G2])
    assert read_incident_records(path) == [G1, G2]
    write_lines(path, [{"incident": "k", "date": "2020", "date_precision": "year"}])
    assert read_incident_records(path) == [IncidentRecord("k", "2020", "year")]


def test_cli_rejects_a_record_whose_key_no_predicted_event_uses(tmp_path, capsys):
    path = write_lines(tmp_path / "incidents.jsonl", [record_to_json(record("unknown-key", "2020", "year"))])
    code = main(["evaluate", "--pred", str(GOLD_FILE), "--resamples", "5", "--gold-incidents", str(GOLD_RECORDS),
                 "--incidents", str(path)])
    err = capsys.readouterr().err
    assert code == 2
    assert f"{path}:1: item incident unknown-key, field incident: no event" in err


def test_cli_needs_gold_records_for_predicted_records(tmp_path, capsys):
    gold_copy = tmp_path / "gold.jsonl"
    gold_copy.write_bytes(GOLD_FILE.read_bytes())
    code = main(["evaluate", "--pred", str(gold_copy), "--gold", str(gold_copy), "--resamples", "5",
                 "--incidents", str(GOLD_RECORDS)])
    assert code == 2
    assert "need gold records" in capsys.readouterr().err


# ---------------------------------------------------------------------------------------
# The leaderboard: a submission may add incidents.jsonl.

def test_leaderboard_scores_a_submissions_incidents_and_skips_bad_ones(tmp_path):
    from benchmark.leaderboard.board import build_leaderboard
    from test_leaderboard import submit

    root = tmp_path / "submissions"
    gold_text = GOLD_FILE.read_text(encoding="utf-8")
    submit(root, "with", "With records", "predictions.jsonl", gold_text)
    (root / "with" / "incidents.jsonl").write_bytes(GOLD_RECORDS.read_bytes())
    submit(root, "without", "Without records", "predictions.jsonl", gold_text)
    submit(root, "bad", "Bad records", "predictions.jsonl", gold_text)
    write_lines(root / "bad" / "incidents.jsonl", [record_to_json(record("not-used", "2020", "year")),
                                                   record_to_json(record("2021-02-15-erbil", "2020", "day"))])
    board = build_leaderboard(root, GOLD_FILE, gold_incidents=GOLD_RECORDS, now="2026-01-01T00:00:00Z")
    entries = {e["folder"]: e for e in board["entries"]}
    assert set(entries) == {"with", "without"}
    assert board["manifest"]["keys"][-len(INCIDENT_KEYS):] == list(INCIDENT_KEYS)
    assert entries["with"]["incidents_file"] == "incidents.jsonl" and entries["without"]["incidents_file"] is None
    assert all(entries["with"]["scores"][k]["f1"] == 1 for k in INCIDENT_KEYS)
    assert entries["with"]["scores"]["incident.record"]["groups"]["killed"]["tp"] == 16
    assert entries["without"]["scores"]["incident.record"]["f1"] == 0
    assert entries["without"]["scores"]["incident.conll"]["f1"] == 1
    reasons = board["skipped"][0]["reasons"]
    assert board["skipped"][0]["folder"] == "bad" and len(reasons) == 2
    assert reasons[0].startswith("bad/incidents.jsonl:1: item incident not-used, field incident: no event")
    assert reasons[1].startswith("bad/incidents.jsonl:2: field date: '2020' does not have the form YYYY-MM-DD")


def test_stats_count_incidents_and_records(gold):
    from benchmark.report.stats import incident_summary, incidents

    records = read_incident_records(GOLD_RECORDS, gold)
    assert incident_summary(gold, records) == ("16 incidents (keys), 16 records, 65 event mentions with a key, "
                                               "3 without")
    table = incidents(gold, records).set_index("incident")
    assert table.loc["2021-02-15-erbil", ["mentions", "date", "killed", "injured"]].tolist() == \
        [27, "2021-02-15", 1, 5]
    assert list(incidents(gold).columns) == ["incident", "mentions", "documents"]


def test_linking_never_depends_on_order():
    rng = random.Random(5)
    for _ in range(50):
        universe = [(doc, 10 * i) for doc in range(3) for i in range(6)]
        gold, pred = random_side(rng, universe, 0.9), random_side(rng, universe, 0.9)
        shuffled = [Annotation(a.doc_id, events=tuple(rng.sample(a.events, len(a.events)))) for a in pred]
        rng.shuffle(shuffled)
        first, second = score_linking(gold, pred), score_linking(gold[::-1], shuffled)
        for key in first:
            assert (first[key].precision, first[key].recall, first[key].tp) == pytest.approx(
                (second[key].precision, second[key].recall, second[key].tp)), key


# ---------------------------------------------------------------------------------------
# The worked examples of docs/CONTRACT.md (#incident-linking, #incident-records-score).

def test_contract_linking_example():
    gold = [mention_events("x", [(1, "2021-02-15-erbil"), (2, "2021-02-15-erbil"), (3, "2021-02-15-erbil"),
                                 (4, None)])]
    pred = [mention_events("x", [(1, "a"), (2, "a"), (3, "b"), (4, "b"), (5, None)])]
    scores = score_linking(gold, pred)
    expected = {"incident.muc": (0.5, 0.5, 0.5), "incident.b3": (3 / 5, 2 / 3, 12 / 19),
                "incident.ceafe": (22 / 45, 11 / 15, 44 / 75)}
    for key, value in expected.items():
        assert (scores[key].precision, scores[key].recall, scores[key].f1) == pytest.approx(value), key
        assert (scores[key].tp, scores[key].predicted, scores[key].gold) == (4, 5, 4)
    conll = [sum(v[i] for v in expected.values()) / 3 for i in range(3)]
    assert (scores["incident.conll"].precision, scores["incident.conll"].recall, scores["incident.conll"].f1) == \
        pytest.approx(conll)
    assert [round(v, 3) for v in conll] == [0.530, 0.633, 0.573]


def test_contract_records_example():
    gold = [record("2021-02-15-erbil", "2021-02-15", place="Erbil", attackers=["Guardians of Blood"],
                   weapons=["rocket"], killed=1, injured=9),
            record("2021-03-15-balad", "2021-03-15", place="Balad", weapons=["rocket"]),
            record("2020-01-08-ain-al-asad", "2020-01-08", place="Ain al-Asad", attackers=["Iran"],
                   weapons=["missile"])]
    pred = [record("a", "2021-02", "month", place="erbil", attackers=["Guardians of Blood", "Kataib Hezbollah"],
                   weapons=["rocket"], killed=1, injured=5),
            record("b", "2021-03-15", place="Baghdad", weapons=["rocket", "drone"], killed=0)]
    scores = score_records(gold, pred)
    assert scores.tp == pytest.approx(151 / 18)
    assert (scores.predicted, scores.gold) == (12, 18)
    assert [round(v, 3) for v in (scores.precision, scores.recall, scores.f1)] == [0.699, 0.466, 0.559]
    per_field = {"date": 1.5, "place": 1, "attackers": 5 / 3, "weapon_classes": 5 / 3, "killed": 1, "injured": 14 / 9}
    for name, tp in per_field.items():
        assert (scores.by_field[name].tp, scores.by_field[name].predicted, scores.by_field[name].gold) == \
            (pytest.approx(tp), 2, 3), name
    assert sum(field_credits(pred[1], gold[0])) == pytest.approx(1 + 5 / 12)  # P2-G1 1.417
    assert [count_credit(5, 9), count_credit(0, 1), count_credit(2, 12), count_credit(0, 5)] == \
        pytest.approx([1 - 4 / 9, 0.75, 1 - 10 / 12, 0])


def test_validate_takes_an_incident_record_file(tmp_path, capsys):
    from benchmark.cli import main
    from benchmark.paths import INCIDENTS_FILE

    assert main(["validate", str(INCIDENTS_FILE), "--format", "incidents"]) == 0
    bad = tmp_path / "records.jsonl"
    bad.write_text('{"incident": "k", "date": "2021-13", "date_precision": "month"}\n', encoding="utf-8")
    capsys.readouterr()
    assert main(["validate", str(bad), "--format", "incidents"]) == 2
    assert f"{bad}:1: field date:" in capsys.readouterr().err


def test_every_incident_key_is_in_the_json_even_without_gold_records(tmp_path, capsys):
    """SPEC 3: the result holds every key; a gold without records scores incident.record against none."""
    import json
    import shutil

    from benchmark.cli import main
    from benchmark.paths import GOLD_FILE

    gold = tmp_path / "gold.jsonl"
    shutil.copy(GOLD_FILE, gold)  # not the shipped path: no gold records go with it
    assert main(["evaluate", "--gold", str(gold), "--pred", str(gold), "--format", "json", "--resamples", "0"]) == 0
    out, err = capsys.readouterr()
    scores = json.loads(out)
    assert set(INCIDENT_KEYS) <= set(scores)
    assert (scores["incident.record"]["gold"], scores["incident.record"]["f1"]) == (0, 0)
    assert scores["incident.conll"]["f1"] == 1.0 and "give --gold-incidents" in err
