"""The trade page's widgets: the year slider and the mirror-statistics toggle (the URL follows
them), the country chosen on the map or in its select box, and the time-series chart."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pyarrow as pa
import streamlit as st

from dashboard.data_text import names_in
from dashboard.i18n import Translator
from dashboard.links import LinkState
from dashboard.urlstate import show_in_url

YEAR_KEY, MIRROR_KEY, COUNTRY_KEY = "trade_year", "trade_mirror", "trade_country"
TRADE_LAYERS = ("trade_partners", "trade_mirror")


def year_and_mirror(link: LinkState, years: list[int], _: Translator) -> tuple[int, bool]:
    """The year (the link's, else the latest) and whether the partners' own figures are shown."""
    st.session_state.setdefault(YEAR_KEY, link.year if link.year in years else years[-1])
    st.session_state.setdefault(MIRROR_KEY, link.mirror)
    first, second = st.columns([3, 1], vertical_alignment="bottom")
    year = first.select_slider(_("Year"), options=years, key=YEAR_KEY)
    mirror = second.toggle(_("Mirror statistics"), key=MIRROR_KEY,
                           help=_("Each partner's own reported figure beside China's, the gap outlined on the map"))
    show_in_url(year=None if year == years[-1] else str(year), mirror="1" if mirror else None)
    return year, mirror


def country_picker(partners: gpd.GeoDataFrame, _: Translator) -> str:
    """The country whose series is shown: chosen here or by a click on the map."""
    names = dict(zip(partners["country"], names_in(partners, _.lang)))
    st.session_state.setdefault(COUNTRY_KEY, next(iter(names)))
    return st.selectbox(_("Country"), list(names), format_func=names.get, key=COUNTRY_KEY)


def select_clicked(partners: gpd.GeoDataFrame, properties: dict) -> None:
    """A click on a partner country selects it."""
    codes = dict(zip(partners["id"], partners["country"]))
    if properties.get("layer") in TRADE_LAYERS and properties.get("id") in codes:
        st.session_state[COUNTRY_KEY] = codes[properties["id"]]


def series_chart(series: pd.DataFrame | pa.Table, mirror: bool, _: Translator) -> None:
    """China's figure for each partner by year (and the partners' own, dashed, with `mirror`)."""
    frame = series.to_pandas() if isinstance(series, pa.Table) else series.copy()
    frame["reported by"] = frame["reporter"].map({"CN": _("China Customs"), "partner": _("the partner")})
    encoding = {"x": {"field": "year", "type": "ordinal", "title": None, "axis": {"labelAngle": 0}},
                "y": {"field": "usd_bn", "type": "quantitative", "title": _("US$ bn")},
                "color": {"field": "country", "type": "nominal", "title": None, "legend": {"orient": "bottom"}},
                "tooltip": [{"field": "country"}, {"field": "year"}, {"field": "usd_bn", "format": ".2f"},
                            {"field": "reported by"}]}
    if mirror:
        encoding["strokeDash"] = {"field": "reported by", "type": "nominal", "title": None, "legend": {"orient": "bottom"}}
    spec = {"mark": {"type": "line", "point": True}, "encoding": encoding}
    st.vega_lite_chart(frame.drop(columns="reporter"), spec, width="stretch")
