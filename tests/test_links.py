from dashboard.links import LinkState, parse_link

KNOWN = dict(cities=["astana", "xian"], groups=["railway", "corridor", "cities"],
             basemaps=["offline", "osm", "esri"], year_range=(2013, 2025))


def parse(**params):
    return parse_link({k: v if isinstance(v, list) else [v] for k, v in params.items()}, **KNOWN)


def test_a_full_link():
    link = parse(city="astana", layers="railway,cities", basemap="osm", years="2015-2020")
    assert link == LinkState(city="astana", layers=frozenset({"railway", "cities"}), basemap="osm",
                             years=(2015, 2020))


def test_no_link_means_defaults():
    assert parse() == LinkState()


def test_unknown_values_are_ignored_with_notices():
    link = parse(city="atlantis", layers="railway,<script>", basemap="google", years="soon")
    assert link.city is None and link.basemap is None and link.years is None
    assert link.layers == frozenset({"railway"})
    assert len(link.notices) == 4
    assert "unknown city ('atlantis')" in link.notices[0] and "'<script>'" in link.notices[1]


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
