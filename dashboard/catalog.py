"""The layer catalog: which GeoJSON files make up the map, and how each looks.

The catalog is data (`geodata/catalog.json`); this module reads and checks it.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jsonschema

from dashboard.catalog_fields import (  # noqa: F401 - SLUG and FORMATS are the catalog's, for its readers
    FORMATS,
    SLUG,
    CatalogError,
    list_field,
    mapping_field,
    slug_field,
    text_field,
    validator,
)

GEODATA_DIR = Path(__file__).resolve().parent.parent / "geodata"
# DASHBOARD_CATALOG points the app at another catalog (tests use it for sample data)
CATALOG_FILE = Path(os.environ.get("DASHBOARD_CATALOG") or GEODATA_DIR / "catalog.json")

GEOMETRY_TYPES = {"Point", "LineString", "Polygon"}
PROPERTY_TYPES: dict[str, tuple[type, ...]] = {
    "str": (str,),
    "int": (int,),
    "float": (int, float),
    "list": (list,),
    "dict": (dict,),
}


@dataclass(frozen=True)
class StyleRule:
    """Style overrides keyed by the value of one feature property."""

    property: str
    title: str
    values: Mapping[str, Mapping[str, Any]]  # value -> {"label": ..., "style": {...}}


@dataclass(frozen=True)
class LayerSpec:
    """One catalog entry: a GeoJSON file and how to draw it."""

    id: str
    title: str
    group: str
    file: str
    geometry: str
    required: Mapping[str, str]
    tooltip: Mapping[str, str]
    style: Mapping[str, Any]
    style_by: tuple[StyleRule, ...] = ()
    marker: Mapping[str, Any] | None = None
    # a layer with no file of its own: its features are chosen from these layers by a page
    # (the routes' legs, dashboard/routes.py); it is drawn only where a page gives them
    drawn_from: tuple[str, ...] = ()
    source: str = ""  # where the layer comes from, for people
    description: str = ""  # what the layer shows, for people (the data page)
    checked: str = ""  # ISO date the sources were last checked
    validator: jsonschema.Validator | None = field(default=None, compare=False, repr=False)  # from "schema"

    @property
    def is_point(self) -> bool:
        return self.geometry == "Point"

    def property_errors(self, properties: Mapping[str, Any]) -> list[jsonschema.ValidationError]:
        """How a feature's properties break the layer's JSON Schema ("schema"), if it has one."""
        if self.validator is None:
            return []
        return sorted(self.validator.iter_errors(properties), key=lambda error: [str(p) for p in error.absolute_path])

    def accepts_geometry(self, geom_type: str) -> bool:
        """True for the catalog's geometry type and its Multi- form."""
        return geom_type in (self.geometry, "Multi" + self.geometry)

    def style_for(self, properties: Mapping[str, Any]) -> dict[str, Any]:
        """The Leaflet style of a feature: the base style, then each matching rule."""
        style = dict(self.style)
        for rule in self.style_by:
            match = rule.values.get(str(properties.get(rule.property)))
            if match:
                style.update(match.get("style", {}))
        return style


@dataclass(frozen=True)
class Group:
    """A LayerControl overlay: one or more layers toggled together."""

    id: str
    title: str
    overview: bool = True  # drawn on the maps that show every group (False: only where a page asks)


@dataclass(frozen=True)
class FactsSpec:
    """How a facts file (geodata/facts/<name>.json) is checked: a JSON Schema per list in it;
    an item that breaks its list's schema is reported and left out (dashboard/facts.py)."""

    name: str
    title: str
    lists: Mapping[str, jsonschema.Validator] = field(compare=False, repr=False)


@dataclass(frozen=True)
class Region:
    """The part of the world the dashboard covers, in degrees; features outside it are errors."""

    west: float = -180.0
    south: float = -90.0
    east: float = 180.0
    north: float = 90.0

    def contains(self, bounds: tuple[float, float, float, float]) -> bool:
        min_x, min_y, max_x, max_y = bounds
        return self.west <= min_x and max_x <= self.east and self.south <= min_y and max_y <= self.north

    def __str__(self) -> str:
        return f"longitude {self.west:g}…{self.east:g}, latitude {self.south:g}…{self.north:g}"


@dataclass(frozen=True)
class Catalog:
    groups: tuple[Group, ...]
    layers: tuple[LayerSpec, ...]
    base_dir: Path
    region: Region = Region()
    # language -> {English text: its translation}: the catalog's texts (dashboard/catalog_text.py)
    translations: Mapping[str, Mapping[str, str]] = field(default_factory=dict, compare=False)
    facts: Mapping[str, FactsSpec] = field(default_factory=dict, compare=False)

    @property
    def overview_groups(self) -> tuple[Group, ...]:
        """The groups of the maps that show everything (the overview's)."""
        return tuple(g for g in self.groups if g.overview)

    def layers_in(self, group_id: str) -> list[LayerSpec]:
        return [layer for layer in self.layers if layer.group == group_id]

    def layer(self, layer_id: str) -> LayerSpec:
        for layer in self.layers:
            if layer.id == layer_id:
                return layer
        raise KeyError(layer_id)

    def path_of(self, layer: LayerSpec) -> Path:
        return self.base_dir / layer.file


