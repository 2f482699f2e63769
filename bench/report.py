"""bench/RESULTS.md from bench/results.json: both apps side by side, the trace of a warm load, and
the targets of issues #5, #13 and #16."""

from __future__ import annotations

import json
import sys
from pathlib import Path

DEBOUNCE_MS = 250  # streamlit-folium waits this long after a map event before it reports it
# issue #13: each page's warm rerun, script time (ms), where a target was set
PAGE_TARGETS_MS = {"data": 20, "railway": 15, "corridor": 15}

# issue #16: the server's resident memory after 20 browser sessions before that work (RESULTS.md
# of 2026-11-30T02:54:57: 224 → 228 MB), and the most it may be now
MEMORY_BEFORE_MB = 228
MEMORY_LIMIT = 1.2
TRACE_BEFORE = Path(__file__).with_name("trace-before.json")

# figure key, what it is, unit
FIGURES = [
    ("time_to_map_cold_ms", "Time to map, cold server (navigation → every overlay drawn)", "ms"),
    ("time_to_map_warm_ms", "Time to map, warm server", "ms"),
    ("time_to_base_map_warm_ms", "Time to the whole offline base map of the first view, warm server", "ms"),
    ("first_map_bytes", "Bytes to first map (the map component's message)", "KB"),
    ("base_map_bytes", "Offline base map's bytes in the first view (tiles, borders, names)", "KB"),
    ("click_to_details_ms", "Click on a city → its name in the details panel", "ms"),
    ("click_to_request_ms", "… of which click → rerun request sent (the map's 250 ms debounce)", "ms"),
    ("request_to_details_ms", "… of which rerun request sent → name in the details panel", "ms"),
    ("hover_to_tooltip_ms", "Pointer on a city → its tooltip in the map", "ms"),
    ("bytes_per_click", "Bytes sent by the server per click", "KB"),
    ("script_ms_per_click", "Script run per click, warm (server wall time)", "ms"),
    ("script_cpu_ms_per_click", "Script run per click, warm (server CPU time)", "ms"),
    ("round_trip_ms_per_rerun", "Rerun round trip per click (request sent → script finished received)", "ms"),
    ("bytes_per_sidebar_choice", "Bytes sent by the server per city chosen in the sidebar", "KB"),
    ("bytes_per_pan_zoom", "Bytes sent by the server per pan + zoom", "KB"),
    ("reruns_per_pan_zoom", "Reruns per pan + zoom", ""),
    ("map_build_ms", "Building + rendering the map once (in process)", "ms"),
]


NOT_MEASURED = {"figures": {key: {"median": None, "p95": None, "n": 0} for key, _, _ in FIGURES},
                "concurrency": None, "socket_concurrency": None}


def baseline(results: dict) -> dict:
    """The baseline's results, or none measured (`bench.run --smoke` measures the dashboard only)."""
    return results["apps"].get("baseline") or NOT_MEASURED


