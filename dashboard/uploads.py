"""Users' own layers: an uploaded GeoJSON, KML, GeoPackage or zipped Shapefile, read
safely into a WGS84 GeoDataFrame that lives in the session only.

The format is told by the file's content, not its name, and GDAL must agree: a file it would
open with any other driver is refused, and the drivers that reach outside a file (VRT, GDALG,
web services) are taken out of GDAL. Anything unusable raises UploadError with a message for
the user; what was repaired or dropped is reported.
"""

from __future__ import annotations

import hashlib
import io
import re
import tempfile
import warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import geopandas as gpd
import numpy as np
import pyogrio
import shapely

MB = 1024 * 1024
MAX_UPLOAD_BYTES = 20 * MB
MAX_FEATURES = 50_000
MAX_VERTICES = 50_000
MAX_ZIP_MEMBERS = 50
MAX_ZIP_EXPANDED_BYTES = 200 * MB
FORMATS = "GeoJSON, KML, GeoPackage or a zipped Shapefile"
KIND_NAMES = {"geojson": "GeoJSON file", "kml": "KML file", "gpkg": "GeoPackage", "shapefile-zip": "zipped Shapefile"}
# the GDAL drivers each kind may be read with; any other driver that claims the file is refused
DRIVERS = {"geojson": {"GeoJSON"}, "kml": {"KML", "LIBKML"}, "gpkg": {"GPKG"}, "shapefile-zip": {"ESRI Shapefile"}}
# GDAL drivers that read other files or the network when they open a file: an OGR VRT names any
# file on the server, a GDALG file runs a GDAL pipeline, the others are web-service clients.
# An upload that merely contains their markers ("<OGRVRTDataSource", "gdal_streamed_alg") would be
# opened by them, whatever its first bytes; so they are taken out of this process's GDAL.
OUTSIDE_ACCESS_DRIVERS = ("OGR_VRT", "GDALG", "WFS", "OAPIF", "OGCAPI", "CSW", "Carto", "AmigoCloud",
                          "Elasticsearch", "NGW", "PLSCENES", "EEDA", "HTTP", "GPSBabel", "ADBC")


class UploadError(ValueError):
    """The upload cannot be used; the message says why, in plain words."""


@dataclass
class UserLayer:
    name: str
    frame: gpd.GeoDataFrame
    notes: list[str] = field(default_factory=list)  # what was changed on the way in
    digest: str = ""  # sha256 of the uploaded bytes: the same file gives the same map


def read_upload(name: str, data: bytes) -> UserLayer:
    """Read an uploaded file into a valid WGS84 layer, or raise UploadError."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise UploadError(f"The file is {len(data) / MB:.1f} MB; the limit is {MAX_UPLOAD_BYTES / MB:.0f} MB.")
    kind = file_kind(data)
    if kind is None:
        raise UploadError(f"This file is not {FORMATS}.")
    try:
        if kind == "shapefile-zip":
            frame = _read_zipped_shapefile(data)
        else:
            frame = _read_with_gdal(lambda: io.BytesIO(data), kind)
    except UploadError:
        raise
    except Exception as err:  # GDAL's errors come in many types; the user needs one message
        raise UploadError(f"The {KIND_NAMES[kind]} could not be read ({_reason(err)}).") from None
    layer = UserLayer(name=Path(name).name or "upload", frame=frame, digest=hashlib.sha256(data).hexdigest())
    _clean(layer)
    return layer


def file_kind(data: bytes) -> str | None:
    """'geojson', 'kml', 'gpkg' or 'shapefile-zip' by the file's first bytes, else None."""
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"SQLite format 3\x00"):
        return "gpkg"
    if head.startswith(b"PK\x03\x04"):
        return "shapefile-zip"
    if head.startswith(b"{"):
        return "geojson"
    if head.startswith(b"<") and b"<kml" in head:
        return "kml"
    return None


def _read_zipped_shapefile(data: bytes) -> gpd.GeoDataFrame:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise UploadError("The zip file is damaged.") from None
    members = archive.infolist()
    if len(members) > MAX_ZIP_MEMBERS:
        raise UploadError(f"The zip holds {len(members)} files; at most {MAX_ZIP_MEMBERS} are accepted.")
    if sum(m.file_size for m in members) > MAX_ZIP_EXPANDED_BYTES:
        raise UploadError(f"The zip expands to more than {MAX_ZIP_EXPANDED_BYTES / MB:.0f} MB.")
    for member in members:
        path = PurePosixPath(member.filename)
        if path.is_absolute() or ".." in path.parts or "\\" in member.filename:
            raise UploadError("The zip holds paths outside its folder; it is refused.")
        if not member.filename.strip("/"):  # e.g. a name that starts with a NUL byte
            raise UploadError("The zip holds a file without a name; it is refused.")
    shapefiles = [m.filename for m in members if m.filename.lower().endswith(".shp")]
    if len(shapefiles) != 1:
        raise UploadError(f"The zip must hold exactly one .shp file; it holds {len(shapefiles)}.")
    with tempfile.TemporaryDirectory(prefix="upload-") as folder:  # outside the repository
        archive.extractall(folder)
        return _read_with_gdal(lambda: Path(folder) / shapefiles[0], "shapefile-zip")


