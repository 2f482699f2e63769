"""Accuracy tests for the GeoJSON layers in geodata/.

These tests read the files directly with json / shapely / pyproj (they do not
import the app) and check them against the catalog schema and against
reference values taken from the original sources listed in geodata/SOURCES.md.
Every test can fail: each compares the data with an independent value
(a second gazetteer coordinate, a published length, a coastline, a date).
"""
import json
import re
from datetime import date
from pathlib import Path

import pytest
from pyproj import Geod, Transformer
from shapely.geometry import LineString, Point

REPO = Path(__file__).resolve().parents[1]
GEO = REPO / "geodata"
GEOD = Geod(ellps="WGS84")
CATALOG = json.loads((GEO / "catalog.json").read_text(encoding="utf-8"))
LAYERS = {layer["id"]: layer for layer in CATALOG["layers"] if "file" in layer}  # not those drawn from others

TYPES = {"str": str, "int": int, "float": (int, float), "list": list, "dict": dict}
SLUG = re.compile(r"^[a-z0-9_-]+$")
ISO2 = re.compile(r"^[A-Z]{2}$")
ISO_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def load(layer_id):
    return json.loads((GEO / LAYERS[layer_id]["file"]).read_text(encoding="utf-8"))


def feats(layer_id):
    return load(layer_id)["features"]


def by_id(layer_id):
    return {f["properties"]["id"]: f for f in feats(layer_id)}


def dist_km(lon1, lat1, lon2, lat2):
    return GEOD.inv(lon1, lat1, lon2, lat2)[2] / 1000.0


def line_km(coords):
    return sum(dist_km(*a, *b) for a, b in zip(coords[:-1], coords[1:]))


def point_to_line_km(lon, lat, coords):
    """Distance (km) from a point to a polyline, in a local azimuthal equidistant projection."""
    return point_to_lines_km(lon, lat, [coords])


def point_to_lines_km(lon, lat, lines):
    """Distance (km) from a point to the nearest of several polylines (one projection for all)."""
    tr = Transformer.from_crs("EPSG:4326", f"+proj=aeqd +lat_0={lat} +lon_0={lon} +units=m", always_xy=True)
    return min(LineString(list(zip(*tr.transform(*zip(*coords))))).distance(Point(0, 0)) for coords in lines) / 1000.0


def walk(obj):
    """Yield (key, value) for every dict member, recursively."""
    if isinstance(obj, dict):
        for k, v in obj.items():
            yield k, v
            yield from walk(v)
    elif isinstance(obj, list):
        for v in obj:
            yield from walk(v)


def valid_iso(s):
    m = ISO_DATE.match(s or "")
    if not m:
        return False
    y, mo, d = m.groups()
    try:
        date(int(y), int(mo or 1), int(d or 1))
    except ValueError:
        return False
    return True


# ---------------------------------------------------------------- schema

@pytest.mark.parametrize("layer_id", sorted(LAYERS))
def test_feature_collection_and_required_properties(layer_id):
    fc = load(layer_id)
    assert fc["type"] == "FeatureCollection"
    assert "crs" not in fc, "RFC 7946: no crs member"
    layer = LAYERS[layer_id]
    geom_ok = {layer["geometry"], "Multi" + layer["geometry"]}
    ids = []
    assert fc["features"], f"{layer_id} is empty"
    for f in fc["features"]:
        p = f["properties"]
        assert f["geometry"]["type"] in geom_ok
        for prop, typ in layer["required"].items():
            assert prop in p, f"{layer_id}/{p.get('id')}: missing {prop}"
            assert isinstance(p[prop], TYPES[typ]) and not isinstance(p[prop], bool), f"{layer_id}/{p['id']}: {prop} is not {typ}"
        assert SLUG.match(p["id"]), p["id"]
        assert isinstance(p["name"], str) and p["name"].strip()
        ids.append(p["id"])
    assert len(ids) == len(set(ids)), f"duplicate ids in {layer_id}"


