"""The app's pages, run headless with Streamlit's AppTest (no browser, no server)."""

import json
from pathlib import Path

import pytest
from pyproj import Geod
from streamlit.testing.v1 import AppTest

from dashboard import explorer, pagemap, store
from dashboard.catalog import load_catalog
from dashboard.geodata import load_layers

from sample_geodata import write_sample_geodata

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
OVERVIEW = str(ROOT / "pages" / "overview.py")


@pytest.fixture()
def sample_app(tmp_path, monkeypatch):
    """The app on the sample geodata (independent of the real data)."""
    monkeypatch.setattr(store, "CATALOG_FILE", write_sample_geodata(tmp_path))
    store._load.clear()
    yield AppTest.from_file(OVERVIEW, default_timeout=60)
    store._load.clear()


def details_html(at):
    return "".join(element.proto.body for element in at.get("html"))


def test_app_runs_the_overview_page_by_default(tmp_path, monkeypatch):
    monkeypatch.setattr(store, "CATALOG_FILE", write_sample_geodata(tmp_path))
    store._load.clear()
    at = AppTest.from_file(APP, default_timeout=60).run()
    store._load.clear()
    assert not at.exception
    assert at.title[0].value == "China–Central Asia corridors"
    assert at.sidebar.header[0].value == "Silk Road corridors"


def test_overview_runs_and_invites_a_choice(sample_app):
    at = sample_app.run()
    assert not at.exception
    assert at.title[0].value == "China–Central Asia corridors"
    assert "Click a city on the map" in at.info[0].value
    assert at.selectbox(key="city").options == ["Astana", "Xi'an"]
    assert not at.warning


def test_choosing_a_city_in_the_sidebar_shows_its_details_and_centres_the_map(sample_app):
    at = sample_app.run()
    at.selectbox(key="city").set_value("astana").run()
    assert not at.exception
    page = details_html(at)
    assert "Astana" in page and "17 June 2025" in page and "Kazakhstan" in page
    assert at.session_state[explorer.CENTER_KEY] == [51.1801, 71.446]

    at.selectbox(key="city").set_value("xian").run()
    assert "18 May 2023" in details_html(at)
    assert at.session_state[explorer.CENTER_KEY] == [34.2611, 108.9422]


def test_a_broken_layer_file_shows_a_warning_and_the_rest_of_the_page(tmp_path, monkeypatch):
    monkeypatch.setattr(store, "CATALOG_FILE", write_sample_geodata(tmp_path, cku_railway__geojson="{oops"))
    store._load.clear()
    at = AppTest.from_file(OVERVIEW, default_timeout=60).run()
    store._load.clear()
    assert not at.exception
    assert len(at.warning) == 1
    assert "cku_railway.geojson" in at.warning[0].value and "not valid JSON" in at.warning[0].value
    assert at.selectbox(key="city").options == ["Astana", "Xi'an"]


def test_a_broken_catalog_stops_with_a_message(tmp_path, monkeypatch):
    (tmp_path / "catalog.json").write_text("[]", encoding="utf-8")
    monkeypatch.setattr(store, "CATALOG_FILE", tmp_path / "catalog.json")
    store._load.clear()
    at = AppTest.from_file(APP, default_timeout=60).run()
    store._load.clear()
    assert not at.exception
    assert "The layer catalog cannot be read" in at.error[0].value


def test_the_real_app_shows_astana():
    store._load.clear()
    at = AppTest.from_file(OVERVIEW, default_timeout=60).run()
    assert not at.exception and not at.warning
    at.selectbox(key="city").set_value("astana").run()
    assert "2025" in details_html(at) and "Astana" in details_html(at)


def page_app(name):
    return AppTest.from_file(str(ROOT / "pages" / f"{name}.py"), default_timeout=60)


def metric_values(at):
    return {m.label: m.value for m in at.metric}


def test_railway_page_shows_computed_lengths_beside_published_figures():
    at = page_app("railway").run()
    assert not at.exception and not at.warning
    metrics = metric_values(at)
    assert metrics["Length (computed)"].endswith(" km")
    assert {"China", "Kyrgyzstan", "Uzbekistan", "Cost", "Capacity"} <= set(metrics)
    assert metrics["Cost"] == "8 US$ bn"
    assert [s.value for s in at.subheader][:4] == ["Length by country", "Published lengths, source by source",
                                                   "Stations and crossings, from Kashgar", "Timeline"]
    by_source = at.dataframe[2].value
    assert "523" in by_source["whole line"].tolist() and by_source["source"].iloc[-1].startswith("this map's trace")
    stations = at.dataframe[3].value
    assert stations["place"].iloc[0] == "Kashgar" and stations["place"].iloc[-1] == "Andijan"