def _read_with_gdal(source, kind: str) -> gpd.GeoDataFrame:
    """Read `source()` (a fresh buffer or a path each call) if GDAL opens it with a driver
    of this kind, else refuse it before any of its data is read."""
    with warnings.catch_warnings():  # e.g. "non conformant file extension": the name is not ours
        warnings.simplefilter("ignore", RuntimeWarning)
        warnings.simplefilter("ignore", UserWarning)  # e.g. "could not parse column as JSON"
        driver = pyogrio.read_info(source())["driver"]
        if driver not in DRIVERS[kind]:
            raise UploadError(f"This file is not {FORMATS} (it reads as {driver}).")
        return pyogrio.read_dataframe(source())


def _clean(layer: UserLayer) -> None:
    frame = layer.frame
    if len(frame) > MAX_FEATURES:
        raise UploadError(f"The file has {len(frame):,} features; at most {MAX_FEATURES:,} are accepted.")
    empty = frame.geometry.isna() | frame.geometry.is_empty
    if empty.all():
        raise UploadError("The file has no features with a geometry.")
    if empty.any():
        frame = frame[~empty]
        layer.notes.append(f"{int(empty.sum())} feature(s) without a geometry were left out.")
    unreadable = ~_finite(frame.geometry.values)  # NaN or infinite coordinates: nothing to draw or repair
    if unreadable.all():
        raise UploadError("The file has no features with coordinates that are numbers.")
    if unreadable.any():
        frame = frame[~unreadable]
        layer.notes.append(f"{int(unreadable.sum())} feature(s) with coordinates that are not numbers were left out.")
    if frame.crs is None:
        frame = frame.set_crs("EPSG:4326")
        layer.notes.append("No coordinate system was declared; longitude/latitude (WGS84) was assumed.")
    elif not frame.crs.equals("EPSG:4326"):
        layer.notes.append(f"Reprojected from {frame.crs.name} to WGS84.")
        frame = frame.to_crs("EPSG:4326")
    min_x, min_y, max_x, max_y = frame.total_bounds
    if not (-180 <= min_x and max_x <= 180 and -90 <= min_y and max_y <= 90):
        raise UploadError("Its coordinates are not longitude/latitude (projected coordinates without "
                          "a declared coordinate system?).")
    invalid = ~frame.geometry.is_valid
    if invalid.any():
        frame = frame.assign(geometry=frame.geometry.make_valid())
        layer.notes.append(f"{int(invalid.sum())} invalid geometr{'y was' if invalid.sum() == 1 else 'ies were'} repaired.")
    vertices = int(shapely.get_num_coordinates(frame.geometry.values).sum())
    if vertices > MAX_VERTICES:
        frame = _simplified(frame, vertices)
        layer.notes.append(f"{vertices:,} vertices were simplified for display.")
    layer.frame = frame.reset_index(drop=True)


def _finite(geometries) -> np.ndarray:
    """Per geometry: True if every coordinate (x, y and any z) is a finite number."""
    coords, index = shapely.get_coordinates(geometries, include_z=True, return_index=True)
    bad = ~np.isfinite(coords[:, :2]).all(axis=1) | np.isinf(coords[:, 2])  # a 2D point's z is NaN
    finite = np.ones(len(geometries), dtype=bool)
    finite[index[bad]] = False
    return finite


def _simplified(frame: gpd.GeoDataFrame, vertices: int) -> gpd.GeoDataFrame:
    tolerance = 0.001
    while vertices > MAX_VERTICES and tolerance < 1:
        simpler = frame.geometry.simplify(tolerance, preserve_topology=True)
        vertices = int(shapely.get_num_coordinates(simpler.values).sum())
        tolerance *= 3
    if vertices > MAX_VERTICES:
        raise UploadError(f"The file has too many vertices to draw (over {MAX_VERTICES:,} even simplified).")
    return frame.assign(geometry=simpler)


def _restrict_gdal() -> None:
    """Take the OUTSIDE_ACCESS_DRIVERS out of GDAL (re-registering applies GDAL_SKIP), and
    never download a GML schema. The driver check in `_read_with_gdal` holds either way."""
    skipped = (pyogrio.get_gdal_config_option("GDAL_SKIP") or "").replace(",", " ").split()
    pyogrio.set_gdal_config_options({
        "GDAL_SKIP": " ".join(dict.fromkeys([*skipped, *OUTSIDE_ACCESS_DRIVERS])),
        "GML_DOWNLOAD_WFS_SCHEMA": "NO",
    })
    try:
        from pyogrio._ogr import _register_drivers  # private: how pyogrio registers GDAL's drivers
    except ImportError:  # pragma: no cover - a pyogrio without it
        return
    _register_drivers()


def _reason(err: Exception) -> str:
    """GDAL's message in words for the user: no server paths, no hints meant for programmers."""
    text = _first_line(err)
    if "not recognized as being in a supported file format" in text:
        return "its content is not in that format"
    if "SHAPE_RESTORE_SHX" in text:
        return "its .shx file is missing or damaged"
    return re.sub(r"'?(/vsimem/|" + re.escape(tempfile.gettempdir()) + r"/)[^\s':]*'?:?\s*", "", text) or "damaged"


def _first_line(err: Exception) -> str:
    text = str(err).strip().splitlines()
    return text[0][:200] if text else type(err).__name__


_restrict_gdal()