@pytest.mark.parametrize("layer_id", sorted(LAYERS))
def test_coordinates_wgs84_and_precision(layer_id):
    kind = LAYERS[layer_id]["geometry"]
    max_dec = 5 if kind == "LineString" else 4
    for f in feats(layer_id):
        g = f["geometry"]
        coords = {"Point": lambda c: [c], "LineString": lambda c: c, "Polygon": lambda c: [p for ring in c for p in ring],
                  "MultiPolygon": lambda c: [p for poly in c for ring in poly for p in ring]}[g["type"]](g["coordinates"])
        for lon, lat in coords:
            assert -180 <= lon <= 180 and -90 <= lat <= 90
            for v in (lon, lat):
                s = repr(float(v))
                dec = len(s.split(".")[1]) if "." in s and "e" not in s else 0
                assert dec <= max_dec, f"{layer_id}/{f['properties']['id']}: {v} has more than {max_dec} decimals"


def test_schema_enumerations():
    for f in feats("cku_railway"):
        p = f["properties"]
        assert ISO2.match(p["country"])
        assert p["gauge_mm"] in (1435, 1520)
        assert p["status"] in ("planned", "under construction", "operating")
        assert p["accuracy"] in ("surveyed", "published map", "approximate")
        assert "published_length_km" not in p  # one source's section beside another's added up to 568 km
        assert isinstance(p["published_lengths"], list)
        for e in p["published_lengths"]:
            assert isinstance(e["km"], (int, float)) and e["km"] > 0
            assert e["scope"] and e["source"]
            assert valid_iso(e["date"]), e
        assert p["sources"] and all(s["title"] and s["url"] for s in p["sources"])
    for f in feats("cku_stations"):
        p = f["properties"]
        assert ISO2.match(p["country"])
        assert p["kind"] in ("city", "station", "border crossing", "break of gauge", "site")
        assert isinstance(p["order"], int)
        assert set(p["names"]) <= {"ru", "zh", "ky", "uz"} and "ru" in p["names"]
        assert p["facts"] and p["sources"]
    for f in feats("corridor_legs"):
        p = f["properties"]
        assert p["mode"] in ("rail", "road", "sea")
        assert p["countries"] and all(ISO2.match(c) for c in p["countries"])
        assert p["accuracy"] in ("surveyed", "published map", "approximate")
        assert isinstance(p["route"], str) and p["route"]
        assert p["published_distance_km"] is None or isinstance(p["published_distance_km"], (int, float))
        assert p["published_transit"] is None or isinstance(p["published_transit"], str)
        assert p["sources"]
    for f in feats("corridor_nodes"):
        p = f["properties"]
        assert ISO2.match(p["country"])
        assert p["kind"] in ("port", "border crossing", "dry port", "logistics hub", "rail junction", "gauge change", "city")
        assert p["facts"] and p["sources"]
    for f in feats("cities"):
        p = f["properties"]
        assert ISO2.match(p["country"])
        assert set(p["names"]) <= {"local", "ru", "zh"}
        pop = p["population"]
        if pop is not None:
            assert isinstance(pop["value"], int) and pop["value"] > 0
            assert isinstance(pop["year"], int) and 2000 <= pop["year"] <= 2026
            assert pop["url"].startswith(("http://", "https://"))
        n_sent = len([s for s in re.split(r"(?<=[.!?])\s+", p["description"].strip()) if s])
        assert 1 <= n_sent <= 3, f"{p['id']}: description should be 1–3 sentences"


def test_city_ids_exact():
    assert set(by_id("cities")) == {
        "xian", "astana", "samarkand", "khiva", "dushanbe", "jalal-abad", "kashgar",
        "andijan", "lianyungang", "rahat", "krasnaya-rechka"}


