"""What an upload is, told by its content, and the checks made before GDAL sees it.

Runs inside the upload reader process (dashboard/upload_worker.py), with plain Python only
(json, zipfile, struct, sqlite3): GDAL opens a file only after it is known to be one of the
four formats, to hold nothing that makes a reader fetch a web address or open another file,
and to be small enough to read. Problems raise `Refused` with a code and numbers; the server
turns codes into sentences (dashboard/uploads.py), so no text from the file or from a
library reaches the page.
"""

from __future__ import annotations

import json
import re
import sqlite3
import struct
import zipfile
from pathlib import Path, PurePosixPath

from dashboard import limits

KINDS = ("geojson", "kml", "gpkg", "shapefile-zip")
# the names a GeoJSON `crs` member may give for WGS84 longitude/latitude (RFC 7946 has no crs
# member; older files name WGS84 so); an upload naming anything else, a link above all (GDAL
# fetched it), is refused, and so is a layer file (dashboard/geodata.py)
WGS84_NAMES = frozenset({
    "urn:ogc:def:crs:OGC:1.3:CRS84", "urn:ogc:def:crs:OGC::CRS84", "urn:ogc:def:crs:EPSG::4326", "EPSG:4326",
})
SHAPEFILE_PARTS = (".shp", ".shx", ".dbf", ".prj", ".cpg")  # all a Shapefile reader needs
SHP_FILE_CODE = 9994  # big-endian int at byte 0 of every .shp and .shx
SHP_HEADER_BYTES, SHX_RECORD_BYTES, SHP_VERTEX_BYTES = 100, 8, 16
GPKG_APPLICATION_IDS = (b"GPKG", b"GP10", b"GP11")
# what GDAL and the GeoPackage standard put in sqlite_master besides tables and indexes
GPKG_TRIGGER = re.compile(r"(gpkg_|rtree_|trigger_(insert|delete)_feature_count_)", re.IGNORECASE)
RTREE_TABLE = re.compile(r'\s*CREATE\s+VIRTUAL\s+TABLE\s+"?rtree_[^\s(]+"?\s+USING\s+rtree\s*\(', re.IGNORECASE)
GENERATED_COLUMN = re.compile(r"\bGENERATED\s+ALWAYS\b|\bAS\s*\(", re.IGNORECASE)


class Refused(Exception):
    """The upload cannot be used: `code` names why, `values` holds the numbers for the message."""

    def __init__(self, code: str, **values):
        super().__init__(code)
        self.code, self.values = code, values


def file_kind(head: bytes) -> str | None:
    """'geojson', 'kml', 'gpkg' or 'shapefile-zip' by a file's first bytes, else None."""
    head = head[:2048].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"SQLite format 3\x00"):
        return "gpkg"
    if head.startswith(b"PK\x03\x04"):
        return "shapefile-zip"
    if head.startswith(b"{"):
        return "geojson"
    if head.startswith(b"<") and b"<kml" in head:
        return "kml"
    return None


def prepare(upload: Path, folder: Path) -> tuple[str, Path]:
    """Check the uploaded file and return its kind and the path GDAL may open."""
    size = upload.stat().st_size
    if size > limits.MAX_FILE_BYTES:
        raise Refused("too-big", mb=round(size / limits.MB, 1))
    with upload.open("rb") as file:
        kind = file_kind(file.read(2048))
    if kind is None:
        raise Refused("not-a-format")
    if kind == "geojson":
        check_geojson(upload)
    elif kind == "gpkg":
        check_geopackage(upload)
    elif kind == "shapefile-zip":
        return kind, unpack_shapefile(upload, folder / "shapefile")
    return kind, upload


def check_geojson(path: Path) -> None:
    """A GeoJSON object, read with Python's json first: any `crs` other than WGS84 refused."""
    try:
        data = json.loads(path.read_bytes())
    except (ValueError, RecursionError):
        raise Refused("damaged", kind="geojson") from None
    if not isinstance(data, dict) or data.get("type") not in ("FeatureCollection", "Feature"):
        raise Refused("not-geojson")
    if "crs" in data and _crs_name(data["crs"]) not in WGS84_NAMES:
        raise Refused("geojson-crs")
    features = data.get("features") if data["type"] == "FeatureCollection" else [data]
    if isinstance(features, list) and len(features) > limits.MAX_FEATURES:
        raise Refused("too-many-features", count=len(features))


def _crs_name(crs) -> str | None:
    props = crs.get("properties") if isinstance(crs, dict) and crs.get("type") == "name" else None
    name = props.get("name") if isinstance(props, dict) else None
    return name if isinstance(name, str) else None


