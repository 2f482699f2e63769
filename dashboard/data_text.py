"""The data's own texts in the visitor's language.

A text of the data (an event's `title`, a city's `roles`, a figure's `label`, a leg's `mode`)
may have its translation beside it: `title_ru`, `title_zh`. These are the project's
translations of the English original, which stays in the file; they carry no source of their
own (a source's words stay in the source's language, in `source`). Where a translation is
missing, the English is shown. Names are the exception: a feature's `names` maps a language
to its name (`names_in`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from dashboard.i18n import DEFAULT


def text_in(record: Mapping[str, Any], field: str, lang: str = DEFAULT) -> Any:
    """`record[field]` in `lang`: its translation `<field>_<lang>` where the data has one (of the
    same kind: a text for a text, a list for a list), else the English original (None when
    neither is there)."""
    english = record.get(field)
    if lang != DEFAULT:
        translated = record.get(f"{field}_{lang}")
        # a translation of another kind than its original (a text for a list) is not used
        if _present(translated) and isinstance(translated, list) == isinstance(english, list):
            return translated
    return english


def is_translated(record: Mapping[str, Any], field: str, lang: str) -> bool:
    """Whether `text_in` gives the project's translation of `field` rather than the original."""
    return lang != DEFAULT and text_in(record, field, lang) is not record.get(field)


def column_in(frame: pd.DataFrame, field: str, lang: str = DEFAULT) -> pd.Series:
    """A column of texts in `lang`, each row's translation where it has one."""
    english = _column(frame, field)
    translated = f"{field}_{lang}"
    if lang == DEFAULT or translated not in frame:
        return english
    own = frame[translated]
    return own.where(own.map(_present), english)


def names_in(frame: pd.DataFrame, lang: str) -> pd.Series:
    """Each feature's name in `lang` from its `names`, else its (English) `name`."""
    english = _column(frame, "name")
    if lang == DEFAULT or "names" not in frame:
        return english
    own = frame["names"].map(lambda names: names.get(lang) if isinstance(names, dict) else None)
    return own.where(own.notna() & (own != ""), english)


def _column(frame: pd.DataFrame, field: str) -> pd.Series:
    return frame[field] if field in frame else pd.Series([None] * len(frame), index=frame.index)


def _present(value: Any) -> bool:
    if isinstance(value, (list, tuple, str)):
        return len(value) > 0
    return value is not None and not (isinstance(value, float) and pd.isna(value))
