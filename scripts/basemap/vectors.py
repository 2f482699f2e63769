"""The base map's vectors: Natural Earth 1:10m land borders and country names, and GeoNames
places, each label with the zoom from which it is shown, in each of the dashboard's languages.

Names in Russian and Chinese: countries by their ISO code from CLDR (Babel's locale data, the
names the dashboard's tables use); places from the name table (geodata/basemap/place_names.json),
CLDR's city names (the cities of time zones) and the names chosen from GeoNames' alternate names
(geodata/basemap/place_names_ru_zh.json); any other place keeps its GeoNames (Latin) name. Each
language has its own labels file, placed on its own: a Chinese name is shorter, a Russian one
often longer, so the names that fit differ.

Labels are placed here, once, not in the browser: at each zoom, in order of importance
(countries by area, then capitals, then places by population), a label is kept if its box
clears every box kept before it; the labels kept at the zoom below go first (places only move
apart as one zooms in, so they still clear each other). Each label thus gets one `minzoom`, and
the labels with `minzoom` <= the map's zoom never collide.
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pycountry
import pyogrio
import shapely
from babel.dates import get_timezone, get_timezone_location
from shapely.geometry import box

from dashboard.i18n import Translator
from scripts.basemap import sources
from scripts.basemap.tiles import world_pixels

CHAR_PX, LINE_PX, PAD_PX = 6.6, 13, 3  # a label's box: 11 px sans serif (countries: capitals, spaced), one line, a margin
WIDE_CHAR_PX = 11.5  # a CJK character is about 1 em wide
LANGUAGES = ("en", "ru", "zh")  # dashboard/i18n.py's
LOCALES = {"en": "en_GB", "ru": "ru", "zh": "zh_Hans"}
PLACE_MIN_POPULATION = 15_000
MIN_ZOOM, MAX_ZOOM = 3, 10
COUNTRY_FIRST_ZOOM = {50: 3, 10: 4, 2: 5, 0: 6}  # square degrees of land -> first zoom of the name


def countries(region, names: dict[str, dict]) -> list[dict]:
    """Natural Earth 1:10m countries (TopoJSON, read by GDAL) reaching into the region, each
    with its name in every language (`names`: the name table's corrections and additions)."""
    frame = pyogrio.read_dataframe(sources.path("countries"), layer="countries")
    frame = frame[frame.intersects(box(*region))]
    found = []
    for _, row in frame.iterrows():
        english = names.get(row["name"], {}).get("name", row["name"])
        country = pycountry.countries.get(numeric=str(row["id"])) if isinstance(row["id"], str) else None
        code = country.alpha_2 if country else names.get(row["name"], {}).get("code")
        found.append({"names": {lang: names.get(row["name"], {}).get(lang) or _country_name(code, lang) or english
                                for lang in LANGUAGES} | {"en": english},
                      "geometry": shapely.make_valid(row.geometry)})
    return found


def _country_name(code: str | None, lang: str) -> str | None:
    return Translator(lang).country(code) if code and lang != "en" else None


def _cldr_city(entry: dict, english: str) -> dict[str, str]:
    """CLDR's names of a place that is its time zone's city (Asia/Almaty: Алматы, 阿拉木图)."""
    try:
        tz = get_timezone(entry.get("timezone") or "")
        if get_timezone_location(tz, locale="en", return_city=True) not in (english, entry["name"]):
            return {}
        return {lang: get_timezone_location(tz, locale=LOCALES[lang], return_city=True) for lang in LANGUAGES[1:]}
    except (LookupError, ValueError):
        return {}


def place_names(entry: dict, english: str, override: dict, chosen: dict) -> dict[str, str]:
    """A place's name in each language: the name table's, CLDR's, the one chosen from GeoNames'
    alternate names (geodata/basemap/place_names_ru_zh.json), else its English name."""
    cldr = _cldr_city(entry, english)
    return {"en": english} | {lang: override.get(lang) or cldr.get(lang) or chosen.get(lang) or english
                              for lang in LANGUAGES[1:]}


def borders(region, found: list[dict]) -> dict:
    """Land borders: the lines two countries share, as a GeoJSON FeatureCollection."""
    shapes = [c["geometry"] for c in found]
    tree = shapely.STRtree(shapes)
    lines = []
    for i, j in zip(*tree.query(shapes, predicate="intersects")):
        if i < j:
            shared = shapely.intersection(shapes[i].boundary, shapes[j].boundary)
            shared = shapely.line_merge(shapely.union_all([g for g in shapely.get_parts(shared)
                                                           if g.geom_type in ("LineString", "MultiLineString")]))
            if not shared.is_empty:
                lines.append(shared.intersection(box(*region)))
    merged = shapely.set_precision(shapely.simplify(shapely.union_all(lines), 0.003), 0.0005)
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {}, "geometry": shapely.geometry.mapping(part)}
        for part in shapely.get_parts(merged) if part.length > 0]}


def places(region, overrides: dict) -> list[dict]:
    """GeoNames places of 15 000 people or more in the region, named as the overrides say;
    capitals from GeoNames' country table (and the overrides)."""
    west, south, east, north = region
    capitals = {code: country["capital"] for code, country in
                json.loads(sources.path("places", 1).read_text(encoding="utf-8")).items()}
    capitals.update({code: entry["name"] for code, entry in overrides["capitals"].items()})
    found = []
    for entry in json.loads(sources.path("places").read_text(encoding="utf-8")).values():
        lon, lat = entry["longitude"], entry["latitude"]
        if west <= lon <= east and south <= lat <= north and entry["population"] >= PLACE_MIN_POPULATION:
            override = overrides["places"].get(str(entry["geonameid"]), {})
            name = override.get("name", entry["name"])
            chosen = overrides.get("languages", {}).get(str(entry["geonameid"]), {})
            found.append({"names": place_names(entry, name, override, chosen), "lon": lon, "lat": lat,
                          "population": entry["population"], "capital": capitals.get(entry["countrycode"]) == entry["name"]})
    return found


