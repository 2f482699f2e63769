import json
import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard import geodata
from dashboard.catalog import load_catalog
from dashboard.geodata import load_layers

from sample_geodata import LAYERS, write_sample_geodata

ALL_LAYERS = {"cku_railway", "cku_stations", "corridor_legs", "corridor_nodes", "cities", "route_places", "route_legs",
              "trade_partners"}


def collection(*features, **extra):
    return json.dumps({"type": "FeatureCollection", "features": list(features), **extra})


def with_cities(*features):
    return {"cities__geojson": collection(*features)}


ASTANA, XIAN = LAYERS["cities.geojson"]


def load(tmp_path, **overrides):
    return load_layers(load_catalog(write_sample_geodata(tmp_path, **overrides)))


def test_sample_layers_load_as_wgs84_frames(tmp_path):
    loaded = load(tmp_path)
    assert loaded.problems == []
    assert set(loaded.frames) == ALL_LAYERS
    cities = loaded.frames["cities"]
    assert cities.crs.to_epsg() == 4326
    assert list(cities["id"]) == ["astana", "xian"]
    # nested properties stay Python objects, not JSON strings
    assert cities.iloc[0]["events"][0]["date"] == "2025-06-17"


def test_real_geodata_loads_without_problems():
    loaded = load_layers(load_catalog())
    assert loaded.problems == []
    assert set(loaded.frames) == ALL_LAYERS
    assert {"astana", "xian"} <= set(loaded.frames["cities"]["id"])


def _point(lon, lat, **props):
    base = dict(ASTANA["properties"])
    base.update(props)
    return {"type": "Feature", "properties": base, "geometry": {"type": "Point", "coordinates": [lon, lat]}}


FILE_CASES = {
    "missing file": (None, "the file is missing"),
    "empty file": ("  \n", "the file is empty"),
    "invalid JSON": ('{"type": "FeatureCollection", "features": [', "not valid JSON (line 1"),
    "not a FeatureCollection": ('{"type": "Feature"}', "not a GeoJSON FeatureCollection"),
    "nested too deeply": ("[" * 100_000 + "]" * 100_000, "its JSON is nested too deeply"),
    "projected CRS": (
        collection(XIAN, crs={"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3857"}}),
        "declares the coordinate system urn:ogc:def:crs:EPSG::3857",
    ),
}


@pytest.mark.parametrize("case", FILE_CASES)
def test_a_broken_file_is_reported_and_the_other_layers_still_load(case, tmp_path):
    text, message = FILE_CASES[case]
    loaded = load(tmp_path, cities__geojson=text)
    assert "cities" not in loaded.frames
    assert set(loaded.frames) == ALL_LAYERS - {"cities"}
    assert len(loaded.problems) == 1
    problem = loaded.problems[0]
    assert problem.file == "cities.geojson" and message in problem.message
    assert "is not shown" in problem.message


