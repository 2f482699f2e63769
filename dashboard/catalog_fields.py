"""Reading the catalog's fields: each one checked, a fault said in plain words with where it is
(dashboard/catalog.py builds the catalog from them)."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

import jsonschema

from dashboard.text import is_partial_date

SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
# the JSON Schema formats the catalog's schemas may use: a date as precise as it is known
FORMATS = jsonschema.FormatChecker(formats=())
FORMATS.checks("partial-date")(lambda value: not isinstance(value, str) or is_partial_date(value))


class CatalogError(ValueError):
    """The catalog file is missing or malformed; the message says where."""


def validator(schema: Any, definitions: Mapping[str, Any], where: str) -> jsonschema.Validator:
    """A JSON Schema (2020-12) that may refer to the catalog's $defs, checked."""
    schema = {"$defs": definitions, **schema} if isinstance(schema, dict) else schema
    try:
        return _checked_validator(json.dumps(schema, sort_keys=True))
    except jsonschema.SchemaError as err:
        raise CatalogError(f"{where} is not a valid JSON Schema ({err.message})") from None


@lru_cache(maxsize=256)
def _checked_validator(schema_json: str) -> jsonschema.Validator:
    # checking a schema against the metaschema costs ~0.1 s: once per schema, not per catalog read
    schema = json.loads(schema_json)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=FORMATS)


def list_field(raw: Any, key: str, where: str) -> list:
    value = raw.get(key) if isinstance(raw, dict) else None
    if not isinstance(value, list) or not value:
        raise CatalogError(f"{where}: '{key}' must be a non-empty list")
    return value


def mapping_field(raw: Mapping, key: str, where: str) -> dict:
    value = raw.get(key, {})
    if not isinstance(value, dict):
        raise CatalogError(f"{where}: '{key}' must be an object")
    return value


def text_field(raw: Any, key: str, where: str) -> str:
    value = raw.get(key) if isinstance(raw, dict) else None
    if not isinstance(value, str) or not value.strip():
        raise CatalogError(f"{where}: '{key}' must be a non-empty text")
    return value


def slug_field(raw: Any, key: str, where: str) -> str:
    value = text_field(raw, key, where)
    if not SLUG.match(value):
        raise CatalogError(f"{where}: '{key}' {value!r} must be a lowercase slug (a-z, 0-9, _ and -)")
    return value
