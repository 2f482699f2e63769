"""Sourced fact data in geodata/facts/: schema, dates, sources and the published figures.

Reads the JSON with the standard library only. The expected values below are the
published figures (source named in each comment), so a typo in the data fails here.
"""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

import pytest

FACTS = Path(__file__).resolve().parent.parent / "geodata" / "facts"
CKU = FACTS / "cku_railway.json"
CORRIDOR = FACTS / "corridor.json"

KINDS = {"agreement", "study", "finance", "construction", "milestone", "plan"}
FIGURE_UNITS = {
    "cost_total": "US$ bn",
    "cost_kg_section": "US$ bn",
    "capacity": "Mt/yr",
    "design_speed": "km/h",
    "tunnels": "count",
    "tunnel_length": "km",
    "bridges": "count",
    "stations": "count",
    "gauge_standard_km": "km",
    "jv_shares": "",
}
TIMELINE_KEYS = {"date", "title", "description", "kind", "source", "url"}
FIGURE_KEYS = {"id", "label", "value", "value_max", "unit", "scope", "as_of", "source", "url", "note"}
VOLUME_KEYS = {"year", "tonnes_mt", "teu", "scope", "source", "url", "note"}
TRANSIT_KEYS = {"label", "days_min", "days_max", "as_of", "source", "url", "note"}
SERVICE_KEYS = {"date", "title", "distance_km", "days", "source", "url", "note"}


def own_keys(entry: dict) -> set[str]:
    """An entry's keys but its translations (`title_ru`, … : tests/test_data_translations.py)."""
    return {key for key in entry if not key.endswith(("_ru", "_zh"))}
ISO = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
REPAZ = "report.az"


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def cku() -> dict:
    return load(CKU)


@pytest.fixture(scope="module")
def corridor() -> dict:
    return load(CORRIDOR)


def iso_key(text: str) -> tuple[int, int, int]:
    """(year, month, day) of an ISO date YYYY, YYYY-MM or YYYY-MM-DD; raises if invalid."""
    m = ISO.match(text)
    assert m, f"not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD): {text!r}"
    y, mo, d = int(m[1]), int(m[2] or 0), int(m[3] or 0)
    date(y, mo or 1, d or 1)  # ValueError on e.g. 2024-13 or 2024-02-30
    assert 1990 <= y <= 2040, text
    return y, mo, d


def is_number(x) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def all_entries(cku: dict, corridor: dict):
    for name, rows in (("timeline", cku["timeline"]), ("figures", cku["figures"]),
                       ("volumes", corridor["volumes"]), ("transit_days", corridor["transit_days"]),
                       ("services", corridor["services"])):
        for row in rows:
            yield name, row


def texts(row: dict) -> str:
    return " ".join(str(row.get(k) or "") for k in ("title", "description", "label", "scope", "note"))


# ---------------------------------------------------------------- files and sources

def test_files_are_utf8_pretty_printed_json():
    for path in (CKU, CORRIDOR):
        raw = path.read_text(encoding="utf-8")
        assert raw == json.dumps(json.loads(raw), ensure_ascii=False, indent=2) + "\n", path.name


def test_top_level_keys(cku, corridor):
    assert set(cku) == {"timeline", "figures"}
    assert set(corridor) == {"volumes", "transit_days", "services"}
    for rows in (*cku.values(), *corridor.values()):
        assert isinstance(rows, list) and rows


def test_every_entry_has_a_source_and_an_http_url(cku, corridor):
    for name, row in all_entries(cku, corridor):
        assert isinstance(row["source"], str) and len(row["source"].strip()) >= 10, (name, row)
        parts = urlsplit(row["url"])
        assert parts.scheme in ("http", "https") and "." in parts.netloc, (name, row["url"])
        assert " " not in row["url"], (name, row["url"])


def test_sources_are_original_pages_not_the_fact_sheet(cku, corridor):
    for name, row in all_entries(cku, corridor):
        assert "facts.md" not in row["source"] + row["url"], (name, row)


def test_computed_values_are_marked_estimate(cku, corridor):
    for name, row in all_entries(cku, corridor):
        t = texts(row).lower()
        if "computed" in t or "inferred" in t or "inference" in t:
            assert "estimate" in t, (name, row)


# ---------------------------------------------------------------- CKU timeline

