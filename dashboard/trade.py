"""China's trade with the five Central Asian countries by year (geodata/facts/trade.json): China
Customs' figures, the partners' own ("mirror") figures beside them, and what is computed from
them (classes for the map, the gap between the two, growth from one year to the next).

Where several sources give a figure for the same partner, year and reporter, every one is kept
and shown; the map and the growth rates use one of them, the *headline* figure: the one the data
marks `headline` (where a later source misprints the figure), else a whole year's rather than part
of one, then the most recently published (a final figure supersedes an early one). None is ever
averaged. A figure marked `estimate` (derived, not published) says so wherever it is shown.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import geopandas as gpd
import pandas as pd
from babel.numbers import format_decimal, format_percent

from dashboard.data_text import names_in, text_in
from dashboard.i18n import DEFAULT, Translator
from dashboard.text import safe_url

CHINA = "CN"
# the map's classes (US$ bn a year): the catalog's "trade_class" labels say the same in words
BREAKS = (5.0, 10.0, 20.0, 40.0)
NO_FIGURE = "none"
LARGE_GAP = 1 / 3  # the two figures differ by more than a third of the larger one


def trade_class(value: float | None) -> str:
    """The map class of a figure: "0" (under 5) … "4" (40 and more), or "none"."""
    if value is None or pd.isna(value):
        return NO_FIGURE
    return str(sum(value >= low for low in BREAKS))


def gap_ratio(china: float | None, partner: float | None) -> float | None:
    """How far the two figures differ, as a share of the larger (0: the same)."""
    if china is None or partner is None or pd.isna(china) or pd.isna(partner) or max(china, partner) <= 0:
        return None
    return abs(china - partner) / max(china, partner)


def gap_class(china: float | None, partner: float | None) -> str:
    ratio = gap_ratio(china, partner)
    return NO_FIGURE if ratio is None else "large" if ratio > LARGE_GAP else "small"


def figures(trade: Mapping[str, Any]) -> pd.DataFrame:
    """Every published figure, one row each."""
    columns = ["partner", "year", "usd_bn", "reporter", "period", "estimate", "headline", "note", "note_ru", "note_zh",
               "source", "url", "date"]
    frame = pd.DataFrame(list(trade.get("series", [])), columns=columns)
    frame["period"] = frame["period"].fillna("year")
    frame["headline"] = frame["headline"].map(lambda value: value is True)
    frame["estimate"] = frame["estimate"].map(lambda value: value is True)
    return frame


def headline(trade: Mapping[str, Any]) -> pd.DataFrame:
    """One figure per partner, year and reporter: a whole year's first, then the latest published."""
    frame = figures(trade)
    frame = frame.assign(whole_year=frame["period"] == "year").sort_values(
        ["partner", "reporter", "year", "headline", "whole_year", "date"], kind="stable")
    return frame.groupby(["partner", "reporter", "year"], as_index=False).last().drop(columns="whole_year")


def trade_years(trade: Mapping[str, Any]) -> list[int]:
    """The years with a China Customs figure for at least one partner."""
    frame = figures(trade)
    return sorted(int(y) for y in frame.loc[frame["reporter"] == CHINA, "year"].unique())


def year_values(trade: Mapping[str, Any], year: int) -> pd.DataFrame:
    """partner -> China's headline figure and the partner's own, for one year."""
    frame = headline(trade)
    frame = frame[frame["year"] == year]
    china = frame[frame["reporter"] == CHINA].set_index("partner")
    own = frame[frame["reporter"] == frame["partner"]].set_index("partner")
    return pd.DataFrame({"china_usd_bn": china["usd_bn"], "china_estimate": china["estimate"],
                         "partner_usd_bn": own["usd_bn"], "partner_period": own["period"]})


def trade_frame(partners: gpd.GeoDataFrame, trade: Mapping[str, Any], year: int, lang: str = DEFAULT) -> gpd.GeoDataFrame:
    """The partner countries with the year's figures: the map's classes and tooltip texts (in `lang`)."""
    _ = Translator(lang)
    values = year_values(trade, year).reindex(partners["country"])
    china, own = values["china_usd_bn"].to_numpy(), values["partner_usd_bn"].to_numpy()
    frame = partners.copy()
    frame["trade_class"] = [trade_class(v) for v in china]
    frame["gap_class"] = [gap_class(c, p) for c, p in zip(china, own)]
    frame["trade_text"] = [_money(v, _) + (" " + _("(estimate)") if estimate is True else "")
                           for v, estimate in zip(china, values["china_estimate"].to_numpy())]
    frame["mirror_text"] = [_money(p, _) + ("" if period in (None, "year") or pd.isna(period) else f" ({period})")
                            for p, period in zip(own, values["partner_period"].to_numpy())]
    frame["gap_text"] = [_gap(c, p, _) for c, p in zip(china, own)]
    return frame


