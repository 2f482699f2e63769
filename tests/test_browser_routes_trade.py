"""The routes, the trade and the summit outcomes as a visitor sees them: deep links restore the
view, the map draws each route and the year's classes, a click on a country shows its series, an
outcome chosen in its table is drawn on a map, and nothing is fetched from outside."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard import trade
from dashboard.catalog import CATALOG_FILE, load_catalog
from dashboard.dataset import data_folders, load_dataset

from helpers import MAP_FRAME, settled

pytestmark = pytest.mark.browser
DATA = load_dataset(CATALOG_FILE, data_folders(CATALOG_FILE))
CATALOG = load_catalog()


def map_frame(page, layer: str):
    page.frame_locator(MAP_FRAME).locator(f"path.layer-{layer}").first.wait_for(timeout=30_000)
    frame = page.locator(MAP_FRAME).element_handle().content_frame()
    settled(page, frame)
    return frame


def features_drawn(frame) -> list[dict]:
    """Every feature on the map: its layer, id and the fill and line colours it is drawn in."""
    return frame.evaluate("""() => {
        const found = [];
        window.map.eachLayer(layer => {
            const p = layer.feature && layer.feature.properties;
            if (p && layer._path) found.push({layer: p.layer, id: p.id, fill: layer.options.fillColor,
                                               color: layer.options.color, dash: layer.options.dashArray || null});
        });
        return found;
    }""")


def test_a_routes_link_opens_the_trip_with_four_routes_a_scenario_and_their_sources(app_server, page):
    page.goto(f"{app_server.url}/routes?origin=shanghai&destination=istanbul&scenario=border&days=4")
    frame = map_frame(page, "route_suez")
    assert page.get_by_role("combobox", name="From").input_value() == "Shanghai"
    assert page.get_by_role("combobox", name="To").input_value() == "Istanbul"
    overlays = [o.strip() for o in frame.locator(".leaflet-control-layers-overlays label").all_inner_texts()]
    assert overlays == ["Middle Corridor", "Northern corridor", "Sea via Suez", "Sea via the Cape of Good Hope",
                        "Origins and destinations"]
    drawn = features_drawn(frame)
    layers = {f["layer"] for f in drawn}
    assert {"route_middle", "route_northern", "route_suez", "route_cape", "route_places"} <= layers
    colours = {f["layer"]: f["color"] for f in drawn if f["layer"].startswith("route_") and f["layer"] != "route_places"}
    assert len(set(colours.values())) == 4  # each route in its own style
    ends = sorted(f["id"] for f in drawn if f["layer"] == "route_places")
    assert ends == ["istanbul", "shanghai"]
    legend = frame.locator(".map-legend").text_content()  # folded on a narrow map: read, not shown
    assert "Sea via Suez" in legend and "Suez Canal" in legend
    # the scenario is said to be one
    assert "not published figures" in page.get_by_test_id("stAlert").filter(has_text="Scenario").inner_text()
    assert page.get_by_role("button", name="Download the table (CSV)").count() >= 3
    # changing the trip puts it in the URL
    page.get_by_role("combobox", name="To").click()
    page.get_by_role("option", name="Constanța").click()
    page.wait_for_url("**/routes?*destination=constanta*", timeout=15_000)
    assert "origin=shanghai" in page.url and "scenario=border" in page.url
    assert page.watch.errors == [] and page.watch.outside_requests == []


def test_a_trade_link_shows_the_years_classes_and_a_click_on_a_country_shows_its_series(app_server, page):
    page.goto(f"{app_server.url}/trade?year=2024&mirror=1")
    frame = map_frame(page, "trade_mirror")
    shaded = trade.trade_frame(DATA.frames["trade_partners"], DATA.facts["trade"], 2024)
    spec = CATALOG.layer("trade_mirror")
    expected = {row["id"]: spec.style_for(row)["fillColor"] for row in shaded.to_dict("records")}
    drawn = {f["id"]: f["fill"] for f in features_drawn(frame) if f["layer"] == "trade_mirror"}
    assert drawn == expected
    outlined = {f["id"]: f["dash"] for f in features_drawn(frame) if f["layer"] == "trade_mirror"}
    assert outlined["kg"] == "6 4"  # Kyrgyzstan's own figure is far below China's: the gap is outlined
    legend = frame.locator(".map-legend").text_content()  # folded on a narrow map: read, not shown
    assert "20 – 40" in legend and "40 and more" in legend and "Gap between the two figures" in legend

    # a click on Kyrgyzstan shows its series with China's and Kyrgyzstan's own figures
    box = page.locator(MAP_FRAME).bounding_box()
    point = frame.evaluate("""() => { let c = null; window.map.eachLayer(l => {
        const p = l.feature && l.feature.properties;
        if (p && p.id === 'kg' && l._path) { const r = l._path.getBoundingClientRect();
            c = {x: r.x + r.width * 0.55, y: r.y + r.height * 0.45}; } }); return c; }""")
    page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])
    page.wait_for_function("""() => [...document.querySelectorAll('input[role=combobox]')]
        .some(input => input.getAttribute('aria-label') === 'Country' && input.value === 'Kyrgyzstan')""", timeout=15_000)
    # the series shown is Kyrgyzstan's: its table, as the visitor downloads it
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the table (CSV)").first.click()
    assert download.value.suggested_filename == "trade-kg.csv"
    shown = pd.read_csv(download.value.path()).set_index("year")
    series = trade.partner_series(DATA.facts["trade"], "KG").set_index("year")
    assert list(shown.index) == list(series.index)
    assert shown.loc[2024, "china_usd_bn"] == pytest.approx(series.loc[2024, "china_usd_bn"])
    assert shown.loc[2024, "partner_usd_bn"] < shown.loc[2024, "china_usd_bn"] / 2  # the mirror figure beside it
    assert "year=2024" in page.url and "mirror=1" in page.url
    assert page.watch.errors == [] and page.watch.outside_requests == []


def test_the_latest_year_is_the_default_and_the_slider_moves_the_classes(app_server, page):
    page.goto(f"{app_server.url}/trade")
    frame = map_frame(page, "trade_partners")
    years = trade.trade_years(DATA.facts["trade"])
    assert page.get_by_test_id("stSlider").inner_text().strip().endswith(str(years[-1]))
    drawn = {f["id"]: f["fill"] for f in features_drawn(frame) if f["layer"] == "trade_partners"}
    shaded = trade.trade_frame(DATA.frames["trade_partners"], DATA.facts["trade"], years[-1])
    spec = CATALOG.layer("trade_partners")
    assert drawn == {row["id"]: spec.style_for(row)["fillColor"] for row in shaded.to_dict("records")}
    assert page.watch.outside_requests == []


def test_a_summit_outcome_chosen_in_its_table_is_drawn_on_a_map(app_server, page):
    page.goto(f"{app_server.url}/cities")
    page.get_by_text("Summit outcomes").first.wait_for(timeout=30_000)
    grid = page.get_by_test_id("stDataFrame").last
    grid.scroll_into_view_if_needed()
    outcomes = [o["id"] for o in DATA.facts["summits"]["outcomes"]]
    row = outcomes.index("xian-trans-caspian")
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 18, box["y"] + 35 * (row + 1) + 17)  # the row's checkbox
    frame_locator = page.frame_locator(MAP_FRAME).last
    frame_locator.locator("path.layer-corridor_nodes").first.wait_for(timeout=30_000)
    frame = page.locator(MAP_FRAME).last.element_handle().content_frame()
    drawn = {(f["layer"], f["id"]) for f in features_drawn(frame)}
    assert {("corridor_nodes", "aktau-port"), ("corridor_nodes", "kuryk-port"),
            ("corridor_nodes", "turkmenbashi-port"), ("cities", "xian")} <= drawn
    assert page.watch.errors == [] and page.watch.outside_requests == []
