"""The tables and figures the corridor and cities pages show (and the facts' timelines and
figures every page shows), computed from the layers (`geodata/*.geojson`) and the sourced
facts (`geodata/facts/`). The railway page's own are in dashboard/railway_reports.py.

Plain functions returning DataFrames and dicts: pages only lay them out.
"""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import pandas as pd

from dashboard import analysis
from dashboard.text import format_date, safe_url

MAIN_SERIES_SCOPE = "whole TITR"

# --- the data --------------------------------------------------------------------------

def catalog_table(catalog, frames: dict[str, gpd.GeoDataFrame]) -> pd.DataFrame:
    """Every catalog layer: its title, file, features, geometry, source and check date."""
    return pd.DataFrame([{
        "layer": spec.title,
        "file": spec.file,
        "features": len(frames[spec.id]) if spec.id in frames else 0,
        "geometry": ", ".join(sorted(frames[spec.id].geom_type.unique())) if spec.id in frames else "not loaded",
        "source": spec.source,
        "last checked": spec.checked,
    } for spec in catalog.layers])


def timeline_table(events: list[dict[str, Any]]) -> pd.DataFrame:
    """Dated events in order, with their source links (http(s) only)."""
    rows = [{
        "date": e["date"],
        "when": format_date(e["date"]),
        "event": e.get("title", ""),
        "details": e.get("description", ""),
        "source": e.get("source", ""),
        "link": safe_url(e.get("url")),
        **({"city_id": e["city_id"]} if "city_id" in e else {}),
    } for e in events if isinstance(e, dict) and e.get("date")]
    columns = ["date", "when", "event", "details", "source", "link"]  # also when there is no event
    table = pd.DataFrame(rows, columns=columns + (["city_id"] if any("city_id" in r for r in rows) else []))
    return table.sort_values("date", kind="stable").reset_index(drop=True)


def key_figures(facts: dict[str, Any], ids: list[str]) -> dict[str, dict[str, Any]]:
    """The first published figure for each id (the files list the current one first)."""
    chosen: dict[str, dict[str, Any]] = {}
    for figure in facts.get("figures", []):
        if figure.get("id") in ids and figure["id"] not in chosen:
            chosen[figure["id"]] = figure
    return chosen


def facts_timeline(facts: dict[str, Any]) -> pd.DataFrame:
    """A facts file's dated events, as timeline_table shows them."""
    return timeline_table(facts.get("timeline", []))


def facts_figures(facts: dict[str, Any]) -> pd.DataFrame:
    """A facts file's published figures, as figure_table shows them."""
    return figure_table(facts.get("figures", []))


def figure_table(figures: list[dict[str, Any]]) -> pd.DataFrame:
    """Published figures, one per source, with their scope, date and link (http(s) only)."""
    return pd.DataFrame([{"figure": f.get("label"), "value": figure_text(f), "scope": f.get("scope"),
                          "as of": f.get("as_of"), "source": f.get("source"), "link": safe_url(f.get("url")),
                          "note": f.get("note")} for f in figures],
                        columns=["figure", "value", "scope", "as of", "source", "link", "note"])


def figure_text(figure: dict[str, Any]) -> str:
    """'8 US$ bn', '12–15 Mt/yr'."""
    value = f"{figure['value']:g}" if isinstance(figure["value"], (int, float)) else str(figure["value"])
    if figure.get("value_max"):
        value += f"–{figure['value_max']:g}"
    return f"{value} {figure.get('unit') or ''}".strip()


# --- the corridor ------------------------------------------------------------------------

def leg_table(legs: gpd.GeoDataFrame) -> pd.DataFrame:
    """Each leg with its mode, status, countries, computed length and published transit, if any."""
    published = legs["published_distance_km"] if "published_distance_km" in legs else pd.Series(None, index=legs.index)
    transit = legs["published_transit"] if "published_transit" in legs else pd.Series(None, index=legs.index)
    return pd.DataFrame({
        "from": legs["from"].values,
        "to": legs["to"].values,
        "mode": legs["mode"].values,
        "route": legs["route"].values if "route" in legs else None,
        "status": legs["status"].values if "status" in legs else None,
        "countries": [", ".join(analysis.country_name(c) for c in cs) for cs in legs["countries"]],
        "km_computed": legs.geometry.apply(analysis.length_km).round(0).values,
        "km_published": published.values,
        "published_transit": transit.values,
    })


