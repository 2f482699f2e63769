"""Page widgets: problem notices, tables, charts, the years slider, the distance tool and the
downloads. Each takes what it shows from the dataset or dashboard/reports.py."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
import streamlit as st

from dashboard import analysis, exports
from dashboard.catalog import LayerSpec
from dashboard.catalog_text import catalog_in
from dashboard.data_text import names_in
from dashboard.dataset import Dataset
from dashboard.i18n import DEFAULT, N_, Translator
from dashboard.links import LinkState
from dashboard.urlstate import show_in_url

YEARS_KEY = "years"
TRANSLATED_NOTE = N_("Translated from English by this project; the sources are in their own languages.")


# the titles of the columns of dashboard/reports.py's tables
COLUMN_TITLES = {
    "layer": N_("layer"), "description": N_("description"), "file": N_("file"),
    "features": N_("features"), "geometry": N_("geometry"),
    "source": N_("source"), "last checked": N_("last checked"), "date": N_("date"), "when": N_("when"),
    "event": N_("event"), "details": N_("details"), "figure": N_("figure"), "value": N_("value"),
    "scope": N_("scope"), "as of": N_("as of"), "as_of": N_("as of"), "note": N_("note"), "from": N_("from"),
    "to": N_("to"), "mode": N_("mode"), "route": N_("route"), "status": N_("status"),
    "countries": N_("countries"), "published_transit": N_("published transit time"), "country": N_("country"),
    "km": N_("km (computed)"), "year": N_("year"), "million_tonnes": N_("million tonnes"), "teu": N_("TEU"),
    "days": N_("days"), "city": N_("city"), "roles": N_("roles"), "events": N_("events"), "place": N_("place"),
    "kind": N_("kind"), "whole line": N_("whole line"), "parts": N_("parts"), "China": N_("China"),
    "Kyrgyzstan": N_("Kyrgyzstan"), "Uzbekistan": N_("Uzbekistan"),
    "this_trip": N_("this trip"), "published_km": N_("km (published)"), "usd_per_feu": N_("US$ per FEU"),
    "cost_date": N_("price as of"), "estimate": N_("estimate"), "scenario_days": N_("days (scenario)"),
    "reporter": N_("reported by"), "period": N_("period"), "legs": N_("legs"), "outcome": N_("outcome"),
    "summit": N_("summit"), "amount": N_("amount"), "concerns": N_("on the map"),
    "china_estimate": N_("estimate"),
}
# how some columns are shown: (title, kind, options)
COLUMN_FORMATS = {
    "computed_km": (N_("km (computed)"), "number", {"format": "%.0f"}),
    "km_computed": (N_("km (computed)"), "number", {"format": "%.0f"}),
    "km_published": (N_("km (published)"), "number", {"format": "%.0f"}),
    "km_from_kashgar": (N_("km from Kashgar (computed)"), "number", {"format": "%.0f"}),
    "gauge_mm": (N_("gauge (mm)"), "number", {"format": "%d"}),
    "link": (N_("link"), "link", {"display_text": N_("source ↗")}),
    "published": (N_("published figures (source)"), "text", {"width": "large"}),
    "position": (N_("where the point comes from"), "text", {"width": "large"}),
    "details": (N_("details"), "text", {"width": "large"}),
    "rail_km": (N_("by rail, km (computed)"), "number", {"format": "%.0f"}),
    "sea_km": (N_("by sea, km (computed)"), "number", {"format": "%.0f"}),
    "scenario_km": (N_("km (scenario)"), "number", {"format": "%.0f"}),
    "published_nm": (N_("nautical miles (published)"), "number", {"format": "%.0f"}),
    "usd_bn": (N_("US$ bn"), "number", {"format": "%.2f"}),
    "china_usd_bn": (N_("China Customs, US$ bn"), "number", {"format": "%.2f"}),
    "partner_usd_bn": (N_("partner's own figure, US$ bn"), "number", {"format": "%.2f"}),
    "gap_usd_bn": (N_("gap, US$ bn"), "number", {"format": "%.2f"}),
    "growth_pct": (N_("growth on the year before, % (computed)"), "number", {"format": "%.1f"}),
    "china_source": (N_("source of China's figure"), "text", {}),
    "china_link": (N_("link"), "link", {"display_text": N_("source ↗")}),
    "partner_source": (N_("source of the partner's figure"), "text", {}),
    "partner_link": (N_("link"), "link", {"display_text": N_("source ↗")}),
    "description": (N_("description"), "text", {"width": "large"}),
}


def column_config(_: Translator, names) -> dict:
    """Streamlit column settings for these columns, titled in the translator's language."""
    config = {}
    for name in names:
        if name in COLUMN_FORMATS:
            title, kind, options = COLUMN_FORMATS[name]
            options = {key: _(value) if key == "display_text" else value for key, value in options.items()}
            make = {"number": st.column_config.NumberColumn, "link": st.column_config.LinkColumn,
                    "text": st.column_config.TextColumn}[kind]
            config[name] = make(_(title), **options)
        elif name in COLUMN_TITLES:
            config[name] = st.column_config.Column(_(COLUMN_TITLES[name]))
    return config


