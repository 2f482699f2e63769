"""The sourced facts in geodata/facts/*.json: published figures, timelines, volumes and
transit times, each with its source (read as they are; the pages' tables come from
dashboard/reports.py)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from dashboard.catalog import GEODATA_DIR

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
