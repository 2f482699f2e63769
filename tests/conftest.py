"""Shared fixtures: the app served on a free loopback port, and headless Debian Chromium."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, AppServer, is_loopback


def pytest_collection_modifyitems(items):
    """The longest tests first, so that with several workers (make test) each starts on one of
    them and the short ones fill in around them."""
    items.sort(key=lambda item: not item.get_closest_marker("slow"))


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


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
        if is_loopback(route.request.url):
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
