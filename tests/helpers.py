"""Helpers shared by the tests and the bench (tests never import each other): the app served
on a free loopback port, Chromium's flags, a listener that records requests, the map in the
browser, Markdown as a reader sees it, and the upload reader run in this process."""

from __future__ import annotations

import http.server
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, urlsplit

if TYPE_CHECKING:
    from dashboard.uploads import UserLayer

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
LOOPBACK = {"127.0.0.1", "localhost", "[::1]", "::1"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def is_loopback(url: str) -> bool:
    """Whether a browser request stays on this machine."""
    return (urlsplit(url).hostname or "") in LOOPBACK or url.startswith(("data:", "blob:", "about:"))


class AppServer:
    """The app's launcher (dashboard.launch: warmed up, then `streamlit run <script>`) on loopback,
    app.py by default, optionally on another catalog, with other config `options`, through
    another `launcher` module (bench.serve), or with only the `warm_pages` warmed."""

    def __init__(self, catalog: Path | None = None, script: str = "app.py", options: dict | None = None,
                 launcher: str = "dashboard.launch", warm_pages: str | None = None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        if warm_pages:  # a server for a few pages: only these warmed before it answers (dashboard/launch.py)
            env["DASHBOARD_WARM_PAGES"] = warm_pages
        if catalog is not None:
            env["DASHBOARD_CATALOG"] = str(catalog)
        ARTIFACTS.mkdir(exist_ok=True)
        self.log = open(ARTIFACTS / f"server-{self.port}.log", "w")  # noqa: SIM115 - the server's, closed by stop()
        flags = [f"--{name}={value}" for name, value in (options or {}).items()]
        self.process = subprocess.Popen(
            [sys.executable, "-m", launcher, "run", script, "--server.port", str(self.port),
             "--server.address", "127.0.0.1", "--server.headless", "true", *flags],
            cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT,
        )
        self._wait_until_healthy()

    @property
    def pid(self) -> int:
        return self.process.pid

    def _wait_until_healthy(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the app exited; see {self.log.name}")
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError(f"the app did not become healthy within {timeout} s")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


# --- a listener, the map in the browser, Markdown ------------------------------------------

class Listener:
    """A loopback HTTP server that records every request it gets: an upload that makes the
    server (or the visitor's browser) send a request shows up in `requests`."""

    def __init__(self):
        self.requests: list[str] = []
        requests = self.requests

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                requests.append(self.path)
                self.send_response(404)
                self.end_headers()

            do_HEAD = do_POST = do_GET

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
DETAILS = ".st-key-city_details"


def query_is(path: str, **expected: str):
    """A `page.wait_for_url` predicate: the URL is `path` with exactly these query values (the
    language, which every link carries, aside)."""
    def matches(url: str) -> bool:
        parts = urlsplit(url)
        query = dict(parse_qsl(parts.query))
        query.pop("lang", None)
        return parts.path.rstrip("/") == path.rstrip("/") and query == expected
    return matches


def open_overview(page, url):
    page.goto(url)
    page.frame_locator(MAP_FRAME).locator("path.layer-cities").first.wait_for(timeout=30_000)
    frame = page.locator(MAP_FRAME).element_handle().content_frame()
    # a marker on the map object: it survives as long as the map is not reloaded
    frame.evaluate("window.map._testMarker = 'same map'")
    settled(page, frame)
    return frame


def settled(page, frame, timeout_ms=10_000):
    """Wait until the map stops moving (the first fit and frame resizes are done)."""
    last = None
    for _ in range(timeout_ms // 250):
        current = view(frame)
        if current == last:
            return current
        last = current
        page.wait_for_timeout(250)
    raise AssertionError("the map kept moving")


def drawn(frame, layer):
    return frame.locator(f"path.layer-{layer}").count()


def overlapping_names(frame) -> list[tuple[str, str]]:
    """The pairs of base-map names shown on the map whose boxes, as the browser drew them, overlap."""
    return frame.locator(".basemap-label span").evaluate_all("""spans => {
        const boxes = spans.filter(s => s.style.visibility !== "hidden")
            .map(s => [s.getBoundingClientRect(), s.textContent]);
        const pairs = [];
        boxes.forEach(([a, nameA], i) => boxes.slice(i + 1).forEach(([b, nameB]) => {
            if (a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom) {
                pairs.push([nameA, nameB]);
            }
        }));
        return pairs;
    }""")


def view(frame):
    return frame.evaluate(
        "() => ({center: window.map.getCenter(), zoom: window.map.getZoom(), same: window.map._testMarker})"
    )


def city_position(page, frame, city_id):
    """Where the city's marker is on the page, for a real mouse."""
    box = page.locator(MAP_FRAME).bounding_box()
    point = frame.evaluate(
        """(id) => {
            let found = null;
            window.map.eachLayer(layer => {
                const p = layer.feature && layer.feature.properties;
                if (p && p.layer === 'cities' && p.id === id) {
                    const r = layer._path.getBoundingClientRect();
                    found = {x: r.x + r.width / 2, y: r.y + r.height / 2};
                }
            });
            return found;
        }""",
        city_id,
    )
    assert point, f"no marker for {city_id}"
    return box["x"] + point["x"], box["y"] + point["y"]


ACTIVE = re.compile(r"[<>\[\]!*_`#~|$:@{}\\]|https?|www")  # Markdown that would act, outside code


def code_spans(markdown: str) -> tuple[str, str]:
    """Markdown's code spans as CommonMark reads them: (the text shown, the text outside any
    span). A span opens with a run of backticks and closes at the next run of the same length;
    its content is shown as is, less one space at each end when it has both."""
    shown, outside, i = [], [], 0
    while i < len(markdown):
        run = len(markdown[i:]) - len(markdown[i:].lstrip("`"))
        if run:
            close = next((m.start() for m in re.finditer("`+", markdown[i + run:]) if len(m.group()) == run), None)
            if close is not None:
                content = markdown[i + run:i + run + close]
                if content.startswith(" ") and content.endswith(" ") and content.strip():
                    content = content[1:-1]
                shown.append(content)
                i += 2 * run + close
                continue
            shown.append(markdown[i:i + run])  # no closing run: literal backticks
            outside.append(markdown[i:i + run])
            i += run
            continue
        shown.append(markdown[i])
        outside.append(markdown[i])
        i += 1
    return "".join(shown), "".join(outside)


def as_rendered(markdown: str) -> str:
    """The text a reader sees of a Markdown line (code spans shown as their content)."""
    return code_spans(markdown)[0]


# --- the upload reader, in this process ---------------------------------------------------

def read_in_process(name: str, data: bytes) -> UserLayer:
    """What the upload reader does, run in this process without its confinement: for property
    tests of the parsing code, which would take minutes with a process per example."""
    from dashboard import upload_worker, uploads

    with tempfile.TemporaryDirectory() as folder:
        upload = Path(folder) / upload_worker.UPLOAD_FILE
        upload.write_bytes(data)
        result = upload_worker.read(upload, Path(folder))
    return uploads.layer_from_result(name, data, result)
