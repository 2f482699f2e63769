"""Silk Road corridors dashboard: page config, navigation and the shared sidebar."""

import streamlit as st

from dashboard import language

_ = language.choose_run_language()
st.set_page_config(page_title=_("Silk Road corridors"), page_icon="🚆", layout="wide")

page = st.navigation([
    st.Page("pages/overview.py", title=_("Overview"), icon=":material/map:", default=True),
    st.Page("pages/railway.py", title=_("CKU railway"), icon=":material/train:", url_path="railway"),
    st.Page("pages/corridor.py", title=_("Trans-Caspian corridor"), icon=":material/directions_boat:",
            url_path="corridor"),
    st.Page("pages/cities.py", title=_("Summit cities"), icon=":material/location_city:", url_path="cities"),
    st.Page("pages/routes.py", title=_("Routes to Europe"), icon=":material/route:", url_path="routes"),
    st.Page("pages/trade.py", title=_("Trade"), icon=":material/bar_chart:", url_path="trade"),
    st.Page("pages/data.py", title=_("Data"), icon=":material/database:", url_path="data"),
])

with st.sidebar:
    st.header(_("Silk Road corridors"))
    st.caption(_("Data: `geodata/` in the repository, each figure with its source (`geodata/SOURCES.md`). "
                 "Borders: Natural Earth."))

try:
    page.run()
finally:  # below the page's own sidebar widgets, and there even when the page stops early
    with st.sidebar:
        language.language_selector()
