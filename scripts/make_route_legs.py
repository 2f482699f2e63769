"""Write geodata/route_legs.geojson: the legs of the routes China → Europe that the corridor
layer does not hold (the Northern corridor, rail in Europe, the sea lanes via Suez and the Cape),
and geodata/route_places.geojson: the routes' origins and destinations.

    .venv/bin/python -m scripts.make_route_legs

Rail legs are traced through the stations named (approximate, like every line in geodata/);
sea legs through the waypoints named, over water (tests/test_routes_data.py holds them to
Natural Earth 1:10m land). Each leg is densified along the geodesic, a vertex at most
MAX_STEP_KM apart, so that the line drawn on a Web Mercator map stays near the great circle.
The legs are composed into routes by geodata/facts/routes.json.
"""

from __future__ import annotations

import json
from pathlib import Path

from pyproj import Geod

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "geodata" / "route_legs.geojson"
PLACES_OUT = ROOT / "geodata" / "route_places.geojson"
CORRIDOR_LEGS = ROOT / "geodata" / "corridor_legs.geojson"
GEOD = Geod(ellps="WGS84")
MAX_STEP_KM = 40.0

# id: (lon, lat, English, Russian, Chinese). Station and port points: city centres or the
# port's terminal (GeoNames and general reference, rounded to 0.01°); sea waypoints are this
# project's, chosen over water.
PLACES = {
    "shanghai": (121.47, 31.23, "Shanghai", "Шанхай", "上海"),
    "yangshan": (122.06, 30.62, "Shanghai (Yangshan port)", "Шанхай (порт Яншань)", "上海（洋山港）"),
    "lianyungang": (119.44, 34.73, "Lianyungang", "Ляньюньган", "连云港"),
    "xuzhou": (117.18, 34.26, "Xuzhou", "Сюйчжоу", "徐州"),
    "xian": (108.93, 34.26, "Xi'an", "Сиань", "西安"),
    "moyynty": (73.35, 47.22, "Moyynty", "Мойынты", "莫因特"),
    "astana": (71.45, 51.18, "Astana", "Астана", "阿斯塔纳"),
    "kurgan": (65.34, 55.44, "Kurgan", "Курган", "库尔干"),
    "moscow": (37.62, 55.75, "Moscow", "Москва", "莫斯科"),
    "brest": (23.69, 52.10, "Brest", "Брест", "布列斯特"),
    "warsaw": (21.01, 52.23, "Warsaw", "Варшава", "华沙"),
    "duisburg": (6.76, 51.43, "Duisburg", "Дуйсбург", "杜伊斯堡"),
    "budapest": (19.04, 47.50, "Budapest", "Будапешт", "布达佩斯"),
    "bucharest": (26.10, 44.43, "Bucharest", "Бухарест", "布加勒斯特"),
    "constanta": (28.63, 44.18, "Constanța", "Констанца", "康斯坦察"),
    "istanbul": (28.78, 41.01, "Istanbul (Halkalı)", "Стамбул (Халкалы)", "伊斯坦布尔（哈尔卡利）"),
    "istanbul-port": (28.68, 40.96, "Istanbul (Ambarlı port)", "Стамбул (порт Амбарлы)", "伊斯坦布尔（安巴尔勒港）"),
    "constanta-port": (28.66, 44.15, "Constanța port", "порт Констанца", "康斯坦察港"),
    "rotterdam": (4.03, 51.96, "Rotterdam (Maasvlakte)", "Роттердам (Маасвлакте)", "鹿特丹（马斯弗拉克特）"),
    "east-china-sea": (123.0, 30.3, "East China Sea, off Zhoushan", "Восточно-Китайское море у Чжоушаня",
                       "东海（舟山外海）"),
    "singapore": (103.85, 1.18, "Singapore Strait", "Сингапурский пролив", "新加坡海峡"),
    "malacca-north": (95.6, 6.3, "Northern entrance of the Strait of Malacca", "Северный вход в Малаккский пролив",
                      "马六甲海峡北口"),
    "dondra": (80.6, 5.5, "Off Dondra Head (Sri Lanka)", "У мыса Дондра (Шри-Ланка)", "栋德拉角外海（斯里兰卡）"),
    "bab-el-mandeb": (43.35, 12.55, "Bab-el-Mandeb", "Баб-эль-Мандебский пролив", "曼德海峡"),
    "suez": (32.56, 29.93, "Suez", "Суэц", "苏伊士"),
    "port-said": (32.33, 31.30, "Port Said", "Порт-Саид", "塞得港"),
    "crete-east": (27.9, 34.9, "South-east of Crete", "К юго-востоку от Крита", "克里特岛东南"),
    "dardanelles": (26.15, 40.0, "Dardanelles", "Дарданеллы", "达达尼尔海峡"),
    "gibraltar": (-5.4, 35.95, "Strait of Gibraltar", "Гибралтарский пролив", "直布罗陀海峡"),
    "st-vincent": (-9.6, 36.8, "Off Cape St. Vincent", "У мыса Сан-Висенти", "圣维森特角外海"),
    "good-hope": (19.0, -35.6, "Off the Cape of Good Hope (Cape Agulhas)", "У мыса Доброй Надежды (мыс Игольный)",
                  "好望角外海（厄加勒斯角）"),
}

