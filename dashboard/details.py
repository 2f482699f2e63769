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
from dashboard.data_text import is_translated, text_in
from dashboard.i18n import DEFAULT, ENGLISH, N_, Translator
from dashboard.templating import render
from dashboard.text import safe_url

NAME_LANGUAGES = {
    "local": N_("Local"),
    "en": N_("English"),
    "kk": N_("Kazakh"),
    "ky": N_("Kyrgyz"),
    "uz": N_("Uzbek"),
    "tg": N_("Tajik"),
    "ru": N_("Russian"),
    "zh": N_("Chinese"),
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
    translated: bool = False  # some of its texts are the project's translations of the English


def city_details(city: Mapping[str, Any], _: Translator = ENGLISH) -> CityDetails:
    """Collect what the panel shows from one city's properties (and its point geometry), named
    in the translator's language when the data has that name (the English name then follows)."""
    names = city.get("names") if isinstance(city.get("names"), dict) else {}
    name = str(names.get(_.lang) or city["name"])
    other_names: dict[str, str] = {}  # name -> language; each distinct spelling once
    for lang, value in {**names, "en": city["name"]}.items():
        if value and str(value) != name:
            other_names.setdefault(str(value), _(NAME_LANGUAGES[lang]) if lang in NAME_LANGUAGES else lang)
    events = tuple(
        sorted(
            (_event(e, _) for e in _list(city.get("events")) if isinstance(e, dict)),
            key=lambda e: e.date,
        )
    )
    country = _.country(city["country"]) if city.get("country") else str(city.get("country_name") or "")
    geometry = city.get("geometry")
    texts = [(city, "description"), (city, "roles")] + [(e, field) for e in _list(city.get("events"))
                                                        if isinstance(e, dict) for field in ("title", "description")]
    return CityDetails(
        id=str(city["id"]),
        name=name,
        other_names=tuple((lang, name) for name, lang in other_names.items()),
        country=country,
        roles=tuple(str(r) for r in _list(text_in(city, "roles", _.lang))),
        events=events,
        description=str(text_in(city, "description", _.lang) or ""),
        population=_population(city.get("population"), _),
        sources=tuple(
            _link(s.get("title") or s.get("url"), s.get("url"))
            for s in _list(city.get("sources"))
            if isinstance(s, dict)
        ),
        lat=float(geometry.y) if geometry is not None else float("nan"),
        lon=float(geometry.x) if geometry is not None else float("nan"),
        translated=any(is_translated(record, field, _.lang) for record, field in texts),
    )


def city_details_html(details: CityDetails, _: Translator = ENGLISH) -> str:
    """The details panel as HTML; every value is escaped."""
    labels = {"population": _("population"), "events": _("Events"), "sources": _("Sources"),
              "translated": _("Translated from English by this project; the sources are in their own languages.")}
    return render("city_details.html", city=details, labels=labels)


def city_panel(cities: gpd.GeoDataFrame, railway: gpd.GeoDataFrame | None, corridor: gpd.GeoDataFrame | None,
               city_id: str, lang: str = DEFAULT) -> tuple[str, list[str]] | None:
    """A city's details panel as HTML and its distances to the CKU railway and the
    Trans-Caspian corridor (each if loaded), in language `lang`; None for an unknown city."""
    match = cities[cities["id"] == city_id]
    if match.empty:
        return None
    city, _ = match.iloc[0], Translator(lang)
    lines = {_("{km} from the CKU railway"): railway, _("{km} from the Trans-Caspian corridor"): corridor}
    distances = [label.format(km=_.km(analysis.distance_to_lines_km(city.geometry, frame.geometry)))
                 for label, frame in lines.items() if frame is not None]
    return city_details_html(city_details(city, _), _), distances


def _event(raw: Mapping[str, Any], _: Translator) -> Event:
    iso = str(raw.get("date") or "")
    source = _link(raw.get("source"), raw.get("url")) if raw.get("source") or raw.get("url") else None
    return Event(
        date=iso,
        when=_.date(iso),
        title=str(text_in(raw, "title", _.lang) or ""),
        description=str(text_in(raw, "description", _.lang) or ""),
        source=source,
    )


def _population(raw: Any, _: Translator) -> str | None:
    if not isinstance(raw, dict) or not isinstance(raw.get("value"), (int, float)):
        return None
    text = _.number(raw["value"])
    if raw.get("year"):
        text += f" ({raw['year']})"
    return text


def _link(title: Any, url: Any) -> Link:
    return Link(title=str(title or url or "source"), url=safe_url(url))


def _list(value: Any) -> list:
    return value if isinstance(value, list) else []
