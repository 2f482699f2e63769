"""The dataset: the layer catalog, its validated layers, the sourced facts and the base map's
countries, read together from geodata/ as one version.

Plain Python (dashboard/store.py caches it once per process and version). The version is
the name, size and change time of every file under the data folders, facts and base map
included, so an edit to any of them is a new version.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import geopandas as gpd
import pyarrow as pa

from dashboard.basemaps import BASEMAP_FILE
from dashboard.catalog import GEODATA_DIR, Catalog, load_catalog
from dashboard.facts import FACTS_DIR, FactsError, checked_facts, load_facts
from dashboard.geodata import LoadedLayers, Problem, load_layers

log = logging.getLogger(__name__)
T = TypeVar("T")
CITIES_LAYER = "cities"


@dataclass(frozen=True)
class Dataset:
    catalog: Catalog
    layers: LoadedLayers
    facts: Mapping[str, dict]  # name -> the facts file's content; a broken file is absent…
    fact_problems: Mapping[str, str]  # …and named here, with what is wrong
    countries: gpd.GeoDataFrame
    version: tuple
    # the figures left out of the facts files (their catalog schema's faults), as layers' problems are
    record_problems: tuple[Problem, ...] = ()
    _computed: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def problems(self) -> list[Problem]:
        return [*self.layers.problems, *self.record_problems]

    @property
    def frames(self) -> Mapping[str, gpd.GeoDataFrame]:
        return self.layers.frames

    @property
    def cities(self) -> gpd.GeoDataFrame | None:
        return self.layers.frames.get(CITIES_LAYER)

    def computed(self, func: Callable[..., T], *args: Any) -> T:
        """`func(*args)` once for this version of the data: the tables and figures the pages
        show. Each argument is a part of this dataset (a layer, a facts file, the countries)
        or a plain hashable value. What it returns is shared by every visitor: never change it."""
        key = (func.__module__, func.__qualname__, tuple(self._role(arg) for arg in args))
        if key not in self._computed:
            self._computed[key] = func(*args)
        return self._computed[key]

    def table(self, func: Callable[..., Any], *args: Any) -> pa.Table:
        """`computed(func, *args)`, a DataFrame, as the Arrow table a page shows: converted once
        for this version of the data instead of on every rerun."""
        return self.computed(_arrow_table, func, *args)

    def _role(self, arg: Any) -> Any:
        for role, parts in (("layer", self.layers.frames), ("facts", self.facts)):
            for name, part in parts.items():
                if arg is part:
                    return (role, name)
        if arg is self.countries:
            return ("countries",)
        if arg is self.layers.frames:
            return ("frames",)
        if arg is self.catalog:
            return ("catalog",)
        if isinstance(arg, (dict, list)) and not arg:  # e.g. the facts of a missing file
            return ("empty", type(arg).__name__)
        hash(arg)  # a value derived from the data cannot key what is computed from it
        return ("value", arg)


def _arrow_table(func: Callable[..., Any], *args: Any) -> pa.Table:
    return pa.Table.from_pandas(func(*args), preserve_index=False)


def data_version(folders: Iterable[Path]) -> tuple:
    """Every file under the folders, by path, size and change time: a new value when one changes."""
    entries = []
    for folder in dict.fromkeys(Path(f) for f in folders):
        for root, _, files in os.walk(folder):
            for name in files:
                stat = os.stat(os.path.join(root, name))
                entries.append((os.path.join(root, name), stat.st_mtime_ns, stat.st_size))
    return tuple(sorted(entries))


def data_folders(catalog_file: Path) -> tuple[Path, ...]:
    """The folders the dataset is read from: the catalog's, the facts' and geodata/ (base map)."""
    return tuple(dict.fromkeys([Path(catalog_file).parent, FACTS_DIR, GEODATA_DIR]))


def load_dataset(catalog_file: Path, version: tuple = ()) -> Dataset:
    """Read the catalog, its layers, every facts file and the base map's countries.
    A broken catalog raises CatalogError; broken layers and facts are reported."""
    catalog = load_catalog(catalog_file)
    facts, fact_problems, record_problems = {}, {}, []
    for path in sorted(FACTS_DIR.glob("*.json")):
        try:
            facts[path.stem], faults = checked_facts(load_facts(path.stem, FACTS_DIR), catalog.facts.get(path.stem))
        except FactsError as err:
            fact_problems[path.stem] = str(err)
            continue
        file = f"facts/{path.name}"
        record_problems += [Problem(layer=file, file=file, message=f"{fault}; it is left out.", kind="record",
                                    detail=fault) for fault in faults]
    for problem in record_problems:
        log.warning("geodata problem: %s", problem)
    return Dataset(catalog=catalog, layers=load_layers(catalog), facts=facts, fact_problems=fact_problems,
                   record_problems=tuple(record_problems), countries=gpd.read_file(BASEMAP_FILE), version=version)