def test_timeline_schema(cku):
    for ev in cku["timeline"]:
        assert own_keys(ev) == TIMELINE_KEYS, ev
        for k in TIMELINE_KEYS:
            assert isinstance(ev[k], str) and ev[k].strip(), (k, ev)
        assert ev["kind"] in KINDS, ev
        iso_key(ev["date"])


def test_timeline_sorted_and_unique(cku):
    keys = [iso_key(ev["date"]) for ev in cku["timeline"]]
    assert keys == sorted(keys)
    pairs = [(ev["date"], ev["title"]) for ev in cku["timeline"]]
    assert len(pairs) == len(set(pairs))


def by_date(cku: dict, d: str) -> list[dict]:
    return [ev for ev in cku["timeline"] if ev["date"] == d]


@pytest.mark.parametrize("d, kind, words, host", [
    ("1997-06", "agreement", ["feasibility"], "railwaygazette.com"),           # RG97
    ("2017-12-27", "milestone", ["Tashkent"], "azernews.az"),                  # AZN17
    ("2019-11-25", "study", ["US$3.1m"], "trend.az"),                          # TR19
    ("2022-07", "plan", ["Torugart", "Makmal", "Jalal-Abad"], "railfreight.com"),
    ("2022-09-14", "agreement", ["Samarkand"], "azernews.az"),                 # AZN22
    ("2023-05-18", "study", ["memorandum", "feasibility"], "trend.az"),        # TR25b
    ("2023-10-27", "study", ["454 km"], "menafn.com"),                         # MENA23b
    ("2024-06-06", "agreement", ["Beijing"], "einpresswire.com"),              # MFA24
    ("2024-06-19", "milestone", ["ratif"], "24.kg"),
    ("2024-06-27", "milestone", ["ratif"], "people.cn"),
    ("2024-07-26", "milestone", ["registered"], "trend.az"),                   # TR24a
    ("2024-11", "finance", ["33.9bn yuan", "2030"], "asiaplustj.info"),        # APL
    ("2024-12-20", "plan", ["27 December"], "centralasianlight.org"),          # CAL
    ("2024-12-20", "agreement", ["Yntymak-Ordo", "evening", "dated 21 Dec"], "24.kg"),
    ("2024-12-27", "construction", ["Tosh-Kutchu", "Jalal-Abad"], "railwaygazette.com"),
    ("2025-04-04", "construction", ["Jalal-Abad"], "adyrna.kz"),
    ("2025-04-29", "construction", ["Suzak", "next day"], "24.kg"),
    ("2025-06-30", "construction", ["full-scale", "304 km"], "menafn.com"),
    ("2025-07", "plan", ["July 2025", "six years"], "railwaygazette.com"),
    ("2025-12-05", "construction", ["18 of 29", "17 of 50"], "trend.az"),      # TR25c
    ("2025-12-16", "finance", ["China Development Bank", "Export-Import Bank", "35-year"], "24.kg"),
])
def test_timeline_event(cku, d, kind, words, host):
    events = [event for event in by_date(cku, d) if event["kind"] == kind]
    assert len(events) == 1, f"expected one {kind} event on {d}, found {len(events)}"
    ev = events[0]
    assert ev["kind"] == kind
    text = ev["title"] + " " + ev["description"]
    for w in words:
        assert w.lower() in text.lower(), (d, w)
    assert urlsplit(ev["url"]).netloc.endswith(host), (d, ev["url"])


def test_groundbreaking_is_27_december_2024_at_tosh_kutchu(cku):
    ground = [ev for ev in cku["timeline"] if "groundbreaking" in ev["title"].lower()]
    assert [ev["date"] for ev in ground] == ["2024-12-27"]
    assert "Tosh-Kutchu" in ground[0]["title"]


def test_planned_completion_is_last_with_every_variant(cku):
    last = cku["timeline"][-1]
    assert last["date"] == "2030" and last["kind"] == "plan"
    assert "commercial operation" in last["title"].lower()
    d = last["description"]
    assert "2029" in d and "Wikipedia" in d          # infobox variant, with its source
    assert "2031" in d and "estimate" in d           # computed, so marked estimate
    assert "railwaygazette.com" in last["url"]
    plans_after_2025 = [ev for ev in cku["timeline"] if iso_key(ev["date"])[0] > 2025]
    assert plans_after_2025 == [last]


