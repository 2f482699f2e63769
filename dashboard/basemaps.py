"""Base maps: the offline map shipped in geodata/basemap/ (the default), and the online tile
layers offered beside it in the base-layer switch (never required)."""

from __future__ import annotations

import html
import json
from functools import cache

import folium
import shapely
import xyzservices.providers as xyz

from dashboard.catalog import GEODATA_DIR

BASEMAP_FILE = GEODATA_DIR / "basemap" / "countries.geojson"
OFFLINE_BASEMAP_NAME = "Offline map (Natural Earth borders)"
OFFLINE_BASEMAP_ID = "offline"
LABEL_MIN_AREA = 2.5  # square degrees: smaller countries stay unlabelled to avoid clutter
BORDER_STYLE = {"color": "#a6acaf", "weight": 0.8, "fillColor": "#f8f6f0", "fillOpacity": 1}


def online_basemaps(carto_api_key: str | None = None) -> dict[str, tuple[str, xyz.TileProvider]]:
    """The online tile layers offered in the base-layer switch: id -> (label, provider).

    CARTO has required an API key for its raster tiles since August 2026; without
    one its layers would show only an "API key required" watermark, so they are
    offered only when a key is configured.
    """
    basemaps = {"osm": ("OpenStreetMap", xyz.OpenStreetMap.Mapnik)}
    if carto_api_key:
        basemaps["carto-light"] = ("CARTO light", xyz.CartoDB.Positron(apikey=carto_api_key))
        basemaps["carto-dark"] = ("CARTO dark", xyz.CartoDB.DarkMatter(apikey=carto_api_key))
    basemaps["esri"] = ("Esri World Imagery", xyz.Esri.WorldImagery)
    return basemaps


def basemap_ids(carto_api_key: str | None = None) -> list[str]:
    """The ids a link may name in `basemap=`."""
    return [OFFLINE_BASEMAP_ID, *online_basemaps(carto_api_key)]


def add_base_layers(m: folium.Map, carto_api_key: str | None = None, shown: str | None = None) -> dict[str, str]:
    """The offline base map and the online tile layers; `shown` (an id) is switched on, the
    offline map by default. Returns {label: id}."""
    shown = shown if shown in basemap_ids(carto_api_key) else OFFLINE_BASEMAP_ID
    folium.map.CustomPane("basemap", z_index=250, pointer_events=False).add_to(m)
    offline = folium.FeatureGroup(name=OFFLINE_BASEMAP_NAME, overlay=False, show=shown == OFFLINE_BASEMAP_ID)
    countries, labels = load_basemap()
    folium.GeoJson(countries, style_function=lambda _: BORDER_STYLE, pane="basemap", interactive=False,
                   attribution="Borders: Natural Earth (public domain)").add_to(offline)
    folium.GeoJson(
        labels,
        marker=folium.Marker(icon=folium.DivIcon(icon_size=(0, 0), class_name="country-label"), interactive=False),
        style_function=lambda feature: {"html": feature["properties"]["label_html"]},
    ).add_to(offline)
    offline.add_to(m)
    ids = {OFFLINE_BASEMAP_NAME: OFFLINE_BASEMAP_ID}
    for basemap_id, (label, provider) in online_basemaps(carto_api_key).items():
        folium.TileLayer(provider, name=label, overlay=False, show=basemap_id == shown).add_to(m)
        ids[label] = basemap_id
    return ids


@cache
def load_basemap() -> tuple[dict, dict]:
    """Country polygons and label points (escaped names) as GeoJSON, read once."""
    countries = json.loads(BASEMAP_FILE.read_text(encoding="utf-8"))
    features = []
    for country in countries["features"]:
        geom = shapely.geometry.shape(country["geometry"])
        if geom.area < LABEL_MIN_AREA:
            continue
        parts = getattr(geom, "geoms", [geom])
        point = max(parts, key=lambda part: part.area).representative_point()
        name = country["properties"]["name"]
        features.append({"type": "Feature", "id": name,
                         "properties": {"label_html": f"<span>{html.escape(name)}</span>"},
                         "geometry": shapely.geometry.mapping(point)})
    return countries, {"type": "FeatureCollection", "features": features}


@cache
def load_basemap_outline() -> dict:
    """The base map's countries simplified to ~50 km, for the inset overview map."""
    countries, _ = load_basemap()
    return {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": {},
             "geometry": shapely.geometry.mapping(
                 shapely.set_precision(shapely.geometry.shape(f["geometry"]).simplify(0.5), 0.05))}
            for f in countries["features"]
        ],
    }
