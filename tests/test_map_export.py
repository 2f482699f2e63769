"""The map as one HTML file (dashboard/map_export.py): everything it needs inline, at the view the
visitor left, the offline base map's tiles around that view, within the size budget.
(tests/test_browser_export.py opens such files in a browser with every request blocked.)"""

from __future__ import annotations

import json
import math
import re

import pytest

from dashboard.catalog import CATALOG_FILE
from dashboard.catalog_text import catalog_in
from dashboard.dataset import load_dataset
from dashboard.i18n import Translator
from dashboard.map_export import MapView, inline_basemap, map_html, map_view

OVERVIEW_BUDGET = 3_000_000  # bytes (issue #19)


@pytest.fixture(scope="module")
def data():
    return load_dataset(CATALOG_FILE)


def overview(data, lang="en", **kwargs):
    catalog = catalog_in(data.catalog, lang)
    options = {"groups": None, "visible_groups": [g.id for g in catalog.overview_groups], "basemap": None,
               "view": None, **kwargs}
    return map_html(catalog, data.frames, _=Translator(lang), **options)


def test_the_overview_file_needs_nothing_from_a_server_and_is_within_the_budget(data):
    page = overview(data)
    assert len(page.encode()) <= OVERVIEW_BUDGET
    assert re.findall(r"<script[^>]*\ssrc=", page) == [] and re.findall(r"<link[^>]*\shref=", page) == []
    assert "app/static" not in page
    styles = "".join(re.findall(r"<style>(.*?)</style>", page, re.DOTALL))
    assert re.findall(r"""url\((?!["']?(data:|#))""", styles) == []
    # Leaflet, the plugins and the layers are in it
    assert "L.Control.MiniMap" in page and "L.Control.Measure" in page and '"layer": "cku_railway"' in page


def test_a_view_in_the_middle_of_the_map_is_where_the_file_opens_with_its_tiles_around_it(data):
    view = MapView(41.2, 73.5, 7, 800, 540)
    page = overview(data, view=view)
    assert '"lat": 41.2, "lng": 73.5, "zoom": 7' in page
    tiles = inline_basemap(view, "en")["tileData"]
    zooms = {int(key.split("/")[0]) for key in tiles}
    # the view's zoom and one out, and the finest of the small scales drawn beneath them (5)
    assert zooms == {5, 6, 7}
    x = int((73.5 + 180) / 360 * 2 ** 7)
    y = int((1 - math.asinh(math.tan(math.radians(41.2))) / math.pi) / 2 * 2 ** 7)
    assert f"7/{x}/{y}" in tiles
    # a window of 1920 × 1080 px at zoom 7 and at 6: 8 × 5 tiles (9 × 6 where it straddles their
    # edges) of zoom 7, as many of 6, and under them 4 × 3 (5 × 4) of zoom 5
    by_zoom = {zoom: sum(key.startswith(f"{zoom}/") for key in tiles) for zoom in zooms}
    assert 8 * 5 <= by_zoom[7] <= 9 * 6 and 8 * 5 <= by_zoom[6] <= 9 * 6 and by_zoom[5] <= 5 * 4
    assert len(page.encode()) <= OVERVIEW_BUDGET


def base_layers(page: str) -> dict[str, bool]:
    """The base maps of the file's layer switch: name -> shown when the file opens."""
    block = re.search(r"base_layers : \{(.*?)\}", page, re.DOTALL).group(1)
    return {name: f"{group}.addTo(map_" in page for name, group in re.findall(r'"([^"]+)" : (feature_group_\w+)', block)}


def test_the_file_offers_only_the_offline_base_maps_and_opens_on_the_one_shown(data):
    assert base_layers(overview(data, basemap="light")) == {"Offline map": False, "Offline map, light": True}
    # an online layer shown in the app: the file opens on the offline map, and asks no tile server
    page = overview(data, basemap="osm")
    assert base_layers(page) == {"Offline map": True, "Offline map, light": False}
    assert "tile.openstreetmap" not in page and "arcgisonline" not in page


def test_the_selected_city_is_in_a_details_panel_in_the_visitor_language(data):
    page = overview(data, lang="ru", selected="astana")
    assert '<html lang="ru">' in page
    assert "details-panel" in page and json.dumps("Астана")[1:-1] in page
    assert "<title>" in page and Translator("ru")("Silk Road corridors: map") in page


@pytest.mark.parametrize("reported, expected", [
    ({"lat": 41.2, "lng": 73.5, "zoom": 7, "width": 800, "height": 540}, MapView(41.2, 73.5, 7, 800, 540)),
    ({"lat": 41.2, "lng": 433.5, "zoom": 7, "width": 800, "height": 540}, MapView(41.2, 73.5, 7, 800, 540)),
    ({"lat": 91, "lng": 73.5, "zoom": 7, "width": 800, "height": 540}, None),
    ({"lat": "NaN", "lng": 73.5, "zoom": 7, "width": 800, "height": 540}, None),
    ({"lat": 41.2, "lng": 73.5, "zoom": 99, "width": 800, "height": 540}, None),
    ({"lat": 41.2, "lng": 73.5, "zoom": 7, "width": 10 ** 9, "height": 540}, None),
    ({"lat": 41.2, "lng": 73.5, "zoom": "x", "width": 800, "height": 540}, None),
    ({"lat": 41.2, "lng": 73.5}, None),
    ("41.2,73.5,7", None),
])
def test_a_view_the_map_reports_is_checked(reported, expected):
    assert map_view(reported) == expected