# ---------------------------------------------------------------- reference coordinates
# (layer, id) -> (lat, lon, tolerance_km, reference source)
# Where the data uses a Wikipedia point, the reference is the GeoNames point (an
# independent gazetteer), so the check is not circular. Unsourced estimates are
# checked against the estimate's stated uncertainty.
REF = {
    ("cities", "kashgar"): (39.4672, 75.9868, 5, "GeoNames 1280849"),
    ("cities", "xian"): (34.2583, 108.9286, 5, "GeoNames 1790630"),
    ("cities", "astana"): (51.1801, 71.4460, 5, "GeoNames 1526273"),
    ("cities", "samarkand"): (39.6547, 66.9758, 5, "Wikipedia (id) Samarkand"),
    ("cities", "khiva"): (41.3833, 60.3667, 5, "it-Wikipedia Khiva (data: GeoNames 1513604)"),
    ("cities", "dushanbe"): (38.5367, 68.7800, 5, "Wikipedia Dushanbe"),
    ("cities", "jalal-abad"): (40.9450, 72.9931, 5, "GeoNames 1528249 ('Manas')"),
    ("cities", "andijan"): (40.7834, 72.3507, 5, "GeoNames 1514588 ('Andijon')"),
    ("cities", "lianyungang"): (34.5966, 119.2214, 5, "Wikipedia Lianyungang"),
    ("cities", "rahat"): (43.3552, 77.4525, 10, "Esik town, GeoNames 1523741; site 5 km from Esik (issykrm.kz)"),
    ("cities", "krasnaya-rechka"): (42.9000, 74.9600, 5, "Wikipedia Krasnaya Rechka (village)"),
    ("cku_stations", "kashgar"): (39.4672, 75.9868, 5, "GeoNames 1280849"),
    ("cku_stations", "torugart"): (40.5925, 75.4272, 2, "Wikipedia Torugart Pass"),
    ("cku_stations", "arpa"): (40.85, 75.05, 25, "unsourced estimate ±25 km"),
    ("cku_stations", "kosh-dobo"): (41.0904, 74.2728, 10, "low-confidence OSM-style point"),
    ("cku_stations", "makmal"): (41.22, 74.05, 15, "estimate: ~20 km S of Kazarman (de-Wikipedia Kasarman)"),
    ("cku_stations", "kazarman"): (41.4000, 74.0500, 5, "Wikipedia Kazarman (data: GeoNames 1528005)"),
    ("cku_stations", "tosh-kutchu"): (40.97, 73.05, 10, "unsourced estimate ±10 km"),
    ("cku_stations", "jalal-abad"): (40.9450, 72.9931, 5, "GeoNames 1528249"),
    ("cku_stations", "kg-uz-border"): (40.87, 72.98, 10, "unsourced estimate"),
    ("cku_stations", "xonobod"): (40.8026, 72.9750, 2, "GeoNames 1513578"),
    ("cku_stations", "andijan"): (40.7834, 72.3507, 5, "GeoNames 1514588"),
    ("corridor_nodes", "lianyungang-base"): (34.73194, 119.4425, 5, "GeoNames 1803848 Lianyun, the port area"),
    ("corridor_nodes", "aktogay"): (46.95068, 79.67621, 5, "GeoNames 1526268"),
    ("corridor_nodes", "moyynty"): (47.21968, 73.35437, 5, "GeoNames 1520844"),
    ("corridor_nodes", "zhezkazgan"): (47.79411, 67.70628, 5, "GeoNames 1516589"),
    ("corridor_nodes", "shalkar"): (47.83154, 59.61926, 5, "GeoNames 608359"),
    ("corridor_nodes", "beyneu"): (45.31667, 55.2, 5, "GeoNames 610298"),
    ("corridor_nodes", "turkmenbashi-port"): (40.02216, 52.95517, 5, "GeoNames 601594"),
    ("corridor_nodes", "bakhty"): (46.74535, 82.95847, 10, "GeoNames 1529167 Tacheng: the crossing is 'near Tacheng'"),
    ("corridor_nodes", "gorgan"): (36.8427, 54.44391, 5, "GeoNames 132892"),
    ("corridor_nodes", "constanta"): (44.18073, 28.63432, 5, "GeoNames 680963"),
    ("corridor_nodes", "xian-international-port"): (34.2583, 108.9286, 10, "GeoNames 1790630 (city)"),
    ("corridor_nodes", "horgos"): (44.2028, 80.4164, 3, "GeoNames 1529377"),
    ("corridor_nodes", "khorgos-altynkol"): (44.2234, 80.3852, 5, "GeoNames 1522684"),
    ("corridor_nodes", "alashankou"): (45.1702, 82.5698, 3, "GeoNames 8521719"),
    ("corridor_nodes", "dostyk"): (45.2533, 82.4804, 3, "GeoNames 1524537"),
    ("corridor_nodes", "almaty"): (43.2525, 76.9115, 5, "GeoNames 1526384"),
    ("corridor_nodes", "aktau-port"): (43.6611, 51.1739, 5, "GeoNames 610612"),
    ("corridor_nodes", "kuryk-port"): (43.2000, 51.6500, 5, "ru/de-Wikipedia Kuryk (data: GeoNames 609919)"),
    ("corridor_nodes", "alat-port"): (39.9483, 49.4067, 5, "ru-Wikipedia Alyat"),
    ("corridor_nodes", "baku"): (40.3777, 49.8920, 5, "GeoNames 587084"),
    ("corridor_nodes", "tbilisi"): (41.6914, 44.8341, 5, "GeoNames 611717"),
    ("corridor_nodes", "akhalkalaki"): (41.4051, 43.4863, 3, "GeoNames 615893"),
    ("corridor_nodes", "poti"): (42.1427, 41.6738, 3, "GeoNames 612366"),
    ("corridor_nodes", "batumi"): (41.6408, 41.6306, 3, "GeoNames 615532"),
    ("corridor_nodes", "anaklia"): (42.3930, 41.5623, 3, "GeoNames 615761"),
    ("corridor_nodes", "kars"): (40.5983, 43.0855, 3, "GeoNames 743952"),
    ("corridor_nodes", "istanbul-marmaray"): (41.0138, 28.9497, 10, "GeoNames 745044"),
}


