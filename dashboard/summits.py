"""The China–Central Asia summits' outcomes (geodata/facts/summits.json), each linked to the map
features it concerns: `layer:id` for one feature, `layer:<layer id>` for a whole layer."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import geopandas as gpd
import pandas as pd

from dashboard.catalog import Catalog
from dashboard.data_text import names_in, text_in
from dashboard.i18n import DEFAULT, N_, Translator
from dashboard.text import safe_url

WHOLE_LAYER = "layer"  # "layer:cku_railway": every feature of the layer
KINDS = {"declaration": N_("declaration"), "treaty": N_("treaty"), "mechanism": N_("mechanism"),
         "financing": N_("financing"), "corridor": N_("corridor"), "energy": N_("energy"),
         "centre": N_("cooperation centre"), "other": N_("other")}


def outcome_table(summits: Mapping[str, Any], frames: Mapping[str, gpd.GeoDataFrame], lang: str = DEFAULT) -> pd.DataFrame:
    """One row per outcome: its summit, kind, title, description, amount, the map features it
    concerns (named) and its source."""
    _ = Translator(lang)
    titles = {s["id"]: text_in(s, "title", lang) for s in summits.get("summits", [])}
    rows = []
    for outcome in summits.get("outcomes", []):
        features = outcome_frames(outcome, frames)
        named = [name for frame in features.values() for name in names_in(frame, lang)]
        rows.append({"id": outcome["id"], "summit": titles.get(outcome["summit"], outcome["summit"]),
                     "kind": _(KINDS.get(outcome["kind"], outcome["kind"])), "outcome": text_in(outcome, "title", lang),
                     "description": text_in(outcome, "description", lang), "amount": amount_text(outcome.get("amount"), lang),
                     "concerns": ", ".join(named), "date": outcome.get("date"), "source": outcome.get("source"),
                     "link": safe_url(outcome.get("url"))})
    return pd.DataFrame(rows, columns=["id", "summit", "kind", "outcome", "description", "amount", "concerns", "date",
                                       "source", "link"])


def amount_text(amount: Mapping[str, Any] | None, lang: str = DEFAULT) -> str | None:
    """'26 CNY bn (US$ 3.7 bn: …)' as published, the note in `lang`."""
    if not amount:
        return None
    text = f"{amount['value']:g} {amount.get('unit', '')}".strip()
    note = text_in(amount, "note", lang)
    return f"{text} ({note})" if note else text


def outcome_frames(outcome: Mapping[str, Any], frames: Mapping[str, gpd.GeoDataFrame]) -> dict[str, gpd.GeoDataFrame]:
    """layer id -> the features of it that the outcome concerns (those the layers hold)."""
    chosen: dict[str, list[str] | None] = {}
    for ref in outcome.get("features", []):
        layer, _, feature = ref.partition(":")
        if layer == WHOLE_LAYER:
            chosen[feature] = None
        elif chosen.get(layer, []) is not None:
            chosen.setdefault(layer, []).append(feature)
    found = {}
    for layer, ids in chosen.items():
        frame = frames.get(layer)
        if frame is not None:
            part = frame if ids is None else frame[frame["id"].isin(ids)]
            if len(part):
                found[layer] = part
    return found


def outcome_map(summits: Mapping[str, Any], catalog: Catalog, frames: Mapping[str, gpd.GeoDataFrame],
                outcome_id: str) -> tuple[tuple[str, ...], dict[str, gpd.GeoDataFrame]]:
    """The groups and features of the map of one outcome."""
    outcome = next((o for o in summits.get("outcomes", []) if o["id"] == outcome_id), None)
    if outcome is None:
        return (), {}
    shown = outcome_frames(outcome, frames)
    groups = {catalog.layer(layer).group for layer in shown}
    return tuple(g.id for g in catalog.groups if g.id in groups), shown
