"""The benchmark keeps working: one short run of `make bench` (no timing is asserted)."""

import json
import subprocess
import sys

import pytest

from bench.report import FIGURES
from bench.run import PAGES

from helpers import ROOT

pytestmark = [pytest.mark.bench, pytest.mark.slow]


def test_a_smoke_run_of_the_bench_measures_every_figure(tmp_path):
    run = subprocess.run([sys.executable, "-m", "bench.run", "--smoke", "--out", str(tmp_path)],
                         cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-3000:]
    results = json.loads((tmp_path / "results.json").read_text())
    assert set(results["apps"]) == {"dashboard"}  # the baseline is measured by `make bench` only
    figures = results["apps"]["dashboard"]["figures"]
    assert {key for key, _, _ in FIGURES} <= set(figures)
    assert all(figures[key]["n"] >= 1 for key, _, _ in FIGURES), figures
    for crowd in ("concurrency", "socket_concurrency"):
        assert results["apps"]["dashboard"][crowd]["clicks_answered"] == 1
        assert results["apps"]["dashboard"][crowd]["errors"] == []
    pages = results["apps"]["dashboard"]["page_rerun_ms"]
    assert set(pages) == set(PAGES) and all(p["wall"]["n"] == 1 and p["wall"]["median"] > 0 for p in pages.values())
    assert results["apps"]["dashboard"]["problems"] == []
    table = (tmp_path / "RESULTS.md").read_text()
    assert "| figure | unit | dashboard | baseline | dashboard ÷ baseline |" in table
    assert "## Warm rerun by page (dashboard)" in table and "data page, warm rerun ≤ 20 ms" in table


def test_the_baseline_app_runs_and_builds_its_map():
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "bench" / "baseline_app.py"), default_timeout=60).run()
    assert not at.exception
    assert at.title[0].value == "China–Central Asia corridors (baseline)"
    assert [c for c in at.get("component_instance") if "folium" in c.proto.component_name]


def test_the_cluster_bench_reports_both_runs_and_replaces_its_own_section_only(tmp_path):
    from bench.cluster import SECTION, report, write_section

    def run(replicas, rate):
        return {"replicas": replicas, "sessions": 20, "clicks_per_session": 60, "clicks_per_s": rate,
                "click_to_details_ms": {"median": 100.0, "p95": 200.0, "n": 1200}, "replicas_cpu_share": 0.9,
                "machine_cpu_share": 1.0, "errors": []}

    section = report({"date": "2026-12-02T16:00:00", "cpus": 2, "runs": [run(1, 50.0), run(2, 90.0)]})
    assert "| 1 | 50.0 | 100 | 200 |" in section and "| 2 | 90.0 |" in section and "**1.80×**" in section
    results = tmp_path / "RESULTS.md"
    results.write_text("# Results\n\n## Before\n\nkept\n\n" + SECTION + "\n\nold\n\n## After\n\nkept too\n")
    write_section(results, section)
    text = results.read_text()
    assert "old" not in text and text.count(SECTION) == 1 and "## Before\n\nkept" in text and "## After\n\nkept too" in text
