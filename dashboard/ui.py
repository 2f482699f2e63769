"""Streamlit pieces shared by the pages: cached data, the map widget, the city
selector and the details panel. Pages call these; they hold no data logic."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import partial

import altair as alt
import geopandas as gpd
import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from dashboard import analysis, exports
from dashboard.catalog import CATALOG_FILE, Catalog, CatalogError, load_catalog
from dashboard.details import city_details, city_details_html
from dashboard.geodata import LoadedLayers, Problem, load_layers
from dashboard.links import LinkState, parse_link, shown
from dashboard.mapwidget import RenderedMap, map_widget, render_map
from dashboard.maps import BASEMAP_FILE, basemap_ids, build_corridor_map
from dashboard.reports import FactsError, event_years, figure_text, load_facts
from dashboard.uploads import MAX_UPLOAD_BYTES, MB, UploadError, read_upload

CITY_KEY = "city"  # the sidebar select box; the selected city's id
MAP_CENTER_KEY = "_map_center"  # last centre sent to the map, [lat, lon]
MAP_VIEW_KEY = "_map_view"  # overlays and base map as last toggled: {"layers": [...], "basemap": id}
CITIES_LAYER = "cities"
USER_LAYERS_KEY = "user_layers"  # this session's uploads: {name: UserLayer}
UPLOAD_KEY = "upload"

# how the tables from dashboard.reports are shown
COLUMNS = {
    "computed_km": st.column_config.NumberColumn("km (computed)", format="%.0f"),
    "km_computed": st.column_config.NumberColumn("km (computed)", format="%.0f"),
    "km_published": st.column_config.NumberColumn("km (published)", format="%.0f"),
    "km_from_kashgar": st.column_config.NumberColumn("km from Kashgar (computed)", format="%.0f"),
    "gauge_mm": st.column_config.NumberColumn("gauge (mm)", format="%d"),
    "link": st.column_config.LinkColumn("link", display_text="source ↗"),
    "published": st.column_config.TextColumn("published figures (source)", width="large"),
    "position": st.column_config.TextColumn("where the point comes from", width="large"),
}


def run_through_app() -> None:
    """Make sure a page runs inside app.py's navigation.

    Streamlit starts each server in its legacy `pages/`-folder mode until app.py has
    called st.navigation once, so a cold deep link such as /railway would run the page
    script alone (no page config, file names as navigation). Leave that mode and rerun,
    which runs app.py and resolves the same page.
    """
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


@dataclass(frozen=True)
class CorridorData:
    catalog: Catalog
    layers: LoadedLayers

    @property
    def problems(self) -> list[Problem]:
        return self.layers.problems

    @property
    def cities(self) -> gpd.GeoDataFrame | None:
        return self.layers.frames.get(CITIES_LAYER)


def corridor_data() -> CorridorData:
    """The catalog and its validated layers, read once per process and again only
    when a file under geodata/ changes. A broken catalog stops the page with a message."""
    try:
        return _load_corridor_data(_geodata_signature())
    except CatalogError as err:
        st.error(f"The layer catalog cannot be read, so there is no map to show. {err}")
        st.stop()


@st.cache_resource(show_spinner="Loading the map layers…", max_entries=1)
def _load_corridor_data(signature: tuple) -> CorridorData:
    catalog = load_catalog(CATALOG_FILE)
    return CorridorData(catalog=catalog, layers=load_layers(catalog))


def _geodata_signature() -> tuple:
    """The geodata files' names, sizes and change times: a new value when one is edited."""
    with os.scandir(CATALOG_FILE.parent) as entries:
        return tuple(sorted(
            (entry.name, stat.st_mtime_ns, stat.st_size)
            for entry in entries
            if entry.name.endswith("json") and (stat := entry.stat())
        ))


def show_problems(problems: list[Problem]) -> None:
    """One warning per problem found in the layer files."""
    for problem in problems:
        st.warning(f"Layer file `{problem.file}`: {problem.message}", icon="⚠️")


def facts(name: str) -> dict:
    """A sourced facts file from geodata/facts/, read once; a broken one shows a warning."""
    try:
        return _load_facts(name, _geodata_signature())
    except FactsError as err:
        st.warning(f"{err}. The figures that come from it are not shown.", icon="⚠️")
        return {}


