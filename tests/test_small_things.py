"""Issue 14, item 9: commands say what they wrote; scoring needs no Label Studio SDK."""

from __future__ import annotations

import subprocess
import sys

import benchmark.dataset.build as build
import benchmark.paths as paths
from benchmark.cli import main
from benchmark.paths import ROOT


def test_build_says_what_it_wrote_and_what_was_fresh(tmp_path, monkeypatch, capsys):
    fresh, stale = tmp_path / "fresh.txt", tmp_path / "stale.txt"
    fresh.write_text("same\n", encoding="utf-8")
    monkeypatch.setattr(build, "build_outputs", lambda: {fresh: "same\n", stale: "new\n"})
    assert main(["build"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        f"wrote {stale}", "1 file written, 1 already up to date (of 2 generated files)"]
    assert main(["build"]) == 0
    assert capsys.readouterr().out.splitlines() == ["0 files written, 2 already up to date (of 2 generated files)"]


def test_stats_write_prints_the_paths_it_wrote(tmp_path, monkeypatch, capsys):
    readme, datasheet = tmp_path / "README.md", tmp_path / "DATASHEET.md"
    readme.write_text((ROOT / "README.md").read_text(encoding="utf-8").replace("| total | 151 |", "| total | 0 |"),
                      encoding="utf-8")
    datasheet.write_text((ROOT / "DATASHEET.md").read_text(encoding="utf-8"), encoding="utf-8")
    figure = tmp_path / "docs" / "label_distribution.png"
    monkeypatch.setattr(paths, "DOCUMENTED_FILES", [readme, datasheet])
    monkeypatch.setattr(paths, "STATS_FIGURE", figure)
    assert main(["stats", "--write"]) == 0
    assert capsys.readouterr().err.splitlines() == [f"updated {readme}", f"wrote {figure}"]
    assert main(["stats", "--write"]) == 0
    assert capsys.readouterr().err.splitlines() == [f"tables already up to date in {readme}, {datasheet}",
                                                    f"wrote {figure}"]


def test_scoring_imports_no_label_studio_sdk(tmp_path):
    code = ("import sys\nfrom benchmark.cli import main\n"
            "assert main(['evaluate', '--pred', sys.argv[1], '--resamples', '10']) == 0\n"
            "print(sorted(m for m in sys.modules if m.startswith('label_studio')))")
    result = subprocess.run([sys.executable, "-c", code, str(ROOT / "annotations" / "gold.jsonl")], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.splitlines()[-1] == "[]"


def test_label_studio_sdk_is_an_extra():
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert not any(d.startswith("label-studio") for d in project["dependencies"])
    assert any(d.startswith("label-studio-sdk") for d in project["optional-dependencies"]["labelstudio"])
    assert 'pip install -q -e ".[test,labelstudio]"' in (ROOT / "scripts" / "install_test_env.sh").read_text()
