"""Property tests: whatever is uploaded, the reader returns a usable layer or refuses it with
an UploadError (a message for the user), never another exception.

The reader's code runs in this process here (helpers.read_in_process): a confined process per
example would take minutes. tests/test_upload_attacks.py sends files to the real reader."""

from __future__ import annotations

import io
import json
import math
import os
import zipfile

import geopandas as gpd
import pytest
import shapely
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from dashboard.limits import MAX_FEATURES
from dashboard.uploads import UploadError, UserLayer

from helpers import read_in_process as read_upload

pytestmark = pytest.mark.filterwarnings("ignore:Duplicate name:UserWarning")  # zips built with repeats

FAST = settings(max_examples=int(os.environ.get("UPLOAD_EXAMPLES", 60)), deadline=None, suppress_health_check=[HealthCheck.too_slow])


def read_or_refuse(name: str, data: bytes) -> UserLayer | None:
    """The property: a layer that can be drawn, or UploadError. Anything else fails the test."""
    try:
        layer = read_upload(name, data)
    except UploadError as err:
        message = str(err)
        assert message and "Traceback" not in message
        return None
    frame = layer.frame
    assert isinstance(frame, gpd.GeoDataFrame) and 0 < len(frame) <= MAX_FEATURES
    assert frame.crs is not None and frame.crs.to_epsg() == 4326
    assert not frame.geometry.isna().any() and not frame.geometry.is_empty.any()
    assert frame.geometry.is_valid.all()
    west, south, east, north = frame.total_bounds
    assert -180 <= west <= east <= 180 and -90 <= south <= north <= 90
    assert layer.name and "/" not in layer.name
    return layer


# --- GeoJSON: valid collections, then mutated ---------------------------------------------

lon = st.floats(-180, 180, allow_nan=False)
lat = st.floats(-90, 90, allow_nan=False)
position = st.tuples(lon, lat).map(list)
ring_start = st.tuples(st.floats(-170, 170), st.floats(-80, 80), st.floats(0.01, 5), st.floats(0.01, 5))


def _square(p):
    x, y, w, h = p
    return [[x, y], [x + w, y], [x + w, y + h], [x, y + h], [x, y]]


geometry = st.one_of(
    position.map(lambda c: {"type": "Point", "coordinates": c}),
    st.lists(position, min_size=2, max_size=6).map(lambda c: {"type": "LineString", "coordinates": c}),
    ring_start.map(lambda p: {"type": "Polygon", "coordinates": [_square(p)]}),
    st.lists(position, min_size=1, max_size=4).map(lambda c: {"type": "MultiPoint", "coordinates": c}),
)
scalar = st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6), st.floats(allow_nan=False),
                   st.text(max_size=30))
properties = st.dictionaries(st.text(max_size=12), scalar, max_size=4)
feature = st.builds(lambda g, p: {"type": "Feature", "geometry": g, "properties": p}, geometry, properties)
collection = st.lists(feature, min_size=1, max_size=6).map(
    lambda fs: {"type": "FeatureCollection", "features": fs})

junk = st.recursive(
    scalar | st.sampled_from([float("nan"), float("inf"), -float("inf"), 1e308, 10**30, -10**30]),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12,
)
bad_coordinates = st.one_of(
    st.sampled_from([[float("nan"), 0], [float("inf"), 1], [1e308, 1e308], [10**30, 5], [], [1], [1, 2, 3, 4],
                     "12,34", None, [[1, 2]], [["a", "b"]], [True, False]]),
    junk,
)
wrong_geometry_type = st.sampled_from(["Point", "LineString", "Polygon", "MultiPolygon", "GeometryCollection",
                                       "Feature", "Circle", "", None, 7])


