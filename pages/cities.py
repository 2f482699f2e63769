"""The summit and story cities: a table, the details panel, a map and a timeline by years."""

import streamlit as st

from dashboard import explorer, reports, store, urlstate, widgets

data = store.dataset()
link = urlstate.read_link(data)
cities = data.cities

st.title("Summit cities")
st.caption("The places of the China–Central Asia story. Choose a city in the sidebar or on the map.")
widgets.show_problems(data.problems)
if cities is None:
    st.error("The cities layer could not be read, so this page has nothing to show.")
    st.stop()

years = widgets.year_range_slider(link, data.computed(reports.event_years, cities))
shown = data.computed(reports.cities_with_events_in, cities, years)

explorer.city_explorer(data, link, map_key="cities_map", groups=["cities"], height=540, frames={"cities": shown},
                       labelled=["cities"])

st.subheader(f"Events {years[0]}–{years[1]}" if years else "Events")
widgets.timeline(data.table(reports.city_events, cities, years))

st.subheader("Distance between two cities")
widgets.city_distance_tool(data)

st.subheader("All cities")
widgets.table(data.table(reports.city_table, cities))
