import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from dashboard import limits, links, store, text
from dashboard.links import LinkState, parse_link

from helpers import ACTIVE, as_rendered, code_spans
from sample_geodata import write_sample_geodata

KNOWN = dict(cities=["astana", "xian"], groups=["railway", "corridor", "cities"],
             basemaps=["offline", "osm", "esri"], year_range=(2013, 2025), origins=["xian", "shanghai"],
             destinations=["duisburg", "istanbul"], scenarios=["red-sea", "border"], trade_years=[2022, 2023, 2024])


def parse(**params):
    return parse_link({k: v if isinstance(v, list) else [v] for k, v in params.items()}, **KNOWN)


def test_a_full_link():
    link = parse(city="astana", layers="railway,cities", basemap="osm", years="2015-2020")
    assert link == LinkState(city="astana", layers=frozenset({"railway", "cities"}), basemap="osm",
                             years=(2015, 2020))


def test_a_routes_link_and_a_trade_link():
    link = parse(origin="shanghai", destination="istanbul", scenario="border", days="4")
    assert (link.origin, link.destination, link.scenario, link.days, link.notices) == (
        "shanghai", "istanbul", "border", 4, ())
    link = parse(year="2024", mirror="1")
    assert (link.year, link.mirror, link.notices) == (2024, True, ())


def test_a_bad_trip_year_or_scenario_is_ignored_with_notices():
    link = parse(origin="paris", scenario="war", days="999", year="2031", mirror="yes")
    assert (link.origin, link.scenario, link.days, link.year, link.mirror) == (None, None, None, None, False)
    assert len(link.notices) == 5
    assert "unknown origin ('` paris `')" in link.notices[0] and "0 to 60" in link.notices[2]


def test_no_link_means_defaults():
    assert parse() == LinkState()


def test_unknown_values_are_ignored_with_notices():
    link = parse(city="atlantis", layers="railway,<script>", basemap="google", years="soon")
    assert link.city is None and link.basemap is None and link.years is None
    assert link.layers == frozenset({"railway"})
    assert len(link.notices) == 4
    assert "unknown city ('` atlantis `')" in link.notices[0]  # a code span: shown as 'atlantis'
    assert "'<script>'" in as_rendered(link.notices[1])


def test_long_and_repeated_values():
    assert parse(city=["xian", "astana"]).city == "astana"  # the last one counts
    link = parse(city="x" * 10_000)
    assert link.city is None and "too long" in link.notices[0]


def test_years_are_clipped_to_the_data_and_checked():
    assert parse(years="2000-2016").years == (2013, 2016)
    assert parse(years="2020-2015").years is None
    assert parse(years="1990-2000").years is None and "hold no events" in parse(years="1990-2000").notices[0]


def test_an_empty_layer_list_hides_every_overlay():
    assert parse(layers="").layers == frozenset()


# --- any link: never an exception, every ignored part named ------------------------------


CITIES, GROUPS, BASEMAPS, YEAR_RANGE = KNOWN["cities"], KNOWN["groups"], KNOWN["basemaps"], KNOWN["year_range"]
HOSTILE = ["abc", "3000-1", "1-3000", "2015-2020", "2020-2015", "1990-2000", "2015-2020\n", "٢٠١٥-٢٠٢٠", ",,,", "",
           ",", "railway,,cities", "railway,railway", "<script>alert(1)</script>", "![x](http://evil.example/x.png)",
           "[click](javascript:alert(1))", "`code`", ":red[red]", "$x$", "www.evil.example", "a@b.example",
           "\u202eevil", "x\ny", "None", "ASTANA", " astana"]
value = st.one_of(
    st.sampled_from(CITIES + GROUPS + BASEMAPS + HOSTILE + ["en", "ru", "zh", "fr", "RU"] + KNOWN["origins"]
                    + KNOWN["destinations"] + KNOWN["scenarios"] + ["0", "1", "4", "60", "61", "007", "2024", "2031"]),
    st.lists(st.sampled_from(GROUPS + ["bogus", ""]), max_size=5).map(",".join),
    st.text(max_size=60),
    st.builds(lambda c, n: c * n, st.characters(), st.integers(150, 10_000)),  # long, up to 10 000
)
params = st.dictionaries(st.one_of(st.sampled_from(links.KEYS), st.text(max_size=20)),
                         st.lists(value, min_size=1, max_size=3), max_size=6)


def expected_notices(params) -> int:
    """How many parts of the link must be ignored with a notice: an oracle written apart from
    parse_link."""
    count = sum(1 for key in params if key not in links.KEYS)
    for key in set(params) & set(links.KEYS):
        values = params[key]
        count += len(values) > 1
        last = values[-1]
        if len(last) > limits.MAX_LINK_VALUE_CHARS:
            count += 1
        elif key == "city":
            count += last not in CITIES
        elif key == "basemap":
            count += last not in BASEMAPS
        elif key == "lang":
            count += last not in ("en", "ru", "zh")
        elif key in ("origin", "destination", "scenario"):
            count += last not in KNOWN[{"origin": "origins", "destination": "destinations", "scenario": "scenarios"}[key]]
        elif key == "days":
            count += not (re.fullmatch(r"[0-9]{1,4}", last) and int(last) <= 60)
        elif key == "year":
            count += not (re.fullmatch(r"[0-9]{1,4}", last) and int(last) in KNOWN["trade_years"])
        elif key == "mirror":
            count += last not in ("0", "1")
        elif key == "layers":
            parts = last.split(",")
            count += len(parts) > 1 and "" in parts
            count += len({p for p in parts if p and p not in GROUPS})
        elif key == "years":
            match = re.fullmatch(r"([0-9]{4})-([0-9]{4})", last)
            if not match or int(match[1]) > int(match[2]):
                count += 1
            else:
                count += max(int(match[1]), YEAR_RANGE[0]) > min(int(match[2]), YEAR_RANGE[1])
    return count