# ---------------------------------------------------------------- CKU figures

def test_figure_schema(cku):
    for f in cku["figures"]:
        assert own_keys(f) == FIGURE_KEYS, f
        assert f["id"] in FIGURE_UNITS, f["id"]
        assert f["unit"] == FIGURE_UNITS[f["id"]], f
        for k in ("label", "scope", "source", "url"):
            assert isinstance(f[k], str) and f[k].strip(), (k, f)
        assert f["note"] is None or (isinstance(f["note"], str) and f["note"].strip()), f
        if f["id"] == "jv_shares":
            assert isinstance(f["value"], str) and f["value_max"] is None
        else:
            assert is_number(f["value"]) and f["value"] > 0, f
            assert f["value_max"] is None or (is_number(f["value_max"]) and f["value_max"] > f["value"]), f
        if f["value_max"] is not None:           # a range must also be spelled out in the note
            assert f["note"] and "–" in f["note"], f
        if f["as_of"] is None:
            assert f["note"], f"figure without a date must explain why: {f}"
        else:
            iso_key(f["as_of"])


def test_every_figure_id_present_and_no_length_per_country(cku):
    ids = {f["id"] for f in cku["figures"]}
    assert ids == set(FIGURE_UNITS)


def test_figures_sharing_an_id_have_distinct_sources_or_scopes(cku):
    seen = set()
    for f in cku["figures"]:
        key = (f["id"], f["value"], f["url"], f["scope"])
        assert key not in seen, f
        seen.add(key)


def values(cku: dict, id_: str) -> dict:
    """value -> list of figure entries."""
    out: dict = {}
    for f in cku["figures"]:
        if f["id"] == id_:
            out.setdefault(f["value"], []).append(f)
    return out


@pytest.mark.parametrize("id_, value, host, as_of", [
    ("cost_total", 8, "railwaygazette.com", "2025-01-07"),          # RG25: US$8bn
    ("cost_total", 1.34, "fergana.ru", None),                       # FER: initial estimate
    ("cost_kg_section", 4.7, "asiaplustj.info", "2024-12-24"),      # APL: US$4.7bn = 33.9bn yuan
    ("capacity", 15, "railwaygazette.com", "2025-01-07"),           # RG25: 15 Mt/yr
    ("capacity", 12, "azerbaijannewsgazette.com", "2023-05"),       # ANG: 12–15 Mt
    ("capacity", 10, "trend.az", "2024-12-06"),                     # TR24a: 10–12 Mt
    ("capacity", 3, "trend.az", "2025-11-26"),                      # TR25b: initial 3–4 Mt
    ("capacity", 15, "trend.az", "2025-11-26"),                     # TR25b: rising to 15 Mt
    ("design_speed", 120, "railwaygazette.com", "2025-01-07"),
    ("tunnels", 27, "railwaygazette.com", "2025-01-07"),
    ("tunnels", 27, "trend.az", "2025-11-26"),                      # Uzbek MoT
    ("tunnels", 29, "trend.az", "2025-12-05"),                      # Kyrgyz Cabinet
    ("tunnels", 41, "azerbaijannewsgazette.com", "2023-05"),        # earlier feasibility study
    ("tunnels", 50, "tashkenttimes.uz", "2017-12-27"),              # "nearly 50"
    ("tunnel_length", 103, "railwaygazette.com", "2025-01-07"),
    ("tunnel_length", 103.63, "trend.az", "2025-11-26"),
    ("tunnel_length", 120.39, "azerbaijannewsgazette.com", "2023-05"),
    ("bridges", 48, "railwaygazette.com", "2025-01-07"),
    ("bridges", 48, "trend.az", "2025-11-26"),
    ("bridges", 50, "trend.az", "2025-12-05"),
    ("bridges", 46, "daryo.uz", "2025-04-30"),
    ("bridges", 81, "azerbaijannewsgazette.com", "2023-05"),
    ("bridges", 90, "tashkenttimes.uz", "2017-12-27"),
    ("stations", 20, "railwaygazette.com", "2025-01-07"),
    ("stations", 20, "trend.az", "2025-11-26"),
    ("stations", 18, "azerbaijannewsgazette.com", "2023-05"),
    ("gauge_standard_km", 344, "railwaygazette.com", "2025-01-07"),
])
def test_published_figure(cku, id_, value, host, as_of):
    matches = [f for f in values(cku, id_).get(value, [])
               if urlsplit(f["url"]).netloc.endswith(host) and f["as_of"] == as_of]
    assert len(matches) == 1, f"{id_}={value} from {host} as of {as_of}: found {len(matches)}"


