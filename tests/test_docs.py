"""The documentation: quoted figures are fresh, and every README example runs."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys

import pytest

from benchmark.report.agreement import export_agreement, format_agreement
from benchmark.report.docblocks import read_block, stale_blocks
from benchmark.inputs.read import read_gold
from benchmark.paths import AGREEMENT_FILE, ANNOTATIONS_DIR, DOCUMENTED_FILES, ROOT
from benchmark.report.stats import stats_blocks
from conftest import cli

README = ROOT / "README.md"
SETUP_COMMANDS = ("pip ", "bash scripts/")


def fenced(text: str, language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", text, re.S)


def test_statistics_quoted_in_readme_and_datasheet_are_fresh():
    from benchmark.incidents import read_incident_records
    from benchmark.paths import INCIDENTS_FILE

    gold = read_gold()
    records = read_incident_records(INCIDENTS_FILE, gold) if INCIDENTS_FILE.exists() else None
    blocks = stats_blocks(gold, records)
    assert stale_blocks(DOCUMENTED_FILES, blocks) == [], "run `iraq-attacks stats --write`"
    for path in DOCUMENTED_FILES:
        assert read_block(path.read_text(encoding="utf-8"), "stats-overview") == blocks["stats-overview"], path


@pytest.mark.parametrize("round_name", ["round1", "round2", "round3"])
def test_agreement_figures_are_what_the_command_prints(round_name):
    table = "```text\n" + format_agreement(export_agreement(ANNOTATIONS_DIR / "agreement" / f"{round_name}_export.json")) + "\n```\n"
    files = [AGREEMENT_FILE, *DOCUMENTED_FILES]
    assert stale_blocks(files, {f"agreement-{round_name}": table}) == []
    assert read_block(AGREEMENT_FILE.read_text(encoding="utf-8"), f"agreement-{round_name}") == table


def test_readme_opens_with_the_two_fresh_machine_commands():
    text = README.read_text(encoding="utf-8")
    body = text[text.index("\n---\n", 4) + 5:]
    first_block = fenced(body, "bash")[0].strip().splitlines()
    assert body.startswith("```bash\n") and len(first_block) == 2
    assert first_block[0].startswith("pip install -e . && iraq-attacks stats && iraq-attacks baselines all")
    assert first_block[1] == "bash scripts/install_test_env.sh && python -m pytest"
    assert (ROOT / ".ci" / "run").read_text().strip().endswith(first_block[1])


def test_results_table_in_readme_is_what_the_main_job_prints(baselines_run):
    printed, out = baselines_run
    block = read_block(README.read_text(encoding="utf-8"), "results")
    assert block == "```text\n" + printed.rstrip("\n") + "\n```\n", "run the main job with --write-readme"
    for name in ("gazetteer", "rules", "crf"):
        shipped = ROOT / "leaderboard" / "submissions" / name / "predictions.jsonl"
        assert shipped.read_bytes() == (out / f"{name}.jsonl").read_bytes(), f"copy {name}.jsonl to {shipped}"
    shipped = ROOT / "leaderboard" / "submissions" / "rules" / "incidents.jsonl"
    assert shipped.read_bytes() == (out / "rules.incidents.jsonl").read_bytes(), f"copy rules.incidents.jsonl to {shipped}"


def test_shipped_leaderboard_is_what_the_command_writes(tmp_path):
    result = cli("leaderboard", "leaderboard/submissions", "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr[-2000:]
    fresh = json.loads((tmp_path / "leaderboard.json").read_text(encoding="utf-8"))
    shipped = json.loads((ROOT / "leaderboard" / "leaderboard.json").read_text(encoding="utf-8"))
    for board in (fresh, shipped):
        board["manifest"].pop("date")
    assert fresh == shipped, "run `iraq-attacks leaderboard leaderboard/submissions --out leaderboard`"


def test_python_examples_in_readme_run(tmp_path):
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "HF_DATASETS_CACHE": str(tmp_path / "hf")}
    for number, code in enumerate(fenced(README.read_text(encoding="utf-8"), "python")):
        result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
        assert result.returncode == 0, f"example {number} failed:\n{code}\n{result.stderr[-2000:]}"


def test_shell_commands_in_readme_run(tmp_path, baselines_run):
    """Every command of the README's bash blocks, with ``out/`` redirected into tmp_path and
    ``iraq-attacks`` run as ``python -m benchmark`` with this interpreter.

    Installation lines are left to CI; the main job's ``baselines all`` is the session's
    run (``baselines_run``), copied to where the README puts it.
    """
    out = tmp_path / "out"
    commands = []
    for block in fenced(README.read_text(encoding="utf-8"), "bash"):
        for line in block.strip().splitlines():
            for part in line.split(" && "):
                if not part.startswith(SETUP_COMMANDS) and part.strip() != "python -m pytest":
                    commands.append(part.replace("out/", f"{out}/"))
    assert any(c.startswith("iraq-attacks baselines all") for c in commands)
    out.mkdir()
    # `iraq-attacks` runs this checkout's code (the installed script may run another checkout's)
    shim = tmp_path / "bin" / "iraq-attacks"
    shim.parent.mkdir()
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m benchmark "$@"\n')
    shim.chmod(0o755)
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "PATH": f"{shim.parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    for command in commands:
        if command.startswith("iraq-attacks baselines all --out-dir "):
            shutil.copytree(baselines_run[1], command.split("--out-dir ", 1)[1].split()[0])
            continue
        command = re.sub(r"^iraq-attacks\b", f"{shlex.quote(sys.executable)} -m benchmark", command)
        result = subprocess.run(command, shell=True, cwd=ROOT, env=env, capture_output=True, text=True)
        assert result.returncode == 0, f"{command}\n{result.stderr[-2000:]}"


def test_commands_named_in_the_datasheet_exist():
    text = (ROOT / "DATASHEET.md").read_text(encoding="utf-8")
    named = sorted(set(re.findall(r"`iraq-attacks ([a-z]+(?: (?:tasks|import))?)", text)))
    assert {"stats", "agreement", "build"} <= {n.split()[0] for n in named}
    for command in named:
        result = cli(*command.split(), "--help")
        assert result.returncode == 0, f"iraq-attacks {command}: {result.stderr}"
