import pandas as pd
from shapely.geometry import Point

from dashboard.details import city_details, city_details_html
from dashboard.text import format_date, safe_url

from sample_geodata import LAYERS

HOSTILE = '<img src=x onerror="window.pwned=1">'


def astana(**changes):
    props = dict(LAYERS["cities.geojson"][0]["properties"])
    props.update(changes)
    return pd.Series({**props, "geometry": Point(71.446, 51.1801)})


def test_details_collect_what_the_panel_shows():
    details = city_details(astana())
    assert details.name == "Astana" and details.country == "Kazakhstan"
    assert details.other_names == (("Russian", "Astana (ru)"),)  # the local name equals the name
    assert [e.date for e in details.events] == ["2013-09-07", "2025-06-17"]  # in order
    assert details.events[1].when == "17 June 2025"
    assert details.population == "1,000 (2020)"
    assert (details.lat, details.lon) == (51.1801, 71.446)


def test_html_shows_events_with_dates_and_sources_as_links():
    page = city_details_html(city_details(astana()))
    assert "<h3 class=\"city-name\">Astana</h3>" in page
    assert '<time datetime="2025-06-17">17 June 2025</time>' in page
    assert '<a href="https://qazinform.com/x" target="_blank" rel="noopener noreferrer">Qazinform</a>' in page
    assert "Summit host" in page and "population 1,000 (2020)" in page


def test_hostile_text_is_escaped_everywhere():
    city = astana(
        name=HOSTILE,
        description="<script>window.pwned=1</script>",
        roles=[HOSTILE],
        events=[{"date": "2024-07-03", "title": HOSTILE, "description": HOSTILE,
                 "source": HOSTILE, "url": "javascript:alert(1)"}],
        sources=[{"title": "<b>bold</b>", "url": "javascript:alert(1)"},
                 {"title": "data", "url": "data:text/html,<script>alert(1)</script>"}],
    )
    page = city_details_html(city_details(city))
    assert "<img" not in page and "<script" not in page and "<b>" not in page
    assert "javascript:" not in page and "data:text" not in page
    assert "&lt;img src=x onerror=&#34;window.pwned=1&#34;&gt;" in page
    assert "&lt;b&gt;bold&lt;/b&gt;" in page  # shown as text, without a link


def test_only_http_links_are_kept():
    assert safe_url("https://example.org/a?b=1") == "https://example.org/a?b=1"
    assert safe_url("http://example.org") == "http://example.org"
    for bad in ("javascript:alert(1)", " JavaScript:alert(1)", "data:text/html,x", "//example.org",
                "ftp://example.org", "https://", None, 42):
        assert safe_url(bad) is None


def test_each_other_name_is_shown_once():
    details = city_details(astana(names={"local": "Астана", "ru": "Астана", "zh": "阿斯塔纳"}))
    assert details.other_names == (("Local", "Астана"), ("Chinese", "阿斯塔纳"))


def test_partial_dates_are_shown_as_known():
    assert format_date("2023-05-18") == "18 May 2023"
    assert format_date("2022-09") == "September 2022"
    assert format_date("2014") == "2014"
    assert format_date("2023-02-30") == "2023-02-30"  # invalid: shown as written


def test_city_without_optional_fields():
    details = city_details(astana(names=None, population=None, events=[], sources="x"))
    page = city_details_html(details)
    assert details.population is None and details.sources == ()
    assert "Events" not in page and "Sources" not in page