def test_figure_values_are_only_the_published_ones(cku):
    expected = {
        "cost_total": {8, 1.34}, "cost_kg_section": {4.7}, "capacity": {15, 12, 10, 3},
        "design_speed": {120}, "tunnels": {27, 29, 41, 50}, "tunnel_length": {103, 103.63, 120.39},
        "bridges": {48, 50, 46, 81, 90}, "stations": {20, 18}, "gauge_standard_km": {344},
    }
    for id_, vals in expected.items():
        assert set(values(cku, id_)) == vals, id_


def test_ranges(cku):
    ranges = {(f["id"], f["value"], f["value_max"]) for f in cku["figures"] if f["value_max"] is not None}
    assert ranges == {("capacity", 12, 15), ("capacity", 10, 12), ("capacity", 3, 4)}


def test_jv_shares(cku):
    jv = [f for f in cku["figures"] if f["id"] == "jv_shares"]
    assert len(jv) == 1
    assert jv[0]["value"] == "CN 51 % · KG 24.5 % · UZ 24.5 %"
    assert jv[0]["unit"] == ""


def test_estimated_dates_say_so(cku):
    for f in cku["figures"]:
        if "azerbaijannewsgazette.com" in f["url"]:
            assert "as_of is an estimate" in f["note"], f


def test_the_tashkent_times_article_is_dated_to_its_day_not_to_the_day_it_was_read(cku):
    for f in cku["figures"]:
        if "tashkenttimes.uz" in f["url"]:
            assert f["as_of"] == "2017-12-27" and "2017-12-27" in f["source"] and "2024" not in f["note"], f


# ---------------------------------------------------------------- corridor: volumes

def test_volume_schema(corridor):
    for v in corridor["volumes"]:
        assert own_keys(v) == VOLUME_KEYS, v
        assert isinstance(v["year"], int) and 2019 <= v["year"] <= 2025, v
        assert v["tonnes_mt"] is None or (is_number(v["tonnes_mt"]) and 0 < v["tonnes_mt"] < 20), v
        assert v["teu"] is None or (isinstance(v["teu"], int) and not isinstance(v["teu"], bool) and v["teu"] > 0), v
        assert v["tonnes_mt"] is not None or v["teu"] is not None, v
        assert isinstance(v["scope"], str) and v["scope"].strip(), v
        assert v["note"] is None or (isinstance(v["note"], str) and v["note"].strip()), v
    years = [v["year"] for v in corridor["volumes"]]
    assert years == sorted(years)


def test_whole_route_series_2019_to_2025(corridor):
    # Report.az 2026-03-10, citing the Kazakh Ministry of Transport
    series = {v["year"]: v for v in corridor["volumes"] if REPAZ in v["url"]}
    assert {y: v["tonnes_mt"] for y, v in series.items()} == {
        2019: 0.759, 2020: 0.783, 2021: 0.586, 2022: 1.485, 2023: 2.764, 2024: 4.484, 2025: 4.119,
    }
    assert len([v for v in corridor["volumes"] if REPAZ in v["url"]]) == 7
    assert all(v["scope"] == "whole TITR" for v in series.values())
    assert series[2024]["tonnes_mt"] == 4.484


def test_teu_figures(corridor):
    teu = {(v["year"], v["teu"]) for v in corridor["volumes"] if v["teu"] is not None}
    assert teu == {(2021, 25200), (2024, 50500), (2024, 56500), (2025, 77000)}
    v2025 = next(v for v in corridor["volumes"] if v["year"] == 2025 and v["teu"])
    assert "about" in v2025["note"] and REPAZ in v2025["url"]
    v2021 = next(v for v in corridor["volumes"] if v["teu"] == 25200)
    assert "middlecorridor.com" in v2021["url"] and v2021["tonnes_mt"] is None


