"""`make bench`: the dashboard and the tutorial-style baseline, measured side by side in
headless Debian Chromium, offline, on loopback. Writes bench/results.json and bench/RESULTS.md.

Times come from the browser's own clocks (performance.now in the page and the map frame)
and from the DevTools protocol's websocket frames (their timestamps and sizes, decoded as
Streamlit messages), so the Python side's scheduling does not enter the figures.

    python -m bench.run [--rounds 5] [--sessions 20] [--clicks 20] [--out bench]
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import datetime as dt
import html
import json
import os
import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path

import psutil
import websockets
from playwright.async_api import async_playwright
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from bench.serve import SCRIPT_RUN_PATTERN
from tests.helpers import CHROMIUM, CHROMIUM_ARGS, ROOT, AppServer, is_loopback

MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
MAP_PAGE = "/component/streamlit_folium.st_folium/index.html"
APPS = {"dashboard": "app.py", "baseline": "bench/baseline_app.py"}
PAGES = {"overview": "", "railway": "railway", "corridor": "corridor", "cities": "cities", "data": "data"}
# cities whose id no other layer uses, so a click on them can only mean the city
CLICK_CITIES = {"xian": "Xi'an", "astana": "Astana", "samarkand": "Samarkand", "khiva": "Khiva",
                "dushanbe": "Dushanbe", "lianyungang": "Lianyungang", "rahat": "Rahat",
                "krasnaya-rechka": "Krasnaya Rechka"}
TIMEOUT_MS = 30_000  # for a click's answer
LOAD_TIMEOUT_MS = 120_000  # for a page and its map, when many arrive at once
ARRIVAL_GAP_S = 0.5  # concurrent visitors arrive this far apart, then click at the same time


def overlay_feature_ids() -> list[str]:
    """Every feature id of the overview's layers: the map is drawn when all are on it."""
    from dashboard.catalog import load_catalog
    from dashboard.geodata import load_layers

    catalog = load_catalog()
    overview = {layer.id for group in catalog.overview_groups for layer in catalog.layers_in(group.id)}
    frames = load_layers(catalog).frames
    return [fid for layer, frame in frames.items() if layer in overview for fid in frame["id"]]


# Runs first in the page and in the map's frame: the map frame notes when all overlay
# features are drawn, the mouse-overs, clicks and tooltips; the page notes each change of
# the details panel's text. All times are epoch milliseconds from performance.now().
PROBE = """
(() => {
  const now = () => performance.timeOrigin + performance.now();
  const ids = new Set(%(ids)s), count = %(count)d;
  if (location.pathname.includes('streamlit_folium')) {
    const bench = window.__bench = {clicks: [], overs: [], tooltips: []};
    document.addEventListener('click', () => bench.clicks.push(now()), true);
    document.addEventListener('mouseover', e => {
      if (e.target.classList && e.target.classList.contains('leaflet-interactive')) bench.overs.push(now());
    }, true);
    (function poll() {
      const map = window.map;
      if (map && map.getPane) {
        let drawn = 0;
        map.eachLayer(l => { const p = l.feature && l.feature.properties; if (p && ids.has(p.id)) drawn++; });
        if (drawn >= count) {
          bench.drawnAt = now();
          new MutationObserver(() => {
            const tip = document.querySelector('.leaflet-tooltip');
            if (tip) bench.tooltips.push([now(), tip.innerText]);
          }).observe(map.getPane('tooltipPane'), {childList: true, subtree: true, characterData: true});
          return;
        }
      }
      requestAnimationFrame(poll);
    })();
  } else if (window === window.top) {
    const bench = window.__bench = {details: [], last: null, sent: []};
    const send = WebSocket.prototype.send;  // when each message leaves for the server
    WebSocket.prototype.send = function (data) { bench.sent.push(now()); return send.call(this, data); };
    new MutationObserver(() => {
      const box = document.querySelector('.st-key-city_details');
      const text = box ? box.innerText : '';
      if (text !== bench.last) { bench.last = text; bench.details.push([now(), text]); }
    }).observe(document, {subtree: true, childList: true, characterData: true});
  }
})();
"""

FIND_MARKER = """(id) => {
  let found = null;
  window.map.eachLayer(l => {
    const p = l.feature && l.feature.properties;
    if (p && p.id === id && l._path) {
      const r = l._path.getBoundingClientRect();
      found = {x: r.x + r.width / 2, y: r.y + r.height / 2};
    }
  });
  return found;
}"""


