"""Figures computed from the geometry: geodesic lengths (pyproj.Geod on WGS84),
chainages along the railway, distances between places and to lines.

Every length the app shows comes from here, never typed into a page.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pycountry
from pyproj import CRS, Geod
from shapely.geometry import LineString, Point
from shapely.ops import linemerge, substring

GEOD = Geod(ellps="WGS84")
SEA = "sea"  # the key of the sea crossings among the countries' codes


def length_km(geometry) -> float:
    """Geodesic length of a (multi)line in kilometres."""
    return GEOD.geometry_length(geometry) / 1000


def distance_km(a: Point, b: Point) -> float:
    """Geodesic distance between two lon/lat points in kilometres."""
    return GEOD.inv(a.x, a.y, b.x, b.y)[2] / 1000


def distance_to_lines_km(point: Point, lines: gpd.GeoSeries) -> float:
    """Shortest distance from a point to any of the lines, in kilometres, measured in an
    azimuthal equidistant projection centred on the point (exact for distances from it)."""
    local = CRS.from_proj4(f"+proj=aeqd +lat_0={point.y} +lon_0={point.x} +datum=WGS84 +units=m")
    # densified first: straight segments in lon/lat are curves in the local projection
    dense = gpd.GeoSeries(lines.values, crs="EPSG:4326").segmentize(0.05)
    projected = dense.to_crs(local)
    return float(projected.distance(Point(0, 0)).min()) / 1000


def lengths_by(frame: gpd.GeoDataFrame, column: str) -> pd.Series:
    """Total geodesic length (km) of the frame's lines grouped by a property."""
    km = frame.geometry.apply(length_km)
    return km.groupby(frame[column]).sum().sort_values(ascending=False).rename("km")


def railway_line(segments: gpd.GeoDataFrame) -> LineString:
    """The railway's segments joined into one line, in their order in the file."""
    merged = linemerge(list(segments.geometry))
    if merged.geom_type != "LineString":
        raise ValueError("the railway segments do not join into one line")
    return merged


def chainage_km(line: LineString, points: gpd.GeoSeries) -> pd.Series:
    """Distance along the line from its start to each point's nearest place on it (km)."""

    def along(point: Point) -> float:
        position = line.project(point)
        return length_km(substring(line, 0, position)) if position > 0 else 0.0

    return points.apply(along).rename("km_from_start")


def lengths_by_country(legs: gpd.GeoDataFrame, countries: gpd.GeoDataFrame) -> pd.Series:
    """Geodesic length (km) of the legs per country (ISO alpha-2 code), sea legs apart (SEA).

    Each land leg counts only in the countries it declares (`countries`, ISO alpha-2): a
    one-country leg wholly, a cross-border leg split in proportion to its length inside
    each declared country's Natural Earth 1:110m borders (coarse borders alone would put
    lines that run along a border into the neighbour).
    """
    iso2 = countries["iso_a3"].map(alpha2)
    totals: dict[str, float] = {}
    for _, leg in legs.iterrows():
        km = length_km(leg.geometry)
        declared = list(leg["countries"])
        if leg["mode"] == "sea":
            shares = {SEA: 1.0}
        elif len(declared) == 1:
            shares = {declared[0]: 1.0}
        else:
            inside = {
                code: length_km(leg.geometry.intersection(shape))
                for code, shape in zip(iso2, countries.geometry)
                if code in declared
            }
            whole = sum(inside.values())
            shares = {code: part / whole for code, part in inside.items()} if whole else {declared[0]: 1.0}
        for code, share in shares.items():
            totals[code] = totals.get(code, 0.0) + km * share
    return pd.Series(totals, name="km").sort_values(ascending=False)


def alpha2(alpha3: str | None) -> str | None:
    """'KAZ' -> 'KZ' (ISO 3166 via pycountry); None for an unknown code."""
    country = pycountry.countries.get(alpha_3=alpha3) if isinstance(alpha3, str) else None
    return country.alpha_2 if country else None
