"""A small, valid copy of every catalog layer, for tests that must not depend on the real data."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from dashboard.catalog import CATALOG_FILE

SOURCE = [{"title": "Example source", "url": "https://example.org/source"}]


def point(fid, name, lon, lat, **props):
    return {"type": "Feature", "properties": {"id": fid, "name": name, **props},
            "geometry": {"type": "Point", "coordinates": [lon, lat]}}


def line(fid, name, coords, **props):
    return {"type": "Feature", "properties": {"id": fid, "name": name, **props},
            "geometry": {"type": "LineString", "coordinates": coords}}


def city(fid, name, lon, lat, country, country_name, events, **extra):
    return point(fid, name, lon, lat, country=country, country_name=country_name,
                 names={"local": name, "ru": name + " (ru)"}, roles=["Summit host"],
                 events=events, population={"value": 1000, "year": 2020, "source": "x"},
                 description=f"{name} is a city.", sources=SOURCE, **extra)


LAYERS = {
    "cku_railway.geojson": [
        line("cn", "China section", [[75.99, 39.47], [75.7, 40.0], [75.43, 40.59]],
             country="CN", gauge_mm=1435, status="under construction", accuracy="approximate",
             source="Sample", sources=SOURCE),
        line("kg", "Kyrgyz section", [[75.43, 40.59], [74.05, 41.22], [73.0, 40.93]],
             country="KG", gauge_mm=1520, status="planned", accuracy="approximate",
             source="Sample", sources=SOURCE),
    ],
    "cku_stations.geojson": [
        point("kashgar", "Kashgar", 75.99, 39.47, country="CN", kind="city", coordinate_source="GeoNames"),
    ],
    "corridor_legs.geojson": [
        line("aktau-alat", "Aktau – Alat ferry", [[51.17, 43.66], [50.5, 41.5], [49.41, 39.95]],
             **{"from": "Aktau", "to": "Alat"}, mode="sea", countries=["KZ", "AZ"], status="operating",
             accuracy="approximate", source="Sample", sources=SOURCE),
    ],
    "corridor_nodes.geojson": [
        point("aktau", "Aktau port", 51.17, 43.66, country="KZ", kind="port", coordinate_source="GeoNames"),
    ],
    "cities.geojson": [
        city("astana", "Astana", 71.446, 51.1801, "KZ", "Kazakhstan",
             [{"date": "2025-06-17", "title": "Second China–Central Asia Summit",
               "description": "Astana Declaration.", "source": "Qazinform", "url": "https://qazinform.com/x"},
              {"date": "2013-09-07", "title": "Silk Road Economic Belt speech",
               "description": "", "source": "USC", "url": "https://china.usc.edu/x"}]),
        city("xian", "Xi'an", 108.9422, 34.2611, "CN", "China",
             [{"date": "2023-05-18", "title": "First China–Central Asia Summit",
               "description": "Xi'an Declaration.", "source": "Beijing Review", "url": "https://www.bjreview.com/x"}]),
    ],
    "route_places.geojson": [
        point("xian", "Xi'an", 108.93, 34.26, country="CN", kind="origin", coordinate_source="GeoNames"),
        point("duisburg", "Duisburg", 6.76, 51.43, country="DE", kind="destination", coordinate_source="GeoNames"),
    ],
    "route_legs.geojson": [
        line("xian-duisburg", "Xi'an – Duisburg", [[108.93, 34.26], [71.45, 51.18], [6.76, 51.43]],
             **{"from": "Xi'an", "to": "Duisburg"}, mode="rail", countries=["CN", "KZ", "DE"], status="operating",
             accuracy="approximate", source="Sample"),
    ],
    "trade_partners.geojson": [
        {"type": "Feature", "properties": {"id": "kz", "name": "Kazakhstan", "country": "KZ"},
         "geometry": {"type": "Polygon", "coordinates": [[[50, 41], [87, 41], [87, 55], [50, 55], [50, 41]]]}},
    ],
}


def write_sample_geodata(directory: Path, **overrides) -> Path:
    """Write the real catalog and the sample layers into `directory`; `overrides`
    maps a file name to replacement text (or None to leave the file out)."""
    directory.mkdir(parents=True, exist_ok=True)
    shutil.copy(CATALOG_FILE, directory / "catalog.json")
    for name, features in LAYERS.items():
        text = json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False)
        (directory / name).write_text(text, encoding="utf-8")
    for name, text in overrides.items():
        target = directory / name.replace("__", ".")
        if text is None:
            target.unlink(missing_ok=True)
        else:
            target.write_text(text, encoding="utf-8")
    return directory / "catalog.json"
