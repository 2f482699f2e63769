"""The Trans-Caspian corridor: its legs by mode, totals, volumes and transit times."""

import streamlit as st

from dashboard import language, pagemap, reports, store, urlstate, widgets

_ = language.translator()
data = store.dataset()
link = urlstate.read_link(data, _)
legs = data.frames.get("corridor_legs")
facts = store.facts(data, "corridor")

st.title(_("Trans-Caspian corridor"))
st.caption(_(
    "The Trans-Caspian International Transport Route (Middle Corridor): China – Kazakhstan – "
    "Caspian ferries – Azerbaijan – Georgia – Türkiye. Distances are computed from the traced legs "
    "(geodesic); transit times and volumes are published figures, each with its source."
))
widgets.show_problems(data, _)
if legs is None:
    st.error(_("The corridor layer could not be read, so this page has nothing to show."))
    st.stop()

by_mode = data.computed(reports.lengths_by_mode, legs)
mode_titles = {"rail": _("Rail (computed)"), "road": _("Road (computed)"), "sea": _("Sea (computed)")}
for column, (mode, km) in zip(st.columns(len(by_mode)), by_mode.items()):
    column.metric(mode_titles.get(mode, mode), _.km(km))

map_column, totals_column = st.columns([3, 2], gap="medium")
with map_column:
    pagemap.page_map(data, link, key="corridor_map", groups=["corridor"], height=540, labelled=["corridor_nodes"])
with totals_column:
    st.subheader(_("Length by country"))
    widgets.bar_chart(data.table(reports.lengths_by_country, legs, data.countries, _.lang), "country", "km",
                      _("km (computed)"), horizontal=True)
    st.caption(_("Cross-border legs are split at Natural Earth 1:110m borders."))

st.subheader(_("Legs"))
widgets.table(data.table(reports.leg_table, legs, _.lang), _)

volumes = data.table(reports.volume_series, facts)
if volumes.num_rows:
    st.subheader(_("Cargo on the route by year"))
    widgets.bar_chart(volumes, "year", "million_tonnes", _("million tonnes"))
    st.caption(_("Source: {source}", source=volumes["source"][0]))
    with st.expander(_("Every published volume figure")):
        widgets.table(data.table(reports.volume_table, facts, _.lang), _)

transit = data.table(reports.transit_table, facts, _.lang)
if transit.num_rows:
    st.subheader(_("Typical transit time"))
    widgets.transit_chart(transit, _)
    widgets.table(transit, _, days_min=None, days_max=None)
