"""The China–Kyrgyzstan–Uzbekistan railway: the line, its figures, stations and timeline."""

import streamlit as st

from dashboard import reports, ui

ui.run_through_app()
data = ui.corridor_data()
railway, stations = data.layers.frames.get("cku_railway"), data.layers.frames.get("cku_stations")
facts = ui.facts("cku_railway")

st.title("China–Kyrgyzstan–Uzbekistan railway")
st.caption(
    "Kashgar – Torugart – Arpa – Kosh-Dobo – Makmal – Jalal-Abad – Andijan. Lengths are computed "
    "from the traced line (geodesic, WGS84) and shown beside every published figure; the trace is "
    "approximate, not a surveyed alignment."
)
ui.show_problems(data.problems)
if railway is None or stations is None:
    st.error("The railway layers could not be read, so this page has nothing to show.")
    st.stop()

lengths = reports.railway_lengths(railway)
for row in reports.railway_metrics(railway, stations, facts):
    for column, metric in zip(st.columns(max(len(row), 4)), row):
        column.metric(metric.label, metric.value, help=metric.help)

map_column, chart_column = st.columns([3, 2], gap="medium")
with map_column:
    ui.corridor_map(data, key="railway_map", groups=["railway"], height=480)
with chart_column:
    st.subheader("Length by country")
    st.bar_chart(lengths, x="country", y="computed_km", y_label="km (computed)", x_label="")
    st.dataframe(lengths, hide_index=True, column_config=ui.COLUMNS)
    st.dataframe(reports.railway_gauges(railway), hide_index=True, column_config=ui.COLUMNS)

st.subheader("Stations and crossings, from Kashgar")
st.dataframe(reports.station_table(railway, stations), hide_index=True, column_config=ui.COLUMNS)

st.subheader("Timeline")
ui.timeline(reports.timeline_table(facts.get("timeline", [])))

with st.expander("Published figures (engineering, cost, capacity)"):
    ui.figure_list(facts.get("figures", []))
