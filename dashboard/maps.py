"""Map building: the catalog's layers as one folium map that works offline.

- Scripts and stylesheets are served by the app (see `dashboard.assets`).
- The default base map is Natural Earth country borders shipped in `geodata/basemap/`;
  online tile layers are offered in the base-layer switch, never required.
- Each catalog group is one LayerControl overlay; a legend explains the styles.
- Only what the map shows is sent to the browser: the feature id, its layer and the
  tooltip fields, escaped. Details are looked up on the server by id.
"""

from __future__ import annotations

import html
import json
from functools import cache
from typing import Any, Iterable, Mapping

import folium
import folium.plugins as plugins
import geopandas as gpd
import shapely
import xyzservices.providers as xyz
from branca.element import Element, MacroElement
from folium.elements import JSCSSMixin
from jinja2 import Template

from dashboard import assets
from dashboard.catalog import GEODATA_DIR, Catalog, Group, LayerSpec
from dashboard.templating import render

BASEMAP_FILE = GEODATA_DIR / "basemap" / "countries.geojson"
OFFLINE_BASEMAP_NAME = "Offline map (Natural Earth borders)"
OFFLINE_BASEMAP_ID = "offline"
DISPLAY_PRECISION = 1e-5  # degrees: about 1 m, plenty for a screen
DISPLAY_TOLERANCE = 1e-4  # degrees: about 10 m, under a pixel at the highest zoom (14)
LEGEND_PADDING, LEGEND_LINE = 20, 19  # pixels: the open legend's margin and line height
LABEL_MIN_AREA = 2.5  # square degrees: smaller countries stay unlabelled to avoid clutter
_MAP_CSS = """
<style>
  .leaflet-container { background: #dce9f2; }
  .leaflet-control-layers, .map-legend { font: 12px/1.4 "Source Sans Pro", "Helvetica Neue", sans-serif; }
  .leaflet-control-layers label { margin: 0; }
  .country-label span { position: absolute; transform: translate(-50%, -50%); white-space: nowrap;
    color: #7b7d7d; font-size: 11px; letter-spacing: .04em; text-transform: uppercase;
    pointer-events: none; text-shadow: 0 0 3px #f8f6f0, 0 0 3px #f8f6f0; }
  .leaflet-control-minimap { background: #dce9f2; }
  .leaflet-control-mouseposition { font: 11px/1.3 sans-serif; }
  .map-legend { background: rgba(255,255,255,.92); padding: 4px 8px; border-radius: 5px;
    box-shadow: 0 1px 4px rgba(0,0,0,.3); max-width: 400px; max-height: 60vh; overflow-y: auto; }
  .map-legend summary { cursor: pointer; font-weight: 600; }
  .map-legend h4 { margin: 3px 0 0; font-size: 12px; font-weight: 600; line-height: 1.3; }
  .map-legend .rule { margin: 0; line-height: 1.45; }
  .map-legend .rule-title { color: #566573; margin-right: 4px; }
  .map-legend ul { display: inline; list-style: none; margin: 0; padding: 0; }
  .map-legend li { display: inline-block; margin-right: 8px; white-space: nowrap; }
  .map-legend svg { vertical-align: middle; margin-right: 3px; }
</style>
"""


