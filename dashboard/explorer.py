"""The city explorer: the sidebar's city selector, the map and the details panel beside it.

A Streamlit fragment: a click on a city or a new choice reruns only the explorer, not the
whole page. The selected city is the select box's state (`CITY_KEY`), shared by every page
with an explorer; the page's link may choose it, and the URL follows it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import partial

import geopandas as gpd
import streamlit as st

from dashboard import language, pagemap, uploader
from dashboard.data_text import names_in
from dashboard.dataset import CITIES_LAYER, Dataset
from dashboard.details import city_panel
from dashboard.i18n import Translator
from dashboard.links import LinkState
from dashboard.urlstate import show_in_url

CITY_KEY = "city"  # the select box; the selected city's id
CENTER_KEY = "_map_center"  # the selected city's point, [lat, lon]: the map opens there when shown anew
PAN_KEY = "_map_pan"  # a move of the map asked for by the sidebar and not yet sent: [lat, lon, count]
PANS_KEY = "_map_pans"  # how many moves were asked for in this session
LINK_CITY_KEY = "_url_city"  # the city the URL says, as last applied or written: another one is a new link


@st.fragment
def city_explorer(data: Dataset, link: LinkState, *, map_key: str, groups: Iterable[str] | None = None,
                  frames: Mapping[str, gpd.GeoDataFrame] | None = None, with_uploads: bool = False,
                  height: int = 620, labelled: Iterable[str] = (), compact: bool = True) -> None:
    """The city selector in the sidebar, the map (with the visitor's own layers if asked, the
    `labelled` layers' points named) and the selected city's details."""
    uploads = uploader.session_layers() if with_uploads else ()  # read here: a fragment keeps its arguments
    _ = language.translator()
    select_link_city(data, link)
    # the URL names the city before the map comes: the map emphasises the city the URL names
    st.session_state[LINK_CITY_KEY] = st.session_state.get(CITY_KEY)
    show_in_url(city=st.session_state[LINK_CITY_KEY])
    with st.sidebar:
        selector = st.empty()
    # the map goes out first: the browser starts loading its frame before the select box's scripts
    map_column, details_column = st.columns([2, 1], gap="medium")
    with map_column:
        pagemap.page_map(data, link, key=map_key, groups=groups, frames=frames, uploads=uploads, height=height,
                             returned_objects=["last_active_drawing"], center=st.session_state.get(CENTER_KEY),
                             on_click=partial(_select_clicked, data), labelled=labelled, compact=compact,
                             selected=st.session_state.get(CITY_KEY))
    with details_column:
        city_details_panel(data, _)
    with selector.container():
        city_selector(data, _)
        pan = st.session_state.pop(PAN_KEY, None)
        if pan is not None:
            pan_map(*pan)


def select_link_city(data: Dataset, link: LinkState) -> None:
    """A city named by a new link becomes the selected one, and the map centres on it."""
    cities = data.cities
    if (cities is not None and link.city in set(cities["id"])
            and st.session_state.get(LINK_CITY_KEY) != link.city):
        st.session_state[LINK_CITY_KEY] = link.city
        st.session_state[CITY_KEY] = link.city
        _center_on_selected(data)


def city_selector(data: Dataset, _: Translator) -> None:
    """The sidebar's select box of cities; choosing one centres the map on it."""
    cities = data.cities
    if cities is None:
        st.caption(_("No city layer is available."))
        return
    names = data.computed(city_names, cities, _.lang)
    st.selectbox(_("City"), options=list(names), format_func=names.get, index=None, placeholder=_("Choose a city"),
                 key=CITY_KEY, on_change=partial(_center_on_selected, data))


# Posted to the map's frame once its FitToData listens (the frame may still be loading).
_PAN_SCRIPT = """<script>(() => {
  const message = {type: "silkroad:pan", lat: %(lat)r, lng: %(lng)r, count: %(count)d};
  let tries = 0;
  (function post() {
    const frames = [...document.querySelectorAll('iframe[title="streamlit_folium.st_folium"]')]
      .map(frame => frame.contentWindow).filter(frame => frame && frame.silkroadPanReady);
    frames.forEach(frame => frame.postMessage(message, window.location.origin));
    if (!frames.length && ++tries < 600) setTimeout(post, 100);  // a busy server may take a minute
  })();
})();</script>"""


def pan_map(lat: float, lng: float, count: int) -> None:
    """Move the page's map to (lat, lng) by a message to its frame: a few hundred bytes, where a
    new `center` argument would send the whole map again. `count` makes each move a new element."""
    st.html(_PAN_SCRIPT % {"lat": float(lat), "lng": float(lng), "count": int(count)}, unsafe_allow_javascript=True)


def city_names(cities, lang: str) -> dict[str, str]:
    """Each city's name in `lang` where the data has one (else its English name), by id."""
    return dict(zip(cities["id"], names_in(cities, lang)))


def city_details_panel(data: Dataset, _: Translator) -> None:
    """The selected city's details, in the `city_details` container."""
    with st.container(key="city_details"):
        city_id = st.session_state.get(CITY_KEY)
        panel = None
        if city_id and data.cities is not None:
            panel = data.computed(city_panel, data.cities, data.frames.get("cku_railway"),
                                  data.frames.get("corridor_legs"), city_id, _.lang)
        if panel is None:
            st.info(_("Click a city on the map, or choose one in the sidebar, to read its story."))
            return
        details_html, distances = panel
        st.html(details_html)
        if distances:
            st.caption(_("{distances} (geodesic, computed from the layers)", distances=" · ".join(distances)))


def _select_clicked(data: Dataset, properties: dict) -> None:
    """A click on a city selects it (the map keeps its view)."""
    cities = data.cities
    if properties.get("layer") == CITIES_LAYER and cities is not None and properties.get("id") in set(cities["id"]):
        st.session_state[CITY_KEY] = properties["id"]


def _center_on_selected(data: Dataset) -> None:
    city_id, cities = st.session_state.get(CITY_KEY), data.cities
    match = cities[cities["id"] == city_id] if city_id and cities is not None else None
    if match is None or match.empty:
        return
    point = match.geometry.iloc[0]
    st.session_state[CENTER_KEY] = [point.y, point.x]
    count = st.session_state.get(PANS_KEY, 0) + 1
    st.session_state[PANS_KEY] = count
    st.session_state[PAN_KEY] = [point.y, point.x, count]
