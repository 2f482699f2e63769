"""Read one checked upload with GDAL and make it a small, valid WGS84 layer.

Runs inside the confined upload reader (dashboard/upload_worker.py), after
dashboard/upload_formats.py has checked the file. Work is counted before it is done:
features and vertices right after reading, before any validity check, repair or
simplification; property text is cut to size. What was changed on the way is returned
as notes (codes and numbers, plus a coordinate system's name); what cannot be used raises
`Refused`.
"""

from __future__ import annotations

import math
import warnings
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely

from dashboard import limits
from dashboard.text import shortened
from dashboard.upload_formats import Refused

# the GDAL drivers each kind may be read with: a file GDAL reads as anything else is refused
# (the reader registers KML only; LIBKML takes KML files where GDAL is whole, as in tests)
DRIVERS = {"geojson": {"GeoJSON"}, "kml": {"KML", "LIBKML"}, "gpkg": {"GPKG"}, "shapefile-zip": {"ESRI Shapefile"}}
EARTH_SEMI_MAJOR_M = (6_300_000, 6_400_000)  # any Earth ellipsoid; Mars' is 3 396 190 m
MAX_SIMPLIFY_TOLERANCE = 1.0  # degrees


def read_layer(kind: str, path) -> dict[str, Any]:
    """The layer as {"wkb": [hex WKB per feature], "properties": {name: [value per feature]},
    "notes": [[code, values], ...]}: plain JSON, checked again by the server."""
    notes: list[list] = []
    frame = _read(kind, path, notes)
    frame = _clean_geometries(frame, notes)
    frame = _clean_properties(frame, notes)
    return {
        "wkb": shapely.to_wkb(frame.geometry.values, hex=True).tolist(),
        "properties": {name: frame[name].tolist() for name in frame.columns if name != frame.geometry.name},
        "notes": notes,
    }


def _read(kind: str, path, notes: list) -> gpd.GeoDataFrame:
    with warnings.catch_warnings():  # e.g. "non conformant file extension": the name is not ours
        warnings.simplefilter("ignore")
        try:
            info = pyogrio.read_info(path)
        except Exception:  # GDAL could not open it with the one driver left for its kind
            raise Refused("damaged", kind=kind) from None
        if info.get("driver") not in DRIVERS[kind]:
            raise Refused("not-a-format")
        if info.get("features", 0) > limits.MAX_FEATURES:
            raise Refused("too-many-features", count=int(info["features"]))
        layers = pyogrio.list_layers(path)
        if len(layers) > 1:
            notes.append(["first-layer", {"count": len(layers)}])
        try:
            frame = pyogrio.read_dataframe(path, max_features=limits.MAX_FEATURES + 1, force_2d=True)
        except Exception:
            raise Refused("damaged", kind=kind) from None
    if len(frame) > limits.MAX_FEATURES:
        raise Refused("too-many-features", count=len(frame))
    vertices = int(shapely.get_num_coordinates(frame.geometry.values).sum())
    if vertices > limits.MAX_READ_VERTICES:  # counted before any geometry work is done
        raise Refused("too-many-vertices", count=vertices, limit=limits.MAX_READ_VERTICES)
    return frame


def _clean_geometries(frame: gpd.GeoDataFrame, notes: list) -> gpd.GeoDataFrame:
    frame = _drop(frame, frame.geometry.isna() | frame.geometry.is_empty, "no-geometry", notes)
    frame = _flatten_collections(frame, notes)
    frame = _drop(frame, ~_finite(frame.geometry.values), "not-numbers", notes)
    frame = _to_wgs84(frame, notes)
    min_x, min_y, max_x, max_y = frame.total_bounds
    if not (min_x >= -180 and max_x <= 180 and min_y >= -90 and max_y <= 90):
        raise Refused("not-lonlat")
    invalid = ~frame.geometry.is_valid
    if invalid.any():
        # "structure" repairs in about linear time; the default ("linework") took 81 s
        # on 401 self-crossing vertices
        repaired = shapely.make_valid(frame.geometry.values[invalid.values], method="structure",
                                      keep_collapsed=True)
        frame = frame.copy()
        frame.loc[invalid, "geometry"] = repaired
        notes.append(["repaired", {"count": int(invalid.sum())}])
        frame = _drop(frame, frame.geometry.is_empty, "collapsed", notes)
        frame = _flatten_collections(frame, notes)
    vertices = int(shapely.get_num_coordinates(frame.geometry.values).sum())
    if vertices > limits.MAX_VERTICES:
        frame = _simplified(frame, vertices)
        notes.append(["simplified", {"count": vertices}])
    return frame.reset_index(drop=True)


def _drop(frame: gpd.GeoDataFrame, mask, code: str, notes: list) -> gpd.GeoDataFrame:
    """The frame without the `mask`ed features, noted; refused if none is left."""
    mask = np.asarray(mask, dtype=bool)
    if mask.all():
        raise Refused(f"all-{code}")
    if mask.any():
        notes.append([code, {"count": int(mask.sum())}])
        return frame[~mask]
    return frame


