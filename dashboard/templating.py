"""HTML from Jinja2 templates with autoescaping: data values are always text."""

from __future__ import annotations

from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

_environment = Environment(
    loader=PackageLoader("dashboard", "templates"),
    autoescape=select_autoescape(default=True, default_for_string=True),
    trim_blocks=True,
    lstrip_blocks=True,
)


def render(template: str, **context: Any) -> str:
    """Render `dashboard/templates/<template>` with every value escaped."""
    return _environment.get_template(template).render(**context)
