"""The data store of the Streamlit app: the dataset (dashboard/dataset.py), read once per
process and again when any file under the data folders changes.

Pages start with `data = store.dataset()`. Importing this module also moves a cold deep
link into app.py's navigation (dashboard/legacy_pages.py), before any page draws anything.
"""

from __future__ import annotations

import streamlit as st

from dashboard import language, legacy_pages
from dashboard.catalog import CATALOG_FILE, GEODATA_DIR, CatalogError
from dashboard.dataset import Dataset, data_folders, data_version, load_dataset

legacy_pages.leave_legacy_pages_mode()


def dataset() -> Dataset:
    """The catalog, its validated layers, the facts and the base map's countries, as of the
    files' current version. A broken catalog stops the page with a message."""
    _ = language.translator()
    try:
        with st.spinner(_("Loading the map layers…")):  # shown only if it takes over half a second
            return _load(CATALOG_FILE, data_version(data_folders(CATALOG_FILE)))
    except CatalogError as err:
        st.error(_("The layer catalog cannot be read, so there is no map to show. {problem}", problem=err))
        st.stop()


@st.cache_resource(show_spinner=False, max_entries=1)
def _load(catalog_file, version: tuple) -> Dataset:
    return load_dataset(catalog_file, version)


def facts(data: Dataset, name: str) -> dict:
    """A sourced facts file from geodata/facts/; a broken or missing one shows a warning."""
    if name in data.facts:
        return data.facts[name]
    _ = language.translator()
    problem = data.fact_problems.get(name) or _("facts/{name}.json: the file is missing", name=name)
    st.warning(_("{problem}. The figures that come from it are not shown.", problem=problem), icon="⚠️")
    return {}


def sources_markdown(data: Dataset) -> str:
    """geodata/SOURCES.md: every source and when it was checked (read once per data version)."""
    return data.computed(_read_text, GEODATA_DIR / "SOURCES.md")


def _read_text(path) -> str:
    return path.read_text(encoding="utf-8")