@pytest.mark.parametrize("key", sorted(REF), ids=lambda k: f"{k[0]}:{k[1]}")
def test_point_near_reference(key):
    layer, fid = key
    lat, lon, tol, src = REF[key]
    if layer in ("cities", "corridor_nodes"):
        tol = min(tol, 10)  # towns and ports are checked to 10 km at most, whatever the table says
    items = by_id(layer)
    assert fid in items, f"{layer} lacks {fid}"
    x, y = items[fid]["geometry"]["coordinates"]
    d = dist_km(x, y, lon, lat)
    assert d <= tol, f"{layer}/{fid} is {d:.1f} km from {src} (tolerance {tol} km)"


def test_every_point_has_a_reference():
    for layer in ("cities", "cku_stations", "corridor_nodes"):
        for fid in by_id(layer):
            assert (layer, fid) in REF, f"no reference coordinate for {layer}/{fid}"


# Points whose position facts.md marks as an unsourced estimate (or low confidence).
ESTIMATES = {
    ("cku_stations", "arpa"), ("cku_stations", "makmal"), ("cku_stations", "tosh-kutchu"),
    ("cku_stations", "kg-uz-border"), ("cku_stations", "kosh-dobo"), ("cities", "rahat"),
    ("corridor_nodes", "xian-international-port"), ("corridor_nodes", "bakhty"),
}


def test_estimates_are_marked():
    for layer, fid in ESTIMATES:
        cs = by_id(layer)[fid]["properties"]["coordinate_source"]
        assert "estimate" in cs.lower(), f"{layer}/{fid} must say 'estimate' in coordinate_source"


# ---------------------------------------------------------------- CKU railway

CKU_ORDER = ["cku-cn-kashgar-torugart", "cku-kg-torugart-makmal", "cku-kg-makmal-jalal-abad",
             "cku-kg-jalal-abad-uz-border", "cku-uz-border-andijan"]

