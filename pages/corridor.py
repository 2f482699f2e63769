"""The Trans-Caspian corridor: its legs by mode, totals, volumes and transit times."""

import streamlit as st

from dashboard import pagemap, reports, store, urlstate, widgets

data = store.dataset()
link = urlstate.read_link(data)
legs = data.frames.get("corridor_legs")
facts = store.facts(data, "corridor")

st.title("Trans-Caspian corridor")
st.caption(
    "The Trans-Caspian International Transport Route (Middle Corridor): China – Kazakhstan – "
    "Caspian ferries – Azerbaijan – Georgia – Türkiye. Distances are computed from the traced legs "
    "(geodesic); transit times and volumes are published figures, each with its source."
)
widgets.show_problems(data.problems)
if legs is None:
    st.error("The corridor layer could not be read, so this page has nothing to show.")
    st.stop()

by_mode = data.computed(reports.lengths_by_mode, legs)
for column, (mode, km) in zip(st.columns(len(by_mode)), by_mode.items()):
    column.metric(f"{mode.capitalize()} (computed)", f"{km:,.0f} km")

map_column, totals_column = st.columns([3, 2], gap="medium")
with map_column:
    pagemap.page_map(data, link, key="corridor_map", groups=["corridor"], height=540, labelled=["corridor_nodes"])
with totals_column:
    st.subheader("Length by country")
    widgets.bar_chart(data.table(reports.lengths_by_country, legs, data.countries), "country", "km",
                      "km (computed)", horizontal=True)
    st.caption("Cross-border legs are split at Natural Earth 1:110m borders.")

st.subheader("Legs")
widgets.table(data.table(reports.leg_table, legs))

volumes = data.table(reports.volume_series, facts)
if volumes.num_rows:
    st.subheader("Cargo on the route by year")
    widgets.bar_chart(volumes, "year", "million_tonnes", "million tonnes")
    st.caption(f"Source: {volumes['source'][0]}")
    with st.expander("Every published volume figure"):
        widgets.table(data.table(reports.volume_table, facts))

transit = data.table(reports.transit_table, facts)
if transit.num_rows:
    st.subheader("Typical transit time")
    widgets.transit_chart(transit)
    widgets.table(transit, days_min=None, days_max=None)
