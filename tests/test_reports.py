import geopandas as gpd
import pandas as pd
import pytest

from dashboard import analysis, railway_reports, reports
from dashboard.basemaps import BASEMAP_FILE
from dashboard.catalog import load_catalog
from dashboard.facts import FactsError, load_facts
from dashboard.geodata import load_layers

FRAMES = load_layers(load_catalog()).frames


def test_railway_lengths_are_computed_and_shown_with_published_figures():
    table = railway_reports.railway_lengths(FRAMES["cku_railway"]).set_index("country")
    computed = analysis.lengths_by(FRAMES["cku_railway"], "country")
    assert table.loc["Kyrgyzstan", "computed_km"] == pytest.approx(computed["KG"], abs=0.05)
    assert "213 km (Railway Gazette" in table.loc["China", "published"]
    assert "304.94 km" in table.loc["Kyrgyzstan", "published"]
    totals = railway_reports.railway_published_totals(FRAMES["cku_railway"])
    assert {523, 532.53} <= {t["km"] for t in totals}
    assert all(t["url"] is None or t["url"].startswith("http") for t in totals)


def test_each_source_s_lengths_stay_together_and_are_never_added_across_sources():
    table = railway_reports.railway_lengths_by_source(FRAMES["cku_railway"]).set_index("source")
    gazette = table.loc[next(s for s in table.index if s.startswith("Railway Gazette"))]
    assert (gazette["China"], gazette["Kyrgyzstan"], gazette["Uzbekistan"], gazette["whole line"]) == ("213", "260", "50", "523")
    cabinet = table.loc[next(s for s in table.index if s.startswith("Trend 2025-12-05"))]
    assert cabinet["Kyrgyzstan"] == "304.94" and cabinet["China"] == "" and "160 km: Torugart – Makmal" in cabinet["parts"]
    assert table.loc[next(s for s in table.index if s.startswith("Daryo"))]["Kyrgyzstan"] == "more than 300"
    # every figure on a row is one its own source published
    published = {(e["source"], e["km"]) for entries in FRAMES["cku_railway"]["published_lengths"] for e in entries}
    for source, row in table.drop(index="this map's trace (computed, geodesic)").iterrows():
        for cell in row[["China", "Kyrgyzstan", "Uzbekistan", "whole line"]]:
            for figure in filter(None, cell.split("; ")):
                assert (source, float(figure.removeprefix("more than "))) in published
    # the data keeps no single 'published length' per section that would add up across sources
    assert "published_length_km" not in FRAMES["cku_railway"]


def test_stations_in_order_from_kashgar():
    table = railway_reports.station_table(FRAMES["cku_railway"], FRAMES["cku_stations"])
    assert table["place"].iloc[0] == "Kashgar" and table["km_from_kashgar"].iloc[0] == 0
    assert table["place"].iloc[-1] == "Andijan"
    assert table["km_from_kashgar"].is_monotonic_increasing
    makmal = table[table["place"].str.startswith("Makmal")]["km_from_kashgar"].iloc[0]
    gauge = railway_reports.railway_gauges(FRAMES["cku_railway"])
    assert makmal == pytest.approx(gauge[gauge["gauge_mm"] == 1435]["computed_km"].sum(), abs=2)


def test_timeline_is_sorted_with_safe_links():
    table = reports.timeline_table([
        {"date": "2024-12-27", "title": "b", "url": "https://x.org"},
        {"date": "1997-06", "title": "a", "url": "javascript:alert(1)"},
    ])
    assert list(table["event"]) == ["a", "b"]
    assert list(table["when"]) == ["June 1997", "27 December 2024"]
    assert pd.isna(table["link"].iloc[0])  # no link: shown as empty, never as a javascript: URL


def test_key_figures_and_their_text():
    facts = load_facts("cku_railway")
    figures = reports.key_figures(facts, ["cost_total", "capacity"])
    assert reports.figure_text(figures["cost_total"]) == "8 US$ bn"
    assert reports.figure_text({"value": 12, "value_max": 15, "unit": "Mt/yr"}) == "12–15 Mt/yr"


def test_volume_series_is_one_sourced_figure_per_year():
    series = reports.volume_series(load_facts("corridor"))
    assert list(series["year"]) == [str(y) for y in range(2019, 2026)]
    assert series.set_index("year").loc["2024", "million_tonnes"] == 4.484
    assert series["source"].str.startswith("Report.az").all()


def test_leg_table_and_totals():
    legs = FRAMES["corridor_legs"]
    table = reports.leg_table(legs)
    assert len(table) == len(legs)
    assert table["km_computed"].sum() == pytest.approx(legs.geometry.apply(analysis.length_km).sum(), rel=1e-3)
    by_mode, by_country = reports.lengths_by_mode(legs), reports.lengths_by_country(legs, gpd.read_file(BASEMAP_FILE))
    assert set(by_mode.index) == {"rail", "road", "sea"}
    assert "Kyrgyzstan" not in set(by_country["country"])  # no leg declares it
    assert by_country["km"].sum() == pytest.approx(by_mode.sum(), abs=5)


def test_city_events_and_the_year_filter():
    cities = FRAMES["cities"]
    assert reports.event_years(cities) == (2013, 2025)
    only_2023 = reports.city_events(cities, (2023, 2023))
    assert only_2023["date"].str.startswith("2023").all() and len(only_2023)
    assert "xian" in set(only_2023["city_id"])
    shown = reports.cities_with_events_in(cities, (2025, 2025))
    assert "astana" in set(shown["id"]) and "khiva" not in set(shown["id"])


def test_broken_facts_file_is_reported(tmp_path):
    (tmp_path / "bad.json").write_text("{", encoding="utf-8")
    with pytest.raises(FactsError, match="not valid JSON"):
        load_facts("bad", tmp_path)
    with pytest.raises(FactsError, match="missing"):
        load_facts("absent", tmp_path)


def test_railway_metrics_come_from_the_data():
    lengths, other = railway_reports.railway_metrics(FRAMES["cku_railway"], FRAMES["cku_stations"],
                                             load_facts("cku_railway"))
    assert lengths[0].label == "Length (computed)" and "523 km (Railway Gazette" in lengths[0].help
    by_label = {m.label: m for m in other}
    assert by_label["Gauge (mm)"].value == "1 435 → 1 520" and "Makmal" in by_label["Gauge (mm)"].help
    assert "under construction" in by_label["Status"].value
    assert by_label["Cost"].value == "8 US$ bn"