# Published lengths per country (km) with sources; see geodata/SOURCES.md.
PUBLISHED_BY_COUNTRY = {
    "CN": {"Railway Gazette 2025-01-07": 213, "Wikipedia CKU railway": 158},
    "KG": {"Railway Gazette 2025-01-07": 260, "Kyrgyz Cabinet via Trend 2025-12-05": 304.94,
           "Wikipedia CKU railway": 305, "Japarov via 24.kg 2024-05-07": 311},
    "UZ": {"Railway Gazette 2025-01-07": 50, "Wikipedia CKU railway": 69},
}
# An approximate trace misses curves (shorter) and may cut or add detours. Sources
# disagree by up to 35 % per country, so each country's traced length must be within
# 15 % of at least one published figure for it, and the whole line within 10 % of the
# most-cited total, 523 km (Railway Gazette 2025-01-07).
LOW, HIGH = 0.75, 1.10  # bounds for the gauge-split figures below
COUNTRY_TOLERANCE = 0.15
TOTAL_KM, TOTAL_TOLERANCE = 523, 0.10


def test_cku_segments_connect_in_order():
    segs = by_id("cku_railway")
    assert list(segs) == CKU_ORDER, "segments must be listed Kashgar → Andijan"
    for a, b in zip(CKU_ORDER[:-1], CKU_ORDER[1:]):
        end = segs[a]["geometry"]["coordinates"][-1]
        start = segs[b]["geometry"]["coordinates"][0]
        assert dist_km(*end, *start) < 0.05, f"{a} does not connect to {b}"
    st = by_id("cku_stations")
    first = segs[CKU_ORDER[0]]["geometry"]["coordinates"][0]
    last = segs[CKU_ORDER[-1]]["geometry"]["coordinates"][-1]
    assert dist_km(*first, *st["kashgar"]["geometry"]["coordinates"]) < 1
    assert dist_km(*last, *st["andijan"]["geometry"]["coordinates"]) < 1


def test_cku_lengths_per_country_match_published():
    totals = {}
    for f in feats("cku_railway"):
        c = f["properties"]["country"]
        totals[c] = totals.get(c, 0) + line_km(f["geometry"]["coordinates"])
    assert set(totals) == set(PUBLISHED_BY_COUNTRY)
    for c, figs in PUBLISHED_BY_COUNTRY.items():
        close = {src: km for src, km in figs.items() if abs(totals[c] - km) <= COUNTRY_TOLERANCE * km}
        assert close, f"{c}: traced {totals[c]:.0f} km is not within 15 % of any published figure {figs}"
    whole = sum(totals.values())
    assert abs(whole - TOTAL_KM) <= TOTAL_TOLERANCE * TOTAL_KM, f"whole line {whole:.0f} km vs published {TOTAL_KM} km"


def test_cku_gauge_split_matches_published():
    segs = by_id("cku_railway")
    std = sum(line_km(f["geometry"]["coordinates"]) for f in segs.values() if f["properties"]["gauge_mm"] == 1435)
    # Railway Gazette: 1,435 mm Kashgar → Makmal, 344 km
    assert LOW * 344 <= std <= HIGH * 344, f"standard-gauge part {std:.0f} km vs 344 km"
    # Kyrgyz Cabinet: 160 km at 1,435 mm (Torugart–Makmal), 145 km at 1,520 mm (Makmal–Jalal-Abad)
    kg_std = line_km(segs["cku-kg-torugart-makmal"]["geometry"]["coordinates"])
    kg_broad = line_km(segs["cku-kg-makmal-jalal-abad"]["geometry"]["coordinates"])
    assert LOW * 160 <= kg_std <= HIGH * 160, kg_std
    assert LOW * 145 <= kg_broad <= HIGH * 145, kg_broad
    # every published figure is kept with its source
    for f in segs.values():
        kms = {e["km"] for e in f["properties"]["published_lengths"]}
        assert {523, 532.53}.issubset(kms), f"{f['properties']['id']} lacks the whole-line figures"
    assert {213, 158} <= {e["km"] for e in segs["cku-cn-kashgar-torugart"]["properties"]["published_lengths"]}
    assert {160, 260, 304.94, 305, 311} <= {e["km"] for e in segs["cku-kg-torugart-makmal"]["properties"]["published_lengths"]}
    assert {145, 260, 304.94} <= {e["km"] for e in segs["cku-kg-makmal-jalal-abad"]["properties"]["published_lengths"]}
    assert {50, 69} <= {e["km"] for e in segs["cku-uz-border-andijan"]["properties"]["published_lengths"]}