def partner_series(trade: Mapping[str, Any], partner: str, lang: str = DEFAULT) -> pd.DataFrame:
    """A partner's years: China's headline figure, the growth on the year before (computed), the
    partner's own figure and the gap; each with the source it comes from."""
    frame = headline(trade)
    frame = frame[frame["partner"] == partner]
    china = frame[frame["reporter"] == CHINA].set_index("year")
    own = frame[frame["reporter"] == partner].set_index("year")
    years = sorted(set(china.index) | set(own.index))
    rows = []
    for year in years:
        value = china["usd_bn"].get(year)
        before = china["usd_bn"].get(year - 1)
        rows.append({
            "year": year, "china_usd_bn": value, "china_estimate": china["estimate"].get(year) is True,
            "growth_pct": growth_pct(before, value),
            "partner_usd_bn": own["usd_bn"].get(year), "gap_usd_bn": _difference(value, own["usd_bn"].get(year)),
            "china_source": china["source"].get(year), "china_link": safe_url(china["url"].get(year)),
            "partner_source": own["source"].get(year), "partner_link": safe_url(own["url"].get(year)),
        })
    return pd.DataFrame(rows, columns=["year", "china_usd_bn", "growth_pct", "partner_usd_bn", "gap_usd_bn",
                                       "china_estimate", "china_source", "china_link", "partner_source", "partner_link"])


def growth_pct(before: float | None, now: float | None) -> float | None:
    """The change from one year to the next, in per cent of the first (None without both)."""
    if before is None or now is None or pd.isna(before) or pd.isna(now) or before <= 0:
        return None
    return round((now / before - 1) * 100, 1)


def year_table(trade: Mapping[str, Any], partners: gpd.GeoDataFrame, year: int, lang: str = DEFAULT) -> pd.DataFrame:
    """The five partners in one year: China's figure, its growth, the partner's own and the gap."""
    names = dict(zip(partners["country"], names_in(partners, lang)))
    rows = []
    for code in partners["country"]:
        series = partner_series(trade, code, lang).set_index("year")
        row = series.loc[year] if year in series.index else None
        rows.append({"country": names[code], "code": code,
                     **({} if row is None else {k: row[k] for k in ("china_usd_bn", "china_estimate", "growth_pct",
                                                                     "partner_usd_bn", "gap_usd_bn", "china_source",
                                                                     "china_link")})})
    table = pd.DataFrame(rows, columns=["country", "code", "china_usd_bn", "growth_pct", "partner_usd_bn",
                                        "gap_usd_bn", "china_estimate", "china_source", "china_link"])
    return table.sort_values("china_usd_bn", ascending=False, na_position="last").reset_index(drop=True)


def chart_series(trade: Mapping[str, Any], partners: gpd.GeoDataFrame, mirror: bool, lang: str = DEFAULT) -> pd.DataFrame:
    """The headline figures as a long table for the time-series chart (the partners' own too if
    `mirror`): year, country, reporter, US$ bn."""
    names = dict(zip(partners["country"], names_in(partners, lang)))
    frame = headline(trade)
    frame = frame[(frame["reporter"] == CHINA) | (mirror & (frame["reporter"] == frame["partner"]))]
    return pd.DataFrame({"year": frame["year"].astype(int), "country": frame["partner"].map(names),
                         "reporter": frame["reporter"].where(frame["reporter"] == CHINA, "partner"),
                         "usd_bn": frame["usd_bn"]}).sort_values(["country", "year"]).reset_index(drop=True)


def all_figures(trade: Mapping[str, Any], partners: gpd.GeoDataFrame, lang: str = DEFAULT) -> pd.DataFrame:
    """Every published figure with its source: the conflicts between sources side by side."""
    names = dict(zip(partners["country"], names_in(partners, lang)))
    frame = figures(trade)
    notes = [text_in(record, "note", lang) for record in frame.to_dict("records")]
    return pd.DataFrame({"country": frame["partner"].map(names), "year": frame["year"], "reporter": frame["reporter"],
                         "usd_bn": frame["usd_bn"], "period": frame["period"], "estimate": frame["estimate"],
                         "note": notes, "date": frame["date"], "source": frame["source"],
                         "link": frame["url"].map(safe_url)}).sort_values(["country", "year", "reporter"]).reset_index(drop=True)


def _money(value: float | None, _: Translator) -> str:
    if value is None or pd.isna(value):
        return _("no figure")
    return _("US$ {amount} bn", amount=format_decimal(value, format="#,##0.0#", locale=_.lang))


def _gap(china: float | None, partner: float | None, _: Translator) -> str:
    ratio = gap_ratio(china, partner)
    if ratio is None:
        return ""
    return _("US$ {amount} bn apart ({share} of the larger)",
             amount=format_decimal(abs(china - partner), format="#,##0.0", locale=_.lang),
             share=format_percent(ratio, locale=_.lang))


def _difference(a: float | None, b: float | None) -> float | None:
    if a is None or b is None or pd.isna(a) or pd.isna(b):
        return None
    return round(a - b, 2)