FEATURE_CASES = {
    "null geometry": ({**ASTANA, "geometry": None}, "has no geometry"),
    "one-point line": (
        {**ASTANA, "geometry": {"type": "LineString", "coordinates": [[71.4, 51.1]]}},
        "malformed geometry",
    ),
    "wrong geometry type": (
        {**ASTANA, "geometry": {"type": "LineString", "coordinates": [[71.4, 51.1], [72, 52]]}},
        "this layer holds Points",
    ),
    "projected coordinates": (_point(7953812.0, 6651001.0), "outside longitude"),
    "NaN coordinate": (_point(float("nan"), 51.1), "not finite numbers"),
    "infinite coordinate": ({**ASTANA, "geometry": {"type": "Point", "coordinates": [1e999, 51.1]}},
                            "not finite numbers"),
    "integer too large for a float": (
        {**ASTANA, "geometry": {"type": "Point", "coordinates": [10**400, 51.1]}}, "malformed geometry"),
    "geometry not an object": ({**ASTANA, "geometry": "POINT (71 51)"}, "malformed geometry"),
    "geometry without a type": ({**ASTANA, "geometry": {"coordinates": [71.4, 51.1]}}, "malformed geometry"),
    "latitude out of range": (_point(71.4, 95.0), "outside longitude"),
    "outside the region": (_point(-74.0, 40.7), "outside the map's region (longitude -30…135, latitude -40…65)"),
    "missing property": (
        {**ASTANA, "properties": {k: v for k, v in ASTANA["properties"].items() if k != "name"}},
        "lacks the required property 'name'",
    ),
    "wrong type": (_point(71.4, 51.1, roles="Summit host"), "'roles' of type str, expected list"),
    "id not a slug": (_point(71.4, 51.1, id="<b>x</b>"), "not a lowercase slug"),
    "event date not text": (_point(71.4, 51.1, events=[{"date": 2025, "title": "x"}]),
                            "'events' item 1 whose 'date' is of type int, expected str"),
    "event date not a date": (_point(71.4, 51.1, events=[{"date": "2025-02-30", "title": "x"}]),
                              "'events' item 1 whose 'date' is not a date like 2024, 2024-07 or 2024-07-03"),
    "event without a date": (_point(71.4, 51.1, events=[{"title": "x"}]), "'events' item 1 without 'date'"),
    "event not an object": (_point(71.4, 51.1, events=["2025: summit"]), "'events' item 1 of type str"),
    "event title not text": (_point(71.4, 51.1, events=[{"date": "2025", "title": ["x"]}]),
                             "'events' item 1 whose 'title' is of type list, expected str"),
    "role not text": (_point(71.4, 51.1, roles=["host", None]), "'roles' item 2 of type NoneType, expected str"),
    "source not an object": (_point(71.4, 51.1, sources=["https://example.org"]), "'sources' item 1 of type str, expected an object"),
    "names not a mapping": (_point(71.4, 51.1, names=["Astana"]), "'names' of type list, expected an object"),
    "a name not text": (_point(71.4, 51.1, names={"ru": 5}), "'names' whose 'ru' is of type int, expected str"),
    "duplicate id": (_point(71.0, 51.0, id="xian"), "repeats an id"),
}


@pytest.mark.parametrize("case", FEATURE_CASES)
def test_a_bad_feature_is_left_out_and_named(case, tmp_path):
    bad, message = FEATURE_CASES[case]
    loaded = load(tmp_path, **with_cities(XIAN, bad))
    assert list(loaded.frames["cities"]["id"]) == ["xian"]
    assert len(loaded.problems) == 1
    assert message in loaded.problems[0].message
    assert loaded.problems[0].message.startswith("feature 2")


def test_invalid_polygon_is_explained(tmp_path):
    bowtie = {"type": "Polygon", "coordinates": [[[70, 40], [72, 42], [72, 40], [70, 42], [70, 40]]]}
    catalog_path = write_sample_geodata(tmp_path)
    raw = json.loads(catalog_path.read_text(encoding="utf-8"))
    raw["layers"].append({"id": "areas", "title": "Areas", "group": "cities", "file": "areas.geojson",
                          "geometry": "Polygon", "required": {"name": "str"}, "tooltip": {}, "style": {}})
    catalog_path.write_text(json.dumps(raw), encoding="utf-8")
    (tmp_path / "areas.geojson").write_text(collection(
        {"type": "Feature", "properties": {"id": "bowtie", "name": "Bow tie"}, "geometry": bowtie}))
    loaded = load_layers(load_catalog(catalog_path))
    assert "areas" not in loaded.frames
    assert "invalid geometry (Self-intersection" in loaded.problems[0].message


def test_catalog_entry_without_its_file_leaves_the_rest(tmp_path):
    catalog_path = write_sample_geodata(tmp_path)
    raw = json.loads(catalog_path.read_text(encoding="utf-8"))
    raw["layers"][0]["file"] = "not-there.geojson"
    catalog_path.write_text(json.dumps(raw), encoding="utf-8")
    loaded = load_layers(load_catalog(catalog_path))
    assert set(loaded.frames) == ALL_LAYERS - {"cku_railway"}
    assert str(loaded.problems[0]).startswith("not-there.geojson: the file is missing")


def test_a_file_over_the_size_limit_is_not_read(tmp_path, monkeypatch):
    monkeypatch.setattr(geodata, "MAX_FILE_BYTES", 100)
    loaded = load(tmp_path)
    assert loaded.frames == {}
    assert len(loaded.problems) == len(ALL_LAYERS)
    assert all("MB limit" in p.message for p in loaded.problems)