class UrlSync(MacroElement):
    """Reports overlay and base-map toggles to the app as the map component's value
    (`{"map_view": {"layers": [...], "basemap": id}}`), which puts them in the URL, so that
    a copied link opens the same view. (streamlit-folium reports only WMS layers.)"""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var map = {{ this._parent.get_name() }};
            var overlays = {{ this.overlays|tojson }}, basemaps = {{ this.basemaps|tojson }};
            var order = Object.values(overlays), shown = new Set({{ this.shown|tojson }});
            var basemap = {{ this.basemap|tojson }};
            function report() {
                if (window.parent === window) { return; }  // a saved map file: no app to tell
                var view = {layers: order.filter(function (id) { return shown.has(id); }), basemap: basemap};
                window.parent.postMessage({isStreamlitMessage: true, type: "streamlit:setComponentValue",
                                           value: {map_view: view}, dataType: "json"}, "*");
            }
            map.on("overlayadd", function (e) { if (e.name in overlays) { shown.add(overlays[e.name]); report(); } });
            map.on("overlayremove", function (e) { if (e.name in overlays) { shown.delete(overlays[e.name]); report(); } });
            map.on("baselayerchange", function (e) { if (e.name in basemaps) { basemap = basemaps[e.name]; report(); } });
        })();
        {% endmacro %}
        """
    )

    def __init__(self, overlays: dict[str, str], basemaps: dict[str, str], shown: list[str], basemap: str):
        super().__init__()
        self._name = "UrlSync"
        self.overlays, self.basemaps, self.shown, self.basemap = overlays, basemaps, shown, basemap


class OfflineMiniMap(JSCSSMixin, MacroElement):
    """An overview inset drawn from the base map's (simplified) borders, so it needs no tiles."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = new L.Control.MiniMap(
            L.geoJson({{ this.countries|tojson }}, {
                style: {color: "#a6acaf", weight: 0.5, fillColor: "#f8f6f0", fillOpacity: 1},
                interactive: false}),
            {position: "bottomleft", toggleDisplay: true, zoomLevelOffset: -5, width: 130, height: 100}
        ).addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, countries: dict):
        super().__init__()
        self._name = "OfflineMiniMap"
        self.countries = countries
        self.default_js = [("minimap_js", assets.plugin_url("leaflet-minimap-3.6.1", "Control.MiniMap.min.js"))]
        self.default_css = [("minimap_css", assets.plugin_url("leaflet-minimap-3.6.1", "Control.MiniMap.min.css"))]


