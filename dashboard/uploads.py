"""Users' own layers: an uploaded GeoJSON, KML, GeoPackage or zipped Shapefile, read by a
separate, confined process (dashboard/upload_worker.py) into a small WGS84 layer that lives
in the uploader's session only.

The server process never opens an upload with GDAL: it writes the bytes into a fresh
temporary folder, starts the reader there, waits at most limits.UPLOAD_DEADLINE_S, reads
back a bounded answer and checks it again. At most limits.MAX_PARALLEL_UPLOADS readers run
at once. Every message is one of the fixed sentences of dashboard/upload_messages.py.
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
from dashboard.i18n import ENGLISH, Translator
from dashboard.upload_messages import BUSY, NOTES, REFUSALS, TOO_MUCH_WORK, Message

log = logging.getLogger(__name__)

_readers = threading.BoundedSemaphore(limits.MAX_PARALLEL_UPLOADS)


class UploadError(ValueError):
    """The upload cannot be used; its message (a Message, or a sentence already translated)
    says why, in plain words."""

    def __init__(self, message: Message | str):
        super().__init__(str(message))
        self.message = message

    def text(self, _: Translator = ENGLISH) -> str:
        """Why, in the translator's language."""
        return self.message.text(_) if isinstance(self.message, Message) else str(self.message)


@dataclass
class UserLayer:
    name: str
    frame: gpd.GeoDataFrame
    notes: list[Message] = field(default_factory=list)  # what was changed on the way in
    digest: str = ""  # sha256 of the uploaded bytes
    size: int = 0  # bytes uploaded


def read_upload(name: str, data: bytes) -> UserLayer:
    """Read an uploaded file into a valid WGS84 layer in a confined reader, or raise UploadError."""
    if len(data) > limits.MAX_FILE_BYTES:
        raise UploadError(Message.of(REFUSALS["too-big"], {"mb": round(len(data) / limits.MB, 1)}))
    if not _readers.acquire(blocking=False):
        raise UploadError(Message.of(BUSY))
    try:
        result = run_reader(data)
    finally:
        _readers.release()
    return layer_from_result(name, data, result)


def layer_from_result(name: str, data: bytes, result: dict) -> UserLayer:
    """The reader's answer as a layer with its notes, or UploadError with its refusal."""
    if not result.get("ok"):
        code = result.get("code")
        raise UploadError(Message.of(REFUSALS.get(code, REFUSALS["damaged"]), result.get("values")))
    frame = _layer_frame(result)
    notes = [Message.of(NOTES[note[0]], note[1]) for note in result.get("notes") or []
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
        raise UploadError(Message.of(TOO_MUCH_WORK)) from None
    if int(shapely.get_num_coordinates(frame.geometry.values).sum()) > limits.MAX_VERTICES:
        raise UploadError(Message.of(TOO_MUCH_WORK))
    return frame
