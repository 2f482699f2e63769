"""Silk Road corridors dashboard: page config, navigation and the shared sidebar."""

import streamlit as st

st.set_page_config(page_title="Silk Road corridors", page_icon="🚆", layout="wide")

page = st.navigation([
    st.Page("pages/overview.py", title="Overview", icon=":material/map:", default=True),
    st.Page("pages/railway.py", title="CKU railway", icon=":material/train:", url_path="railway"),
    st.Page("pages/corridor.py", title="Trans-Caspian corridor", icon=":material/directions_boat:",
            url_path="corridor"),
    st.Page("pages/cities.py", title="Summit cities", icon=":material/location_city:", url_path="cities"),
    st.Page("pages/data.py", title="Data", icon=":material/database:", url_path="data"),
])

with st.sidebar:
    st.header("Silk Road corridors")
    st.caption(
        "Data: `geodata/` in the repository, each figure with its source "
        "(`geodata/SOURCES.md`). Borders: Natural Earth."
    )

page.run()
