"""The data: the layer catalog, downloads, the sources, and your own layer."""

import streamlit as st

from dashboard import reports, store, uploader, widgets

data = store.dataset()

st.title("The data")
st.caption(
    "Every layer is a GeoJSON file in the repository's geodata/ folder, described by its catalog. "
    "Downloads carry the full geometry and every property."
)
widgets.show_problems(data.problems)

st.subheader("Layers")
widgets.table(data.table(reports.catalog_table, data.catalog, data.frames),
              source=st.column_config.TextColumn(width="large"))

st.subheader("Downloads")
for spec in data.catalog.layers:
    frame = data.frames.get(spec.id)
    if frame is not None:
        st.markdown(f"**{spec.title}** · {len(frame)} features")
        widgets.layer_downloads(spec, frame)

st.subheader("Your own layer")
uploader.layer_uploader(data)

st.subheader("Sources")
with st.expander("geodata/SOURCES.md", expanded=False):
    st.markdown(store.sources_markdown(data))
