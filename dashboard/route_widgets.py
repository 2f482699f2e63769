"""The routes page's widgets: the trip (origin, destination), the scenario, and the charts of
distance and days per route. The URL follows what is chosen (dashboard/urlstate.py)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import geopandas as gpd
import pandas as pd
import pyarrow as pa
import streamlit as st

from dashboard import routes
from dashboard.data_text import names_in, text_in
from dashboard.i18n import N_, Translator
from dashboard.links import MAX_SCENARIO_DAYS, LinkState
from dashboard.urlstate import show_in_url

ORIGIN_KEY, DESTINATION_KEY, SCENARIO_KEY = "route_origin", "route_destination", "route_scenario"
DELAY_TITLES = {"cape": N_("Published: the days the Cape adds to a voyage via Suez"),
                "caspian-ferry": N_("Published: the Caspian ferry's crossing and round-trip times (no dated waiting "
                                    "time was found)"),
                "border": N_("Published: delays at the China–Kazakhstan border")}


def scenario_title(scenario: Mapping[str, Any], _: Translator) -> str:
    return text_in(scenario, "title", _.lang)


def delay_title(kind: str, _: Translator) -> str:
    return _(DELAY_TITLES[kind]) if kind in DELAY_TITLES else kind


def trip_pickers(link: LinkState, places: gpd.GeoDataFrame, _: Translator) -> tuple[str, str]:
    """The origin and destination select boxes (from the link the first time)."""
    names = dict(zip(places["id"], names_in(places, _.lang)))
    origins = list(places.loc[places["kind"] == "origin", "id"])
    destinations = list(places.loc[places["kind"] == "destination", "id"])
    st.session_state.setdefault(ORIGIN_KEY, link.origin if link.origin in origins else origins[0])
    st.session_state.setdefault(DESTINATION_KEY, link.destination if link.destination in destinations else destinations[0])
    first, second = st.columns(2)
    origin = first.selectbox(_("From"), origins, format_func=names.get, key=ORIGIN_KEY)
    destination = second.selectbox(_("To"), destinations, format_func=names.get, key=DESTINATION_KEY)
    show_in_url(origin=None if origin == origins[0] else origin,
                destination=None if destination == destinations[0] else destination)
    return origin, destination


def scenario_picker(link: LinkState, plan: Mapping[str, Any], figures: Mapping[str, Any],
                    _: Translator) -> tuple[dict | None, int]:
    """The scenario (none: the published figures alone) and the days it adds: each scenario
    starts from the least published delay of its kind, or the link's days."""
    scenarios = {s["id"]: s for s in plan.get("scenarios", [])}
    options = [routes.NO_SCENARIO, *scenarios]
    st.session_state.setdefault(SCENARIO_KEY, link.scenario if link.scenario in scenarios else routes.NO_SCENARIO)
    first, second = st.columns(2)
    chosen = first.selectbox(_("Scenario"), options, key=SCENARIO_KEY, format_func=lambda key: (
        _("None: the published figures") if key == routes.NO_SCENARIO else scenario_title(scenarios[key], _)))
    if chosen == routes.NO_SCENARIO:
        show_in_url(scenario=None, days=None)
        return None, 0
    scenario = scenarios[chosen]
    days_key = f"route_days_{chosen}"
    if days_key not in st.session_state:
        from_link = link.days if link.scenario == chosen and link.days is not None else None
        st.session_state[days_key] = from_link if from_link is not None else \
            routes.scenario_default_days(figures, scenario["delay"])
    days = second.slider(_("Days it adds"), 0, MAX_SCENARIO_DAYS, key=days_key,
                         help=_("Your assumption. It starts at the least delay published (listed below the chart)."))
    show_in_url(scenario=chosen, days=str(days))
    return scenario, days


def distance_chart(lengths: pd.DataFrame | pa.Table, published: pd.DataFrame | pa.Table, _: Translator) -> None:
    """Bars of each route's computed km by rail and by sea, and a tick per published distance."""
    lengths = lengths.to_pandas() if isinstance(lengths, pa.Table) else lengths
    published = published.to_pandas() if isinstance(published, pa.Table) else published
    parts = [pd.DataFrame({"route": lengths["route"], "what": label, "km": lengths[column]})
             for column, label in (("rail_km", _("by rail (computed)")), ("sea_km", _("by sea (computed)")))]
    ticks = published.loc[published["this_trip"] & published["published_km_min"].notna()]
    chart = pd.concat([*parts, pd.DataFrame({"route": ticks["route"], "what": _("published"),
                                             "km": ticks["published_km_min"]})], ignore_index=True)
    spec = {"layer": [
        {"transform": [{"filter": {"field": "what", "oneOf": [_("by rail (computed)"), _("by sea (computed)")]}}],
         "mark": {"type": "bar", "tooltip": True},
         "encoding": {"y": {"field": "route", "type": "nominal", "title": None, "sort": None, "axis": {"labelLimit": 300}},
                      "x": {"field": "km", "type": "quantitative", "title": _("km"), "stack": "zero"},
                      "color": {"field": "what", "type": "nominal", "title": None,
                                "legend": {"orient": "bottom", "direction": "vertical", "labelLimit": 300}}}},
        {"transform": [{"filter": {"field": "what", "equal": _("published")}}],
         "mark": {"type": "tick", "thickness": 3, "size": 22, "color": "#17202a", "tooltip": True},
         "encoding": {"y": {"field": "route", "type": "nominal", "sort": None}, "x": {"field": "km", "type": "quantitative"}}},
    ]}
    st.vega_lite_chart(chart, spec, width="stretch")


def days_chart(figures: pd.DataFrame | pa.Table, scenario: bool, _: Translator) -> None:
    """Each published transit time as a range of days, one bar per source's figure; with a
    scenario, its days as a bar of their own beside each."""
    frame = figures.to_pandas() if isinstance(figures, pa.Table) else figures
    frame = frame[frame["days_min"].notna()].copy()
    if not len(frame):
        st.info(_("No transit time is published for these routes."))
        return
    frame["figure"] = frame["route"] + " · " + frame["scope"].fillna("") + " · " + frame["source"].fillna("").str[:40]
    rows = [frame.assign(kind=_("published"), low=frame["days_min"], high=frame["days_max"])]
    if scenario:
        rows.append(frame.assign(kind=_("scenario (not published)"), low=frame["scenario_days_min"],
                                 high=frame["scenario_days_max"]))
    chart = pd.concat(rows, ignore_index=True)[["figure", "route", "kind", "low", "high", "source"]]
    spec = {"mark": {"type": "bar", "height": {"band": 0.8}, "tooltip": True}, "encoding": {
        "y": {"field": "figure", "type": "nominal", "title": None, "sort": None, "axis": {"labelLimit": 460}},
        "yOffset": {"field": "kind", "type": "nominal"},
        "x": {"field": "low", "type": "quantitative", "title": _("days"), "scale": {"zero": True}},
        "x2": {"field": "high"},
        "color": {"field": "route", "type": "nominal", "title": None, "legend": {"orient": "bottom"}},
        "opacity": {"field": "kind", "type": "nominal", "title": None,
                    "scale": {"range": [1, 0.45]}, "legend": {"orient": "bottom"} if scenario else None}}}
    st.vega_lite_chart(chart, spec, width="stretch")
