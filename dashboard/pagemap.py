"""A map on a page: its view (overlays ticked, base map) kept per map in the session and in
the page's URL, its rendering cached, and streamlit-folium's component placed.

A map is rendered with the view it was opened with; overlay and base-map toggles only
change what the URL says (a toggle never reloads the map). Coming back to a page shows its
map as it was left. A rendering without a visitor's upload is cached for every session;
one with an upload is kept in a session-scoped cache, emptied when the connection closes.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, replace
from functools import partial

import geopandas as gpd
import streamlit as st

from dashboard import assets, language, share
from dashboard.basemaps import default_basemap
from dashboard.catalog_text import catalog_in
from dashboard.dataset import Dataset
from dashboard.i18n import Translator
from dashboard.links import LinkState, parse_link
from dashboard.map_export import MapView, map_html, map_view
from dashboard.maps import build_map
from dashboard.mapwidget import RenderedMap, map_widget, render_map
from dashboard.uploads import UserLayer
from dashboard.urlstate import available_basemaps, show_in_url

VIEWS_KEY = "_map_views"  # {map key: {"opened": View, "current": View}}
PLACED_KEY = "_map_placed"  # the key of the map placed last: another one means this map is shown anew


@dataclass(frozen=True)
class View:
    layers: tuple[str, ...]  # the overlay groups ticked, in the catalog's order
    basemap: str


def page_map(data: Dataset, link: LinkState, *, key: str, groups: Iterable[str] | None = None,
                 frames: Mapping[str, gpd.GeoDataFrame] | None = None, uploads: Iterable[UserLayer] = (),
                 height: int = 620, returned_objects: Iterable[str] = (), center: list[float] | None = None,
                 on_click: Callable[[dict], None] | None = None, labelled: Iterable[str] = (),
                 compact: bool = True, variant: Hashable = None, selected: str | None = None) -> None:
    """The map of the catalog's groups (the overview's, or those named) drawn from the dataset's layers
    (or `frames`) and the visitor's `uploads`, the points of the `labelled` layers named, its
    controls folded when it is narrow (if `compact`); `variant` names what the `frames` show beyond
    their features (a year's figures, a trip), so that each is drawn and cached apart. A click
    reruns the page only if `returned_objects` asks for it, and calls `on_click(properties)`. Pan
    and zoom never rerun it: the map sends its view as the visitor comes to its buttons (share.py),
    so that its HTML file (with the `selected` city's details) opens where the visitor left it."""
    _ = language.translator()
    if assets.missing_assets():
        st.error(_("The map's scripts are missing on this server: run `make setup` (it copies them "
                   "into static/vendor/)."))
        return
    shown = tuple(g.id for g in (data.catalog.overview_groups if groups is None else data.catalog.groups)
                  if groups is None or g.id in set(groups))
    default = View(shown, default_basemap())
    view = _opened_view(key, link, default, center)
    _follow_center(key, center)
    uploads = tuple(uploads)
    lang = _.lang
    what = (data.version, (height, tuple(labelled), compact, lang), shown, view,
            None if frames is None else (variant, tuple((layer, tuple(frame["id"])) for layer, frame in frames.items())))
    # a spinner shows only if drawing takes over half a second: never for a map already drawn
    if uploads:
        with st.spinner(_("Drawing the map with your layers…")):
            rendered = _session_map(*what, tuple((u.name, u.digest) for u in uploads),
                                    _data=data, _frames=frames, _uploads=uploads)
    else:
        with st.spinner(_("Drawing the map…")):
            rendered = _shared_map(*what, _data=data, _frames=frames)
    # the centre the map was opened with: a later one would be a new argument, and the whole map
    # would be sent again (the explorer moves the map by a message instead: map_elements.FitToData)
    opened_center = st.session_state[VIEWS_KEY][key]["center"]
    map_widget(rendered, key=key, height=height, returned_objects=returned_objects, center=opened_center,
               on_change=partial(_on_change, key, default, on_click))
    current = st.session_state[VIEWS_KEY][key]["current"]
    share.map_actions(_, partial(_map_file, data, frames, shown, current, st.session_state[VIEWS_KEY][key].get("at"),
                                 uploads, labelled, selected, lang),
                      file_stem=f"silk-road-{key.removesuffix('_map').replace('_', '-')}")
    show_in_url(layers=None if current == default else ",".join(current.layers),
                basemap=None if current == default else current.basemap)


def _opened_view(key: str, link: LinkState, default: View, center: list[float] | None) -> View:
    """The view this map is rendered with: the link's (or the default) the first time, then
    the one it was left with each time it is shown anew, else the same as last run. The
    `center` asked for is kept as the one it opens with when it is shown anew."""
    views = st.session_state.setdefault(VIEWS_KEY, {})
    shown_anew = st.session_state.get(PLACED_KEY) != key
    st.session_state[PLACED_KEY] = key
    if key not in views:
        layers = default.layers if link.layers is None else tuple(g for g in default.layers if g in link.layers)
        opened = View(layers, link.basemap or default.basemap)
        views[key] = {"opened": opened, "current": opened, "center": center}
    elif shown_anew:
        views[key].update(opened=views[key]["current"], center=center)
    return views[key]["opened"]


def _follow_center(key: str, center: list[float] | None) -> None:
    """A new centre asked for (a city chosen in the sidebar: the map pans there) is where the
    map's file opens, at the zoom the visitor left it at."""
    entry = st.session_state[VIEWS_KEY][key]
    if center is not None and center != entry.get("asked"):
        entry["asked"] = center
        if entry.get("at") is not None:
            entry["at"] = replace(entry["at"], lat=float(center[0]), lng=float(center[1]))


def _on_change(key: str, default: View, on_click: Callable[[dict], None] | None) -> None:
    value = st.session_state.get(key) or {}
    toggled = value.get("map_view")
    if isinstance(toggled, dict):  # sent by the map's UrlSync: checked like a link
        checked = parse_link({"layers": [",".join(map(str, toggled.get("layers") or []))],
                              "basemap": [str(toggled.get("basemap"))]},
                             cities=[], groups=default.layers, basemaps=available_basemaps())
        layers = tuple(g for g in default.layers if g in (checked.layers or ()))
        st.session_state[VIEWS_KEY][key]["current"] = View(layers, checked.basemap or default.basemap)
        at = map_view(toggled.get("at"))
        if at is not None:
            st.session_state[VIEWS_KEY][key]["at"] = at
        return
    clicked = value.get("last_active_drawing") or {}
    if on_click is not None and isinstance(clicked.get("properties"), dict):
        on_click(clicked["properties"])


@st.cache_resource(max_entries=32, show_spinner=False)
def _shared_map(version, look, groups, view, frame_ids, *, _data: Dataset, _frames) -> RenderedMap:
    # keyed by the data's version, the map's look, the view and the features drawn; the underscored
    # arguments (not hashed by Streamlit) are what those keys stand for. Nothing of a visitor's is in it.
    return _render(_data, _frames, look, groups, view, ())


@st.cache_resource(scope="session", max_entries=1, show_spinner=False)
def _session_map(version, look, groups, view, frame_ids, upload_ids, *, _data: Dataset, _frames,
                 _uploads: tuple[UserLayer, ...]) -> RenderedMap:
    # the last map drawn with this session's uploads (named and hashed in upload_ids)
    return _render(_data, _frames, look, groups, view, _uploads)


def _map_file(data: Dataset, frames, groups: tuple, view: View, at: MapView | None, uploads, labelled, selected,
              lang: str) -> str:
    # made when the visitor clicks "Download this map (HTML)": with this session's uploads only
    return map_html(data.computed(catalog_in, data.catalog, lang), data.frames if frames is None else frames,
                    groups=groups, visible_groups=view.layers, basemap=view.basemap, view=at,
                    user_layers=[(layer.name, layer.frame) for layer in uploads], labelled=labelled,
                    selected=selected, _=Translator(lang))


def _render(data: Dataset, frames, look: tuple, groups: tuple, view: View, uploads) -> RenderedMap:
    height, labelled, compact, lang = look
    return render_map(build_map(
        data.computed(catalog_in, data.catalog, lang), data.frames if frames is None else frames, height=height,
        labelled=labelled, compact=compact, _=Translator(lang),
        carto_api_key=os.environ.get("CARTO_API_KEY"), groups=groups, visible_groups=view.layers,
        basemap=view.basemap, user_layers=[(layer.name, layer.frame) for layer in uploads],
    ))
