"""URL state: what a shared link asks for (`?city=astana&layers=railway,corridor&
basemap=osm&years=2015-2020`), checked against what exists.

Anything unknown, malformed or oversized is ignored and named in a notice; parsing
never raises.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Mapping, Sequence

MAX_VALUE_LENGTH = 200
YEARS = re.compile(r"^(\d{4})-(\d{4})$")


@dataclass(frozen=True)
class LinkState:
    city: str | None = None
    layers: frozenset[str] | None = None  # the overlay groups to show; None: all
    basemap: str | None = None  # a base layer id; None: the default
    years: tuple[int, int] | None = None
    notices: tuple[str, ...] = ()


def parse_link(
    params: Mapping[str, Sequence[str]],
    *,
    cities: Iterable[str],
    groups: Iterable[str],
    basemaps: Iterable[str],
    year_range: tuple[int, int] | None = None,
) -> LinkState:
    """The link's state; each key's last value counts, as browsers keep the last one."""
    notices: list[str] = []

    def value(key: str) -> str | None:
        values = [v for v in params.get(key, []) if isinstance(v, str)]
        if not values:
            return None
        if len(values[-1]) > MAX_VALUE_LENGTH:
            notices.append(f"The link's {key} is too long and was ignored.")
            return None
        return values[-1]

    def unknown(key: str, text: str) -> None:
        shown = text if len(text) <= 40 else text[:40] + "…"
        notices.append(f"The link names an unknown {key} ({shown!r}); it was ignored.")

    city = value("city")
    if city is not None and city not in set(cities):
        unknown("city", city)
        city = None

    layers = None
    raw_layers = value("layers")
    if raw_layers is not None:
        known = set(groups)
        asked = [part for part in raw_layers.split(",") if part]
        for part in asked:
            if part not in known:
                unknown("layer", part)
        layers = frozenset(part for part in asked if part in known)

    basemap = value("basemap")
    if basemap is not None and basemap not in set(basemaps):
        unknown("base map", basemap)
        basemap = None

    years = None
    raw_years = value("years")
    if raw_years is not None:
        match = YEARS.match(raw_years)
        first, last = (int(match[1]), int(match[2])) if match else (None, None)
        if not match or first > last:
            notices.append(f"The link's years ({raw_years[:40]!r}) are not a range like 2015-2020; ignored.")
        elif year_range is not None:
            years = (max(first, year_range[0]), min(last, year_range[1]))
            if years[0] > years[1]:
                notices.append(f"The link's years {first}-{last} hold no events; ignored.")
                years = None
        else:
            years = (first, last)

    return LinkState(city=city, layers=layers, basemap=basemap, years=years, notices=tuple(notices))
