"""City details: what the details panel shows for one city, and its HTML.

Every value comes from the layer files, so the HTML is produced by a Jinja2
template with autoescaping: names, descriptions and sources are always shown
as text, and links keep only http(s) addresses.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import geopandas as gpd

from dashboard import analysis
from dashboard.templating import render
from dashboard.text import format_date, safe_url

NAME_LANGUAGES = {
    "local": "Local",
    "kk": "Kazakh",
    "ky": "Kyrgyz",
    "uz": "Uzbek",
    "tg": "Tajik",
    "ru": "Russian",
    "zh": "Chinese",
}


@dataclass(frozen=True)
class Link:
    title: str
    url: str | None  # None when the address is not http(s): shown as text only


@dataclass(frozen=True)
class Event:
    date: str  # ISO: YYYY, YYYY-MM or YYYY-MM-DD
    when: str  # for people: "18 May 2023"
    title: str
    description: str
    source: Link | None


@dataclass(frozen=True)
class CityDetails:
    id: str
    name: str
    other_names: tuple[tuple[str, str], ...]  # (language, name)
    country: str
    roles: tuple[str, ...]
    events: tuple[Event, ...]
    description: str
    population: str | None
    sources: tuple[Link, ...]
    lat: float
    lon: float


def city_details(city: Mapping[str, Any]) -> CityDetails:
    """Collect what the panel shows from one city's properties (and its point geometry)."""
    names = city.get("names") if isinstance(city.get("names"), dict) else {}
    other_names: dict[str, str] = {}  # name -> language; each distinct spelling once
    for lang, value in names.items():
        if value and str(value) != city["name"]:
            other_names.setdefault(str(value), NAME_LANGUAGES.get(lang, lang))
    events = tuple(
        sorted(
            (_event(e) for e in _list(city.get("events")) if isinstance(e, dict)),
            key=lambda e: e.date,
        )
    )
    country = str(city.get("country_name") or city.get("country") or "")
    geometry = city.get("geometry")
    return CityDetails(
        id=str(city["id"]),
        name=str(city["name"]),
        other_names=tuple((lang, name) for name, lang in other_names.items()),
        country=country,
        roles=tuple(str(r) for r in _list(city.get("roles"))),
        events=events,
        description=str(city.get("description") or ""),
        population=_population(city.get("population")),
        sources=tuple(
            _link(s.get("title") or s.get("url"), s.get("url"))
            for s in _list(city.get("sources"))
            if isinstance(s, dict)
        ),
        lat=float(geometry.y) if geometry is not None else float("nan"),
        lon=float(geometry.x) if geometry is not None else float("nan"),
    )


def city_details_html(details: CityDetails) -> str:
    """The details panel as HTML; every value is escaped."""
    return render("city_details.html", city=details)


def city_panel(cities: gpd.GeoDataFrame, railway: gpd.GeoDataFrame | None, corridor: gpd.GeoDataFrame | None,
               city_id: str) -> tuple[str, list[str]] | None:
    """A city's details panel as HTML and its distances to the CKU railway and the
    Trans-Caspian corridor (each if loaded), or None for an unknown city."""
    match = cities[cities["id"] == city_id]
    if match.empty:
        return None
    city = match.iloc[0]
    lines = {"CKU railway": railway, "Trans-Caspian corridor": corridor}
    distances = [f"{analysis.distance_to_lines_km(city.geometry, frame.geometry):,.0f} km from the {label}"
                 for label, frame in lines.items() if frame is not None]
    return city_details_html(city_details(city)), distances


def _event(raw: Mapping[str, Any]) -> Event:
    iso = str(raw.get("date") or "")
    source = _link(raw.get("source"), raw.get("url")) if raw.get("source") or raw.get("url") else None
    return Event(
        date=iso,
        when=format_date(iso),
        title=str(raw.get("title") or ""),
        description=str(raw.get("description") or ""),
        source=source,
    )


def _population(raw: Any) -> str | None:
    if not isinstance(raw, dict) or not isinstance(raw.get("value"), (int, float)):
        return None
    text = f"{raw['value']:,.0f}"
    if raw.get("year"):
        text += f" ({raw['year']})"
    return text


def _link(title: Any, url: Any) -> Link:
    return Link(title=str(title or url or "source"), url=safe_url(url))


def _list(value: Any) -> list:
    return value if isinstance(value, list) else []
