"""The map to take away: the view a visitor is looking at as one HTML file that opens from disk
with no network (Leaflet, its plugins, the styles and their images, the layers, the offline base
map's tiles around the view, its borders and names, all inline).

folium's own `save()` writes a page that loads Leaflet from a CDN; this one is built from the
same map the app draws (dashboard/maps.py: build_map), with the assets the app serves put into
the page instead of linked, and the view it was left at.
"""

from __future__ import annotations

import base64
import html
import json
import math
import mimetypes
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import folium
import geopandas as gpd
from branca.element import Element
from markupsafe import Markup

from dashboard import assets
from dashboard.basemaps import MAX_ZOOM, OFFLINE_DIR, offline_basemap, offline_layers
from dashboard.catalog import Catalog
from dashboard.details import city_panel
from dashboard.i18n import ENGLISH, Translator
from dashboard.map_elements import DetailsPanel
from dashboard.maps import build_map
from dashboard.templating import render

TILE_PX = 256
# the tiles put in the file: an area this large around the view's centre (a window the file may
# be opened in), at the view's zoom and the one out
AREA_PX = (1920, 1080)
ZOOMS_OUT = 1
MAX_SIDE_PX = 10_000  # a map reported larger than this is not a screen
_BUNDLE_URL = re.compile(r'url\("\.\./([^"]+)"\)')  # in the bundle's stylesheet: a file under static/


@dataclass(frozen=True)
class MapView:
    """Where the visitor left the map: its centre, zoom and size in pixels."""

    lat: float
    lng: float
    zoom: int
    width: int = 900
    height: int = 620


def map_view(reported: object) -> MapView | None:
    """The view the map reported (url_sync.js), checked: None unless every part is in range."""
    if not isinstance(reported, dict):
        return None
    try:
        lat, lng = float(reported["lat"]), float(reported["lng"])
        zoom, width, height = (int(reported[name]) for name in ("zoom", "width", "height"))
    except (KeyError, TypeError, ValueError, OverflowError):
        return None
    if not (-90 <= lat <= 90 and -720 <= lng <= 720 and 0 <= zoom <= MAX_ZOOM
            and 0 < width <= MAX_SIDE_PX and 0 < height <= MAX_SIDE_PX):
        return None
    return MapView(lat, (lng + 180) % 360 - 180, zoom, width, height)


def map_html(catalog: Catalog, frames: Mapping[str, gpd.GeoDataFrame], *, groups: Iterable[str] | None,
             visible_groups: Iterable[str], basemap: str | None, view: MapView | None,
             user_layers: Iterable[tuple[str, gpd.GeoDataFrame]] = (), labelled: Iterable[str] = (),
             selected: str | None = None, _: Translator = ENGLISH) -> str:
    """The map as one self-contained HTML page: these groups (`visible_groups` ticked), the
    visitor's layers, the base map shown if it is an offline one (the offline map otherwise),
    opened at `view` (fitted to the data if None), the `selected` city's details in a panel;
    its texts in the translator's language."""
    m = build_map(catalog, frames, height="100%", groups=groups, visible_groups=visible_groups,
                  basemap=basemap, user_layers=user_layers, labelled=labelled, compact=False, online=False,
                  view=None if view is None else (view.lat, view.lng, view.zoom),
                  offline_spec=inline_basemap(view, _.lang) if offline_basemap() else None, _=_)
    if selected is not None:
        _add_details_panel(m, frames, selected, _)
    inline_assets(m)
    page = m.get_root()
    page.title = _("Silk Road corridors: map")
    return page.render().replace("<html>", f'<html lang="{html.escape(_.lang)}">', 1)


def inline_assets(m: folium.Map) -> None:
    """Put the map's script and stylesheet (dashboard/assets.py's bundle) into its page, with the
    images the stylesheet names as data URIs, instead of links to the server."""
    m.default_js, m.default_css = [], []
    style, script = _inline_bundle()
    header = m.get_root().header
    header.add_child(Element(f"<style>\n{style}</style>"), name="inline_bundle_css", index=0)
    header.add_child(Element(f"<script>\n{script}\n</script>"), name="inline_bundle_js", index=1)


@cache
def _inline_bundle() -> tuple[str, str]:
    # the bundle is written at set-up and never changes while the server runs: read once
    style = inline_css_urls((assets.BUNDLE_DIR / "map.css").read_text(encoding="utf-8"))
    script = (assets.BUNDLE_DIR / "map.js").read_text(encoding="utf-8").replace("</script", "<\\/script")
    return style, script


