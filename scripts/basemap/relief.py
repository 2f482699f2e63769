"""Elevation for the base map: GEBCO_2023 15″ (~460 m) over the Tian Shan and Fergana, SRTM30
2′ (~3.7 km) everywhere else, sampled into any grid; and the shaded, tinted relief drawn from it.

Marble packs SRTM30 as grey JPEG tiles whose grey is not linear in metres. The grey is
turned into metres by matching it to GEBCO where both cover the ground (the median GEBCO
elevation of each grey level), so both sources speak the same metres: no figure is typed in.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import rasterio
from affine import Affine
from PIL import Image, ImageFilter
from rasterio.enums import Resampling
from rasterio.warp import reproject

from scripts.basemap import sources

WGS84 = "EPSG:4326"
SRTM_TILE, SRTM_TILES_X, SRTM_TILES_Y = 675, 16, 8  # Marble's level 3: 10800 × 5400 over the globe
SRTM_CELL = 360 / (SRTM_TILE * SRTM_TILES_X)  # degrees: 2′
FEATHER = 0.3  # degrees over which GEBCO fades into SRTM30 at its edges (no seam)
# hypsometric tints: metres -> colour (lowland green to rock and snow), after the common
# atlas ramps; water is drawn from the water polygons, not from elevation
TINTS = [(-200, (197, 219, 172)), (0, (200, 221, 172)), (300, (222, 229, 182)), (700, (237, 231, 190)),
         (1200, (236, 219, 177)), (2000, (226, 203, 163)), (3000, (214, 190, 158)), (4000, (222, 214, 206)),
         (5000, (240, 238, 235)), (7000, (252, 252, 252))]


@dataclass
class Grid:
    """A raster in WGS84 longitude/latitude: values (NaN where there are none) and transform."""

    values: np.ndarray
    transform: Affine


class Elevation:
    """Metres above sea level from GEBCO where it is, SRTM30 elsewhere, for a region."""

    def __init__(self, west: float, south: float, east: float, north: float):
        self.bounds = (west, south, east, north)

    @cached_property
    def gebco(self) -> Grid:
        with rasterio.open(sources.path("gebco")) as dataset:  # netCDF3, lon/lat cells
            values = dataset.read(1).astype(np.float32)
            values[values == dataset.nodata] = np.nan
            return Grid(values, dataset.transform)

    @cached_property
    def srtm_grey(self) -> Grid:
        """Marble's grey levels over the region (2′ cells), assembled from its JPEG tiles."""
        west, south, east, north = self.bounds
        cols = range(int((west + 180) // 22.5), int((east + 180) // 22.5) + 1)
        rows = range(int((90 - north) // 22.5), int((90 - south) // 22.5) + 1)
        folder = sources.path("srtm30")
        mosaic = np.zeros((len(rows) * SRTM_TILE, len(cols) * SRTM_TILE), dtype=np.uint8)
        for i, row in enumerate(rows):
            for j, col in enumerate(cols):
                tile = Image.open(folder / f"{row:06d}" / f"{row:06d}_{col:06d}.jpg").convert("L")
                tile = tile.filter(ImageFilter.GaussianBlur(1))  # JPEG's 8 × 8 blocks would show as terraces
                mosaic[i * SRTM_TILE:(i + 1) * SRTM_TILE, j * SRTM_TILE:(j + 1) * SRTM_TILE] = np.asarray(tile)
        origin = Affine.translation(-180 + cols[0] * 22.5, 90 - rows[0] * 22.5)
        return Grid(mosaic, origin @ Affine.scale(SRTM_CELL, -SRTM_CELL))

    @cached_property
    def grey_to_metres(self) -> np.ndarray:
        """For each grey level, the median GEBCO elevation of the 2′ cells that have it."""
        grey = self.srtm_grey
        gebco = np.full(grey.values.shape, np.nan, dtype=np.float32)
        reproject(self.gebco.values, gebco, src_transform=self.gebco.transform, src_crs=WGS84,
                  dst_transform=grey.transform, dst_crs=WGS84, src_nodata=np.nan, dst_nodata=np.nan,
                  resampling=Resampling.average)
        known = ~np.isnan(gebco)
        levels, metres = grey.values[known], gebco[known]
        table = np.full(256, np.nan, dtype=np.float64)
        for level in np.unique(levels):
            found = metres[levels == level]
            if len(found) >= 20:
                table[level] = np.median(found)
        have = ~np.isnan(table)
        table = np.interp(np.arange(256), np.flatnonzero(have), table[have])
        return np.maximum.accumulate(table).astype(np.float32)  # higher grey is never lower ground

    @cached_property
    def srtm(self) -> Grid:
        grey = self.srtm_grey
        return Grid(self.grey_to_metres[grey.values], grey.transform)

    @cached_property
    def gebco_weight(self) -> Grid:
        """1 inside GEBCO's area, falling to 0 over FEATHER degrees at its edges."""
        rows, cols = self.gebco.values.shape
        step = abs(self.gebco.transform.a)
        to_edge_x = np.minimum(np.arange(cols), np.arange(cols)[::-1]) * step
        to_edge_y = np.minimum(np.arange(rows), np.arange(rows)[::-1]) * step
        weight = np.minimum.outer(to_edge_y, to_edge_x) / FEATHER
        return Grid(np.clip(weight, 0, 1).astype(np.float32), self.gebco.transform)

    def into(self, transform: Affine, shape: tuple[int, int], crs: str) -> np.ndarray:
        """Elevation (metres) sampled into a grid of any CRS, bilinear."""
        out = np.zeros(shape, dtype=np.float32)
        reproject(self.srtm.values, out, src_transform=self.srtm.transform, src_crs=WGS84,
                  dst_transform=transform, dst_crs=crs, resampling=Resampling.bilinear)
        fine = np.full(shape, np.nan, dtype=np.float32)
        weight = np.zeros(shape, dtype=np.float32)
        for grid, target, nodata in ((self.gebco, fine, np.nan), (self.gebco_weight, weight, 0)):
            reproject(grid.values, target, src_transform=grid.transform, src_crs=WGS84, src_nodata=nodata,
                      dst_transform=transform, dst_crs=crs, dst_nodata=nodata, resampling=Resampling.bilinear)
        has = ~np.isnan(fine)
        out[has] = fine[has] * weight[has] + out[has] * (1 - weight[has])
        return out


def shaded_relief(elevation: np.ndarray, cell_m: float, exaggeration: float) -> np.ndarray:
    """RGB (uint8) of a grid with a one-cell margin (which it loses): hypsometric tints lit from
    the north-west. `cell_m` is the ground size of a cell in metres."""
    dz_dy, dz_dx = np.gradient(elevation * exaggeration, cell_m)
    slope = np.arctan(np.hypot(dz_dx, dz_dy))
    aspect = np.arctan2(-dz_dx, dz_dy)  # rows grow southward
    azimuth, altitude = np.radians(315), np.radians(45)
    light = np.sin(altitude) * np.cos(slope) + np.cos(altitude) * np.sin(slope) * np.cos(azimuth - aspect - np.pi / 2)
    flat = np.sin(altitude)
    shade = np.clip(0.84 + 0.5 * (light - flat), 0.5, 1.12)[1:-1, 1:-1]
    heights, colours = zip(*TINTS)
    tint = np.stack([np.interp(elevation[1:-1, 1:-1], heights, [c[band] for c in colours]) for band in range(3)],
                    axis=-1)
    return np.clip(tint * shade[..., None], 0, 255).astype(np.uint8)