def show_problems(data: Dataset, _: Translator) -> None:
    """One warning per problem found in the layer files, in the visitor's language (what is
    wrong, the detail, is in English: it is for whoever keeps the data)."""
    titles = {spec.id: spec.title for spec in data.computed(catalog_in, data.catalog, _.lang).layers}
    for problem in data.problems:
        if problem.kind == "layer":
            text = _("Layer file `{file}`: {detail}. The layer “{layer}” is not shown.", file=problem.file,
                     detail=problem.detail, layer=titles.get(problem.layer, problem.layer))
        elif problem.kind == "more":
            text = _.ngettext("Layer file `{file}`: {n} more feature has a problem and is left out.",
                              "Layer file `{file}`: {n} more features have problems and are left out.",
                              problem.count, file=problem.file)
        elif problem.kind == "record":
            text = _("Facts file `{file}`: {detail}; the figure is left out.", file=problem.file, detail=problem.detail)
        else:
            text = _("Layer file `{file}`: {detail}; it is left out.", file=problem.file, detail=problem.detail)
        st.warning(text, icon="⚠️")


def table(frame: pd.DataFrame | pa.Table, _: Translator, download: str | None = None, **columns) -> None:
    """A table with the dashboard's column titles and formats (and any others given; None hides a
    column); with a CSV download of it named `download` (its shown columns, formulas neutralised)."""
    names = frame.column_names if isinstance(frame, pa.Table) else list(frame.columns)
    st.dataframe(frame, hide_index=True, column_config={**column_config(_, names), **columns})
    if download:
        shown = [name for name in names if columns.get(name, True) is not None]
        st.download_button(_("Download the table (CSV)"), lambda: exports.table_csv(frame, shown), download,
                           "text/csv", key=f"dl-table-{download}", on_click="ignore", icon=":material/download:")


def chosen_row(frame: pd.DataFrame | pa.Table, _: Translator, key: str, **columns) -> int | None:
    """A table whose rows can be chosen (one at a time): the chosen row's index, if any."""
    names = frame.column_names if isinstance(frame, pa.Table) else list(frame.columns)
    event = st.dataframe(frame, hide_index=True, column_config={**column_config(_, names), **columns}, key=key,
                         on_select="rerun", selection_mode="single-row")
    rows = event.selection.rows if event is not None else []
    return rows[0] if rows else None


def timeline(events: pd.DataFrame | pa.Table, _: Translator) -> None:
    """A dated list of events with their sources."""
    if not len(events):
        st.info(_("No events in this range."))
        return
    events = events.to_pandas() if isinstance(events, pa.Table) else events.copy()
    events["when"] = [_.date(day) for day in events["date"]]
    st.dataframe(events, hide_index=True, column_config=column_config(_, ["when", "event", "details", "source", "link"]),
                 column_order=["when", "event", "details", "source", "link"])
    if _.lang != DEFAULT:
        st.caption(_(TRANSLATED_NOTE))


