"""The routes China → Europe: composed of real legs, lengths computed from the drawn geometry,
the published figures beside them, and scenarios that add exactly what they state."""

from __future__ import annotations

import json
import os

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pyproj import Geod

from dashboard import routes
from dashboard.catalog import CATALOG_FILE, load_catalog
from dashboard.dataset import data_folders, load_dataset
from dashboard.facts import checked_facts

from helpers import ROOT

GEOD = Geod(ellps="WGS84")
PLAN = json.loads((ROOT / "geodata" / "facts" / "routes.json").read_text(encoding="utf-8"))
ORIGINS, DESTINATIONS = ("xian", "lianyungang", "shanghai"), ("duisburg", "istanbul", "constanta")
EXAMPLES = int(os.environ.get("GEODATA_EXAMPLES", 60))


@pytest.fixture(scope="module")
def data():
    return load_dataset(CATALOG_FILE, data_folders(CATALOG_FILE))


def raw_legs() -> dict[str, list]:
    """Every leg's coordinates, by layer:id, read from the files themselves."""
    found = {}
    for layer in ("corridor_legs", "route_legs"):
        for feature in json.loads((ROOT / "geodata" / f"{layer}.geojson").read_text(encoding="utf-8"))["features"]:
            found[f"{layer}:{feature['properties']['id']}"] = feature["geometry"]["coordinates"]
    return found


def path_of(route_id: str, origin: str, destination: str) -> list[str]:
    route = next(r for r in PLAN["routes"] if r["id"] == route_id)
    return [*route["from"][origin], *route["trunk"], *route["to"][destination]]


def test_every_route_goes_from_every_origin_to_every_destination_over_legs_the_layers_hold(data):
    assert routes.missing_legs(PLAN, data.frames) == []
    for route in PLAN["routes"]:
        assert set(route["from"]) == set(ORIGINS) and set(route["to"]) == set(DESTINATIONS), route["id"]


@pytest.mark.parametrize("route_id", ["middle", "northern", "suez", "cape"])
@pytest.mark.parametrize("origin", ORIGINS)
@pytest.mark.parametrize("destination", DESTINATIONS)
def test_each_route_is_one_unbroken_line_from_the_origin_to_the_destination(route_id, origin, destination):
    """Each leg starts where the one before it ended (either way round), within 30 km: a route
    that jumped a gap would be shorter than the line drawn."""
    coordinates = raw_legs()
    legs = [coordinates[ref] for ref in path_of(route_id, origin, destination)]
    ends = {tuple(legs[0][0]), tuple(legs[0][-1])}
    for leg in legs[1:]:
        gaps = {(end, index): GEOD.inv(*end, *leg[index])[2] / 1000 for end in ends for index in (0, -1)}
        (_, joined_at), gap = min(gaps.items(), key=lambda item: item[1])
        assert gap < 30, f"{route_id} {origin}→{destination}: {gap:.0f} km between legs"
        ends = {tuple(leg[-1 if joined_at == 0 else 0])}  # the line goes on from the leg's other end


def test_the_computed_lengths_are_the_geodesic_lengths_of_the_legs_drawn(data):
    lengths = routes.route_lengths(PLAN, data.catalog, data.frames, "xian", "duisburg")
    coordinates = raw_legs()
    for route_id, km in zip(lengths["route_id"], lengths["computed_km"]):
        expected = sum(GEOD.line_length(*zip(*coordinates[ref])) for ref in path_of(route_id, "xian", "duisburg")) / 1000
        assert km == pytest.approx(expected, abs=1), route_id
    by_route = lengths.set_index("route_id")
    assert (abs(by_route["rail_km"] + by_route["sea_km"] - by_route["computed_km"]) <= 1).all()
    # the sea routes sail, the Northern corridor does not
    assert by_route.loc["northern", "sea_km"] == 0 and by_route.loc["suez", "sea_km"] > 15_000


def test_the_sea_routes_drawn_match_the_published_sea_distances(data):
    """Shanghai → Rotterdam: 10,600 nm via Suez and 13,800 nm round the Cape (port economics
    figures, SOURCES.md §7). The lanes drawn come within 5 % of them."""
    coordinates = raw_legs()
    for route_id, nm in (("suez", 10_600), ("cape", 13_800)):
        refs = [ref for ref in path_of(route_id, "shanghai", "duisburg") if ":sea-" in ref or ":canal-" in ref]
        km = sum(GEOD.line_length(*zip(*coordinates[ref])) for ref in refs) / 1000
        assert km == pytest.approx(nm * 1.852, rel=0.05), route_id


def test_length_by_country_counts_land_in_its_countries_and_the_rest_at_sea(data):
    table = routes.country_table(PLAN, data.catalog, data.frames, data.countries, "xian", "duisburg").set_index("country")
    assert table.loc["Russia", "Northern corridor"] > 2000 and table.loc["Russia", "Middle Corridor"] == 0
    assert table.loc["At sea", "Middle Corridor"] > 500  # the Caspian and the Black Sea ferries
    assert table.loc["Kazakhstan", "Sea via Suez"] == 0


def test_a_route_without_the_trip_draws_nothing_and_the_map_has_one_layer_per_route(data):
    drawn = routes.route_frames(PLAN, data.catalog, data.frames, "shanghai", "constanta")
    assert set(drawn) == {"route_middle", "route_northern", "route_suez", "route_cape"}
    assert routes.route_legs(PLAN, data.frames, "middle", "paris", "duisburg").empty