def targets(results: dict) -> list[tuple[str, bool]]:
    """Issue #5's targets, each with whether this run meets it (medians; ratios to the baseline)."""
    ours = results["apps"]["dashboard"]
    base = baseline(results)

    def median(app, key):
        return app["figures"][key]["median"]

    click, base_click = median(ours, "click_to_details_ms"), median(base, "click_to_details_ms") or float("nan")

    def crowd_target(crowd: dict, kind: str) -> tuple[str, bool]:
        p95 = crowd["click_to_details_ms"]["p95"]
        return (f"{crowd['sessions']} {kind} sessions × {crowd['clicks_per_session']} clicks: p95 click → "
                f"details ≤ 1.5 s ({p95 or float('nan'):.0f} ms) and no errors ({len(crowd['errors'])})",
                (p95 or 1e9) <= 1500 and not crowd["errors"])

    return [
        (f"click → details ≤ 0.75 × baseline ({click:.0f} vs {base_click:.0f} ms: {click / base_click:.2f}×)",
         click <= 0.75 * base_click),
        (f"click → details within 100 ms of the {DEBOUNCE_MS} ms debounce ({click:.0f} ms)",
         click <= DEBOUNCE_MS + 100),
        (f"no bytes and no rerun on pan/zoom ({median(ours, 'bytes_per_pan_zoom'):.0f} B, "
         f"{median(ours, 'reruns_per_pan_zoom'):.0f} reruns)",
         median(ours, "bytes_per_pan_zoom") == 0 and median(ours, "reruns_per_pan_zoom") == 0),
        (f"≤ 20 KB per click, the map never resent ({median(ours, 'bytes_per_click') / 1024:.1f} KB; "
         f"map resent {ours['maps_resent_on_click']} times)",
         median(ours, "bytes_per_click") <= 20 * 1024 and ours["maps_resent_on_click"] == 0),
        (f"warm rerun ≤ 30 ms of script time ({median(ours, 'script_ms_per_click'):.0f} ms)",
         median(ours, "script_ms_per_click") <= 30),
        crowd_target(ours["concurrency"], "browser"),
        crowd_target(ours["socket_concurrency"], "websocket"),
        *page_targets(ours.get("page_rerun_ms", {})),
        *first_paint_targets(ours, base),
    ]


def first_paint_targets(ours: dict, base: dict) -> list[tuple[str, bool]]:
    """Issue #16's targets: time to map against the baseline, a sidebar choice, memory."""
    found = []
    for kind, limit in (("warm", 0.8), ("cold", 1.0)):
        mine, theirs = ours["figures"][f"time_to_map_{kind}_ms"]["median"], base["figures"][f"time_to_map_{kind}_ms"]["median"]
        ratio = mine / theirs if mine and theirs else float("nan")
        found.append((f"time to map, {kind} server ≤ {limit} × baseline ({mine or float('nan'):,.0f} vs "
                      f"{theirs or float('nan'):,.0f} ms: {ratio:.2f}×)", ratio <= limit))
    choice = ours["figures"]["bytes_per_sidebar_choice"]["median"]
    resent = ours.get("maps_resent_on_sidebar_choice")
    found.append((f"≤ 20 KB per city chosen in the sidebar, the map not resent "
                  f"({'not measured' if choice is None else f'{choice / 1024:.1f} KB'}; map resent {resent} times)",
                  choice is not None and choice <= 20 * 1024 and resent == 0))
    after = (ours["concurrency"] or {}).get("rss_after_mb")
    found.append((f"server memory after 20 browser sessions ≤ {MEMORY_LIMIT} × {MEMORY_BEFORE_MB} MB "
                  f"({'not measured' if after is None else f'{after:.0f} MB'})",
                  after is not None and after <= MEMORY_LIMIT * MEMORY_BEFORE_MB))
    return found


def render_trace(now: dict | None) -> list[str]:
    """Where a warm load's time goes, before issue #16 and now (bench/trace.py)."""
    if not now:
        return []
    from bench.trace import STEPS

    before = json.loads(TRACE_BEFORE.read_text(encoding="utf-8")) if TRACE_BEFORE.exists() else None
    lines = ["", "## Where a warm load's time goes (`bench/trace.py`)", "",
             "A new visitor on a warm server opens the overview; Performance API entries and marks in the page "
             "and in the map's frame, on one clock: ms from navigation start, the median of the loads. "
             "*Before*: `bench/trace-before.json`, taken before issue #16's changes.", "",
             "| step ends when | before | now |", "|---|---:|---:|"]
    for key, label in STEPS:
        then = f"{before['marks_ms'][key]:,.0f}" if before else "–"
        lines.append(f"| {label} | {then} | {now['marks_ms'][key]:,.0f} |")
    for key, label, digits in (("map_requests", "requests for the map's scripts and styles", 0),
                               ("map_asset_kb", "their bytes, KB (as sent)", 0),
                               ("long_tasks_ms", "long tasks (≥ 50 ms of script) before the overlays, ms", 0)):
        then = f"{before[key]:,.{digits}f}" if before else "–"
        lines.append(f"| {label} | {then} | {now[key]:,.{digits}f} |")
    return lines


