"""The benchmark keeps working: one short round of `make bench` (no timing is asserted)."""

import json
import subprocess
import sys

from bench.harness import ROOT
from bench.report import FIGURES


def test_a_short_bench_round_measures_every_figure_for_both_apps(tmp_path):
    run = subprocess.run(
        [sys.executable, "-m", "bench.run", "--rounds", "1", "--sessions", "2", "--clicks", "2",
         "--cities", "2", "--out", str(tmp_path)],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    results = json.loads((tmp_path / "results.json").read_text())
    for app in ("dashboard", "baseline"):
        figures = results["apps"][app]["figures"]
        assert {key for key, _, _ in FIGURES} <= set(figures)
        assert all(figures[key]["n"] >= 1 for key, _, _ in FIGURES), figures
        crowd = results["apps"][app]["concurrency"]
        assert crowd["clicks_answered"] == 4 and crowd["errors"] == []
    assert results["apps"]["dashboard"]["problems"] == []
    table = (tmp_path / "RESULTS.md").read_text()
    assert "| figure | unit | dashboard | baseline | dashboard ÷ baseline |" in table
    assert "## Targets (issue #5)" in table


def test_a_short_soak_runs_and_reports(tmp_path):
    run = subprocess.run(
        [sys.executable, "-m", "bench.soak", "--browsers", "1", "--sockets", "1", "--minutes", "0.1",
         "--out", str(tmp_path)],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )
    soak = json.loads((tmp_path / "soak.json").read_text())
    assert soak["errors"] == [], soak["errors"]
    assert soak["clicks"] >= 1 and soak["socket_runs"] >= 1
    assert run.returncode == (0 if soak["memory_back"] else 1)