def inline_css_urls(css: str) -> str:
    """The bundle's stylesheet with each url() (a file under static/) as a data URI."""
    return _BUNDLE_URL.sub(lambda match: f'url("{data_uri(assets.STATIC_DIR / match.group(1))}")', css)


def data_uri(path: Path) -> str:
    """A file as a data: URI."""
    kind = mimetypes.guess_type(path.name)[0] or ("image/webp" if path.suffix == ".webp" else "application/octet-stream")
    return f"data:{kind};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


def inline_basemap(view: MapView | None, lang: str) -> dict:
    """The offline base map's layers (dashboard/basemaps.py: offline_layers) with the tiles around
    the view (the whole region's smallest scale without one), its borders and names in the file."""
    built = offline_basemap()
    spec = offline_layers(built, lang)
    zooms = sorted(int(zoom) for zoom in built["zooms"])
    if view is None:
        levels = {zoom: None for zoom in zooms[:2]}  # fitted in the file: every tile of the smallest scales
    else:
        levels = _tiles_wanted(spec, (view.lat, view.lng), view.zoom)
    tiles = {}
    for zoom, wanted in levels.items():
        folder = OFFLINE_DIR / "tiles" / str(zoom)
        paths = folder.glob("*/*.webp") if wanted is None else (folder / str(x) / f"{y}.webp" for x, y in wanted)
        for path in sorted(p for p in paths if p.is_file()):  # the region's tiles only: none beyond it
            tiles[f"{zoom}/{path.parent.name}/{path.stem}"] = data_uri(path)
    finest = max(levels)
    layers = [{**layer, "maxNative": min(layer["maxNative"], finest)} for layer in spec["layers"]
              if layer["minNative"] <= finest]
    return {**spec, "tiles": "", "tileData": tiles, "layers": layers,
            "borders": json.loads((OFFLINE_DIR / "borders.geojson").read_text(encoding="utf-8")),
            "labels": json.loads((OFFLINE_DIR / spec["labels"].rsplit("/", 1)[1]).read_text(encoding="utf-8"))}


def _tiles_wanted(spec: dict, center: tuple[float, float], zoom: int) -> dict[int, set[tuple[int, int]]]:
    """The tiles Leaflet asks for, by their zoom, to fill an AREA_PX window around `center` at
    `zoom` and at the zooms out kept in the file (a layer's tiles stretch past its native zooms)."""
    wanted: dict[int, set[tuple[int, int]]] = {}
    for shown in range(max(zoom - ZOOMS_OUT, 0), zoom + 1):
        for layer in spec["layers"]:
            if layer["min"] <= shown:
                native = min(max(shown, layer["minNative"]), layer["maxNative"])
                wanted.setdefault(native, set()).update(_tiles_around(center, shown, native))
    return wanted


def _tiles_around(center: tuple[float, float], zoom: int, native: int) -> set[tuple[int, int]]:
    """The tiles of zoom `native` that cover an AREA_PX window at `zoom` around `center`."""
    lat, lng = center
    scale = 2 ** native
    x = (lng + 180) / 360 * scale
    y = (1 - math.asinh(math.tan(math.radians(max(min(lat, 85.05), -85.05)))) / math.pi) / 2 * scale
    half_x, half_y = (side / 2 / TILE_PX * 2 ** (native - zoom) for side in AREA_PX)  # in native tiles
    return {(tx % scale, ty)
            for tx in range(math.floor(x - half_x), math.floor(x + half_x) + 1)
            for ty in range(max(math.floor(y - half_y), 0), min(math.floor(y + half_y), scale - 1) + 1)}


def _add_details_panel(m: folium.Map, frames: Mapping[str, gpd.GeoDataFrame], city_id: str, _: Translator) -> None:
    cities = frames.get("cities")
    panel = None if cities is None else city_panel(cities, frames.get("cku_railway"), frames.get("corridor_legs"),
                                                   city_id, _.lang)
    if panel is None:
        return
    details, distances = panel
    point = cities.loc[cities["id"] == city_id].geometry.iloc[0]
    body = render("details_panel.html", details=Markup(details), distances=distances, heading=_("Details"))
    DetailsPanel(point.y, point.x, body).add_to(m)