def _flatten_collections(frame: gpd.GeoDataFrame, notes: list) -> gpd.GeoDataFrame:
    """Geometry collections become one feature per member (with the same properties)."""
    split = 0
    for _ in range(limits.MAX_NESTING):
        collections = (frame.geom_type == "GeometryCollection").values
        if not collections.any():
            if split:
                notes.append(["collections", {"count": split}])
            return frame
        split += int(collections.sum())
        parts = frame[collections].explode(index_parts=False)
        frame = pd.concat([frame[~collections], parts[~parts.geometry.is_empty]])
        if frame.empty:
            raise Refused("all-no-geometry")
    raise Refused("nested-collections")


def _finite(geometries) -> np.ndarray:
    """Per geometry: True if every coordinate is a finite number."""
    coords, index = shapely.get_coordinates(geometries, return_index=True)
    finite = np.ones(len(geometries), dtype=bool)
    finite[index[~np.isfinite(coords).all(axis=1)]] = False
    return finite


def _to_wgs84(frame: gpd.GeoDataFrame, notes: list) -> gpd.GeoDataFrame:
    crs = frame.crs
    if crs is None:
        notes.append(["crs-assumed", {}])
        return frame.set_crs("EPSG:4326")
    if crs.equals("EPSG:4326"):
        return frame
    ellipsoid = crs.ellipsoid
    earth = ellipsoid is not None and EARTH_SEMI_MAJOR_M[0] < ellipsoid.semi_major_metre < EARTH_SEMI_MAJOR_M[1]
    if not ((crs.is_geographic or crs.is_projected) and earth):  # Mars, a local grid, a vertical datum…
        raise Refused("crs-unsupported", crs=shortened(crs.name or "", 80))
    try:
        projected = frame.to_crs("EPSG:4326")
    except Exception:  # e.g. a grid PROJ would have to download
        raise Refused("crs-unsupported", crs=shortened(crs.name or "", 80)) from None
    notes.append(["reprojected", {"crs": shortened(crs.name or "", 80)}])
    return _drop(projected, ~_finite(projected.geometry.values), "not-projectable", notes)


def _simplified(frame: gpd.GeoDataFrame, vertices: int) -> gpd.GeoDataFrame:
    tolerance, simpler = 0.001, frame.geometry
    while vertices > limits.MAX_VERTICES and tolerance < MAX_SIMPLIFY_TOLERANCE:
        simpler = frame.geometry.simplify(tolerance, preserve_topology=True)
        vertices = int(shapely.get_num_coordinates(simpler.values).sum())
        tolerance *= 3
    if vertices > limits.MAX_VERTICES:
        raise Refused("too-many-vertices", count=vertices, limit=limits.MAX_VERTICES)
    return frame.set_geometry(simpler)


def _clean_properties(frame: gpd.GeoDataFrame, notes: list) -> gpd.GeoDataFrame:
    """At most MAX_COLUMNS properties with short, unique names; text values cut to
    MAX_TEXT_CHARS; columns past MAX_PROPERTY_BYTES of text left out."""
    names = [c for c in frame.columns if c != frame.geometry.name]
    if len(names) > limits.MAX_COLUMNS:
        notes.append(["columns-left-out", {"count": len(names) - limits.MAX_COLUMNS}])
    kept, budget, shortened_values = {}, limits.MAX_PROPERTY_BYTES, 0
    for name in names[: limits.MAX_COLUMNS]:
        values, cut = _column(frame[name])
        size = int(values.map(lambda v: len(v.encode()) if isinstance(v, str) else 8).sum())
        if size > budget:
            notes.append(["columns-left-out", {"count": len(names[: limits.MAX_COLUMNS]) - len(kept)}])
            break
        budget -= size
        shortened_values += cut
        kept[_unique(shortened(str(name), limits.MAX_NAME_CHARS), kept)] = values.values
    if shortened_values:
        notes.append(["text-shortened", {"count": shortened_values}])
    return gpd.GeoDataFrame(kept, geometry=frame.geometry.values, crs=frame.crs)


def _column(series: pd.Series) -> tuple[pd.Series, int]:
    """A column as JSON-ready values (numbers, booleans, text or None), and how many
    texts were cut."""
    if pd.api.types.is_bool_dtype(series) or pd.api.types.is_numeric_dtype(series):
        return series.astype(object).where(np.isfinite(series.astype(float)), None), 0
    texts = series.map(_as_text)
    cut = int(texts.map(lambda v: isinstance(v, str) and len(v) > limits.MAX_TEXT_CHARS).sum())
    return texts.map(lambda v: shortened(v, limits.MAX_TEXT_CHARS) if isinstance(v, str) else v), cut


def _as_text(value: Any) -> Any:
    if value is None or (isinstance(value, float) and not math.isfinite(value)) or value is pd.NaT:
        return None
    if isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (bytes, bytearray, memoryview)):
        return "(binary)"
    if isinstance(value, (np.integer, np.floating, np.bool_)):
        return value.item() if np.isfinite(value) else None
    return str(value)


def _unique(name: str, taken) -> str:
    candidate, number = name, 2
    while candidate in taken or candidate == "geometry":
        candidate, number = f"{name} ({number})", number + 1
    return candidate
