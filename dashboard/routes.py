"""The routes China → Europe: each route's legs between an origin and a destination, their
lengths computed from the drawn geometry, the published figures beside them, and scenarios.

geodata/facts/routes.json composes each route of legs of the corridor's and the routes' layers
(`layer:id`): the legs `from` each origin, the `trunk`, the legs `to` each destination.
geodata/facts/route_figures.json holds what was published: distances, transit days and costs,
each with its source, and the published delays the scenarios start from. A scenario adds the
days a visitor states to the routes it concerns: its result is labelled a scenario, never shown
as a published figure.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import geopandas as gpd
import pandas as pd
from babel.numbers import format_decimal

from dashboard import analysis
from dashboard.catalog import Catalog
from dashboard.catalog_text import catalog_in
from dashboard.data_text import names_in, text_in
from dashboard.i18n import DEFAULT, Translator
from dashboard.text import safe_url

LEG_COLUMNS = ["id", "name", "names", "mode", "mode_ru", "mode_zh", "countries", "geometry"]
NO_SCENARIO = "published"
DIVERTED = ("suez", "cape")  # with the Red Sea closed, the Suez route sails the Cape route's way
# the map of the routes page: a group per route, and the trip's two ends
MAP_GROUPS = ("route-middle", "route-northern", "route-suez", "route-cape", "route-ends")


def route_ids(routes: Mapping[str, Any]) -> list[str]:
    return [route["id"] for route in routes.get("routes", [])]


def route(routes: Mapping[str, Any], route_id: str) -> dict[str, Any]:
    return next(r for r in routes.get("routes", []) if r["id"] == route_id)


def route_legs(routes: Mapping[str, Any], frames: Mapping[str, gpd.GeoDataFrame], route_id: str,
               origin: str, destination: str) -> gpd.GeoDataFrame:
    """The legs of a route from `origin` to `destination`, in order (empty if the route does
    not go between them); a leg the layers do not hold (left out with a problem) is missing."""
    chosen = route(routes, route_id)
    if origin not in chosen["from"] or destination not in chosen["to"]:
        return gpd.GeoDataFrame(columns=LEG_COLUMNS, geometry="geometry", crs="EPSG:4326")
    parts = []
    for ref in [*chosen["from"][origin], *chosen["trunk"], *chosen["to"][destination]]:
        layer, leg_id = ref.split(":", 1)
        frame = frames.get(layer)
        if frame is not None:
            parts.append(frame.loc[frame["id"] == leg_id].reindex(columns=LEG_COLUMNS))
    if not parts:
        return gpd.GeoDataFrame(columns=LEG_COLUMNS, geometry="geometry", crs="EPSG:4326")
    return gpd.GeoDataFrame(pd.concat(parts, ignore_index=True), geometry="geometry", crs="EPSG:4326")


def missing_legs(routes: Mapping[str, Any], frames: Mapping[str, gpd.GeoDataFrame]) -> list[str]:
    """The `layer:id` legs the routes name that the layers do not hold."""
    held = {f"{layer}:{leg}" for layer, frame in frames.items() for leg in frame["id"]}
    named = [ref for r in routes.get("routes", []) for refs in (*r["from"].values(), r["trunk"], *r["to"].values())
             for ref in refs]
    return sorted(set(named) - held)


def route_frames(routes: Mapping[str, Any], catalog: Catalog, frames: Mapping[str, gpd.GeoDataFrame],
                 origin: str, destination: str) -> dict[str, gpd.GeoDataFrame]:
    """Each route's layer id -> its legs between origin and destination: what the map draws."""
    drawn = {r["layer"]: route_legs(routes, frames, r["id"], origin, destination) for r in routes.get("routes", [])
             if r["layer"] in {spec.id for spec in catalog.layers}}
    return {layer: legs for layer, legs in drawn.items() if len(legs)}


def trip_ends(places: gpd.GeoDataFrame, origin: str, destination: str) -> gpd.GeoDataFrame:
    """The trip's origin and destination, as the map marks them."""
    return places[places["id"].isin([origin, destination])]


def route_titles(routes: Mapping[str, Any], catalog: Catalog) -> dict[str, str]:
    """route id -> the title of its map group (in the catalog's language)."""
    groups = {g.id: g.title for g in catalog.groups}
    layers = {spec.id: spec.group for spec in catalog.layers}
    return {r["id"]: groups.get(layers.get(r["layer"]), r["id"]) for r in routes.get("routes", [])}