@st.composite
def mutated_collection(draw):
    """A valid FeatureCollection with one to three mutations applied to its JSON tree."""
    data = draw(collection)
    for _ in range(draw(st.integers(1, 3))):
        features = data.get("features") if isinstance(data, dict) else None
        target = draw(st.sampled_from(features)) if isinstance(features, list) and features else None
        target = target if isinstance(target, dict) else None
        geom = target.get("geometry") if target else None
        geom = geom if isinstance(geom, dict) else None
        kind = draw(st.sampled_from([
            "drop collection key", "collection type", "features junk", "empty features", "drop feature key",
            "feature junk", "geometry junk", "coordinates", "geometry type", "properties junk", "crs",
            "nested junk", "duplicate features",
        ]))
        if kind == "drop collection key" and isinstance(data, dict):
            data.pop(draw(st.sampled_from(["type", "features"])), None)
        elif kind == "collection type" and isinstance(data, dict):
            data["type"] = draw(st.sampled_from(["Feature", "featurecollection", "", None, 1]))
        elif kind == "features junk" and isinstance(data, dict):
            data["features"] = draw(junk)
        elif kind == "empty features" and isinstance(data, dict):
            data["features"] = []
        elif kind == "drop feature key" and target:
            target.pop(draw(st.sampled_from(["type", "geometry", "properties"])), None)
        elif kind == "feature junk" and isinstance(features, list):
            features.append(draw(junk))
        elif kind == "geometry junk" and target:
            target["geometry"] = draw(junk)
        elif kind == "coordinates" and geom:
            geom["coordinates"] = draw(bad_coordinates)
        elif kind == "geometry type" and geom:
            geom["type"] = draw(wrong_geometry_type)
        elif kind == "properties junk" and target:
            target["properties"] = draw(junk)
        elif kind == "crs" and isinstance(data, dict):
            data["crs"] = draw(st.one_of(junk, st.sampled_from([
                {"type": "name", "properties": {"name": "EPSG:3857"}},
                {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::32642"}},
                {"type": "name", "properties": {"name": "EPSG:999999"}},
            ])))
        elif kind == "nested junk" and target:
            target.setdefault("properties", {})
            if isinstance(target["properties"], dict):
                target["properties"][draw(st.text(max_size=8))] = draw(junk)
        elif kind == "duplicate features" and isinstance(features, list):
            features.extend(features[:])
    return data


def as_bytes(data) -> bytes:
    return json.dumps(data, allow_nan=True).encode()


@FAST
@given(collection)
def test_a_valid_geojson_is_read_whole(data):
    layer = read_or_refuse("layer.geojson", as_bytes(data))
    assert layer is not None and len(layer.frame) == len(data["features"])


NAN_BESIDE_A_GOOD_POINT = {"type": "FeatureCollection", "features": [  # found by this test: make_valid raised
    {"type": "Feature", "geometry": {"type": "Point", "coordinates": [float("nan"), 0]}, "properties": {}},
    {"type": "Feature", "geometry": {"type": "Point", "coordinates": [0.0, 0.0]}, "properties": {}}]}


@FAST
@example(NAN_BESIDE_A_GOOD_POINT)
@given(mutated_collection())
def test_a_mutated_geojson_is_read_or_refused(data):
    read_or_refuse("layer.geojson", as_bytes(data))


@FAST
@given(collection, st.data())
def test_a_truncated_geojson_is_read_or_refused(data, draw):
    text = as_bytes(data)
    cut = draw.draw(st.integers(0, len(text) - 1))
    read_or_refuse("layer.geojson", text[:cut])


@FAST
@given(collection, st.data())
def test_a_geojson_with_flipped_bytes_is_read_or_refused(data, draw):
    text = bytearray(as_bytes(data))
    for _ in range(draw.draw(st.integers(1, 5))):
        text[draw.draw(st.integers(0, len(text) - 1))] = draw.draw(st.integers(0, 255))
    read_or_refuse("layer.geojson", bytes(text))


@FAST
@given(junk)
def test_any_json_value_is_read_or_refused(value):
    read_or_refuse("x.json", json.dumps(value, allow_nan=True).encode())


# --- random bytes, and bytes that start like a known format --------------------------------

MAGIC = [b"", b"{", b"SQLite format 3\x00", b"PK\x03\x04", b"<kml>", b"<?xml version='1.0'?><kml", b"\xef\xbb\xbf{"]


@settings(max_examples=int(os.environ.get("UPLOAD_EXAMPLES", 60)) * 3, deadline=None)
@given(st.sampled_from(MAGIC), st.binary(max_size=2000), st.text(max_size=40))
def test_any_bytes_are_read_or_refused(magic, body, name):
    read_or_refuse(name, magic + body)


# --- zips: random member names (with ../ and absolute paths) and contents -----------------

member_name = st.one_of(
    st.text(min_size=1, max_size=20).filter(lambda n: "\x00" not in n),  # zipfile cannot write NUL (see below)
    st.sampled_from(["layer.shp", "layer.shx", "layer.dbf", "layer.prj", "../layer.shp", "/tmp/layer.shp",
                     "a/../../layer.shp", "..\\layer.shp", "dir/", "LAYER.SHP", "a/b/layer.shp", "layer.shp/"]),
)
members = st.lists(st.tuples(member_name, st.binary(max_size=300)), min_size=0, max_size=8)


def zipped(files) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files:
            archive.writestr(name, data)
    return buffer.getvalue()


@FAST
@given(members)
def test_any_zip_is_read_or_refused(files):
    read_or_refuse("upload.zip", zipped(files))


def test_a_zip_member_named_with_a_nul_byte_is_refused():
    data = zipped([("layer.shp", b"x"), ("Xlayer.dbf", b"y")])
    data = data.replace(b"Xlayer.dbf", b"\x00layer.dbf")  # Python reads this name as ""
    with pytest.raises(UploadError, match="without a name"):
        read_upload("upload.zip", data)


@FAST
@given(members)
def test_a_zip_with_a_path_outside_its_folder_is_refused(files):
    files = [*files, ("../../escape.shp", b"x")]
    with pytest.raises(UploadError, match="outside its folder|files; at most"):
        read_upload("upload.zip", zipped(files))


def shapefile_members() -> list[tuple[str, bytes]]:
    import tempfile
    from pathlib import Path

    import pyogrio

    frame = gpd.GeoDataFrame({"name": ["a", "b"]}, geometry=[shapely.Point(70, 40), shapely.Point(71, 41)],
                             crs="EPSG:4326")
    with tempfile.TemporaryDirectory() as folder:
        pyogrio.write_dataframe(frame, Path(folder) / "layer.shp")
        return [(p.name, p.read_bytes()) for p in sorted(Path(folder).iterdir())]


SHAPEFILE = shapefile_members()


@FAST
@given(st.data())
def test_a_damaged_shapefile_zip_is_read_or_refused(draw):
    files = []
    for name, data in SHAPEFILE:
        action = draw.draw(st.sampled_from(["keep", "keep", "drop", "truncate", "junk"]))
        if action == "drop":
            continue
        if action == "truncate":
            data = data[:draw.draw(st.integers(0, len(data)))]
        if action == "junk":
            data = draw.draw(st.binary(max_size=200))
        files.append((name, data))
    read_or_refuse("upload.zip", zipped(files))


@FAST
@given(st.binary(min_size=1, max_size=500), st.data())
def test_a_damaged_zip_is_read_or_refused(junk_bytes, draw):
    data = bytearray(zipped(SHAPEFILE))
    start = draw.draw(st.integers(0, len(data) - 1))
    data[start:start + len(junk_bytes)] = junk_bytes
    read_or_refuse("upload.zip", bytes(data))


def geopackage() -> bytes:
    import pyogrio

    frame = gpd.GeoDataFrame({"name": ["a", "b"]}, geometry=[shapely.Point(70, 40), shapely.box(71, 41, 72, 42)],
                             crs="EPSG:4326")
    buffer = io.BytesIO()
    pyogrio.write_dataframe(frame, buffer, driver="GPKG", layer="upload")
    return buffer.getvalue()


GEOPACKAGE = geopackage()


def test_the_geopackage_used_below_is_read():
    assert len(read_or_refuse("x.gpkg", GEOPACKAGE).frame) == 2


@FAST
@given(st.data())
def test_a_damaged_geopackage_is_read_or_refused(draw):
    data = bytearray(GEOPACKAGE)
    if draw.draw(st.booleans()):
        data = data[:draw.draw(st.integers(17, len(data)))]
    for _ in range(draw.draw(st.integers(0, 20))):
        data[draw.draw(st.integers(16, len(data) - 1))] = draw.draw(st.integers(0, 255))
    read_or_refuse("layer.gpkg", bytes(data))


# --- KML-ish XML ------------------------------------------------------------------------------

xml_text = st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=30)
kml_coordinates = st.one_of(
    st.lists(position, min_size=1, max_size=5).map(lambda ps: " ".join(f"{x},{y}" for x, y in ps)),
    xml_text,
    st.sampled_from(["nan,nan", "inf,1", "1e400,2", "1,2,3,4,5", ",,,", "", "999,999"]),
)
kml_tag = st.sampled_from(["Point", "LineString", "Polygon", "LinearRing", "MultiGeometry", "Placemark", "Foo"])


