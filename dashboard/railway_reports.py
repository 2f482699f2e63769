"""The railway page's tables and figures: lengths computed from the traced line beside the
published ones (each source's figures kept together, never added across sources), the
stations in order, the gauges.

Plain functions returning DataFrames and lists: the page only lays them out.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import pandas as pd

from dashboard import analysis
from dashboard.data_text import column_in, names_in, text_in
from dashboard.i18n import DEFAULT, Translator
from dashboard.reports import figure_text, key_figures
from dashboard.text import safe_url

COUNTRY_COLUMNS = {"CN": "China", "KG": "Kyrgyzstan", "UZ": "Uzbekistan"}  # the by-source table's columns


def railway_lengths(railway: gpd.GeoDataFrame, lang: str = DEFAULT) -> pd.DataFrame:
    """Per country (named in `lang`): the length computed from the geometry and every published
    figure."""
    _ = Translator(lang)
    computed = analysis.lengths_by(railway, "country")
    rows = []
    for code, km in computed.items():
        published = _published(railway[railway["country"] == code], country_level=True)
        rows.append({
            "country": _.country(code),
            "computed_km": round(km, 1),
            "published": "; ".join(f"{_.km(p['km'], 3)} ({p['source']})" for p in published),
        })
    return pd.DataFrame(rows)


@dataclass(frozen=True)
class Metric:
    label: str
    value: str
    help: str | None = None


def railway_metrics(railway: gpd.GeoDataFrame, stations: gpd.GeoDataFrame,
                    facts: dict[str, Any], lang: str = DEFAULT) -> tuple[list[Metric], list[Metric]]:
    """The railway page's two metric rows, in `lang`: lengths (computed, with the published
    figures as help), then gauge, status, cost and capacity."""
    _ = Translator(lang)
    lengths = railway_lengths(railway, lang)
    totals = railway_published_totals(railway)
    published = "; ".join(f"{_.km(t['km'], 3)} ({t['source']})" for t in totals)
    row_lengths = [Metric(_("Length (computed)"), _.km(lengths["computed_km"].sum()),
                          _("Published: {figures}", figures=published))]
    row_lengths += [Metric(r["country"], _.km(r["computed_km"]), _("Published: {figures}", figures=r["published"]))
                    for _index, r in lengths.iterrows()]
    # 1 435 mm in every language: how railways write gauges
    gauges = " → ".join(f"{g:,}".replace(",", " ") for g in dict.fromkeys(railway["gauge_mm"]))
    breaks = names_in(stations, lang)[stations["kind"] == "break of gauge"]
    statuses = dict(zip(railway["status"], column_in(railway, "status", lang)))
    status = ", ".join(statuses[status] for status in sorted(statuses))
    row_other = [  # short values: a metric cuts what does not fit (the help shows it whole)
        Metric(_("Gauge (mm)"), gauges, _("Break of gauge: {places}", places=", ".join(breaks)) if len(breaks) else None),
        Metric(_("Status"), status, status),
    ]
    for figure_id, label in (("cost_total", _("Cost")), ("capacity", _("Capacity"))):
        figure = key_figures(facts, [figure_id]).get(figure_id)
        if figure:
            row_other.append(Metric(label, figure_text(figure, lang), figure["source"]))
    return row_lengths, row_other


def railway_published_totals(railway: gpd.GeoDataFrame) -> list[dict[str, Any]]:
    """Every published figure for the whole line, each with its source, largest first."""
    return sorted(_published(railway, country_level=False), key=lambda p: -p["km"])


def _scope(entry: dict[str, Any]) -> str:
    """What a published length covers: "whole line", a country's "section", or a "part"."""
    scope = str(entry.get("scope", ""))
    return "whole line" if scope.startswith("whole line") else "section" if "section" in scope else "part"


def _published(segments: gpd.GeoDataFrame, country_level: bool) -> list[dict[str, Any]]:
    seen, figures = set(), []
    for entries in segments.get("published_lengths", pd.Series(dtype=object)):
        for entry in entries if isinstance(entries, list) else []:
            if _scope(entry) == ("section" if country_level else "whole line") and (entry["km"], entry["source"]) not in seen:
                seen.add((entry["km"], entry["source"]))
                figures.append({**entry, "url": safe_url(entry.get("url"))})
    return figures


def station_table(railway: gpd.GeoDataFrame, stations: gpd.GeoDataFrame, lang: str = DEFAULT) -> pd.DataFrame:
    """The named places along the line in order (in `lang`), with the distance from Kashgar
    along it."""
    line = analysis.railway_line(railway)
    ordered = stations.sort_values("order") if "order" in stations else stations
    km = analysis.chainage_km(line, ordered.geometry)
    _ = Translator(lang)
    return pd.DataFrame({
        "place": names_in(ordered, lang).values,
        "kind": column_in(ordered, "kind", lang).values,
        "country": [_.country(c) for c in ordered["country"]],
        "km_from_kashgar": km.round(1).values,
        "position": ordered["coordinate_source"].values,
    })


def railway_gauges(railway: gpd.GeoDataFrame, lang: str = DEFAULT) -> pd.DataFrame:
    """Computed length per gauge and status (in `lang`)."""
    km = railway.geometry.apply(analysis.length_km)
    table = km.groupby([railway["gauge_mm"], column_in(railway, "status", lang).rename("status")]).sum().round(1)
    return table.rename("computed_km").reset_index()


def railway_lengths_by_source(railway: gpd.GeoDataFrame, lang: str = DEFAULT) -> pd.DataFrame:
    """Each source's published lengths on one row, as the source gives them: per country, for
    the whole line and for parts of it. A source's set stays whole and no figure is ever added
    to another source's; the last row is this map's trace, computed. Numbers and scopes in `lang`."""
    _ = Translator(lang)
    rows: dict[str, dict[str, Any]] = {}
    for _index, segment in railway.iterrows():
        entries = segment.get("published_lengths")
        for entry in entries if isinstance(entries, list) else []:
            row = rows.setdefault(entry["source"], {"source": entry["source"], "date": entry.get("date") or "",
                                                    "link": safe_url(entry.get("url"))})
            column = {"whole line": "whole line", "section": COUNTRY_COLUMNS.get(segment["country"], segment["country"]),
                      "part": "parts"}[_scope(entry)]
            figure = _.km(entry["km"], 3) if column == "parts" else _.number(entry["km"], 3)
            if entry.get("more_than"):
                figure = _("more than {km}", km=figure)
            if column == "parts":
                figure = f"{figure}: {text_in(entry, 'scope', lang)}"
            if figure not in row.get(column, "").split("; "):
                row[column] = "; ".join(filter(None, [row.get(column), figure]))
    computed = analysis.lengths_by(railway, "country")
    trace = {"source": _("this map's trace (computed, geodesic)"), "date": "",
             **{COUNTRY_COLUMNS.get(code, code): _.number(km) for code, km in computed.items()},
             "whole line": _.number(computed.sum())}
    columns = ["source", "date", *COUNTRY_COLUMNS.values(), "whole line", "parts", "link"]
    table = pd.DataFrame(sorted(rows.values(), key=lambda r: r["date"]) + [trace], columns=columns)
    return table.fillna("")
