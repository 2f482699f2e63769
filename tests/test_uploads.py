"""Uploads: each format by its content, the checks and limits, and what a visitor is told.

The rules are checked with the reader's code run in this process (`read_in_process`, fast);
each format, the size limit, the drivers and the process itself through the real reader
(`read_upload`). tests/test_upload_attacks.py sends the attacker's files to the real reader."""

import io
import json
import subprocess
import sys

import psutil
import pyogrio
import pytest
from shapely.geometry import LineString, Polygon

from dashboard import limits, upload_worker, uploads
from dashboard.upload_formats import file_kind
from dashboard.uploads import UploadError, read_upload

from helpers import read_in_process
from hostile_uploads import _streamed_zip, feature, geojson, points, self_crossing_polygon, shapefile_zip, zipped


def written(frame, driver, **kwargs):
    buffer = io.BytesIO()
    pyogrio.write_dataframe(frame, buffer, driver=driver, layer="upload", **kwargs)
    return buffer.getvalue()


@pytest.mark.parametrize("driver, kind", [("GeoJSON", "geojson"), ("KML", "kml"), ("GPKG", "gpkg")])
def test_each_format_is_read_by_its_content(driver, kind):
    data = written(points(), driver)
    assert file_kind(data) == kind
    layer = read_upload("anything.txt", data)  # the name does not matter
    assert len(layer.frame) == 2 and layer.frame.crs.to_epsg() == 4326
    assert layer.frame.geometry[0].x == pytest.approx(70) and layer.frame.geometry[1].y == pytest.approx(41)


def test_zipped_shapefile():
    layer = read_upload("layer.zip", shapefile_zip(points()))
    assert list(layer.frame["name"]) == ["p0", "p1"] and layer.name == "layer.zip"


def test_a_name_does_not_make_a_format():
    with pytest.raises(UploadError, match="not GeoJSON, KML, GeoPackage"):
        read_in_process("layer.geojson", b"MZ\x90\x00 not a map at all")


@pytest.mark.parametrize("files, message", [
    ({"../evil.shp": b"x"}, "outside its folder"),
    ({"/etc/evil.shp": b"x"}, "outside its folder"),
    ({f"f{i}.txt": b"x" for i in range(60)}, "holds 60 files; at most 50"),
    ({"a.txt": b"x"}, "exactly one .shp file; it holds 0"),
])
def test_unsafe_or_odd_zips_are_refused(files, message):
    with pytest.raises(UploadError, match=message):
        read_in_process("x.zip", zipped(files))