def test_break_of_gauge_at_makmal():
    segs = by_id("cku_railway")
    st = by_id("cku_stations")
    mk = st["makmal"]
    assert mk["properties"]["kind"] == "break of gauge"
    assert [f["properties"]["id"] for f in st.values() if f["properties"]["kind"] == "break of gauge"] == ["makmal"]
    order = [segs[i]["properties"]["gauge_mm"] for i in CKU_ORDER]
    change = [i for i in range(1, len(order)) if order[i] != order[i - 1]]
    assert len(change) == 1 and order[0] == 1435 and order[-1] == 1520
    end_std = segs[CKU_ORDER[change[0] - 1]]["geometry"]["coordinates"][-1]
    assert dist_km(*end_std, *mk["geometry"]["coordinates"]) < 1, "gauge must change at the Makmal point"


def test_cku_trace_follows_terrain_not_straight_chain():
    st = sorted(feats("cku_stations"), key=lambda f: f["properties"]["order"])
    chain = line_km([f["geometry"]["coordinates"] for f in st])
    traced = sum(line_km(f["geometry"]["coordinates"]) for f in feats("cku_railway"))
    assert traced > chain * 1.03, f"traced {traced:.0f} km is hardly longer than the straight chain {chain:.0f} km"
    # inside each section between consecutive named places the trace bends (not a single straight segment)
    for f in feats("cku_railway"):
        c = f["geometry"]["coordinates"]
        if line_km(c) > 30:
            assert line_km(c) > dist_km(*c[0], *c[-1]) * 1.02, f["properties"]["id"]


def test_cku_vertex_spacing():
    for f in feats("cku_railway"):
        c = f["geometry"]["coordinates"]
        gaps = [dist_km(*a, *b) for a, b in zip(c[:-1], c[1:])]
        assert max(gaps) <= 10, f"{f['properties']['id']}: gap of {max(gaps):.1f} km (max 10 km)"


def test_cku_stations_on_line_and_in_order():
    coords = []
    for f in feats("cku_railway"):
        coords += f["geometry"]["coordinates"] if not coords else f["geometry"]["coordinates"][1:]
    cum = [0.0]
    for a, b in zip(coords[:-1], coords[1:]):
        cum.append(cum[-1] + dist_km(*a, *b))
    st = sorted(feats("cku_stations"), key=lambda f: f["properties"]["order"])
    assert [f["properties"]["order"] for f in st] == list(range(1, len(st) + 1))
    assert st[0]["properties"]["id"] == "kashgar" and st[-1]["properties"]["id"] == "andijan"
    positions = []
    for f in st:
        x, y = f["geometry"]["coordinates"]
        d = point_to_line_km(x, y, coords)
        assert d <= 1.5, f"{f['properties']['id']} is {d:.2f} km from the line (max 1.5 km)"
        nearest = min(range(len(coords)), key=lambda i: dist_km(x, y, *coords[i]))
        positions.append(cum[nearest])
    assert positions == sorted(positions), "station order must follow the line from Kashgar"


def test_cku_status_and_sources():
    segs = by_id("cku_railway")
    for i in ("cku-kg-torugart-makmal", "cku-kg-makmal-jalal-abad"):
        assert segs[i]["properties"]["status"] == "under construction"
    uz = segs["cku-uz-border-andijan"]["properties"]
    assert "inference" in uz["source"] and "50 km section" in uz["source"]
    for f in segs.values():
        assert f["properties"]["accuracy"] == "approximate"


# Copies of other publishers' pages that were once cited here (spam mirrors, Wikipedia
# mirrors): a reader must be sent to the publisher, never to these.
MIRROR_HOSTS = {
    "52fb.cn", "askwikinow.com", "en-wikipedia--on--ipfs-org.ipns.dweb.link",
    "hessslslslsls.azureedge.net", "infosekolah.net", "perceptiode.com", "piglix.com",
    "review.clateway.com", "ru.wikipedia-on-ipfs.org", "wap.bdmobi.com", "wikimili.com",
    "wikipedia.jakami.de",
}


