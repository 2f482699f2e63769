"""Routes China → Europe: the Middle Corridor beside the Northern corridor and the sea routes via
Suez and the Cape, their computed lengths, the published figures and a scenario."""

import streamlit as st

from dashboard import language, pagemap, route_widgets, routes, store, urlstate, widgets

_ = language.translator()
data = store.dataset()
link = urlstate.read_link(data, _)
plan, figures = store.facts(data, "routes"), store.facts(data, "route_figures")
places = data.frames.get("route_places")

st.title(_("Routes China → Europe"))
st.caption(_(
    "The Middle Corridor beside the Northern corridor through Russia and the sea routes via Suez and "
    "round the Cape. Distances are computed from the routes as drawn (geodesic, WGS84); transit times "
    "and costs are published figures, each with its source and date, side by side where sources differ."
))
widgets.show_problems(data, _)
if not plan.get("routes") or places is None:
    st.error(_("The routes could not be read, so this page has nothing to show."))
    st.stop()

origin, destination = route_widgets.trip_pickers(link, places, _)
scenario, days = route_widgets.scenario_picker(link, plan, figures, _)
scenario_id = scenario["id"] if scenario else None
lengths = data.table(routes.route_lengths, plan, data.catalog, data.frames, origin, destination, _.lang)
trip = data.table(routes.trip_figures, plan, data.catalog, data.frames, figures, origin, destination, scenario_id,
                  days, _.lang)
if scenario:
    st.info(_("Scenario: {title}, {days} more days on the routes it concerns. The figures marked “scenario” are "
              "the published figures plus this assumption: they are not published figures.",
              title=route_widgets.scenario_title(scenario, _), days=days), icon=":material/science:")

for column, (route, km) in zip(st.columns(4), zip(lengths["route"].to_pylist(), lengths["computed_km"].to_pylist())):
    column.metric(route, _.km(km), help=_("Computed from the route as drawn (geodesic, WGS84)"))

map_column, chart_column = st.columns([3, 2], gap="medium")
with map_column:
    shown = data.computed(routes.route_frames, plan, data.catalog, data.frames, origin, destination)
    ends = data.computed(routes.trip_ends, places, origin, destination)
    pagemap.page_map(data, link, key="routes_map", groups=routes.MAP_GROUPS, frames={**shown, "route_places": ends},
                     height=540, labelled=["route_places"], variant=(origin, destination))
with chart_column:
    st.subheader(_("Distance"))
    route_widgets.distance_chart(lengths, trip, _)
    widgets.table(lengths, _, download=f"routes-{origin}-{destination}.csv", route_id=None, legs=None)

st.subheader(_("Published figures, source by source"))
st.caption(_("Each row is one source's figure, beside the length computed for the route; figures for other "
             "trips on a route say which in their scope. Nothing is averaged."))
hidden = {"route_id": None, "days_min": None, "days_max": None, "published_km_min": None, "scenario_concerns": None,
          "scenario_days_min": None, "scenario_days_max": None}
if not scenario:
    hidden.update(scenario_days=None, scenario_km=None)
widgets.table(trip, _, download=f"route-figures-{origin}-{destination}.csv", **hidden)

st.subheader(_("Transit time"))
route_widgets.days_chart(trip, scenario is not None, _)
for kind in dict.fromkeys(s["delay"] for s in plan.get("scenarios", [])):
    delays = data.table(routes.published_delays, figures, kind, _.lang)
    with st.expander(route_widgets.delay_title(kind, _), expanded=bool(scenario) and scenario["delay"] == kind):
        widgets.table(delays, _, download=f"delays-{kind}.csv", days_min=None, days_max=None)

st.subheader(_("Length by country"))
widgets.table(data.table(routes.country_table, plan, data.catalog, data.frames, data.countries, origin, destination,
                         _.lang), _, download=f"routes-by-country-{origin}-{destination}.csv")
st.caption(_("Land legs count in the countries they cross (split at Natural Earth 1:110m borders); sea legs "
             "and the Suez Canal are counted at sea."))
