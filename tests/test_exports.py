import io
import json

import pandas as pd
import pyogrio
import pytest
from shapely import wkt

from dashboard import exports
from dashboard.catalog import load_catalog
from dashboard.geodata import load_layers

FRAMES = load_layers(load_catalog()).frames


@pytest.mark.parametrize("layer", sorted(FRAMES))
def test_every_download_parses_with_all_features(layer):
    frame = FRAMES[layer]
    geojson = json.loads(exports.to_geojson(frame))
    assert geojson["type"] == "FeatureCollection" and len(geojson["features"]) == len(frame)
    assert [f["properties"]["id"] for f in geojson["features"]] == list(frame["id"])

    table = pd.read_csv(io.BytesIO(exports.to_csv(frame)))
    assert len(table) == len(frame) and list(table["id"]) == list(frame["id"])
    assert wkt.loads(table["wkt"][0]).equals_exact(frame.geometry.iloc[0], 1e-9)

    kml = pyogrio.read_dataframe(io.BytesIO(exports.to_kml(frame, layer)))
    assert len(kml) == len(frame)


def test_nested_properties_survive_as_json_text():
    table = pd.read_csv(io.BytesIO(exports.to_csv(FRAMES["cities"])))
    events = json.loads(table.set_index("id").loc["astana", "events"])
    assert any(e["date"].startswith("2025-06") for e in events)
    assert {"lon", "lat"} <= set(table.columns)


def test_hostile_text_stays_text_in_downloads():
    cities = FRAMES["cities"].copy()
    cities.loc[0, "name"] = "<script>alert(1)</script>"
    cities.loc[1, "name"] = "=HYPERLINK(\"http://evil\")"
    kml = exports.to_kml(cities, "cities").decode()
    assert "<script>" not in kml and "&lt;script&gt;" in kml.replace("&amp;", "&")
    table = pd.read_csv(io.BytesIO(exports.to_csv(cities)))
    assert table["name"][1].startswith("'=")  # a spreadsheet shows it, never runs it
    assert json.loads(exports.to_geojson(cities))["features"][0]["properties"]["name"] == "<script>alert(1)</script>"


def test_a_pages_table_downloads_as_csv_with_formulas_neutralised():
    import pandas as pd

    from dashboard.exports import table_csv

    table = pd.DataFrame({"source": ["=HYPERLINK(\"http://evil\")", "Trend 2024"], "km": [1, 2],
                          "hidden": ["x", "y"]})
    text = table_csv(table, ["source", "km"]).decode()
    assert text.splitlines() == ["source,km", "\"'=HYPERLINK(\"\"http://evil\"\")\",1", "Trend 2024,2"]