def test_corridor_page_shows_modes_legs_and_volumes():
    at = page_app("corridor").run()
    assert not at.exception and not at.warning
    assert {"Rail (computed)", "Road (computed)", "Sea (computed)"} <= set(metric_values(at))
    assert "Cargo on the route by year" in [s.value for s in at.subheader]


def test_cities_page_filters_by_years_and_measures():
    at = page_app("cities").run()
    assert not at.exception
    all_events = len(at.dataframe[0].value)
    at.slider(key="years").set_value((2025, 2025)).run()
    events = at.dataframe[0].value
    assert 0 < len(events) < all_events and events["when"].str.endswith("2025").all()
    at.selectbox(key="city").set_value("xian").run()
    assert "First China–Central Asia Summit" in details_html(at)
    assert any("km from the CKU railway" in c.value for c in at.caption)
    first, second = (point for point in load_layers(load_catalog()).frames["cities"].geometry[:2])
    default = Geod(ellps="WGS84").inv(first.x, first.y, second.x, second.y)[2] / 1000
    assert metric_values(at)["Distance"] == f"{default:,.0f} km"  # the first two cities, as the pickers start
    at.selectbox(key="distance_from").set_value("astana").run()
    at.selectbox(key="distance_to").set_value("xian").run()
    assert metric_values(at)["Distance"] == "3,544 km"


def test_data_page_lists_the_catalog_with_downloads():
    at = page_app("data").run()
    assert not at.exception and not at.warning
    catalog = at.dataframe[0].value
    assert list(catalog["file"]) == ["cku_railway.geojson", "cku_stations.geojson", "corridor_legs.geojson",
                                     "corridor_nodes.geojson", "cities.geojson", "route_places.geojson",
                                     "route_legs.geojson", "trade_partners.geojson"]
    assert (catalog["features"] > 0).all() and catalog["source"].str.contains("SOURCES.md").all()


def test_a_rerun_reuses_the_rendered_map_and_a_new_view_renders_anew(sample_app, monkeypatch):
    builds = []
    build = pagemap.build_map
    monkeypatch.setattr(pagemap, "build_map", lambda *a, **k: builds.append(k) or build(*a, **k))
    pagemap._shared_map.clear()
    at = sample_app.run()
    at.selectbox(key="city").set_value("astana").run()
    at.run()
    assert not at.exception and len(builds) == 1
    at.session_state[pagemap.VIEWS_KEY]["overview_map"]["current"] = pagemap.View(("cities",), "osm")
    at.session_state[pagemap.PLACED_KEY] = "another_map"  # as if the visitor came back from another page
    at.run()
    assert len(builds) == 2 and builds[-1]["visible_groups"] == ("cities",) and builds[-1]["basemap"] == "osm"


@pytest.mark.parametrize("events, caption", [
    ([], "No city has a dated event."),
    ([{"date": "2023-05-18", "title": "Summit", "source": "S", "url": "https://example.org/s"}],
     "Every event is in 2023."),
])
def test_the_cities_page_copes_with_no_dated_event_or_a_single_year(tmp_path, monkeypatch, events, caption):
    from sample_geodata import city

    only = city("xian", "Xi'an", 108.9422, 34.2611, "CN", "China", events)
    cities = json.dumps({"type": "FeatureCollection", "features": [only]})
    monkeypatch.setattr(store, "CATALOG_FILE", write_sample_geodata(tmp_path, cities__geojson=cities))
    store._load.clear()
    at = AppTest.from_file(str(ROOT / "pages" / "cities.py"), default_timeout=60).run()
    store._load.clear()
    assert not at.exception
    assert caption in [c.value for c in at.caption]
    assert not at.slider


# --- state that must follow the files, and stay in its session (issue #13, part 3) ---------

def test_an_edit_to_a_facts_file_is_shown_on_the_next_run(tmp_path, monkeypatch):
    import shutil

    from dashboard import dataset

    facts = tmp_path / "facts"
    shutil.copytree(ROOT / "geodata" / "facts", facts)
    monkeypatch.setattr(store, "CATALOG_FILE", write_sample_geodata(tmp_path))
    monkeypatch.setattr(dataset, "FACTS_DIR", facts)
    store._load.clear()
    at = AppTest.from_file(str(ROOT / "pages" / "corridor.py"), default_timeout=60).run()
    source = next(c.value for c in at.caption if c.value.startswith("Source: "))
    corridor = json.loads((facts / "corridor.json").read_text(encoding="utf-8"))
    for volume in corridor["volumes"]:
        volume["source"] = volume["source"].replace("Report.az", "Edited source")
    (facts / "corridor.json").write_text(json.dumps(corridor), encoding="utf-8")
    at.run()
    store._load.clear()
    assert not at.exception
    assert source.startswith("Source: Report.az")
    assert any(c.value.startswith("Source: Edited source") for c in at.caption)


