import io
import json
import zipfile

import geopandas as gpd
import pyogrio
import pytest
from shapely.geometry import LineString, Point, Polygon

from dashboard import uploads
from dashboard.uploads import UploadError, file_kind, read_upload

POINTS = gpd.GeoDataFrame({"name": ["a", "b"]}, geometry=[Point(70, 40), Point(71, 41)], crs="EPSG:4326")


def written(frame, driver, **kwargs):
    buffer = io.BytesIO()
    pyogrio.write_dataframe(frame, buffer, driver=driver, layer="upload", **kwargs)
    return buffer.getvalue()


def zipped(files):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def shapefile_zip(frame, prefix=""):
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as folder:
        pyogrio.write_dataframe(frame, Path(folder) / "layer.shp")
        return zipped({prefix + p.name: p.read_bytes() for p in Path(folder).iterdir()})


@pytest.mark.parametrize("driver, kind", [("GeoJSON", "geojson"), ("KML", "kml"), ("GPKG", "gpkg")])
def test_each_format_is_read_by_its_content(driver, kind):
    data = written(POINTS, driver)
    assert file_kind(data) == kind
    layer = read_upload("anything.txt", data)  # the name does not matter
    assert len(layer.frame) == 2 and layer.frame.crs.to_epsg() == 4326


def test_zipped_shapefile():
    layer = read_upload("layer.zip", shapefile_zip(POINTS))
    assert list(layer.frame["name"]) == ["a", "b"]


def test_a_name_does_not_make_a_format():
    with pytest.raises(UploadError, match="not GeoJSON, KML, GeoPackage"):
        read_upload("layer.geojson", b"MZ\x90\x00 not a map at all")


@pytest.mark.parametrize("files, message", [
    ({"../evil.shp": b"x"}, "outside its folder"),
    ({"/etc/evil.shp": b"x"}, "outside its folder"),
    ({f"f{i}.txt": b"x" for i in range(60)}, "at most 50"),
    ({"a.txt": b"x"}, "exactly one .shp"),
])
def test_unsafe_or_odd_zips_are_refused(files, message):
    with pytest.raises(UploadError, match=message):
        read_upload("x.zip", zipped(files))


def test_a_zip_bomb_is_refused_before_extraction(monkeypatch):
    monkeypatch.setattr(uploads, "MAX_ZIP_EXPANDED_BYTES", 1000)
    with pytest.raises(UploadError, match="expands to more than"):
        read_upload("x.zip", zipped({"layer.shp": b"\0" * 5000}))


def test_other_coordinate_systems_are_reprojected():
    layer = read_upload("m.gpkg", written(POINTS.to_crs("EPSG:3857"), "GPKG"))
    assert layer.frame.crs.to_epsg() == 4326
    assert layer.frame.geometry[0].x == pytest.approx(70) and layer.frame.geometry[0].y == pytest.approx(40)
    assert any("Reprojected" in note for note in layer.notes)


def test_invalid_geometries_are_repaired_and_empty_ones_dropped():
    bowtie = Polygon([(70, 40), (72, 42), (72, 40), (70, 42), (70, 40)])
    frame = gpd.GeoDataFrame({"name": ["bowtie", "none"]}, geometry=[bowtie, None], crs="EPSG:4326")
    layer = read_upload("p.geojson", written(frame, "GeoJSON"))
    assert len(layer.frame) == 1 and layer.frame.geometry[0].is_valid
    assert any("repaired" in n for n in layer.notes) and any("left out" in n for n in layer.notes)


def test_projected_coordinates_without_a_crs_are_refused():
    data = json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {}, "geometry": {"type": "Point", "coordinates": [7953812, 6651001]}}]})
    with pytest.raises(UploadError, match="not longitude/latitude"):
        read_upload("p.json", data.encode())


def test_limits(monkeypatch):
    with pytest.raises(UploadError, match="limit is 20 MB"):
        read_upload("big.geojson", b"{" + b" " * (uploads.MAX_UPLOAD_BYTES + 1))
    monkeypatch.setattr(uploads, "MAX_FEATURES", 1)
    with pytest.raises(UploadError, match="at most 1 are accepted"):
        read_upload("p.geojson", written(POINTS, "GeoJSON"))


