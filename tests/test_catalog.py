import copy
import json
import re

import pytest

from dashboard.catalog import CATALOG_FILE, CatalogError, load_catalog, parse_catalog

RAW = json.loads(CATALOG_FILE.read_text(encoding="utf-8"))


def test_the_overview_has_the_three_overlays_in_order():
    catalog = load_catalog()
    assert [g.title for g in catalog.overview_groups] == [
        "China–Kyrgyzstan–Uzbekistan railway",
        "Trans-Caspian corridor",
        "Summit cities",
    ]
    assert {layer.id for layer in catalog.layers_in("cities")} == {"cities"}


def test_every_catalog_layer_names_an_existing_file_or_the_layers_it_is_drawn_from():
    catalog = load_catalog()
    ids = {layer.id for layer in catalog.layers}
    for layer in catalog.layers:
        if layer.drawn_from:
            assert not layer.file and set(layer.drawn_from) <= ids
        else:
            assert catalog.path_of(layer).is_file(), layer.file


def test_style_rules_apply_in_order_over_the_base_style():
    railway = load_catalog().layer("cku_railway")
    style = railway.style_for({"gauge_mm": 1520, "status": "planned"})
    assert style["color"] == "#6c3483" and style["dashArray"] == "10 8"
    assert style["weight"] == 4  # from the base style
    assert railway.style_for({"gauge_mm": 999})["color"] == "#b03a2e"


def _broken(mutate):
    raw = copy.deepcopy(RAW)
    mutate(raw)
    return raw


@pytest.mark.parametrize(
    "mutate, message",
    [
        (lambda r: r["layers"][0].update(group="nowhere"), "group 'nowhere'"),
        (lambda r: r["layers"][1].update(id=r["layers"][0]["id"]), "appears more than once"),
        (lambda r: r["layers"][0].update(id="Bad Id"), "lowercase slug"),
        (lambda r: r["layers"][0]["required"].update(x="number"), "unknown type"),
        (lambda r: r["layers"][0].update(file="../secret.json"), "inside geodata"),
        (lambda r: r["layers"][0].update(geometry="Circle"), "geometry must be"),
        (lambda r: r.update(groups=[]), "'groups' must be a non-empty list"),
        (lambda r: r["layers"][0].pop("title"), "'title' must be"),
        (lambda r: r.update(region={"west": 10, "east": 5, "south": 0, "north": 1}), "not a box"),
        (lambda r: r.update(region={"west": "far"}), "takes numbers"),
    ],
)
def test_malformed_catalog_is_refused_in_plain_words(mutate, message, tmp_path):
    with pytest.raises(CatalogError, match=message):
        parse_catalog(_broken(mutate), base_dir=tmp_path)


def test_catalog_file_that_is_not_json_is_refused(tmp_path):
    path = tmp_path / "catalog.json"
    path.write_text("{ not json", encoding="utf-8")
    with pytest.raises(CatalogError, match="not valid JSON"):
        load_catalog(path)
    with pytest.raises(CatalogError, match="missing"):
        load_catalog(tmp_path / "absent.json")


def test_every_layer_says_where_it_comes_from_and_when_it_was_checked():
    for layer in load_catalog().layers:
        assert layer.source and "SOURCES.md" in layer.source, layer.id
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", layer.checked), layer.id
