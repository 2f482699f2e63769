"""Page widgets: problem notices, tables, charts, the years slider, the distance tool and the
downloads. Each takes what it shows from the dataset or dashboard/reports.py."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
import streamlit as st

from dashboard import analysis, exports
from dashboard.catalog import LayerSpec
from dashboard.dataset import Dataset
from dashboard.geodata import Problem
from dashboard.links import LinkState
from dashboard.urlstate import show_in_url

YEARS_KEY = "years"
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
    "details": st.column_config.TextColumn(width="large"),
}


def show_problems(problems: list[Problem]) -> None:
    """One warning per problem found in the layer files."""
    for problem in problems:
        st.warning(f"Layer file `{problem.file}`: {problem.message}", icon="⚠️")


def table(frame: pd.DataFrame | pa.Table, **columns) -> None:
    """A table with the dashboard's column formats (and any others given; None hides a column)."""
    st.dataframe(frame, hide_index=True, column_config={**COLUMNS, **columns})


def timeline(events: pd.DataFrame | pa.Table) -> None:
    """A dated list of events with their sources."""
    if not len(events):
        st.info("No events in this range.")
        return
    st.dataframe(events, hide_index=True, column_config=COLUMNS,
                 column_order=["when", "event", "details", "source", "link"])


def bar_chart(frame: pd.DataFrame | pa.Table, category: str, value: str, value_title: str, horizontal: bool = False) -> None:
    """Bars of `value` by `category`, in the frame's order. A Vega-Lite spec of our own: Streamlit's
    st.bar_chart builds and validates an Altair chart on every rerun (~20 ms each)."""
    by, along = ("y", "x") if horizontal else ("x", "y")
    spec = {"mark": {"type": "bar", "tooltip": True}, "encoding": {
        by: {"field": category, "type": "nominal", "sort": None, "title": None,
             "axis": {"labelLimit": 300, **({} if horizontal else {"labelAngle": 0})}},
        along: {"field": value, "type": "quantitative", "title": value_title}}}
    st.vega_lite_chart(frame, spec, width="stretch")


def transit_chart(transit: pd.DataFrame | pa.Table) -> None:
    """Published transit times as ranges (days), one bar per source's figure."""
    spec = {"mark": {"type": "bar", "height": 14}, "encoding": {
        "x": {"field": "days_min", "type": "quantitative", "title": "days", "scale": {"zero": True}},
        "x2": {"field": "days_max"},
        "y": {"field": "route", "type": "nominal", "title": None, "sort": None, "axis": {"labelLimit": 420}},
        "tooltip": [{"field": f} for f in ("route", "days", "as_of", "source")]}}
    st.vega_lite_chart(transit, spec, width="stretch")


def year_range_slider(link: LinkState, bounds: tuple[int, int] | None) -> tuple[int, int] | None:
    """The years filter, starting from the link's `years=` if any; the URL follows it.
    With no dated event there is nothing to filter (None); with one year, nothing to slide."""
    if bounds is None or bounds[0] == bounds[1]:
        st.caption("No city has a dated event." if bounds is None else f"Every event is in {bounds[0]}.")
        return bounds
    if YEARS_KEY not in st.session_state:
        st.session_state[YEARS_KEY] = link.years or bounds
    years = st.slider("Years", bounds[0], bounds[1], key=YEARS_KEY)
    show_in_url(years=None if tuple(years) == tuple(bounds) else f"{years[0]}-{years[1]}")
    return years


def city_distance_tool(data: Dataset) -> None:
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


def layer_downloads(spec: LayerSpec, frame) -> None:
    """Download buttons for one layer: GeoJSON, CSV and KML, each made when clicked."""
    stem = spec.file.rsplit(".", 1)[0]
    formats = (("GeoJSON", lambda: exports.to_geojson(frame), "geojson", "application/geo+json"),
               ("CSV", lambda: exports.to_csv(frame), "csv", "text/csv"),
               ("KML", lambda: exports.to_kml(frame, spec.id), "kml", "application/vnd.google-earth.kml+xml"))
    for column, (label, make, extension, mime) in zip(st.columns(3), formats):
        column.download_button(label, make, f"{stem}.{extension}", mime, key=f"dl-{extension}-{spec.id}",
                               on_click="ignore")