def cited_urls():
    """Every link a reader can follow from geodata/: layers, facts and SOURCES.md."""
    files = [*GEO.glob("*.geojson"), *GEO.glob("facts/*.json"), GEO / "SOURCES.md"]
    for path in files:
        for url in re.findall(r"https?://[^\s\"|)\]>]+", path.read_text(encoding="utf-8")):
            yield path.name, url


def test_every_citation_names_a_page_of_its_publisher():
    from urllib.parse import urlsplit

    urls = list(cited_urls())
    assert len(urls) > 200
    for name, url in urls:
        parts = urlsplit(url)
        assert parts.path.strip("/") or parts.query, f"{name}: {url} is a site's front page, not a page"
        host = parts.hostname.removeprefix("www.")
        assert host not in MIRROR_HOSTS, f"{name}: {url} is a copy; cite its publisher"


# ---------------------------------------------------------------- corridor

def test_corridor_vertex_spacing_and_node_links():
    nodes = by_id("corridor_nodes")
    for f in feats("corridor_legs"):
        c = f["geometry"]["coordinates"]
        gaps = [dist_km(*a, *b) for a, b in zip(c[:-1], c[1:])]
        assert max(gaps) <= 40, f"{f['properties']['id']}: gap of {max(gaps):.0f} km (max 40 km)"
    # key nodes lie on a leg
    for nid in ("lianyungang-base", "xian-international-port", "horgos", "khorgos-altynkol", "alashankou", "dostyk",
                "almaty", "aktau-port", "kuryk-port", "alat-port", "baku", "tbilisi", "akhalkalaki", "poti",
                "batumi", "kars", "istanbul-marmaray"):
        x, y = nodes[nid]["geometry"]["coordinates"]
        d = point_to_lines_km(x, y, [f["geometry"]["coordinates"] for f in feats("corridor_legs")])
        assert d <= 2, f"{nid} is {d:.1f} km from every leg"


def test_corridor_required_legs_and_express():
    legs = by_id("corridor_legs")
    modes = {f["properties"]["mode"] for f in legs.values()}
    assert modes == {"rail", "road", "sea"}
    pairs = {(f["properties"]["from"], f["properties"]["to"]) for f in legs.values()}
    for pair in [("Lianyungang", "Xi'an"), ("Aktau", "Alat"), ("Kuryk", "Alat"), ("Alat", "Baku"),
                 ("Baku", "Tbilisi"), ("Tbilisi", "Poti"), ("Tbilisi", "Batumi"), ("Akhalkalaki", "Kars"),
                 ("Kars", "Istanbul")]:
        assert pair in pairs, pair
    express = [f["properties"] for f in legs.values() if f["properties"]["route"] == "express"]
    assert express and all(p["mode"] == "road" for p in express)
    assert any("3 July 2024" in p["source"] and "Kuryk" in p["source"] for p in express)
    assert any("1 July 2024" in (f["properties"]["published_transit"] or "") + f["properties"]["source"] for f in legs.values())


