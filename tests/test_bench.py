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
        for crowd in ("concurrency", "socket_concurrency"):
            assert results["apps"][app][crowd]["clicks_answered"] == 4
            assert results["apps"][app][crowd]["errors"] == []
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


def test_memwatch_reports_the_sessions_alive_on_a_signal():
    import asyncio
    import os
    import signal
    import time

    from bench.harness import AppServer
    from bench.soak import Tally, socket_user

    server = AppServer(launcher="bench.memwatch")
    try:
        tally = Tally()
        asyncio.run(socket_user(0, server, time.monotonic() + 0.1, tally))
        assert tally.errors == [] and tally.socket_runs >= 1
        os.kill(server.pid, signal.SIGUSR1)
        log = ""
        for _ in range(100):
            log = open(server.log.name).read()
            if "memwatch:" in log:
                break
            time.sleep(0.2)
    finally:
        server.stop()
    report = next(line for line in log.splitlines() if line.startswith("memwatch:"))
    assert "1 sessions" in report and "after malloc_trim rss" in report and "MainThread" in report
