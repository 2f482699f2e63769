"""The data: the layer catalog, downloads, the sources, and your own layer."""

import streamlit as st

from dashboard import language, reports, store, uploader, widgets
from dashboard.catalog_text import catalog_in

_ = language.translator()
data = store.dataset()

st.title(_("The data"))
st.caption(_(
    "Every layer is a GeoJSON file in the repository's geodata/ folder, described by its catalog. "
    "Downloads carry the full geometry and every property."
))
widgets.show_problems(data, _)

st.subheader(_("Layers"))
widgets.table(data.table(reports.catalog_table, data.catalog, data.frames, _.lang), _,
              source=st.column_config.TextColumn(width="large"))

st.subheader(_("Downloads"))
for spec in data.computed(catalog_in, data.catalog, _.lang).layers:
    frame = data.frames.get(spec.id)
    if frame is not None:
        st.markdown(f"**{spec.title}** · " + _.ngettext("{n} feature", "{n} features", len(frame)))
        widgets.layer_downloads(spec, frame)

st.subheader(_("Your own layer"))
uploader.layer_uploader(data, _)

st.subheader(_("Sources"))
with st.expander("geodata/SOURCES.md", expanded=False):
    st.markdown(store.sources_markdown(data))