class Legend(MacroElement):
    """A Leaflet control holding pre-escaped legend HTML."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.control({position: "bottomright"});
        {{ this.get_name() }}.onAdd = function () {
            var div = L.DomUtil.create("div", "map-legend");
            div.innerHTML = {{ this.html|tojson }};
            L.DomEvent.disableClickPropagation(div);
            return div;
        };
        {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, legend_html: str):
        super().__init__()
        self._name = "Legend"
        self.html = legend_html


def build_corridor_map(
    catalog: Catalog,
    frames: Mapping[str, gpd.GeoDataFrame],
    *,
    height: int = 620,
    carto_api_key: str | None = None,
    groups: Iterable[str] | None = None,
    user_layers: Iterable[tuple[str, gpd.GeoDataFrame]] = (),
    visible_groups: Iterable[str] | None = None,
    basemap: str | None = None,
) -> folium.Map:
    """The corridor map: a base map (offline by default, or the `basemap` id), one overlay
    per catalog group (all, or the `groups` named; ticked: all, or `visible_groups`),
    a legend, fitted to the data shown."""
    shown = [g for g in catalog.groups if groups is None or g.id in set(groups)]
    ticked = [g.id for g in shown if visible_groups is None or g.id in set(visible_groups)]
    m = folium.Map(tiles=None, control_scale=True, min_zoom=2, max_zoom=14, height=height)
    use_local_assets(m)
    m.get_root().header.add_child(Element(_MAP_CSS))
    basemap_ids = add_base_layers(m, carto_api_key=carto_api_key, shown=basemap)
    drawn = []
    for group in shown:
        overlay = folium.FeatureGroup(name=group.title, overlay=True, show=group.id in ticked)
        for spec in catalog.layers_in(group.id):
            if spec.id in frames:
                layer_geojson(spec, frames[spec.id]).add_to(overlay)
                drawn.append(frames[spec.id])
        overlay.add_to(m)
    for name, frame in user_layers:
        overlay = folium.FeatureGroup(name=f"Your layer: {html.escape(name)}", overlay=True, show=True)
        user_layer_geojson(frame).add_to(overlay)
        overlay.add_to(m)
        drawn.append(frame)
    add_map_tools(m)
    folium.LayerControl(collapsed=False, position="topright").add_to(m)
    UrlSync({g.title: g.id for g in shown}, basemap_ids, ticked,
            basemap if basemap in basemap_ids.values() else OFFLINE_BASEMAP_ID).add_to(m)
    Legend(legend_html(catalog, shown)).add_to(m)
    bounds = data_bounds(drawn)
    if bounds:
        # room at the bottom keeps the data clear of the legend (one line per group and rule)
        lines = len(shown) + sum(max(1, len(spec.style_by)) for g in shown for spec in catalog.layers_in(g.id))
        m.fit_bounds(bounds, padding_top_left=(20, 20),
                     padding_bottom_right=(20, LEGEND_PADDING + LEGEND_LINE * lines))
    return m


def use_local_assets(m: folium.Map) -> None:
    """Point the map's scripts and stylesheets at the app's own copies (no CDN)."""
    # instance attributes shadow folium's class-level CDN lists (bootstrap, font-awesome,
    # awesome-markers, …), none of which this map uses
    m.default_js = assets.map_js()
    m.default_css = assets.map_css()


def add_map_tools(m: folium.Map) -> None:
    """Fullscreen, distance measuring, the pointer's coordinates and an inset overview map,
    all served by the app (the scale bar is Leaflet's own)."""
    tools = [
        (plugins.Fullscreen(position="topleft", title="Full screen", title_cancel="Leave full screen"),
         "leaflet.fullscreen-3.0.0", "Control.FullScreen.js", "Control.FullScreen.css"),
        (plugins.MeasureControl(position="topleft", primary_length_unit="kilometers",
                                secondary_length_unit="miles", primary_area_unit="sqkilometers"),
         "leaflet-measure-2.1.7", "leaflet-measure.js", "leaflet-measure.css"),
        (plugins.MousePosition(position="bottomleft", separator=" · ", num_digits=4, prefix="Lat · lon:"),
         "leaflet-mouse-position-1.2.0", "L.Control.MousePosition.js", "L.Control.MousePosition.css"),
    ]
    for tool, plugin, script, stylesheet in tools:
        # instance attributes shadow the plugins' CDN links
        tool.default_js = [(plugin, assets.plugin_url(plugin, script))]
        tool.default_css = [(plugin + "_css", assets.plugin_url(plugin, stylesheet))]
        tool.add_to(m)
    OfflineMiniMap(load_basemap_outline()).add_to(m)


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
    """The offline Natural Earth base map and the online tile layers; `shown` (an id)
    is switched on, the offline map by default. Returns {label: id}."""
    shown = shown if shown in basemap_ids(carto_api_key) else OFFLINE_BASEMAP_ID
    folium.map.CustomPane("basemap", z_index=250, pointer_events=False).add_to(m)
    offline = folium.FeatureGroup(name=OFFLINE_BASEMAP_NAME, overlay=False, show=shown == OFFLINE_BASEMAP_ID)
    countries, labels = load_basemap()
    folium.GeoJson(
        countries,
        style_function=lambda _: {
            "color": "#a6acaf",
            "weight": 0.8,
            "fillColor": "#f8f6f0",
            "fillOpacity": 1,
        },
        pane="basemap",
        interactive=False,
        attribution="Borders: Natural Earth (public domain)",
    ).add_to(offline)
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
        features.append(
            {
                "type": "Feature",
                "id": name,
                "properties": {"label_html": f"<span>{html.escape(name)}</span>"},
                "geometry": shapely.geometry.mapping(point),
            }
        )
    return countries, {"type": "FeatureCollection", "features": features}


def layer_geojson(spec: LayerSpec, frame: gpd.GeoDataFrame) -> folium.GeoJson:
    """One catalog layer as a folium.GeoJson with its style, hover highlight and tooltip."""
    data = display_geojson(spec, frame)
    styles = {row["id"]: spec.style_for(row) for _, row in frame.iterrows()}
    highlights = {fid: _highlight(style, spec) for fid, style in styles.items()}
    options: dict[str, Any] = {"className": f"layer-{spec.id}"}
    marker = None
    if spec.is_point:
        marker = folium.CircleMarker(**{"class_name": f"layer-{spec.id}", "fill": True, **(spec.marker or {})})
    tooltip = None
    if spec.tooltip:
        tooltip = folium.GeoJsonTooltip(
            fields=list(spec.tooltip),
            aliases=[html.escape(label) for label in spec.tooltip.values()],
            sticky=True,
        )
    return folium.GeoJson(
        data,
        name=spec.title,
        style_function=lambda feature: styles[feature["properties"]["id"]],
        highlight_function=lambda feature: highlights[feature["properties"]["id"]],
        tooltip=tooltip,
        marker=marker,
        control=False,
        **options,
    )


USER_STYLE = {"color": "#8e44ad", "weight": 3, "fillColor": "#8e44ad", "fillOpacity": 0.35}
USER_TOOLTIP_FIELDS = 3


def user_layer_geojson(frame: gpd.GeoDataFrame) -> folium.GeoJson:
    """An uploaded layer: one style, and its first few properties (escaped) as tooltip."""
    columns = [c for c in frame.columns if c != "geometry"][:USER_TOOLTIP_FIELDS]
    geometries = display_geometries(frame)
    features = [
        {
            "type": "Feature",
            "id": f"user-{i}",
            # generic keys: uploaded column names are arbitrary text
            "properties": {"layer": "user", "id": f"user-{i}",
                           **{f"f{k}": html.escape(_as_text(row[c])) for k, c in enumerate(columns)}},
            "geometry": shapely.geometry.mapping(geom),
        }
        for i, ((_, row), geom) in enumerate(zip(frame.iterrows(), geometries))
    ]
    tooltip = None
    if columns:
        tooltip = folium.GeoJsonTooltip(fields=[f"f{k}" for k in range(len(columns))],
                                        aliases=[html.escape(str(c)) for c in columns], sticky=True)
    return folium.GeoJson(
        {"type": "FeatureCollection", "features": features},
        style_function=lambda _: USER_STYLE,
        marker=folium.CircleMarker(radius=6, fill=True, class_name="layer-user"),
        tooltip=tooltip,
        className="layer-user",
        control=False,
    )


def display_geojson(spec: LayerSpec, frame: gpd.GeoDataFrame) -> dict[str, Any]:
    """The GeoJSON sent to the browser: geometry rounded to ~1 m, the id and layer,
    and the tooltip fields as escaped text (folium inserts tooltips as HTML)."""
    geometries = display_geometries(frame)
    features = []
    for (_, row), geom in zip(frame.iterrows(), geometries):
        properties = {"id": row["id"], "layer": spec.id}
        for field in spec.tooltip:
            properties[field] = html.escape(_as_text(row.get(field)))
        features.append(
            {
                "type": "Feature",
                "id": row["id"],
                "properties": properties,
                "geometry": shapely.geometry.mapping(geom),
            }
        )
    return {"type": "FeatureCollection", "features": features}


def display_geometries(frame: gpd.GeoDataFrame):
    """The layer's geometries as drawn: simplified to ~10 m and snapped to a ~1 m grid.
    (Analysis and downloads use the full geometry.)"""
    simplified = shapely.simplify(frame.geometry.values, DISPLAY_TOLERANCE, preserve_topology=True)
    return shapely.set_precision(simplified, DISPLAY_PRECISION)


def legend_html(catalog: Catalog, groups: Iterable[Group] | None = None) -> str:
    """The legend: for each group (default: all), a swatch per layer or per styled value."""
    entries_by_group = []
    for group in catalog.groups if groups is None else groups:
        entries = []
        for spec in catalog.layers_in(group.id):
            if not spec.style_by:
                entries.append({"title": None, "items": [_swatch(spec, spec.style, spec.title)]})
            for rule in spec.style_by:
                items = []
                for value in rule.values.values():
                    style = {**spec.style, **value.get("style", {})}
                    if "color" not in value.get("style", {}):
                        style["color"] = "#566573"  # this rule sets only the line pattern
                    items.append(_swatch(spec, style, value.get("label", "")))
                entries.append({"title": rule.title, "items": items})
        entries_by_group.append({"title": group.title, "entries": entries})
    return render("legend.html", groups=entries_by_group)


def data_bounds(frames) -> list[list[float]] | None:
    """[[south, west], [north, east]] around every layer, or None without data."""
    boxes = [frame.total_bounds for frame in frames if len(frame)]
    if not boxes:
        return None
    west = min(b[0] for b in boxes)
    south = min(b[1] for b in boxes)
    east = max(b[2] for b in boxes)
    north = max(b[3] for b in boxes)
    return [[float(south), float(west)], [float(north), float(east)]]


def _swatch(spec: LayerSpec, style: Mapping[str, Any], label: str) -> dict[str, Any]:
    return {
        "point": spec.is_point,
        "label": label,
        "color": style.get("color", "#3388ff"),
        "fill": style.get("fillColor", style.get("color", "#3388ff")),
        "weight": style.get("weight", 3),
        "dash": style.get("dashArray") or "",
    }


def _highlight(style: Mapping[str, Any], spec: LayerSpec) -> dict[str, Any]:
    if spec.is_point:
        return {"radius": (spec.marker or {}).get("radius", 6) + 3, "weight": 3}
    return {"weight": style.get("weight", 3) + 3, "opacity": 1}


def _as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return ", ".join(map(str, value))
    return str(value)
