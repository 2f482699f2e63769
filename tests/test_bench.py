"""The benchmark keeps working: one short run of `make bench` (no timing is asserted)."""

import json
import subprocess
import sys

import pytest

from bench.report import FIGURES
from bench.run import PAGES

from helpers import ROOT

pytestmark = pytest.mark.bench


def test_a_smoke_run_of_the_bench_measures_every_figure_for_both_apps(tmp_path):
    run = subprocess.run([sys.executable, "-m", "bench.run", "--smoke", "--out", str(tmp_path)],
                         cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-3000:]
    results = json.loads((tmp_path / "results.json").read_text())
    for app in ("dashboard", "baseline"):
        figures = results["apps"][app]["figures"]
        assert {key for key, _, _ in FIGURES} <= set(figures)
        assert all(figures[key]["n"] >= 1 for key, _, _ in FIGURES), figures
        for crowd in ("concurrency", "socket_concurrency"):
            assert results["apps"][app][crowd]["clicks_answered"] == 1
            assert results["apps"][app][crowd]["errors"] == []
    pages = results["apps"]["dashboard"]["page_rerun_ms"]
    assert set(pages) == set(PAGES) and all(p["wall"]["n"] == 1 and p["wall"]["median"] > 0 for p in pages.values())
    assert results["apps"]["dashboard"]["problems"] == []
    table = (tmp_path / "RESULTS.md").read_text()
    assert "| figure | unit | dashboard | baseline | dashboard ÷ baseline |" in table
    assert "## Warm rerun by page (dashboard)" in table and "data page, warm rerun ≤ 20 ms" in table
