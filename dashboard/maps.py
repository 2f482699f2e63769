"""Map building: the catalog's layers (and a visitor's own) as one folium map that works offline.

- Scripts and stylesheets are served by the app (dashboard/assets.py).
- The default base map is offline (dashboard/basemaps.py); online tiles are offered, never required.
- Each catalog group is one LayerControl overlay; a legend explains the styles.
- Only what the map shows is sent to the browser: a feature's id and layer and its tooltip
  fields, escaped (folium inserts tooltips as HTML). Details are looked up on the server by id.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping
from typing import Any

import folium
import geopandas as gpd
import pandas as pd
import shapely

from dashboard import assets, limits
from dashboard.basemaps import add_base_layers, default_basemap
from dashboard.catalog import Catalog, Group, LayerSpec
from dashboard.data_text import column_in, names_in
from dashboard.i18n import DEFAULT, ENGLISH, Translator
from dashboard.map_elements import Chrome, FeatureLabels, FitToData, Legend, UrlSync, add_map_tools, add_stylesheet
from dashboard.templating import render
from dashboard.text import shortened

DISPLAY_PRECISION = 1e-5  # degrees: about 1 m, plenty for a screen
DISPLAY_TOLERANCE = 1e-4  # degrees: about 10 m, under a pixel at the highest zoom (14)
LEGEND_PADDING, LEGEND_LINE = 20, 19  # pixels: the open legend's margin and line height
OPEN_CONTROL_PX = 150  # an open layer control's height: the data starts below it
MARKER_ROOM_PX = 16  # a marker on the edge of the data's bounds stays whole and clear of the legend


def build_map(
    catalog: Catalog,
    frames: Mapping[str, gpd.GeoDataFrame],
    *,
    height: int = 620,
    carto_api_key: str | None = None,
    groups: Iterable[str] | None = None,
    user_layers: Iterable[tuple[str, gpd.GeoDataFrame]] = (),
    visible_groups: Iterable[str] | None = None,
    basemap: str | None = None,
    labelled: Iterable[str] = (),
    compact: bool = True,
    online: bool = True,
    view: tuple[float, float, int] | None = None,
    offline_spec: dict | None = None,
    _: Translator = ENGLISH,
) -> folium.Map:
    """The dashboard's map: a base map (offline by default, or the `basemap` id), one overlay
    per catalog group (those of the overview, or the `groups` named; ticked: all, or `visible_groups`), a
    visitor's own layers, a legend, fitted to the data shown; the points of the `labelled`
    layers named beside them; controls folded on a narrow map if `compact`. Its own texts are in
    the translator's language (the catalog's come translated: dashboard/catalog_text.py)."""
    shown = list(catalog.overview_groups) if groups is None else [g for g in catalog.groups if g.id in set(groups)]
    labelled = set(labelled)
    ticked = [g.id for g in shown if visible_groups is None or g.id in set(visible_groups)]
    m = folium.Map(tiles=None, control_scale=True, min_zoom=2, max_zoom=14, height=height)
    m.default_js, m.default_css = assets.map_js(), assets.map_css()  # shadow folium's CDN links
    add_stylesheet(m)
    basemaps = add_base_layers(m, carto_api_key=carto_api_key, shown=basemap, _=_, online=online,
                               offline_spec=offline_spec)
    drawn, named = [], []
    for group in shown:
        overlay = folium.FeatureGroup(name=group.title, overlay=True, show=group.id in ticked)
        for spec in catalog.layers_in(group.id):
            if spec.id in frames:
                layer = layer_geojson(spec, frames[spec.id], labelled=spec.id in labelled, lang=_.lang).add_to(overlay)
                drawn.append(frames[spec.id])
                if spec.id in labelled:
                    named.append(layer)
        overlay.add_to(m)
    for name, frame in user_layers:
        overlay = folium.FeatureGroup(name=_("Your layer: {name}", name=html.escape(name)), overlay=True, show=True)
        user_layer_geojson(frame).add_to(overlay)
        overlay.add_to(m)
        drawn.append(frame)
    add_map_tools(m, compact, _)
    # a compact map folds its layer control into a button when narrow (Chrome); others keep it open
    control = folium.LayerControl(collapsed=compact, position="topright").add_to(m)
    UrlSync({g.title: g.id for g in shown}, basemaps, ticked,
            basemap if basemap in basemaps.values() else default_basemap()).add_to(m)
    Legend(legend_html(catalog, shown, _)).add_to(m)
    Chrome(control, compact).add_to(m)
    if named:
        FeatureLabels(named).add_to(m)
    # room at the bottom keeps the data clear of the legend (one line per group and rule)
    lines = len(shown) + sum(max(1, len(spec.style_by)) for g in shown for spec in catalog.layers_in(g.id))
    FitToData(data_bounds(drawn), padding_top_left=(20, 20 if compact else OPEN_CONTROL_PX),
              padding_bottom_right=(20, LEGEND_PADDING + LEGEND_LINE * lines + MARKER_ROOM_PX),
              folded_padding_bottom_right=(20, LEGEND_PADDING + LEGEND_LINE + MARKER_ROOM_PX) if compact else None,
              view=view).add_to(m)
    return m


def layer_geojson(spec: LayerSpec, frame: gpd.GeoDataFrame, labelled: bool = False,
                  lang: str = DEFAULT) -> folium.GeoJson:
    """One catalog layer as a folium.GeoJson with its style, hover highlight and tooltip (and
    each feature's name as a `label`, if `labelled`), names in `lang` where the data has them."""
    style_columns = [rule.property for rule in spec.style_by if rule.property in frame]
    styles = {fid: spec.style_for(values)
              for fid, values in zip(frame["id"], frame[style_columns].to_dict("records"))}
    highlights = {fid: _highlight(style, spec) for fid, style in styles.items()}
    marker = None
    if spec.is_point:
        marker = folium.CircleMarker(**{"class_name": f"layer-{spec.id}", "fill": True, **(spec.marker or {})})
    tooltip = None
    if spec.tooltip:
        tooltip = folium.GeoJsonTooltip(fields=list(spec.tooltip),
                                        aliases=[html.escape(label) for label in spec.tooltip.values()], sticky=True)
    return folium.GeoJson(
        display_geojson(spec, frame, labelled, lang),
        name=spec.title,
        style_function=lambda feature: styles[feature["properties"]["id"]],
        highlight_function=lambda feature: highlights[feature["properties"]["id"]],
        tooltip=tooltip,
        marker=marker,
        control=False,
        className=f"layer-{spec.id}",
    )


def user_layer_geojson(frame: gpd.GeoDataFrame) -> folium.GeoJson:
    """A visitor's layer: one style, and its first few properties (escaped, shortened) as tooltip."""
    columns = [c for c in frame.columns if c != frame.geometry.name][: limits.MAX_COLUMNS]
    tooltip = None
    if columns:
        tooltip = folium.GeoJsonTooltip(fields=[f"f{k}" for k in range(len(columns))],
                                        aliases=[html.escape(shortened(str(c), limits.MAX_TEXT_CHARS))
                                                 for c in columns], sticky=True)
    return folium.GeoJson(  # styled by the class layer-user in map.css: no style per feature to send
        user_geojson(frame),
        marker=folium.CircleMarker(radius=6, fill=True, class_name="layer-user"),
        tooltip=tooltip,
        className="layer-user",
        control=False,
    )


def display_geojson(spec: LayerSpec, frame: gpd.GeoDataFrame, labelled: bool = False,
                    lang: str = DEFAULT) -> dict[str, Any]:
    """A catalog layer as sent to the browser: geometry for display, the feature's id and
    layer, the tooltip fields as escaped text (and its name as plain text, `label`, which the
    map sets as text, never as HTML); the name and texts in `lang` where the data has them."""
    properties = pd.DataFrame({"id": frame["id"].values, "layer": spec.id})
    names = names_in(frame, lang)
    if labelled:
        properties["label"] = names.map(_as_text).values
    for field in spec.tooltip:
        values = names if field == "name" else column_in(frame, field, lang)
        properties[field] = _escaped(values)
    return features_geojson(frame, properties, ids=frame["id"])


def user_geojson(frame: gpd.GeoDataFrame) -> dict[str, Any]:
    """A visitor's layer as sent to the browser: geometry for display and its first
    properties under generic keys (its column names are arbitrary text), escaped, shortened."""
    columns = [c for c in frame.columns if c != frame.geometry.name][: limits.MAX_COLUMNS]
    properties = pd.DataFrame({f"f{k}": _escaped(frame[c], limits.MAX_TEXT_CHARS) for k, c in enumerate(columns)},
                              index=range(len(frame)))
    return features_geojson(frame, properties)


def features_geojson(frame: gpd.GeoDataFrame, properties: pd.DataFrame, ids=None) -> dict[str, Any]:
    """A FeatureCollection of the frame's display geometries with `properties` (one row per
    feature) and, if given, `ids` as the features' ids."""
    table = gpd.GeoDataFrame(properties.reset_index(drop=True), geometry=display_geometries(frame), crs=frame.crs)
    if ids is not None:
        table.index = list(ids)
    return table.to_geo_dict(na="null", drop_id=ids is None)


def display_geometries(frame: gpd.GeoDataFrame):
    """The layer's geometries as drawn: simplified to ~10 m and snapped to a ~1 m grid.
    (Analysis and downloads use the full geometry.)"""
    simplified = shapely.simplify(frame.geometry.values, DISPLAY_TOLERANCE, preserve_topology=True)
    return shapely.set_precision(simplified, DISPLAY_PRECISION)


def legend_html(catalog: Catalog, groups: Iterable[Group] | None = None, _: Translator = ENGLISH) -> str:
    """The legend: for each group (default: the overview's), a swatch per layer or per styled value."""
    entries_by_group = []
    for group in catalog.overview_groups if groups is None else groups:
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
    return render("legend.html", groups=entries_by_group, heading=_("Legend"))


def data_bounds(frames) -> list[list[float]] | None:
    """[[south, west], [north, east]] around every layer, or None without data."""
    boxes = [frame.total_bounds for frame in frames if len(frame)]
    if not boxes:
        return None
    west, south = min(b[0] for b in boxes), min(b[1] for b in boxes)
    east, north = max(b[2] for b in boxes), max(b[3] for b in boxes)
    return [[float(south), float(west)], [float(north), float(east)]]


def _escaped(values: pd.Series, limit: int | None = None) -> pd.Series:
    texts = values.map(_as_text)
    if limit is not None:
        texts = texts.map(lambda text: shortened(text, limit))
    return texts.map(html.escape)


def _as_text(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return ", ".join(map(str, value))
    if value is None or (not isinstance(value, dict) and pd.isna(value)):
        return ""
    return str(value)


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