def page_targets(pages: dict) -> list[tuple[str, bool]]:
    """Issue #13's targets for a warm rerun of a page (median script time)."""
    found = []
    for page, limit in PAGE_TARGETS_MS.items():
        median = (pages.get(page) or {}).get("wall", {}).get("median")
        found.append((f"{page} page, warm rerun ≤ {limit} ms of script time "
                      f"({'not measured' if median is None else f'{median:.1f} ms'})",
                      median is not None and median <= limit))
    return found


def _cell(figure: dict, unit: str) -> str:
    if figure["median"] is None:
        return "–"
    scale = 1024 if unit == "KB" else 1
    digits = 1 if unit == "KB" else 0
    return f"{figure['median'] / scale:,.{digits}f} ({figure['p95'] / scale:,.{digits}f})"


def _ratio(ours: dict, base: dict) -> str:
    if not ours["median"] or not base["median"]:
        return "–" if ours["median"] is None or base["median"] is None else ("0" if not ours["median"] else "∞")
    return f"{ours['median'] / base['median']:.2f}×"


def render(results: dict) -> str:
    ours, base = results["apps"]["dashboard"], baseline(results)
    lines = [
        "# Benchmark results",
        "",
        f"Written by `make bench` on {results['date']}: {results['cpus']} CPUs, headless Chromium "
        f"{results.get('chromium', '?')}, offline on loopback, {results['rounds']} rounds "
        f"(each click figure: {ours['figures']['click_to_details_ms']['n']} clicks). "
        "Medians, with the 95th percentile in brackets. *Baseline*: `bench/baseline_app.py`, the same "
        "geodata the tutorial way. How each figure is taken: `bench/README.md`.",
        "",
        "| figure | unit | dashboard | baseline | dashboard ÷ baseline |",
        "|---|---|---:|---:|---:|",
    ]
    for key, label, unit in FIGURES:
        lines.append(f"| {label} | {unit} | {_cell(ours['figures'][key], unit)} | "
                     f"{_cell(base['figures'][key], unit)} | {_ratio(ours['figures'][key], base['figures'][key])} |")
    lines += ["", "## Many users at once", "",
              "*Browsers*: the sessions are contexts of one headless Chromium on the same machine as the "
              "server; *websocket clients* send what the map sends on a click and need no rendering, so "
              "they show the server's own capacity (their click has no 250 ms debounce).", "",
              "| | dashboard, browsers | baseline, browsers | dashboard, websocket clients | "
              "baseline, websocket clients |", "|---|---:|---:|---:|---:|"]
    crowds = [ours["concurrency"], base["concurrency"], ours["socket_concurrency"], base["socket_concurrency"]]
    none = {"sessions": 0, "clicks_per_session": 0, "clicks_answered": 0, "errors": [], "server_cpu_share": 0,
            "machine_cpu_share": 0, "seconds": 0, "click_to_details_ms": {"median": None, "p95": None, "n": 0}}
    crowds = [crowd or none for crowd in crowds]
    for label, get in (
        ("sessions × clicks", lambda c: f"{c['sessions']} × {c['clicks_per_session']}"),
        ("clicks answered", lambda c: str(c["clicks_answered"])),
        ("click → details, median (p95), ms", lambda c: _cell(c["click_to_details_ms"], "ms")),
        ("errors", lambda c: str(len(c["errors"]))),
        ("server CPU used, CPUs' worth", lambda c: f"{c['server_cpu_share']:.2f}"),
        ("whole machine's CPU used (server + browsers + bench), CPUs' worth",
         lambda c: f"{c['machine_cpu_share']:.2f}"),
        ("server memory before → after, MB",
         lambda c: f"{c['rss_before_mb']:.0f} → {c['rss_after_mb']:.0f}" if "rss_before_mb" in c else "–"),
        ("wall time, s", lambda c: f"{c['seconds']:.0f}"),
    ):
        lines.append("| " + " | ".join([label, *(get(c) for c in crowds)]) + " |")
    pages = ours.get("page_rerun_ms") or {}
    if pages:
        lines += ["", "## Warm rerun by page (dashboard)", "",
                  "The server's script time (app.py and the page) for a rerun of each page after a first "
                  "visit, as a websocket client asks for it: median (p95), ms.", "",
                  "| page | wall | CPU | target |", "|---|---:|---:|---:|"]
        for page, figure in pages.items():
            target = f"≤ {PAGE_TARGETS_MS[page]}" if page in PAGE_TARGETS_MS else ""
            lines.append(f"| {page} | {_cell(figure['wall'], 'ms')} | {_cell(figure['cpu'], 'ms')} | {target} |")
    lines += render_trace(results.get("trace"))
    lines += ["", "## Targets (issues #5, #13 and #16)", ""]
    for text, met in targets(results):
        lines.append(f"- {'met' if met else '**missed**'}: {text}")
    problems = ours["problems"] + ours["concurrency"]["errors"] + ours["socket_concurrency"]["errors"]
    if problems:
        lines += ["", "## Problems seen in the dashboard's sessions", ""]
        lines += [f"- {p}" for p in problems[:20]]
    return "\n".join(lines) + "\n"


