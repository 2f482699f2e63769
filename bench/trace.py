"""Where a warm load's time goes, from navigation to the last overlay drawn (issue #16).

A new visitor opens the overview on a warm server (one visitor came first); Performance API
entries and marks, in the page and in the map's frame, are put on one clock (ms from the
page's navigation start). The median of a few loads is written to bench/trace.json, which
`bench/report.py` shows in RESULTS.md beside the trace taken before the first-paint work
(bench/trace-before.json).

    python -m bench.trace [--loads 5] [--app app.py] [--out bench/trace.json]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
from pathlib import Path

from playwright.async_api import async_playwright

from bench.run import PROBE, Session, overlay_feature_ids, start_server
from tests.helpers import CHROMIUM, CHROMIUM_ARGS, ROOT

# Added to the bench's probe: in the page, when the websocket opened and when its largest
# message (the map) arrived; in the map's frame, when the Leaflet map was created, and the
# long tasks (JavaScript that held the frame's thread ≥ 50 ms).
TRACE_PROBE = """
(() => {
  const now = () => performance.timeOrigin + performance.now();
  const trace = window.__trace = {longTasks: [], messages: []};
  try {
    new PerformanceObserver(list => list.getEntries().forEach(e =>
      trace.longTasks.push([performance.timeOrigin + e.startTime, e.duration]))).observe({type: 'longtask'});
  } catch (e) {}
  if (location.pathname.includes('streamlit_folium')) {
    new MutationObserver((_, observer) => {
      if (document.querySelector('.leaflet-container')) { trace.mapCreated = now(); observer.disconnect(); }
    }).observe(document, {subtree: true, childList: true});
  } else if (window === window.top) {
    const Socket = window.WebSocket;
    window.WebSocket = function (...args) {
      const socket = new Socket(...args);
      socket.addEventListener('open', () => { trace.socketOpen = now(); });
      socket.addEventListener('message', e => trace.messages.push([now(), e.data.size || e.data.byteLength || 0]));
      return socket;
    };
    window.WebSocket.prototype = Socket.prototype;
    Object.assign(window.WebSocket, Socket);
    new MutationObserver((_, observer) => {
      if (document.querySelector('iframe[title="streamlit_folium.st_folium"]')) {
        trace.frameInserted = now(); observer.disconnect();
      }
    }).observe(document, {subtree: true, childList: true});
  }
})();
"""

RESOURCES = """() => performance.getEntriesByType('resource').map(e =>
    [e.name, performance.timeOrigin + e.startTime, performance.timeOrigin + e.responseEnd, e.encodedBodySize])"""

# the steps, in order, with what marks each one's end
STEPS = [
    ("page_html", "the page's HTML received"),
    ("streamlit_bundle", "Streamlit's own scripts loaded"),
    ("socket_open", "websocket open"),
    ("map_message", "the map's message received (app.py and the page ran on the server)"),
    ("frame_inserted", "the map's frame inserted"),
    ("component_loaded", "streamlit-folium's frontend loaded in the frame"),
    ("map_scripts", "the map's scripts loaded (Leaflet, plugins)"),
    ("map_created", "the Leaflet map created (the folium script started)"),
    ("overlays_drawn", "every overlay drawn"),
]


async def one_load(browser, server, probe: str) -> dict:
    session = await Session.open(browser, server, probe)
    try:
        frame = await session.wait_for_map()
        page = session.page
        top = await page.evaluate("""() => ({origin: performance.timeOrigin,
            html: performance.getEntriesByType('navigation')[0].responseEnd, trace: window.__trace})""")
        start = top["origin"]
        page_resources = await page.evaluate(RESOURCES)
        frame_resources = await frame.evaluate(RESOURCES)
        inner = await frame.evaluate("() => ({trace: window.__trace, drawn: window.__bench.drawnAt})")
        messages = top["trace"]["messages"]
        map_message = max(messages, key=lambda m: m[1])[0] if messages else None
        socket_open = top["trace"].get("socketOpen") or float("inf")
        # Streamlit's bundle: the scripts asked for before the websocket opened (later ones are
        # the chunks its elements load when they first appear)
        streamlit_js = [end for name, begin, end, _ in page_resources if "/static/js/" in name and begin < socket_open]
        component_js = [end for name, _, end, _ in frame_resources if "/static/js/main" in name]
        map_assets = [r for r in frame_resources if "/app/static/" in r[0] and r[0].split("?")[0].endswith((".js", ".css"))]
        map_scripts = [end for name, _, end, _ in map_assets if name.split("?")[0].endswith(".js")]
        marks = {
            "page_html": start + top["html"],
            "streamlit_bundle": max(streamlit_js) if streamlit_js else None,
            "socket_open": top["trace"].get("socketOpen"),
            "map_message": map_message,
            "frame_inserted": top["trace"].get("frameInserted"),
            "component_loaded": max(component_js) if component_js else None,
            "map_scripts": max(map_scripts, default=None),
            "map_created": inner["trace"].get("mapCreated"),
            "overlays_drawn": inner["drawn"],
        }
        long_tasks = inner["trace"]["longTasks"] + top["trace"]["longTasks"]
        return {
            "marks_ms": {key: (None if value is None else value - start) for key, value in marks.items()},
            "map_requests": len(map_assets),
            "map_asset_kb": sum(size for *_, size in map_assets) / 1024,
            "long_tasks_ms": sum(duration for t, duration in long_tasks if t - start < marks["overlays_drawn"] - start),
        }
    finally:
        await session.close()


def median_trace(loads: list[dict]) -> dict:
    marks = {key: statistics.median(load["marks_ms"][key] for load in loads if load["marks_ms"][key] is not None)
             for key, _ in STEPS}
    return {"loads": len(loads), "marks_ms": marks,
            "map_requests": statistics.median(load["map_requests"] for load in loads),
            "map_asset_kb": statistics.median(load["map_asset_kb"] for load in loads),
            "long_tasks_ms": statistics.median(load["long_tasks_ms"] for load in loads)}


async def trace(browser, app: str, loads: int) -> dict:
    """The median of `loads` warm loads of `app`'s first page, on a server of its own."""
    ids = overlay_feature_ids()
    probe = PROBE % {"ids": json.dumps(ids), "count": len(ids)} + TRACE_PROBE
    server = start_server(app)
    try:
        await one_load(browser, server, probe)  # the first visitor: the server is warm after it
        result = median_trace([await one_load(browser, server, probe) for _ in range(loads)])
    finally:
        server.stop()
    return {**result, "chromium": browser.version}


async def trace_in_chromium(app: str, loads: int) -> dict:
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            return await trace(browser, app, loads)
        finally:
            await browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--loads", type=int, default=5)
    parser.add_argument("--app", default="app.py")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "trace.json")
    args = parser.parse_args()
    result = asyncio.run(trace_in_chromium(args.app, args.loads))
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    previous = 0.0
    for key, label in STEPS:
        at = result["marks_ms"][key]
        print(f"{at:8.0f} ms  (+{at - previous:5.0f})  {label}")
        previous = at
    print(f"the map's scripts and styles: {result['map_requests']} requests, {result['map_asset_kb']:.0f} KB; "
          f"long tasks before the overlays: {result['long_tasks_ms']:.0f} ms")


if __name__ == "__main__":
    main()
