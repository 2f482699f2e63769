"""Shared fixtures: the app served on a free loopback port, and headless Debian Chromium."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parent.parent
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


class AppServer:
    """`streamlit run app.py` on loopback, optionally on another catalog."""

    def __init__(self, catalog: Path | None = None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        if catalog is not None:
            env["DASHBOARD_CATALOG"] = str(catalog)
        (ROOT / "test-artifacts").mkdir(exist_ok=True)
        self.log = open(ROOT / "test-artifacts" / f"server-{self.port}.log", "w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(self.port),
             "--server.address", "127.0.0.1", "--server.headless", "true"],
            cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT,
        )
        self._wait_until_healthy()

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


@pytest.fixture(scope="session")
def artifacts() -> Path:
    path = ROOT / "test-artifacts"
    path.mkdir(exist_ok=True)
    return path


@pytest.fixture(scope="session")
def app_server(artifacts):
    server = AppServer()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make test`, which installs Debian's chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class PageWatch:
    """What a page did that a user would not want: outside requests, JavaScript errors."""

    def __init__(self):
        self.outside_requests: list[str] = []
        self.errors: list[str] = []


# On a deep link such as /data, Streamlit's frontend first probes /data/_stcore/health and
# /data/_stcore/host-config for a base path, gets 404 and falls back to the root: not an error.
BASE_PATH_PROBES = ("/_stcore/health", "/_stcore/host-config")


def _is_error(msg) -> bool:
    url = (msg.location or {}).get("url", "")
    return msg.type == "error" and not (url.endswith(BASE_PATH_PROBES) and "404" in msg.text)


@pytest.fixture()
def page(browser):
    """A fresh browser page that may reach only loopback; `page.watch` records the rest."""
    context = browser.new_context(viewport={"width": 1400, "height": 950})
    watch = PageWatch()

    def only_loopback(route):
        host = urlsplit(route.request.url).hostname or ""
        if host in LOOPBACK or route.request.url.startswith(("data:", "blob:", "about:")):
            route.continue_()
        else:
            watch.outside_requests.append(route.request.url)
            route.abort()

    context.route("**/*", only_loopback)
    page = context.new_page()
    page.on("pageerror", lambda error: watch.errors.append(f"pageerror: {error}"))
    page.on("console", lambda msg: watch.errors.append(f"console: {msg.text}") if _is_error(msg) else None)
    page.watch = watch
    yield page
    context.close()
