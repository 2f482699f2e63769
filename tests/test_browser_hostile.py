"""Hostile text in the browser: a city whose every text is HTML, script or a javascript: link,
a link whose values are Markdown, an upload whose name is HTML. Nothing runs, nothing is
fetched from outside, and the text is shown literally."""

from __future__ import annotations

import json

import pytest

from helpers import DETAILS, MAP_FRAME, AppServer, city_position, open_overview
from sample_geodata import LAYERS, write_sample_geodata

pytestmark = pytest.mark.browser

IMG = '<img src=x onerror="window.__pwned=1">'
SCRIPT = "<script>window.__pwned=2</script>"
JS_URL = "javascript:window.__pwned=3"
NAME = f"Astana {IMG}"


def hostile_astana():
    astana, xian = LAYERS["cities.geojson"]
    props = {
        **astana["properties"],
        "name": NAME,
        "names": {"local": SCRIPT, "ru": IMG},
        "country": f"Kazakhstan {SCRIPT}",  # not a code: shown as it is, as text
        "roles": [IMG, SCRIPT],
        "description": f"{SCRIPT} {IMG}",
        "events": [{"date": "2025-06-17", "title": IMG, "description": SCRIPT, "source": IMG, "url": JS_URL},
                   {"date": "2024-01-01", "title": "Plain event", "description": "", "source": "Safe source",
                    "url": "https://example.org/event"}],
        "sources": [{"title": IMG, "url": JS_URL}, {"title": SCRIPT, "url": " JavaScript:window.__pwned=3"},
                    {"title": "Example source", "url": "https://example.org/source"}],
        "population": {"value": 1000, "year": 2020, "source": IMG},
        IMG: SCRIPT,  # a property key too
    }
    return [{**astana, "properties": props}, xian]


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory, artifacts):
    station = {**LAYERS["cku_stations.geojson"][0]}
    station["properties"] = {**station["properties"], "name": f"Kashgar {IMG}", "kind": SCRIPT}
    catalog = write_sample_geodata(
        tmp_path_factory.mktemp("hostile"),
        cities__geojson=json.dumps({"type": "FeatureCollection", "features": hostile_astana()}),
        cku_stations__geojson=json.dumps({"type": "FeatureCollection", "features": [station]}),
    )
    server = AppServer(catalog=catalog, warm_pages="overview,data")
    yield server
    server.stop()


def nothing_ran(page, frame=None):
    assert page.evaluate("typeof window.__pwned") == "undefined"
    if frame is not None:
        assert frame.evaluate("typeof window.__pwned") == "undefined"
        assert frame.locator('img[src="x"], script:text("__pwned")').count() == 0
        assert frame.locator('a[href^="javascript:" i]').count() == 0
    assert page.locator('img[src="x"]').count() == 0
    assert page.locator('a[href^="javascript:" i]').count() == 0
    assert page.watch.outside_requests == []


