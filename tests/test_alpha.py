"""Krippendorff's alpha in ``agreement``: worked by hand (half-open code-point offsets)."""

from __future__ import annotations

import pytest

from benchmark.model import Annotation, Entity, Event, Span, to_attributes
from benchmark.report.alpha import casualty_count_alpha, span_label_alpha


def entity(start, end, label, **attributes):
    return Entity(Span(start, end), label, to_attributes(attributes))


def test_span_label_alpha_by_hand():
    # A: ACTOR [0, 3). B: ACTOR [0, 3), WEAPON [4, 5). Units: code points 0, 1, 2, 4; pairs
    # (ACTOR, ACTOR) x 3 and (none, WEAPON). Coincidences: n_ACTOR = 6, n_none = n_WEAPON = 1, n = 8.
    # D_o = 2 / 8; D_e = 2 (6 + 6 + 1) / (8 x 7) = 26 / 56; alpha = 1 - (1/4) / (26/56) = 6/13.
    a = [Annotation("d", (entity(0, 3, "ACTOR"),))]
    b = [Annotation("d", (entity(0, 3, "ACTOR"), entity(4, 5, "WEAPON")))]
    result = span_label_alpha(a, b)
    assert result.units == 4 and result.value == pytest.approx(6 / 13)


def test_span_label_alpha_counts_triggers_and_a_wrong_label_against():
    # A: ACTOR [0, 2) and trigger [5, 6). B: LOCATION [0, 2) and the same trigger. Units 0, 1, 5:
    # (ACTOR, LOCATION) x 2, (trigger, trigger). n_ACTOR = n_LOCATION = 2, n_trigger = 2, n = 6.
    # D_o = 4/6; D_e = 2 (4 + 4 + 4) / 30 = 24/30; alpha = 1 - (4/6) / (24/30) = 1/6.
    trigger = Event("ATTACK", Span(5, 6))
    a = [Annotation("d", (entity(0, 2, "ACTOR"),), (trigger,))]
    b = [Annotation("d", (entity(0, 2, "LOCATION"),), (trigger,))]
    assert span_label_alpha(a, b).value == pytest.approx(1 / 6)


def test_casualty_count_alpha_by_hand():
    # Shared CASUALTY spans with counts (1, 1), (9, 9), (2, 3); a span only A marked is no unit.
    # Interval: D_o = 2 x 1 / 6; D_e = 2 x 437 / (6 x 5) (the squared differences of all pairs of
    # the six values 1, 1, 9, 9, 2, 3 sum to 437); alpha = 1 - 10/874 = 432/437.
    def side(counts, extra=()):
        spans = [entity(10 * i, 10 * i + 3, "CASUALTY", status="killed", count=c, qualifier="exact")
                 for i, c in enumerate(counts)]
        return [Annotation("d", tuple(spans) + tuple(extra))]
    a = side([1, 9, 2], [entity(50, 53, "CASUALTY", status="killed", count=4, qualifier="exact")])
    b = side([1, 9, 3])
    result = casualty_count_alpha(a, b, "interval")
    assert result.units == 3 and result.value == pytest.approx(432 / 437)


def test_alpha_is_undefined_without_variation_or_units():
    same = [Annotation("d", (entity(0, 3, "CASUALTY", status="killed", count=2, qualifier="exact"),))]
    assert casualty_count_alpha(same, same).value is None
    assert casualty_count_alpha([Annotation("d")], [Annotation("d")]).units == 0
    assert span_label_alpha([Annotation("d")], [Annotation("d")]).value is None


def test_agreement_reports_linking_and_alpha(tmp_path, capsys):
    import json
    from pathlib import Path

    from benchmark.cli import main
    from benchmark.report.agreement import export_agreement
    from benchmark.scoring.incidents import LINKING_KEYS

    fixture = Path(__file__).parent / "fixtures" / "labelstudio_export_rich.json"
    [pair] = export_agreement(fixture)
    assert list(pair.incidents) == list(LINKING_KEYS)
    assert set(pair.alpha) == {"span_labels", "casualty_counts_interval", "casualty_counts_ratio"}
    assert main(["agreement", str(fixture), "--json", str(tmp_path / "a.json")]) == 0
    out = capsys.readouterr().out.splitlines()
    assert any(line.split()[:2] == ["incident.conll", f"{pair.incidents['incident.conll'].f1:.3f}"] for line in out)
    assert any(line.split()[:3] == ["alpha", "span", "labels"] for line in out)
    [record] = json.loads((tmp_path / "a.json").read_text(encoding="utf-8"))
    assert record["scores"]["incident.b3"]["f1"] == pytest.approx(pair.incidents["incident.b3"].f1)
    assert record["krippendorff_alpha"]["span_labels"]["units"] == pair.alpha["span_labels"].units
