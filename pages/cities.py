"""The summit and story cities: a table, the details panel, a map and a timeline by years."""

import streamlit as st

from dashboard import explorer, language, pagemap, reports, store, summits, urlstate, widgets

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

st.subheader(_("Summit outcomes"))
st.caption(_("What the Xi'an (2023) and Astana (2025) summits agreed, each with its source. Choose an outcome to "
             "see the places and lines it concerns on the map."))
outcomes = data.table(summits.outcome_table, store.facts(data, "summits"), data.frames, _.lang)
row = widgets.chosen_row(outcomes, _, key="summit_outcomes", id=None)
if row is None:
    st.info(_("Choose an outcome in the table (the box at the start of its row) to see it on the map."))
else:
    outcome_id = outcomes["id"][row].as_py()
    groups, features = data.computed(summits.outcome_map, store.facts(data, "summits"), data.catalog, data.frames,
                                     outcome_id)
    st.markdown(f"**{outcomes['outcome'][row].as_py()}** · {outcomes['concerns'][row].as_py()}")
    pagemap.page_map(data, link, key=f"outcome_map_{outcome_id}", groups=groups, frames=features, height=420,
                     labelled=[layer for layer in features if data.catalog.layer(layer).is_point], variant=outcome_id)
