"""URL state: what a shared link asks for (`?city=astana&layers=railway,corridor&
basemap=osm&years=2015-2020&lang=ru`; on the routes page `origin=xian&destination=duisburg&
scenario=border&days=4`, on the trade page `year=2024&mirror=1`), checked against what exists.

Anything unknown, repeated, malformed or oversized is ignored and named in a notice;
parsing never raises. Notices are shown as Markdown (toasts), so the link's own text in
them is a code span: a link cannot put a picture, a hyperlink or formatting on the page.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from dashboard.i18n import ENGLISH, LANGUAGES, Translator
from dashboard.limits import MAX_LINK_NOTICES, MAX_LINK_VALUE_CHARS
from dashboard.text import literal

KEYS = ("city", "layers", "basemap", "years", "lang", "origin", "destination", "scenario", "days", "year", "mirror")
YEARS = re.compile(r"([0-9]{4})-([0-9]{4})")
NUMBER = re.compile(r"[0-9]{1,4}")
MAX_SCENARIO_DAYS = 60  # the most a scenario may add: two months of waiting


@dataclass(frozen=True)
class LinkState:
    city: str | None = None
    layers: frozenset[str] | None = None  # the overlay groups to show; None: all
    basemap: str | None = None  # a base layer id; None: the default
    years: tuple[int, int] | None = None
    lang: str | None = None  # en, ru or zh; None: the session's or the browser's
    origin: str | None = None  # the routes page's origin and destination (place ids)
    destination: str | None = None
    scenario: str | None = None  # a scenario id; None: the published figures alone
    days: int | None = None  # the days the scenario adds
    year: int | None = None  # the trade page's year
    mirror: bool = False  # the trade page's mirror statistics
    notices: tuple[str, ...] = ()  # Markdown-safe


def parse_link(
    params: Mapping[str, Any],
    *,
    cities: Iterable[str],
    groups: Iterable[str],
    basemaps: Iterable[str],
    year_range: tuple[int, int] | None = None,
    origins: Iterable[str] = (),
    destinations: Iterable[str] = (),
    scenarios: Iterable[str] = (),
    trade_years: Iterable[int] = (),
    _: Translator = ENGLISH,
) -> LinkState:
    """The link's state from its parameters (each key: a list of values, as
    `st.query_params.get_all` gives). A repeated key's last value counts, as browsers
    keep the last one; the others are ignored with a notice."""
    notices: list[str] = []

    for key in params:
        if key not in KEYS:
            notices.append(_("The link's parameter {key} is not used; it was ignored.", key=literal(str(key))))

    def value(key: str) -> str | None:
        raw = params.get(key)
        values = [raw] if isinstance(raw, str) else list(raw) if isinstance(raw, (list, tuple)) else []
        if not values:
            return None
        if len(values) > 1:
            notices.append(_.ngettext("The link gives {key} {n} time; only the last one counts.",
                                      "The link gives {key} {n} times; only the last one counts.", len(values), key=key))
        last = values[-1]
        if not isinstance(last, str):
            notices.append(_("The link's {key} is not text; it was ignored.", key=key))
            return None
        if len(last) > MAX_LINK_VALUE_CHARS:
            notices.append(_("The link's {key} is too long and was ignored.", key=key))
            return None
        return last

    def unknown(what: str, text: str) -> None:
        notices.append(_("The link names an unknown {what} ({value}); it was ignored.", what=what,
                         value=literal(text)))

    city = value("city")
    if city is not None and city not in set(cities):
        unknown(_("city"), city)
        city = None

    layers = None
    raw_layers = value("layers")
    if raw_layers is not None:
        known = set(groups)
        parts = raw_layers.split(",")
        asked = [part for part in parts if part]
        if len(asked) < len(parts) and len(parts) > 1:  # "railway,,cities", ",,,"; but "" means none
            notices.append(_("The link's layers hold empty names; they were ignored."))
        for part in dict.fromkeys(asked):
            if part not in known:
                unknown(_("layer"), part)
        layers = frozenset(part for part in asked if part in known)

    basemap = value("basemap")
    if basemap is not None and basemap not in set(basemaps):
        unknown(_("base map"), basemap)
        basemap = None

    years = None
    raw_years = value("years")
    if raw_years is not None:
        match = YEARS.fullmatch(raw_years)
        first, last = (int(match[1]), int(match[2])) if match else (None, None)
        if not match or first > last:
            notices.append(_("The link's years ({value}) are not a range like 2015-2020; ignored.",
                             value=literal(raw_years)))
        elif year_range is not None:
            years = (max(first, year_range[0]), min(last, year_range[1]))
            if years[0] > years[1]:
                notices.append(_("The link's years {first}-{last} hold no events; ignored.", first=first, last=last))
                years = None
        else:
            years = (first, last)

    lang = value("lang")
    if lang is not None and lang not in LANGUAGES:
        unknown(_("language"), lang)
        lang = None

    chosen = {}
    for key, known, what in (("origin", origins, _("origin")), ("destination", destinations, _("destination")),
                             ("scenario", scenarios, _("scenario"))):
        chosen[key] = value(key)
        if chosen[key] is not None and chosen[key] not in set(known):
            unknown(what, chosen[key])
            chosen[key] = None

    days = value("days")
    if days is not None:
        if NUMBER.fullmatch(days) and int(days) <= MAX_SCENARIO_DAYS:
            days = int(days)
        else:
            notices.append(_("The link's days ({value}) are not a number from 0 to {most}; ignored.",
                             value=literal(days), most=MAX_SCENARIO_DAYS))
            days = None

    year = value("year")
    if year is not None:
        if NUMBER.fullmatch(year) and int(year) in set(trade_years):
            year = int(year)
        else:
            notices.append(_("The link's year ({value}) has no trade figures; ignored.", value=literal(year)))
            year = None

    mirror = value("mirror")
    if mirror not in (None, "0", "1"):
        notices.append(_("The link's mirror ({value}) is not 1 or 0; ignored.", value=literal(mirror)))

    if len(notices) > MAX_LINK_NOTICES:
        rest = len(notices) - MAX_LINK_NOTICES + 1
        notices = [*notices[:MAX_LINK_NOTICES - 1],
                   _.ngettext("{n} more part of the link was ignored.", "{n} more parts of the link were ignored.", rest)]
    return LinkState(city=city, layers=layers, basemap=basemap, years=years, lang=lang, origin=chosen["origin"],
                     destination=chosen["destination"], scenario=chosen["scenario"], days=days, year=year,
                     mirror=mirror == "1", notices=tuple(notices))