def load_catalog(path: Path = CATALOG_FILE) -> Catalog:
    """Read and check the catalog; raise CatalogError in plain words if it is wrong."""
    try:
        raw = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CatalogError(f"{path.name}: the layer catalog is missing") from None
    except json.JSONDecodeError as err:
        raise CatalogError(
            f"{path.name}: not valid JSON (line {err.lineno}, column {err.colno}: {err.msg})"
        ) from None
    if not isinstance(raw, dict):
        raise CatalogError(f"{path.name}: expected an object with 'groups' and 'layers'")
    return parse_catalog(raw, base_dir=Path(path).parent, name=Path(path).name)


def parse_catalog(raw: Mapping[str, Any], base_dir: Path, name: str = "catalog") -> Catalog:
    """Build a Catalog from its JSON form, checking every entry."""
    groups = tuple(
        Group(id=slug_field(g, "id", f"{name}: group {i}"), title=text_field(g, "title", f"{name}: group {i}"),
              overview=g.get("overview", True) is not False)
        for i, g in enumerate(list_field(raw, "groups", name))
    )
    group_ids = {g.id for g in groups}
    definitions = mapping_field(raw, "$defs", name)
    layers = tuple(
        _parse_layer(entry, f"{name}: layer {i}", group_ids, definitions)
        for i, entry in enumerate(list_field(raw, "layers", name))
    )
    for kind, ids in (("group", [g.id for g in groups]), ("layer", [layer.id for layer in layers])):
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise CatalogError(f"{name}: {kind} id {dupes[0]!r} appears more than once")
    layer_ids = {layer.id for layer in layers}
    for layer in layers:
        unknown = sorted(set(layer.drawn_from) - layer_ids)
        if unknown:
            raise CatalogError(f"{name}: layer {layer.id!r} is drawn from {unknown[0]!r}, not among the catalog's layers")
    facts = {key: _parse_facts(key, entry, f"{name}: facts {key}", definitions)
             for key, entry in mapping_field(raw, "facts", name).items()}
    translations = mapping_field(raw, "translations", name)
    for lang, table in translations.items():
        if not isinstance(table, dict) or not all(isinstance(v, str) and v.strip() for v in table.values()):
            raise CatalogError(f"{name}: translations {lang!r} must map each English text to a non-empty text")
    return Catalog(groups=groups, layers=layers, base_dir=base_dir, region=_parse_region(raw, name),
                   translations=translations, facts=facts)


def _parse_layer(entry: Any, where: str, group_ids: set[str], definitions: Mapping[str, Any]) -> LayerSpec:
    if not isinstance(entry, dict):
        raise CatalogError(f"{where}: expected an object")
    layer_id = slug_field(entry, "id", where)
    where = f"{where} ({layer_id})"
    group = text_field(entry, "group", where)
    if group not in group_ids:
        raise CatalogError(f"{where}: group {group!r} is not among the catalog's groups")
    drawn_from = entry.get("drawn_from", [])
    if not isinstance(drawn_from, list) or not all(isinstance(i, str) for i in drawn_from):
        raise CatalogError(f"{where}: 'drawn_from' must be a list of layer ids")
    file = "" if drawn_from else text_field(entry, "file", where)
    if Path(file).is_absolute() or ".." in Path(file).parts:
        raise CatalogError(f"{where}: file {file!r} must be a path inside geodata/")
    geometry = text_field(entry, "geometry", where)
    if geometry not in GEOMETRY_TYPES:
        raise CatalogError(f"{where}: geometry must be one of {sorted(GEOMETRY_TYPES)}")
    required = mapping_field(entry, "required", where)
    for prop, type_name in required.items():
        if type_name not in PROPERTY_TYPES:
            raise CatalogError(f"{where}: property {prop!r} has unknown type {type_name!r}")
    schema = entry.get("schema")
    rules = tuple(
        StyleRule(
            property=text_field(rule, "property", where),
            title=str(rule.get("title", rule.get("property"))),
            values=mapping_field(rule, "values", where),
        )
        for rule in entry.get("style_by", [])
    )
    return LayerSpec(
        id=layer_id,
        title=text_field(entry, "title", where),
        group=group,
        file=file,
        geometry=geometry,
        required={"id": "str", **required},
        tooltip=mapping_field(entry, "tooltip", where),
        style=mapping_field(entry, "style", where),
        style_by=rules,
        marker=entry.get("marker"),
        drawn_from=tuple(drawn_from),
        source=str(entry.get("source", "")),
        description=str(entry.get("description", "")),
        checked=str(entry.get("checked", "")),
        validator=None if schema is None else validator(schema, definitions, f"{where}: 'schema'"),
    )


def _parse_facts(key: str, entry: Any, where: str, definitions: Mapping[str, Any]) -> FactsSpec:
    if not SLUG.match(key):
        raise CatalogError(f"{where}: the name must be a lowercase slug, the file's name without .json")
    lists = mapping_field(entry, "lists", where) if isinstance(entry, dict) else {}
    if not lists:
        raise CatalogError(f"{where}: 'lists' must name the file's lists, each with the JSON Schema of its items")
    return FactsSpec(name=key, title=text_field(entry, "title", where),
                     lists={name: validator(schema, definitions, f"{where}: list {name!r}")
                            for name, schema in lists.items()})


def _parse_region(raw: Mapping[str, Any], where: str) -> Region:
    box = mapping_field(raw, "region", where)
    try:
        region = Region(**{k: float(v) for k, v in box.items()})
    except (TypeError, ValueError):
        raise CatalogError(f"{where}: 'region' takes numbers west, south, east, north") from None
    if not (-180 <= region.west < region.east <= 180 and -90 <= region.south < region.north <= 90):
        raise CatalogError(f"{where}: 'region' is not a box on the globe")
    return region


