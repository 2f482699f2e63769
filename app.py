"""Silk Road corridors dashboard: page config, navigation and the shared sidebar."""

import streamlit as st

from dashboard import ui

st.set_page_config(page_title="Silk Road corridors", page_icon="🚆", layout="wide")

page = st.navigation(
    [st.Page("pages/overview.py", title="Overview", icon=":material/map:", default=True)]
)

with st.sidebar:
    st.header("Silk Road corridors")
    st.caption(
        "Data: `geodata/` in the repository, each figure with its source "
        "(`geodata/SOURCES.md`). Borders: Natural Earth."
    )

page.run()
