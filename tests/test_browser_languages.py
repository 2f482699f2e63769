"""Every page in Russian and in Chinese, as a reader of that language sees it in Chromium: none
of the dashboard's English interface texts is left, the map's layers and the city's details are
in that language, and two visitors in two languages at once never see each other's."""

import re

import pytest
from babel.messages.pofile import read_po

from dashboard.catalog import load_catalog
from dashboard.catalog_text import catalog_in, catalog_texts
from dashboard.geodata import load_layers
from dashboard.i18n import LOCALE_DIR, Translator

from helpers import DETAILS, MAP_FRAME

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PLACEHOLDER = re.compile(r"\{[^}]*\}")
# English that stays on a translated page, and why:
ALLOWED = {
    "Language · Язык · 语言",  # the language box's label: readable whatever the page's language
}
# Streamlit's own widget texts are not ours to translate (streamlit/streamlit#1353): the file
# uploader's "Drag and drop file here", "Browse files", "Limit 20MB per file", "Skip to content",
# the icon names of the navigation; none of them is in the catalogs, so none is looked for.
CATALOG = load_catalog()
CITIES = load_layers(CATALOG).frames["cities"]
ASTANA_NAMES = CITIES.set_index("id").loc["astana", "names"]


def english_interface_texts() -> set[str]:
    """The English of every interface message (locale/dashboard.pot) and of the map's catalog
    texts: the parts between placeholders that are at least two words long (a lone word such
    as "km" or a name may rightly stay in a translation)."""
    with (LOCALE_DIR / "dashboard.pot").open("rb") as file:
        messages = [m.id for m in read_po(file) if m.id]
    texts = set()
    for message in [*messages, *catalog_texts(CATALOG)]:
        for msgid in [message] if isinstance(message, str) else message:
            for part in PLACEHOLDER.split(msgid):
                part = part.strip(" .,:;()·–-`*")
                if len(re.findall(r"[A-Za-z]{2,}", part)) >= 2 and part not in ALLOWED:
                    texts.add(part)
    return texts


ENGLISH = english_interface_texts()


def shown_text(page) -> str:
    """What the reader sees: the page with its sidebar and expanders opened, and the map's frame
    (layer control, legend, tools, names)."""
    for summary in page.locator("[data-testid=stExpander] summary").all():
        if "SOURCES.md" not in summary.inner_text():  # the sources stay in their own languages
            summary.click()
    page.wait_for_timeout(300)
    text = page.locator("[data-testid=stApp]").inner_text()
    if page.locator(MAP_FRAME).count():
        text += "\n" + page.frame_locator(MAP_FRAME).locator("body").inner_text()
    return text


# each page's navigation title and heading, as messages (app.py, pages/*.py)
PAGES = {"": ("Overview", "China–Central Asia corridors"), "railway": ("CKU railway", "China–Kyrgyzstan–Uzbekistan railway"),
         "corridor": ("Trans-Caspian corridor", "Trans-Caspian corridor"), "cities": ("Summit cities", "Summit cities"),
         "routes": ("Routes to Europe", "Routes China → Europe"), "trade": ("Trade", "China's trade with Central Asia"),
         "data": ("Data", "The data")}


def wait_for_page(page, heading: str, with_map: bool = True) -> None:
    page.locator("h1", has_text=heading).wait_for(timeout=30_000)
    if with_map:
        page.frame_locator(MAP_FRAME).locator(".map-legend").wait_for(timeout=30_000)
    page.wait_for_timeout(500)


@pytest.mark.parametrize("lang", ["ru", "zh"])
def test_every_page_in_the_language_has_no_english_interface_text_left(app_server, page, lang):
    """A reader opens a link in the language and goes through every page by the navigation."""
    _ = Translator(lang)
    page.goto(f"{app_server.url}/?lang={lang}&city=astana")
    wait_for_page(page, _(PAGES[""][1]))
    map_and_details_are_in(page, lang)
    left = {}
    for path, (title, heading) in PAGES.items():
        if path:
            page.get_by_role("link", name=_(title)).click()
            page.wait_for_url(f"**/{path}?*lang={lang}*", timeout=15_000)  # the language goes along
            wait_for_page(page, _(heading), with_map=path != "data")
        text = shown_text(page)
        found = sorted(english for english in ENGLISH if english in text)
        if found:
            left[path or "overview"] = found
    assert left == {}, f"English left in {lang}: {left}"
    assert page.watch.errors == [] and page.watch.outside_requests == []


def map_and_details_are_in(page, lang):
    """The overview's layer control, details panel and base map in the language."""
    frame = page.frame_locator(MAP_FRAME)
    overlays = frame.locator(".leaflet-control-layers-overlays label").all_inner_texts()
    assert [o.strip() for o in overlays] == [g.title for g in catalog_in(CATALOG, lang).overview_groups]
    page.locator(f"{DETAILS} h3", has_text=ASTANA_NAMES[lang]).wait_for(timeout=15_000)
    details = page.locator(DETAILS).inner_text()
    astana = CITIES.set_index("id").loc["astana"]
    assert astana[f"description_{lang}"] in details and astana["description"] not in details
    assert all(role in details for role in astana[f"roles_{lang}"])
    # the base map's country names in the language (CLDR's), not in English
    frame.locator(".basemap-country").first.wait_for(state="attached", timeout=15_000)
    names = {name.strip() for name in frame.locator(".basemap-label span").all_text_contents()}
    assert {"ru": "Казахстан", "zh": "哈萨克斯坦"}[lang] in names and "Kazakhstan" not in names


def test_two_visitors_in_two_languages_at_once_keep_their_own(app_server, browser):
    pages = {}
    for lang in ("ru", "zh"):
        pages[lang] = browser.new_context(viewport={"width": 1400, "height": 950}).new_page()
        pages[lang].goto(f"{app_server.url}/cities?lang={lang}")
    for lang, page in pages.items():
        wait_for_page(page, Translator(lang)(PAGES["cities"][1]))
    # one moves on while the other reloads: each rerun happens with the other's session open
    pages["ru"].get_by_role("link", name=Translator("ru")(PAGES["railway"][0])).click()
    pages["zh"].reload()
    wait_for_page(pages["ru"], Translator("ru")(PAGES["railway"][1]))
    wait_for_page(pages["zh"], Translator("zh")(PAGES["cities"][1]))
    for lang, path in (("ru", "railway"), ("zh", "cities")):
        other = "zh" if lang == "ru" else "ru"
        text = shown_text(pages[lang])
        assert Translator(lang)(PAGES[path][1]) in text and Translator(other)(PAGES[path][1]) not in text
        assert all(group.title not in text for group in catalog_in(CATALOG, other).groups)
    for page in pages.values():
        page.context.close()
