"""Read one checked upload with GDAL and make it a small, valid WGS84 layer.

Runs inside the confined upload reader (dashboard/upload_worker.py), after
dashboard/upload_formats.py has checked the file. Plain arrays (pyogrio.raw, shapely,
pyproj): the reader needs neither pandas nor geopandas, and starts in half the time.
Work is counted before it is done: features and vertices right after reading, before any
validity check, repair or simplification; property text is cut to size. What was changed on
the way is returned as notes (codes and numbers, and a coordinate system's name); what
cannot be used raises `Refused`.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyogrio
import pyogrio.raw
import shapely
from pyproj import CRS, Transformer
from pyproj.exceptions import CRSError

from dashboard import limits
from dashboard.text import shortened
from dashboard.upload_formats import Refused

# the GDAL drivers each kind may be read with: a file GDAL reads as anything else is refused
# (the reader registers KML only; LIBKML takes KML files where GDAL is whole, as in tests)
DRIVERS = {"geojson": {"GeoJSON"}, "kml": {"KML", "LIBKML"}, "gpkg": {"GPKG"}, "shapefile-zip": {"ESRI Shapefile"}}
EARTH_SEMI_MAJOR_M = (6_300_000, 6_400_000)  # any Earth ellipsoid; Mars' is 3 396 190 m
MAX_SIMPLIFY_TOLERANCE = 1.0  # degrees
WGS84 = CRS.from_epsg(4326)


@dataclass
class Layer:
    geometries: np.ndarray  # shapely geometries
    properties: dict[str, np.ndarray]  # one value per geometry
    crs: CRS | None

    def take(self, rows: np.ndarray) -> Layer:
        """These rows (a boolean mask or indices), in this order."""
        return Layer(self.geometries[rows], {k: v[rows] for k, v in self.properties.items()}, self.crs)


def read_layer(kind: str, path) -> dict[str, Any]:
    """The layer as {"wkb": [hex WKB per feature], "properties": {name: [value per feature]},
    "notes": [[code, values], ...]}: plain JSON, checked again by the server."""
    notes: list[list] = []
    layer = _clean_geometries(_read(kind, path, notes), notes)
    return {
        "wkb": shapely.to_wkb(layer.geometries, hex=True).tolist(),
        "properties": _clean_properties(layer.properties, notes),
        "notes": notes,
    }


def _read(kind: str, path, notes: list) -> Layer:
    with warnings.catch_warnings():  # e.g. "non conformant file extension": the name is not ours
        warnings.simplefilter("ignore")
        try:
            info = pyogrio.read_info(path)
            if info.get("driver") not in DRIVERS[kind]:
                raise Refused("not-a-format")
            layers = pyogrio.list_layers(path)
            names = list(info["fields"])
            # only the properties the map shows are read at all
            meta, _, wkb, fields = pyogrio.raw.read(path, columns=names[: limits.MAX_COLUMNS], force_2d=True,
                                                    max_features=limits.MAX_FEATURES + 1)
        except Refused:
            raise
        except Exception:  # GDAL could not read it with the one driver left for its kind
            raise Refused("damaged", kind=kind) from None
    if len(layers) > 1:
        notes.append(["first-layer", {"count": len(layers)}])
    if len(names) > limits.MAX_COLUMNS:
        notes.append(["columns-left-out", {"count": len(names) - limits.MAX_COLUMNS}])
    if len(wkb) > limits.MAX_FEATURES:
        raise Refused("too-many-features", count=len(wkb))
    geometries = shapely.from_wkb(wkb, on_invalid="ignore")
    vertices = int(shapely.get_num_coordinates(geometries).sum())
    if vertices > limits.MAX_READ_VERTICES:  # counted before any geometry work is done
        raise Refused("too-many-vertices", count=vertices, limit=limits.MAX_READ_VERTICES)
    try:
        crs = CRS.from_user_input(meta["crs"]) if meta.get("crs") else None
    except CRSError:
        raise Refused("crs-unsupported", crs="") from None
    return Layer(geometries, dict(zip(meta["fields"], fields)), crs)


def _clean_geometries(layer: Layer, notes: list) -> Layer:
    layer = _drop(layer, shapely.is_missing(layer.geometries) | shapely.is_empty(layer.geometries), "no-geometry", notes)
    layer = _flatten_collections(layer, notes)
    layer = _drop(layer, ~_finite(layer.geometries), "not-numbers", notes)
    layer = _to_wgs84(layer, notes)
    min_x, min_y, max_x, max_y = shapely.total_bounds(layer.geometries)
    if not (min_x >= -180 and max_x <= 180 and min_y >= -90 and max_y <= 90):
        raise Refused("not-lonlat")
    invalid = ~shapely.is_valid(layer.geometries)
    if invalid.any():
        # "structure" repairs in about linear time; the default ("linework") took 81 s
        # on 401 self-crossing vertices
        layer.geometries = layer.geometries.copy()
        layer.geometries[invalid] = shapely.make_valid(layer.geometries[invalid], method="structure",
                                                       keep_collapsed=True)
        notes.append(["repaired", {"count": int(invalid.sum())}])
        layer = _drop(layer, shapely.is_empty(layer.geometries), "collapsed", notes)
        layer = _flatten_collections(layer, notes)
    vertices = int(shapely.get_num_coordinates(layer.geometries).sum())
    if vertices > limits.MAX_VERTICES:
        layer.geometries = _simplified(layer.geometries, vertices)
        notes.append(["simplified", {"count": vertices}])
    return layer


def _drop(layer: Layer, mask: np.ndarray, code: str, notes: list) -> Layer:
    """The layer without the `mask`ed features, noted; refused if none is left."""
    if mask.all():
        raise Refused(f"all-{code}")
    if mask.any():
        notes.append([code, {"count": int(mask.sum())}])
        return layer.take(~mask)
    return layer


def _flatten_collections(layer: Layer, notes: list) -> Layer:
    """Geometry collections become one feature per member (with the same properties)."""
    split = 0
    for _ in range(limits.MAX_NESTING):
        collections = shapely.get_type_id(layer.geometries) == shapely.GeometryType.GEOMETRYCOLLECTION
        if not collections.any():
            if split:
                notes.append(["collections", {"count": split}])
            return layer
        split += int(collections.sum())
        parts, source = shapely.get_parts(layer.geometries[collections], return_index=True)
        rows = np.concatenate([np.flatnonzero(~collections), np.flatnonzero(collections)[source]])
        layer = layer.take(rows)
        layer.geometries[(~collections).sum():] = parts
        layer = layer.take(~shapely.is_empty(layer.geometries))
        if not len(layer.geometries):
            raise Refused("all-no-geometry")
    raise Refused("nested-collections")


def _finite(geometries: np.ndarray) -> np.ndarray:
    """Per geometry: True if every coordinate is a finite number."""
    coords, index = shapely.get_coordinates(geometries, return_index=True)
    finite = np.ones(len(geometries), dtype=bool)
    finite[index[~np.isfinite(coords).all(axis=1)]] = False
    return finite


def _to_wgs84(layer: Layer, notes: list) -> Layer:
    crs = layer.crs
    if crs is None:
        notes.append(["crs-assumed", {}])
        return layer
    if crs.equals(WGS84):
        return layer
    name = shortened(crs.name or "", 80)
    ellipsoid = crs.ellipsoid
    earth = ellipsoid is not None and EARTH_SEMI_MAJOR_M[0] < ellipsoid.semi_major_metre < EARTH_SEMI_MAJOR_M[1]
    if not ((crs.is_geographic or crs.is_projected) and earth):  # Mars, a local grid, a vertical datum…
        raise Refused("crs-unsupported", crs=name)
    try:
        transformer = Transformer.from_crs(crs, WGS84, always_xy=True)
        geometries = shapely.transform(layer.geometries, lambda xy: np.column_stack(transformer.transform(*xy.T)))
    except Exception:  # e.g. a grid PROJ would have to download
        raise Refused("crs-unsupported", crs=name) from None
    notes.append(["reprojected", {"crs": name}])
    return _drop(Layer(geometries, layer.properties, WGS84), ~_finite(geometries), "not-projectable", notes)


def _simplified(geometries: np.ndarray, vertices: int) -> np.ndarray:
    tolerance, simpler = 0.001, geometries
    while vertices > limits.MAX_VERTICES and tolerance < MAX_SIMPLIFY_TOLERANCE:
        simpler = shapely.simplify(geometries, tolerance, preserve_topology=True)
        vertices = int(shapely.get_num_coordinates(simpler).sum())
        tolerance *= 3
    if vertices > limits.MAX_VERTICES:
        raise Refused("too-many-vertices", count=vertices, limit=limits.MAX_VERTICES)
    return simpler


def _clean_properties(properties: dict[str, np.ndarray], notes: list) -> dict[str, list]:
    """The first MAX_COLUMNS properties (what the map's tooltip shows) with short, unique names,
    as JSON values, texts cut to MAX_TEXT_CHARS: all the text of an upload is bounded so."""
    names = list(properties)
    kept: dict[str, list] = {}
    shortened_values = 0
    for name in names[: limits.MAX_COLUMNS]:
        values = [_json_value(v) for v in properties[name].tolist()]
        shortened_values += sum(isinstance(v, str) and len(v) > limits.MAX_TEXT_CHARS for v in values)
        values = [shortened(v, limits.MAX_TEXT_CHARS) if isinstance(v, str) else v for v in values]
        kept[_unique(shortened(str(name), limits.MAX_NAME_CHARS), kept)] = values
    if shortened_values:
        notes.append(["text-shortened", {"count": shortened_values}])
    return kept


def _json_value(value: Any) -> Any:
    """A property value as JSON can hold it: numbers, booleans, text or None."""
    if value is None or isinstance(value, (bool, int)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, str):
        return value
    if isinstance(value, (bytes, bytearray, memoryview)):
        return "(binary)"
    if isinstance(value, np.generic):
        return _json_value(value.item())
    return str(value)  # dates and times, and anything else, as text


def _unique(name: str, taken) -> str:
    candidate, number = name, 2
    while candidate in taken:
        candidate, number = f"{name} ({number})", number + 1
    return candidate
