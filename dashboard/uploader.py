"""The visitor's own layers: the uploader on the data page, and the layers kept for this
session only (dashboard/uploads.py reads each file in a confined process).

A session keeps at most limits.MAX_SESSION_LAYERS layers and MAX_SESSION_UPLOAD_BYTES of
uploaded files; each layer can be removed. Nothing of an upload is cached where another
session can reach it: the layers, like the map that draws them (dashboard/pagemap.py), are
in a session-scoped resource cache, which Streamlit empties as soon as the visitor's
connection closes, so their memory goes then (no full garbage collection needed).
"""

from __future__ import annotations

import streamlit as st

from dashboard import limits
from dashboard.catalog import Catalog
from dashboard.dataset import Dataset
from dashboard.i18n import Translator
from dashboard.maps import build_map
from dashboard.mapwidget import render_map
from dashboard.text import literal
from dashboard.upload_messages import FORMATS
from dashboard.uploads import UploadError, UserLayer, read_upload

OUTCOME_KEY = "_upload_outcome"  # ("error" | "success", text) for the run after an upload
WIDGET_KEY = "_upload_widget"  # a counter: a new key empties the uploader once its file is read


@st.cache_resource(scope="session", max_entries=1, show_spinner=False)
def _session_layers() -> dict[str, UserLayer]:
    """This session's layers by name: a dict of its own, emptied when its connection closes."""
    return {}


def session_layers() -> list[UserLayer]:
    """The layers uploaded in this session (never stored on the server's disk)."""
    return list(_session_layers().values())


def layer_uploader(data: Dataset, _: Translator) -> None:
    """Upload a layer for this session (it is drawn on the overview map), and the list of
    this session's layers, each with a remove button."""
    st.file_uploader(
        _("Add your own layer ({formats}, up to {mb} MB)", formats=_(FORMATS), mb=limits.MAX_FILE_BYTES // limits.MB),
        key=f"upload-{st.session_state.get(WIDGET_KEY, 0)}",
        on_change=_read_uploaded_layer, args=(data, _),
    )
    outcome = st.session_state.pop(OUTCOME_KEY, None)
    if outcome:
        kind, text = outcome
        (st.error if kind == "error" else st.success)(text)
    for layer in session_layers():
        text, remove = st.columns([5, 1], vertical_alignment="center")
        shown = _.ngettext("{name}: {n} feature, shown on the Overview map.",
                           "{name}: {n} features, shown on the Overview map.", len(layer.frame),
                           name=literal(layer.name, limit=None))
        text.caption(" ".join([shown, *(note.text(_) for note in layer.notes)]))
        remove.button(_("Remove"), key=f"remove-{layer.digest}-{layer.name}", on_click=_remove, args=(layer.name,),
                      help=_("Take this layer off the map and out of this session"))


def _read_uploaded_layer(data: Dataset, _: Translator) -> None:
    key = f"upload-{st.session_state.get(WIDGET_KEY, 0)}"
    upload = st.session_state.get(key)
    if upload is None:
        return
    name = upload.name
    try:
        layer = _checked_layer(data, name, upload.getvalue(), _)
    except UploadError as err:
        st.session_state[OUTCOME_KEY] = ("error", f"{literal(name, limit=None)}: {err.text(_)}")
    else:
        _session_layers()[layer.name] = layer
        st.session_state[OUTCOME_KEY] = ("success", _("{name} was added to the Overview map.",
                                                      name=literal(layer.name, limit=None)))
    # a new uploader: Streamlit drops the old one's file, so the bytes are not kept twice
    st.session_state[WIDGET_KEY] = st.session_state.get(WIDGET_KEY, 0) + 1


def _checked_layer(data: Dataset, name: str, content: bytes, _: Translator) -> UserLayer:
    """The upload read, within this session's limits, and checked to draw on a map."""
    kept = {n: layer for n, layer in _session_layers().items() if n != name}
    if len(kept) >= limits.MAX_SESSION_LAYERS:
        raise UploadError(_.ngettext("This session already holds {n} layer, the most it keeps; remove it first.",
                                     "This session already holds {n} layers, the most it keeps; remove one first.",
                                     len(kept)))
    if sum(layer.size for layer in kept.values()) + len(content) > limits.MAX_SESSION_UPLOAD_BYTES:
        raise UploadError(_("Your layers would be over {mb} MB in all, the most a session keeps; remove one first.",
                            mb=limits.MAX_SESSION_UPLOAD_BYTES // limits.MB))
    with st.spinner(_("Reading your layer…")):
        layer = read_upload(name, content)
        try:  # a map that carries it is drawn now, so that it can never break a page later
            size = render_map(build_map(data.catalog, {}, user_layers=[(layer.name, layer.frame)])).size
        except Exception:  # any failure means the same to the visitor: it cannot be drawn
            raise UploadError(_("This layer cannot be drawn on the map.")) from None
    if size - data.computed(_map_size, data.catalog) > limits.MAX_UPLOAD_MAP_BYTES:
        raise UploadError(_("This layer would be over {mb} MB on the map; try a smaller or simpler file.",
                            mb=limits.MAX_UPLOAD_MAP_BYTES // limits.MB))
    return layer


def _map_size(catalog: Catalog) -> int:
    """Bytes of the map with no layer: what a visitor's layer adds is the rest."""
    return render_map(build_map(catalog, {})).size


def _remove(name: str) -> None:
    _session_layers().pop(name, None)