def test_partial_and_other_scope_variants(corridor):
    partial = [v for v in corridor["volumes"] if v["note"] and "January–November" in v["note"]]
    assert len(partial) == 1
    p = partial[0]
    assert (p["year"], p["tonnes_mt"], p["teu"]) == (2024, 4.1, 50500)
    assert "January–November" in p["scope"] and "trend.az" in p["url"]
    ports = [v for v in corridor["volumes"] if "seaports" in v["scope"]]
    assert [(v["year"], v["tonnes_mt"], v["teu"]) for v in ports] == [(2024, 3.3, 56500)]
    eur = {(v["year"], v["tonnes_mt"]) for v in corridor["volumes"] if "eureporter.co" in v["url"]}
    assert eur == {(2022, 1.5), (2023, 2.8)}
    for v in corridor["volumes"]:
        if REPAZ not in v["url"]:
            assert v["note"], f"variant without a note: {v}"


# ---------------------------------------------------------------- corridor: transit days

def test_transit_schema(corridor):
    for t in corridor["transit_days"]:
        assert own_keys(t) == TRANSIT_KEYS, t
        for k in ("days_min", "days_max"):
            assert isinstance(t[k], int) and not isinstance(t[k], bool) and 1 <= t[k] <= 60, t
        assert t["days_min"] <= t["days_max"], t
        assert isinstance(t["label"], str) and t["label"].strip()
        if t["as_of"] is None:
            assert t["note"] and "undated" in t["note"], t
        else:
            iso_key(t["as_of"])


def test_transit_rows(corridor):
    rows = {(t["days_min"], t["days_max"], urlsplit(t["url"]).netloc) for t in corridor["transit_days"]}
    assert rows == {
        (13, 17, "report.az"),              # Kazakh MoT, Mar 2026
        (20, 25, "menafn.com"),             # Kazakh MFA, Nov 2023
        (12, 15, "en.trend.az"),            # KTZ Express, Feb 2024
        (14, 18, "en.inform.kz"),           # target for 2027, Kazakh MoT
        (10, 12, "freight.ady.az"),         # Azerbaijan Railways, promotional
    }


def test_transit_13_to_17_days_march_2026(corridor):
    t = next(t for t in corridor["transit_days"] if (t["days_min"], t["days_max"]) == (13, 17))
    assert t["as_of"].startswith("2026-03")
    assert "Kazakh Ministry of Transport" in t["note"] and "28–32" in t["note"]
    assert t["label"] == "China → Europe via TITR"


def test_no_invented_days_for_the_world_bank_comparison(corridor):
    assert not any("worldbank" in t["url"] for t in corridor["transit_days"])


# ---------------------------------------------------------------- corridor: services

def test_service_schema(corridor):
    for s in corridor["services"]:
        assert own_keys(s) == SERVICE_KEYS, s
        iso_key(s["date"])
        assert isinstance(s["title"], str) and s["title"].strip()
        assert s["distance_km"] is None or (isinstance(s["distance_km"], int) and s["distance_km"] > 0), s
        assert isinstance(s["days"], int) and not isinstance(s["days"], bool) and 1 <= s["days"] <= 60, s
    keys = [iso_key(s["date"]) for s in corridor["services"]]
    assert keys == sorted(keys)


def test_services(corridor):
    got = {(s["date"], s["distance_km"], s["days"], urlsplit(s["url"]).netloc) for s in corridor["services"]}
    assert got == {
        ("2019-11", 11500, 18, "www.uschinashipping.com"),    # Xi'an → Prague
        ("2020-12", 8693, 12, "www.azernews.az"),             # Istanbul → Xi'an
        ("2024-03-11", 7000, 11, "www.agenzianova.com"),      # Xi'an → Baku
        ("2024-07-01", None, 12, "www.ecns.cn"),              # daily Xi'an–Baku
        ("2025-06-30", 8000, 15, "astanatimes.com"),          # Beijing → Baku
    }


def test_beijing_baku_distance_is_a_lower_bound(corridor):
    s = next(s for s in corridor["services"] if s["date"] == "2025-06-30")
    assert "more than 8,000 km" in s["title"] + " " + s["note"]
    assert "Beijing" in s["title"] and "Baku" in s["title"]


def test_approximate_service_figures_are_flagged(corridor):
    for d in ("2019-11", "2024-03-11", "2024-07-01"):
        s = next(s for s in corridor["services"] if s["date"] == d)
        assert "about" in (s["note"] or "").lower(), s
