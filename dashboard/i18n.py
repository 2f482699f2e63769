"""The interface's languages: English, Russian and Chinese.

Messages are gettext catalogs managed with Babel: `locale/dashboard.pot` is extracted from the
code (`make messages`: `pybabel extract` then `update`), the translations are in
`locale/<lang>/LC_MESSAGES/dashboard.po`, and set-up compiles them (`pybabel compile`).
Numbers and dates are formatted by Babel's locale data.

A `Translator` is a plain value for one language, made for each run from the visitor's choice
(dashboard/language.py); the catalogs behind it are read once per process and never changed.
Nothing is installed into Python's builtins: `gettext.install()` would give every visitor the
language of whoever came last.
"""

from __future__ import annotations

import gettext
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from babel import Locale
from babel.dates import format_date, format_skeleton
from babel.numbers import format_decimal

LANGUAGES = {"en": "English", "ru": "Русский", "zh": "中文"}  # each in its own language
DEFAULT = "en"
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
DOMAIN = "dashboard"
_BABEL_LOCALES = {"en": "en_GB", "ru": "ru_RU", "zh": "zh_Hans_CN"}  # en_GB: 7 September 2013
# where the region's own usage differs from CLDR's: Kyrgyzstan's constitution names the country
# Кыргызстан in Russian (its official language beside Kyrgyz), as its government and press do
COUNTRY_NAMES = {("ru", "KG"): "Кыргызстан"}


@cache
def _catalog(lang: str) -> gettext.NullTranslations:
    if lang == DEFAULT:
        return gettext.NullTranslations()
    # fallback: without compiled catalogs (set-up not run) the interface stays in English
    return gettext.translation(DOMAIN, LOCALE_DIR, languages=[lang], fallback=True)


@cache
def _locale(lang: str) -> Locale:
    return Locale.parse(_BABEL_LOCALES[lang])


@dataclass(frozen=True)
class Translator:
    """Messages, numbers and dates in one language. `_("Text {name}", name=...)` translates
    first, then fills the placeholders, so a translation may put them in its own order."""

    lang: str = DEFAULT

    def __post_init__(self):
        if self.lang not in LANGUAGES:
            raise ValueError(f"unknown language {self.lang!r}")

    def __call__(self, message: str, /, **values) -> str:
        text = _catalog(self.lang).gettext(message)
        return text.format(**values) if values else text

    def ngettext(self, singular: str, plural: str, n: int, /, **values) -> str:
        """The form for `n` (Russian has three); `{n}` in the message is `n` in this locale."""
        text = _catalog(self.lang).ngettext(singular, plural, n)
        return text.format(n=self.number(n), **values)

    @property
    def locale(self) -> Locale:
        return _locale(self.lang)

    def number(self, value: float, digits: int = 0) -> str:
        """1,566,566 · 1 566 566 · 1,566,566; `digits` after the decimal point, at most."""
        pattern = "#,##0" + ("." + "#" * digits if digits else "")
        return format_decimal(value, format=pattern, locale=self.locale)

    def date(self, value: date | str) -> str:
        """7 September 2013 · 7 сентября 2013 г. · 2013年9月7日, from a date or an ISO date; a
        partial one (2013-09, 2013) as far as it goes; anything else as it is."""
        if isinstance(value, date):
            return format_date(value, format="long", locale=self.locale)
        try:
            if len(value) == 4:
                return format_skeleton("y", date(int(value), 1, 1), locale=self.locale)
            if len(value) == 7:
                return format_skeleton("yMMMM", date.fromisoformat(value + "-01"), locale=self.locale)
            return format_date(date.fromisoformat(value), format="long", locale=self.locale)
        except (TypeError, ValueError):
            return str(value)

    def country(self, code: str) -> str:
        """A country's name from its ISO 3166 alpha-2 code, in this language (CLDR's names via
        Babel: Kazakhstan · Казахстан · 哈萨克斯坦); an unknown code as it is."""
        key = str(code).upper()
        return COUNTRY_NAMES.get((self.lang, key)) or self.locale.territories.get(key) or str(code)

    def km(self, value: float, digits: int = 0) -> str:
        """A distance with the unit of this language: km · км · 公里."""
        return self(N_("{km} km"), km=self.number(value, digits))


def N_(message: str) -> str:
    """Marks a message for the catalogs (pybabel extract) where it is defined; it is translated
    where it is shown."""
    return message


def browser_language(locale: str | None) -> str | None:
    """One of the three languages from a browser's locale (`st.context.locale`, e.g. ru-RU,
    zh-CN), or None."""
    if not locale:
        return None
    lang = locale.replace("_", "-").split("-")[0].lower()
    return lang if lang in LANGUAGES else None


ENGLISH = Translator(DEFAULT)  # the default of functions that take a translator