def label_zooms(country_labels: list[dict], place_labels: list[dict], lang: str = "en") -> list[list]:
    """[[lon, lat, name, minzoom, kind], …] for every label shown at some zoom up to MAX_ZOOM,
    named in `lang`."""
    ordered = ([("country", c) for c in sorted(country_labels, key=lambda c: -c["area"])]
               + [("place", p) for p in sorted(place_labels, key=lambda p: (not p["capital"], -p["population"]))])
    kept: dict[int, tuple[str, dict, int]] = {}
    for zoom in range(MIN_ZOOM, MAX_ZOOM + 1):
        boxes = _Boxes()
        # the names shown at the zoom below come first: they still clear each other, and a name
        # once shown stays shown as one zooms in
        for index in sorted(range(len(ordered)), key=lambda i: (i not in kept, i)):
            kind, label = ordered[index]
            if kind == "country" and zoom < _country_zoom(label["area"]):
                continue
            rect = label_box(label["lon"], label["lat"], label["names"][lang], kind, zoom)
            if boxes.clear_of(rect):
                boxes.add(rect)
                kept.setdefault(index, (kind, label, zoom))
    return [[round(label["lon"], 4), round(label["lat"], 4), label["names"][lang], zoom, kind]
            for kind, label, zoom in sorted(kept.values(), key=lambda k: k[2])]


def label_box(lon: float, lat: float, name: str, kind: str, zoom: int) -> tuple[float, float, float, float]:
    """The box a label takes on the map at a zoom, in world pixels (left, top, right, bottom),
    margin included: a country's name centred on its point, a place's dot with the name right of it."""
    x, y = world_pixels(round(lon, 4), round(lat, 4), zoom)  # where labels.json puts it
    width = text_px(name) * (1.3 if kind == "country" else 1) + 2 * PAD_PX
    top, bottom = y - LINE_PX / 2 - PAD_PX, y + LINE_PX / 2 + PAD_PX
    if kind == "country":
        return x - width / 2, top, x + width / 2, bottom
    return x - 4, top, x + 6 + width, bottom


def text_px(name: str) -> float:
    """About how wide a name is drawn at 11 px: CJK characters are a full em, others about 0.6."""
    return sum(WIDE_CHAR_PX if unicodedata.east_asian_width(char) in "WF" else CHAR_PX for char in name)


def labels_file(lang: str) -> str:
    """labels.json (English), labels.ru.json, labels.zh.json."""
    return "labels.json" if lang == "en" else f"labels.{lang}.json"


def country_labels(found: list[dict], region) -> list[dict]:
    labels = []
    for country in found:
        parts = shapely.get_parts(country["geometry"].intersection(box(*region)))
        if not len(parts):
            continue
        largest = max(parts, key=lambda p: p.area)
        point = largest.representative_point()
        labels.append({"names": country["names"], "lon": point.x, "lat": point.y, "area": float(largest.area)})
    return labels


def write(region, places_region, out: Path, overrides: dict) -> dict:
    """borders.geojson and a labels file per language in `out`; returns sizes for the build's report."""
    found = countries(region, overrides["countries"])
    (out / "borders.geojson").write_text(json.dumps(borders(region, found), separators=(",", ":")), encoding="utf-8")
    country_points, place_points = country_labels(found, region), places(places_region, overrides)
    counts = {}
    for lang in LANGUAGES:
        labels = label_zooms(country_points, place_points, lang)
        (out / labels_file(lang)).write_text(json.dumps(labels, ensure_ascii=False, separators=(",", ":")),
                                             encoding="utf-8")
        counts[lang] = len(labels)
    named = {lang: sum(1 for p in place_points if p["names"][lang] != p["names"]["en"]) for lang in LANGUAGES[1:]}
    return {"borders_kb": (out / "borders.geojson").stat().st_size // 1024,
            "labels": counts["en"], "labels_kb": (out / "labels.json").stat().st_size // 1024,
            "labels_by_language": counts, "places_named_in": named}


def _country_zoom(area: float) -> int:
    return next(zoom for threshold, zoom in sorted(COUNTRY_FIRST_ZOOM.items(), reverse=True) if area >= threshold)


class _Boxes:
    """Label boxes in a grid of cells, so that a new box is checked against its neighbours only."""

    CELL = 128  # pixels

    def __init__(self):
        self.cells: dict[tuple[int, int], list] = {}

    def _cells(self, rect):
        for cx in range(int(rect[0] // self.CELL), int(rect[2] // self.CELL) + 1):
            for cy in range(int(rect[1] // self.CELL), int(rect[3] // self.CELL) + 1):
                yield cx, cy

    def clear_of(self, rect) -> bool:
        return not any(rect[0] < b[2] and b[0] < rect[2] and rect[1] < b[3] and b[1] < rect[3]
                       for cell in self._cells(rect) for b in self.cells.get(cell, ()))

    def add(self, rect) -> None:
        for cell in self._cells(rect):
            self.cells.setdefault(cell, []).append(rect)