def test_problems_are_logged(tmp_path, caplog):
    load(tmp_path, cities__geojson="")
    assert "cities.geojson: the file is empty" in caplog.text


def test_a_layer_whose_every_feature_is_bad_is_one_problem(tmp_path):
    projected = [_point(7953812.0 + i, 6651001.0, id=f"c{i}") for i in range(4)]
    loaded = load(tmp_path, **with_cities(*projected))
    assert "cities" not in loaded.frames
    assert len(loaded.problems) == 1
    message = loaded.problems[0].message
    assert message.startswith("no valid features: feature 1 (id 'c0') has coordinates outside longitude")
    assert "(and 3 more bad features)" in message and message.endswith("“Summit and story cities” is not shown.")


def test_a_layer_without_features_is_one_problem(tmp_path):
    loaded = load(tmp_path, **with_cities())
    assert [p.message for p in loaded.problems] == ["no features. The layer “Summit and story cities” is not shown."]


def test_many_bad_features_are_named_up_to_a_limit_then_counted(tmp_path):
    bad = [_point(71.4, 95.0, id=f"bad{i}") for i in range(8)]
    loaded = load(tmp_path, **with_cities(XIAN, *bad))
    assert list(loaded.frames["cities"]["id"]) == ["xian"]
    messages = [p.message for p in loaded.problems]
    assert len(messages) == geodata.MAX_FEATURE_PROBLEMS + 1
    assert messages[0].startswith("feature 2 (id 'bad0') has coordinates outside")
    assert messages[-1] == "3 more features have problems and are left out."


# --- any layer file: the loader reports, never raises -------------------------------------


_scalar = st.one_of(st.none(), st.booleans(), st.integers(-10**30, 10**30), st.floats(), st.text(max_size=20))
_junk = st.recursive(_scalar, lambda c: st.lists(c, max_size=4) | st.dictionaries(st.text(max_size=8), c, max_size=4),
                     max_leaves=15)


@st.composite
def _city_file(draw):
    """The sample cities, with random parts replaced by junk: or plain junk, or junk bytes."""
    kind = draw(st.sampled_from(["features", "collection", "any json", "bytes"]))
    if kind == "bytes":
        return draw(st.binary(max_size=300)).decode("utf-8", "replace")
    if kind == "any json":
        return json.dumps(draw(_junk))
    features = [json.loads(json.dumps(f)) for f in LAYERS["cities.geojson"]]
    data = {"type": "FeatureCollection", "features": features}
    for _ in range(draw(st.integers(1, 4))):
        feature = draw(st.sampled_from(features))
        where = draw(st.sampled_from(["feature", "geometry", "coordinates", "properties", "property", "type",
                                      "collection"]))
        if not isinstance(feature, dict):
            continue
        if where == "feature":
            features[features.index(feature)] = draw(_junk)
        elif where == "geometry":
            feature["geometry"] = draw(_junk)
        elif where == "coordinates" and isinstance(feature.get("geometry"), dict):
            feature["geometry"]["coordinates"] = draw(_junk)
        elif where == "properties":
            feature["properties"] = draw(_junk)
        elif where == "property" and isinstance(feature.get("properties"), dict):
            feature["properties"][draw(st.sampled_from(["id", "name", "roles", "events", "sources", "x"]))] = draw(_junk)
        elif where == "type" and isinstance(feature.get("geometry"), dict):
            feature["geometry"]["type"] = draw(st.sampled_from(["Polygon", "LineString", "MultiPoint", "Nope", ""]))
        elif where == "collection":
            data[draw(st.sampled_from(["type", "features", "crs"]))] = draw(_junk)
    return json.dumps(data)


@settings(max_examples=int(os.environ.get("GEODATA_EXAMPLES", 60)), deadline=None)
@given(_city_file())
def test_any_city_file_is_loaded_or_reported(text):
    with tempfile.TemporaryDirectory() as folder:
        loaded = load(Path(folder), cities__geojson=text)  # never raises
    assert set(loaded.frames) >= ALL_LAYERS - {"cities"}  # the other layers always load
    assert all(p.file == "cities.geojson" and p.message for p in loaded.problems)
    if "cities" in loaded.frames:
        cities = loaded.frames["cities"]
        assert cities["id"].is_unique and cities.geometry.is_valid.all()
    else:
        assert loaded.problems  # a city layer that is not shown is always explained
