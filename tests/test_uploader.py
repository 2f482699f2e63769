"""The uploader's limits per session, in a real Streamlit session (AppTest): how many layers
and bytes one session keeps, and how large a layer may be on the map. The file reading itself
is replaced by a stand-in here (tests/test_uploads.py tests it)."""

from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent

SCRIPT = """
import geopandas as gpd
import numpy as np
import shapely
import streamlit as st

from dashboard.i18n import ENGLISH
from dashboard import limits, store, uploader
from dashboard.uploads import UploadError, UserLayer


def stand_in(name, content):  # the reader's answer: {points} points with long texts
    points = shapely.points(np.column_stack([60 + np.arange({points}) % 200 / 10, 40 + np.arange({points}) // 200 / 100]))
    text = ["x" * limits.MAX_TEXT_CHARS] * {points}
    return UserLayer(name=name, frame=gpd.GeoDataFrame({{"a": text, "b": text, "c": text}}, geometry=points,
                     crs="EPSG:4326"), size=len(content), digest=name)


reader, uploader.read_upload = uploader.read_upload, stand_in
limits.MAX_UPLOAD_MAP_BYTES, map_limit = {map_limit}, limits.MAX_UPLOAD_MAP_BYTES
uploader._session_layers().clear()  # AppTest runs every test in a session of the same id
outcomes = []
try:
    for name, size in {uploads}:
        try:
            layer = uploader._checked_layer(store.dataset(), name, b"x" * size, ENGLISH)
            uploader._session_layers()[layer.name] = layer
            outcomes.append("kept")
        except UploadError as err:
            outcomes.append(str(err))
finally:
    uploader.read_upload, limits.MAX_UPLOAD_MAP_BYTES = reader, map_limit
    uploader._session_layers().clear()
st.session_state["outcomes"] = outcomes
"""


def outcomes(uploads, points=10, map_limit="limits.MAX_UPLOAD_MAP_BYTES"):
    at = AppTest.from_string(SCRIPT.format(uploads=uploads, points=points, map_limit=map_limit),
                             default_timeout=60).run()
    assert not at.exception
    return at.session_state["outcomes"]


def test_a_session_keeps_at_most_five_layers_and_a_new_file_under_a_kept_name_replaces_it():
    results = outcomes([(f"layer{i}.geojson", 100) for i in range(6)] + [("layer0.geojson", 100)])
    assert results[:5] == ["kept"] * 5 and results[6] == "kept"
    assert results[5] == "This session already holds 5 layers, the most it keeps; remove one first."


def test_a_session_keeps_at_most_50_mb_of_files():
    mb = 1024 * 1024
    results = outcomes([("a.gpkg", 19 * mb), ("b.gpkg", 19 * mb), ("c.gpkg", 19 * mb), ("d.gpkg", 5 * mb)])
    assert results == ["kept", "kept", "Your layers would be over 50 MB in all, the most a session keeps; "
                                       "remove one first.", "kept"]


def test_a_layer_too_large_for_the_map_is_refused():
    # 4 000 points of 3 texts of 100 characters: 1.4 MB on the map, over a limit set to 1 MB here
    # (the app's is 8 MB: 40 000 such points)
    assert outcomes([("small.geojson", 100)], points=400, map_limit="limits.MB") == ["kept"]
    assert outcomes([("many.geojson", 100)], points=4_000, map_limit="limits.MB") == [
        "This layer would be over 1 MB on the map; try a smaller or simpler file."]
