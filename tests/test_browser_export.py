"""Taking the map away (issue #19): the HTML file of the view opens from disk with every request
blocked, at the same view with the same layers; the PNG is the map as shown, at least 1600 px
wide; hostile text stays text in the file; a visitor's upload is only in that visitor's file."""

from __future__ import annotations

import io
import json

import geopandas as gpd
import pytest
from PIL import Image, ImageStat
from shapely.geometry import Point
from test_browser_hostile import IMG, NAME, SCRIPT, hostile_astana

from dashboard.catalog import load_catalog
from dashboard.catalog_text import catalog_in
from dashboard.geodata import load_layers
from dashboard.map_export import MapView, map_html

from helpers import MAP_FRAME, settled
from sample_geodata import write_sample_geodata

pytestmark = pytest.mark.browser

COUNTED = ("cku_railway", "cku_stations", "corridor_legs", "corridor_nodes", "cities")


@pytest.fixture()
def context(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 950}, accept_downloads=True)
    yield context
    context.close()


def open_offline(browser, path):
    """The file opened from disk with every request but the file's own refused; the page, the
    requests it tried and its errors."""
    context = browser.new_context(viewport={"width": 1300, "height": 850}, offline=True)
    tried, errors = [], []
    context.route("**/*", lambda route: route.continue_() if route.request.url == path.as_uri()
                  else (tried.append(route.request.url), route.abort()))
    page = context.new_page()
    page.on("request", lambda request: None if request.url in (path.as_uri(),) or request.url.startswith("data:")
            else tried.append(request.url))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto(path.as_uri())
    page.locator(".leaflet-tile-loaded, .map-legend").first.wait_for(timeout=15_000)
    page.wait_for_timeout(1000)  # the borders and names come a moment after the map
    return page, tried, errors


def counts(frame) -> dict[str, int]:
    return {layer: frame.locator(f"path.layer-{layer}").count() for layer in COUNTED}


def the_map(page_or_frame) -> dict:
    return page_or_frame.evaluate("""() => {
        const map = window.map || window[Object.keys(window).find((k) => k.startsWith("map_"))];
        return {lat: map.getCenter().lat, lng: map.getCenter().lng, zoom: map.getZoom()};
    }""")


def download(page, button: str, tmp_path):
    """Go to the button (the map tells the app its view as the pointer comes: one rerun), click it."""
    page.get_by_role("button", name=button).hover()
    page.wait_for_timeout(1000)
    with page.expect_download(timeout=60_000) as started:
        page.get_by_role("button", name=button).click()
    target = tmp_path / started.value.suggested_filename
    started.value.save_as(target)
    return target


def moved_map(page, url):
    """The map at `url`, zoomed in with the wheel and dragged by the visitor's mouse (which
    sends the app nothing: pan and zoom never rerun the page)."""
    sent = []
    page.on("websocket", lambda socket: socket.on("framesent", lambda frame: sent.append(frame)))
    page.goto(url)
    page.frame_locator(MAP_FRAME).locator("path.layer-cku_railway").first.wait_for(timeout=30_000)
    frame = page.locator(MAP_FRAME).element_handle().content_frame()
    settled(page, frame)
    page.wait_for_timeout(500)
    before = len(sent)
    box = page.locator(MAP_FRAME).bounding_box()
    x, y = box["x"] + box["width"] * 0.45, box["y"] + box["height"] * 0.45
    page.mouse.move(x, y)
    page.mouse.wheel(0, -120)
    settled(page, frame)
    page.mouse.down()
    page.mouse.move(x + 120, y + 60, steps=6)
    page.mouse.up()
    settled(page, frame)
    page.wait_for_timeout(500)
    assert len(sent) == before  # no rerun asked for
    return frame


def test_the_html_file_opens_offline_at_the_view_with_the_layers_and_the_city(browser, app_server, context, tmp_path):
    page = context.new_page()
    frame = moved_map(page, f"{app_server.url}/?city=astana&layers=railway,corridor")
    shown, at = counts(frame), the_map(frame)
    assert shown["cities"] == 0 and shown["cku_railway"] > 0 and at["zoom"] > 4

    saved = download(page, "Download this map (HTML)", tmp_path)
    assert saved.name == "silk-road-overview.html"
    opened, tried, errors = open_offline(browser, saved)
    assert tried == [] and errors == []
    assert counts(opened) == shown
    assert the_map(opened) == pytest.approx(at)
    assert opened.locator(".details-panel .city-name").inner_text() == "Astana"
    assert opened.locator(".leaflet-control-layers-base label").all_inner_texts() == [
        " Offline map", " Offline map, light"]
    # the base map is drawn from the file: its tiles, its borders and its names
    tiles = opened.locator("img.leaflet-tile-loaded").evaluate_all("imgs => imgs.map((img) => img.src)")
    assert all(src.startswith("data:") for src in tiles)  # beyond the built region: a blank one
    assert sum(src.startswith("data:image/webp") for src in tiles) >= 12
    assert opened.locator(".basemap-label", has_text="Bishkek").count() == 1
    assert "China–Kyrgyzstan–Uzbekistan railway" in opened.locator(".map-legend").inner_text()
    opened.context.close()


