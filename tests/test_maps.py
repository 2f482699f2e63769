import json
import re

import pytest

from dashboard.basemaps import LIGHT_BASEMAP_NAME, OFFLINE_BASEMAP_NAME
from dashboard.catalog import load_catalog
from dashboard.geodata import load_layers
from dashboard.maps import build_map, display_geojson, legend_html

from sample_geodata import write_sample_geodata


@pytest.fixture()
def sample(tmp_path):
    catalog = load_catalog(write_sample_geodata(tmp_path))
    return catalog, load_layers(catalog).frames


def rendered(catalog, frames, **kwargs):
    return build_map(catalog, frames, **kwargs).get_root().render()


def test_map_loads_no_script_or_stylesheet_from_the_internet(sample):
    page = rendered(*sample)
    scripts = re.findall(r'<script[^>]+src="([^"]+)"', page)
    stylesheets = re.findall(r'<link[^>]+href="([^"]+)"', page)
    # one script and one stylesheet: streamlit-folium loads scripts one after another; relative to
    # the map frame's page (<base URL path>/component/streamlit_folium.st_folium/), so that any base
    # URL path works
    assert [link.split("?")[0] for link in scripts] == ["../../app/static/bundle/map.js"], scripts
    assert [link.split("?")[0] for link in stylesheets] == ["../../app/static/bundle/map.css"], stylesheets


def test_the_bundle_the_map_points_to_holds_leaflet_and_every_plugin_it_uses(sample):
    from dashboard.assets import STATIC_DIR

    page = rendered(*sample)
    (script,) = (STATIC_DIR / link.split("?")[0] for link in re.findall(r'src="\.\./\.\./app/static/([^"]+)"', page))
    bundle = script.read_text(encoding="utf-8")
    assert "leaflet-1.9.3/leaflet.js" in bundle and "L.Control.Measure" in bundle
    for used in ("L.control.fullscreen", "L.Control.Measure", "L.Control.MousePosition", "L.Control.MiniMap"):
        assert used in page
    for name in ("Control.FullScreen", "Control.Measure", "Control.MousePosition", "Control.MiniMap"):
        assert name in bundle, name


def layer_control_entries(page):
    """The names in the rendered LayerControl: (base layer names, overlay names)."""
    block = page[page.index("base_layers : {") : page.index("L.control.layers(")]
    base, overlays = block.split("overlays :")
    names = re.compile(r'("[^"]+") :')
    return [json.loads(n) for n in names.findall(base)], [json.loads(n) for n in names.findall(overlays)]


def test_layer_control_has_one_overlay_per_group_and_the_base_maps(sample):
    base, overlays = layer_control_entries(rendered(*sample))
    assert overlays == ["China–Kyrgyzstan–Uzbekistan railway", "Trans-Caspian corridor", "Summit cities"]
    assert base == [OFFLINE_BASEMAP_NAME, LIGHT_BASEMAP_NAME, "OpenStreetMap", "Esri World Imagery"]  # CARTO needs a key


def test_carto_layers_are_offered_with_an_api_key(sample):
    page = rendered(*sample, carto_api_key="k123")
    assert layer_control_entries(page)[0][3:5] == ["CARTO light", "CARTO dark"]
    assert "light_all/{z}/{x}/{y}{r}.png?key=k123" in page


def test_online_tiles_are_not_shown_by_default(sample):
    m = build_map(*sample)
    tiles = [c for c in m._children.values() if c._name == "TileLayer"]
    assert tiles and not any(t.show for t in tiles)


def map_features(m):
    """Every catalog feature drawn on the map, by (layer, id), read back from the folium objects."""
    found = {}
    for overlay in m._children.values():
        for child in getattr(overlay, "_children", {}).values():
            if child._name == "GeoJson" and isinstance(child.data, dict):
                for feature in child.data["features"]:
                    if "layer" in feature["properties"]:
                        found[(feature["properties"]["layer"], feature["properties"]["id"])] = feature
    return found


