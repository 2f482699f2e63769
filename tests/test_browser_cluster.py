"""Two replicas behind HAProxy (scripts/cluster.py, deploy/haproxy.cfg): fresh visitors are
spread across them, a visitor stays on one, and when a visitor's replica dies the page comes
back through the proxy from the other replica with the same view (the view is in the URL). The
cluster serves the app under a sub-path (server.baseUrlPath), as a deployment behind a shared
host would."""

from __future__ import annotations

import http.client
import re
import socket
import time
import urllib.error
import urllib.request

import pytest

from scripts.cluster import LOGS, Cluster

from helpers import MAP_FRAME, is_loopback

pytestmark = [pytest.mark.browser, pytest.mark.slow]
COOKIE = "SILKROAD_REPLICA"
BASE_PATH = "/silkroad"


@pytest.fixture(scope="module")
def cluster():
    running = Cluster(base_path=BASE_PATH, warm_pages="overview,data").start()  # the pages visited here
    yield running
    running.stop()


def visit(browser, url: str):
    context = browser.new_context(viewport={"width": 1400, "height": 950})
    context.route("**/*", lambda route: route.continue_() if is_loopback(route.request.url) else route.abort())
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.errors = errors
    page.goto(url)
    return context, page


def replica(context) -> str:
    return next(c["value"] for c in context.cookies() if c["name"] == COOKIE)


def shows_astana_with_railway_and_corridor(page, timeout: int = 30_000) -> None:
    page.get_by_role("combobox", name="City").wait_for(timeout=timeout)
    page.wait_for_function("""() => [...document.querySelectorAll('input[role=combobox]')]
        .some(input => input.getAttribute('aria-label') === 'City' && input.value === 'Astana')""", timeout=timeout)
    frame = page.frame_locator(MAP_FRAME)
    frame.locator("path.layer-cku_railway").first.wait_for(timeout=timeout)
    assert frame.locator("path.layer-corridor_legs").count() > 0 and frame.locator("path.layer-cities").count() == 0


def test_fresh_visitors_are_spread_and_each_stays_on_its_replica(cluster, browser):
    visitors = [visit(browser, f"{cluster.url}/?city=astana&layers=railway,corridor") for _ in range(2)]
    for _context, page in visitors:
        shows_astana_with_railway_and_corridor(page)
    assert {replica(context) for context, _ in visitors} == {"app1", "app2"}
    context, page = visitors[0]
    # the map's scripts and tiles come from under the sub-path too
    bundle = page.frame_locator(MAP_FRAME).locator('script[src*="bundle/map.js"]').evaluate("s => s.src")
    assert bundle.startswith(f"{cluster.url}/app/static/bundle/map.js")
    assert page.frame_locator(MAP_FRAME).locator("img.leaflet-tile-loaded").count() > 0
    first = replica(context)
    page.get_by_role("combobox", name="City").click()
    page.get_by_role("option", name="Xi'an").click()
    page.wait_for_url("**city=xian*", timeout=15_000)
    assert replica(context) == first and page.errors == []
    for context, _ in visitors:
        context.close()


def test_a_visitor_whose_replica_dies_gets_the_same_view_from_the_other(cluster, browser):
    context, page = visit(browser, f"{cluster.url}/?city=astana&layers=railway,corridor")
    shows_astana_with_railway_and_corridor(page)
    dead = replica(context)
    cluster.kill(dead)
    try:
        # the page reconnects through the proxy, to the replica still alive, and runs again from its URL
        page.wait_for_timeout(3_000)
        shows_astana_with_railway_and_corridor(page, timeout=30_000)
        assert replica(context) != dead
        assert page.get_by_test_id("stException").count() == 0 and page.errors == []
    finally:
        cluster.start_replica(dead)
        cluster.wait_until_healthy(dead)
        context.close()


