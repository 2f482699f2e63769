"""`make bench-cluster`: the dashboard's capacity through HAProxy with one replica and with two
(issue #20), on this machine. Writes bench/cluster.json and the "Replicas" section of
bench/RESULTS.md.

The crowd is bench/run.py's websocket clients (no browsers, so that no browser is the limit):
each opens the overview through the proxy, then clicks cities as fast as the answers come; a
click is timed until the city's name arrives. Through the proxy each websocket is one HTTP
connection, which HAProxy hands to a replica in turn and keeps there.

    python -m bench.cluster [--sessions 20] [--clicks 20] [--out bench]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
from dataclasses import dataclass
from pathlib import Path

import psutil

from bench.run import CLICK_CITIES, socket_sessions
from scripts.cluster import Cluster
from tests.helpers import ROOT

SECTION = "## Replicas behind the proxy (`make bench-cluster`)"


@dataclass(frozen=True)
class Target:
    """What bench.run's crowd needs of a server: its address and a process to watch."""

    url: str
    pid: int


async def measure(replicas: int, sessions: int, clicks: int) -> dict:
    """The crowd's figures through the proxy in front of `replicas` replicas."""
    cluster = Cluster(replicas=replicas).start()
    try:
        target = Target(cluster.url, cluster.processes["app1"].pid)
        replicas_cpu = [psutil.Process(cluster.processes[name].pid) for name in cluster.ports]
        await socket_sessions(target, 2 * replicas, 2, CLICK_CITIES)  # every replica's caches warm
        before = sum(sum(p.cpu_times()[:2]) for p in replicas_cpu)
        crowd = await socket_sessions(target, sessions, clicks, CLICK_CITIES)
        used = sum(sum(p.cpu_times()[:2]) for p in replicas_cpu) - before
    finally:
        cluster.stop()
    return {"replicas": replicas, **crowd, "clicks_per_s": crowd["clicks_answered"] / crowd["seconds"],
            "replicas_cpu_share": used / crowd["seconds"]}


def report(results: dict) -> str:
    """The section of bench/RESULTS.md: one row per number of replicas, and the ratio."""
    one, two = (next(r for r in results["runs"] if r["replicas"] == n) for n in (1, 2))
    lines = [SECTION, "",
             f"{results['date']}, {results['cpus']} CPUs; {one['sessions']} websocket clients × "
             f"{one['clicks_per_session']} clicks through HAProxy (deploy/haproxy.cfg).", "",
             "| replicas | clicks/s | click → details p50 (ms) | p95 (ms) | replicas' CPUs | machine's CPUs | errors |",
             "|---:|---:|---:|---:|---:|---:|---:|"]
    for run in (one, two):
        latency = run["click_to_details_ms"]
        lines.append(f"| {run['replicas']} | {run['clicks_per_s']:.1f} | {latency['median']:.0f} | "
                     f"{latency['p95']:.0f} | {run['replicas_cpu_share']:.2f} | {run['machine_cpu_share']:.2f} | "
                     f"{len(run['errors'])} |")
    ratio = two["clicks_per_s"] / one["clicks_per_s"]
    lines += ["", f"Two replicas answer **{ratio:.2f}×** the clicks of one. The replicas share the machine's "
              "CPUs with the crowd's client and HAProxy (the machine's CPUs less the replicas'), so two "
              "replicas on a 2-CPU machine cannot reach 2×; bench/README.md says how much runs vary.", ""]
    return "\n".join(lines)


def write_section(results_md: Path, section: str) -> None:
    """Put the section in RESULTS.md in place of an older one (the rest is `make bench`'s)."""
    text = results_md.read_text(encoding="utf-8") if results_md.exists() else ""
    if SECTION in text:
        head, _, tail = text.partition(SECTION)
        rest = tail.split("\n## ", 1)
        text = head + section + ("\n## " + rest[1] if len(rest) > 1 else "")
    else:
        text = text.rstrip("\n") + "\n\n" + section
    results_md.write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sessions", type=int, default=20, help="websocket clients at once")
    parser.add_argument("--clicks", type=int, default=60, help="clicks per client (many: the arrivals' ramp is a small part)")
    parser.add_argument("--out", type=Path, default=ROOT / "bench")
    args = parser.parse_args()
    os.chdir(ROOT)
    runs = [asyncio.run(measure(n, args.sessions, args.clicks)) for n in (1, 2)]
    results = {"date": dt.datetime.now().isoformat(timespec="seconds"), "cpus": os.cpu_count(), "runs": runs}
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "cluster.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    section = report(results)
    write_section(args.out / "RESULTS.md", section)
    print(section)


if __name__ == "__main__":
    main()