@st.cache_resource(max_entries=8)
def _load_facts(name: str, signature: tuple) -> dict:
    return load_facts(name)


@st.fragment
def city_explorer(data: CorridorData, map_key: str, height: int = 620, groups=None, frames=None,
                  with_user_layers: bool = False) -> None:
    """The sidebar's city selector, the map and the details panel beside it. A click on
    the map or a new choice reruns only these, not the whole page (a Streamlit fragment)."""
    with st.sidebar:
        city_selector(data)
    map_column, details_column = st.columns([2, 1], gap="medium")
    with map_column:
        corridor_map(data, key=map_key, height=height, groups=groups, frames=frames,
                     with_user_layers=with_user_layers)
    with details_column:
        city_details_panel(data)


def corridor_map(data: CorridorData, key: str, height: int = 620, groups=None, frames=None,
                 with_user_layers: bool = False) -> None:
    """The interactive map (all groups, or those named; the loaded layers, or `frames`).
    Only a click on a feature reruns the page, never a pan or zoom; a click on a city
    selects it without moving the map. The map is rendered once per view and process."""
    link = link_state(data)
    uploads = user_layers() if with_user_layers else []
    rendered = _rendered_map(
        _geodata_signature(), height, None if groups is None else tuple(groups),
        # the opening link's view, not the current URL: toggles must not rebuild the map
        None if link.layers is None else tuple(sorted(link.layers)), link.basemap,
        None if frames is None else tuple((layer, tuple(frame["id"])) for layer, frame in frames.items()),
        tuple(layer.digest for layer in uploads),
        _data=data, _frames=frames, _uploads=uploads,
    )
    map_widget(
        rendered,
        key=key,
        height=height,
        returned_objects=["last_active_drawing"],
        center=st.session_state.get(MAP_CENTER_KEY),
        on_change=partial(_on_map_change, key, data),
    )
    view = st.session_state.get(MAP_VIEW_KEY)
    if view:
        st.query_params["layers"] = ",".join(view["layers"])
        st.query_params["basemap"] = view["basemap"]


@st.cache_resource(max_entries=32, show_spinner="Drawing the map…")
def _rendered_map(signature, height, groups, visible_groups, basemap, frame_ids, upload_digests,
                  *, _data: CorridorData, _frames, _uploads) -> RenderedMap:
    # keyed by the geodata files, the view, the features drawn and the uploads; the
    # underscored arguments (not hashed by Streamlit) are what those keys stand for
    m = build_corridor_map(
        _data.catalog, _data.layers.frames if _frames is None else _frames, height=height,
        carto_api_key=os.environ.get("CARTO_API_KEY"), groups=groups,
        user_layers=[(layer.name, layer.frame) for layer in _uploads],
        visible_groups=visible_groups, basemap=basemap,
    )
    return render_map(m)


def city_selector(data: CorridorData) -> None:
    """The sidebar select box of cities; choosing one centres the map on it."""
    cities = data.cities
    if cities is None:
        st.caption("No city layer is available.")
        return
    names = dict(zip(cities["id"], cities["name"]))
    _city_from_link(data, names)
    st.selectbox(
        "City",
        options=list(names),
        format_func=names.get,
        index=None,
        placeholder="Choose a city",
        key=CITY_KEY,
        on_change=partial(_center_on_selected_city, data),
    )
    if st.session_state.get(CITY_KEY):
        st.query_params["city"] = st.session_state[CITY_KEY]
    else:
        st.query_params.pop("city", None)


def _city_from_link(data: CorridorData, names: dict) -> None:
    """A `?city=<id>` link selects that city when the session opens."""
    if st.session_state.get("_link_city_applied"):
        return
    st.session_state["_link_city_applied"] = True
    city_id = link_state(data).city
    if city_id in names:
        st.session_state[CITY_KEY] = city_id
        _center_on_selected_city(data)