# --- scenarios ----------------------------------------------------------------------------

ROUTES = ("middle", "northern", "suez", "cape")
figure_rows = st.lists(st.tuples(st.sampled_from(ROUTES), st.one_of(st.none(), st.integers(1, 60)),
                                 st.integers(0, 20)), min_size=1, max_size=12)


def published(rows) -> pd.DataFrame:
    return pd.DataFrame({"route_id": [r for r, _, _ in rows],
                         "days_min": [float("nan") if low is None else float(low) for _, low, _ in rows],
                         "days_max": [float("nan") if low is None else float(low + span) for _, low, span in rows],
                         "computed_km": [{"middle": 7000, "northern": 9000, "suez": 20000, "cape": 26000}[r]
                                         for r, _, _ in rows]})


LENGTHS = pd.DataFrame({"route_id": list(ROUTES), "computed_km": [7000, 9000, 20000, 26000]})


@settings(max_examples=EXAMPLES, deadline=None)
@given(figure_rows, st.sampled_from([None, "red-sea", "caspian-ferry", "border"]), st.integers(0, 60))
def test_a_scenario_adds_its_days_to_the_routes_it_concerns_and_leaves_the_others(rows, scenario, days):
    table = routes.apply_scenario(published(rows), LENGTHS, PLAN, scenario, days)
    concerns = {None: set(), "red-sea": {"suez"}, "caspian-ferry": {"middle"}, "border": {"middle", "northern"}}[scenario]
    for row in table.itertuples():
        added = days if row.route_id in concerns else 0
        assert row.scenario_concerns == (row.route_id in concerns)
        if pd.isna(row.days_min):
            assert pd.isna(row.scenario_days_min)  # no published time, no scenario time
        else:
            assert row.scenario_days_min == row.days_min + added and row.scenario_days_max == row.days_max + added
        # with the Red Sea closed the Suez route's ships sail the Cape's way; no other distance changes
        assert row.scenario_km == (26000 if scenario == "red-sea" and row.route_id == "suez" else row.computed_km)


def test_with_no_scenario_the_scenario_columns_are_the_published_figures():
    table = routes.apply_scenario(published([("middle", 18, 5), ("suez", 30, 10)]), LENGTHS, PLAN, None, 9)
    assert list(table["scenario_days"]) == ["18–23", "30–40"]
    assert (table["scenario_days_min"] == table["days_min"]).all() and not table["scenario_concerns"].any()


def test_each_scenario_starts_from_the_least_published_delay_of_its_kind():
    figures = {"delays": [{"kind": "cape", "days_min": 10, "days_max": 14}, {"kind": "cape", "days_min": 7, "days_max": 9},
                          {"kind": "border", "days_min": 2.4, "days_max": 5}]}
    assert routes.scenario_default_days(figures, "cape") == 7
    assert routes.scenario_default_days(figures, "border") == 2
    assert routes.scenario_default_days(figures, "caspian-ferry") == 0


def test_published_figures_stay_side_by_side_and_this_trips_come_first(data):
    figures = {"figures": [
        {"route": "northern", "from": "china", "to": "europe", "scope": "corridor", "days_min": 12, "days_max": 16,
         "source": "B", "url": "https://b.example", "date": "2024"},
        {"route": "northern", "from": "xian", "to": "duisburg", "scope": "Xi'an → Duisburg", "km": 9908,
         "days_min": 12, "days_max": 14, "source": "A", "url": "https://a.example", "date": "2024"},
        {"route": "northern", "from": "xian", "to": "duisburg", "scope": "Xi'an → Duisburg", "km": 10500,
         "source": "C", "url": "https://c.example", "date": "2023"}]}
    table = routes.trip_figures(PLAN, data.catalog, data.frames, figures, "xian", "duisburg")
    northern = table[table["route_id"] == "northern"]
    assert list(northern["source"]) == ["A", "C", "B"]  # this trip's first; conflicting 9 908 and 10 500 both kept
    assert list(northern["published_km"].iloc[:2]) == ["9,908", "10,500"]
    assert northern["computed_km"].nunique() == 1


def test_the_catalog_checks_every_route_figure_for_its_source():
    spec = load_catalog().facts["route_figures"]
    good = {"route": "suez", "from": "shanghai", "to": "rotterdam", "scope": "x", "km": 19630,
            "source": "S", "url": "https://s.example", "date": "2024-01"}
    clean, faults = checked_facts({"figures": [good, {**good, "source": ""}, {k: v for k, v in good.items() if k != "url"},
                                               {**good, "days_min": -3}], "delays": []}, spec)
    assert clean["figures"] == [good]
    assert len(faults) == 3 and all(f.startswith("figures item ") for f in faults)


def test_every_real_facts_file_passes_its_catalog_schema(data):
    assert data.record_problems == ()
    assert set(load_catalog().facts) <= set(data.facts)


def test_a_layer_drawn_from_others_has_no_file_and_a_group_off_the_overview():
    catalog = load_catalog()
    route = catalog.layer("route_suez")
    assert route.drawn_from == ("corridor_legs", "route_legs") and not route.file
    assert not next(g for g in catalog.groups if g.id == route.group).overview
