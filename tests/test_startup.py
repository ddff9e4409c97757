"""Start-up: the CLI and the scorer import no heavy library they do not use (issue 12, item 3).

Each check runs in a fresh interpreter (``sys.executable``), so nothing imported by the
test session leaks in.
"""

from __future__ import annotations

import subprocess
import sys

from benchmark.paths import ROOT

HEAVY = ("datasets", "pandas", "spacy", "sklearn", "matplotlib")


def imported_after(code: str) -> list[str]:
    """The heavy modules (and scipy) in ``sys.modules`` after running ``code``."""
    probe = f"{code}\nimport sys\nprint(sorted(m for m in {(*HEAVY, 'scipy')!r} if m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-2000:]
    return eval(result.stdout.strip().splitlines()[-1])


def test_importing_the_cli_and_the_package_imports_nothing_heavy():
    assert imported_after("import benchmark.cli") == []
    assert imported_after("import benchmark") == []


def test_validating_a_prediction_file_imports_nothing_heavy():
    code = ("from benchmark.cli import main\n"
            "assert main(['validate', 'leaderboard/submissions/rules/predictions.jsonl']) == 0")
    assert imported_after(code) == []


def test_scipy_only_when_a_hungarian_step_runs():
    setup = ("from benchmark import Annotation, Entity, Span, score\n"
             "def doc(*spans): return [Annotation('d', tuple(Entity(Span(s, e), 'ACTOR') for s, e in spans))]\n")
    # one prediction overlapping one gold span, or several: a lone edge or a star, no assignment to solve
    assert imported_after(setup + "score(doc((0, 4), (10, 14)), doc((0, 4), (12, 20)))") == []
    assert imported_after(setup + "score(doc((0, 10)), doc((0, 4), (5, 10)))") == []
    # two predictions each overlapping the same two gold spans: the Hungarian algorithm decides
    assert imported_after(setup + "score(doc((0, 4), (5, 10)), doc((3, 7), (2, 6)))") == ["scipy"]


def test_scores_are_a_mapping_with_a_dataframe_on_request():
    from benchmark import Annotation, Entity, Span, score

    gold = [Annotation("d", (Entity(Span(0, 4), "ACTOR"),))]
    scores = score(gold, gold)
    assert list(scores.keys())[0] == "entity.strict" and dict(scores.items())["entity.strict"].f1 == 1
    assert scores.to_dict()["entity.strict"]["per_document"] == {
        "d": {"precision": 1.0, "recall": 1.0, "f1": 1.0, "tp": 1, "predicted": 1, "gold": 1}}
    frame = scores.to_dataframe()
    assert frame.loc[(frame.key == "entity.strict") & (frame.group == "ACTOR"), "f1"].item() == 1.0
