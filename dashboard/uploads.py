"""Users' own layers: an uploaded GeoJSON, KML, GeoPackage or zipped Shapefile, read by a
separate, confined process (dashboard/upload_worker.py) into a small WGS84 layer that lives
in the uploader's session only.

The server process never opens an upload with GDAL: it writes the bytes into a fresh
temporary folder, starts the reader there, waits at most limits.UPLOAD_DEADLINE_S, reads
back a bounded answer and checks it again. At most limits.MAX_PARALLEL_UPLOADS readers run
at once. Every message is one of the fixed sentences below; the only text from a file in
them is a coordinate system's name, quoted literally.
"""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely

from dashboard import limits, upload_worker
from dashboard.text import literal

log = logging.getLogger(__name__)

FORMATS = "GeoJSON, KML, GeoPackage or a zipped Shapefile"
KIND_NAMES = {"geojson": "GeoJSON file", "kml": "KML file", "gpkg": "GeoPackage",
              "shapefile-zip": "zipped Shapefile", None: "file"}
TOO_MUCH_WORK = "This file needs more work than the dashboard allows; try a smaller or simpler file."
REFUSALS = {
    "too-big": f"The file is {{mb}} MB; the limit is {limits.MAX_FILE_BYTES // limits.MB} MB.",
    "not-a-format": f"This file is not {FORMATS}.",
    "not-geojson": "This JSON file is not a GeoJSON FeatureCollection or Feature.",
    "geojson-crs": "The GeoJSON declares a coordinate system other than longitude/latitude (WGS84), "
                   "or names it by a web address; such files are not accepted.",
    "not-geopackage": "This SQLite file is not a GeoPackage.",
    "gpkg-view": "The GeoPackage holds a view; only plain tables are accepted.",
    "gpkg-virtual": "The GeoPackage holds a virtual table; only plain tables are accepted.",
    "gpkg-schema": "The GeoPackage holds more than a plain GeoPackage does (its own triggers, "
                   "generated columns or an unusual schema); it is not accepted.",
    "no-layer": "The file holds no layer of features.",
    "zip-members": f"The zip holds {{count}} files; at most {limits.MAX_ZIP_MEMBERS} are accepted.",
    "zip-expands": f"The zip expands to more than {limits.MAX_ZIP_EXPANDED_BYTES // limits.MB} MB.",
    "zip-paths": "The zip holds paths outside its folder or without a name; it is refused.",
    "zip-shapefiles": "The zip must hold exactly one .shp file; it holds {count}.",
    "not-shapefile": "The .shp file in the zip is not a Shapefile.",
    "too-many-features": f"The file has {{count:,}} features; at most {limits.MAX_FEATURES:,} are accepted.",
    "too-many-vertices": "The file has {count:,} vertices; at most {limit:,} can be drawn.",
    "too-much-text": f"The file's attribute table is over {limits.MAX_ATTRIBUTE_BYTES // limits.MB} MB.",
    "all-no-geometry": "The file has no features with a geometry.",
    "all-not-numbers": "The file has no features with coordinates that are numbers.",
    "all-collapsed": "Every geometry in the file collapsed when repaired; nothing is left to draw.",
    "all-not-projectable": "No feature could be converted to longitude/latitude.",
    "nested-collections": "The file nests geometry collections too deeply.",
    "crs-unsupported": "Its coordinate system ({crs}) cannot be converted to longitude/latitude on "
                       "the Earth; it is not accepted.",
    "not-lonlat": "Its coordinates are not longitude/latitude (projected coordinates without a "
                  "declared coordinate system?).",
    "damaged": "The {kind} could not be read: it is damaged or not in that format.",
    "too-much-work": TOO_MUCH_WORK,
    "reader-unavailable": "Uploads cannot be read on this server right now.",
}
NOTES = {
    "first-layer": "The file holds {count} layers; the first one is shown.",
    "no-geometry": "Features without a geometry left out: {count:,}.",
    "not-numbers": "Features with coordinates that are not numbers left out: {count:,}.",
    "not-projectable": "Features that could not be converted to longitude/latitude left out: {count:,}.",
    "collections": "Geometry collections split into their parts: {count:,}.",
    "collapsed": "Features that collapsed when repaired, left out: {count:,}.",
    "crs-assumed": "No coordinate system was declared; longitude/latitude (WGS84) was assumed.",
    "reprojected": "Reprojected from {crs} to WGS84.",
    "repaired": "Invalid geometries repaired: {count:,}.",
    "simplified": "Simplified for display from {count:,} vertices.",
    "columns-left-out": f"Properties left out (the map shows the first {limits.MAX_COLUMNS}): {{count:,}}.",
    "text-shortened": "Long text values shortened: {count:,}.",
}
BUSY = "The dashboard is reading other uploads right now; please try again in a moment."

_readers = threading.BoundedSemaphore(limits.MAX_PARALLEL_UPLOADS)


class UploadError(ValueError):
    """The upload cannot be used; the message says why, in plain words."""


@dataclass
class UserLayer:
    name: str
    frame: gpd.GeoDataFrame
    notes: list[str] = field(default_factory=list)  # what was changed on the way in (Markdown-safe)
    digest: str = ""  # sha256 of the uploaded bytes
    size: int = 0  # bytes uploaded


