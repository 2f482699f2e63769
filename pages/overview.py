"""Overview: one map of the CKU railway, the Trans-Caspian corridor and the summit cities."""

import streamlit as st

from dashboard import ui

ui.run_through_app()
data = ui.corridor_data()

st.title("China–Central Asia corridors")
st.caption(
    "The China–Kyrgyzstan–Uzbekistan railway, the Trans-Caspian (Middle) corridor and the "
    "cities of the China–Central Asia summits. Switch layers in the map's layer control; "
    "click a city to read its story."
)
ui.show_problems(data.problems)
ui.city_explorer(data, map_key="overview_map", with_user_layers=True)
