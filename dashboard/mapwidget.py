"""The map widget: streamlit-folium's component, fed a map that is rendered once.

`st_folium` renders the whole folium map (every template and all the GeoJSON) each
time it is called, and a Streamlit page calls it on every rerun: about 0.2 s for the
corridor map, and new arguments for the component each time. Here the rendering is
split off (`render_map`, with streamlit-folium's own helpers, exactly as `st_folium`
does it), so the page can cache it; `map_widget` then only places the component.

Because a cached rendering gives byte-identical arguments, Streamlit's message cache
sends the browser a reference instead of the map again on a rerun: a click on the
map costs a few kilobytes, not the map's GeoJSON. (`tests/test_mapwidget.py` checks
that the arguments are the ones `st_folium` itself would pass.)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import folium
import streamlit as st
import streamlit_folium
from streamlit import runtime


@dataclass(frozen=True)
class RenderedMap:
    """What the streamlit-folium component needs to draw a map: plain strings and lists."""

    script: str
    header: str
    html: str
    map_id: str
    css_links: tuple[str, ...]
    js_links: tuple[str, ...]
    bounds: dict
    zoom: Any

    @property
    def size(self) -> int:
        """Bytes of map code and data sent to the browser when the map is first shown."""
        return sum(len(part.encode()) for part in (self.script, self.header, self.html))


def render_map(m: folium.Map) -> RenderedMap:
    """Render a folium map once into the component's arguments. This consumes `m`: streamlit-
    folium renames its elements while rendering, and the map is taken apart afterwards."""
    m.get_root().render()
    m.render()
    # the order matters: _get_map_string renames the elements that the others read
    html = streamlit_folium._get_html(m)
    header = streamlit_folium._get_header(m)
    script = streamlit_folium._get_map_string(m)
    css_links: list[str] = []
    js_links: list[str] = []
    for element in _walk(m):
        css_links.extend(href for _, href in getattr(element, "default_css", []))
        js_links.extend(src for _, src in getattr(element, "default_js", []))
    south_west, north_east = m.get_bounds()
    rendered = RenderedMap(
        script=script,
        header=header,
        html=html,
        map_id=streamlit_folium.get_full_id(m),
        css_links=tuple(dict.fromkeys(css_links)),
        js_links=tuple(dict.fromkeys(js_links)),
        bounds={"_southWest": {"lat": south_west[0], "lng": south_west[1]},
                "_northEast": {"lat": north_east[0], "lng": north_east[1]}},
        zoom=m.options.get("zoom"),
    )
    _dismantle(m.get_root())
    return rendered


def map_widget(
    rendered: RenderedMap,
    *,
    key: str,
    height: int,
    returned_objects: Iterable[str],
    center: list[float] | None = None,
    on_change: Callable[[], None] | None = None,
) -> dict:
    """Place a rendered map, as `st_folium(..., use_container_width=True)` would. Only
    the `returned_objects` the page uses make it rerun; `st.session_state[key]` holds
    the component's last value, and `on_change` runs when it changes."""
    returned_objects = list(returned_objects)
    defaults = {name: None for name in returned_objects}
    if "bounds" in defaults:
        defaults["bounds"] = rendered.bounds
    if "zoom" in defaults:
        defaults["zoom"] = rendered.zoom
    component_key = streamlit_folium.generate_js_hash(rendered.script, key, False)
    _register_component()

    def changed() -> None:
        st.session_state[key] = st.session_state.get(component_key, {})
        if on_change is not None:
            on_change()

    return streamlit_folium._component_func(
        script=rendered.script,
        header=rendered.header,
        html=rendered.html,
        id=rendered.map_id,
        key=component_key,
        height=height,
        width=None,
        returned_objects=returned_objects,
        default=defaults,
        zoom=None,
        center=center,
        feature_group=None,
        return_on_hover=False,
        layer_control=None,
        pixelated=False,
        css_links=list(rendered.css_links),
        js_links=list(rendered.js_links),
        on_change=changed,
        wrap_longitude=False,
    )


def _register_component() -> None:
    """Declare streamlit-folium's component to this server. A component registers itself when its
    module is imported inside a script run; the launcher's warm-up (dashboard/launch.py) imports
    it before the server exists, so the server would not know where the map's frame is."""
    if not runtime.exists():  # called outside a server (tests)
        return
    component = streamlit_folium._component_func
    registry = runtime.get_instance().component_registry
    if registry.get_component_path(component.name) is None:
        registry.register_component(component)


def _dismantle(element) -> None:
    """Break the folium element tree apart once it is rendered: parents and children refer to
    each other, so a map's GeoJSON would otherwise wait for a full garbage collection (which
    the server runs seldom, .streamlit/config.toml) before its memory is free."""
    for child in list(getattr(element, "_children", {}).values()):
        _dismantle(child)
    element.__dict__.clear()


def _walk(element):
    if isinstance(element, folium.elements.JSCSSMixin):
        yield element
    for child in getattr(element, "_children", {}).values():
        yield from _walk(child)