# id: (mode, countries, from, to, [intermediate points], what the trace follows)
RAIL, SEA, CANAL = "rail", "sea", "canal"
LEGS = {
    # --- China: Shanghai's approach to the Longhai railway (Jinghu railway)
    "cn-shanghai-xuzhou": (RAIL, ["CN"], "shanghai", "xuzhou",
                           [(120.62, 31.30), (120.30, 31.57), (119.97, 31.78), (119.43, 32.19), (118.80, 32.06),
                            (118.32, 32.30), (117.37, 32.94), (116.97, 33.64)],
                           "Jinghu (Beijing–Shanghai) railway through Suzhou, Wuxi, Changzhou, Zhenjiang, Nanjing, "
                           "Chuzhou, Bengbu and Suzhou (Anhui)"),
    # --- Northern corridor: Kazakhstan – Russia – Belarus – Poland – Germany
    "kz-moyynty-astana": (RAIL, ["KZ"], "moyynty", "astana", [(73.10, 49.80), (72.96, 50.28)],
                          "Moyynty – Karagandy – Astana (Trans-Kazakhstan line)"),
    "kz-ru-astana-kurgan": (RAIL, ["KZ", "RU"], "astana", "kurgan",
                            [(69.40, 53.29), (69.15, 54.87), (67.90, 55.07)],
                            "Astana – Kokshetau – Petropavl – Petukhovo (RU) – Kurgan"),
    "ru-kurgan-moscow": (RAIL, ["RU"], "kurgan", "moscow",
                         [(61.40, 55.16), (59.67, 55.17), (55.96, 54.74), (50.10, 53.20), (48.62, 53.2),
                          (48.35, 53.17), (45.00, 53.20), (44.95, 54.06), (39.74, 54.63)],
                         "Kurgan – Chelyabinsk – Zlatoust – Ufa – Samara – the Volga bridge at Oktyabrsk – Syzran – Penza – Ruzayevka – Ryazan – Moscow"),
    "ru-by-moscow-brest": (RAIL, ["RU", "BY"], "moscow", "brest",
                           [(35.30, 55.52), (32.05, 54.78), (30.42, 54.51), (27.56, 53.90), (26.01, 53.13)],
                           "Moscow – Vyazma – Smolensk – Orsha (BY) – Minsk – Baranovichi – Brest"),
    "by-pl-brest-warsaw": (RAIL, ["BY", "PL"], "brest", "warsaw", [(23.53, 52.04), (22.27, 52.17)],
                           "Brest – Małaszewicze (PL, the break of gauge) – Siedlce – Warsaw"),
    "pl-de-warsaw-duisburg": (RAIL, ["PL", "DE"], "warsaw", "duisburg",
                              [(19.36, 52.23), (16.93, 52.41), (14.83, 52.35), (14.55, 52.34), (13.40, 52.52),
                               (11.63, 52.13), (9.74, 52.38), (8.53, 52.02), (7.81, 51.68), (7.46, 51.51)],
                              "Warsaw – Kutno – Poznań – Rzepin – Frankfurt (Oder) (DE) – Berlin – Magdeburg – "
                              "Hannover – Bielefeld – Hamm – Dortmund – Duisburg"),
    "pl-hu-warsaw-budapest": (RAIL, ["PL", "SK", "HU"], "warsaw", "budapest",
                              [(21.15, 51.40), (20.64, 50.87), (19.94, 50.06), (20.69, 49.62), (20.89, 49.35),
                               (21.26, 48.72), (20.78, 48.10), (19.90, 47.73)],
                              "Warsaw – Radom – Kielce – Kraków – Nowy Sącz – Muszyna – Košice (SK) – "
                              "Miskolc (HU) – Hatvan – Budapest"),
    # --- Rail in south-eastern and central Europe
    "ro-hu-bucharest-budapest": (RAIL, ["RO", "HU"], "bucharest", "budapest",
                                 [(26.02, 44.94), (25.59, 45.65), (24.79, 46.22), (23.57, 46.07), (22.90, 45.88),
                                  (21.31, 46.18), (21.10, 46.68), (20.20, 47.17)],
                                 "Bucharest – Ploiești – Brașov – Mediaș – Alba Iulia – Deva – Arad – "
                                 "Békéscsaba (HU) – Szolnok – Budapest"),
    "ro-constanta-bucharest": (RAIL, ["RO"], "constanta", "bucharest", [(28.05, 44.17), (27.33, 44.25), (26.57, 44.38)],
                               "Constanța – Medgidia – Fetești – Lehliu – Bucharest (Magistrala 800)"),
    "hu-de-budapest-duisburg": (RAIL, ["HU", "AT", "DE"], "budapest", "duisburg",
                                [(17.63, 47.69), (17.11, 47.87), (16.37, 48.21), (15.62, 48.20), (14.29, 48.31),
                                 (13.43, 48.57), (12.10, 49.01), (11.08, 49.45), (9.93, 49.79), (8.68, 50.11),
                                 (7.59, 50.36), (6.96, 50.94)],
                                "Budapest – Győr – Hegyeshalom – Vienna (AT) – St. Pölten – Linz – Passau (DE) – "
                                "Regensburg – Nuremberg – Würzburg – Frankfurt – Koblenz – Cologne – Duisburg"),
    "ro-tr-bucharest-istanbul": (RAIL, ["RO", "BG", "TR"], "bucharest", "istanbul",
                                 [(25.97, 43.90), (25.95, 43.85), (25.69, 43.13), (25.63, 42.43), (25.60, 42.05),
                                  (26.20, 41.77), (26.56, 41.68), (27.22, 41.40), (27.90, 41.15)],
                                 "Bucharest – Giurgiu – Ruse (BG) – Gorna Oryahovitsa – Stara Zagora – Dimitrovgrad – "
                                 "Svilengrad – Kapıkule/Edirne (TR) – Çerkezköy – Halkalı"),
    "nl-de-rotterdam-duisburg": (RAIL, ["NL", "DE"], "rotterdam", "duisburg",
                                 [(4.30, 51.90), (4.67, 51.81), (5.28, 51.88), (5.93, 51.95), (6.15, 51.93),
                                  (6.25, 51.84), (6.62, 51.58)],
                                 "Betuweroute: Maasvlakte – Rotterdam – Kijfhoek – Geldermalsen – Zevenaar – "
                                 "Emmerich (DE) – Wesel – Duisburg"),
    # --- Sea lanes
    "sea-shanghai-east-china-sea": (SEA, [], "yangshan", "east-china-sea", [(122.3, 30.62), (122.9, 30.6)],
                                    "From Yangshan east, north of the Zhoushan islands"),
    "sea-lianyungang-east-china-sea": (SEA, [], "lianyungang", "east-china-sea",
                                       [(119.7, 34.8), (120.6, 34.4), (121.8, 33.0), (122.6, 31.8), (122.95, 31.0)],
                                       "Haizhou Bay and the Yellow Sea coast, outside the banks of the Yangtze estuary"),
    "sea-east-china-sea-singapore": (SEA, [], "east-china-sea", "singapore",
                                     [(122.9, 29.6), (122.5, 28.6), (121.6, 27.6), (120.4, 26.0), (119.6, 25.0),
                                      (118.5, 23.8), (117.0, 22.6), (114.5, 21.2), (112.8, 18.5), (111.3, 14.5),
                                      (109.8, 11.0), (107.5, 7.0), (105.5, 3.5), (104.6, 1.6), (104.3, 1.25)],
                                     "East of the Zhoushan islands, the Taiwan Strait and the South China Sea, east "
                                     "of Hainan and the Paracels, to the Singapore Strait"),
    "sea-singapore-malacca": (SEA, [], "singapore", "malacca-north",
                              [(103.5, 1.15), (103.1, 1.35), (102.4, 1.85), (101.6, 2.45), (100.9, 2.95),
                               (100.3, 3.6), (99.5, 4.3), (98.6, 5.1), (97.5, 5.7)],
                              "The Singapore Strait and the Strait of Malacca"),
    "sea-malacca-dondra": (SEA, [], "malacca-north", "dondra", [(90.0, 6.0), (85.0, 5.6)],
                           "The Bay of Bengal south of the Nicobar Islands, to Sri Lanka"),
    "sea-dondra-bab-el-mandeb": (SEA, [], "dondra", "bab-el-mandeb",
                                 [(76.5, 7.2), (73.4, 7.7), (66.0, 10.5), (58.0, 13.0), (53.0, 13.2), (51.2, 12.5),
                                  (47.0, 12.2), (44.5, 12.3), (43.7, 12.45)],
                                 "The Arabian Sea through the Eight Degree Channel, north of Socotra, the Gulf of Aden"),
    "sea-bab-el-mandeb-suez": (SEA, [], "bab-el-mandeb", "suez",
                               [(43.2, 12.85), (42.95, 13.45), (42.45, 14.5), (41.3, 16.2), (39.8, 18.6),
                                (38.3, 21.0), (36.9, 23.5), (35.4, 26.0), (34.2, 27.45), (34.05, 27.7),
                                (33.55, 28.1), (33.2, 28.55), (32.85, 29.05), (32.62, 29.55), (32.58, 29.8)],
                               "The Red Sea and the Gulf of Suez"),
    "canal-suez": (CANAL, ["EG"], "suez", "port-said",
                   [(32.55, 30.05), (32.43, 30.32), (32.33, 30.55), (32.31, 30.86), (32.31, 31.1)],
                   "The Suez Canal: Suez – the Great Bitter Lake – Ismailia – El Qantara – Port Said"),
    "sea-port-said-crete": (SEA, [], "port-said", "crete-east", [(31.0, 32.3), (29.5, 33.6)],
                            "The eastern Mediterranean"),
    "sea-crete-gibraltar": (SEA, [], "crete-east", "gibraltar",
                            [(26.5, 34.55), (24.0, 34.55), (20.0, 35.2), (15.2, 36.1), (14.3, 36.35), (12.8, 36.9), (11.6, 37.3),
                             (9.5, 37.6), (6.0, 37.35), (2.0, 36.9), (-1.5, 36.4), (-4.3, 36.05)],
                            "South of Crete, the Strait of Sicily and the western Mediterranean"),
    "sea-crete-dardanelles": (SEA, [], "crete-east", "dardanelles",
                              [(27.45, 35.85), (27.0, 36.45), (26.4, 37.05), (25.75, 37.65), (25.2, 38.35),
                               (25.35, 39.1), (25.75, 39.7)],
                              "The Karpathos Strait and the Aegean Sea, east of the Cyclades and west of Lesbos"),
    "sea-dardanelles-istanbul": (SEA, [], "dardanelles", "istanbul-port",
                                 [(26.2, 40.05), (26.27, 40.08), (26.34, 40.12), (26.385, 40.145), (26.375, 40.175),
                                  (26.4, 40.2), (26.45, 40.22), (26.52, 40.25), (26.58, 40.29), (26.63, 40.32),
                                  (26.68, 40.37), (26.72, 40.43), (27.2, 40.6), (27.9, 40.8), (28.5, 40.92)],
                                 "The Dardanelles and the Sea of Marmara"),
    "sea-istanbul-constanta": (SEA, [], "istanbul-port", "constanta-port",
                               [(28.9, 40.93), (29.0, 40.995), (29.0, 41.02), (29.005, 41.035), (29.02, 41.045),
                                (29.033, 41.05), (29.043, 41.06), (29.05, 41.07), (29.058, 41.08), (29.06, 41.09),
                                (29.065, 41.1), (29.068, 41.11), (29.07, 41.12), (29.08, 41.13), (29.075, 41.14),
                                (29.063, 41.15), (29.06, 41.16), (29.07, 41.17), (29.083, 41.18), (29.093, 41.19),
                                (29.105, 41.2), (29.113, 41.21), (29.125, 41.22), (29.14, 41.235), (29.15, 41.26),
                                (29.4, 41.5), (29.6, 42.4), (29.3, 43.4), (28.8, 44.05)],
                               "The Bosporus and the western Black Sea"),
    "sea-gibraltar-st-vincent": (SEA, [], "gibraltar", "st-vincent", [(-6.5, 35.95), (-8.2, 36.3)],
                                 "The Strait of Gibraltar and the Gulf of Cádiz"),
    "sea-st-vincent-rotterdam": (SEA, [], "st-vincent", "rotterdam",
                                 [(-10.0, 38.5), (-10.0, 42.0), (-9.8, 43.6), (-7.5, 46.5), (-5.8, 48.6),
                                  (-3.5, 49.75), (-1.0, 50.15), (1.2, 50.8), (1.9, 51.15), (2.9, 51.55), (3.7, 51.98)],
                                 "Off Portugal, across the Bay of Biscay, off Ushant, the English Channel, the Dover "
                                 "Strait and the North Sea"),
    "sea-malacca-good-hope": (SEA, [], "malacca-north", "good-hope",
                              [(88.0, 0.0), (75.0, -12.0), (60.0, -24.0), (46.0, -28.5), (35.0, -33.0),
                               (25.0, -35.4)],
                              "Across the Indian Ocean south of Madagascar, to Cape Agulhas"),
    "sea-good-hope-st-vincent": (SEA, [], "good-hope", "st-vincent",
                                 [(17.5, -34.8), (15.0, -30.0), (9.0, -20.0), (2.0, -10.0), (-6.0, 0.0),
                                  (-12.0, 4.0), (-18.0, 10.0), (-19.5, 15.0), (-18.5, 22.0), (-19.2, 27.5), (-15.0, 32.5),
                                  (-11.5, 35.5)],
                                 "Round the Cape, north off West Africa, west of Cape Verde and of the Canary "
                                 "Islands, to Cape St. Vincent"),
}