def test_each_log_line_names_its_replica_as_the_proxy_log_does(cluster, browser):
    context, page = visit(browser, f"{cluster.url}/?city=astana&layers=railway,corridor")
    shows_astana_with_railway_and_corridor(page)
    served_by = replica(context)
    context.close()
    proxy = (LOGS / "proxy.log").read_text(encoding="utf-8")
    assert f" replicas/{served_by} " in proxy  # HAProxy's line for each request names the server
    for name in cluster.ports:
        events = [line for line in (LOGS / f"{name}.log").read_text(encoding="utf-8").splitlines()
                  if re.match(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} ", line)]
        assert events and all(line.split(" ")[2] == name for line in events), events


def test_the_proxy_sets_the_headers_streamlit_cannot_and_hides_the_metrics(cluster):
    with urllib.request.urlopen(f"{cluster.url}/", timeout=10) as response:
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert "frame-ancestors 'self'" in response.headers["Content-Security-Policy"]
        assert response.headers["Set-Cookie"].startswith(f"{COOKIE}=")
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"{cluster.url}/_stcore/metrics", timeout=10)
    assert refused.value.code == 404


def test_an_upload_and_a_download_work_through_the_proxy(cluster, browser, tmp_path):
    """The upload's XSRF cookie is signed with the secret every replica shares, and the upload
    reaches the replica that holds the session."""
    path = tmp_path / "my-stations.geojson"
    path.write_text('{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"name": "Almaty"},'
                    ' "geometry": {"type": "Point", "coordinates": [76.9, 43.25]}}]}', encoding="utf-8")
    context, page = visit(browser, f"{cluster.url}/data")
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(path))
    message = page.locator('[data-testid="stAlert"]').filter(has_text=path.name)
    message.wait_for(timeout=30_000)
    assert message.inner_text() == f"'{path.name}' was added to the Overview map."
    with page.expect_download() as download:
        page.get_by_role("button", name="CSV", exact=True).first.click()
    assert download.value.suggested_filename.endswith(".csv")
    assert page.errors == []
    context.close()


def test_a_rolling_restart_loses_no_visitors_view(cluster, browser):
    visitors = [visit(browser, f"{cluster.url}/?city=astana&layers=railway,corridor") for _ in range(2)]
    for _context, page in visitors:
        shows_astana_with_railway_and_corridor(page)
    for name in cluster.ports:  # one replica at a time, each back before the next goes
        cluster.processes[name].terminate()
        cluster.processes[name].wait(timeout=20)
        cluster.start_replica(name)
        cluster.wait_until_healthy(name)
    for context, page in visitors:
        page.wait_for_timeout(2_000)
        shows_astana_with_railway_and_corridor(page)
        assert page.get_by_test_id("stException").count() == 0 and page.errors == []
        context.close()


def test_the_proxy_limits_each_client_connections_uploads_and_bodies(cluster):
    # from another loopback address: its counters are its own, not the other tests' visitors'
    client = ("127.0.0.2", 0)

    def status(method: str, path: str, headers: dict | None = None, body: bytes | None = None) -> int:
        connection = http.client.HTTPConnection("127.0.0.1", cluster.port, timeout=10, source_address=client)
        try:
            connection.putrequest(method, f"{BASE_PATH}{path}")
            for name, value in (headers or {}).items():
                connection.putheader(name, value)
            connection.endheaders(body)
            return connection.getresponse().status
        finally:
            connection.close()

    # 20 upload requests in 10 s are passed on (the app refuses these: no XSRF token); then 429
    uploads = [status("PUT", "/_stcore/upload_file/session/file", {"Content-Length": "1"}, b"x") for _ in range(22)]
    assert 429 not in uploads[:20] and uploads[20:] == [429, 429], uploads
    # a body larger than the app's upload limit is refused before it is sent
    assert status("POST", "/", {"Content-Length": str(200 * 1024 * 1024 + 1)}) == 413
    # 40 connections open at once; the next one's request is refused
    held = [socket.create_connection(("127.0.0.1", cluster.port), timeout=10, source_address=client)
            for _ in range(40)]
    try:
        time.sleep(0.3)  # HAProxy has counted them
        assert status("GET", "/_stcore/health") == 429
    finally:
        for connection in held:
            connection.close()
    time.sleep(0.3)
    assert status("GET", "/_stcore/health") == 200
