"""Downloads: a layer as GeoJSON, CSV (WKT geometry, plus lon/lat for points) or KML.

Downloads carry the full geometry and every property. Text stays text: KML
descriptions are read as HTML by viewers, so KML strings are escaped; CSV cells that
a spreadsheet would run as a formula are prefixed with an apostrophe.
"""

from __future__ import annotations

import html
import io
import json
from typing import Any

import geopandas as gpd
import pyogrio

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def to_geojson(frame: gpd.GeoDataFrame) -> bytes:
    """The layer as a GeoJSON FeatureCollection (UTF-8)."""
    return frame.to_json(ensure_ascii=False, drop_id=True).encode("utf-8")


def to_csv(frame: gpd.GeoDataFrame) -> bytes:
    """The layer as CSV: properties, lon/lat for points, geometry as WKT."""
    table = _flat(frame).drop(columns="geometry")
    if (frame.geom_type == "Point").all():
        table["lon"], table["lat"] = frame.geometry.x, frame.geometry.y
    table["wkt"] = frame.geometry.to_wkt()
    table = table.map(lambda v: "'" + v if isinstance(v, str) and v.startswith(FORMULA_START) else v)
    return table.to_csv(index=False).encode("utf-8")


def table_csv(table, columns: list[str] | None = None) -> bytes:
    """A page's table (a DataFrame or an Arrow table) as CSV, formulas neutralised as in `to_csv`."""
    frame = table.to_pandas() if hasattr(table, "to_pandas") else table
    frame = frame if columns is None else frame[columns]
    frame = frame.map(_as_cell).map(lambda v: "'" + v if isinstance(v, str) and v.startswith(FORMULA_START) else v)
    return frame.to_csv(index=False).encode("utf-8")


def to_kml(frame: gpd.GeoDataFrame, name: str) -> bytes:
    """The layer as KML, with every text value escaped."""
    escaped = _flat(frame)
    for column in escaped.columns.drop("geometry"):
        escaped[column] = escaped[column].map(lambda v: html.escape(v) if isinstance(v, str) else v)
    buffer = io.BytesIO()
    pyogrio.write_dataframe(escaped, buffer, driver="KML", layer=name)
    return buffer.getvalue()


def _flat(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Nested properties (lists, objects) as JSON text, for formats without them."""
    flat = frame.copy()
    for column in flat.columns.drop("geometry"):
        flat[column] = flat[column].map(_as_cell)
    return flat


def _as_cell(value: Any) -> Any:
    return json.dumps(value, ensure_ascii=False) if isinstance(value, (list, dict)) else value
