"""Users' own layers: an uploaded GeoJSON, KML, GeoPackage or zipped Shapefile, read
safely into a WGS84 GeoDataFrame that lives in the session only.

The format is told by the file's content, not its name. Anything unusable raises
UploadError with a message for the user; what was repaired or dropped is reported.
"""

from __future__ import annotations

import hashlib
import io
import tempfile
import warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import geopandas as gpd
import pyogrio
import shapely

MB = 1024 * 1024
MAX_UPLOAD_BYTES = 20 * MB
MAX_FEATURES = 50_000
MAX_VERTICES = 50_000
MAX_ZIP_MEMBERS = 50
MAX_ZIP_EXPANDED_BYTES = 200 * MB
FORMATS = "GeoJSON, KML, GeoPackage or a zipped Shapefile"
KIND_NAMES = {"geojson": "GeoJSON", "kml": "KML", "gpkg": "GeoPackage", "shapefile-zip": "zipped Shapefile"}


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
            with warnings.catch_warnings():  # e.g. "non conformant file extension": the name is not ours
                warnings.simplefilter("ignore", RuntimeWarning)
                frame = pyogrio.read_dataframe(io.BytesIO(data))
    except UploadError:
        raise
    except Exception as err:  # GDAL's errors come in many types; the user needs one message
        raise UploadError(f"The {KIND_NAMES[kind]} file could not be read ({_first_line(err)}).") from None
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
        return pyogrio.read_dataframe(Path(folder) / shapefiles[0])


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


def _simplified(frame: gpd.GeoDataFrame, vertices: int) -> gpd.GeoDataFrame:
    tolerance = 0.001
    while vertices > MAX_VERTICES and tolerance < 1:
        simpler = frame.geometry.simplify(tolerance, preserve_topology=True)
        vertices = int(shapely.get_num_coordinates(simpler.values).sum())
        tolerance *= 3
    if vertices > MAX_VERTICES:
        raise UploadError(f"The file has too many vertices to draw (over {MAX_VERTICES:,} even simplified).")
    return frame.assign(geometry=simpler)


def _first_line(err: Exception) -> str:
    text = str(err).strip().splitlines()
    return text[0][:200] if text else type(err).__name__