# the places a visitor chooses between: id -> (kind, ISO country, where the point is from)
ENDS = {
    "xian": ("origin", "CN", "Xi'an city centre (GeoNames 1790630), rounded"),
    "lianyungang": ("origin", "CN", "Lianyungang port, Lianyun district (GeoNames 1803848), rounded"),
    "shanghai": ("origin", "CN", "Shanghai city centre (GeoNames 1796236), rounded; its sea route leaves from the "
                 "Yangshan deep-water port"),
    "duisburg": ("destination", "DE", "Duisburg city centre (GeoNames 2934691), rounded"),
    "istanbul": ("destination", "TR", "Halkalı station, Istanbul (general reference), rounded"),
    "constanta": ("destination", "RO", "Constanța city (GeoNames 680963), rounded"),
}
KIND_NAMES = {"origin": ("origin", "пункт отправления", "起点"), "destination": ("destination", "пункт назначения", "终点")}

MODE_NAMES = {RAIL: ("rail", "железная дорога", "铁路"), SEA: ("sea", "море", "海运"),
              CANAL: ("canal", "канал", "运河")}


def densified(points: list[tuple[float, float]]) -> list[list[float]]:
    """The points, with geodesic intermediate points at most MAX_STEP_KM apart."""
    line = [list(points[0])]
    for (lon1, lat1), (lon2, lat2) in zip(points, points[1:]):
        _, _, metres = GEOD.inv(lon1, lat1, lon2, lat2)
        steps = int(metres / 1000 // MAX_STEP_KM)
        line += [list(p) for p in GEOD.npts(lon1, lat1, lon2, lat2, steps)] if steps else []
        line.append([lon2, lat2])
    return [[round(lon, 4), round(lat, 4)] for lon, lat in line]


def leg_feature(leg_id: str, leg: tuple) -> dict:
    mode, countries, start, end, via, trace = leg
    first, last = PLACES[start], PLACES[end]
    line = densified([first[:2], *via, last[:2]])
    mode_en, mode_ru, mode_zh = MODE_NAMES[mode]
    kind = {RAIL: "Hand-traced (approximate, not surveyed) through the stations of the line: ",
            SEA: "Drawn (approximate) by this project through waypoints over water: ",
            CANAL: "Drawn (approximate) along the canal: "}[mode]
    return {"type": "Feature", "properties": {
        "id": leg_id, "name": f"{first[2]} – {last[2]}",
        "names": {"ru": f"{first[3]} — {last[3]}", "zh": f"{first[4]}—{last[4]}"},
        "from": first[2], "from_ru": first[3], "from_zh": first[4],
        "to": last[2], "to_ru": last[3], "to_zh": last[4],
        "mode": mode, "mode_ru": mode_ru, "mode_zh": mode_zh, "countries": countries,
        "status": "operating", "status_ru": "действует", "status_zh": "运营中",
        "accuracy": "approximate", "accuracy_ru": "приблизительно", "accuracy_zh": "近似",
        "source": f"{kind}{trace}. SOURCES.md §7",
    }, "geometry": {"type": "LineString", "coordinates": line}}


def longhai_from_xuzhou() -> tuple:
    """Xuzhou – Xi'an: the corridor layer's Longhai railway (Lianyungang – Xi'an) from the vertex
    nearest Xuzhou on, so that a train from Shanghai joins it there."""
    corridor = json.loads(CORRIDOR_LEGS.read_text(encoding="utf-8"))
    line = next(f for f in corridor["features"] if f["properties"]["id"] == "cn-lianyungang-xian")
    points = [tuple(p) for p in line["geometry"]["coordinates"]]
    lon, lat = PLACES["xuzhou"][:2]
    start = min(range(len(points)), key=lambda i: (points[i][0] - lon) ** 2 + (points[i][1] - lat) ** 2)
    return (RAIL, ["CN"], "xuzhou", "xian", points[start + 1:-1],
            "the corridor layer's trace of the Longhai railway from Xuzhou (cn-lianyungang-xian): Shangqiu, "
            "Kaifeng, Zhengzhou, Luoyang, Sanmenxia, Weinan")


def place_feature(place_id: str) -> dict:
    kind, country, where = ENDS[place_id]
    lon, lat, name, name_ru, name_zh = PLACES[place_id]
    _, kind_ru, kind_zh = KIND_NAMES[kind]
    return {"type": "Feature", "properties": {
        "id": place_id, "name": name.split(" (")[0], "names": {"ru": name_ru.split(" (")[0], "zh": name_zh.split("（")[0]},
        "country": country, "kind": kind, "kind_ru": kind_ru, "kind_zh": kind_zh,
        "coordinate_source": where}, "geometry": {"type": "Point", "coordinates": [lon, lat]}}


def main() -> None:
    legs = {**LEGS, "cn-xuzhou-xian": longhai_from_xuzhou()}
    collection = {"type": "FeatureCollection",
                  "features": [leg_feature(leg_id, leg) for leg_id, leg in legs.items()]}
    OUT.write_text(json.dumps(collection, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"{OUT.relative_to(ROOT)}: {len(legs)} legs")
    places = {"type": "FeatureCollection", "features": [place_feature(place_id) for place_id in ENDS]}
    PLACES_OUT.write_text(json.dumps(places, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{PLACES_OUT.relative_to(ROOT)}: {len(ENDS)} places")


if __name__ == "__main__":
    main()
