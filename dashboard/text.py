"""Small text helpers shared by every module that shows data to people.

Streamlit renders most text as Markdown, so a value that comes from a file, an upload or a
link is shown through `literal`; HTML goes through Jinja2's autoescaping (templating.py).
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any
from urllib.parse import urlsplit

MAX_QUOTED = 40  # characters of an outside value quoted in a notice
PARTIAL_DATE = re.compile(r"[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?")


def literal(text: Any, limit: int | None = MAX_QUOTED) -> str:
    """A value from outside as it may appear in Markdown: quoted, shortened, on one line and
    in a code span, so that it renders as exactly these characters (no picture, no hyperlink,
    no web address made a link, no formatting)."""
    text = " ".join(str(text).split())
    text = text if limit is None or len(text) <= limit else text[:limit] + "…"
    if not text:
        return "''"
    fence = "`" * (1 + max((len(run) for run in re.findall("`+", text)), default=0))
    return f"'{fence} {text} {fence}'"  # one space inside each fence is dropped when shown


def safe_url(url: Any) -> str | None:
    """The address if it is an absolute http(s) URL, else None (no javascript:, data:, …)."""
    if not isinstance(url, str):
        return None
    parts = urlsplit(url.strip())
    return url.strip() if parts.scheme in ("http", "https") and parts.netloc else None


def format_date(iso: str) -> str:
    """'2023-05-18' -> '18 May 2023'; '2022-09' -> 'September 2022'; '2014' -> '2014'."""
    try:
        if len(iso) == 10:
            return date.fromisoformat(iso).strftime("%-d %B %Y")
        if len(iso) == 7:
            return date.fromisoformat(iso + "-01").strftime("%B %Y")
    except ValueError:
        pass
    return iso


def is_partial_date(value: str) -> bool:
    """'2024', '2024-07' or '2024-07-03', a real date: as precise as it is known."""
    if not PARTIAL_DATE.fullmatch(value):
        return False
    try:
        date.fromisoformat(value + {4: "-01-01", 7: "-01", 10: ""}[len(value)])
    except ValueError:
        return False
    return True


def first_line(err: BaseException, limit: int = 200) -> str:
    """An exception's first line of text (or its type's name), at most `limit` characters."""
    lines = str(err).strip().splitlines()
    return lines[0][:limit] if lines else type(err).__name__


def shortened(text: str, limit: int) -> str:
    """`text` cut to `limit` characters, an ellipsis marking the cut."""
    return text if len(text) <= limit else text[: max(limit - 1, 0)] + "…"