def bar_chart(frame: pd.DataFrame | pa.Table, category: str, value: str, value_title: str, horizontal: bool = False) -> None:
    """Bars of `value` by `category`, in the frame's order. A Vega-Lite spec of our own: Streamlit's
    st.bar_chart builds and validates an Altair chart on every rerun (~20 ms each)."""
    by, along = ("y", "x") if horizontal else ("x", "y")
    spec = {"mark": {"type": "bar", "tooltip": True}, "encoding": {
        by: {"field": category, "type": "nominal", "sort": None, "title": None,
             "axis": {"labelLimit": 300, **({} if horizontal else {"labelAngle": 0})}},
        along: {"field": value, "type": "quantitative", "title": value_title}}}
    st.vega_lite_chart(frame, spec, width="stretch")


def transit_chart(transit: pd.DataFrame | pa.Table, _: Translator) -> None:
    """Published transit times as ranges (days), one bar per source's figure."""
    spec = {"mark": {"type": "bar", "height": 14}, "encoding": {
        "x": {"field": "days_min", "type": "quantitative", "title": _("days"), "scale": {"zero": True}},
        "x2": {"field": "days_max"},
        "y": {"field": "route", "type": "nominal", "title": None, "sort": None, "axis": {"labelLimit": 420}},
        "tooltip": [{"field": f} for f in ("route", "days", "as_of", "source")]}}
    st.vega_lite_chart(transit, spec, width="stretch")


def year_range_slider(link: LinkState, bounds: tuple[int, int] | None, _: Translator) -> tuple[int, int] | None:
    """The years filter, starting from the link's `years=` if any; the URL follows it.
    With no dated event there is nothing to filter (None); with one year, nothing to slide."""
    if bounds is None or bounds[0] == bounds[1]:
        st.caption(_("No city has a dated event.") if bounds is None else _("Every event is in {year}.", year=bounds[0]))
        return bounds
    if YEARS_KEY not in st.session_state:
        st.session_state[YEARS_KEY] = link.years or bounds
    years = st.slider(_("Years"), bounds[0], bounds[1], key=YEARS_KEY)
    show_in_url(years=None if tuple(years) == tuple(bounds) else f"{years[0]}-{years[1]}")
    return years


def city_distance_tool(data: Dataset, _: Translator) -> None:
    """Two city pickers and the geodesic distance between them."""
    cities = data.cities
    if cities is None or len(cities) < 2:
        return
    names = dict(zip(cities["id"], names_in(cities, _.lang)))
    first, second, result = st.columns([2, 2, 1])
    a = first.selectbox(_("From"), list(names), format_func=names.get, index=0, key="distance_from")
    b = second.selectbox(_("To"), list(names), format_func=names.get, index=1, key="distance_to")
    points = cities.set_index("id").geometry
    result.metric(_("Distance"), _.km(analysis.distance_km(points[a], points[b])),
                  help=_("Geodesic (great-circle on the WGS84 ellipsoid), not a route length"))


def layer_downloads(spec: LayerSpec, frame) -> None:
    """Download buttons for one layer: GeoJSON, CSV and KML, each made when clicked."""
    stem = spec.file.rsplit(".", 1)[0]
    formats = (("GeoJSON", lambda: exports.to_geojson(frame), "geojson", "application/geo+json"),
               ("CSV", lambda: exports.to_csv(frame), "csv", "text/csv"),
               ("KML", lambda: exports.to_kml(frame, spec.id), "kml", "application/vnd.google-earth.kml+xml"))
    for column, (label, make, extension, mime) in zip(st.columns(3), formats):
        column.download_button(label, make, f"{stem}.{extension}", mime, key=f"dl-{extension}-{spec.id}",
                               on_click="ignore")
