"""Make the offline base map: Natural Earth 1:110m countries, clipped to the region.

Source: Natural Earth "Admin 0 - Countries" 1:110m (public domain), as shipped in
the pyogrio wheel (pyogrio/tests/fixtures/naturalearth_lowres). Run:

    .venv/bin/python -m scripts.make_basemap
"""

from pathlib import Path

import geopandas as gpd
import pyogrio
import shapely

from dashboard.catalog import load_catalog

SOURCE = Path(pyogrio.__file__).parent / "tests/fixtures/naturalearth_lowres/naturalearth_lowres.shp"
TARGET = Path(__file__).resolve().parent.parent / "geodata/basemap/countries.geojson"


def main() -> None:
    region = load_catalog().region  # the map's region is defined once, in geodata/catalog.json
    countries = gpd.read_file(SOURCE)[["name", "iso_a3", "geometry"]]
    clipped = countries.clip((region.west, region.south, region.east, region.north))
    clipped = clipped[~clipped.geometry.is_empty].copy()
    clipped["geometry"] = shapely.set_precision(clipped.geometry.values, 1e-4)
    clipped = clipped.sort_values("name")
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    TARGET.write_text(clipped.to_json(drop_id=True, ensure_ascii=False), encoding="utf-8")
    print(f"{len(clipped)} countries -> {TARGET} ({TARGET.stat().st_size / 1e3:.0f} kB)")


if __name__ == "__main__":
    main()