def test_the_corridor_s_branches_and_nodes():
    """The branches a logistics planner looks for (issue #15), each with its status, mode,
    countries and sources."""
    legs, nodes = by_id("corridor_legs"), by_id("corridor_nodes")
    for leg in legs.values():
        p = leg["properties"]
        assert p["status"] in ("operating", "under construction", "planned") and p["sources"], p["id"]
    branches = {  # id: (mode, countries, status)
        "kz-aktogay-moyynty": ("rail", ["KZ"], "operating"),
        "kz-moyynty-zhezkazgan": ("rail", ["KZ"], "operating"),
        "kz-zhezkazgan-saksaulskaya": ("rail", ["KZ"], "operating"),
        "kz-ayagoz-bakhty": ("rail", ["KZ"], "under construction"),
        "kz-tm-ir-uzen-gorgan": ("rail", ["KZ", "TM", "IR"], "operating"),
        "kz-uz-arys-tashkent": ("rail", ["KZ", "UZ"], "operating"),
        "uz-tm-bukhara-turkmenbashi": ("rail", ["UZ", "TM"], "operating"),
        "sea-turkmenbashi-alat": ("sea", ["TM", "AZ"], "operating"),
        "sea-poti-constanta": ("sea", ["GE", "RO"], "operating"),
        "sea-batumi-constanta": ("sea", ["GE", "RO"], "operating"),
    }
    for fid, (mode, countries, status) in branches.items():
        p = legs[fid]["properties"]
        assert (p["mode"], p["countries"], p["status"]) == (mode, countries, status), fid
    assert legs["kz-tm-ir-uzen-gorgan"]["properties"]["published_distance_km"] == 928  # TASS, 3 Dec 2014
    assert "3 December 2014" in legs["kz-tm-ir-uzen-gorgan"]["properties"]["source"]
    for nid in ("aktogay", "moyynty", "zhezkazgan", "beyneu", "shalkar", "turkmenbashi-port", "bakhty", "constanta"):
        assert nid in nodes and nodes[nid]["properties"]["sources"], nid
        x, y = nodes[nid]["geometry"]["coordinates"]
        d = point_to_lines_km(x, y, [f["geometry"]["coordinates"] for f in feats("corridor_legs")])
        assert d <= 2, f"{nid} is {d:.1f} km from every leg"
    assert nodes["bakhty"]["properties"]["status"] == "under construction"


# ---------------------------------------------------------------- dates, URLs, key facts

def all_layers():
    for layer_id in LAYERS:
        yield layer_id, load(layer_id)


def test_all_dates_iso_and_in_range():
    n = 0
    for layer_id, fc in all_layers():
        for k, v in walk(fc):
            if k == "date" or k == "launched":
                n += 1
                assert isinstance(v, str) and valid_iso(v), f"{layer_id}: bad date {v!r}"
                assert 1997 <= int(v[:4]) <= 2031, f"{layer_id}: date {v} out of 1997–2031"
    assert n > 20


def test_all_urls_http():
    n = 0
    for layer_id, fc in all_layers():
        for k, v in walk(fc):
            if k == "url":
                n += 1
                assert isinstance(v, str) and re.match(r"^https?://\S+$", v), f"{layer_id}: bad url {v!r}"
    assert n > 50


def _events(cid):
    return by_id("cities")[cid]["properties"]["events"]


def test_key_facts():
    # First China–Central Asia Summit, Xi'an, 18–19 May 2023
    assert any(e["date"] == "2023-05-18" and "Summit" in e["title"] for e in _events("xian"))
    assert any(e["date"] == "2024-03-30" and "Secretariat" in e["title"] for e in _events("xian"))
    # Second summit, Astana, 17 June 2025 (Xi's state visit 16–18 June)
    assert any(e["date"] == "2025-06-17" and "Second China–Central Asia Summit" in e["title"] for e in _events("astana"))
    # CKU tunnel works began on 29 April 2025 (24.kg, Trend; Daryo's report is the next day's)
    assert any(e["date"] == "2025-04-29" and "Suzak" in e["title"] for e in _events("jalal-abad"))
    assert any(e["date"] == "2013-09-07" for e in _events("astana"))
    assert any(e["date"] == "2024-07-03" and "Trans-Caspian" in e["title"] for e in _events("astana"))
    # CKU groundbreaking, 27 Dec 2024, Tosh-Kutchu near Jalal-Abad
    assert any(e["date"] == "2024-12-27" and "Tosh-Kutchu" in e["title"] for e in _events("jalal-abad"))
    tk = by_id("cku_stations")["tosh-kutchu"]
    assert tk["properties"].get("date") == "2024-12-27"
    ja = by_id("cku_stations")["jalal-abad"]["geometry"]["coordinates"]
    assert dist_km(*tk["geometry"]["coordinates"], *ja) < 15, "Tosh-Kutchu lies in Jalal-Abad's city district"
    assert any(e["date"] == "2014-05-19" for e in _events("lianyungang"))
    assert any(e["date"] == "2022-11-29" for e in _events("dushanbe"))