def read_upload(name: str, data: bytes) -> UserLayer:
    """Read an uploaded file into a valid WGS84 layer in a confined reader, or raise UploadError."""
    if len(data) > limits.MAX_FILE_BYTES:
        raise UploadError(_sentence(REFUSALS["too-big"], {"mb": round(len(data) / limits.MB, 1)}))
    if not _readers.acquire(blocking=False):
        raise UploadError(BUSY)
    try:
        result = run_reader(data)
    finally:
        _readers.release()
    return layer_from_result(name, data, result)


def layer_from_result(name: str, data: bytes, result: dict) -> UserLayer:
    """The reader's answer as a layer with its notes, or UploadError with its refusal."""
    if not result.get("ok"):
        code = result.get("code")
        raise UploadError(_sentence(REFUSALS.get(code, REFUSALS["damaged"]), result.get("values")))
    frame = _layer_frame(result)
    notes = [_sentence(NOTES[note[0]], note[1]) for note in result.get("notes") or []
             if isinstance(note, list) and len(note) == 2 and note[0] in NOTES and isinstance(note[1], dict)]
    return UserLayer(name=Path(name).name or "upload", frame=frame, notes=notes,
                     digest=hashlib.sha256(data).hexdigest(), size=len(data))


def run_reader(data: bytes, deadline_s: float = limits.UPLOAD_DEADLINE_S) -> dict:
    """Hand `data` to a reader in a fresh folder; its answer, or a refusal if it overran."""
    folder = Path(tempfile.mkdtemp(prefix="upload-"))  # outside the repository
    try:
        (folder / upload_worker.UPLOAD_FILE).write_bytes(data)
        reader = _take_reader()
        try:
            reader.stdin.write(f"{folder}\n".encode())
            reader.stdin.close()
            reader.wait(timeout=deadline_s)
        except subprocess.TimeoutExpired:
            reader.kill()
            reader.wait()
            log.warning("upload reader: over the %g s deadline, killed", deadline_s)
            return {"ok": False, "code": "too-much-work"}
        except OSError:  # the reader died before it got the folder
            reader.kill()
            reader.wait()
        result = folder / upload_worker.RESULT_FILE
        if reader.returncode != 0 or not result.is_file():
            tail = _tail(folder / upload_worker.ERRORS_FILE)
            log.warning("upload reader: exit %s, no answer: %s", reader.returncode, tail)
            killed = reader.returncode in (-signal.SIGXCPU, -signal.SIGKILL) or "MemoryError" in tail
            return {"ok": False, "code": "too-much-work" if killed else "damaged"}
        if result.stat().st_size > limits.MAX_RESULT_BYTES:
            return {"ok": False, "code": "too-much-work"}
        answer = json.loads(result.read_text(encoding="utf-8"))
        return answer if isinstance(answer, dict) else {"ok": False, "code": "damaged"}
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        _start_spare()  # after this reader is done: the two would share the CPU


_spare: subprocess.Popen | None = None
_spare_lock = threading.Lock()


def _take_reader() -> subprocess.Popen:
    """The spare reader, which has already imported Python's, GDAL's and PROJ's code, if
    there is one (else a new reader). Each reader reads one upload."""
    global _spare
    with _spare_lock:
        reader, _spare = _spare, None
    if reader is None or reader.poll() is not None:
        reader = _start_reader()
    return reader


def _start_spare() -> None:
    global _spare
    with _spare_lock:
        if _spare is None or _spare.poll() is not None:
            _spare = _start_reader()


def _start_reader() -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-s", "-m", "dashboard.upload_worker"],
        env=upload_worker.environment(_gdal_drivers()), cwd=tempfile.gettempdir(),
        stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )


def _tail(path: Path, size: int = 2000) -> str:
    if not path.is_file():
        return ""
    with path.open("rb") as file:
        file.seek(max(path.stat().st_size - size, 0))
        return file.read().decode(errors="replace")


@cache
def _gdal_drivers() -> tuple[str, ...]:
    """Every vector driver this GDAL has: the reader skips all but its four."""
    import pyogrio

    return tuple(pyogrio.list_drivers())


def _layer_frame(result: dict) -> gpd.GeoDataFrame:
    """The reader's layer, checked again against the limits (the reader is not trusted either)."""
    try:
        wkb, properties = result["wkb"], result["properties"]
        if not (isinstance(wkb, list) and 0 < len(wkb) <= limits.MAX_FEATURES and isinstance(properties, dict)
                and len(properties) <= limits.MAX_COLUMNS and all(len(v) == len(wkb) for v in properties.values())):
            raise ValueError("an answer beyond the limits")
        geometries = shapely.from_wkb(np.array(wkb, dtype=object))
        frame = gpd.GeoDataFrame({str(k): v for k, v in properties.items()}, geometry=geometries, crs="EPSG:4326")
    except (KeyError, TypeError, ValueError, AttributeError, shapely.errors.ShapelyError):
        raise UploadError(TOO_MUCH_WORK) from None
    if int(shapely.get_num_coordinates(frame.geometry.values).sum()) > limits.MAX_VERTICES:
        raise UploadError(TOO_MUCH_WORK)
    return frame


def _sentence(template: str, values: dict | None) -> str:
    """A fixed sentence with the reader's numbers; a name from the file goes in as a literal."""
    values = dict(values or {})
    if "crs" in values:
        values["crs"] = literal(values["crs"], limit=80)
    if "kind" in values or "{kind}" in template:
        values["kind"] = KIND_NAMES.get(values.get("kind"), "file")
    for key in ("count", "limit"):
        if key in values and not isinstance(values[key], int):
            values[key] = 0
    try:
        return template.format(**values)
    except (KeyError, ValueError, IndexError):
        return template.split("{")[0].rstrip(" (") + "."
