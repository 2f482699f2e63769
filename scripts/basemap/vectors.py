"""The base map's vectors: Natural Earth 1:10m land borders and country names, and GeoNames
places, each label with the zoom from which it is shown.

Labels are placed here, once, not in the browser: at each zoom, in order of importance
(countries by area, then capitals, then places by population), a label is kept if its box
clears every box kept before it; the labels kept at the zoom below go first (places only move
apart as one zooms in, so they still clear each other). Each label thus gets one `minzoom`, and
the labels with `minzoom` <= the map's zoom never collide.
"""

from __future__ import annotations

import json
from pathlib import Path

import pyogrio
import shapely
from shapely.geometry import box

from scripts.basemap import sources
from scripts.basemap.tiles import world_pixels

CHAR_PX, LINE_PX, PAD_PX = 6.6, 13, 3  # a label's box: 11 px sans serif (countries: capitals, spaced), one line, a margin
PLACE_MIN_POPULATION = 15_000
MIN_ZOOM, MAX_ZOOM = 3, 10
COUNTRY_FIRST_ZOOM = {50: 3, 10: 4, 2: 5, 0: 6}  # square degrees of land -> first zoom of the name


def countries(region, names: dict[str, dict]) -> list[dict]:
    """Natural Earth 1:10m countries (TopoJSON, read by GDAL) reaching into the region."""
    frame = pyogrio.read_dataframe(sources.path("countries"), layer="countries")
    frame = frame[frame.intersects(box(*region))]
    return [{"name": names.get(row["name"], {}).get("name", row["name"]), "geometry": shapely.make_valid(row.geometry)}
            for _, row in frame.iterrows()]


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
            name = overrides["places"].get(str(entry["geonameid"]), {}).get("name", entry["name"])
            found.append({"name": name, "lon": lon, "lat": lat, "population": entry["population"],
                          "capital": capitals.get(entry["countrycode"]) == entry["name"]})
    return found


def label_zooms(country_labels: list[dict], place_labels: list[dict]) -> list[list]:
    """[[lon, lat, name, minzoom, kind], …] for every label shown at some zoom up to MAX_ZOOM."""
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
            rect = label_box(label["lon"], label["lat"], label["name"], kind, zoom)
            if boxes.clear_of(rect):
                boxes.add(rect)
                kept.setdefault(index, (kind, label, zoom))
    return [[round(label["lon"], 4), round(label["lat"], 4), label["name"], zoom, kind]
            for kind, label, zoom in sorted(kept.values(), key=lambda k: k[2])]


def label_box(lon: float, lat: float, name: str, kind: str, zoom: int) -> tuple[float, float, float, float]:
    """The box a label takes on the map at a zoom, in world pixels (left, top, right, bottom),
    margin included: a country's name centred on its point, a place's dot with the name right of it."""
    x, y = world_pixels(round(lon, 4), round(lat, 4), zoom)  # where labels.json puts it
    width = len(name) * CHAR_PX * (1.3 if kind == "country" else 1) + 2 * PAD_PX
    top, bottom = y - LINE_PX / 2 - PAD_PX, y + LINE_PX / 2 + PAD_PX
    if kind == "country":
        return x - width / 2, top, x + width / 2, bottom
    return x - 4, top, x + 6 + width, bottom


def country_labels(found: list[dict], region) -> list[dict]:
    labels = []
    for country in found:
        parts = shapely.get_parts(country["geometry"].intersection(box(*region)))
        if not len(parts):
            continue
        largest = max(parts, key=lambda p: p.area)
        point = largest.representative_point()
        labels.append({"name": country["name"], "lon": point.x, "lat": point.y, "area": float(largest.area)})
    return labels


def write(region, places_region, out: Path, overrides: dict) -> dict:
    """borders.geojson and labels.json in `out`; returns sizes for the build's report."""
    found = countries(region, overrides["countries"])
    (out / "borders.geojson").write_text(json.dumps(borders(region, found), separators=(",", ":")), encoding="utf-8")
    labels = label_zooms(country_labels(found, region), places(places_region, overrides))
    (out / "labels.json").write_text(json.dumps(labels, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    return {"borders_kb": (out / "borders.geojson").stat().st_size // 1024,
            "labels": len(labels), "labels_kb": (out / "labels.json").stat().st_size // 1024}


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

