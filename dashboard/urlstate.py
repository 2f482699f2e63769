"""The page's URL: what the link asks for, read once per run, and the one place that writes it.

A page calls `read_link(data)` first and passes the LinkState down; the city explorer, the
maps and the years slider put what the visitor chose back with `show_in_url`, so that a
copied link opens the same view (dashboard/links.py checks every value).
"""

from __future__ import annotations

import os

import streamlit as st

from dashboard.basemaps import basemap_ids
from dashboard.dataset import Dataset
from dashboard.i18n import Translator
from dashboard.links import LinkState, parse_link
from dashboard.reports import event_years
from dashboard.trade import trade_years

NOTIFIED_KEY = "_link_notified"  # the last link whose notices were shown (a rerun shows none again)


def read_link(data: Dataset, _: Translator) -> LinkState:
    """What the page's link asks for, checked against the data; ignored parts are named in a
    notice (in the visitor's language), once per link."""
    params = {key: st.query_params.get_all(key) for key in st.query_params}
    places = data.frames.get("route_places")
    ends = {} if places is None else {kind: list(places.loc[places["kind"] == kind, "id"])
                                      for kind in ("origin", "destination")}
    link = parse_link(params, cities=[] if data.cities is None else list(data.cities["id"]),
                      groups=[g.id for g in data.catalog.groups], basemaps=available_basemaps(),
                      year_range=None if data.cities is None else data.computed(event_years, data.cities),
                      origins=ends.get("origin", []), destinations=ends.get("destination", []),
                      scenarios=[s["id"] for s in data.facts.get("routes", {}).get("scenarios", [])],
                      trade_years=data.computed(trade_years, data.facts.get("trade", {})), _=_)
    signature = repr(sorted(params.items()))
    if link.notices and st.session_state.get(NOTIFIED_KEY) != signature:
        for notice in link.notices:
            st.toast(notice, icon="ℹ️")
    st.session_state[NOTIFIED_KEY] = signature
    return link


def available_basemaps() -> list[str]:
    """The base-map ids this server offers (CARTO's only with a key)."""
    return basemap_ids(os.environ.get("CARTO_API_KEY"))


def show_in_url(**values: str | None) -> None:
    """Put these values in the page's URL (None: take the key out); unchanged keys are not
    written again."""
    for key, value in values.items():
        if value is None:
            if key in st.query_params:
                del st.query_params[key]
        elif st.query_params.get(key) != value:
            st.query_params[key] = value
