"""Broken layer files at app level: the overview page still runs, every other layer is drawn,
and the page shows one plain-words warning naming the file and the fault, which is also logged.

tests/test_geodata.py checks the loader's report of every case; these are the wiring: one case
of each way a problem reaches the page (a whole file, a feature, a nested property, a polygon
layer, the catalog, the size limit).
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import geodata, store

from sample_geodata import LAYERS, write_sample_geodata

OVERVIEW = str(Path(__file__).resolve().parent.parent / "pages" / "overview.py")
ASTANA, XIAN = LAYERS["cities.geojson"]
CN, KG = LAYERS["cku_railway.geojson"]
KASHGAR = LAYERS["cku_stations.geojson"][0]
AKTAU = LAYERS["corridor_nodes.geojson"][0]
OVERVIEW_FILES = ("cku_railway.geojson", "cku_stations.geojson", "corridor_legs.geojson", "corridor_nodes.geojson",
                  "cities.geojson")  # the overview's layers (the routes' and the trade's are on their own pages)
ALL_FEATURES = {
    (Path(file).stem, feature["properties"]["id"]) for file in OVERVIEW_FILES for feature in LAYERS[file]
}
EPSG_3857 = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3857"}}


def collection(*features, **extra) -> str:
    return json.dumps({"type": "FeatureCollection", "features": list(features), **extra})


def changed(feature, geometry=..., **props):
    """A copy of a sample feature with another geometry and/or changed properties
    (a property set to `...` is removed)."""
    properties = {k: v for k, v in {**feature["properties"], **props}.items() if v is not ...}
    return {**feature, "properties": properties,
            "geometry": feature["geometry"] if geometry is ... else geometry}


def point_at(lon, lat):
    return {"type": "Point", "coordinates": [lon, lat]}


def add_polygon_layer(tmp_path, features):
    """A polygon layer in the catalog (the real catalog has none) with these features."""
    catalog = tmp_path / "catalog.json"
    raw = json.loads(catalog.read_text(encoding="utf-8"))
    raw["layers"].append({"id": "areas", "title": "Areas", "group": "cities", "file": "areas.geojson",
                          "geometry": "Polygon", "required": {"name": "str"}, "tooltip": {"name": "Area"},
                          "style": {"color": "#000000"}})
    catalog.write_text(json.dumps(raw), encoding="utf-8")
    (tmp_path / "areas.geojson").write_text(collection(*features), encoding="utf-8")


def rename_layer_file(tmp_path, layer_id, new_file):
    catalog = tmp_path / "catalog.json"
    raw = json.loads(catalog.read_text(encoding="utf-8"))
    for entry in raw["layers"]:
        if entry["id"] == layer_id:
            entry["file"] = new_file
    catalog.write_text(json.dumps(raw), encoding="utf-8")


def oversized(tmp_path, monkeypatch):
    """A 3 MB corridor_legs.geojson (valid, padded) against a limit lowered to 1 MB."""
    monkeypatch.setattr(geodata, "MAX_FILE_BYTES", 2**20)
    text = collection(*LAYERS["corridor_legs.geojson"])
    (tmp_path / "corridor_legs.geojson").write_text(text[:-1] + " " * (3 * 2**20) + "}", encoding="utf-8")


BOWTIE = {"type": "Polygon", "coordinates": [[[70, 40], [72, 42], [72, 40], [70, 42], [70, 40]]]}
SQUARE = {"type": "Polygon", "coordinates": [[[60, 40], [61, 40], [61, 41], [60, 41], [60, 40]]]}
AREA = {"type": "Feature", "properties": {"id": "square", "name": "Square"}, "geometry": SQUARE}
BAD_AREA = {"type": "Feature", "properties": {"id": "bowtie", "name": "Bow tie"}, "geometry": BOWTIE}

TORUGART = changed(KASHGAR, id="torugart", name="Torugart", kind="border crossing",
                   geometry=point_at(75.4, 40.56))


@dataclass(frozen=True)
class Case:
    file: str  # the file the warning must name
    words: list[str]  # what it must say
    overrides: dict = field(default_factory=dict)  # for write_sample_geodata
    setup: Callable | None = None  # (tmp_path, monkeypatch) -> None, after the sample is written
    left_out: set = field(default_factory=set)  # (layer, id) of sample features not drawn
    added: set = field(default_factory=set)  # (layer, id) drawn that the sample does not have


CASES = {
    "missing file": Case(
        "cku_stations.geojson", ["the file is missing", "“CKU stations and crossings” is not shown"],
        {"cku_stations__geojson": None}, left_out={("cku_stations", "kashgar")},
    ),
    "a feature with null geometry": Case(
        "cities.geojson", ["feature 1 (id 'astana')", "has no geometry", "left out"],
        {"cities__geojson": collection(changed(ASTANA, geometry=None), XIAN)}, left_out={("cities", "astana")},
    ),
    "a self-intersecting polygon": Case(
        "areas.geojson", ["feature 2 (id 'bowtie')", "invalid geometry", "Self-intersection", "left out"],
        setup=lambda tmp_path, _: add_polygon_layer(tmp_path, [AREA, BAD_AREA]), added={("areas", "square")},
    ),
    "a whole layer in projected coordinates": Case(
        "cku_stations.geojson",
        ["no valid features", "feature 1 (id 'kashgar')", "projected coordinates?", "(and 1 more bad feature)",
         "“CKU stations and crossings” is not shown"],
        {"cku_stations__geojson": collection(changed(KASHGAR, geometry=point_at(8459530.0, 4790140.0)),
                                             changed(TORUGART, geometry=point_at(8393740.0, 4954010.0)))},
        left_out={("cku_stations", "kashgar")},
    ),
    "an event without a valid date (nested property)": Case(
        "cities.geojson", ["feature 1 (id 'astana')", "'events' item 1 whose 'date' is not a date like 2024", "left out"],
        {"cities__geojson": collection(changed(ASTANA, events=[{"date": "soon", "title": "Summit"}]), XIAN)},
        left_out={("cities", "astana")},
    ),
    "duplicate ids": Case(
        "cities.geojson", ["feature 3 (id 'xian')", "repeats an id", "left out"],
        {"cities__geojson": collection(ASTANA, XIAN, changed(XIAN, geometry=point_at(69.24, 41.31),
                                                             name="Tashkent"))},
    ),
    "a catalog entry naming a file that is not there": Case(
        "ports.geojson", ["the file is missing", "is not shown"],
        setup=lambda tmp_path, _: rename_layer_file(tmp_path, "corridor_nodes", "ports.geojson"),
        left_out={("corridor_nodes", "aktau")},
    ),
    "a file far larger than the limit": Case(
        "corridor_legs.geojson", ["the file is 3.0 MB, over the 1 MB limit", "is not shown"],
        setup=oversized, left_out={("corridor_legs", "aktau-alat")},
    ),
}


def drawn_features(at) -> set[tuple[str, str]]:
    """(layer, id) of every feature sent to the map component."""
    maps = [e for e in at.get("component_instance") if "folium" in e.proto.component_name]
    assert len(maps) == 1, "the overview shows one map"
    script = json.loads(maps[0].proto.json_args)["script"]
    features = set()
    for properties in re.findall(r'"properties": (\{[^{}]*\})', script):
        props = json.loads(properties)
        if "layer" in props and "id" in props:
            features.add((props["layer"], props["id"]))
    return features


@pytest.fixture()
def run_overview(tmp_path, monkeypatch, caplog):
    def run(overrides, setup):
        catalog = write_sample_geodata(tmp_path, **overrides)
        if setup is not None:
            setup(tmp_path, monkeypatch)
        monkeypatch.setattr(store, "CATALOG_FILE", catalog)
        store._load.clear()
        caplog.set_level(logging.WARNING, logger=geodata.log.name)
        return AppTest.from_file(OVERVIEW, default_timeout=60).run()

    yield run
    store._load.clear()


def test_the_sample_data_draws_every_feature_with_no_warning(run_overview):
    at = run_overview({}, None)
    assert not at.exception and not at.warning and not at.error
    assert drawn_features(at) == ALL_FEATURES
    assert at.selectbox(key="city").options == ["Astana", "Xi'an"]


@pytest.mark.parametrize("case", CASES)
def test_a_broken_layer_file_is_named_on_the_page_and_in_the_log(case, run_overview, caplog):
    case = CASES[case]
    at = run_overview(case.overrides, case.setup)

    assert not at.exception
    notices = [w.value for w in at.warning] + [e.value for e in at.error]
    assert len(notices) == 1, notices
    notice = notices[0]
    assert f"`{case.file}`" in notice
    for word in case.words:
        assert word in notice
    assert "Traceback" not in notice and "Error" not in notice  # plain words, no exception names

    # every other layer, and the rest of a layer whose feature was left out, is drawn
    expected = ALL_FEATURES - case.left_out | case.added
    assert drawn_features(at) == expected
    cities = {"astana": "Astana", "xian": "Xi'an"}
    assert at.selectbox(key="city").options == [name for fid, name in cities.items() if ("cities", fid) in expected]

    # the log says the same
    logged = [r.getMessage() for r in caplog.records if r.name == geodata.log.name]
    assert len(logged) == 1, logged
    assert logged[0].startswith(f"geodata problem: {case.file}: ")
    message = logged[0].removeprefix(f"geodata problem: {case.file}: ")
    assert message in notice


def test_text_from_a_layer_file_in_a_warning_cannot_act_as_markdown(run_overview):
    """A warning is Markdown: an id or a CRS name from a file goes in a code span."""
    from helpers import ACTIVE, code_spans

    evil_id = "[x](http://evil.example/)"
    evil_crs = {"type": "name", "properties": {"name": "![x](http://evil.example/x.png)"}}
    at = run_overview({"cities__geojson": collection(ASTANA, changed(XIAN, id=evil_id)),
                       "corridor_nodes__geojson": collection(AKTAU, crs=evil_crs)}, None)
    assert not at.exception
    warnings = sorted(w.value for w in at.warning)
    assert len(warnings) == 2
    for warning, words in zip(warnings, [
        f"feature 2 has id '{evil_id}', which is not a lowercase slug",
        "declares the coordinate system '![x](http://evil.example/x.png)'",
    ]):
        shown_text, outside = code_spans(warning)
        assert words in shown_text
        message = outside[outside.index(": ") + 2:]  # after the page's "Layer file `…`: "
        assert not ACTIVE.search(message), message