def link_state(data: CorridorData) -> LinkState:
    """What the link this session opened with asks for (read once; later the URL follows
    the page). Ignored parts are named in a notice."""
    if "_link" not in st.session_state:
        params = {key: st.query_params.get_all(key) for key in st.query_params}
        cities = data.cities
        link = parse_link(
            params,
            cities=[] if cities is None else list(cities["id"]),
            groups=[g.id for g in data.catalog.groups],
            basemaps=basemap_ids(os.environ.get("CARTO_API_KEY")),
            year_range=None if cities is None else event_years(cities),
        )
        st.session_state["_link"] = link
        for notice in link.notices:
            st.toast(notice, icon="ℹ️")
    return st.session_state["_link"]


def year_range_slider(data: CorridorData, bounds: tuple[int, int] | None) -> tuple[int, int] | None:
    """The years filter, starting from the link's `years=` if any; the URL follows it.
    With no dated event there is nothing to filter (None); with one year, nothing to slide."""
    if bounds is None or bounds[0] == bounds[1]:
        st.caption("No city has a dated event." if bounds is None else f"Every event is in {bounds[0]}.")
        return bounds
    if "years" not in st.session_state:
        st.session_state["years"] = link_state(data).years or bounds
    years = st.slider("Years", bounds[0], bounds[1], key="years")
    st.query_params["years"] = f"{years[0]}-{years[1]}"
    return years


def city_details_panel(data: CorridorData) -> None:
    """The selected city's details, in the `city_details` container."""
    with st.container(key="city_details"):
        city_id = st.session_state.get(CITY_KEY)
        panel = _city_panel(_geodata_signature(), city_id, _data=data) if city_id else None
        if panel is None:
            st.info("Click a city on the map, or choose one in the sidebar, to read its story.")
            return
        details_html, distances = panel
        st.html(details_html)
        if distances:
            st.caption(" · ".join(distances) + " (geodesic, computed from the layers)")


@st.cache_resource(max_entries=256, show_spinner=False)
def _city_panel(signature, city_id: str, *, _data: CorridorData) -> tuple[str, list[str]] | None:
    """A city's details as HTML and its distances to the lines, computed once per city."""
    cities = _data.cities
    match = None if cities is None else cities[cities["id"] == city_id]
    if match is None or match.empty:
        return None
    city = match.iloc[0]
    distances = [
        f"{analysis.distance_to_lines_km(city.geometry, frame.geometry):,.0f} km from the {label}"
        for layer, label in (("cku_railway", "CKU railway"), ("corridor_legs", "Trans-Caspian corridor"))
        if (frame := _data.layers.frames.get(layer)) is not None
    ]
    return city_details_html(city_details(city)), distances


def city_distance_tool(data: CorridorData) -> None:
    """Two city pickers and the geodesic distance between them."""
    cities = data.cities
    if cities is None or len(cities) < 2:
        return
    names = dict(zip(cities["id"], cities["name"]))
    first, second, result = st.columns([2, 2, 1])
    a = first.selectbox("From", list(names), format_func=names.get, index=0, key="distance_from")
    b = second.selectbox("To", list(names), format_func=names.get, index=1, key="distance_to")
    points = cities.set_index("id").geometry
    result.metric("Distance", f"{analysis.distance_km(points[a], points[b]):,.0f} km",
                  help="Geodesic (great-circle on the WGS84 ellipsoid), not a route length")


def _selected_city(data: CorridorData):
    city_id = st.session_state.get(CITY_KEY)
    cities = data.cities
    if not city_id or cities is None:
        return None
    match = cities[cities["id"] == city_id]
    return match.iloc[0] if len(match) else None


def _on_map_change(map_key: str, data: CorridorData) -> None:
    value = st.session_state.get(map_key) or {}
    view = value.get("map_view")
    if isinstance(view, dict):
        link = parse_link({"layers": [",".join(map(str, view.get("layers", [])))],
                           "basemap": [str(view.get("basemap"))]},
                          cities=[], groups=[g.id for g in data.catalog.groups],
                          basemaps=basemap_ids(os.environ.get("CARTO_API_KEY")))
        st.session_state[MAP_VIEW_KEY] = {"layers": sorted(link.layers or [], key=[g.id for g in data.catalog.groups].index),
                                          "basemap": link.basemap or "offline"}
        return
    clicked = value.get("last_active_drawing") or {}
    props = clicked.get("properties") or {}
    cities = data.cities
    if props.get("layer") == CITIES_LAYER and cities is not None and props.get("id") in set(cities["id"]):
        st.session_state[CITY_KEY] = props["id"]


