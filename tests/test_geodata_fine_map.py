"""The geodata's lines and places held to a fine map (Natural Earth 1:10m, tests/fine_map.py),
not to the 1:110m outline the light base map draws: rail and road on land and off lakes and
reservoirs, ferries at sea but for their port approaches, every country a line runs through
named in its `countries`, every place in its country."""

from __future__ import annotations

import functools
import json

import fine_map
import geopandas as gpd
import pytest
import shapely
from shapely.geometry import shape

from helpers import ROOT

TOLERANCE_M = 1_000  # a trace is approximate: 1 km either side of a shore or border
PORT_APPROACH_M = 10_000  # a ferry leaves and reaches its quay over land-locked basins
FEW_KM = 5  # a line that runs less than this through a country need not name it (1:10m borders)
# Natural Earth draws the Baikonur lease as its own unit; it is Kazakh territory leased to Russia
SOVEREIGN = {"Baikonur": "KZ"}


def features(layer: str) -> list[dict]:
    return json.loads((ROOT / "geodata" / f"{layer}.geojson").read_text(encoding="utf-8"))["features"]


LINES = [{**f, "layer": layer} for layer in ("cku_railway", "corridor_legs", "route_legs") for f in features(layer)]
PLACES = [{**f, "layer": layer} for layer in ("cities", "cku_stations", "corridor_nodes", "route_places")
          for f in features(layer)]


def key(feature: dict) -> tuple[str, str]:
    return feature["layer"], feature["properties"]["id"]


class Around:
    """A feature in metres, and the fine map's land, lakes and countries around it (each read
    when first asked for: a place needs only the countries)."""

    def __init__(self, layer: str, feature_id: str):
        feature = next(f for f in features(layer) if f["properties"]["id"] == feature_id)
        self.geometry = shape(feature["geometry"])
        self.crs = fine_map.local_crs(self.geometry)
        self.local = gpd.GeoSeries([self.geometry], crs=4326).to_crs(self.crs).iloc[0]

    @functools.cached_property
    def land(self):
        return shapely.union_all(fine_map.near(fine_map.land(), self.geometry, self.crs).values)

    @functools.cached_property
    def lakes(self):
        return shapely.union_all(fine_map.near(fine_map.lakes(), self.geometry, self.crs).values)

    @functools.cached_property
    def countries(self):
        return fine_map.near(fine_map.countries(), self.geometry, self.crs)


@functools.cache
def around(feature: tuple[str, str]) -> Around:
    return Around(*feature)


def km(geometry) -> float:
    return round(geometry.length / 1000, 1)


@pytest.mark.parametrize("feature", [f for f in LINES if f["properties"].get("mode", "rail") in ("rail", "road")],
                         ids=lambda f: f["properties"]["id"])
def test_rail_and_road_lines_are_on_land_and_off_lakes(feature):
    line = around(key(feature))
    assert km(line.local.difference(line.land.buffer(TOLERANCE_M))) == 0, "off land (km)"
    assert km(line.local.intersection(line.lakes.buffer(-TOLERANCE_M))) == 0, "in a lake or reservoir (km)"


@pytest.mark.parametrize("feature", [f for f in LINES if f["properties"].get("mode") == "sea"],
                         ids=lambda f: f["properties"]["id"])
def test_sea_legs_are_at_sea_but_for_their_port_approaches(feature):
    leg = around(key(feature))
    ports = shapely.MultiPoint([leg.local.coords[0], leg.local.coords[-1]]).buffer(PORT_APPROACH_M)
    assert km(leg.local.difference(ports).intersection(leg.land.buffer(-TOLERANCE_M))) == 0, "over land (km)"


@pytest.mark.parametrize("feature", LINES, ids=lambda f: f["properties"]["id"])
def test_every_country_a_line_runs_through_is_named(feature):
    line = around(key(feature))
    properties = feature["properties"]
    named = set(properties["countries"] if "countries" in properties else [properties["country"]])
    through = {}
    for country in line.countries.itertuples():
        code = SOVEREIGN.get(country.code, country.code)
        through[code] = through.get(code, 0) + line.local.intersection(country.geometry).length / 1000
    unnamed = {code: round(length) for code, length in through.items() if length > FEW_KM and code not in named}
    assert not unnamed, f"runs through {unnamed} (km) but names {sorted(named)}"


@pytest.mark.parametrize("feature", PLACES, ids=lambda f: f["properties"]["id"])
def test_every_place_lies_in_its_country(feature):
    place = around(key(feature))
    countries, country = place.countries, feature["properties"]["country"]
    found = countries[[SOVEREIGN.get(code, code) == country for code in countries.code]]
    assert len(found), f"no {country} near the place"
    outside_km = found.distance(place.local).min() / 1000
    assert outside_km <= TOLERANCE_M * 2 / 1000, f"{outside_km:.1f} km outside {country}"


def test_the_fine_map_tells_land_from_water():
    """The reference itself: the Caspian and Issyk-Kul are not land, Kapchagay is a lake, Almaty is
    in Kazakhstan (so a test above that passes is not passing on an empty map)."""
    land = shapely.union_all(fine_map.land().clip((45, 35, 80, 48)).values)
    lakes = fine_map.lakes()
    assert not land.contains(shapely.Point(51.0, 42.0)) and land.contains(shapely.Point(76.9, 43.25))
    assert lakes.contains(shapely.Point(77.3, 42.45)).any() and lakes.contains(shapely.Point(77.6, 43.85)).any()
    countries = fine_map.countries()
    assert countries[countries.contains(shapely.Point(76.9, 43.25))].code.tolist() == ["KZ"]


def test_the_railway_crosses_from_china_into_kyrgyzstan_at_the_torugart_pass():
    countries = fine_map.countries().set_index("code").geometry
    border = countries["CN"].buffer(0.01).intersection(countries["KG"].buffer(0.01))  # a band ~2 km wide
    railway = shapely.union_all([shape(f["geometry"]) for f in features("cku_railway")])
    crossings = shapely.get_parts(railway.intersection(border))
    torugart = shapely.Point(next(f for f in features("cku_stations")
                                  if f["properties"]["id"] == "torugart")["geometry"]["coordinates"])
    assert len(crossings)
    for crossing in crossings:  # within ~5 km: another pass (Irkeshtam, Bedel) is 100 km away or more
        assert crossing.centroid.distance(torugart) < 0.05, f"crosses at {crossing.centroid}"
