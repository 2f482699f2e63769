"""Offline assets: the JavaScript and CSS the map needs, served by the app itself.

Leaflet and jQuery come from the XStatic pip packages; set-up (`make setup`, which runs
`python -m dashboard.assets`) copies them into `static/vendor/`, which Streamlit serves
under `/app/static/` when `server.enableStaticServing` is on. Nothing is written at run
time, so the app runs from a read-only folder. No script or stylesheet comes from a CDN.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import xstatic.pkg.jquery
import xstatic.pkg.leaflet

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
VENDOR_DIR = STATIC_DIR / "vendor"
PLUGINS_DIR = STATIC_DIR / "plugins"  # Leaflet plugins with no XStatic package: scripts/vendor_plugins.sh
STATIC_URL = "/app/static"

_PACKAGES = {"leaflet": xstatic.pkg.leaflet, "jquery": xstatic.pkg.jquery}
MAP_JS = (("leaflet", "leaflet.js"), ("jquery", "jquery.min.js"))  # jQuery: folium's popups, streamlit-folium
MAP_CSS = (("leaflet", "leaflet.css"),)


def vendor_static_assets() -> Path:
    """Copy the XStatic packages' files under static/vendor/ (set-up; again only when a
    package's version changes)."""
    for name, package in _PACKAGES.items():
        target = VENDOR_DIR / f"{name}-{package.VERSION}"
        if not (target / ".complete").exists():
            shutil.copytree(Path(package.BASE_DIR), target, dirs_exist_ok=True)
            (target / ".complete").touch()
    return VENDOR_DIR


def missing_assets() -> list[str]:
    """The vendored files the map needs that are not there (set-up has not run)."""
    files = [_vendor_path(package, file) for package, file in (*MAP_JS, *MAP_CSS)]
    return [str(path.relative_to(STATIC_DIR.parent)) for path in files if not path.is_file()]


def asset_url(package: str, file: str) -> str:
    """The URL under which the app serves a vendored file, e.g. ('leaflet', 'leaflet.js')."""
    return f"{STATIC_URL}/{_vendor_path(package, file).relative_to(STATIC_DIR).as_posix()}"


def map_js() -> list[tuple[str, str]]:
    """The scripts a folium map needs, as folium's (name, url) pairs, all served locally."""
    return [(package, asset_url(package, file)) for package, file in MAP_JS]


def map_css() -> list[tuple[str, str]]:
    """The stylesheets a folium map needs, as (name, url) pairs, all served locally."""
    return [(f"{package}_css", asset_url(package, file)) for package, file in MAP_CSS]


def plugin_url(plugin: str, file: str) -> str:
    """The URL of a vendored Leaflet plugin file, e.g. ('leaflet-measure-2.1.7', 'leaflet-measure.js')."""
    if not (PLUGINS_DIR / plugin / file).is_file():
        raise FileNotFoundError(f"static/plugins/{plugin}/{file} is missing: run scripts/vendor_plugins.sh")
    return f"{STATIC_URL}/plugins/{plugin}/{file}"


def _vendor_path(package: str, file: str) -> Path:
    return VENDOR_DIR / f"{package}-{_PACKAGES[package].VERSION}" / file


if __name__ == "__main__":
    print(f"static assets in {vendor_static_assets().relative_to(STATIC_DIR.parent)}", file=sys.stderr)
