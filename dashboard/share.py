"""Taking a view away: the buttons under each map.

- "Download this map (HTML)": one file that opens offline at the view the visitor left the map
  at (dashboard/map_export.py), made on the server when the button is clicked.
- "Download this map (PNG)": an image of the map as shown, legend and attribution included, made
  in the browser by html-to-image (MIT, vendored in static/plugins/), at least 1600 px wide.
- "Copy link": the page's URL, which says what the visitor chose (dashboard/urlstate.py), to the
  clipboard. Where the browser refuses the clipboard (a page served over plain http to another
  machine), the link is shown selected, to copy by hand.
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable

import streamlit as st

from dashboard.i18n import Translator

PNG_MIN_WIDTH = 1600  # pixels
HTML_TO_IMAGE = "plugins/html-to-image-1.11.13/html-to-image.js"  # under static/, like the map's bundle
# which of the map's controls the image keeps: the legend, the attribution, the scale and a saved
# view's details; not the buttons, the layer switch or the pointer's coordinates
PNG_DROPPED = (".leaflet-control-zoom", ".leaflet-control-layers", ".leaflet-control-fullscreen",
               ".leaflet-control-measure", ".leaflet-control-mouseposition", ".leaflet-control-minimap")

# runs in the page (st.html): the buttons are the elements just before the script; the map is
# the last map frame before them (same origin: its Leaflet map is window.map there)
_ACTIONS = """<div class="map-actions" data-testid="map-actions">
<button type="button" class="map-action map-png">%(png)s</button>
<button type="button" class="map-action copy-link-button">%(copy)s</button>
<span class="map-action-status" role="status" aria-live="polite"></span>
<input class="copy-link-url" type="text" readonly hidden aria-label="%(copy)s">
</div>
<script>(() => {
  const texts = %(texts)s;
  const boxes = document.querySelectorAll('[data-testid="map-actions"]');
  const box = boxes[boxes.length - 1];
  if (!box || box.dataset.ready) { return; }
  box.dataset.ready = "1";
  const status = box.querySelector(".map-action-status"), field = box.querySelector("input");
  function say(text) {
    status.textContent = text;
    clearTimeout(box.timer);
    box.timer = setTimeout(() => { status.textContent = ""; }, 4000);
  }
  box.querySelector(".copy-link-button").addEventListener("click", async () => {
    const link = window.location.href;
    try {
      await navigator.clipboard.writeText(link);
      field.hidden = true;
      say(texts.copied);
    } catch (error) {
      field.value = link;
      field.hidden = false;
      field.select();
      say(texts.manual);
    }
  });
  function mapFrame() {
    const frames = [...document.querySelectorAll('iframe[title="streamlit_folium.st_folium"]')];
    return frames.filter((f) => f.compareDocumentPosition(box) & Node.DOCUMENT_POSITION_FOLLOWING).pop();
  }
  // the map tells the app where the visitor moved it only when asked (url_sync.js): as the
  // visitor comes to these buttons, so that the HTML file made on the click opens there
  // (the buttons' row may be drawn after this script runs: it is looked for at each event)
  let inRow = false;
  function comes(event) {
    if (!box.isConnected) {  // the page moved on: this row is gone
      document.removeEventListener("pointerover", comes);
      document.removeEventListener("focusin", comes);
      return;
    }
    const row = box.closest('[data-testid="stHorizontalBlock"]') || box;
    const now = row.contains(event.target);
    if (now && !inRow) {
      const frame = mapFrame(), win = frame && frame.contentWindow;
      if (win && win.silkroadReportView) { win.silkroadReportView(); }
    }
    inRow = now;
  }
  document.addEventListener("pointerover", comes);
  document.addEventListener("focusin", comes);
  function loadLibrary(win) {  // into the map's frame, where the nodes and their styles are
    if (win.htmlToImage) { return Promise.resolve(win.htmlToImage); }
    const bundle = win.document.querySelector('script[src*="/bundle/map.js"]');
    const script = win.document.createElement("script");
    script.src = new URL("../" + texts.library, bundle.src).href;
    return new Promise((resolve, reject) => {
      script.onload = () => resolve(win.htmlToImage);
      script.onerror = reject;
      win.document.head.appendChild(script);
    });
  }
  const pngButton = box.querySelector(".map-png");
  pngButton.addEventListener("click", async () => {
    const frame = mapFrame(), win = frame && frame.contentWindow;
    if (!win || !win.map) { say(texts.noMap); return; }
    pngButton.disabled = true;
    say(texts.making);
    const node = win.map.getContainer(), legend = node.querySelector(".map-legend details");
    const folded = legend && !legend.open;
    if (folded) { legend.open = true; }  // the image shows the legend
    try {
      const library = await loadLibrary(win);
      const blob = await library.toBlob(node, {
        pixelRatio: Math.max(2, texts.width / node.clientWidth), skipFonts: true, backgroundColor: "#dce9f2",
        filter: (n) => !(n.matches && texts.dropped.some((selector) => n.matches(selector))),
      });
      const link = document.createElement("a");
      link.href = URL.createObjectURL(blob);
      link.download = texts.file;
      document.body.appendChild(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(link.href), 10000);
      say(texts.saved);
    } catch (error) {
      say(texts.failed);
    } finally {
      if (folded) { legend.open = false; }
      pngButton.disabled = false;
    }
  });
})();</script>
<style>
.map-actions {display: flex; gap: .6rem; align-items: center; flex-wrap: wrap; font-size: .875rem;}
.map-action {border: 1px solid rgba(49, 51, 63, .25); border-radius: .5rem; background: transparent;
  padding: .25rem .75rem; cursor: pointer; font: inherit; color: inherit;}
.map-action:hover {border-color: #b03a2e; color: #b03a2e;}
.map-action:disabled {opacity: .6; cursor: progress;}
.map-action-status {color: #1e8449;}
.copy-link-url {flex: 1 1 20rem; font: inherit;}
</style>"""


def map_actions(_: Translator, map_file: Callable[[], str], file_stem: str) -> None:
    """The buttons under a map: its HTML file (`map_file` makes it when clicked), its image and
    its link; the files named `<file_stem>.html` and `.png`."""
    with st.container(horizontal=True, gap="small", vertical_alignment="center"):
        st.download_button(_("Download this map (HTML)"), data=lambda: map_file().encode("utf-8"),
                           file_name=f"{file_stem}.html", mime="text/html", on_click="ignore",
                           help=_("One file that opens in a browser with no internet: this view, "
                                  "the layers shown, the offline base map and the legend."),
                           key=f"{file_stem}-html")
        texts = {"copied": _("Link copied: it opens this view."),
                 "manual": _("Your browser did not allow copying: the link is selected, copy it with Ctrl+C."),
                 "making": _("Making the image…"), "saved": _("Image saved."),
                 "failed": _("The image could not be made in this browser."),
                 "noMap": _("The map is not drawn yet."),
                 "library": HTML_TO_IMAGE, "width": PNG_MIN_WIDTH, "dropped": list(PNG_DROPPED),
                 "file": f"{file_stem}.png"}
        st.html(_ACTIONS % {"png": html.escape(_("Download this map (PNG)")), "copy": html.escape(_("Copy link")),
                            "texts": json.dumps(texts).replace("</", "<\\/")},
                unsafe_allow_javascript=True, width="stretch")
