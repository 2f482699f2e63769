"""Screenshots of the dashboard for docs/ (`make screenshot`): the app served on loopback, seen
in Debian's Chromium with every outside request blocked, at the views the README shows.

    .venv/bin/python -m scripts.screenshots
"""

from __future__ import annotations

import sys

from playwright.sync_api import sync_playwright

from tests.helpers import CHROMIUM, CHROMIUM_ARGS, MAP_FRAME, ROOT, AppServer, is_loopback

DOCS = ROOT / "docs"
# file, page, the view (lat, lon, zoom), whether to take the whole page or the map alone
VIEWS = [
    ("tian-shan-z8.png", "/railway", (40.95, 74.35, 8), "map"),  # the CKU line and its stations in the mountains
    ("caspian-z7.png", "/corridor", (41.3, 50.6, 7), "map"),  # Aktau and Kuryk to Baku and Alat
    ("corridor-z4.png", "/?city=astana", (42.5, 72.0, 4), "page"),  # the whole corridor, Astana's details
    ("kapchagay-z8.png", "/corridor", (43.75, 77.7, 8), "map"),  # the lines round the Kapchagay reservoir
    # the same dashboard in Russian and in Chinese (CJK fonts: make screenshot installs them)
    ("overview-ru.png", "/?city=astana&lang=ru", (42.5, 72.0, 4), "page"),
    ("overview-zh.png", "/?city=astana&lang=zh", (42.5, 72.0, 4), "page"),
    ("tian-shan-z8-ru.png", "/railway?lang=ru", (40.95, 74.35, 8), "map"),
    ("tian-shan-z8-zh.png", "/railway?lang=zh", (40.95, 74.35, 8), "map"),
    # the routes China → Europe from Xi'an to Duisburg, and the trade choropleth with the mirror statistics
    ("routes.png", "/routes?origin=xian&destination=duisburg", (12.0, 52.0, 2), "page"),
    ("trade-2024.png", "/trade?year=2024&mirror=1", (43.0, 64.0, 4), "page"),
]


def take(page, path: str, url: str, center: tuple[float, float, float], part: str) -> None:
    page.goto(url)
    page.frame_locator(MAP_FRAME).locator("path.leaflet-interactive").first.wait_for(timeout=30_000)
    frame = page.locator(MAP_FRAME).element_handle().content_frame()
    lat, lon, zoom = center
    frame.evaluate(f"() => {{ window.map.setView([{lat}, {lon}], {zoom}, {{animate: false}}); }}")
    page.wait_for_timeout(500)
    page.wait_for_function(  # every tile of the view drawn
        "() => !document.querySelector('iframe').contentDocument.querySelector('img.leaflet-tile:not(.leaflet-tile-loaded)')",
        timeout=15_000)
    page.wait_for_timeout(800)  # the names placed after the move
    target = page.locator(MAP_FRAME) if part == "map" else page
    target.screenshot(path=DOCS / path)


def main() -> None:
    DOCS.mkdir(exist_ok=True)
    server = AppServer()
    outside: list[str] = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            context = browser.new_context(viewport={"width": 1500, "height": 1000})

            def only_loopback(route):
                if is_loopback(route.request.url):
                    route.continue_()
                else:
                    outside.append(route.request.url)
                    route.abort()

            context.route("**/*", only_loopback)
            page = context.new_page()
            for path, url, center, part in VIEWS:
                take(page, path, server.url + url, center, part)
                print(f"docs/{path}", file=sys.stderr)
            browser.close()
    finally:
        server.stop()
    if outside:
        sys.exit(f"the app asked for outside addresses: {outside[:3]}")


if __name__ == "__main__":
    main()
