"""The catalog's own texts in the visitor's language: group and layer titles and descriptions,
tooltip labels and the legend's entries, from the catalog's `translations` (per language: English text -> its
translation). A text with no translation stays in English."""

from __future__ import annotations

from dataclasses import replace

from dashboard.catalog import Catalog, LayerSpec, StyleRule


def catalog_in(catalog: Catalog, lang: str) -> Catalog:
    """The catalog with its texts in `lang` (the same catalog in English or without translations)."""
    table = catalog.translations.get(lang) or {}
    if not table:
        return catalog

    def text(english: str) -> str:
        return table.get(english, english)

    def rule_in(rule: StyleRule) -> StyleRule:
        values = {value: {**entry, "label": text(entry["label"])} if "label" in entry else entry
                  for value, entry in rule.values.items()}
        return replace(rule, title=text(rule.title), values=values)

    def layer_in(layer: LayerSpec) -> LayerSpec:
        return replace(layer, title=text(layer.title), description=text(layer.description), tooltip={k: text(v) for k, v in layer.tooltip.items()},
                       style_by=tuple(rule_in(rule) for rule in layer.style_by))

    return replace(catalog, groups=tuple(replace(g, title=text(g.title)) for g in catalog.groups),
                   layers=tuple(layer_in(layer) for layer in catalog.layers))


def catalog_texts(catalog: Catalog) -> set[str]:
    """Every text of the catalog a visitor reads (what `translations` translates)."""
    texts = {group.title for group in catalog.groups}
    for layer in catalog.layers:
        texts |= {layer.title, *layer.tooltip.values()} | ({layer.description} if layer.description else set())
        for rule in layer.style_by:
            texts |= {rule.title, *(entry["label"] for entry in rule.values.values() if "label" in entry)}
    return texts
