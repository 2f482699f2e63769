"""Overview: one map of the CKU railway, the Trans-Caspian corridor and the summit cities."""

import streamlit as st

from dashboard import explorer, language, store, urlstate, widgets

_ = language.translator()
data = store.dataset()
link = urlstate.read_link(data, _)

st.title(_("China–Central Asia corridors"))
st.caption(_(
    "The China–Kyrgyzstan–Uzbekistan railway, the Trans-Caspian (Middle) corridor and the "
    "cities of the China–Central Asia summits. Switch layers in the map's layer control; "
    "click a city to read its story."
))
widgets.show_problems(data, _)
explorer.city_explorer(data, link, map_key="overview_map", with_uploads=True, compact=False)