@settings(max_examples=400, deadline=None)
@given(params)
def test_any_link_is_parsed_and_every_ignored_part_is_named(params):
    link = parse_link(params, **KNOWN)  # never raises

    assert link.city is None or link.city in CITIES
    assert link.layers is None or link.layers <= set(GROUPS)
    assert link.basemap is None or link.basemap in BASEMAPS
    assert link.lang is None or link.lang in ("en", "ru", "zh")
    if link.years is not None:
        assert YEAR_RANGE[0] <= link.years[0] <= link.years[1] <= YEAR_RANGE[1]
    last = {key: values[-1] for key, values in params.items()}
    if last.get("city") in CITIES:
        assert link.city == last["city"]  # a good value is used, not only checked

    expected = expected_notices(params)
    if expected <= limits.MAX_LINK_NOTICES:
        assert len(link.notices) == expected, link.notices
    else:
        assert len(link.notices) == limits.MAX_LINK_NOTICES
        assert link.notices[-1] == f"{expected - limits.MAX_LINK_NOTICES + 1} more parts of the link were ignored."
    city = last.get("city")
    if city not in CITIES and city is not None and len(city) <= limits.MAX_LINK_VALUE_CHARS and expected <= limits.MAX_LINK_NOTICES:
        quoted = " ".join(city.split())
        quoted = quoted if len(quoted) <= text.MAX_QUOTED else quoted[:text.MAX_QUOTED] + "…"
        assert f"The link names an unknown city ('{quoted}'); it was ignored." in map(as_rendered, link.notices)
    for notice in link.notices:
        assert not ACTIVE.search(code_spans(notice)[1]), notice  # the link's text cannot act as Markdown
        assert "\n" not in notice and len(notice) < 200


@pytest.mark.parametrize("text, rendered", [
    ("![x](http://evil.example/x.png)", "'![x](http://evil.example/x.png)'"),
    ("<img src=x onerror=alert(1)>", "'<img src=x onerror=alert(1)>'"),
    ("x" * 100, "'" + "x" * 40 + "…'"),
    ("two\nlines", "'two lines'"),
])
def test_a_notice_quotes_the_link_as_plain_text(text, rendered):
    notice = parse(city=text).notices[0]
    assert not ACTIVE.search(code_spans(notice)[1])  # no Markdown picture, link, HTML or address acts
    assert as_rendered(notice) == f"The link names an unknown city ({rendered}); it was ignored."


def test_repeated_unknown_and_mistyped_parts_each_get_a_notice():
    link = parse(city=["atlantis", "astana"], layers=",,,", years="3000-1", utm_source="mail")
    assert link.city == "astana" and link.layers == frozenset() and link.years is None
    assert [as_rendered(n) for n in link.notices] == [
        "The link's parameter 'utm_source' is not used; it was ignored.",
        "The link gives city 2 times; only the last one counts.",
        "The link's layers hold empty names; they were ignored.",
        "The link's years ('3000-1') are not a range like 2015-2020; ignored.",
    ]


def test_values_that_are_not_lists_of_text_are_handled():
    link = parse_link({"city": "astana", "basemap": [None], "layers": 5}, **KNOWN)
    assert link.city == "astana" and link.basemap is None and link.layers is None
    assert link.notices == ("The link's basemap is not text; it was ignored.",)


# --- the overview page opened with a hostile link ------------------------------------------


OVERVIEW = str(Path(__file__).resolve().parent.parent / "pages" / "overview.py")


def test_the_overview_opened_with_a_hostile_link_runs_and_says_what_it_ignored(tmp_path, monkeypatch):
    monkeypatch.setattr(store, "CATALOG_FILE", write_sample_geodata(tmp_path))
    store._load.clear()
    at = AppTest.from_file(OVERVIEW, default_timeout=60)
    at.query_params["city"] = ["xian", "![x](http://evil.example/x.png)"]
    at.query_params["layers"] = "railway,,<script>,cities"
    at.query_params["basemap"] = "é" * 10_000
    at.query_params["years"] = "abc"
    at.query_params["fbclid"] = "x"
    at.run()
    store._load.clear()

    assert not at.exception
    toasts = [as_rendered(t.value) for t in at.toast]
    assert toasts == [
        "The link's parameter 'fbclid' is not used; it was ignored.",
        "The link gives city 2 times; only the last one counts.",
        "The link names an unknown city ('![x](http://evil.example/x.png)'); it was ignored.",
        "The link's layers hold empty names; they were ignored.",
        "The link names an unknown layer ('<script>'); it was ignored.",
        "The link's basemap is too long and was ignored.",
        "The link's years ('abc') are not a range like 2015-2020; ignored.",
    ]
    assert not any(ACTIVE.search(code_spans(t.value)[1]) for t in at.toast)
    assert at.selectbox(key="city").value is None  # the unknown city selected nothing
    assert at.selectbox(key="city").options == ["Astana", "Xi'an"]
    assert "Click a city on the map" in at.info[0].value