def route_lengths(routes: Mapping[str, Any], catalog: Catalog, frames: Mapping[str, gpd.GeoDataFrame],
                  origin: str, destination: str, lang: str = DEFAULT) -> pd.DataFrame:
    """Per route (titled as its map group, in `lang`): the geodesic length of its drawn legs, by
    mode, and how many countries its land legs cross."""
    titles = route_titles(routes, catalog_in(catalog, lang))
    rows = []
    for route_id in route_ids(routes):
        legs = route_legs(routes, frames, route_id, origin, destination)
        if not len(legs):
            continue
        km = legs.geometry.map(analysis.length_km)
        by_mode = km.groupby(legs["mode"].to_numpy()).sum()
        land = legs[legs["mode"] == "rail"]
        rows.append({"route_id": route_id, "route": titles.get(route_id, route_id), "computed_km": round(km.sum()),
                     "rail_km": round(by_mode.get("rail", 0.0)),
                     "sea_km": round(by_mode.get("sea", 0.0) + by_mode.get("canal", 0.0)),
                     "countries": len({c for cs in land["countries"] for c in cs}),
                     "legs": ", ".join(names_in(legs, lang))})
    return pd.DataFrame(rows, columns=["route_id", "route", "computed_km", "rail_km", "sea_km", "countries", "legs"])


def lengths_by_country(routes: Mapping[str, Any], frames: Mapping[str, gpd.GeoDataFrame],
                       countries: gpd.GeoDataFrame, route_id: str, origin: str, destination: str) -> pd.Series:
    """km of one route per country (ISO alpha-2) and at sea (analysis.SEA), computed."""
    legs = route_legs(routes, frames, route_id, origin, destination)
    if not len(legs):
        return pd.Series(dtype=float, name="km")
    legs = legs.assign(mode=legs["mode"].where(legs["mode"] != "canal", "sea"))  # the canal is a sea crossing here
    return analysis.lengths_by_country(legs, countries)


def country_table(routes: Mapping[str, Any], catalog: Catalog, frames: Mapping[str, gpd.GeoDataFrame],
                  countries: gpd.GeoDataFrame, origin: str, destination: str, lang: str = DEFAULT) -> pd.DataFrame:
    """km per country (rows, named in `lang`; the sea apart) and route (columns), computed."""
    _ = Translator(lang)
    titles = route_titles(routes, catalog_in(catalog, lang))
    columns = {titles[route_id]: lengths_by_country(routes, frames, countries, route_id, origin, destination)
               for route_id in route_ids(routes)}
    table = pd.DataFrame({title: km for title, km in columns.items() if len(km)}).fillna(0).round(0)
    table = table.loc[table.sum(axis=1).sort_values(ascending=False).index]
    names = [_("At sea") if code == analysis.SEA else _.country(code) for code in table.index]
    return table.reset_index(drop=True).assign(country=names)[["country", *table.columns]]

def published_figures(figures: Mapping[str, Any], lengths: pd.DataFrame, origin: str, destination: str,
                      lang: str = DEFAULT) -> pd.DataFrame:
    """Every published figure of the routes shown, each on its own row beside the route's computed
    length: those of this very trip first, then those of other trips on the route (their scope
    says which). Conflicting figures stay side by side; none is averaged."""
    computed = dict(zip(lengths["route_id"], lengths["computed_km"]))
    titles = dict(zip(lengths["route_id"], lengths["route"]))
    rows = []
    for figure in figures.get("figures", []):
        if figure["route"] not in computed:
            continue
        exact = figure["from"] == origin and figure["to"] == destination
        km, km_max = figure.get("km"), figure.get("km_max")
        rows.append({
            "route_id": figure["route"], "route": titles.get(figure["route"], figure["route"]),
            "this_trip": exact, "scope": text_in(figure, "scope", lang),
            "published_km": _range_text(km, km_max, lang), "published_km_min": km, "published_nm": figure.get("nm"),
            "computed_km": computed[figure["route"]],
            "days": _range_text(figure.get("days_min"), figure.get("days_max"), lang),
            "days_min": figure.get("days_min"), "days_max": _or(figure.get("days_max"), figure.get("days_min")),
            "usd_per_feu": _range_text(figure.get("usd_per_feu"), figure.get("usd_per_feu_max"), lang),
            "cost_date": figure.get("cost_date"), "estimate": bool(figure.get("estimate")),
            "note": text_in(figure, "note", lang), "date": figure.get("date"), "source": figure.get("source"),
            "link": safe_url(figure.get("url")),
        })
    table = pd.DataFrame(rows, columns=["route_id", "route", "this_trip", "scope", "published_km", "published_km_min",
                                        "published_nm",
                                        "computed_km", "days", "days_min", "days_max", "usd_per_feu", "cost_date",
                                        "estimate", "note", "date", "source", "link"])
    for column in ("days_min", "days_max", "published_km_min", "published_nm"):
        table[column] = pd.to_numeric(table[column], errors="coerce").astype(float)
    order = {route_id: i for i, route_id in enumerate(computed)}
    return table.sort_values(["route_id", "this_trip"], key=lambda c: c.map(order) if c.name == "route_id" else ~c,
                             kind="stable").reset_index(drop=True)