@st.composite
def kml_document(draw):
    placemarks = []
    for _ in range(draw(st.integers(0, 4))):
        tag = draw(kml_tag)
        body = f"<coordinates>{draw(kml_coordinates)}</coordinates>"
        if tag == "Polygon":
            body = f"<outerBoundaryIs><LinearRing>{body}</LinearRing></outerBoundaryIs>"
        name = draw(xml_text).replace("<", "&lt;").replace("&", "&amp;") if draw(st.booleans()) else draw(xml_text)
        placemarks.append(f"<Placemark><name>{name}</name><{tag}>{body}</{tag}></Placemark>")
    doc = ('<?xml version="1.0" encoding="UTF-8"?><kml xmlns="http://www.opengis.net/kml/2.2"><Document>'
           + "".join(placemarks) + "</Document></kml>")
    if draw(st.booleans()):  # damaged: cut somewhere after the <kml that tells the format
        doc = doc[:draw(st.integers(doc.index("<kml") + 4, len(doc)))]
    return doc.encode("utf-8", "surrogatepass")


@FAST
@given(kml_document())
def test_any_kml_is_read_or_refused(data):
    read_or_refuse("places.kml", data)


def test_a_valid_kml_point_is_read():
    data = kml_document_of([(69.24, 41.31)])
    layer = read_or_refuse("places.kml", data)
    assert layer is not None and layer.frame.geometry[0].x == pytest.approx(69.24)
    assert math.isclose(layer.frame.geometry[0].y, 41.31)


def kml_document_of(points) -> bytes:
    placemarks = "".join(f"<Placemark><name>p</name><Point><coordinates>{x},{y}</coordinates></Point></Placemark>"
                         for x, y in points)
    return ('<?xml version="1.0" encoding="UTF-8"?><kml xmlns="http://www.opengis.net/kml/2.2"><Document>'
            f"{placemarks}</Document></kml>").encode()
