"""The Trans-Caspian corridor: its legs by mode, totals, volumes and transit times."""

import streamlit as st

from dashboard import reports, ui

ui.run_through_app()
data = ui.corridor_data()
legs = data.layers.frames.get("corridor_legs")
facts = ui.facts("corridor")

st.title("Trans-Caspian corridor")
st.caption(
    "The Trans-Caspian International Transport Route (Middle Corridor): China – Kazakhstan – "
    "Caspian ferries – Azerbaijan – Georgia – Türkiye. Distances are computed from the traced legs "
    "(geodesic); transit times and volumes are published figures, each with its source."
)
ui.show_problems(data.problems)
if legs is None:
    st.error("The corridor layer could not be read, so this page has nothing to show.")
    st.stop()

by_mode, by_country = reports.corridor_totals(legs, ui.countries())
columns = st.columns(len(by_mode))
for column, (mode, km) in zip(columns, by_mode.items()):
    column.metric(f"{mode.capitalize()} (computed)", f"{km:,.0f} km")

map_column, totals_column = st.columns([3, 2], gap="medium")
with map_column:
    ui.corridor_map(data, key="corridor_map", groups=["corridor"], height=480)
with totals_column:
    st.subheader("Length by country")
    st.bar_chart(by_country, horizontal=True, x_label="km (computed)", y_label="")
    st.caption("Cross-border legs are split at Natural Earth 1:110m borders.")

st.subheader("Legs")
st.dataframe(reports.leg_table(legs), hide_index=True, column_config=ui.COLUMNS)

volumes = reports.volume_series(facts)
if len(volumes):
    st.subheader("Cargo on the route by year")
    st.bar_chart(volumes, x="year", y="million_tonnes", y_label="million tonnes", x_label="")
    st.caption(f"Source: {volumes['source'].iloc[0]}")
    with st.expander("Every published volume figure"):
        st.dataframe(reports.volume_table(facts), hide_index=True, column_config=ui.COLUMNS)

transit = reports.transit_table(facts)
if len(transit):
    st.subheader("Typical transit time")
    ui.transit_chart(transit)
    st.dataframe(transit.drop(columns=["days_min", "days_max"]), hide_index=True, column_config=ui.COLUMNS)
