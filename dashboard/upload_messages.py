"""What the dashboard says about an upload: a few fixed sentences, each with the values the
reader found (counts, a coordinate system's name quoted literally) and the limits it names,
shown in the visitor's language (the sentences are gettext messages: dashboard/i18n.py)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from babel.numbers import format_decimal

from dashboard import limits
from dashboard.i18n import ENGLISH, N_, Translator
from dashboard.text import literal

FORMATS = N_("GeoJSON, KML, GeoPackage or a zipped Shapefile")
KIND_NAMES = {"geojson": N_("GeoJSON file"), "kml": N_("KML file"), "gpkg": N_("GeoPackage"),
              "shapefile-zip": N_("zipped Shapefile"), None: N_("file")}
# the limits the sentences name, filled in when they are shown
LIMITS = {"limit_mb": limits.MAX_FILE_BYTES // limits.MB, "max_members": limits.MAX_ZIP_MEMBERS,
          "expanded_mb": limits.MAX_ZIP_EXPANDED_BYTES // limits.MB, "max_features": limits.MAX_FEATURES,
          "attributes_mb": limits.MAX_ATTRIBUTE_BYTES // limits.MB, "max_columns": limits.MAX_COLUMNS}
TOO_MUCH_WORK = N_("This file needs more work than the dashboard allows; try a smaller or simpler file.")
REFUSALS = {
    "too-big": N_("The file is {mb} MB; the limit is {limit_mb} MB."),
    "not-a-format": N_("This file is not {formats}."),
    "not-geojson": N_("This JSON file is not a GeoJSON FeatureCollection or Feature."),
    "geojson-crs": N_("The GeoJSON declares a coordinate system other than longitude/latitude (WGS84), "
                      "or names it by a web address; such files are not accepted."),
    "not-geopackage": N_("This SQLite file is not a GeoPackage."),
    "gpkg-view": N_("The GeoPackage holds a view; only plain tables are accepted."),
    "gpkg-virtual": N_("The GeoPackage holds a virtual table; only plain tables are accepted."),
    "gpkg-schema": N_("The GeoPackage holds more than a plain GeoPackage does (its own triggers, "
                      "generated columns or an unusual schema); it is not accepted."),
    "no-layer": N_("The file holds no layer of features."),
    "zip-members": N_("The zip holds {count} files; at most {max_members} are accepted."),
    "zip-expands": N_("The zip expands to more than {expanded_mb} MB."),
    "zip-paths": N_("The zip holds paths outside its folder or without a name; it is refused."),
    "zip-shapefiles": N_("The zip must hold exactly one .shp file; it holds {count}."),
    "not-shapefile": N_("The .shp file in the zip is not a Shapefile."),
    "too-many-features": N_("The file has {count} features; at most {max_features} are accepted."),
    "too-many-vertices": N_("The file has {count} vertices; at most {limit} can be drawn."),
    "too-much-text": N_("The file's attribute table is over {attributes_mb} MB."),
    "all-no-geometry": N_("The file has no features with a geometry."),
    "all-not-numbers": N_("The file has no features with coordinates that are numbers."),
    "all-collapsed": N_("Every geometry in the file collapsed when repaired; nothing is left to draw."),
    "all-not-projectable": N_("No feature could be converted to longitude/latitude."),
    "nested-collections": N_("The file nests geometry collections too deeply."),
    "crs-unsupported": N_("Its coordinate system ({crs}) cannot be converted to longitude/latitude on "
                          "the Earth; it is not accepted."),
    "not-lonlat": N_("Its coordinates are not longitude/latitude (projected coordinates without a "
                     "declared coordinate system?)."),
    "damaged": N_("The {kind} could not be read: it is damaged or not in that format."),
    "too-much-work": TOO_MUCH_WORK,
    "reader-unavailable": N_("Uploads cannot be read on this server right now."),
}
NOTES = {
    "first-layer": N_("The file holds {count} layers; the first one is shown."),
    "no-geometry": N_("Features without a geometry left out: {count}."),
    "not-numbers": N_("Features with coordinates that are not numbers left out: {count}."),
    "not-projectable": N_("Features that could not be converted to longitude/latitude left out: {count}."),
    "collections": N_("Geometry collections split into their parts: {count}."),
    "collapsed": N_("Features that collapsed when repaired, left out: {count}."),
    "crs-assumed": N_("No coordinate system was declared; longitude/latitude (WGS84) was assumed."),
    "reprojected": N_("Reprojected from {crs} to WGS84."),
    "repaired": N_("Invalid geometries repaired: {count}."),
    "simplified": N_("Simplified for display from {count} vertices."),
    "columns-left-out": N_("Properties left out (the map shows the first {max_columns}): {count}."),
    "text-shortened": N_("Long text values shortened: {count}."),
}
BUSY = N_("The dashboard is reading other uploads right now; please try again in a moment.")


@dataclass(frozen=True)
class Message:
    """One of the fixed sentences above with its values, shown in the visitor's language. The
    only text from a file is a coordinate system's name, already quoted as a literal."""

    template: str
    values: tuple[tuple[str, Any], ...] = ()

    @classmethod
    def of(cls, template: str, values: dict | None = None) -> Message:
        """The sentence with the reader's values, each checked: a count is a number, a name a literal."""
        values = dict(values or {})
        if "crs" in values:
            values["crs"] = literal(values["crs"], limit=80)
        if "kind" in values or "{kind}" in template:
            values["kind"] = values.get("kind") if values.get("kind") in KIND_NAMES else None
        for key in ("count", "limit", "mb"):
            if key in values and not isinstance(values[key], (int, float)):
                values[key] = 0
        return cls(template, tuple(sorted(values.items(), key=lambda item: item[0])))

    def text(self, _: Translator = ENGLISH) -> str:
        """The sentence in the translator's language, numbers in its locale."""
        values = {**LIMITS, "formats": _(FORMATS), **dict(self.values)}
        # a size keeps its tenth (20.0 MB is over a 20 MB limit), a count has none
        values = {key: format_decimal(value, "#,##0.0", locale=_.locale) if isinstance(value, float)
                  else _.number(value) if isinstance(value, int) else value for key, value in values.items()}
        values["kind"] = _(KIND_NAMES.get(values.get("kind"), KIND_NAMES[None]))
        translated = _(self.template)
        try:
            return translated.format(**values)
        except (KeyError, ValueError, IndexError):
            return translated.split("{")[0].rstrip(" (") + "."

    def __str__(self) -> str:
        return self.text()
