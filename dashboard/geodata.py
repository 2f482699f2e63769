"""Loading and validation of the GeoJSON layers.

A bad file or feature never stops the others: it is reported as a `Problem`
in plain words, and everything that is valid is still returned.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd
import jsonschema
import numpy as np
import shapely
from shapely.geometry import shape
from shapely.validation import explain_validity

from dashboard.catalog import PROPERTY_TYPES, SLUG, Catalog, LayerSpec, Region
from dashboard.limits import MAX_FILE_BYTES
from dashboard.text import first_line, literal
from dashboard.upload_formats import WGS84_NAMES

log = logging.getLogger(__name__)

PLAIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9.:-]{0,59}")  # ids, EPSG codes, URNs: safe in Markdown as they are
JSON_TYPES = {"string": "str", "array": "list", "object": "an object", "integer": "int", "number": "a number",
              "boolean": "bool", "null": "null"}
MAX_FEATURE_PROBLEMS = 5  # bad features named one by one per layer; the rest are counted


@dataclass(frozen=True)
class Problem:
    """Something wrong with one layer file or one of its features: the whole `message` (for the
    log), and what it comes to for a visitor: the layer not shown, a feature left out, or
    `count` more left out, with the `detail` of what is wrong (in English, for whoever keeps
    the data; dashboard/widgets.py puts it in a sentence in the visitor's language)."""

    layer: str
    file: str
    message: str
    # "layer" (not shown), "feature" (left out), "more" (`count` more left out), or "record" (a
    # figure left out of a facts file, dashboard/dataset.py)
    kind: str = "feature"
    detail: str = ""
    count: int = 0

    def __str__(self) -> str:
        return f"{self.file}: {self.message}"


@dataclass
class LoadedLayers:
    """The valid layers (GeoDataFrames in WGS84, by layer id) and every problem found."""

    frames: dict[str, gpd.GeoDataFrame] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


class _LayerError(Exception):
    """The whole file is unusable."""


def load_layers(catalog: Catalog) -> LoadedLayers:
    """Load every layer in the catalog; a broken file is reported, the rest load."""
    loaded = LoadedLayers()
    for spec in catalog.layers:
        if spec.drawn_from:  # no file of its own: a page chooses its features from other layers
            continue
        frame, problems = load_layer(catalog, spec)
        loaded.problems.extend(problems)
        if frame is not None:
            loaded.frames[spec.id] = frame
    for problem in loaded.problems:
        log.warning("geodata problem: %s", problem)
    return loaded


def load_layer(catalog: Catalog, spec: LayerSpec) -> tuple[gpd.GeoDataFrame | None, list[Problem]]:
    """Read one layer; returns its valid features and the problems found."""
    problems: list[Problem] = []

    def report(kind: str, detail: str = "", count: int = 0) -> None:
        detail = detail.rstrip(".")
        message = {"layer": f"{detail}. The layer “{spec.title}” is not shown.", "feature": f"{detail}; it is left out.",
                   "more": f"{count} more features have problems and are left out."}[kind]
        problems.append(Problem(layer=spec.id, file=spec.file, message=message, kind=kind, detail=detail, count=count))

    try:
        collection = _read_feature_collection(catalog, spec)
    except _LayerError as err:
        report("layer", str(err))
        return None, problems

    features, seen_ids, faults = [], set(), []  # faults: what is wrong with each bad feature
    for index, feature in enumerate(collection["features"]):
        label = _feature_label(index, feature)
        try:
            clean = _check_feature(feature, spec, catalog.region)
        except ValueError as err:
            faults.append(f"{label} {err}")
            continue
        if clean["properties"]["id"] in seen_ids:
            faults.append(f"{label} repeats an id used before")
            continue
        seen_ids.add(clean["properties"]["id"])
        features.append(clean)

    if not features:
        # the whole file is unusable (e.g. every feature projected): one problem, not one per feature
        if not faults:
            report("layer", "no features")
        else:
            others = len(faults) - 1
            more = f" (and {others} more bad feature{'s' if others > 1 else ''})" if others else ""
            report("layer", f"no valid features: {faults[0]}{more}")
        return None, problems
    for fault in faults[:MAX_FEATURE_PROBLEMS]:
        report("feature", fault)
    if len(faults) > MAX_FEATURE_PROBLEMS:
        report("more", count=len(faults) - MAX_FEATURE_PROBLEMS)
    frame = gpd.GeoDataFrame.from_features(features, crs="EPSG:4326")
    return frame, problems


def _read_feature_collection(catalog: Catalog, spec: LayerSpec) -> dict[str, Any]:
    path = catalog.path_of(spec)
    if not path.is_file():
        raise _LayerError("the file is missing.")
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise _LayerError(
            f"the file is {size / 2**20:.1f} MB, over the {MAX_FILE_BYTES / 2**20:.0f} MB limit."
        )
    text = path.read_text(encoding="utf-8", errors="replace")
    if not text.strip():
        raise _LayerError("the file is empty.")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise _LayerError(
            f"not valid JSON (line {err.lineno}, column {err.colno}: {err.msg})."
        ) from None
    except RecursionError:
        raise _LayerError("not readable: its JSON is nested too deeply.") from None
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise _LayerError("not a GeoJSON FeatureCollection.")
    if data.get("crs") is not None and _declared_crs(data) not in WGS84_NAMES:
        raise _LayerError(
            f"declares the coordinate system {_quoted(_declared_crs(data) or '', bare=True) or 'of unknown form'}; "
            "layers must be WGS84 longitude/latitude."
        )
    if not isinstance(data.get("features"), list):
        raise _LayerError("its 'features' member is not a list.")
    return data


def _declared_crs(data: Mapping[str, Any]) -> str | None:
    """The name in a (pre-RFC 7946) GeoJSON `crs` member, if any."""
    crs = data.get("crs")
    props = crs.get("properties") if isinstance(crs, dict) else None
    name = props.get("name") if isinstance(props, dict) else None
    return name if isinstance(name, str) else None


def _feature_label(index: int, feature: Any) -> str:
    props = feature.get("properties") if isinstance(feature, dict) else None
    fid = props.get("id") if isinstance(props, dict) else None
    # an id that is not a slug is named by the problem itself
    return f"feature {index + 1}" + (f" (id {fid!r})" if isinstance(fid, str) and SLUG.match(fid) else "")


def _check_feature(feature: Any, spec: LayerSpec, region: Region) -> dict[str, Any]:
    """Return a clean copy of a valid feature, or raise ValueError saying what is wrong."""
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        raise ValueError("is not a GeoJSON Feature")
    props = feature.get("properties")
    if not isinstance(props, dict):
        raise ValueError("has no properties")
    _check_properties(props, spec.required)
    _check_nested(props, spec)
    raw_geometry = feature.get("geometry")
    if raw_geometry is None:
        raise ValueError("has no geometry")
    if not isinstance(raw_geometry, dict) or not isinstance(raw_geometry.get("type"), str):
        raise ValueError("has a malformed geometry (not a GeoJSON geometry object with a type)")
    try:
        geom = shape(raw_geometry)
    except (ValueError, TypeError, AttributeError, KeyError, IndexError, OverflowError,
            RecursionError, shapely.errors.ShapelyError) as err:
        raise ValueError(f"has a malformed geometry ({first_line(err)})") from None
    if not spec.accepts_geometry(geom.geom_type):
        raise ValueError(f"is a {geom.geom_type}, but this layer holds {spec.geometry}s")
    if geom.is_empty:
        raise ValueError("has an empty geometry")
    if not np.isfinite(shapely.get_coordinates(geom, include_z=geom.has_z)).all():
        raise ValueError("has coordinates that are not finite numbers (NaN or Infinity)")
    min_x, min_y, max_x, max_y = geom.bounds
    if min_x < -180 or max_x > 180 or min_y < -90 or max_y > 90:
        raise ValueError(
            "has coordinates outside longitude −180…180 / latitude −90…90 "
            "(projected coordinates? layers must be WGS84 longitude/latitude)"
        )
    if not region.contains(geom.bounds):
        raise ValueError(f"lies outside the map's region ({region})")
    if not geom.is_valid:
        raise ValueError(f"has an invalid geometry ({explain_validity(geom)})")
    return {"type": "Feature", "properties": props, "geometry": raw_geometry}


def _check_properties(props: Mapping[str, Any], required: Mapping[str, str]) -> None:
    for name, type_name in required.items():
        if name not in props or props[name] is None:
            raise ValueError(f"lacks the required property '{name}'")
        value = props[name]
        # bool is an int in Python, never a valid count or measure here
        if isinstance(value, bool) or not isinstance(value, PROPERTY_TYPES[type_name]):
            raise ValueError(f"has '{name}' of type {type(value).__name__}, expected {type_name}")
    if not SLUG.match(props["id"]):
        raise ValueError(f"has id {_quoted(props['id'])}, which is not a lowercase slug")


def _check_nested(props: Mapping[str, Any], spec: LayerSpec) -> None:
    """The nested properties the pages read have the shape the catalog's JSON Schema for the
    layer gives (events with dates, lists of text, sources as objects…); the first fault in words."""
    errors = spec.property_errors(props)
    if errors:
        raise ValueError(_in_words(errors[0]))


def _in_words(error: jsonschema.ValidationError) -> str:
    """'has 'events' item 1 whose 'date' is not a date like 2024, …' from a schema error."""
    path = list(error.absolute_path)
    where = f"'{path[0]}'" if path else "properties"
    if len(path) > 1 and isinstance(path[1], int):
        where += f" item {path[1] + 1}"
    field = next((str(part) for part in reversed(path[1:]) if isinstance(part, str)), None)
    whose = f" whose '{field}'" if field else ""
    if error.validator == "type":
        expected = error.validator_value if isinstance(error.validator_value, list) else [error.validator_value]
        wanted = " or ".join(JSON_TYPES.get(t, t) for t in expected)
        if field:
            return f"has {where}{whose} is of type {type(error.instance).__name__}, expected {wanted}"
        return f"has {where} of type {type(error.instance).__name__}, expected {wanted}"
    if error.validator == "required":
        return f"has {where} without {error.message.split(' ')[0]}"
    described = (error.schema.get("description") if isinstance(error.schema, dict) else None) or "valid"
    return f"has {where}{whose} is not {described}" if field else f"has {where} that is not {described}"


def _quoted(text: str, bare: bool = False) -> str:
    """Text from a layer file as it may appear in a problem: problems are shown as Markdown, so
    anything but a plain name or code goes in a code span (no link, picture or formatting)."""
    if not text:
        return ""
    if PLAIN.fullmatch(text):
        return text if bare else repr(text)
    return literal(text)
