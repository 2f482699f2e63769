"""China's trade with the five Central Asian countries, year by year, with the partners' own
figures beside China's."""

from functools import partial

import streamlit as st

from dashboard import language, pagemap, store, trade, trade_widgets, urlstate, widgets

_ = language.translator()
data = store.dataset()
link = urlstate.read_link(data, _)
figures = store.facts(data, "trade")
partners = data.frames.get("trade_partners")

st.title(_("China's trade with Central Asia"))
st.caption(_(
    "China's trade in goods (exports and imports) with Kazakhstan, Kyrgyzstan, Tajikistan, Turkmenistan and "
    "Uzbekistan, as China Customs (GACC) reports it, in US$ billion. The partners' own statistics often "
    "report much less: switch on the mirror statistics to see both. Growth rates are computed from the figures."
))
widgets.show_problems(data, _)
years = data.computed(trade.trade_years, figures)
if not years or partners is None:
    st.error(_("The trade figures could not be read, so this page has nothing to show."))
    st.stop()

year, mirror = trade_widgets.year_and_mirror(link, years, _)
shaded = data.computed(trade.trade_frame, partners, figures, year, _.lang)
layer, group = ("trade_mirror", "trade-mirror") if mirror else ("trade_partners", "trade")
# without the mirror statistics the partners' own figures stay out of the tables
hidden = {} if mirror else dict.fromkeys(["partner_usd_bn", "gap_usd_bn", "partner_source", "partner_link"])

map_column, country_column = st.columns([3, 2], gap="medium")
with map_column:
    pagemap.page_map(data, link, key=f"{layer}_map", groups=[group], frames={layer: shaded}, height=540,
                     returned_objects=["last_active_drawing"], on_click=partial(trade_widgets.select_clicked, partners),
                     variant=year)
with country_column:
    country = trade_widgets.country_picker(partners, _)
    widgets.table(data.table(trade.partner_series, figures, country, _.lang), _,
                  download=f"trade-{country.lower()}.csv", **hidden)
    st.caption(_("A ticked estimate is this project's, derived from published figures (every figure, below, "
                 "says how); growth is computed from China's figures."))

st.subheader(_("{year}: the five partners", year=year))
widgets.table(data.table(trade.year_table, figures, partners, year, _.lang), _, download=f"trade-{year}.csv",
              code=None, **{k: v for k, v in hidden.items() if k in ("partner_usd_bn", "gap_usd_bn")})

st.subheader(_("By year"))
trade_widgets.series_chart(data.table(trade.chart_series, figures, partners, mirror, _.lang), mirror, _)

with st.expander(_("Every published figure, source by source")):
    widgets.table(data.table(trade.all_figures, figures, partners, _.lang), _, download="trade-figures.csv")
