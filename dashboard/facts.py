"""The sourced facts in geodata/facts/*.json: published figures, timelines, volumes and
transit times, each with its source (read as they are; the pages' tables come from
dashboard/reports.py)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from dashboard.catalog import GEODATA_DIR, FactsSpec
from dashboard.text import literal, shortened

FACTS_DIR = GEODATA_DIR / "facts"


class FactsError(ValueError):
    """A facts file is missing or not valid JSON; the message says which and why."""


def load_facts(name: str, folder: Path = FACTS_DIR) -> dict[str, Any]:
    """Read `geodata/facts/<name>.json`."""
    path = folder / f"{name}.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise FactsError(f"facts/{path.name}: the file is missing") from None
    except json.JSONDecodeError as err:
        raise FactsError(f"facts/{path.name}: not valid JSON (line {err.lineno}: {err.msg})") from None
    if not isinstance(data, dict):
        raise FactsError(f"facts/{path.name}: expected a JSON object")
    return data


def checked_facts(data: dict[str, Any], spec: FactsSpec | None) -> tuple[dict[str, Any], list[str]]:
    """The facts with every item that breaks its list's schema in the catalog left out, and what
    is wrong with each, as "list[index]: fault" (a file the catalog does not describe is kept
    as it is)."""
    if spec is None:
        return data, []
    clean, faults = dict(data), []
    for name, validator in spec.lists.items():
        items = data.get(name)
        if not isinstance(items, list):
            faults.append(f"{name}: the list is missing" if items is None else f"{name}: not a list")
            clean[name] = []
            continue
        kept = []
        for index, item in enumerate(items):
            errors = sorted(validator.iter_errors(item), key=lambda e: [str(p) for p in e.absolute_path])
            if errors:
                faults.append(f"{name} item {index + 1}: {_fault(errors[0])}")
            else:
                kept.append(item)
        clean[name] = kept
    return clean, faults


def _fault(error) -> str:
    """The first fault in an item, for whoever keeps the data: where, and the schema's words
    (shown as Markdown, so the item's own text is in a code span)."""
    where = ".".join(str(part) for part in error.absolute_path)
    what = error.schema.get("description") if isinstance(error.schema, dict) else None
    text = literal(shortened(error.message, 120)) + (f" ({what})" if what else "")
    return f"'{where}' {text}" if where else text
