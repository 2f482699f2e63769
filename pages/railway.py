"""The China–Kyrgyzstan–Uzbekistan railway: the line, its figures, stations and timeline."""

import streamlit as st

from dashboard import language, pagemap, railway_reports, reports, store, urlstate, widgets

_ = language.translator()
data = store.dataset()
link = urlstate.read_link(data, _)
railway, stations = data.frames.get("cku_railway"), data.frames.get("cku_stations")
facts = store.facts(data, "cku_railway")

st.title(_("China–Kyrgyzstan–Uzbekistan railway"))
st.caption(_(
    "Kashgar – Torugart – Arpa – Kosh-Dobo – Makmal – Jalal-Abad – Andijan. Lengths are computed "
    "from the traced line (geodesic, WGS84) and shown beside every published figure; the trace is "
    "approximate, not a surveyed alignment."
))
widgets.show_problems(data, _)
if railway is None or stations is None:
    st.error(_("The railway layers could not be read, so this page has nothing to show."))
    st.stop()

for row in data.computed(railway_reports.railway_metrics, railway, stations, facts, _.lang):
    for column, metric in zip(st.columns(max(len(row), 4)), row):
        column.metric(metric.label, metric.value, help=metric.help)

map_column, chart_column = st.columns([3, 2], gap="medium")
with map_column:
    pagemap.page_map(data, link, key="railway_map", groups=["railway"], height=540, labelled=["cku_stations"])
with chart_column:
    lengths = data.table(railway_reports.railway_lengths, railway, _.lang)
    st.subheader(_("Length by country"))
    widgets.bar_chart(lengths, "country", "computed_km", _("km (computed)"))
    widgets.table(lengths, _)
    widgets.table(data.table(railway_reports.railway_gauges, railway, _.lang), _)

st.subheader(_("Published lengths, source by source"))
st.caption(_("Each source's figures stay together: the sources split the line differently, so "
             "figures from different sources are never added up."))
widgets.table(data.table(railway_reports.railway_lengths_by_source, railway, _.lang), _)

st.subheader(_("Stations and crossings, from Kashgar"))
widgets.table(data.table(railway_reports.station_table, railway, stations, _.lang), _)

st.subheader(_("Timeline"))
widgets.timeline(data.table(reports.facts_timeline, facts, _.lang), _)

with st.expander(_("Published figures (engineering, cost, capacity)")):
    widgets.table(data.table(reports.facts_figures, facts, _.lang), _)
