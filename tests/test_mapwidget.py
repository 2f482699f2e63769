"""The map widget renders a map once and passes the component what st_folium would."""

import pytest
import streamlit_folium

from dashboard.catalog import load_catalog
from dashboard.geodata import load_layers
from dashboard.maps import build_map
from dashboard.mapwidget import map_widget, render_map

from sample_geodata import write_sample_geodata


@pytest.fixture()
def sample(tmp_path):
    catalog = load_catalog(write_sample_geodata(tmp_path))
    return catalog, load_layers(catalog).frames


@pytest.fixture()
def component_calls(monkeypatch):
    calls = []
    monkeypatch.setattr(streamlit_folium, "_component_func", lambda **kwargs: calls.append(kwargs))
    return calls


def test_the_component_gets_what_st_folium_would_pass(sample, component_calls):
    options = dict(key="overview_map", height=500, returned_objects=["last_active_drawing"], center=[40.0, 70.0])
    streamlit_folium.st_folium(build_map(*sample), use_container_width=True, **options)
    map_widget(render_map(build_map(*sample)), **options)
    ours, theirs = ({k: v for k, v in call.items() if k != "on_change"} for call in component_calls[::-1])
    assert ours == theirs
    assert "cku_railway" in ours["script"] and ours["id"] == "map_div"


def test_rendering_is_the_same_for_the_same_map(sample):
    # identical arguments let Streamlit send a reference instead of the map on a rerun
    first, second = render_map(build_map(*sample)), render_map(build_map(*sample))
    assert first == second
    assert first.size > 10_000


def test_a_change_of_view_renders_a_different_map(sample):
    catalog, frames = sample
    everything = render_map(build_map(catalog, frames))
    railway_only = render_map(build_map(catalog, frames, groups=["railway"]))
    assert everything != railway_only
    assert "layer-cities" in everything.script and "layer-cities" not in railway_only.script
