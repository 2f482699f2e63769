"""Base maps: the offline map built by set-up into static/basemap/ (the default: relief, water,
borders and names, scripts/make_basemap.py), a light one from Natural Earth 1:110m borders
(geodata/basemap/), and the online tile layers offered beside them (never required)."""

from __future__ import annotations

import html
import json
from functools import cache

import folium
import shapely
import xyzservices.providers as xyz

from dashboard.analysis import alpha2
from dashboard.assets import STATIC_DIR, STATIC_URL
from dashboard.catalog import GEODATA_DIR
from dashboard.i18n import DEFAULT, ENGLISH, N_, Translator

BASEMAP_FILE = GEODATA_DIR / "basemap" / "countries.geojson"  # Natural Earth 1:110m, the light map
OFFLINE_DIR = STATIC_DIR / "basemap"  # built by set-up (make basemap)
OFFLINE_URL = f"{STATIC_URL}/basemap"
OFFLINE_BASEMAP_NAME = N_("Offline map")
OFFLINE_BASEMAP_ID = "offline"
LIGHT_BASEMAP_NAME = N_("Offline map, light")
LIGHT_BASEMAP_ID = "light"
MAX_ZOOM = 14
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
    """The ids a link may name in `basemap=` (the first is the default)."""
    offline = [OFFLINE_BASEMAP_ID] if offline_basemap() else []
    return [*offline, LIGHT_BASEMAP_ID, *online_basemaps(carto_api_key)]


def default_basemap() -> str:
    """The offline map if set-up has built it, else the light one."""
    return basemap_ids()[0]


@cache
def offline_basemap() -> dict | None:
    """What `make basemap` built (static/basemap/basemap.json), or None if it has not run."""
    manifest = OFFLINE_DIR / "basemap.json"
    return json.loads(manifest.read_text(encoding="utf-8")) if manifest.is_file() else None


def offline_layers(built: dict, lang: str = DEFAULT) -> dict:
    """The offline map as Leaflet needs it: a tile layer per zoom band, each over the area drawn
    at it and stretched beyond its finest zoom, finer bands on top; the small scales, drawn
    over the whole region, stretched below them all as a backdrop; the names in `lang` (each
    language's labels file, placed for its own names, when the build made one)."""
    areas = {int(zoom): area for zoom, area in built["zooms"].items()}
    zooms = sorted(areas)
    small = [zoom for zoom in zooms if areas[zoom] == areas[zooms[0]]]
    layers = [{"min": 0, "minNative": small[0], "maxNative": small[-1], "bounds": areas[small[0]],
               "attribution": html.escape(built["attribution"])}]
    layers += [{"min": zoom, "minNative": zoom, "maxNative": zoom, "bounds": areas[zoom]} for zoom in zooms[len(small):]]
    return {"tiles": f"{OFFLINE_URL}/tiles/{{z}}/{{x}}/{{y}}.webp", "layers": layers, "maxZoom": MAX_ZOOM,
            "borders": f"{OFFLINE_URL}/borders.geojson", "labels": f"{OFFLINE_URL}/{_labels_file(built, lang)}"}


def _labels_file(built: dict, lang: str) -> str:
    own = f"labels.{lang}.json"
    return own if lang != DEFAULT and lang in built.get("labels_by_language", {}) else "labels.json"


def add_base_layers(m: folium.Map, carto_api_key: str | None = None, shown: str | None = None,
                    _: Translator = ENGLISH, online: bool = True, offline_spec: dict | None = None) -> dict[str, str]:
    """The offline base maps and (if `online`) the online tile layers; `shown` (an id) is switched on,
    the default one otherwise; the offline map drawn from `offline_spec` if given (its data inline:
    dashboard/map_export.py), else from the files served. Returns {label: id}, the offline maps'
    labels in the translator's language."""
    from dashboard.map_elements import OfflineBaseMap

    offered = basemap_ids(carto_api_key) if online else [i for i in (OFFLINE_BASEMAP_ID, LIGHT_BASEMAP_ID)
                                                         if i in basemap_ids()]
    shown = shown if shown in offered else default_basemap()
    folium.map.CustomPane("basemap", z_index=250, pointer_events=False).add_to(m)
    ids = {}
    built = offline_basemap()
    if built:
        offline = folium.FeatureGroup(name=_(OFFLINE_BASEMAP_NAME), overlay=False, show=shown == OFFLINE_BASEMAP_ID)
        OfflineBaseMap(offline_spec or offline_layers(built, _.lang)).add_to(offline)
        offline.add_to(m)
        ids[_(OFFLINE_BASEMAP_NAME)] = OFFLINE_BASEMAP_ID
    light = folium.FeatureGroup(name=_(LIGHT_BASEMAP_NAME), overlay=False, show=shown == LIGHT_BASEMAP_ID)
    countries, labels = load_basemap(), basemap_labels(_.lang)
    folium.GeoJson(countries, style_function=lambda _: BORDER_STYLE, pane="basemap", interactive=False,
                   attribution="Borders: Natural Earth (public domain)").add_to(light)
    folium.GeoJson(
        labels,
        marker=folium.Marker(icon=folium.DivIcon(icon_size=(0, 0), class_name="country-label"), interactive=False),
        style_function=lambda feature: {"html": feature["properties"]["label_html"]},
    ).add_to(light)
    light.add_to(m)
    ids[_(LIGHT_BASEMAP_NAME)] = LIGHT_BASEMAP_ID
    for basemap_id, (label, provider) in (online_basemaps(carto_api_key) if online else {}).items():
        folium.TileLayer(provider, name=label, overlay=False, show=basemap_id == shown).add_to(m)
        ids[label] = basemap_id
    return ids


@cache
def load_basemap() -> dict:
    """The light map's country polygons as GeoJSON, read once."""
    return json.loads(BASEMAP_FILE.read_text(encoding="utf-8"))


@cache
def basemap_labels(lang: str = DEFAULT) -> dict:
    """The light map's country names in `lang` (CLDR's, by ISO code; escaped) at points inside
    the larger countries, as GeoJSON, once per language."""
    _ = Translator(lang)
    features = []
    for country in load_basemap()["features"]:
        geom = shapely.geometry.shape(country["geometry"])
        if geom.area < LABEL_MIN_AREA:
            continue
        parts = getattr(geom, "geoms", [geom])
        point = max(parts, key=lambda part: part.area).representative_point()
        name = country["properties"]["name"]
        code = alpha2(country["properties"].get("iso_a3"))
        shown = _.country(code) if code and lang != DEFAULT else name
        features.append({"type": "Feature", "id": name,
                         "properties": {"label_html": f"<span>{html.escape(shown)}</span>"},
                         "geometry": shapely.geometry.mapping(point)})
    return {"type": "FeatureCollection", "features": features}


@cache
def load_basemap_outline() -> dict:
    """The base map's countries simplified to ~50 km, for the inset overview map."""
    countries = load_basemap()
    return {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": {},
             "geometry": shapely.geometry.mapping(
                 shapely.set_precision(shapely.geometry.shape(f["geometry"]).simplify(0.5), 0.05))}
            for f in countries["features"]
        ],
    }
