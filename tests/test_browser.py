"""The dashboard in headless Chromium, as a user sees it, with every non-loopback request blocked."""

import json

import pytest
from playwright.sync_api import expect

from dashboard.catalog import load_catalog
from dashboard.geodata import load_layers

from helpers import (
    DETAILS,
    MAP_FRAME,
    AppServer,
    city_position,
    drawn,
    open_overview,
    overlapping_names,
    query_is,
    settled,
    view,
)

pytestmark = pytest.mark.browser

GROUP_LAYERS = {
    group.title: [layer.id for layer in load_catalog().layers_in(group.id)]
    for group in load_catalog().overview_groups
}
FEATURE_COUNTS = {layer: len(frame) for layer, frame in load_layers(load_catalog()).frames.items()}


def test_the_overview_loads_offline_with_every_layer_its_legend_and_tools(app_server, page):
    frame = open_overview(page, app_server.url)
    assert page.locator("h1").inner_text() == "China–Central Asia corridors"
    assert set(GROUP_LAYERS) == {"China–Kyrgyzstan–Uzbekistan railway", "Trans-Caspian corridor", "Summit cities"}
    for layers in GROUP_LAYERS.values():
        for layer in layers:
            assert drawn(frame, layer) == FEATURE_COUNTS[layer], layer
    # the offline base map: relief tiles served by the app, names placed without collisions
    expect(frame.locator("img.leaflet-tile-loaded").first).to_be_visible(timeout=10_000)
    assert frame.locator("img.leaflet-tile-loaded").count() >= 4
    expect(frame.locator(".basemap-country").first).to_be_attached(timeout=10_000)
    assert frame.locator(".basemap-country").count() > 5 and frame.locator(".basemap-place").count() > 10
    assert "GEBCO" in frame.locator(".leaflet-control-attribution").inner_text()
    assert overlapping_names(frame) == []
    frame.evaluate("() => { window.map.setView([40.5, 50.5], 7); }")  # the Caspian ports
    page.wait_for_timeout(800)
    assert frame.locator(".basemap-place", has_text="Baku").count() == 1 and overlapping_names(frame) == []
    assert "Standard gauge" in frame.locator(".map-legend").inner_text()
    # the wide overview keeps its layout: the legend and the layer control open
    assert frame.locator(".map-legend details[open]").count() == 1
    assert frame.locator(".leaflet-control-layers-expanded").count() == 1

    for control in (".leaflet-control-zoom-fullscreen", ".leaflet-control-measure",
                    ".leaflet-control-minimap", ".leaflet-control-scale"):
        assert frame.locator(control).count() == 1, control
    box = page.locator(MAP_FRAME).bounding_box()
    page.mouse.move(box["x"] + 300, box["y"] + 300)
    page.mouse.move(box["x"] + 310, box["y"] + 305)
    assert "Lat · lon:" in frame.locator(".leaflet-control-mouseposition").inner_text()
    toggle = frame.locator(".leaflet-control-measure-toggle").bounding_box()  # page coordinates
    page.mouse.move(toggle["x"] + toggle["width"] / 2, toggle["y"] + toggle["height"] / 2)
    page.wait_for_timeout(300)
    assert "Measure distances and areas" in frame.locator(".leaflet-control-measure").inner_text()
    assert frame.locator(".leaflet-control-minimap path").count() > 10  # drawn from the offline borders

    page.wait_for_timeout(1500)  # late requests (fonts, tiles, telemetry) would show up here
    assert page.watch.outside_requests == []
    assert page.watch.errors == []


def test_unticking_an_overlay_hides_its_shapes_and_keeps_the_view(app_server, page):
    frame = open_overview(page, app_server.url)
    before = view(frame)
    for group in GROUP_LAYERS:
        checkbox = frame.locator(".leaflet-control-layers-overlays label", has_text=group).locator("input")
        checkbox.uncheck()
        page.wait_for_timeout(500)
        assert all(drawn(frame, layer) == 0 for layer in GROUP_LAYERS[group]), group
        others = [layer for title, layers in GROUP_LAYERS.items() if title != group for layer in layers]
        assert all(drawn(frame, layer) == FEATURE_COUNTS[layer] for layer in others), group
        checkbox.check()
        page.wait_for_timeout(500)
        assert all(drawn(frame, layer) == FEATURE_COUNTS[layer] for layer in GROUP_LAYERS[group]), group
        assert view(frame) == before  # same centre and zoom, and the same map object (no reload)
    assert page.watch.errors == []


