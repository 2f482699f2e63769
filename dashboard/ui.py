"""Streamlit pieces shared by the pages: cached data, the map widget, the city
selector and the details panel. Pages call these; they hold no data logic."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import partial

import geopandas as gpd
import streamlit as st
from streamlit_folium import st_folium

from dashboard.catalog import CATALOG_FILE, Catalog, CatalogError, load_catalog
from dashboard.details import city_details, city_details_html
from dashboard.geodata import LoadedLayers, Problem, load_layers
from dashboard.maps import build_corridor_map

CITY_KEY = "city"  # the sidebar select box; the selected city's id
MAP_CENTER_KEY = "_map_center"  # last centre sent to the map, [lat, lon]
CITIES_LAYER = "cities"


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
def _load_corridor_data(_signature: tuple) -> CorridorData:
    catalog = load_catalog(CATALOG_FILE)
    return CorridorData(catalog=catalog, layers=load_layers(catalog))


def _geodata_signature() -> tuple:
    folder = CATALOG_FILE.parent
    return tuple(
        (p.name, p.stat().st_mtime_ns, p.stat().st_size)
        for p in sorted(folder.glob("*.*json"))
    )


def show_problems(problems: list[Problem]) -> None:
    """One warning per problem found in the layer files."""
    for problem in problems:
        st.warning(f"Layer file `{problem.file}`: {problem.message}", icon="⚠️")


def corridor_map(data: CorridorData, key: str, height: int = 620) -> None:
    """The interactive map. Only a click on a feature reruns the page (never a pan or zoom);
    a click on a city selects it without moving the map."""
    with st.spinner("Drawing the map…"):
        m = build_corridor_map(
            data.catalog, data.layers.frames, height=height,
            carto_api_key=os.environ.get("CARTO_API_KEY"),
        )
    st_folium(
        m,
        key=key,
        height=height,
        use_container_width=True,
        returned_objects=["last_active_drawing"],
        center=st.session_state.get(MAP_CENTER_KEY),
        on_change=partial(_select_clicked_city, key, data),
    )


def city_selector(data: CorridorData) -> None:
    """The sidebar select box of cities; choosing one centres the map on it."""
    cities = data.cities
    if cities is None:
        st.caption("No city layer is available.")
        return
    names = dict(zip(cities["id"], cities["name"]))
    st.selectbox(
        "City",
        options=list(names),
        format_func=names.get,
        index=None,
        placeholder="Choose a city",
        key=CITY_KEY,
        on_change=partial(_center_on_selected_city, data),
    )


def city_details_panel(data: CorridorData) -> None:
    """The selected city's details, in the `city_details` container."""
    with st.container(key="city_details"):
        city = _selected_city(data)
        if city is None:
            st.info("Click a city on the map, or choose one in the sidebar, to read its story.")
            return
        st.html(city_details_html(city_details(city)))


def _selected_city(data: CorridorData):
    city_id = st.session_state.get(CITY_KEY)
    cities = data.cities
    if not city_id or cities is None:
        return None
    match = cities[cities["id"] == city_id]
    return match.iloc[0] if len(match) else None


def _select_clicked_city(map_key: str, data: CorridorData) -> None:
    clicked = (st.session_state.get(map_key) or {}).get("last_active_drawing") or {}
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
