"""China's trade with Central Asia: the figures as data, the map's classes, the headline figure
among conflicting ones, growth computed from the figures and the mirror statistics' gap."""

from __future__ import annotations

import json

import geopandas as gpd
import pytest
import shapely

from dashboard import trade
from dashboard.catalog import load_catalog
from dashboard.facts import checked_facts

from helpers import ROOT

REAL = json.loads((ROOT / "geodata" / "facts" / "trade.json").read_text(encoding="utf-8")) \
    if (ROOT / "geodata" / "facts" / "trade.json").exists() else {}
PARTNERS = ("KZ", "KG", "TJ", "TM", "UZ")


def figure(partner, year, usd_bn, reporter="CN", **extra):
    return {"partner": partner, "year": year, "usd_bn": usd_bn, "reporter": reporter, "source": f"S{year}",
            "url": "https://example.org", "date": f"{year + 1}-01-20", **extra}


SAMPLE = {"series": [
    figure("KZ", 2023, 41.0), figure("KZ", 2024, 43.82), figure("KZ", 2024, 43.1, date="2025-01-02"),
    figure("KZ", 2024, 40.0, period="Jan–Nov", date="2024-12-10"),
    figure("KG", 2023, 19.8), figure("KG", 2024, 22.71), figure("KG", 2024, 5.1, reporter="KG", period="Jan–Nov"),
    figure("TJ", 2024, 3.86),
]}
SQUARES = gpd.GeoDataFrame({"id": ["kz", "kg", "tj"], "name": ["Kazakhstan", "Kyrgyzstan", "Tajikistan"],
                            "country": ["KZ", "KG", "TJ"]},
                           geometry=[shapely.box(50 + i, 40, 51 + i, 41) for i in range(3)], crs=4326)


def test_the_map_classes_are_the_catalogs_legend():
    """The classes the map draws and the legend's words say the same: under 5, 5–10, … 40 and more."""
    rule = next(r for r in load_catalog().layer("trade_partners").style_by if r.property == "trade_class")
    labels = {key: value["label"] for key, value in rule.values.items()}
    assert labels == {"0": "under 5", "1": "5 – 10", "2": "10 – 20", "3": "20 – 40", "4": "40 and more",
                      "none": "no figure"}
    assert [trade.trade_class(v) for v in (0.1, 4.99, 5, 9.99, 10, 19.9, 20, 39.9, 40, 106)] == \
        ["0", "0", "1", "1", "2", "2", "3", "3", "4", "4"]
    assert trade.trade_class(None) == "none"


def test_the_headline_figure_is_a_whole_years_latest_and_every_figure_stays():
    headline = trade.headline(SAMPLE).set_index(["partner", "reporter", "year"])
    assert headline.loc[("KZ", "CN", 2024), "usd_bn"] == 43.82  # published 2025-01-21, after 43.1 (2025-01-02)
    assert len(trade.all_figures(SAMPLE, SQUARES)) == len(SAMPLE["series"])


def test_growth_is_computed_from_the_figures():
    series = trade.partner_series(SAMPLE, "KG").set_index("year")
    assert series.loc[2024, "growth_pct"] == pytest.approx((22.71 / 19.8 - 1) * 100, abs=0.05)
    assert series.loc[2023, "growth_pct"] is None or series.loc[2023, "growth_pct"] != series.loc[2023, "growth_pct"]
    assert trade.growth_pct(10, 12.5) == 25.0 and trade.growth_pct(None, 3) is None and trade.growth_pct(0, 3) is None


def test_the_mirror_statistics_put_the_partners_figure_beside_chinas_and_measure_the_gap():
    frame = trade.trade_frame(SQUARES, SAMPLE, 2024).set_index("country")
    assert frame.loc["KG", "trade_class"] == "3" and frame.loc["KZ", "trade_class"] == "4"
    assert frame.loc["KG", "gap_class"] == "large" and frame.loc["KZ", "gap_class"] == "none"
    assert frame.loc["KG", "trade_text"] == "US$ 22.71 bn" and frame.loc["KG", "mirror_text"] == "US$ 5.1 bn (Jan–Nov)"
    assert frame.loc["KG", "gap_text"] == "US$ 17.6 bn apart (78% of the larger)"
    assert frame.loc["TJ", "mirror_text"] == "no figure"
    assert trade.gap_ratio(22.71, 5.1) == pytest.approx(17.61 / 22.71)


def test_the_year_table_ranks_the_partners_and_the_chart_has_both_reporters_with_the_mirror():
    table = trade.year_table(SAMPLE, SQUARES, 2024)
    assert list(table["code"]) == ["KZ", "KG", "TJ"]
    chart = trade.chart_series(SAMPLE, SQUARES, mirror=True)
    assert set(chart["reporter"]) == {"CN", "partner"}
    assert set(trade.chart_series(SAMPLE, SQUARES, mirror=False)["reporter"]) == {"CN"}


def test_a_figure_without_a_source_or_with_a_bad_value_is_left_out_and_named():
    spec = load_catalog().facts["trade"]
    good = figure("KZ", 2024, 43.82)
    clean, faults = checked_facts({"series": [good, {**good, "url": ""}, {**good, "usd_bn": -1},
                                              {**good, "partner": "FR"}], "totals": []}, spec)
    assert clean["series"] == [good] and len(faults) == 3
    assert "series item 2" in faults[0] and "web address" in faults[0]


@pytest.mark.skipif(not REAL, reason="geodata/facts/trade.json is not there")
def test_the_real_series_has_chinas_figure_for_every_partner_from_2022_to_2025():
    china = {(f["partner"], f["year"]) for f in REAL["series"] if f["reporter"] == "CN" and f.get("period", "year") == "year"}
    for partner in PARTNERS:
        for year in range(2022, 2026):
            assert (partner, year) in china, (partner, year)
    mirror = {f["partner"] for f in REAL["series"] if f["reporter"] != "CN"}
    assert "KG" in mirror  # the largest gap: Kyrgyzstan's own figures


@pytest.mark.skipif(not REAL, reason="geodata/facts/trade.json is not there")
def test_the_published_totals_agree_with_the_partners_figures_where_a_year_has_all_five():
    headline = trade.headline(REAL)
    china = headline[headline["reporter"] == "CN"]
    for total in REAL.get("totals", []):
        year = china[china["year"] == total["year"]]
        if len(year) == 5:
            assert year["usd_bn"].sum() == pytest.approx(total["usd_bn"], rel=0.03), total["year"]
