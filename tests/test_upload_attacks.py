"""The upload path from the attacker's side (issue #12): each file that once read a server
file, made the server send a request, held a core or took gigabytes, sent to the real reader.

For each: refused or accepted within the deadline and the memory limit, no request reaches
the loopback listener, no server file's content in the answer, the visitor gets a fixed
sentence (no SQL, Python or GDAL text), and the layer (when accepted) still draws on a map.
"""

from __future__ import annotations

import resource
import time

import pytest

from dashboard import limits
from dashboard.catalog import load_catalog
from dashboard.maps import build_map
from dashboard.mapwidget import render_map
from dashboard.upload_messages import REFUSALS
from dashboard.uploads import UploadError, read_upload

import hostile_uploads as attack
from helpers import Listener

SECRET = "TOPSECRET-7f3a9c"
FIXED_SENTENCES = [s.split("{")[0] for s in REFUSALS.values()]


@pytest.fixture(scope="module")
def listener():
    server = Listener()
    yield server
    server.close()


@pytest.fixture(scope="module")
def secret_file(tmp_path_factory):
    # a server file any reader could turn into features: text lines, and a CSV with a WKT column
    path = tmp_path_factory.mktemp("server") / "secrets.csv"
    path.write_text(f'WKT,secret\n"POINT (70 40)",{SECRET}\n', encoding="utf-8")
    return path


CASES = list(attack.attack_files("http://x", "/x"))


@pytest.fixture(scope="module")
def attack_files(listener, secret_file):
    return attack.attack_files(listener.url, str(secret_file))


@pytest.mark.parametrize("case", CASES)
def test_a_hostile_upload_is_refused_or_tamed_within_the_limits(case, attack_files, listener):
    data, refusal = attack_files[case]
    started = time.monotonic()
    try:
        layer = read_upload(f"{case}.bin", data)
    except UploadError as err:
        message, layer = str(err), None
    else:
        message = " ".join(map(str, layer.notes)) + layer.frame.to_json()
    elapsed = time.monotonic() - started

    assert elapsed < limits.UPLOAD_DEADLINE_S + 2
    assert resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024 <= limits.UPLOAD_MEMORY_BYTES
    assert listener.requests == []
    assert SECRET not in message and "root:" not in message
    for internal in ("sqlite", "SELECT", "Traceback", "Error", "GDAL", "OGR", "/tmp/", "pyogrio"):
        assert internal not in message, message
    if refusal is None:
        assert layer is not None, message
        rendered = render_map(build_map(load_catalog(), {}, user_layers=[(layer.name, layer.frame)]))
        assert rendered.size < limits.MAX_UPLOAD_MAP_BYTES + 1_000_000  # the page can draw it
    else:
        assert layer is None and refusal in message
        assert any(message.startswith(sentence) for sentence in FIXED_SENTENCES), message


def test_a_markdown_crs_name_is_quoted_literally(listener):
    mercator = attack.points("EPSG:3857", ((7.8e6, 4.9e6),))
    layer = read_upload("m.zip", attack.shapefile_zip(mercator, attack.markdown_crs(listener.url)))
    [note] = map(str, layer.notes)
    assert note.startswith("Reprojected from '` **bold** [a link](") and note.endswith("… `' to WGS84.")


def test_a_nested_geometry_collection_is_flattened_into_its_parts():
    layer = read_upload("n.geojson", attack.nested_collection())
    assert sorted(layer.frame.geom_type) == ["LineString", "Point", "Point"]
    assert "Geometry collections split into their parts: 3." in [str(note) for note in layer.notes]