def start_server(script: str) -> AppServer:
    """The app on loopback through bench.serve, which logs each script run's time."""
    return AppServer(script=script, launcher="bench.serve")


def script_run_ms(server: AppServer) -> list[tuple[float, float]]:
    """(wall, cpu) milliseconds of every script run so far, from the server's log (lines of
    concurrent runs may run together, so the log is searched, not split into lines)."""
    text = Path(server.log.name).read_text(encoding="utf-8", errors="replace")
    return [(float(wall), float(cpu)) for wall, cpu in SCRIPT_RUN_PATTERN.findall(text)]


@dataclass
class Frame:
    direction: str  # "in": server to browser, "out": browser to server
    timestamp: float  # seconds, the browser's monotonic clock
    size: int
    kind: str  # the message type, e.g. "delta", "script_finished", "ref_hash", "rerun_script"
    is_map: bool = False  # a delta carrying the map component


def decode(direction: str, params: dict) -> Frame | None:
    response = params["response"]
    if response.get("opcode") != 2:  # Streamlit speaks binary protobuf
        return None
    raw = base64.b64decode(response["payloadData"])
    if direction == "in":
        msg = ForwardMsg.FromString(raw)
        kind = msg.WhichOneof("type") or ""
        element = msg.delta.new_element if kind == "delta" and msg.delta.WhichOneof("type") == "new_element" else None
        is_map = bool(element and element.WhichOneof("type") == "component_instance"
                      and "st_folium" in element.component_instance.component_name)
        return Frame(direction, params["timestamp"], len(raw), kind, is_map)
    msg = BackMsg.FromString(raw)
    return Frame(direction, params["timestamp"], len(raw), msg.WhichOneof("type") or "")


