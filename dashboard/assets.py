"""Offline assets: the JavaScript and CSS the map needs, served by the app itself.

Leaflet (and jQuery, for the bench's baseline) come from the XStatic pip packages; the
Leaflet plugins with no XStatic package are vendored in `static/plugins/`
(scripts/vendor_plugins.sh). Set-up (`make setup`, which runs `python -m dashboard.assets`)
copies the packages into `static/vendor/` and joins what the map needs into one script and
one stylesheet in `static/bundle/`: streamlit-folium loads a map's scripts one after another,
so each file is a round trip before the map can be drawn (bench/README.md). Streamlit serves
`static/` under `/app/static/` (`server.enableStaticServing`). Nothing is written at run time,
so the app runs from a read-only folder. No script or stylesheet comes from a CDN.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import sys
from functools import cache
from pathlib import Path

import xstatic.pkg.jquery
import xstatic.pkg.leaflet

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
VENDOR_DIR = STATIC_DIR / "vendor"
PLUGINS_DIR = STATIC_DIR / "plugins"  # Leaflet plugins with no XStatic package: scripts/vendor_plugins.sh
BUNDLE_DIR = STATIC_DIR / "bundle"
# where the map's frame finds static/ (Streamlit serves it under <base URL path>/app/static/): relative
# to the frame's own page, <base URL path>/component/streamlit_folium.st_folium/index.html, so that
# the app works under any server.baseUrlPath (deploy/README.md) with nothing to configure
STATIC_URL = "../../app/static"

_PACKAGES = {"leaflet": xstatic.pkg.leaflet, "jquery": xstatic.pkg.jquery}
# What the dashboard's map loads, in order (a plugin after Leaflet), as paths under static/.
# jQuery is not among them: neither folium's templates, nor streamlit-folium, nor these plugins use it.
BUNDLE_JS = (
    f"vendor/leaflet-{xstatic.pkg.leaflet.VERSION}/leaflet.js",
    "plugins/leaflet.fullscreen-3.0.0/Control.FullScreen.js",
    "plugins/leaflet-measure-2.1.7/leaflet-measure.js",
    "plugins/leaflet-mouse-position-1.2.0/L.Control.MousePosition.js",
    "plugins/leaflet-minimap-3.6.1/Control.MiniMap.min.js",
)
BUNDLE_CSS = (
    f"vendor/leaflet-{xstatic.pkg.leaflet.VERSION}/leaflet.css",
    "plugins/leaflet.fullscreen-3.0.0/Control.FullScreen.css",
    "plugins/leaflet-measure-2.1.7/leaflet-measure.css",
    "plugins/leaflet-mouse-position-1.2.0/L.Control.MousePosition.css",
    "plugins/leaflet-minimap-3.6.1/Control.MiniMap.min.css",
)
_CSS_URL = re.compile(r"""url\(\s*(['"]?)(?!data:|/|#|https?:)([^'")]+)\1\s*\)""")
_SOURCE_MAP = re.compile(r"^//# sourceMappingURL=.*$", re.MULTILINE)


def vendor_static_assets() -> Path:
    """Copy the XStatic packages' files under static/vendor/ (again only when a package's
    version changes), then write the map's bundle (static/bundle/)."""
    for name, package in _PACKAGES.items():
        target = VENDOR_DIR / f"{name}-{package.VERSION}"
        if not (target / ".complete").exists():
            shutil.copytree(Path(package.BASE_DIR), target, dirs_exist_ok=True)
            (target / ".complete").touch()
    write_bundle()
    return VENDOR_DIR


def write_bundle() -> dict[str, str]:
    """Join the map's scripts into static/bundle/map.js and its stylesheets into map.css (their
    relative url()s made relative to it); bundle.json names each with a hash of its content."""
    script = ";\n".join(f"/* {path} */\n" + _SOURCE_MAP.sub("", (STATIC_DIR / path).read_text(encoding="utf-8"))
                        for path in BUNDLE_JS)
    styles = "\n".join(f"/* {path} */\n" + _bundle_css_urls((STATIC_DIR / path).read_text(encoding="utf-8"), path)
                       for path in BUNDLE_CSS)
    BUNDLE_DIR.mkdir(exist_ok=True)
    manifest = {}
    for name, text in (("map.js", script), ("map.css", styles)):
        (BUNDLE_DIR / name).write_text(text, encoding="utf-8")
        manifest[name] = hashlib.sha256(text.encode()).hexdigest()[:12]
    (BUNDLE_DIR / "bundle.json").write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    return manifest


def _bundle_css_urls(css: str, path: str) -> str:
    """A stylesheet's relative url(...)s (the file at static/`path`) made relative to the bundle's
    stylesheet (static/bundle/map.css)."""
    folder = f"../{Path(path).parent.as_posix()}"
    return _CSS_URL.sub(lambda m: f'url("{folder}/{m.group(2)}")', css)


def missing_assets() -> list[str]:
    """The built files the map needs that are not there (set-up has not run)."""
    files = [BUNDLE_DIR / name for name in ("map.js", "map.css", "bundle.json")]
    return [str(path.relative_to(STATIC_DIR.parent)) for path in files if not path.is_file()]


@cache
def _bundle_versions() -> dict[str, str]:
    return json.loads((BUNDLE_DIR / "bundle.json").read_text(encoding="utf-8"))


def map_js() -> list[tuple[str, str]]:
    """The map's one script (Leaflet and its plugins), as folium's (name, url) pairs."""
    return [("map_bundle", f"{STATIC_URL}/bundle/map.js?v={_bundle_versions()['map.js']}")]


def map_css() -> list[tuple[str, str]]:
    """The map's one stylesheet (Leaflet's and its plugins'), as (name, url) pairs."""
    return [("map_bundle_css", f"{STATIC_URL}/bundle/map.css?v={_bundle_versions()['map.css']}")]


def asset_url(package: str, file: str) -> str:
    """The URL under which the map's frame finds a vendored file, e.g. ('leaflet', 'leaflet.js')."""
    return f"{STATIC_URL}/vendor/{package}-{_PACKAGES[package].VERSION}/{file}"


if __name__ == "__main__":
    print(f"static assets in {vendor_static_assets().relative_to(STATIC_DIR.parent)}, "
          f"the map's bundle in {BUNDLE_DIR.relative_to(STATIC_DIR.parent)}", file=sys.stderr)