def test_a_hostile_city_and_station_are_shown_as_text_on_hover_and_click(hostile_server, page, artifacts):
    frame = open_overview(page, hostile_server.url)
    x, y = city_position(page, frame, "astana")

    page.mouse.move(x, y)
    tooltip = frame.locator(".leaflet-tooltip")
    tooltip.wait_for()
    assert IMG in tooltip.inner_text()  # literally, quotes and all
    assert tooltip.locator("img").count() == 0

    page.mouse.click(x, y)
    details = page.locator(DETAILS)
    details.locator("h3", has_text="Astana").wait_for(timeout=15_000)
    page.wait_for_timeout(500)  # an onerror would have fired by now
    text = details.inner_text()
    assert details.locator("h3").inner_text() == NAME
    for shown in (IMG, SCRIPT, f"Kazakhstan {SCRIPT}", "<img src=x onerror="):
        assert shown in text, shown
    assert text.count(IMG) >= 5  # the name, a local name, a role, the description, an event and a source
    assert details.locator("img, script, iframe, object").count() == 0
    # the http(s) links are links; the javascript: ones are text only
    hrefs = details.locator("a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert sorted(hrefs) == ["https://example.org/event", "https://example.org/source"]
    assert page.get_by_role("combobox", name="City").input_value() == NAME  # the sidebar, as text

    page.screenshot(path=artifacts / "hostile-city.png")
    nothing_ran(page, frame)
    assert page.watch.errors == []

    # a station's tooltip, on the same map
    page.mouse.move(5, 5)  # off the map first: the city's tooltip goes
    frame.locator(".leaflet-tooltip").wait_for(state="detached")
    box = page.locator(MAP_FRAME).bounding_box()
    point = frame.evaluate(
        """() => {
            let found = null;
            window.map.eachLayer(layer => {
                const p = layer.feature && layer.feature.properties;
                if (p && p.layer === 'cku_stations') {
                    const r = layer._path.getBoundingClientRect();
                    found = {x: r.x + r.width / 2, y: r.y + r.height / 2};
                }
            });
            return found;
        }"""
    )
    page.mouse.move(box["x"] + point["x"], box["y"] + point["y"])
    tooltip = frame.locator(".leaflet-tooltip")
    tooltip.wait_for()
    assert f"Kashgar {IMG}" in tooltip.inner_text() and SCRIPT in tooltip.inner_text()
    page.wait_for_timeout(300)
    nothing_ran(page, frame)


def test_a_link_cannot_put_markdown_on_the_page(hostile_server, page):
    picture = "![x](http://evil.example/x.png)"
    link = "[click](http://evil.example/)"
    page.goto(f"{hostile_server.url}/?city={picture}&layers={link}&basemap=<b>bold</b>")
    toasts = page.locator('[data-testid="stToast"]')
    toasts.first.wait_for(timeout=30_000)
    page.wait_for_timeout(1500)  # all the toasts, and any request the page would make
    text = " ".join(toasts.all_inner_texts())
    for shown in (picture, link, "<b>bold</b>"):
        assert f"('{shown}')" in text, (shown, text)
    assert toasts.locator("img, a, b, strong").count() == 0
    assert page.watch.outside_requests == []
    nothing_ran(page)


def upload_named(page, server, tmp_path, name):
    """Upload a one-point GeoJSON (hostile keys and values too) under this file name on the data
    page; returns the success message."""
    upload = tmp_path / name
    upload.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {IMG: SCRIPT, "label": IMG},
         "geometry": {"type": "Point", "coordinates": [69.24, 41.31]}}]}), encoding="utf-8")
    page.goto(f"{server.url}/data")
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(upload))
    message = page.get_by_text("was added to the Overview map")
    message.wait_for(timeout=30_000)
    return message


# (a browser sends a double quote in a file name as %22, so these have none)
HTML_NAME = "<img src=x onerror=window.__pwned=4>.geojson"
MARKDOWN_NAME = "**bold** [a](x).geojson"


def test_uploads_named_with_html_or_markdown_are_shown_as_text(hostile_server, page, tmp_path):
    message = upload_named(page, hostile_server, tmp_path, HTML_NAME)
    assert message.inner_text() == f"'{HTML_NAME}' was added to the Overview map."
    page.wait_for_timeout(500)
    nothing_ran(page)

    page.get_by_role("link", name="Overview").click()
    frame_locator = page.frame_locator(MAP_FRAME)
    frame_locator.locator("path.layer-user").first.wait_for(timeout=30_000)
    assert frame_locator.locator("path.layer-user").count() == 1  # its one point
    assert f"Your layer: {HTML_NAME}" in frame_locator.locator(".leaflet-control-layers-overlays").inner_text()
    frame = page.locator(MAP_FRAME).element_handle().content_frame()
    point = frame.locator("path.layer-user").first.bounding_box()  # page coordinates
    page.mouse.move(point["x"] + point["width"] / 2, point["y"] + point["height"] / 2)
    tooltip = frame.locator(".leaflet-tooltip")
    tooltip.wait_for()
    assert IMG in tooltip.inner_text() and SCRIPT in tooltip.inner_text()  # an uploaded key and value
    page.wait_for_timeout(500)
    nothing_ran(page, frame)

    message = upload_named(page, hostile_server, tmp_path, MARKDOWN_NAME)
    assert message.inner_text() == f"'{MARKDOWN_NAME}' was added to the Overview map."
    assert message.locator("a, strong").count() == 0