def test_clicking_a_city_shows_its_details_beside_the_map(app_server, page, artifacts):
    frame = open_overview(page, app_server.url)
    details = page.locator(DETAILS)
    assert "Click a city" in details.inner_text()
    for city_id, name, year in (("astana", "Astana", "2025"), ("xian", "Xi'an", "2023")):
        x, y = city_position(page, frame, city_id)
        page.mouse.move(x, y)
        tooltip = frame.locator(".leaflet-tooltip")
        tooltip.wait_for()
        assert name in tooltip.inner_text()
        before = view(frame)

        page.mouse.click(x, y)
        page.locator(f"{DETAILS} h3", has_text=name).wait_for(timeout=15_000)
        text = details.inner_text()
        assert year in text and "Events" in text and "Sources" in text
        assert view(frame) == before  # the map kept its view and was not reloaded
        assert page.get_by_role("combobox", name="City").input_value() == name  # the sidebar follows
        assert page.watch.errors == [] and page.watch.outside_requests == []

        page.screenshot(path=artifacts / f"click-{city_id}.png")
        page.mouse.move(5, 5)  # off the map: the tooltip goes


def test_choosing_a_city_in_the_sidebar_centres_the_map_and_puts_it_in_the_link(app_server, page):
    frame = open_overview(page, app_server.url)
    received = []  # the sizes of the server's websocket messages, base64-encoded as DevTools gives them
    cdp = page.context.new_cdp_session(page)
    cdp.on("Network.webSocketFrameReceived", lambda e: received.append(len(e["response"]["payloadData"]) * 3 // 4))
    cdp.send("Network.enable")
    page.get_by_role("combobox", name="City").click()
    page.get_by_role("option", name="Astana").click()
    page.locator(f"{DETAILS} h3", has_text="Astana").wait_for(timeout=15_000)
    page.wait_for_url(query_is("/", city="astana"), timeout=15_000)
    page.wait_for_timeout(1000)
    center = view(frame)["center"]
    assert center["lat"] == pytest.approx(51.18, abs=0.05) and center["lng"] == pytest.approx(71.45, abs=0.05)
    assert view(frame)["same"] == "same map"  # moved, not reloaded
    assert 0 < sum(received) <= 20_000, received  # the map is not sent again (it is ~200 KB)
    page.get_by_role("combobox", name="City").click()
    page.get_by_role("option", name="Samarkand").click()
    page.wait_for_url(query_is("/", city="samarkand"), timeout=15_000)


def test_a_link_to_a_city_opens_with_its_details(app_server, page):
    page.goto(f"{app_server.url}/?city=astana")
    page.locator(f"{DETAILS} h3", has_text="Astana").wait_for(timeout=30_000)
    assert "2025" in page.locator(DETAILS).inner_text()
    assert page.get_by_role("combobox", name="City").input_value() == "Astana"


def test_a_link_to_an_unknown_city_gives_a_notice(app_server, page):
    page.goto(f"{app_server.url}/?city=%3Cscript%3Ealert(1)%3C%2Fscript%3E")
    toast = page.locator('[data-testid="stToast"]')
    toast.wait_for(timeout=30_000)
    assert "unknown city" in toast.inner_text()
    assert "Click a city" in page.locator(DETAILS).inner_text()
    assert page.watch.errors == []


def test_year_filter_changes_the_cities_on_the_map(app_server, page):
    page.goto(f"{app_server.url}/cities")
    frame_locator = page.frame_locator(MAP_FRAME)
    # drawn (the filter is the point here, not the first view: see test_the_overview_loads_offline…)
    frame_locator.locator("path.layer-cities").first.wait_for(timeout=30_000, state="attached")
    assert frame_locator.locator("path.layer-cities").count() == FEATURE_COUNTS["cities"]
    slider = page.get_by_role("slider").first  # the range's lower thumb
    slider.focus()
    for _ in range(12):  # 2013 -> 2025
        page.keyboard.press("ArrowRight")
    page.locator("h3", has_text="Events 2025–2025").wait_for(timeout=30_000)
    markers = page.frame_locator(MAP_FRAME).locator("path.layer-cities")
    for _ in range(40):  # the map is drawn anew with the cities of 2025
        if 0 < markers.count() < FEATURE_COUNTS["cities"]:
            break
        page.wait_for_timeout(250)
    assert 0 < markers.count() < FEATURE_COUNTS["cities"]


def test_a_cold_deep_link_runs_inside_the_app(page):
    """The first request a fresh server gets is /railway: it must still run through app.py."""
    server = AppServer(warm_pages="railway")
    try:
        page.goto(f"{server.url}/railway")
        page.locator("h1", has_text="China–Kyrgyzstan–Uzbekistan railway").wait_for(timeout=30_000)
        navigation = page.locator('[data-testid="stSidebarNav"]').inner_text()
        assert "CKU railway" in navigation and "Overview" in navigation
        assert "Page not found" not in page.locator("body").inner_text()
    finally:
        server.stop()


def test_each_download_is_the_whole_layer(app_server, page):
    import io

    import pandas as pd
    import pyogrio

    for fmt in ("GeoJSON", "CSV", "KML"):
        if fmt != "CSV":  # the page again: Chromium stops a page's downloads after its tenth
            page.goto(f"{app_server.url}/data")
            page.locator("h1", has_text="The data").wait_for(timeout=30_000)
        buttons = page.get_by_role("button", name=fmt, exact=True)
        expect(buttons).to_have_count(len(FEATURE_COUNTS), timeout=30_000)
        for index, layer in enumerate(["cku_railway", "cku_stations", "corridor_legs", "corridor_nodes", "cities"]):
            with page.expect_download() as download:
                buttons.nth(index).click()
            with open(download.value.path(), "rb") as file:
                data = file.read()
            if fmt == "GeoJSON":
                count = len(json.loads(data)["features"])
            elif fmt == "CSV":
                count = len(pd.read_csv(io.BytesIO(data)))
            else:
                count = len(pyogrio.read_dataframe(io.BytesIO(data)))
            assert count == FEATURE_COUNTS[layer], (fmt, layer)


def test_a_link_sets_the_overlays_and_toggles_go_into_the_link(app_server, page):
    page.goto(f"{app_server.url}/?layers=railway,cities")
    frame = page.frame_locator(MAP_FRAME)
    frame.locator("path.layer-cku_railway").first.wait_for(timeout=30_000)
    assert frame.locator("path.layer-corridor_legs").count() == 0
    assert frame.locator("path.layer-cities").count() == FEATURE_COUNTS["cities"]
    handle = page.locator(MAP_FRAME).element_handle().content_frame()
    handle.evaluate("window.map._testMarker = 'same map'")

    frame.locator(".leaflet-control-layers-overlays label", has_text="Summit cities").locator("input").uncheck()
    page.wait_for_url(query_is("/", layers="railway", basemap="offline"), timeout=15_000)
    page.get_by_role("combobox", name="City").click()
    page.get_by_role("option", name="Astana").click()
    page.wait_for_url(query_is("/", layers="railway", basemap="offline", city="astana"), timeout=15_000)
    assert handle.evaluate("window.map._testMarker") == "same map"  # toggling never reloads the map


def test_a_link_with_bad_values_gives_notices(app_server, page):
    page.goto(f"{app_server.url}/?layers=bogus&basemap=nowhere")
    page.locator('[data-testid="stToast"]').first.wait_for(timeout=30_000)
    notices = " ".join(page.locator('[data-testid="stToast"]').all_inner_texts())
    assert "unknown layer ('bogus')" in notices and "unknown base map ('nowhere')" in notices
    assert page.watch.errors == []


def test_a_link_sets_the_years(app_server, page):
    page.goto(f"{app_server.url}/cities?years=2024-2025&city=astana")
    page.locator("h3", has_text="Events 2024–2025").wait_for(timeout=30_000)
    frame = page.frame_locator(MAP_FRAME)
    # the map is centred on Astana: a city out of the view is there but not drawn ("M0 0")
    frame.locator("path.layer-cities:not([d='M0 0'])").first.wait_for(timeout=30_000)
    assert frame.locator("path.layer-cities").count() < FEATURE_COUNTS["cities"]
    center = view(page.locator(MAP_FRAME).element_handle().content_frame())["center"]
    assert center["lat"] == pytest.approx(51.18, abs=0.05) and center["lng"] == pytest.approx(71.45, abs=0.05)
    # the cities carry their names on the map, the chosen one emphasised
    expect(frame.locator(".feature-label span.selected")).to_have_text("Astana", timeout=30_000)
    for _ in range(40):  # the names are placed again when the map has moved to the city
        if frame.locator(".feature-label").count() >= 3:
            break
        page.wait_for_timeout(250)
    assert frame.locator(".feature-label").count() >= 3


def test_each_map_keeps_its_own_view_in_its_own_link(app_server, page):
    page.goto(f"{app_server.url}/railway")
    frame = page.frame_locator(MAP_FRAME)
    frame.locator("path.layer-cku_railway").first.wait_for(timeout=30_000)
    # a page map narrower than 800 px leaves room for the map: the legend closed, the minimap
    # minimised, the layer control a button; tall enough to read; the stations named
    size = page.locator(MAP_FRAME).bounding_box()
    assert size["width"] < 800 and size["height"] >= 520
    expect(frame.locator(".leaflet-control-minimap-toggle-display.minimized-bottomleft")).to_have_count(1)
    assert frame.locator(".map-legend details").count() == 1 and frame.locator(".map-legend details[open]").count() == 0
    assert frame.locator(".leaflet-control-layers-expanded").count() == 0
    assert frame.locator(".feature-label", has_text="Torugart pass").count() == 1
    page.mouse.move(size["x"] + size["width"] / 2, size["y"] + size["height"] / 2)
    page.mouse.move(5, 5)  # the pointer leaves the map: the position control stays quiet
    assert "Unavailable" not in frame.locator(".leaflet-control-mouseposition").inner_text()
    frame.locator(".leaflet-control-layers").hover()
    page.wait_for_timeout(300)
    frame.locator(".leaflet-control-layers-base label", has_text="OpenStreetMap").locator("input").check()
    page.wait_for_url(query_is("/railway", layers="railway", basemap="osm"), timeout=15_000)

    page.get_by_role("link", name="Overview").click()
    overview = page.frame_locator(MAP_FRAME)
    overview.locator("path.layer-cities").first.wait_for(timeout=30_000)
    page.wait_for_timeout(1000)  # a URL written by the overview's run would be there by now
    assert "layers=" not in page.url and "basemap=" not in page.url
    for layers in GROUP_LAYERS.values():  # every overlay, on the offline map
        assert all(drawn(overview, layer) == FEATURE_COUNTS[layer] for layer in layers)
    assert overview.locator(".leaflet-control-layers-base input:checked + span", has_text="Offline map").count() == 1

    page.get_by_role("link", name="CKU railway").click()  # back: the railway map as it was left
    page.wait_for_url(query_is("/railway", layers="railway", basemap="osm"), timeout=15_000)
    railway = page.frame_locator(MAP_FRAME)
    railway.locator("path.layer-cku_railway").first.wait_for(timeout=30_000)
    assert railway.locator(".leaflet-control-layers-base input:checked + span", has_text="OpenStreetMap").count() == 1


@pytest.mark.parametrize(("lang", "title", "legend", "cities_page", "astana", "population"), [
    ("ru", "Коридоры Китай — Центральная Азия", "Легенда", "Города саммитов", "Астана", "население 1\xa0566\xa0566"),
    ("zh", "中国—中亚通道", "图例", "峰会城市", "阿斯塔纳", "人口 1,566,566"),
])
def test_a_link_in_russian_or_chinese_opens_the_dashboard_in_that_language(app_server, page, lang, title, legend,
                                                                          cities_page, astana, population):
    page.goto(f"{app_server.url}/?lang={lang}&city=astana")
    page.locator("h1", has_text=title).wait_for(timeout=30_000)
    frame = page.frame_locator(MAP_FRAME)
    frame.locator(".map-legend summary", has_text=legend).wait_for(timeout=30_000)
    page.locator(f"{DETAILS} h3", has_text=astana).wait_for(timeout=15_000)
    assert population in page.locator(DETAILS).inner_text()
    page.get_by_role("link", name=cities_page).click()  # the language goes with the visitor to another page
    page.locator("h1", has_text=cities_page).wait_for(timeout=30_000)
    page.wait_for_url(f"**/cities?*lang={lang}*", timeout=15_000)
    page.get_by_role("combobox", name="Language · Язык · 语言").click()
    page.get_by_role("option", name="English").click()
    page.locator("h1", has_text="Summit cities").wait_for(timeout=15_000)
    page.wait_for_url("**/cities?*lang=en*", timeout=15_000)
    assert page.watch.errors == [] and page.watch.outside_requests == []


def test_the_inset_moves_the_map_only_when_the_visitor_drags_it(app_server, page):
    page.goto(f"{app_server.url}/railway")
    page.frame_locator(MAP_FRAME).locator("path.layer-cku_railway").first.wait_for(timeout=30_000)
    frame = page.locator(MAP_FRAME).element_handle().content_frame()
    before = settled(page, frame)
    # restoring the minimised inset resizes it: the main map stays where the data is
    frame.locator(".leaflet-control-minimap-toggle-display").click()
    page.wait_for_timeout(800)
    assert settled(page, frame) == before
    # nor does the inset keep the grey shadow of a drag that did not happen
    shadows = frame.locator('.leaflet-control-minimap path[stroke="#000000"]')
    assert shadows.evaluate_all("paths => paths.filter(p => p.getAttribute('stroke-opacity') !== '0').length") == 0
    box = frame.locator(".leaflet-control-minimap").bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] / 2 - 30, box["y"] + box["height"] / 2, steps=5)
    page.mouse.up()
    after = settled(page, frame)
    assert after["center"]["lng"] > before["center"]["lng"] + 1  # dragged west on the inset: the map goes east
    assert page.watch.errors == []
