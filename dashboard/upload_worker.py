"""The upload reader: a fresh process per upload that reads one file, confined.

    python -m dashboard.upload_worker

The server (dashboard/uploads.py) keeps one reader started ahead, so that Python, GDAL and
PROJ are already imported when an upload comes. The reader waits for one line on its
standard input, the path of a fresh folder holding `upload`; it confines itself there,
reads the file and writes `result.json`: `{"ok": true, "geojson": …, "columns": […],
"notes": […]}` or `{"ok": false, "code": …, "values": {…}}`, then exits. The server waits
at most limits.UPLOAD_DEADLINE_S and kills it on overrun; the server process itself never
runs GDAL on an upload.

Before any byte of the upload is parsed:
1. GDAL and PROJ are configured by the environment the reader starts with (`environment()`,
   read when GDAL registers its drivers at `import pyogrio`): every driver but the four
   formats' is skipped, SQLite neither trusts a file's schema nor loads SpatiaLite,
   /vsicurl/ opens nothing, PROJ downloads no grid;
2. the drivers GDAL kept are checked: if any other survived, nothing is read;
3. the process is confined (dashboard/sandbox.py: CPU, memory, file size, no socket, no
   program start, the upload's folder as working directory).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

ALLOWED_DRIVERS = frozenset({"GeoJSON", "KML", "GPKG", "ESRI Shapefile"})
ROOT = Path(__file__).resolve().parent.parent
RESULT_FILE, UPLOAD_FILE, ERRORS_FILE = "result.json", "upload", "stderr.txt"


def environment(all_drivers) -> dict[str, str]:
    """The reader's whole environment (nothing of the server's: no secrets, no proxies)."""
    return {
        "PATH": os.defpath,
        "LANG": "C.UTF-8",
        "HOME": "/nonexistent",
        "PYTHONPATH": str(ROOT),
        "PYTHONDONTWRITEBYTECODE": "1",
        "OPENBLAS_NUM_THREADS": "1",
        "OMP_NUM_THREADS": "1",
        # GDAL: the four formats' drivers only (the others are skipped at registration)
        "GDAL_SKIP": ",".join(sorted(set(all_drivers) - ALLOWED_DRIVERS)),  # commas: names have spaces
        "OGR_SQLITE_PRAGMA": "trusted_schema=OFF",  # a view or trigger cannot call virtual tables
        "SPATIALITE_LOAD": "NO",  # no VirtualText, VirtualOGR, … at all
        "CPL_VSIL_CURL_ALLOWED_FILENAME": "/nothing",  # /vsicurl/ and its kin open no address
        "GDAL_HTTP_TIMEOUT": "1",
        "GDAL_HTTP_MAX_RETRY": "0",
        "GML_DOWNLOAD_WFS_SCHEMA": "NO",
        "GDAL_PAM_ENABLED": "NO",  # write no .aux.xml beside the file
        "PROJ_NETWORK": "OFF",
    }


def main() -> int:
    # pyogrio imports geopandas and pandas when they are there; the reader needs neither
    # (dashboard/upload_reader.py works on arrays), and without them it starts twice as fast
    sys.modules["geopandas"] = sys.modules["pandas"] = None  # an import of either now fails
    import pyogrio
    import pyproj.network

    from dashboard import sandbox, upload_formats, upload_reader  # noqa: F401 (imported ahead: a warm reader)

    line = sys.stdin.readline().strip()
    if not line:  # the server went away before giving this reader an upload
        return 0
    folder = Path(line)
    sys.stderr.flush()
    with (folder / ERRORS_FILE).open("wb") as errors:
        os.dup2(errors.fileno(), 2)
    sandbox.confine(folder)  # raises Unconfined: then no result, and the server refuses
    os.environ["TMPDIR"] = str(folder)
    pyogrio.set_gdal_config_options({"CPL_TMPDIR": str(folder)})
    pyproj.network.set_network_enabled(False)
    if set(pyogrio.list_drivers()) - ALLOWED_DRIVERS:  # GDAL_SKIP did not take: read nothing
        result = {"ok": False, "code": "reader-unavailable", "values": {}}
    else:
        result = read(folder / UPLOAD_FILE, folder)
    (folder / RESULT_FILE).write_text(json.dumps(result, ensure_ascii=False), encoding="utf-8")
    return 0


def read(upload: Path, folder: Path) -> dict:
    """Check and read the upload; every outcome is a result, never an exception."""
    from dashboard import upload_formats, upload_reader

    kind = None
    try:
        kind, path = upload_formats.prepare(upload, folder)
        return {"ok": True, **upload_reader.read_layer(kind, path)}
    except upload_formats.Refused as refused:
        return {"ok": False, "code": refused.code, "values": refused.values}
    except MemoryError:
        return {"ok": False, "code": "too-much-work", "values": {}}
    except Exception as err:  # a library's error: the server says one fixed sentence, nothing more
        if "bad_alloc" in str(err):  # GEOS (C++) ran out of the memory the reader may use
            return {"ok": False, "code": "too-much-work", "values": {}}
        return {"ok": False, "code": "damaged", "values": {"kind": kind}}


if __name__ == "__main__":
    status = main()
    sys.stderr.flush()
    os._exit(status)  # skip the interpreter's teardown of GDAL, pandas, …: the answer is written