def test_no_process_wide_cache_holds_an_upload_once_its_session_is_over(tmp_path, monkeypatch):
    from streamlit.runtime import caching
    from streamlit.runtime.caching import cache_resource_api

    def cached() -> dict:
        """Every resource cache's entries as text, by session (None: shared by every session)."""
        return {session: " ".join(repr(entry) for cache in caches.values() for entry in list(cache._mem_cache.values()))
                for session, caches in cache_resource_api._resource_caches._function_caches.items()}

    monkeypatch.setattr(store, "CATALOG_FILE", write_sample_geodata(tmp_path))
    store._load.clear()
    marker = "MERGER-PLAN-ACME-7731"
    script = f"""
import runpy
import geopandas as gpd
from shapely.geometry import Point
from dashboard import uploader
from dashboard.uploads import UserLayer
layer = UserLayer(name="{marker}.geojson", digest="d" * 64, size=100, frame=gpd.GeoDataFrame(
    {{"note": ["{marker}"]}}, geometry=[Point(70, 40)], crs="EPSG:4326"))
uploader._session_layers()[layer.name] = layer  # as an upload in this session does
runpy.run_path({OVERVIEW!r})
"""
    at = AppTest.from_string(script, default_timeout=60).run()
    assert not at.exception
    by_session = cached()
    [session] = [key for key, text in by_session.items() if key is not None and marker in text]
    assert by_session[None] and marker not in by_session[None]  # what every session shares

    caching.clear_session_resource_cache(session)  # what Streamlit does when the connection closes
    store._load.clear()
    assert not any(marker in text for text in cached().values())


def test_the_routes_page_compares_four_routes_and_labels_a_scenario():
    at = page_app("routes")
    at.query_params.update(origin="xian", destination="duisburg", scenario="caspian-ferry", days="5")
    at.run()
    assert not at.exception and not at.warning and not at.error
    assert [m.label for m in at.metric] == ["Middle Corridor", "Northern corridor", "Sea via Suez",
                                            "Sea via the Cape of Good Hope"]
    assert at.selectbox(key="route_origin").value == "xian" and at.slider(key="route_days_caspian-ferry").value == 5
    assert any("not published figures" in info.value for info in at.info)
    figures = at.dataframe[1].value
    middle = figures[figures["route_id"] == "middle"].dropna(subset=["days_min"])
    assert (middle["scenario_days_min"] == middle["days_min"] + 5).all()


def test_the_trade_page_opens_on_the_linked_year_with_the_mirror_statistics():
    at = page_app("trade")
    at.query_params.update(year="2024", mirror="1")
    at.run()
    assert not at.exception and not at.warning and not at.error
    assert at.select_slider(key="trade_year").value == 2024 and at.toggle(key="trade_mirror").value
    year = at.dataframe[1].value.set_index("code")
    assert year.loc["KG", "china_usd_bn"] > 2 * year.loc["KG", "partner_usd_bn"]
    at.toggle(key="trade_mirror").set_value(False).run()
    assert not at.exception and "mirror" not in at.query_params and at.query_params["year"] == "2024"


def test_a_figure_without_its_source_is_named_on_the_page_and_the_others_still_show(tmp_path, monkeypatch):
    """A published figure that breaks its catalog schema (here: no source) is left out and named
    in one warning; the routes page draws with every other figure."""
    import json
    import shutil

    from dashboard import dataset
    from dashboard.facts import FACTS_DIR

    facts = tmp_path / "facts"
    shutil.copytree(FACTS_DIR, facts)
    figures = json.loads((facts / "route_figures.json").read_text(encoding="utf-8"))
    broken = dict(figures["figures"][2], source="")
    figures["figures"][2] = broken
    (facts / "route_figures.json").write_text(json.dumps(figures, ensure_ascii=False), encoding="utf-8")
    monkeypatch.setattr(dataset, "FACTS_DIR", facts)
    store._load.clear()
    at = page_app("routes").run()
    store._load.clear()
    assert not at.exception and not at.error
    assert [w.value for w in at.warning] == [
        "Facts file `facts/route_figures.json`: figures item 3: 'source' '` '' should be non-empty `' (the publisher, "
        "date and title of the source); the figure is left out."]
    shown = at.dataframe[1].value
    assert len(shown) == len(figures["figures"]) - 1 and broken["scope"] not in set(shown["scope"])
