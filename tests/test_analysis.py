import geopandas as gpd
import pytest
from pyproj import Geod
from shapely.geometry import LineString, Point, box

from dashboard import analysis

GEOD = Geod(ellps="WGS84")


def test_length_is_geodesic():
    line = LineString([(70, 40), (71, 41), (73, 41.5)])
    expected = sum(GEOD.inv(*a, *b)[2] for a, b in zip(line.coords[:-1], line.coords[1:])) / 1000
    assert analysis.length_km(line) == pytest.approx(expected)
    assert analysis.length_km(LineString([(0, 0), (1, 0)])) == pytest.approx(111.32, abs=0.01)


def test_distance_to_lines():
    lines = gpd.GeoSeries([LineString([(10, 0), (20, 0)]), LineString([(50, 50), (51, 50)])])
    # one degree of latitude north of the equator line: about 110.6 km
    assert analysis.distance_to_lines_km(Point(15, 1), lines) == pytest.approx(110.57, abs=0.1)
    assert analysis.distance_km(Point(0, 0), Point(0, 1)) == pytest.approx(110.57, abs=0.1)


def test_chainage_along_a_joined_line():
    segments = gpd.GeoDataFrame(geometry=[LineString([(0, 0), (1, 0)]), LineString([(1, 0), (2, 0)])])
    line = analysis.railway_line(segments)
    km = analysis.chainage_km(line, gpd.GeoSeries([Point(0, 0), Point(1, 0.01), Point(2, 0)]))
    assert list(km.round(1)) == [0.0, 111.3, 222.6]


def test_lengths_by_country_count_only_declared_countries():
    countries = gpd.GeoDataFrame(
        {"name": ["Kazakhstan", "Kyrgyzstan", "China"], "iso_a3": ["KAZ", "KGZ", "CHN"]},
        geometry=[box(60, 42, 80, 50), box(70, 39, 80, 42), box(80, 30, 100, 50)],
    )
    legs = gpd.GeoDataFrame({
        "countries": [["KZ"], ["KZ", "CN"], ["KZ", "AZ"]],
        "mode": ["rail", "rail", "sea"],
    }, geometry=[
        LineString([(70, 41.5), (75, 41.5)]),  # drawn in "Kyrgyzstan" at this scale, declared KZ only
        LineString([(78, 45), (82, 45)]),      # half in each declared country
        LineString([(51, 43), (49.5, 40)]),
    ])
    totals = analysis.lengths_by_country(legs, countries)
    assert "KG" not in totals
    kz_only = analysis.length_km(legs.geometry[0])
    cross = analysis.length_km(legs.geometry[1])
    assert totals["KZ"] == pytest.approx(kz_only + cross / 2, rel=1e-3)
    assert totals["CN"] == pytest.approx(cross / 2, rel=1e-3)
    assert totals[analysis.SEA] == pytest.approx(analysis.length_km(legs.geometry[2]))
