"""The data: the layer catalog, downloads, the sources, and your own layer."""

import streamlit as st

from dashboard import reports, ui
from dashboard.catalog import GEODATA_DIR

ui.run_through_app()
data = ui.corridor_data()

st.title("The data")
st.caption(
    "Every layer is a GeoJSON file in the repository's geodata/ folder, described by its catalog. "
    "Downloads carry the full geometry and every property."
)
ui.show_problems(data.problems)

st.subheader("Layers")
st.dataframe(reports.catalog_table(data.catalog, data.layers.frames), hide_index=True,
             column_config={"source": st.column_config.TextColumn(width="large")})

st.subheader("Downloads")
for spec in data.catalog.layers:
    frame = data.layers.frames.get(spec.id)
    if frame is not None:
        st.markdown(f"**{spec.title}** · {len(frame)} features")
        ui.layer_downloads(spec, frame)

st.subheader("Your own layer")
ui.layer_uploader()

st.subheader("Sources")
with st.expander("geodata/SOURCES.md", expanded=False):
    st.markdown((GEODATA_DIR / "SOURCES.md").read_text(encoding="utf-8"))