def _center_on_selected_city(data: CorridorData) -> None:
    city = _selected_city(data)
    if city is None:
        return
    center = [city.geometry.y, city.geometry.x]
    if st.session_state.get(MAP_CENTER_KEY) == center:
        # st_folium moves the map only when `center` differs from the last one it was
        # given (it does not know the map was panned since); a ~1 cm nudge makes it move
        center = [center[0] + 1e-7, center[1]]
    st.session_state[MAP_CENTER_KEY] = center


def timeline(table) -> None:
    """A dated list of events with their sources."""
    if table.empty:
        st.info("No events in this range.")
        return
    st.dataframe(
        table[["when", "event", "details", "source", "link"]],
        hide_index=True,
        column_config={**COLUMNS, "details": st.column_config.TextColumn(width="large")},
    )


def figure_list(figures: list) -> None:
    """Published figures, one per source, as a table."""
    rows = [{"figure": f.get("label"), "value": figure_text(f), "scope": f.get("scope"),
             "as of": f.get("as_of"), "source": f.get("source"), "link": f.get("url"), "note": f.get("note")}
            for f in figures]
    st.dataframe(rows, hide_index=True, column_config=COLUMNS)


@st.cache_resource
def countries() -> gpd.GeoDataFrame:
    """The offline base map's countries (Natural Earth 1:110m), read once."""
    return gpd.read_file(BASEMAP_FILE)


def user_layers() -> list:
    """The layers uploaded in this session (never stored on the server's disk)."""
    return list(st.session_state.get(USER_LAYERS_KEY, {}).values())


def layer_uploader() -> None:
    """Upload a layer for this session; it is drawn on the overview map."""
    st.file_uploader(
        "Add your own layer (GeoJSON, KML, GeoPackage or zipped Shapefile, up to "
        f"{MAX_UPLOAD_BYTES // MB} MB)",
        key=UPLOAD_KEY,
        on_change=_read_uploaded_layer,
    )
    outcome = st.session_state.pop("_upload_outcome", None)
    if outcome:
        kind, text = outcome
        (st.error if kind == "error" else st.success)(text)
    for layer in user_layers():
        line = f"{shown(layer.name, limit=None)}: {len(layer.frame):,} features, shown on the Overview map."
        st.caption(" ".join([line, *layer.notes]))


def _read_uploaded_layer() -> None:
    upload = st.session_state.get(UPLOAD_KEY)
    if upload is None:
        return
    try:
        layer = read_upload(upload.name, upload.getvalue())
    except UploadError as err:
        st.session_state["_upload_outcome"] = ("error", f"{shown(upload.name, limit=None)}: {err}")
        return
    st.session_state.setdefault(USER_LAYERS_KEY, {})[layer.name] = layer
    st.session_state["_upload_outcome"] = ("success", f"{shown(layer.name, limit=None)} was added to the Overview map.")


def layer_downloads(spec, frame: gpd.GeoDataFrame) -> None:
    """Download buttons for one layer: GeoJSON, CSV and KML."""
    stem = spec.file.rsplit(".", 1)[0]
    geojson, csv, kml = st.columns(3)
    geojson.download_button("GeoJSON", exports.to_geojson(frame), f"{stem}.geojson",
                            "application/geo+json", key=f"dl-geojson-{spec.id}", on_click="ignore")
    csv.download_button("CSV", exports.to_csv(frame), f"{stem}.csv", "text/csv", key=f"dl-csv-{spec.id}",
                        on_click="ignore")
    kml.download_button("KML", exports.to_kml(frame, spec.id), f"{stem}.kml",
                        "application/vnd.google-earth.kml+xml", key=f"dl-kml-{spec.id}", on_click="ignore")


def transit_chart(table) -> None:
    """Published transit times as ranges (days), one bar per source's figure."""
    chart = alt.Chart(table).mark_bar(height=14).encode(
        x=alt.X("days_min:Q", title="days", scale=alt.Scale(zero=True)),
        x2="days_max:Q",
        y=alt.Y("route:N", title=None, sort=None, axis=alt.Axis(labelLimit=420)),
        tooltip=["route", "days", "as_of", "source"],
    )
    st.altair_chart(chart, use_container_width=True)
