"""Offline assets: the JavaScript and CSS the map needs, served by the app itself.

Leaflet and jQuery come from the XStatic pip packages and are copied into
`static/vendor/`, which Streamlit serves under `/app/static/` when
`server.enableStaticServing` is on. No script or stylesheet is fetched from a CDN.
"""

from __future__ import annotations

import shutil
from functools import cache
from pathlib import Path

import xstatic.pkg.jquery
import xstatic.pkg.leaflet

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
VENDOR_DIR = STATIC_DIR / "vendor"
PLUGINS_DIR = STATIC_DIR / "plugins"  # Leaflet plugins with no XStatic package: scripts/vendor_plugins.sh
STATIC_URL = "/app/static"

_PACKAGES = {"leaflet": xstatic.pkg.leaflet, "jquery": xstatic.pkg.jquery}


@cache
def ensure_static_assets() -> Path:
    """Copy the XStatic packages' files under static/vendor/ (once per process, when changed)."""
    for name, package in _PACKAGES.items():
        source = Path(package.BASE_DIR)
        target = VENDOR_DIR / f"{name}-{package.VERSION}"
        if not (target / ".complete").exists():
            shutil.copytree(source, target, dirs_exist_ok=True)
            (target / ".complete").touch()
    return VENDOR_DIR


def asset_url(package: str, file: str) -> str:
    """The URL under which the app serves a vendored file, e.g. ('leaflet', 'leaflet.js')."""
    version = _PACKAGES[package].VERSION
    return f"{STATIC_URL}/vendor/{package}-{version}/{file}"


def map_js() -> list[tuple[str, str]]:
    """The scripts a folium map needs, as folium's (name, url) pairs, all served locally."""
    ensure_static_assets()
    return [
        ("leaflet", asset_url("leaflet", "leaflet.js")),
        # folium's popups and the streamlit-folium frontend use jQuery
        ("jquery", asset_url("jquery", "jquery.min.js")),
    ]


def map_css() -> list[tuple[str, str]]:
    """The stylesheets a folium map needs, as (name, url) pairs, all served locally."""
    ensure_static_assets()
    return [("leaflet_css", asset_url("leaflet", "leaflet.css"))]


def plugin_url(plugin: str, file: str) -> str:
    """The URL of a vendored Leaflet plugin file, e.g. ('leaflet-measure-2.1.7', 'leaflet-measure.js')."""
    if not (PLUGINS_DIR / plugin / file).is_file():
        raise FileNotFoundError(f"static/plugins/{plugin}/{file} is missing: run scripts/vendor_plugins.sh")
    return f"{STATIC_URL}/plugins/{plugin}/{file}"
