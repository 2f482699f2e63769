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
from dashboard.catalog_text import catalog_in
from dashboard.data_text import column_in, names_in, text_in
from dashboard.i18n import DEFAULT, Translator
from dashboard.text import format_date, safe_url

MAIN_SERIES_SCOPE = "whole TITR"

# --- the data --------------------------------------------------------------------------

def catalog_table(catalog, frames: dict[str, gpd.GeoDataFrame], lang: str = DEFAULT) -> pd.DataFrame:
    """Every catalog layer with a file of its own: its title and description (in `lang`), file,
    features, geometry, source and check date."""
    return pd.DataFrame([{
        "layer": spec.title,
        "description": spec.description,
        "file": spec.file,
        "features": len(frames[spec.id]) if spec.id in frames else 0,
        "geometry": ", ".join(sorted(frames[spec.id].geom_type.unique())) if spec.id in frames else "not loaded",
        "source": spec.source,
        "last checked": spec.checked,
    } for spec in catalog_in(catalog, lang).layers if not spec.drawn_from])


def timeline_table(events: list[dict[str, Any]], lang: str = DEFAULT) -> pd.DataFrame:
    """Dated events in order (their texts in `lang` where translated), with their source links
    (http(s) only)."""
    rows = [{
        "date": e["date"],
        "when": format_date(e["date"]),
        "event": text_in(e, "title", lang) or "",
        "details": text_in(e, "description", lang) or "",
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


def facts_timeline(facts: dict[str, Any], lang: str = DEFAULT) -> pd.DataFrame:
    """A facts file's dated events, as timeline_table shows them."""
    return timeline_table(facts.get("timeline", []), lang)


def facts_figures(facts: dict[str, Any], lang: str = DEFAULT) -> pd.DataFrame:
    """A facts file's published figures, as figure_table shows them."""
    return figure_table(facts.get("figures", []), lang)


def figure_table(figures: list[dict[str, Any]], lang: str = DEFAULT) -> pd.DataFrame:
    """Published figures, one per source, with their scope, date and link (http(s) only)."""
    return pd.DataFrame([{"figure": text_in(f, "label", lang), "value": figure_text(f, lang),
                          "scope": text_in(f, "scope", lang), "as of": f.get("as_of"), "source": f.get("source"),
                          "link": safe_url(f.get("url")), "note": text_in(f, "note", lang)} for f in figures],
                        columns=["figure", "value", "scope", "as of", "source", "link", "note"])


def figure_text(figure: dict[str, Any], lang: str = DEFAULT) -> str:
    """'8 US$ bn', '12–15 Mt/yr' (8 млрд $: the number and unit in `lang`)."""
    _ = Translator(lang)
    value = figure["value"]
    value = _.number(value, 3) if isinstance(value, (int, float)) else str(value)
    if figure.get("value_max"):
        value += f"–{_.number(figure['value_max'], 3)}"
    return f"{value} {text_in(figure, 'unit', lang) or ''}".strip()


# --- the corridor ------------------------------------------------------------------------

def leg_table(legs: gpd.GeoDataFrame, lang: str = DEFAULT) -> pd.DataFrame:
    """Each leg with its mode, status, countries, computed length and published transit, if any
    (texts in `lang` where translated)."""
    published = legs["published_distance_km"] if "published_distance_km" in legs else pd.Series(None, index=legs.index)
    _ = Translator(lang)
    return pd.DataFrame({
        **{field: column_in(legs, field, lang).values for field in ("from", "to", "mode", "route", "status")},
        "countries": [", ".join(_.country(c) for c in cs) for cs in legs["countries"]],
        "km_computed": legs.geometry.apply(analysis.length_km).round(0).values,
        "km_published": published.values,
        "published_transit": column_in(legs, "published_transit", lang).values,
    })


def lengths_by_mode(legs: gpd.GeoDataFrame) -> pd.Series:
    """Computed km by mode (rail, road, sea)."""
    return analysis.lengths_by(legs, "mode").round(0)


def lengths_by_country(legs: gpd.GeoDataFrame, countries: gpd.GeoDataFrame, lang: str = DEFAULT) -> pd.DataFrame:
    """Computed km by country (named in `lang`), sea crossings apart: a table of country and km."""
    _ = Translator(lang)
    km = analysis.lengths_by_country(legs, countries).round(0)
    names = [_("Sea crossings") if code == analysis.SEA else _.country(code) for code in km.index]
    return pd.DataFrame({"country": names, "km": km.values})


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


def volume_table(facts: dict[str, Any], lang: str = DEFAULT) -> pd.DataFrame:
    """Every published volume figure, each with its scope and source."""
    return pd.DataFrame([{
        "year": v["year"], "million_tonnes": v.get("tonnes_mt"), "teu": v.get("teu"),
        "scope": text_in(v, "scope", lang), "source": v.get("source"), "link": safe_url(v.get("url")),
        "note": text_in(v, "note", lang),
    } for v in facts.get("volumes", [])])


def transit_table(facts: dict[str, Any], lang: str = DEFAULT) -> pd.DataFrame:
    """Published transit times, each with its date and source."""
    return pd.DataFrame([{
        "route": text_in(t, "label", lang),
        "days": f"{t['days_min']:g}" if t["days_min"] == t["days_max"] else f"{t['days_min']:g}–{t['days_max']:g}",
        "days_min": t["days_min"], "days_max": t["days_max"],
        "as_of": t.get("as_of"), "source": t.get("source"), "link": safe_url(t.get("url")),
        "note": text_in(t, "note", lang),
    } for t in facts.get("transit_days", [])])


# --- the cities --------------------------------------------------------------------------

def city_events(cities: gpd.GeoDataFrame, years: tuple[int, int] | None = None,
                lang: str = DEFAULT) -> pd.DataFrame:
    """Every event of every city, in date order, optionally within a range of years (texts and
    names in `lang` where the data has them)."""
    events = [{**e, "title": f"{name}: {text_in(e, 'title', lang) or ''}", "city_id": city["id"]}
              for name, (_, city) in zip(names_in(cities, lang), cities.iterrows())
              for e in city["events"] if isinstance(e, dict)]
    events = [{key: value for key, value in e.items() if not key.startswith("title_")} for e in events]
    table = timeline_table(events, lang)
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


def city_table(cities: gpd.GeoDataFrame, lang: str = DEFAULT) -> pd.DataFrame:
    """All cities with their country, roles and number of events, in `lang`."""
    _ = Translator(lang)
    return pd.DataFrame({
        "city": names_in(cities, lang).values,
        "country": [_.country(code) for code in cities["country"]],
        "roles": [", ".join(r) for r in column_in(cities, "roles", lang)],
        "events": [len(e) for e in cities["events"]],
    })
