#!/usr/bin/env bash
# Vendor the Leaflet plugins the map uses (no XStatic package carries them) into
# static/plugins/<package>-<version>/, from the npm registry. Run once when a version
# changes; the files are committed so that the app needs no network at run time.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

vendor() {  # package version files...
  local package=$1 version=$2; shift 2
  local target="static/plugins/$package-$version"
  (cd "$work" && npm pack --silent "$package@$version" >/dev/null && mkdir -p "$package" && tar xzf "$package-$version.tgz" -C "$package" 2>/dev/null)
  rm -rf "$target" && mkdir -p "$target"
  for file in "$@"; do
    mkdir -p "$target/$(dirname "${file#*:}")"
    cp -r "$work/$package/package/${file%%:*}" "$target/${file#*:}"
  done
}

vendor leaflet.fullscreen 3.0.0 Control.FullScreen.js:Control.FullScreen.js Control.FullScreen.css:Control.FullScreen.css icon-fullscreen.svg:icon-fullscreen.svg LICENSE:LICENSE
vendor leaflet-mouse-position 1.2.0 src/L.Control.MousePosition.js:L.Control.MousePosition.js src/L.Control.MousePosition.css:L.Control.MousePosition.css MIT-LICENCE.txt:LICENSE
vendor leaflet-measure 2.1.7 dist/leaflet-measure.js:leaflet-measure.js dist/leaflet-measure.css:leaflet-measure.css dist/images:images LICENSE:LICENSE
vendor leaflet-minimap 3.6.1 dist/Control.MiniMap.min.js:Control.MiniMap.min.js dist/Control.MiniMap.min.css:Control.MiniMap.min.css dist/images:images LICENSE.txt:LICENSE
vendor html-to-image 1.11.13 dist/html-to-image.js:html-to-image.js LICENSE:LICENSE
find static/plugins -type f | sort
