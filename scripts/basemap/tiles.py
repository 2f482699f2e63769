"""Raster tiles of the base map (Web Mercator, 256 px, WebP): shaded, tinted relief with seas,
lakes and rivers painted in. One row of tiles is drawn at a time: the elevation warped into
it, lit, tinted, and the water rasterised over it."""

from __future__ import annotations

import math
import multiprocessing
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import shapely
from affine import Affine
from PIL import Image
from pyproj import Transformer
from rasterio.features import rasterize

from scripts.basemap.relief import Elevation, shaded_relief
from scripts.basemap.water import Water

TILE = 256
MERCATOR = "EPSG:3857"
HALF_WORLD = math.pi * 6378137  # metres from the Web Mercator origin to its edge
WATER = np.array((170, 203, 228), dtype=np.uint8)
RIVER = np.array((104, 154, 206), dtype=np.uint8)
RIVERS_FROM_ZOOM = 6
EXAGGERATION = {3: 14, 4: 11, 5: 8, 6: 6, 7: 4, 8: 3, 9: 2, 10: 1.6}  # small scales need deeper relief to read
WEBP_QUALITY = 78


def world_pixels(lon: float, lat: float, zoom: int) -> tuple[float, float]:
    """A place's position in Web Mercator pixels at a zoom, from the world's top-left corner."""
    scale = TILE * 2**zoom
    r = math.radians(lat)
    return (lon + 180) / 360 * scale, (1 - math.log(math.tan(r) + 1 / math.cos(r)) / math.pi) / 2 * scale


def tile_range(zoom: int, region) -> tuple[range, range]:
    """The x and y numbers of the tiles that cover a lon/lat region."""
    west, south, east, north = region
    (left, top), (right, bottom) = world_pixels(west, north, zoom), world_pixels(east, south, zoom)
    return range(int(left // TILE), int(right // TILE) + 1), range(int(top // TILE), int(bottom // TILE) + 1)


def tile_origin(zoom: int, x: int, y: int) -> tuple[float, float]:
    """The top-left corner of a tile, in Web Mercator metres."""
    size = 2 * HALF_WORLD / 2**zoom
    return -HALF_WORLD + x * size, HALF_WORLD - y * size


@dataclass
class Painter:
    """Everything a worker needs to draw rows of tiles (shared with forked workers)."""

    elevation: Elevation
    land: list
    lakes: list
    islands: list
    rivers: list
    out: Path

    @classmethod
    def of(cls, elevation: Elevation, water: Water, out: Path) -> Painter:
        to_mercator = Transformer.from_crs("EPSG:4326", MERCATOR, always_xy=True)

        def projected(geometries):
            array = np.array(geometries, dtype=object)
            return shapely.transform(array, lambda xy: np.column_stack(to_mercator.transform(*xy.T)))

        return cls(elevation, *(projected(g) for g in (water.land, water.lakes, water.islands, water.rivers)), out)

    def row(self, zoom: int, xs: range, y: int) -> int:
        """Draw the tiles xs of row y; return how many were written."""
        cell = 2 * HALF_WORLD / 2**zoom / TILE
        left, top = tile_origin(zoom, xs[0], y)
        width = len(xs) * TILE
        # one cell of margin all round, for the slopes at the edges
        transform = Affine.translation(left - cell, top + cell) @ Affine.scale(cell, -cell)
        elevation = self.elevation.into(transform, (TILE + 2, width + 2), MERCATOR)
        latitude = math.degrees(math.atan(math.sinh((top - TILE * cell / 2) / 6378137)))
        rgb = shaded_relief(elevation, cell * math.cos(math.radians(latitude)), EXAGGERATION[zoom])
        inner = Affine.translation(left, top) @ Affine.scale(cell, -cell)
        area = shapely.box(left, top - TILE * cell, left + width * cell, top)
        tolerance = cell / 2
        land = self._mask(self.land, area, inner, (TILE, width), tolerance)
        lakes = self._mask(self.lakes, area, inner, (TILE, width), tolerance)
        islands = self._mask(self.islands, area, inner, (TILE, width), tolerance)
        rgb[(~land | lakes) & ~islands] = WATER
        if zoom >= RIVERS_FROM_ZOOM:
            rivers = self._mask(self.rivers, area, inner, (TILE, width), tolerance,
                                width=cell * 0.6 if zoom >= 8 else 0)
            rgb[rivers & land & ~lakes] = RIVER
        for i, x in enumerate(xs):
            path = self.out / str(zoom) / str(x) / f"{y}.webp"
            path.parent.mkdir(parents=True, exist_ok=True)
            Image.fromarray(rgb[:, i * TILE:(i + 1) * TILE]).save(path, "WEBP", quality=WEBP_QUALITY, method=4)
        return len(xs)

    @staticmethod
    def _mask(geometries: np.ndarray, area, transform: Affine, shape, tolerance: float, width: float = 0) -> np.ndarray:
        hits = geometries[shapely.intersects(geometries, area)]
        if not len(hits):
            return np.zeros(shape, dtype=bool)
        hits = shapely.simplify(shapely.clip_by_rect(hits, *area.bounds), tolerance)
        if width:
            hits = shapely.buffer(hits, width)
        hits = [g for g in hits if not g.is_empty]
        if not hits:
            return np.zeros(shape, dtype=bool)
        return rasterize(hits, out_shape=shape, transform=transform, all_touched=not width, dtype=np.uint8).astype(bool)


_painter: Painter | None = None


def _draw(job) -> int:
    return _painter.row(*job)


def draw(painter: Painter, plan: dict[int, tuple], progress, workers: int = 2) -> int:
    """Draw every zoom's tiles (plan: zoom -> lon/lat region), in `workers` processes."""
    global _painter
    _painter = painter
    jobs = []
    for zoom, region in plan.items():
        xs, ys = tile_range(zoom, region)
        jobs += [(zoom, xs, y) for y in ys]
    drawn = 0
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        for count in pool.imap_unordered(_draw, jobs):
            drawn += count
            progress(count)
    return drawn
