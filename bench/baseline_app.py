"""The bench's baseline: the same map written the usual tutorial way.

Every rerun reads the layer files and builds the whole folium map again, and
`st_folium` keeps its defaults, so every click, pan and zoom reruns the script and
resends the map. The one change from a tutorial: the map's scripts are served by the
app (the bench runs offline), as in the dashboard. Never imported by the dashboard.
"""

import json
from pathlib import Path

import folium
import geopandas as gpd
import streamlit as st
from streamlit_folium import st_folium

from dashboard import assets


def build_map() -> folium.Map:
    """Read every layer file and build the whole map (on every rerun, as tutorials do)."""
    catalog = json.loads(Path("geodata/catalog.json").read_text(encoding="utf-8"))
    m = folium.Map(location=[42, 75], zoom_start=4, tiles=None)
    # folium's own Leaflet and jQuery, served by the app (the bench is offline)
    m.default_js = [("leaflet", assets.asset_url("leaflet", "leaflet.js")),
                    ("jquery", assets.asset_url("jquery", "jquery.min.js"))]
    m.default_css = [("leaflet_css", assets.asset_url("leaflet", "leaflet.css"))]
    folium.GeoJson(
        gpd.read_file("geodata/basemap/countries.geojson"),  # plain properties: geopandas reads them
        name="Borders",
        style_function=lambda _: {"color": "#a6acaf", "weight": 0.8, "fillColor": "#f8f6f0", "fillOpacity": 1},
    ).add_to(m)
    overview = {group["id"] for group in catalog["groups"] if group.get("overview", True)}
    for layer in (layer for layer in catalog["layers"] if layer["group"] in overview):  # the overview's
        # json, not geopandas: list-valued properties (events, sources) would not serialise
        data = json.loads(Path("geodata", layer["file"]).read_text(encoding="utf-8"))
        points = all(f["geometry"]["type"] == "Point" for f in data["features"])
        style = layer.get("style", {})
        folium.GeoJson(
            data,
            name=layer["title"],
            style_function=lambda _, style=style: style,
            marker=folium.CircleMarker(radius=6, fill=True) if points else None,
            tooltip=folium.GeoJsonTooltip(fields=list(layer.get("tooltip", {"name": "Name"}))),
        ).add_to(m)
    folium.LayerControl().add_to(m)
    m.fit_bounds(m.get_bounds())
    return m


if __name__ == "__main__":  # as Streamlit runs it (the bench imports build_map only)
    st.set_page_config(page_title="Baseline", layout="wide")
    st.title("China–Central Asia corridors (baseline)")
    map_column, details_column = st.columns([2, 1])
    with map_column:
        output = st_folium(build_map(), height=620, use_container_width=True)
    with details_column, st.container(key="city_details"):
        clicked = (output.get("last_active_drawing") or {}).get("properties") or {}
        if "events" in clicked:
            st.subheader(clicked["name"])
            st.write(clicked.get("description", ""))
        else:
            st.info("Click a city on the map.")