def published_delays(figures: Mapping[str, Any], kind: str, lang: str = DEFAULT) -> pd.DataFrame:
    """The published delays of one kind (cape, caspian-ferry, border), each with its source."""
    return pd.DataFrame([{
        "scope": text_in(d, "scope", lang), "days": _range_text(d.get("days_min"), d.get("days_max"), lang),
        "days_min": d.get("days_min"), "days_max": d.get("days_max"), "date": d.get("date"),
        "source": d.get("source"), "link": safe_url(d.get("url")),
    } for d in figures.get("delays", []) if d["kind"] == kind],
        columns=["scope", "days", "days_min", "days_max", "date", "source", "link"])


def scenario_default_days(figures: Mapping[str, Any], kind: str) -> int:
    """The days a scenario starts with: the least published delay of its kind (0 if none)."""
    lows = [d["days_min"] for d in figures.get("delays", []) if d["kind"] == kind and d.get("days_min") is not None]
    return int(round(min(lows))) if lows else 0


def apply_scenario(published: pd.DataFrame, lengths: pd.DataFrame, routes: Mapping[str, Any],
                   scenario: str | None, days: int, lang: str = DEFAULT) -> pd.DataFrame:
    """The published figures with the scenario's transit days and distance beside them: `days`
    more on every route that passes what the scenario concerns (with the Red Sea closed, the
    Suez route's ships sail the Cape route's way: its distance is the Cape route's). A route
    passes what a scenario concerns when its `passes` names the scenario's id. Routes the
    scenario does not concern keep their published days."""
    table = published.copy()
    passes = {r["id"]: set(r.get("passes", [])) for r in routes.get("routes", [])}
    concerned = table["route_id"].map(lambda route_id: scenario is not None and
                                      scenario in passes.get(route_id, set()))
    extra = concerned.astype(int) * days
    table["scenario_concerns"] = concerned
    table["scenario_days_min"] = table["days_min"] + extra
    table["scenario_days_max"] = table["days_max"] + extra
    table["scenario_days"] = [_range_text(low, high, lang) for low, high in
                              zip(table["scenario_days_min"], table["scenario_days_max"])]
    table["scenario_km"] = table["computed_km"]
    if scenario == "red-sea":
        cape = dict(zip(lengths["route_id"], lengths["computed_km"])).get(DIVERTED[1])
        if cape is not None:
            table.loc[concerned, "scenario_km"] = cape
    return table


def _or(value: Any, default: Any) -> Any:
    return default if value is None else value


def _range_text(low: float | None, high: float | None, lang: str = DEFAULT) -> str | None:
    """'12–14', '9 908' (in the language's way of writing numbers), or None without a figure."""
    if low is None or pd.isna(low):
        return None
    if high is None or pd.isna(high) or high == low:
        return format_decimal(low, format="#,##0.#", locale=lang)
    return f"{format_decimal(low, format='#,##0.#', locale=lang)}–{format_decimal(high, format='#,##0.#', locale=lang)}"


def trip_figures(routes: Mapping[str, Any], catalog: Catalog, frames: Mapping[str, gpd.GeoDataFrame],
                 figures: Mapping[str, Any], origin: str, destination: str, scenario: str | None = None,
                 days: int = 0, lang: str = DEFAULT) -> pd.DataFrame:
    """The published figures of the trip's routes beside their computed lengths, with the
    scenario's days and distance (the published ones where there is no scenario)."""
    lengths = route_lengths(routes, catalog, frames, origin, destination, lang)
    published = published_figures(figures, lengths, origin, destination, lang)
    return apply_scenario(published, lengths, routes, scenario, days, lang)