def render_soak(soak: dict) -> str:
    """The `make soak` run (bench/soak.json): load, errors and memory."""
    verdict = "passed" if not soak["errors"] and soak["memory_back"] else "**failed**"
    lines = [
        "## Soak (`make soak`, issue #6)", "",
        f"Run on {soak['date']}: {soak['browsers']} browser contexts and {soak['sockets']} Streamlit websocket "
        f"clients at once for {soak['seconds']:.0f} s, clicking cities and switching pages: {verdict}.", "",
        "| | |", "|---|---:|",
        f"| city clicks (browsers) | {soak['clicks']} |",
        f"| page switches (browsers) | {soak['page_switches']} |",
        f"| script runs (websocket clients) | {soak['socket_runs']} |",
        f"| hostile uploads (browsers; each answered with a message, no request sent) | "
        f"{soak.get('hostile_uploads', '–')} |",
        f"| errors | {len(soak['errors'])} |",
        f"| server memory before → peak → after the sessions closed, MB | "
        f"{soak['rss_before_mb']:.0f} → {soak['rss_peak_mb']:.0f} → {soak['rss_after_mb']:.0f} "
        f"({(soak['rss_after_mb'] / soak['rss_before_mb'] - 1) * 100:+.1f} %, limit +10 %) |",
        f"| the server's `MALLOC_ARENA_MAX` | {soak.get('malloc_arena_max') or 'not set (glibc: 8 per CPU)'} |",
        f"| the server's `MALLOC_MMAP_THRESHOLD_` | {soak.get('malloc_mmap_threshold') or 'not set (glibc: adaptive)'} |",
    ]
    lines += [f"- {error}" for error in soak["errors"][:20]]
    return "\n".join(lines) + "\n"


def write_report(results: dict, path: Path) -> None:
    """RESULTS.md: the bench, and the last soak run if there is one beside it."""
    text = render(results)
    soak_file = path.with_name("soak.json")
    if soak_file.exists():
        text += "\n" + render_soak(json.loads(soak_file.read_text(encoding="utf-8")))
    path.write_text(text, encoding="utf-8")


if __name__ == "__main__":  # rewrite RESULTS.md from a results.json
    source = Path(sys.argv[1] if len(sys.argv) > 1 else "bench/results.json")
    write_report(json.loads(source.read_text(encoding="utf-8")), source.with_name("RESULTS.md"))