@dataclass
class Session:
    """One browser context on one app, with its websocket frames and page errors."""

    context: object
    page: object
    server: AppServer
    frames: list[Frame] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)

    @classmethod
    async def open(cls, browser, server: AppServer, probe: str) -> Session:
        context = await browser.new_context(viewport={"width": 1400, "height": 950})
        page = await context.new_page()
        session = cls(context, page, server)

        async def only_loopback(route):
            if route.request.url.split("?")[0].endswith(MAP_PAGE):
                # init scripts do not reach the component's sandboxed frame: put the probe in its page
                response = await fetch_again_if_reset(route)
                body = (await response.text()).replace("<head>", f"<head><script>{probe}</script>", 1)
                await route.fulfill(response=response, body=body)
            elif is_loopback(route.request.url):
                await route.continue_()
            else:
                session.outside.append(route.request.url)
                await route.abort()

        await context.route("**/*", only_loopback)
        await context.add_init_script(probe)
        page.on("pageerror", lambda error: session.errors.append(str(error)))
        cdp = await context.new_cdp_session(page)
        await cdp.send("Network.enable")
        for event, direction in (("Network.webSocketFrameReceived", "in"), ("Network.webSocketFrameSent", "out")):
            cdp.on(event, lambda params, d=direction: session._record(d, params))
        await page.goto(server.url, wait_until="domcontentloaded", timeout=LOAD_TIMEOUT_MS)
        return session

    def _record(self, direction, params):
        frame = decode(direction, params)
        if frame:
            self.frames.append(frame)

    async def map_frame(self):
        handle = await self.page.wait_for_selector(MAP_FRAME, timeout=LOAD_TIMEOUT_MS)
        return await handle.content_frame()

    async def wait_for_map(self):
        """The map's frame, once every overlay feature is drawn."""
        frame = await self.map_frame()
        await frame.wait_for_function("window.__bench && window.__bench.drawnAt", timeout=LOAD_TIMEOUT_MS)
        return frame

    async def time_to_map_ms(self) -> float:
        frame = await self.wait_for_map()
        drawn = await frame.evaluate("window.__bench.drawnAt")
        start = await self.page.evaluate("performance.timeOrigin")
        return drawn - start

    async def base_map_figures(self) -> tuple[float | None, int]:
        """When the first view's offline base map was all there (ms from navigation; None if
        the app has none) and its bytes (tiles, borders, names: response bodies)."""
        frame = await self.map_frame()
        await frame.wait_for_function(
            "() => !document.querySelector('img.leaflet-tile:not(.leaflet-tile-loaded)')", timeout=LOAD_TIMEOUT_MS)
        done, size, origin = await frame.evaluate("""() => {
            const parts = performance.getEntriesByType("resource").filter(e => e.name.includes("/static/basemap/"));
            return [Math.max(0, ...parts.map(e => e.responseEnd)),
                    parts.reduce((sum, e) => sum + e.encodedBodySize, 0), performance.timeOrigin];
        }""")
        start = await self.page.evaluate("performance.timeOrigin")
        return (origin + done - start if size else None), size

    def first_map_bytes(self) -> int:
        return sum(f.size for f in self.frames if f.is_map)

    async def click_city(self, city_id: str, name: str) -> dict:
        """Hover and click a city with the mouse; wait for its name in the details panel."""
        frame = await self.map_frame()
        box = await (await self.page.query_selector(MAP_FRAME)).bounding_box()
        point = await frame.evaluate(FIND_MARKER, city_id)
        if point is None:
            raise RuntimeError(f"no marker for {city_id}")
        x, y = box["x"] + point["x"], box["y"] + point["y"]
        await self.page.mouse.move(x - 40, y - 40)
        await self.page.wait_for_timeout(150)
        seen, runs = len(self.frames), len(script_run_ms(self.server))
        tooltips = await frame.evaluate("window.__bench.tooltips.length")
        await self.page.mouse.move(x, y, steps=4)
        await frame.wait_for_function(
            "([name, n]) => window.__bench.tooltips.slice(n).some(t => t[1].includes(name))",
            arg=[name, tooltips], timeout=TIMEOUT_MS)
        await self.page.mouse.click(x, y)
        clicked = (await frame.evaluate("window.__bench.clicks"))[-1]
        await self.page.wait_for_function(
            "([name, after]) => window.__bench.details.some(d => d[0] > after && d[1].includes(name))",
            arg=[name, clicked], timeout=TIMEOUT_MS)
        details = await self.page.evaluate("window.__bench.details")
        shown = next(t for t, text in details if t > clicked and name in text)
        sent = next((t for t in await self.page.evaluate("window.__bench.sent") if t > clicked), None)
        over = await frame.evaluate("window.__bench.overs")
        tips = await frame.evaluate("window.__bench.tooltips")
        hovered = max(t for t in over if t < clicked)
        tip = min(t for t, text in tips if t >= hovered and name in text)
        await self._wait_for_script_finished(seen)
        script_runs = script_run_ms(self.server)[runs:]
        return {"click_to_details_ms": shown - clicked, "hover_to_tooltip_ms": tip - hovered,
                # the two halves: the map's debounce and message to Streamlit; the server and the page
                "click_to_request_ms": None if sent is None else sent - clicked,
                "request_to_details_ms": None if sent is None else shown - sent,
                # a click causes one run; the slowest if another session's run slipped in
                "script_ms_per_click": max((wall for wall, _ in script_runs), default=None),
                "script_cpu_ms_per_click": max((cpu for _, cpu in script_runs), default=None),
                **self._rerun_figures(seen)}

    async def choose_city_in_sidebar(self, name: str) -> dict:
        """Choose a city in the sidebar's select box; what the server sent until the run ended."""
        seen = len(self.frames)
        await self.page.get_by_role("combobox", name="City").click()
        await self.page.get_by_role("option", name=name, exact=True).click()
        await self.page.wait_for_function(
            "name => (document.querySelector('.st-key-city_details') || {}).innerText?.includes(name)",
            arg=name, timeout=TIMEOUT_MS)
        await self._wait_for_script_finished(seen)
        frames = self.frames[seen:]
        return {"bytes_per_sidebar_choice": sum(f.size for f in frames if f.direction == "in"),
                "map_resent": any(f.is_map for f in frames)}

    async def _wait_for_script_finished(self, since: int, quiet_ms: int = 400) -> None:
        """Let the rerun's last frames arrive (the panel may update before the run ends)."""
        for _ in range(TIMEOUT_MS // 50):
            if any(f.kind == "script_finished" for f in self.frames[since:]):
                break
            await self.page.wait_for_timeout(50)
        await self.page.wait_for_timeout(quiet_ms)

    def _rerun_figures(self, since: int) -> dict:
        frames = self.frames[since:]
        reruns = [f for f in frames if f.direction == "out" and f.kind == "rerun_script"]
        finished = [f for f in frames if f.direction == "in" and f.kind == "script_finished"]
        server_ms = (finished[-1].timestamp - reruns[-1].timestamp) * 1000 if reruns and finished else None
        return {
            "bytes_per_click": sum(f.size for f in frames if f.direction == "in"),
            "map_resent": any(f.is_map for f in frames),
            "round_trip_ms_per_rerun": server_ms,
            "reruns": len(reruns),
        }

    async def pan_and_zoom(self) -> dict:
        """Drag the map and zoom it with the wheel; what the server sent and whether it reran."""
        box = await (await self.page.query_selector(MAP_FRAME)).bounding_box()
        x, y = box["x"] + box["width"] * 0.3, box["y"] + box["height"] * 0.3
        seen = len(self.frames)
        await self.page.mouse.move(x, y)
        await self.page.mouse.down()
        await self.page.mouse.move(x + 150, y + 80, steps=8)
        await self.page.mouse.up()
        await self.page.wait_for_timeout(600)
        await self.page.mouse.wheel(0, -400)
        await self.page.wait_for_timeout(1500)
        frames = self.frames[seen:]
        return {"bytes_per_pan_zoom": sum(f.size for f in frames if f.direction == "in"),
                "reruns_per_pan_zoom": sum(f.direction == "out" and f.kind == "rerun_script" for f in frames)}

    async def exceptions_shown(self) -> int:
        return await self.page.locator('[data-testid="stException"]').count()

    async def close(self):
        await self.context.close()


async def fetch_again_if_reset(route, attempts: int = 3):
    """The route's response, fetched by Playwright itself. Its fetch reuses a kept-alive
    connection that the server may have closed meanwhile (ECONNRESET after a pause of a few
    seconds, as a visitor uploading a file makes); a browser would send the request again."""
    for attempt in range(attempts):
        try:
            return await route.fetch()
        except Exception as err:
            if "ECONNRESET" not in str(err) or attempt == attempts - 1:
                raise


def first_line(err: BaseException) -> str:
    return f"{type(err).__name__}: {(str(err).splitlines() or [''])[0][:160]}"


def stats(values: list) -> dict:
    values = sorted(v for v in values if v is not None)
    if not values:
        return {"median": None, "p95": None, "n": 0}
    p95 = statistics.quantiles(values, n=20, method="inclusive")[18] if len(values) > 1 else values[0]
    return {"median": statistics.median(values), "p95": p95, "n": len(values)}


async def measure_app(browser, script: str, probe: str, rounds: int, sessions: int, clicks: int,
                      cities: dict[str, str], reruns: int, smoke: bool = False) -> dict:
    """Every figure for one app: cold and warm loads, clicks on `cities`, pan/zoom, concurrency."""
    samples: dict[str, list] = {key: [] for key in (
        "time_to_map_cold_ms", "time_to_map_warm_ms", "time_to_base_map_warm_ms", "first_map_bytes",
        "base_map_bytes", "click_to_details_ms",
        "click_to_request_ms", "request_to_details_ms", "hover_to_tooltip_ms", "bytes_per_click",
        "script_ms_per_click", "script_cpu_ms_per_click", "round_trip_ms_per_rerun", "bytes_per_pan_zoom",
        "reruns_per_pan_zoom", "bytes_per_sidebar_choice")}
    problems: list[str] = []
    maps_resent = maps_resent_on_choice = 0
    async def first_visitor(server: AppServer) -> None:  # a cold server: the first visitor after a start
        session = await Session.open(browser, server, probe)
        samples["time_to_map_cold_ms"].append(await session.time_to_map_ms())
        problems.extend(session.errors + session.outside)
        await session.close()

    for _ in range(rounds if not smoke else 0):
        server = start_server(script)
        try:
            await first_visitor(server)
        finally:
            server.stop()

    server = start_server(script)
    try:
        if smoke:  # the one cold visit on the server measured next: no figure is meaningful anyway
            await first_visitor(server)
        else:
            warmup = await Session.open(browser, server, probe)  # warm caches: the map, every city
            await warmup.time_to_map_ms()
            for city_id, name in cities.items():
                await warmup.click_city(city_id, name)
            await warmup.close()
        for _ in range(rounds):
            session = await Session.open(browser, server, probe)
            samples["time_to_map_warm_ms"].append(await session.time_to_map_ms())
            base_map_ms, base_map_bytes = await session.base_map_figures()
            samples["time_to_base_map_warm_ms"].append(base_map_ms)
            samples["base_map_bytes"].append(base_map_bytes)
            await session.page.wait_for_timeout(1000)
            samples["first_map_bytes"].append(session.first_map_bytes())
            for city_id, name in cities.items():
                figures = await session.click_city(city_id, name)
                maps_resent += figures.pop("map_resent")
                figures.pop("reruns")
                for key, value in figures.items():
                    samples[key].append(value)
            for key, value in (await session.pan_and_zoom()).items():
                samples[key].append(value)
            if script == APPS["dashboard"]:  # the baseline has no city selector
                # two cities other than the one clicked last: choosing the selected city changes
                # nothing, and the wait for its rerun would run out (30 s, in the smoke run)
                last = list(cities.values())[-1]
                for name in [n for n in CLICK_CITIES.values() if n != last][:2]:
                    figures = await session.choose_city_in_sidebar(name)
                    maps_resent_on_choice += figures["map_resent"]
                    samples["bytes_per_sidebar_choice"].append(figures["bytes_per_sidebar_choice"])
            problems += session.errors + session.outside
            await session.close()
        # each page's reruns on the warm server, before the crowds leave their sessions behind
        pages = await page_reruns(server, reruns) if script == APPS["dashboard"] else {}
        crowd = await concurrent_sessions(browser, server, probe, sessions, clicks, cities)
        socket_crowd = await socket_sessions(server, sessions, clicks, cities)
    finally:
        server.stop()
    return {"figures": {key: stats(values) for key, values in samples.items()},
            "maps_resent_on_click": maps_resent, "maps_resent_on_sidebar_choice": maps_resent_on_choice,
            "problems": problems, "concurrency": crowd,
            "socket_concurrency": socket_crowd, "page_rerun_ms": pages}


async def page_reruns(server: AppServer, reruns: int) -> dict:
    """Each page's warm rerun: the server's script time (wall, app.py and the page) of
    `reruns` reruns after a first visit, as a websocket client that asks for the page."""
    figures = {}
    async with StreamlitSocket.connect(server) as socket:
        for page, path in PAGES.items():
            wall, cpu = [], []
            for run_number in range(reruns + 1):
                done = len(script_run_ms(server))
                request = BackMsg()
                request.rerun_script.query_string = ""
                request.rerun_script.page_name = path
                await socket.send(request)
                while (await socket.receive()).WhichOneof("type") != "script_finished":
                    pass
                for _ in range(200):  # the server logs the run's time just after it finishes
                    runs = script_run_ms(server)
                    if len(runs) > done:
                        break
                    await asyncio.sleep(0.01)
                if run_number:  # the first run of a page is its first visit, not a rerun
                    wall.append(runs[done][0])
                    cpu.append(runs[done][1])
            figures[page] = {"wall": stats(wall), "cpu": stats(cpu)}
    return figures


async def concurrent_sessions(browser, server: AppServer, probe: str, sessions: int, clicks: int,
                              cities: dict[str, str]) -> dict:
    """`sessions` browser contexts at once, each clicking `clicks` cities in turn."""
    process = psutil.Process(server.pid)
    rss_before = process.memory_info().rss
    cities = list(cities.items())
    errors: list[str] = []

    async def one(index: int) -> list[float]:
        latencies = []
        await asyncio.sleep(index * ARRIVAL_GAP_S)
        session = await Session.open(browser, server, probe)
        try:
            await session.time_to_map_ms()
            for k in range(clicks):
                city_id, name = cities[(index + k) % len(cities)]
                try:
                    latencies.append((await session.click_city(city_id, name))["click_to_details_ms"])
                except Exception as err:  # a timeout is a failed click: count it, go on
                    errors.append(f"session {index}, {name}: {first_line(err)}")
            errors.extend(session.errors + session.outside)
            if await session.exceptions_shown():
                errors.append(f"session {index}: an exception was shown")
        finally:
            await session.close()
        return latencies

    figures = await gather_crowd(one, sessions, clicks, errors, process)
    return {**figures, "rss_before_mb": rss_before / 2**20, "rss_after_mb": process.memory_info().rss / 2**20}


async def gather_crowd(one, sessions: int, clicks: int, errors: list[str], process: psutil.Process) -> dict:
    """Run `one(index)` (a session's click latencies) for every session at once."""
    cpu_before, machine_before = sum(process.cpu_times()[:2]), machine_busy_seconds()
    started = time.monotonic()
    results = await asyncio.gather(*(one(i) for i in range(sessions)), return_exceptions=True)
    latencies = []
    for result in results:
        if isinstance(result, BaseException):
            errors.append(first_line(result))
        else:
            latencies += result
    seconds = time.monotonic() - started
    return {"sessions": sessions, "clicks_per_session": clicks, "seconds": seconds,
            "click_to_details_ms": stats(latencies), "clicks_answered": len(latencies), "errors": errors,
            # CPUs' worth the server used: far below the machine's count means the browsers were the limit
            "server_cpu_share": (sum(process.cpu_times()[:2]) - cpu_before) / seconds,
            "machine_cpu_share": (machine_busy_seconds() - machine_before) / seconds}


def machine_busy_seconds() -> float:
    """CPU seconds the whole machine has spent busy (server, browsers, this script)."""
    times = psutil.cpu_times()  # guest times are already inside user and nice
    return sum(getattr(times, name, 0.0) for name in ("user", "nice", "system", "irq", "softirq", "steal"))


def city_features(cities: dict[str, str]) -> dict[str, dict]:
    """Each city as the map reports a click on it: its GeoJSON feature, all properties."""
    from shapely.geometry import mapping

    from dashboard.catalog import load_catalog
    from dashboard.geodata import load_layers

    frame = load_layers(load_catalog()).frames["cities"].set_index("id")
    features = {}
    for city_id in cities:
        row = frame.loc[city_id]
        properties = json.loads(json.dumps(dict(row.drop("geometry")), default=str))
        features[city_id] = {"type": "Feature", "geometry": mapping(row.geometry),
                             "properties": {**properties, "id": city_id, "layer": "cities"}}
    return features


class StreamlitSocket:
    """A Streamlit websocket client that keeps the message cache as the browser does: it
    tells the server which large messages it holds, so the server sends a reference
    (`ref_hash`) instead of resending them, e.g. the unchanged map on a click."""

    def __init__(self, socket):
        self.socket = socket
        self.cache: dict[str, ForwardMsg] = {}

    @classmethod
    @contextlib.asynccontextmanager
    async def connect(cls, server: AppServer):
        url = server.url.replace("http", "ws") + "/_stcore/stream"
        async with websockets.connect(url, subprotocols=["streamlit"], max_size=None) as socket:
            yield cls(socket)

    async def send(self, request: BackMsg) -> None:
        if request.WhichOneof("type") == "rerun_script":
            request.rerun_script.cached_message_hashes.extend(self.cache)
        await self.socket.send(request.SerializeToString())

    async def receive(self, timeout: float = 60) -> ForwardMsg:
        """The next message; a reference comes back as the message it stands for."""
        msg = ForwardMsg.FromString(await asyncio.wait_for(self.socket.recv(), timeout=timeout))
        if msg.WhichOneof("type") == "ref_hash" and msg.ref_hash in self.cache:
            full = ForwardMsg()
            full.CopyFrom(self.cache[msg.ref_hash])
            full.metadata.CopyFrom(msg.metadata)
            return full
        if msg.metadata.cacheable:
            self.cache[msg.hash] = msg
        return msg


async def socket_sessions(server: AppServer, sessions: int, clicks: int, cities: dict[str, str]) -> dict:
    """The same crowd without browsers: Streamlit websocket clients that send what the map
    sends on a click (the component's value) and time the answer until the city's name
    arrives. This is the server's own capacity; the browsers' crowd shares its CPUs."""
    features = city_features(cities)
    names = list(cities.items())
    errors: list[str] = []

    async def run_until_finished(socket: StreamlitSocket, request: BackMsg, name: str | None = None):
        """Send a rerun request; ((the map widget's id, its fragment), seconds until the
        details (an HTML block or a heading) named `name` arrived)."""
        started = time.perf_counter()
        await socket.send(request)
        widget, answered = None, None
        while True:
            msg = await socket.receive()
            kind = msg.WhichOneof("type")
            if kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
                element = msg.delta.new_element
                body = {"html": element.html.body, "heading": element.heading.body}.get(element.WhichOneof("type"))
                if element.WhichOneof("type") == "component_instance":
                    widget = (element.component_instance.id, msg.delta.fragment_id)
                elif name and answered is None and body and name in html.unescape(body):
                    answered = time.perf_counter() - started
            if kind == "script_finished":
                return widget, answered

    async def one(index: int) -> list[float]:
        await asyncio.sleep(index * ARRIVAL_GAP_S / 5)
        latencies = []
        async with StreamlitSocket.connect(server) as socket:
            first = BackMsg()
            first.rerun_script.query_string = ""
            (widget_id, fragment_id), _ = await run_until_finished(socket, first)
            for k in range(clicks):
                city_id, name = names[(index + k) % len(names)]
                request = BackMsg()
                request.rerun_script.fragment_id = fragment_id  # as the browser does for a fragment's widget
                state = request.rerun_script.widget_states.widgets.add()
                state.id = widget_id
                state.json_value = json.dumps({"last_active_drawing": features[city_id]})
                _, answered = await run_until_finished(socket, request, name)
                if answered is None:
                    errors.append(f"socket {index}: {name} not shown")
                else:
                    latencies.append(answered * 1000)
        return latencies

    return await gather_crowd(one, sessions, clicks, errors, psutil.Process(server.pid))


def map_build_ms(rounds: int) -> dict:
    """In process: building and rendering each app's map once (what a rerun of the
    baseline always pays, and the dashboard pays once per view)."""
    from bench import baseline_app
    from dashboard import maps
    from dashboard.catalog import load_catalog
    from dashboard.geodata import load_layers
    from dashboard.mapwidget import render_map

    catalog = load_catalog()
    frames = load_layers(catalog).frames
    timings = {"dashboard": [], "baseline": []}
    for _ in range(rounds):
        for name, build in (("dashboard", lambda: maps.build_map(catalog, frames)), ("baseline", baseline_app.build_map)):
            start = time.perf_counter()
            render_map(build())
            timings[name].append((time.perf_counter() - start) * 1000)
    return {name: stats(values) for name, values in timings.items()}


async def run(rounds: int, sessions: int, clicks: int, cities: int, reruns: int, smoke: bool = False) -> dict:
    ids = overlay_feature_ids()
    probe = PROBE % {"ids": json.dumps(ids), "count": len(ids)}
    if not (ROOT / "bench" / "static" / "vendor").is_dir():  # the baseline's /app/static
        raise SystemExit("bench/static is missing: run `make setup-dev` (it links ../static there)")
    results = {"date": dt.datetime.now().isoformat(timespec="seconds"), "cpus": os.cpu_count(),
               "rounds": rounds, "apps": {}}
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        results["chromium"] = browser.version
        for name, script in APPS.items():
            if smoke and name != "dashboard":  # the smoke run checks the harness, on the dashboard
                continue
            print(f"measuring {name}…", flush=True)
            results["apps"][name] = await measure_app(browser, script, probe, rounds, sessions, clicks,
                                                      dict(list(CLICK_CITIES.items())[:cities]), reruns, smoke)
        if not smoke:  # where a warm load's time goes (bench/trace.py), beside the trace before issue #16
            from bench.trace import trace

            print("tracing a warm load…", flush=True)
            results["trace"] = await trace(browser, APPS["dashboard"], loads=rounds)
        await browser.close()
    builds = map_build_ms(rounds)
    for name in results["apps"]:
        results["apps"][name]["figures"]["map_build_ms"] = builds[name]
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--sessions", type=int, default=20, help="concurrent browser sessions")
    parser.add_argument("--clicks", type=int, default=20, help="clicks per concurrent session")
    parser.add_argument("--cities", type=int, default=len(CLICK_CITIES), help="cities clicked per round")
    parser.add_argument("--reruns", type=int, default=20, help="warm reruns timed per page")
    parser.add_argument("--smoke", action="store_true",
                        help="one of everything on the dashboard alone (the test that keeps the bench working): "
                             "no figure is meaningful")
    parser.add_argument("--out", type=Path, default=ROOT / "bench")
    args = parser.parse_args()
    if args.smoke:  # the browser crowd is the warm visitor's code run at once: the socket crowd stays
        args.rounds, args.sessions, args.clicks, args.cities, args.reruns = 1, 1, 1, 1, 1
    os.chdir(ROOT)
    results = asyncio.run(run(args.rounds, args.sessions, args.clicks, args.cities, args.reruns, args.smoke))
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "results.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    from bench.report import write_report

    write_report(results, args.out / "RESULTS.md")
    print(f"wrote {args.out / 'results.json'} and {args.out / 'RESULTS.md'}")


if __name__ == "__main__":
    main()
