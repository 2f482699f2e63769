"""The summit and story cities: a table, the details panel, a map and a timeline by years."""

import streamlit as st

from dashboard import explorer, language, reports, store, urlstate, widgets

_ = language.translator()
data = store.dataset()
link = urlstate.read_link(data, _)
cities = data.cities

st.title(_("Summit cities"))
st.caption(_("The places of the China–Central Asia story. Choose a city in the sidebar or on the map."))
widgets.show_problems(data, _)
if cities is None:
    st.error(_("The cities layer could not be read, so this page has nothing to show."))
    st.stop()

years = widgets.year_range_slider(link, data.computed(reports.event_years, cities), _)
shown = data.computed(reports.cities_with_events_in, cities, years)

explorer.city_explorer(data, link, map_key="cities_map", groups=["cities"], height=540, frames={"cities": shown},
                       labelled=["cities"])

st.subheader(_("Events {first}–{last}", first=years[0], last=years[1]) if years else _("Events"))
widgets.timeline(data.table(reports.city_events, cities, years, _.lang), _)

st.subheader(_("Distance between two cities"))
widgets.city_distance_tool(data, _)

st.subheader(_("All cities"))
widgets.table(data.table(reports.city_table, cities, _.lang), _)