def test_a_zip_bomb_is_refused_before_it_is_unpacked():
    bomb = _streamed_zip({"layer.shp": (b"", b"\0" * 1024, limits.MAX_ZIP_EXPANDED_BYTES // 1024 + 1)})
    assert len(bomb) < limits.MAX_ZIP_EXPANDED_BYTES // 100
    with pytest.raises(UploadError, match="expands to more than 200 MB"):
        read_in_process("x.zip", bomb)


def test_other_coordinate_systems_are_reprojected():
    layer = read_in_process("m.gpkg", written(points().to_crs("EPSG:3857"), "GPKG"))
    assert layer.frame.crs.to_epsg() == 4326
    assert layer.frame.geometry[0].x == pytest.approx(70) and layer.frame.geometry[0].y == pytest.approx(40)
    assert "Reprojected from '` WGS 84 / Pseudo-Mercator `' to WGS84." in [str(note) for note in layer.notes]


def test_invalid_geometries_are_repaired_and_empty_ones_dropped():
    bowtie = Polygon([(70, 40), (72, 42), (72, 40), (70, 42), (70, 40)])
    frame = points().iloc[:0].__class__({"name": ["bowtie", "none"]}, geometry=[bowtie, None], crs="EPSG:4326")
    layer = read_in_process("p.geojson", written(frame, "GeoJSON"))
    assert len(layer.frame) == 1 and layer.frame.geometry[0].is_valid
    assert layer.frame.geometry[0].area == pytest.approx(2.0)  # both triangles of the bow tie kept
    assert "Invalid geometries repaired: 1." in [str(note) for note in layer.notes]
    assert "Features without a geometry left out: 1." in [str(note) for note in layer.notes]


def test_projected_coordinates_without_a_crs_are_refused():
    data = geojson([feature({"type": "Point", "coordinates": [7953812, 6651001]})])
    with pytest.raises(UploadError, match="not longitude/latitude"):
        read_in_process("p.json", data)


def test_a_file_over_the_size_limit_is_refused_before_it_is_read():
    with pytest.raises(UploadError, match="The file is 20.0 MB; the limit is 20 MB."):
        read_upload("big.geojson", b"{" + b" " * limits.MAX_FILE_BYTES)


def test_more_features_than_allowed_are_refused():
    many = [feature({"type": "Point", "coordinates": [70, 40]}) for _ in range(limits.MAX_FEATURES + 1)]
    with pytest.raises(UploadError, match="has 50,001 features; at most 50,000 are accepted"):
        read_in_process("many.geojson", geojson(many))


def test_many_vertices_are_simplified_for_display():
    wiggle = LineString([(70 + i / 10_000, 40 + (i % 2) / 1_000_000) for i in range(limits.MAX_VERTICES + 10_000)])
    frame = points().iloc[:0].__class__({"name": ["w"]}, geometry=[wiggle], crs="EPSG:4326")
    layer = read_in_process("w.geojson", written(frame, "GeoJSON"))
    assert len(layer.frame.geometry[0].coords) <= limits.MAX_VERTICES
    assert "Simplified for display from 60,000 vertices." in [str(note) for note in layer.notes]


def test_long_texts_and_many_properties_are_cut_to_size():
    props = {f"p{i}": "x" * 2000 for i in range(limits.MAX_COLUMNS + 5)}
    layer = read_in_process("t.geojson", geojson([feature({"type": "Point", "coordinates": [70, 40]}, **props)]))
    assert len(layer.frame.columns) == limits.MAX_COLUMNS + 1  # and the geometry
    assert layer.frame["p0"][0] == "x" * (limits.MAX_TEXT_CHARS - 1) + "…"
    assert "Properties left out (the map shows the first 3): 5." in [str(note) for note in layer.notes]
    assert "Long text values shortened: 3." in [str(note) for note in layer.notes]


def test_garbage_in_a_known_format_gives_a_plain_message():
    with pytest.raises(UploadError, match="^The GeoJSON file could not be read: it is damaged or not in that format.$"):
        read_in_process("x.geojson", b'{"type": "FeatureCollection", "features": [')


def test_a_file_that_gdal_reads_as_another_format_is_refused():
    gpx = (b'<?xml version="1.0"?><!-- not <kml> --><gpx version="1.1" creator="x" '
           b'xmlns="http://www.topografix.com/GPX/1/1"><wpt lat="40" lon="70"><name>p</name></wpt></gpx>')
    assert file_kind(gpx) == "kml"  # by its first bytes
    with pytest.raises(UploadError, match="^The KML file could not be read"):
        read_upload("x.kml", gpx)


def test_features_with_coordinates_that_are_not_numbers_are_left_out():
    features = [feature({"type": "Point", "coordinates": c}, n=i)
                for i, c in enumerate([[float("nan"), 0], [70, 40], [float("inf"), 1]])]
    layer = read_in_process("p.geojson", geojson(features))
    assert list(layer.frame["n"]) == [1]
    assert "Features with coordinates that are not numbers left out: 2." in [str(note) for note in layer.notes]
    with pytest.raises(UploadError, match="no features with coordinates that are numbers"):
        read_in_process("p.geojson", geojson(features[:1]))


# --- the reader process ---------------------------------------------------------------------

def test_the_reader_has_only_the_four_formats_gdal_drivers(tmp_path):
    env = upload_worker.environment(pyogrio.list_drivers())
    out = subprocess.run([sys.executable, "-s", "-c", "import pyogrio; print(sorted(pyogrio.list_drivers()))"],
                         env=env, cwd=tmp_path, capture_output=True, text=True, check=True).stdout
    assert out.strip() == str(sorted(upload_worker.ALLOWED_DRIVERS))
    assert len(pyogrio.list_drivers()) > 20  # and this process (the server's kind) keeps all of GDAL


def test_the_reader_gets_none_of_the_servers_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("CARTO_API_KEY", "secret-key")
    env = upload_worker.environment(pyogrio.list_drivers())
    assert "CARTO_API_KEY" not in env and "secret-key" not in json.dumps(env)
    assert set(env) <= {"PATH", "LANG", "HOME", "PYTHONPATH", "PYTHONDONTWRITEBYTECODE", "OPENBLAS_NUM_THREADS",
                        "OMP_NUM_THREADS", "PROJ_NETWORK"} | {k for k in env if k.startswith(("GDAL_", "CPL_", "OGR_",
                                                                                                "GML_", "SPATIALITE_"))}


def test_a_reader_over_its_deadline_is_killed_with_a_plain_message():
    before = {p.pid for p in psutil.Process().children(recursive=True)}
    result = uploads.run_reader(self_crossing_polygon(), deadline_s=0.5)  # needs ~2 s
    assert result["code"] == "too-much-work"
    after = {p.pid for p in psutil.Process().children(recursive=True) if p.status() != psutil.STATUS_ZOMBIE}
    assert after - before <= {uploads._spare.pid}  # the killed reader is gone; only the next spare waits
    with pytest.raises(UploadError, match="^This file needs more work than the dashboard allows"):
        uploads.layer_from_result("x", b"", result)


def test_a_visitor_is_asked_to_retry_while_the_readers_are_busy(monkeypatch):
    monkeypatch.setattr(uploads, "_readers", uploads.threading.BoundedSemaphore(1))
    uploads._readers.acquire()
    with pytest.raises(UploadError, match="reading other uploads right now; please try again"):
        read_upload("p.geojson", geojson([feature({"type": "Point", "coordinates": [70, 40]})]))


def test_an_answer_beyond_the_limits_is_not_trusted():
    point = "0101000000000000000000514000000000000044c0"  # POINT (68 -40), as hex WKB
    answer = {"ok": True, "wkb": [point] * (limits.MAX_FEATURES + 1), "properties": {},
              "notes": [["repaired", {"count": "<b>1</b>"}], "junk"]}
    with pytest.raises(UploadError, match="needs more work"):
        uploads.layer_from_result("x", b"", answer)
    for broken in ({"wkb": [point], "properties": {"a": [1, 2]}}, {"wkb": ["00ff"], "properties": {}},
                   {"wkb": point, "properties": {}}):
        with pytest.raises(UploadError, match="needs more work"):
            uploads.layer_from_result("x", b"", {**answer, **broken})
    answer["wkb"] = [point]
    layer = uploads.layer_from_result("x", b"", answer)
    assert [str(note) for note in layer.notes] == ["Invalid geometries repaired: 0."] and layer.frame.geometry[0].x == 68


@pytest.mark.parametrize(("lang", "refusal", "note"), [
    ("en", "The file has 60,000 features; at most 50,000 are accepted.", "Reprojected from '` EPSG:3857 `' to WGS84."),
    ("ru", "В файле 60\xa0000 объектов; принимается не более 50\xa0000.", "Перепроецировано из '` EPSG:3857 `' в WGS84."),
    ("zh", "文件有 60,000 个要素；最多接受 50,000 个。", "已从 '` EPSG:3857 `' 重投影到 WGS84。"),
])
def test_refusals_and_notes_are_shown_in_the_visitors_language(lang, refusal, note):
    from dashboard.i18n import Translator
    from dashboard.upload_messages import NOTES, REFUSALS, Message

    _ = Translator(lang)
    error = UploadError(Message.of(REFUSALS["too-many-features"], {"count": 60_000}))
    assert error.text(_) == refusal and str(error) == error.text()  # English in the server's log
    assert Message.of(NOTES["reprojected"], {"crs": "EPSG:3857"}).text(_) == note
    # a value that is not what the sentence expects is never put in as it came
    assert "<b>" not in Message.of(REFUSALS["zip-members"], {"count": "<b>9</b>"}).text(_)
