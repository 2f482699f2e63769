"""The Leaflet elements the dashboard adds to a folium map: the toggles reported to the app
(UrlSync), the first fit and the app's requests to move the map (FitToData), the inset overview map, the legend, the map tools and the map's stylesheet.
Their JavaScript and CSS live in dashboard/templates/; every script is served by the app."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import folium
import folium.plugins as plugins
from branca.element import Element, MacroElement
from folium.elements import JSCSSMixin
from jinja2 import Template

from dashboard.basemaps import load_basemap_outline
from dashboard.i18n import ENGLISH, Translator

TEMPLATES = Path(__file__).resolve().parent / "templates"
NARROW_PX = 800  # a map narrower than this starts with its legend closed and its controls folded


@cache
def _template(name: str) -> Template:
    """A folium macro template (`{% macro script(this, kwargs) %}`) from dashboard/templates/."""
    return Template((TEMPLATES / name).read_text(encoding="utf-8"))


class UrlSync(MacroElement):
    """Reports overlay and base-map toggles to the app as the map component's value
    (`{"map_view": {"layers": [...], "basemap": id}}`), which puts them in the URL, so that
    a copied link opens the same view."""

    def __init__(self, overlays: dict[str, str], basemaps: dict[str, str], shown: list[str], basemap: str):
        super().__init__()
        self._name, self._template = "UrlSync", _template("url_sync.js")
        self.overlays, self.basemaps, self.shown, self.basemap = overlays, basemaps, shown, basemap


class OfflineMiniMap(JSCSSMixin, MacroElement):
    """An overview inset drawn from the base map's (simplified) borders, so it needs no tiles;
    minimised at first on a narrow map (if `compact`)."""

    def __init__(self, countries: dict, compact: bool):
        super().__init__()
        self._name, self._template = "OfflineMiniMap", _template("minimap.js")
        self.countries, self.compact, self.narrow = countries, compact, NARROW_PX
        self.default_js, self.default_css = [], []  # in the map's bundle (dashboard/assets.py)


class OfflineBaseMap(MacroElement):
    """The offline base map's layers (dashboard/basemaps.py: offline_layers), in the feature
    group that stands for it in the base-layer switch."""

    def __init__(self, spec: dict):
        super().__init__()
        self._name, self._template = "OfflineBaseMap", _template("offline_basemap.js")
        self.spec = spec


class Chrome(MacroElement):
    """Controls that leave room for the map: on a narrow map (if `compact`), the legend starts
    closed and the layer control is a button; on a wide one the layer control stays open."""

    def __init__(self, layer_control: folium.LayerControl, compact: bool):
        super().__init__()
        self._name, self._template = "Chrome", _template("chrome.js")
        self.control, self.compact, self.narrow = layer_control.get_name(), compact, NARROW_PX


class FeatureLabels(MacroElement):
    """The names of the dashboard's own points beside them, where they fit (feature_labels.js)."""

    def __init__(self, layers: list[folium.GeoJson]):
        super().__init__()
        self._name, self._template = "FeatureLabels", _template("feature_labels.js")
        self.layers = [layer.get_name() for layer in layers]


class FitToData(MacroElement):
    """Fits the map to the data once it has a size: the map's script may run before Streamlit has
    sized its frame, and a fit on an empty box zooms all the way in. Then moves the map to a point
    the app posts to its frame (`{"type": "silkroad:pan", "lat", "lng"}`, dashboard/explorer.py):
    the sidebar's choice of a city, without sending the map again."""

    def __init__(self, bounds: list[list[float]] | None, padding_top_left: tuple[int, int],
                 padding_bottom_right: tuple[int, int], folded_padding_bottom_right: tuple[int, int] | None = None,
                 view: tuple[float, float, int] | None = None):
        super().__init__()
        self._name, self._template = "FitToData", _template("fit_to_data.js")
        self.bounds, self.options = bounds, {"paddingTopLeft": padding_top_left,
                                             "paddingBottomRight": padding_bottom_right}
        # where the legend starts folded (a compact map narrower than NARROW_PX: Chrome), the data
        # needs room only for its button
        self.folded = None if folded_padding_bottom_right is None else {
            "paddingTopLeft": padding_top_left, "paddingBottomRight": folded_padding_bottom_right}
        self.narrow = NARROW_PX
        self.view = None if view is None else {"lat": view[0], "lng": view[1], "zoom": view[2]}  # instead of the fit


class DetailsPanel(MacroElement):
    """A panel of pre-escaped details HTML, and its point ringed (the selected city in a saved map)."""

    def __init__(self, lat: float, lng: float, details_html: str):
        super().__init__()
        self._name, self._template = "DetailsPanel", _template("details_panel.js")
        self.lat, self.lng, self.html = float(lat), float(lng), details_html


class Legend(MacroElement):
    """A Leaflet control holding pre-escaped legend HTML."""

    def __init__(self, legend_html: str):
        super().__init__()
        self._name, self._template = "Legend", _template("legend.js")
        self.html = legend_html


def add_stylesheet(m: folium.Map) -> None:
    """The map's own styles (controls, labels, legend), inline in the map's page."""
    css = (TEMPLATES / "map.css").read_text(encoding="utf-8")
    m.get_root().header.add_child(Element(f"<style>\n{css}</style>"))


def add_map_tools(m: folium.Map, compact: bool, _: Translator = ENGLISH) -> None:
    """Fullscreen, distance measuring, the pointer's coordinates and an inset overview map,
    all served by the app in the map's one bundle (the scale bar is Leaflet's own)."""
    tools = [
        plugins.Fullscreen(position="topleft", title=_("Full screen"), title_cancel=_("Leave full screen")),
        plugins.MeasureControl(position="topleft", primary_length_unit="kilometers",
                               secondary_length_unit="miles", primary_area_unit="sqkilometers"),
        plugins.MousePosition(position="bottomleft", separator=" · ", num_digits=4, prefix=_("Lat · lon:"),
                              empty_string=""),
    ]
    for tool in tools:
        tool.default_js, tool.default_css = [], []  # shadow the plugins' CDN links: the bundle has them
        tool.add_to(m)
    OfflineMiniMap(load_basemap_outline(), compact).add_to(m)