def check_geopackage(path: Path) -> None:
    """A GeoPackage of plain tables: inspected read-only with sqlite3 before GDAL opens it.
    Views, virtual tables (but the R-tree index), generated columns and foreign triggers are
    refused: each can make a reader run queries the file chooses (read files, loop forever)."""
    if _head(path, 72)[68:72] not in GPKG_APPLICATION_IDS:
        raise Refused("not-geopackage")
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)
    except sqlite3.Error:
        raise Refused("damaged", kind="gpkg") from None
    try:
        connection.execute("PRAGMA trusted_schema = OFF")
        schema = connection.execute(
            f"SELECT type, name, sql FROM sqlite_master LIMIT {limits.MAX_SCHEMA_ENTRIES + 1}").fetchall()
        if len(schema) > limits.MAX_SCHEMA_ENTRIES:
            raise Refused("gpkg-schema")
        for kind, name, sql in schema:
            _check_schema_entry(kind, str(name), sql or "")
        tables = {name for kind, name, _ in schema if kind == "table"}
        layers = connection.execute(
            "SELECT table_name FROM gpkg_contents WHERE data_type = 'features'").fetchall()
        if not layers:
            raise Refused("no-layer")
        for (layer,) in layers:
            if layer not in tables:
                raise Refused("gpkg-schema")
        first = layers[0][0].replace('"', '""')
        count = connection.execute(f'SELECT count(*) FROM "{first}"').fetchone()[0]
    except sqlite3.Error:
        raise Refused("damaged", kind="gpkg") from None
    finally:
        connection.close()
    if count > limits.MAX_FEATURES:
        raise Refused("too-many-features", count=count)


def _check_schema_entry(kind: str, name: str, sql: str) -> None:
    if kind == "view":
        raise Refused("gpkg-view")
    if kind == "table" and sql.lstrip().upper().startswith("CREATE VIRTUAL"):
        if not RTREE_TABLE.match(sql):
            raise Refused("gpkg-virtual")
    elif kind == "table" and GENERATED_COLUMN.search(sql) or kind == "trigger" and not GPKG_TRIGGER.match(name) or kind not in ("table", "index", "trigger"):
        raise Refused("gpkg-schema")


def unpack_shapefile(upload: Path, folder: Path) -> Path:
    """The one Shapefile of a zip, unpacked (its parts only) into `folder`, after checking the
    zip's members and, from the headers, that the .shp is one, and its size in records,
    vertices and attributes."""
    try:
        archive = zipfile.ZipFile(upload)
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise Refused("damaged", kind="shapefile-zip") from None
    if len(members) > limits.MAX_ZIP_MEMBERS:
        raise Refused("zip-members", count=len(members))
    if sum(m.file_size for m in members) > limits.MAX_ZIP_EXPANDED_BYTES:
        raise Refused("zip-expands")
    for member in members:
        path = PurePosixPath(member.filename)
        if path.is_absolute() or ".." in path.parts or "\\" in member.filename or not member.filename.strip("/"):
            raise Refused("zip-paths")
    shapefiles = [m for m in members if m.filename.lower().endswith(".shp")]
    if len(shapefiles) != 1:
        raise Refused("zip-shapefiles", count=len(shapefiles))
    stem = shapefiles[0].filename[:-4]
    parts = {m.filename[len(stem):].lower(): m for m in members
             if m.filename[: len(stem)] == stem and m.filename[len(stem):].lower() in SHAPEFILE_PARTS}
    _check_sizes({suffix: member.file_size for suffix, member in parts.items()})  # before unpacking
    folder.mkdir()
    try:
        for suffix, member in parts.items():
            (folder / f"layer{suffix}").write_bytes(archive.read(member))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
        raise Refused("damaged", kind="shapefile-zip") from None
    check_shapefile(folder / "layer.shp")
    return folder / "layer.shp"


def _check_sizes(sizes: dict[str, int]) -> None:
    """A Shapefile's parts by their sizes: at most 16 bytes a vertex in the .shp, 8 bytes a
    record in the .shx; the .dbf within its limit."""
    records = (sizes.get(".shx", 0) - SHP_HEADER_BYTES) // SHX_RECORD_BYTES
    if records > limits.MAX_FEATURES:
        raise Refused("too-many-features", count=records)
    vertices = (sizes.get(".shp", 0) - SHP_HEADER_BYTES) // SHP_VERTEX_BYTES
    if vertices > limits.MAX_READ_VERTICES:
        raise Refused("too-many-vertices", count=vertices, limit=limits.MAX_READ_VERTICES)
    if sizes.get(".dbf", 0) > limits.MAX_ATTRIBUTE_BYTES:
        raise Refused("too-much-text")


def check_shapefile(shp: Path) -> None:
    """The .shp (and .shx, .dbf) as unpacked: real Shapefile headers, and not too much in them."""
    parts = {suffix: shp.with_suffix(suffix) for suffix in (".shp", ".shx", ".dbf")}
    _check_sizes({suffix: path.stat().st_size for suffix, path in parts.items() if path.exists()})
    if _big_endian_int(shp) != SHP_FILE_CODE:
        raise Refused("not-shapefile")
    if parts[".shx"].exists() and _big_endian_int(parts[".shx"]) != SHP_FILE_CODE:
        raise Refused("not-shapefile")
    dbf = parts[".dbf"]
    if dbf.exists():
        header = _head(dbf, 12)
        if len(header) == 12:
            records, _, record_bytes = struct.unpack("<IHH", header[4:12])
            if records > limits.MAX_FEATURES:
                raise Refused("too-many-features", count=records)
            if records * record_bytes > limits.MAX_ATTRIBUTE_BYTES:
                raise Refused("too-much-text")


def _big_endian_int(path: Path) -> int | None:
    head = _head(path, 4) if path.exists() else b""
    return struct.unpack(">i", head)[0] if len(head) == 4 else None


def _head(path: Path, size: int) -> bytes:
    with path.open("rb") as file:
        return file.read(size)