def lengths_by_mode(legs: gpd.GeoDataFrame) -> pd.Series:
    """Computed km by mode (rail, road, sea)."""
    return analysis.lengths_by(legs, "mode").round(0)


def lengths_by_country(legs: gpd.GeoDataFrame, countries: gpd.GeoDataFrame) -> pd.DataFrame:
    """Computed km by country, sea crossings apart: a table of country and km."""
    return analysis.lengths_by_country(legs, countries).round(0).rename_axis("country").reset_index()


def volume_series(facts: dict[str, Any]) -> pd.DataFrame:
    """Yearly cargo on the whole route (one source's series), for a chart, with its source."""
    rows = [v for v in facts.get("volumes", []) if v.get("scope") == MAIN_SERIES_SCOPE and v.get("tonnes_mt") is not None]
    sources = {}
    for v in rows:
        sources.setdefault(v["year"], v)  # the first entry per year is the series' own source
    return pd.DataFrame([
        {"year": str(y), "million_tonnes": v["tonnes_mt"], "source": v["source"], "link": safe_url(v.get("url"))}
        for y, v in sorted(sources.items())
    ])


def volume_table(facts: dict[str, Any]) -> pd.DataFrame:
    """Every published volume figure, each with its scope and source."""
    return pd.DataFrame([{
        "year": v["year"], "million_tonnes": v.get("tonnes_mt"), "teu": v.get("teu"), "scope": v.get("scope"),
        "source": v.get("source"), "link": safe_url(v.get("url")), "note": v.get("note"),
    } for v in facts.get("volumes", [])])


def transit_table(facts: dict[str, Any]) -> pd.DataFrame:
    """Published transit times, each with its date and source."""
    return pd.DataFrame([{
        "route": t["label"],
        "days": f"{t['days_min']:g}" if t["days_min"] == t["days_max"] else f"{t['days_min']:g}–{t['days_max']:g}",
        "days_min": t["days_min"], "days_max": t["days_max"],
        "as_of": t.get("as_of"), "source": t.get("source"), "link": safe_url(t.get("url")), "note": t.get("note"),
    } for t in facts.get("transit_days", [])])


# --- the cities --------------------------------------------------------------------------

def city_events(cities: gpd.GeoDataFrame, years: tuple[int, int] | None = None) -> pd.DataFrame:
    """Every event of every city, in date order, optionally within a range of years."""
    events = [{**e, "title": f"{city['name']}: {e.get('title', '')}", "city_id": city["id"]}
              for _, city in cities.iterrows() for e in city["events"] if isinstance(e, dict)]
    table = timeline_table(events)
    if years is not None:
        year = table["date"].str[:4].astype(int)
        table = table[(year >= years[0]) & (year <= years[1])].reset_index(drop=True)
    return table


def event_years(cities: gpd.GeoDataFrame) -> tuple[int, int] | None:
    """The first and last year of any city event (None when no city has one)."""
    years = [int(e["date"][:4]) for events in cities["events"] for e in events if isinstance(e, dict)]
    return (min(years), max(years)) if years else None


def cities_with_events_in(cities: gpd.GeoDataFrame, years: tuple[int, int] | None) -> gpd.GeoDataFrame:
    """The cities that have at least one event within the years (all of them without years)."""
    if years is None:
        return cities
    keep = cities["events"].apply(
        lambda events: any(years[0] <= int(e["date"][:4]) <= years[1] for e in events if isinstance(e, dict))
    )
    return cities[keep]


def city_table(cities: gpd.GeoDataFrame) -> pd.DataFrame:
    """All cities with their country, roles and number of events."""
    return pd.DataFrame({
        "city": cities["name"].values,
        "country": cities["country_name"].values,
        "roles": [", ".join(r) for r in cities["roles"]],
        "events": [len(e) for e in cities["events"]],
    })