def test_many_vertices_are_simplified(monkeypatch):
    monkeypatch.setattr(uploads, "MAX_VERTICES", 100)
    wiggle = LineString([(70 + i / 1000, 40 + (i % 2) / 100000) for i in range(1000)])
    frame = gpd.GeoDataFrame({"name": ["w"]}, geometry=[wiggle], crs="EPSG:4326")
    layer = read_upload("w.geojson", written(frame, "GeoJSON"))
    assert len(layer.frame.geometry[0].coords) <= 100
    assert any("simplified" in n for n in layer.notes)


def test_garbage_in_a_known_format_gives_a_message():
    with pytest.raises(UploadError, match="could not be read"):
        read_upload("x.geojson", b'{"type": "FeatureCollection", "features": [')


# A file that GDAL would open with a driver that reaches outside it: an OGR VRT naming a server
# file, a GDALG pipeline reading one. Whatever the upload looks like at its start, its data must
# never come back, and the upload is refused.
SECRET = "TOPSECRET-d41d8cd9"


@pytest.fixture()
def server_file(tmp_path):
    path = tmp_path / "secret.csv"
    path.write_text(f'WKT,secret\n"POINT (70 40)",{SECRET}\n', encoding="utf-8")
    return path


def vrt(path):
    return (f'<OGRVRTDataSource><OGRVRTLayer name="secret"><SrcDataSource>{path}</SrcDataSource>'
            '<SrcLayer>secret</SrcLayer><GeometryType>wkbPoint</GeometryType>'
            '<GeometryField encoding="WKT" field="WKT"/></OGRVRTLayer></OGRVRTDataSource>')


def outside_access_uploads(path):
    text = vrt(path)
    return {
        "VRT behind a {": ("x.geojson", ("{" + text).encode()),
        "VRT in a GeoJSON string": ("x.geojson", ('{"type": "' + text.replace('"', "'") + '"}').encode()),
        "VRT with <kml in a comment": ("x.kml", ("<!-- <kml -->" + text).encode()),
        "VRT as the .shp of a zip": ("x.zip", zipped({"layer.shp": text.encode()})),
        "GDALG pipeline": ("x.geojson", json.dumps({
            "type": "gdal_streamed_alg",
            "command_line": f"gdal vector pipeline ! read {path} ! write --of stream streamed_dataset"}).encode()),
    }


@pytest.mark.parametrize("case", list(outside_access_uploads("/x")))
def test_an_upload_cannot_make_gdal_read_other_files(case, server_file):
    name, data = outside_access_uploads(server_file)[case]
    with pytest.raises(UploadError) as refused:
        layer = read_upload(name, data)
        assert SECRET not in layer.frame.to_json()  # (the test fails here if it was read)
    assert SECRET not in str(refused.value)


def test_gdal_drivers_that_reach_outside_a_file_are_not_registered():
    assert not set(uploads.OUTSIDE_ACCESS_DRIVERS) & set(pyogrio.list_drivers())
    assert {"GeoJSON", "KML", "GPKG", "ESRI Shapefile"} <= set(pyogrio.list_drivers())


def test_a_file_that_gdal_reads_as_another_format_is_refused():
    gpx = (b'<?xml version="1.0"?><!-- not <kml> --><gpx version="1.1" creator="x" '
           b'xmlns="http://www.topografix.com/GPX/1/1"><wpt lat="40" lon="70"><name>p</name></wpt></gpx>')
    assert file_kind(gpx) == "kml"  # by its first bytes
    with pytest.raises(UploadError, match=r"not GeoJSON, KML, GeoPackage or a zipped Shapefile \(it reads as GPX\)"):
        read_upload("x.kml", gpx)


def test_features_with_coordinates_that_are_not_numbers_are_left_out():
    features = [{"type": "Feature", "properties": {"n": i}, "geometry": {"type": "Point", "coordinates": c}}
                for i, c in enumerate([[float("nan"), 0], [70, 40], [float("inf"), 1]])]
    data = json.dumps({"type": "FeatureCollection", "features": features}).encode()
    layer = read_upload("p.geojson", data)
    assert list(layer.frame["n"]) == [1]
    assert "2 feature(s) with coordinates that are not numbers were left out." in layer.notes
    with pytest.raises(UploadError, match="no features with coordinates that are numbers"):
        read_upload("p.geojson", json.dumps({"type": "FeatureCollection", "features": features[:1]}).encode())
