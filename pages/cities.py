"""The summit and story cities: a table, the details panel, a map and a timeline by years."""

import streamlit as st

from dashboard import reports, ui

ui.run_through_app()
data = ui.corridor_data()
cities = data.cities

st.title("Summit cities")
st.caption("The places of the China–Central Asia story. Choose a city in the sidebar or on the map.")
ui.show_problems(data.problems)
if cities is None:
    st.error("The cities layer could not be read, so this page has nothing to show.")
    st.stop()

years = ui.year_range_slider(data, reports.event_years(cities))
shown = reports.cities_with_events_in(cities, years)

ui.city_explorer(data, map_key=f"cities_map_{years}", groups=["cities"], height=420,
                 frames={"cities": shown})

st.subheader(f"Events {years[0]}–{years[1]}" if years else "Events")
ui.timeline(reports.city_events(cities, years))

st.subheader("Distance between two cities")
ui.city_distance_tool(data)

st.subheader("All cities")
st.dataframe(reports.city_table(cities), hide_index=True)
