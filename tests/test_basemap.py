"""The offline base map as `make basemap` built it (static/basemap/), checked against places
whose truth is known: water where the lakes are, the Caspian ports on the shore, the relief
high on the Torugart pass and low in Fergana, the rivers where the towns on them are, names
that never collide, and a build that needs no network."""

from __future__ import annotations

import functools
import json
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest
import shapely
from affine import Affine
from PIL import Image
from pyproj import Geod

from scripts.basemap import tiles, vectors, water
from scripts.basemap.relief import Elevation

from helpers import ROOT

BASEMAP = ROOT / "static" / "basemap"
GEOD = Geod(ellps="WGS84")


def node(layer: str, feature_id: str) -> tuple[float, float]:
    """A point of the dashboard's own layers (their accuracy is tested in test_geodata_accuracy)."""
    features = json.loads((ROOT / "geodata" / f"{layer}.geojson").read_text(encoding="utf-8"))["features"]
    return tuple(next(f for f in features if f["properties"]["id"] == feature_id)["geometry"]["coordinates"])


def tile_pixels(lon: float, lat: float, zoom: int, radius: int = 0) -> np.ndarray:
    """The RGB pixels of the built tiles around a place (a square of 2·radius+1 pixels)."""
    x, y = tiles.world_pixels(lon, lat, zoom)
    pixels = []
    for py in range(int(y) - radius, int(y) + radius + 1):
        for px in range(int(x) - radius, int(x) + radius + 1):
            path = BASEMAP / "tiles" / str(zoom) / str(px // 256) / f"{py // 256}.webp"
            pixels.append(np.asarray(Image.open(path).convert("RGB"))[py % 256, px % 256])
    return np.array(pixels, dtype=int)


def is_water(pixels: np.ndarray) -> np.ndarray:
    return np.abs(pixels - tiles.WATER.astype(int)).max(axis=-1) <= 8  # WebP moves colours a little


def km(a: tuple[float, float], b: tuple[float, float]) -> float:
    return GEOD.inv(a[0], a[1], b[0], b[1])[2] / 1000


def test_the_manifest_lists_what_was_built_and_the_budget_holds():
    manifest = json.loads((BASEMAP / "basemap.json").read_text(encoding="utf-8"))
    assert {int(z) for z in manifest["zooms"]} == set(range(3, 11))
    files = [f for f in BASEMAP.rglob("*") if f.is_file()]
    assert manifest["tiles"] == sum(1 for f in files if f.suffix == ".webp")
    assert sum(f.stat().st_size for f in files) <= 30 * 2**20
    for licence in ("GEBCO", "SRTM30", "GSHHG", "Natural Earth", "GeoNames"):
        assert licence in manifest["attribution"]
        assert licence in (ROOT / "geodata" / "SOURCES.md").read_text(encoding="utf-8")


@pytest.mark.parametrize(("lake", "lon", "lat"), [
    ("Issyk-Kul", 77.30, 42.45), ("Chatyr-Kul", 75.28, 40.62), ("Son-Kul", 75.12, 41.83),
    ("Kapchagay reservoir", 77.60, 43.85), ("Toktogul reservoir", 72.85, 41.78), ("Balkhash", 74.50, 46.30),
    ("North Aral Sea", 61.00, 46.40), ("Caspian Sea", 51.00, 42.00),
])
@pytest.mark.parametrize("zoom", [6, 8])
def test_lakes_reservoirs_and_seas_are_water_where_they_are(lake, lon, lat, zoom):
    assert is_water(tile_pixels(lon, lat, zoom)).all(), lake


@pytest.mark.parametrize(("place", "lon", "lat"), [
    ("Andijan", 72.33, 40.78), ("Karakol, by Issyk-Kul", 78.39, 42.49), ("Kashgar", 75.99, 39.47),
    ("the dry bed of the eastern Aral Sea (its 1960 outline)", 60.50, 45.30),
])
def test_land_is_land(place, lon, lat):
    assert not is_water(tile_pixels(lon, lat, 8, radius=1)).any(), place


@functools.cache
def caspian_shore() -> shapely.LinearRing:
    return next(shapely.Polygon(points) for level, _, points in water.read_gshhg("gshhs", (46, 36, 55, 48))
                if level == water.LAKE and len(points) > 1000).exterior


@functools.cache
def rivers() -> list[shapely.LineString]:
    return [shapely.LineString(points) for _, _, points in water.read_gshhg("rivers", (66, 36, 83, 46))]


@pytest.mark.parametrize("port", ["alat-port", "kuryk-port", "aktau-port", "baku"])
def test_the_caspian_ports_are_on_the_shore(port):
    lon, lat = node("corridor_nodes", port)
    shore = shapely.ops.nearest_points(caspian_shore(), shapely.Point(lon, lat))[0]
    assert km((lon, lat), (shore.x, shore.y)) <= 5
    assert is_water(tile_pixels(lon, lat, 8, radius=8)).any()  # 8 px at z8: < 5 km here


def test_the_relief_is_high_on_the_torugart_pass_and_low_in_fergana_and_the_plains():
    # the sample places and all of GEBCO's area: the same grey-to-metres table as the build's
    # (it is matched on GEBCO's cells), from fewer SRTM tiles than the whole region's
    elevation = Elevation(66.0, 30.0, 110.0, 52.0)

    def metres(lon: float, lat: float) -> float:
        cell = Affine.translation(lon - 0.001, lat + 0.001) @ Affine.scale(0.002, -0.002)
        return float(elevation.into(cell, (1, 1), "EPSG:4326")[0, 0])

    assert 3400 <= metres(*node("cku_stations", "torugart")) <= 3900  # the pass: 3,752 m
    assert 350 <= metres(*node("cku_stations", "andijan")) <= 650  # Andijan: ~450–500 m
    assert 1150 <= metres(*node("cku_stations", "kashgar")) <= 1450  # Kashgar: ~1,290 m
    # outside GEBCO's area, SRTM30 in the same metres
    assert 300 <= metres(*node("cities", "xian")) <= 550  # Xi'an: ~400 m
    assert 250 <= metres(*node("cities", "astana")) <= 450  # Astana: ~350 m


@pytest.mark.parametrize(("river", "lon", "lat", "within_km"), [
    ("Naryn, at Naryn", 75.99, 41.43, 1), ("Chu, at Tokmok", 75.30, 42.85, 1.5),
    ("Kara-Darya, at Uzgen", 73.30, 40.77, 2.5), ("Syr Darya, at Khujand", 69.63, 40.29, 2),
    ("Amu Darya, at Termez", 67.28, 37.22, 3.5), ("Ili, at Bakanas", 76.27, 44.80, 3),
    ("Tarim, at Aral (Alar)", 81.27, 40.55, 3),
])
def test_the_main_rivers_flow_past_the_towns_on_them(river, lon, lat, within_km):
    nearest = min((shapely.ops.nearest_points(line, shapely.Point(lon, lat))[0] for line in rivers()),
                  key=lambda p: km((lon, lat), (p.x, p.y)))
    assert km((lon, lat), (nearest.x, nearest.y)) <= within_km, river


@pytest.mark.parametrize("lang", vectors.LANGUAGES)
def test_names_shown_at_a_zoom_never_collide_there(lang):
    labels = json.loads((BASEMAP / vectors.labels_file(lang)).read_text(encoding="utf-8"))
    for zoom in range(vectors.MIN_ZOOM, vectors.MAX_ZOOM + 1):
        boxes = shapely.box(*np.array([vectors.label_box(lon, lat, name, kind, zoom)
                                       for lon, lat, name, first, kind in labels if first <= zoom]).T)
        tree = shapely.STRtree(boxes)
        pairs = tree.query(boxes, predicate="overlaps")
        assert not (pairs[0] != pairs[1]).any(), f"z{zoom}: names overlap"
    kinds = {kind: sum(1 for label in labels if label[4] == kind and label[3] <= 4) for kind in ("country", "place")}
    assert kinds["country"] >= 15 and kinds["place"] >= 10  # country names from the first zooms


def test_places_are_named_as_the_dashboard_names_them():
    names = {label[2] for label in json.loads((BASEMAP / "labels.json").read_text(encoding="utf-8"))}
    overrides = json.loads((ROOT / "geodata" / "basemap" / "place_names.json").read_text(encoding="utf-8"))
    for entry in [*overrides["places"].values(), *overrides["countries"].values(), *overrides["capitals"].values()]:
        assert entry["name"] in names
    assert not names & {"Manas", "Andijon", "Xiva", "Qarasu", "Turkey", "Nur-Sultan"}


def labels_in(lang):
    return json.loads((BASEMAP / vectors.labels_file(lang)).read_text(encoding="utf-8"))


@pytest.mark.parametrize(("lang", "countries", "places", "share"), [
    ("ru", {"Казахстан", "Кыргызстан", "Узбекистан", "Китай", "Азербайджан", "Турция"},
     {"Алматы", "Ташкент", "Бишкек", "Баку", "Джалал-Абад", "Андижан", "Астана", "Урумчи"}, 0.8),
    ("zh", {"哈萨克斯坦", "吉尔吉斯斯坦", "乌兹别克斯坦", "中国", "阿塞拜疆", "土耳其"},
     {"阿拉木图", "塔什干", "比什凯克", "巴库", "贾拉拉巴德", "安集延", "阿斯塔纳", "乌鲁木齐", "喀什"}, 0.55),
])
def test_the_names_are_drawn_in_each_language(lang, countries, places, share):
    labels = labels_in(lang)
    names = {label[2] for label in labels}
    assert countries <= names and places <= names, (countries - names, places - names)
    english = {label[2] for label in labels_in("en") if label[4] == "country"}
    assert not {label[2] for label in labels if label[4] == "country"} & english
    # the places most seen (up to z5) are mostly in the language (GeoNames has fewer Chinese
    # names outside China), the rest in GeoNames' Latin
    first = [label[2] for label in labels if label[4] == "place" and label[3] <= 5]
    own = [name for name in first if not name.isascii()]
    assert len(own) >= share * len(first), len(own) / len(first)


def test_every_chosen_name_is_one_of_its_places_names_in_geonames():
    from scripts.basemap import sources

    places = json.loads(sources.path("places").read_text(encoding="utf-8"))
    chosen = json.loads((ROOT / "geodata" / "basemap" / "place_names_ru_zh.json").read_text(encoding="utf-8"))
    wrong = [(geonameid, lang, name) for geonameid, entry in chosen["places"].items() for lang, name in entry.items()
             if lang in ("ru", "zh") and name not in places[geonameid]["alternatenames"]]
    assert wrong == [] and len(chosen["places"]) > 800


def test_the_base_map_builds_from_the_installed_sources_without_a_network(tmp_path):
    """A small build in a process that cannot open a socket or start a program (the upload
    reader's confinement): everything it reads is on disk once set-up has fetched it."""
    script = textwrap.dedent(f"""
        from pathlib import Path
        from dashboard import sandbox
        from scripts import make_basemap
        sandbox.confine(Path({str(tmp_path)!r}), cpu_s=120, memory_bytes=4 * 2**30)
        make_basemap.build(out=Path({str(tmp_path / "basemap")!r}), plan={{10: (75.3, 40.5, 75.5, 40.65)}},
                           region=(70.0, 38.0, 80.0, 44.0))
    """)
    run = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
                         capture_output=True, text=True, timeout=180)
    assert run.returncode == 0, run.stderr[-2000:]
    built = json.loads((tmp_path / "basemap" / "basemap.json").read_text(encoding="utf-8"))
    assert built["tiles"] == len(list((tmp_path / "basemap" / "tiles" / "10").rglob("*.webp"))) >= 1
    assert built["labels"] > 100