def test_every_feature_is_on_the_map_with_its_id_and_layer(sample):
    catalog, frames = sample
    drawn = map_features(build_map(catalog, frames))
    expected = {(spec.id, fid) for spec in catalog.layers for fid in frames.get(spec.id, {"id": []})["id"]
                if catalog.layer(spec.id).group in {g.id for g in catalog.overview_groups}}
    assert set(drawn) == expected
    assert drawn[("cities", "astana")]["properties"]["name"] == "Astana"


def test_city_features_carry_only_what_the_map_shows(sample):
    catalog, frames = sample
    data = display_geojson(catalog.layer("cities"), frames["cities"])
    astana = data["features"][0]
    assert astana["properties"] == {"id": "astana", "layer": "cities", "name": "Astana"}
    assert list(astana["geometry"]["coordinates"]) == pytest.approx([71.446, 51.1801])


def test_tooltip_text_is_escaped(sample):
    catalog, frames = sample
    cities = frames["cities"].copy()
    cities.loc[0, "name"] = '<img src=x onerror="alert(1)">'
    data = display_geojson(catalog.layer("cities"), cities)
    assert data["features"][0]["properties"]["name"] == "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;"


def test_geometry_is_rounded_to_about_a_metre(sample):
    catalog, frames = sample
    legs = frames["corridor_legs"].copy()
    legs.loc[0, "geometry"] = legs.geometry[0].__class__([(51.123456789, 43.0), (50.0, 41.987654321)])
    coords = display_geojson(catalog.layer("corridor_legs"), legs)["features"][0]["geometry"]["coordinates"]
    assert [list(c) for c in coords] == [[pytest.approx(51.12346), 43.0], [50.0, pytest.approx(41.98765)]]


def test_geometry_is_simplified_for_display_and_kept_whole_for_analysis(sample):
    catalog, frames = sample
    legs = frames["corridor_legs"].copy()
    # a bend of a few metres in an otherwise straight 100 km leg vanishes; a 5 km detour stays
    wiggly = [(50.0, 41.0), (50.3, 41.00002), (50.6, 41.0), (50.8, 41.05), (51.0, 41.0)]
    legs.loc[0, "geometry"] = legs.geometry[0].__class__(wiggly)
    coords = display_geojson(catalog.layer("corridor_legs"), legs)["features"][0]["geometry"]["coordinates"]
    assert [tuple(c) for c in coords] == [(50.0, 41.0), (50.6, 41.0), (50.8, 41.05), (51.0, 41.0)]
    assert len(legs.geometry[0].coords) == 5


def test_styles_follow_the_catalog(sample):
    page = rendered(*sample)
    assert '"color": "#6c3483"' in page  # broad gauge
    assert '"dashArray": "10 8"' in page  # planned / sea
    assert "layer-cities" in page and "layer-cku_railway" in page


def test_legend_explains_every_styled_value(sample):
    catalog, _ = sample
    legend = legend_html(catalog)
    for label in ("Standard gauge (1 435 mm)", "Broad gauge (1 520 mm)", "Under construction",
                  "Rail", "Road", "Sea ferry", "Summit and story cities"):
        assert label in legend
    assert 'stroke="#17a589" stroke-width="3.5" stroke-dasharray="10 8"' in legend


def test_base_map_has_borders_and_country_labels(sample):
    page = rendered(*sample)
    assert "Borders: Natural Earth (public domain)" in page
    for country in ("Kazakhstan", "Kyrgyzstan", "Uzbekistan", "Azerbaijan", "Georgia"):
        assert f"<span>{country}</span>" in page


def test_map_without_any_layer_still_builds(sample):
    catalog, _ = sample
    page = rendered(catalog, {})
    assert "Summit cities" in page


def test_the_bundled_stylesheet_points_only_to_files_the_app_serves():
    from dashboard.assets import BUNDLE_DIR, STATIC_DIR

    css = (BUNDLE_DIR / "map.css").read_text(encoding="utf-8")
    urls = re.findall(r"""url\(\s*['"]?([^'")]+)""", css)
    served = [url for url in urls if url.startswith("../")]  # relative to static/bundle/
    assert len(served) > 10
    assert all(url.startswith(("../", "data:", "#")) for url in urls), urls
    for url in served:
        assert (BUNDLE_DIR / url).resolve().is_file() and STATIC_DIR in (BUNDLE_DIR / url).resolve().parents, url
