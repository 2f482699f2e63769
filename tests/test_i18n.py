"""The interface's languages: the catalogs are complete, formats follow the locale, and each
session keeps its own language (dashboard/i18n.py, dashboard/language.py)."""

import builtins
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from streamlit.testing.v1 import AppTest

from dashboard.catalog import CATALOG_FILE, load_catalog
from dashboard.catalog_text import catalog_in, catalog_texts
from dashboard.i18n import LANGUAGES, LOCALE_DIR, Translator, browser_language
from dashboard.links import parse_link

ROOT = Path(__file__).resolve().parent.parent
PLACEHOLDER = re.compile(r"\{[a-z_]+\}")
PLURAL_FORMS = {"ru": 3, "zh": 1}


def catalog(lang):
    with (LOCALE_DIR / lang / "LC_MESSAGES" / "dashboard.po").open("rb") as file:
        return read_po(file)


def template_ids():
    with (LOCALE_DIR / "dashboard.pot").open("rb") as file:
        return {message.id if isinstance(message.id, str) else message.id[0] for message in read_po(file) if message.id}


@pytest.mark.parametrize("lang", ["ru", "zh"])
def test_every_message_is_translated_with_its_placeholders_and_none_is_fuzzy(lang):
    messages = [message for message in catalog(lang) if message.id]
    assert {m.id if isinstance(m.id, str) else m.id[0] for m in messages} == template_ids()
    for message in messages:
        assert "fuzzy" not in message.flags, message.id
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        if isinstance(message.id, tuple):
            assert len(strings) == PLURAL_FORMS[lang], message.id
        for string in strings:
            assert string, f"{lang}: {message.id!r} is not translated"
            assert set(PLACEHOLDER.findall(string)) == set(PLACEHOLDER.findall(ids[-1])), (message.id, string)


def test_the_template_holds_every_message_the_code_marks(tmp_path):
    pot = tmp_path / "dashboard.pot"
    pybabel = Path(sys.executable).with_name("pybabel")  # as `make messages` runs it
    subprocess.run([pybabel, "extract", "--mapping-file", "babel.cfg", "--keyword", "N_", "--no-location",
                    "--output-file", str(pot), "."], cwd=ROOT, check=True, capture_output=True)
    with pot.open("rb") as file:
        extracted = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(file) if m.id}
    assert extracted == template_ids(), "run `make messages` and translate what is new"


@pytest.mark.parametrize(("lang", "number", "day", "month", "distance"), [
    ("en", "1,566,566", "7 September 2013", "September 2013", "1,234 km"),
    ("ru", "1\xa0566\xa0566", "7 сентября 2013\u202fг.", "сентябрь 2013\u202fг.", "1\xa0234 км"),
    ("zh", "1,566,566", "2013年9月7日", "2013年9月", "1,234 公里"),
])
def test_numbers_dates_and_distances_follow_the_locale(lang, number, day, month, distance):
    _ = Translator(lang)
    assert _.number(1566566) == number
    assert _.date("2013-09-07") == day
    assert _.date("2013-09") == month
    assert _.km(1234.4) == distance
    assert _.date("sometime") == "sometime"


def test_russian_plurals_come_from_the_catalog():
    _ = Translator("ru")
    forms = {n: _.ngettext("{n} feature", "{n} features", n) for n in (1, 2, 5, 21, 112)}
    assert forms == {1: "1 объект", 2: "2 объекта", 5: "5 объектов", 21: "21 объект", 112: "112 объектов"}
    assert Translator("zh").ngettext("{n} feature", "{n} features", 5) == "5 个要素"


@pytest.mark.parametrize(("locale", "lang"), [("ru-RU", "ru"), ("zh-CN", "zh"), ("zh_TW", "zh"), ("en-US", "en"),
                                              ("de-DE", None), (None, None), ("", None)])
def test_the_browsers_language_when_it_is_one_of_the_three(locale, lang):
    assert browser_language(locale) == lang


def test_a_links_unknown_language_is_named_in_a_notice_in_the_visitors_language():
    link = parse_link({"lang": ["fr"]}, cities=[], groups=[], basemaps=[], _=Translator("ru"))
    assert link.lang is None and "fr" in link.notices[0] and "язык" in link.notices[0]
    assert parse_link({"lang": ["zh"]}, cities=[], groups=[], basemaps=[]).lang == "zh"


def app(lang=None, locale=None):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    if lang:
        at.query_params["lang"] = lang
    if locale:
        at.context = {"locale": locale}
    return at


def test_two_sessions_in_two_languages_never_see_each_others(monkeypatch):
    russian, chinese = app("ru"), app("zh")
    russian.run()
    chinese.run()
    russian.run()  # after the Chinese session's run
    assert russian.title[0].value == "Коридоры Китай — Центральная Азия"
    assert chinese.title[0].value == "中国—中亚通道"
    assert not hasattr(builtins, "_"), "a translation was installed process-wide"


def test_the_browsers_language_is_the_default_and_the_link_then_carries_it():
    at = app(locale="zh-CN").run()
    assert at.title[0].value == "中国—中亚通道"
    assert at.query_params["lang"] == "zh"
    assert app(locale="fr-FR").run().title[0].value == "China–Central Asia corridors"


def test_the_sidebar_choice_changes_the_language():
    at = app().run()
    assert at.selectbox(key="lang").options == list(LANGUAGES.values())
    at.selectbox(key="lang").set_value("ru").run()
    assert at.title[0].value == "Коридоры Китай — Центральная Азия"
    # (AppTest loses the sidebar's other elements on a run after a fragment wrote there; a
    # browser does not: tests/test_browser.py chooses the language in the sidebar)


def test_the_catalogs_texts_on_the_map_have_a_translation_in_each_language():
    catalog = load_catalog()
    for lang in ("ru", "zh"):
        assert not catalog_texts(catalog) - set(catalog.translations[lang]), lang
    russian = catalog_in(catalog, "ru")
    assert [g.title for g in russian.overview_groups] == ["Железная дорога Китай — Кыргызстан — Узбекистан",
                                                 "Транскаспийский коридор", "Города саммитов"]
    assert catalog_in(catalog, "en") is catalog


def test_the_map_in_russian_has_no_english_of_its_own_left():
    from dashboard.dataset import load_dataset
    from dashboard.maps import build_map
    from dashboard.mapwidget import render_map

    data = load_dataset(CATALOG_FILE)
    rendered = render_map(build_map(catalog_in(data.catalog, "ru"), data.frames, _=Translator("ru")))
    page = rendered.header + rendered.script

    def on_the_map(text):  # as it is, or as a JSON string escapes it
        return text in page or json.dumps(text)[1:-1] in page

    for russian in ("Легенда", "Офлайн-карта", "Железная дорога Китай — Кыргызстан — Узбекистан", "Во весь экран",
                    "Стандартная колея (1435 мм)", "Пункт", "Астана"):
        assert on_the_map(russian), russian
    for english in ("Legend", "Offline map", "Summit cities", "Full screen", "Standard gauge", "Lat · lon"):
        assert english not in page, english