def test_the_png_is_the_map_as_shown_at_least_1600_px_wide(app_server, context, tmp_path):
    page = context.new_page()
    frame = moved_map(page, f"{app_server.url}/railway")
    width, height = frame.evaluate("[window.map.getSize().x, window.map.getSize().y]")
    saved = download(page, "Download this map (PNG)", tmp_path)
    assert saved.name == "silk-road-railway.png"
    image = Image.open(io.BytesIO(saved.read_bytes()))
    assert image.format == "PNG" and image.width >= 1600
    assert image.height == pytest.approx(image.width * height / width, abs=3)
    # not blank: relief, water, lines and text give many colours and much contrast
    assert len(image.convert("RGB").getcolors(1 << 24)) > 2000
    assert min(ImageStat.Stat(image.convert("L")).stddev) > 10
    page.get_by_text("Image saved.").wait_for(timeout=5_000)


def test_an_upload_is_in_the_file_of_the_session_that_uploaded_it_only(browser, app_server, tmp_path):
    layer = tmp_path / "my-own-depots.geojson"
    layer.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"depot": "Khorgos dry port"},
         "geometry": {"type": "Point", "coordinates": [80.3, 44.2]}}]}))
    files = {}
    for visitor, uploads in (("uploader", True), ("other", False)):
        context = browser.new_context(viewport={"width": 1400, "height": 950}, accept_downloads=True)
        page = context.new_page()
        if uploads:
            page.goto(f"{app_server.url}/data")
            page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(layer))
            page.locator('[data-testid="stAlert"]').filter(has_text=layer.name).wait_for(timeout=30_000)
            page.get_by_role("link", name="Overview").click()
            page.frame_locator(MAP_FRAME).locator("path.layer-user").first.wait_for(timeout=30_000)
        else:
            page.goto(app_server.url)
            page.frame_locator(MAP_FRAME).locator("path.layer-cities").first.wait_for(timeout=30_000)
        (tmp_path / visitor).mkdir()
        files[visitor] = download(page, "Download this map (HTML)", tmp_path / visitor)
        context.close()
    uploader_file, other_file = (files[v].read_text(encoding="utf-8") for v in ("uploader", "other"))
    assert "my-own-depots" in uploader_file and "Khorgos dry port" in uploader_file
    assert "my-own-depots" not in other_file and "Khorgos dry port" not in other_file
    opened, tried, errors = open_offline(browser, files["uploader"])
    assert tried == [] and errors == [] and opened.locator("path.layer-user").count() == 1
    opened.context.close()


def test_hostile_text_in_the_file_stays_text(browser, tmp_path):
    catalog = load_catalog(write_sample_geodata(
        tmp_path / "data", cities__geojson=json.dumps({"type": "FeatureCollection", "features": hostile_astana()})))
    frames = load_layers(catalog).frames
    visitor = gpd.GeoDataFrame({IMG: [SCRIPT]}, geometry=[Point(71.4, 51.1)], crs="EPSG:4326")
    page = map_html(catalog_in(catalog, "en"), frames, groups=None, visible_groups=[g.id for g in catalog.groups],
                    basemap=None, view=MapView(48, 70, 4), user_layers=[(f"layer {IMG}", visitor)], selected="astana")
    saved = tmp_path / "hostile.html"
    saved.write_text(page, encoding="utf-8")
    opened, tried, errors = open_offline(browser, saved)
    assert tried == [] and errors == []
    assert opened.evaluate("typeof window.__pwned") == "undefined"
    assert opened.locator('img[src="x"], a[href^="javascript:" i]').count() == 0
    assert opened.locator(".details-panel .city-name").inner_text() == NAME
    assert f"Your layer: layer {IMG}" in opened.locator(".leaflet-control-layers-overlays").inner_text()
    opened.context.close()
