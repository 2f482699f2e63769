"""Sharing a view: the "Copy link" button beside each map. The page's URL already says what the
visitor chose (dashboard/urlstate.py); the button copies it to the clipboard in the browser and
says so. Where the browser refuses the clipboard (a page served over plain http to another
machine), the link is shown selected, to copy by hand."""

from __future__ import annotations

import html
import json

import streamlit as st

from dashboard.i18n import Translator

# runs in the page (st.html): the button is the element just before the script
_COPY_SCRIPT = """<div class="copy-link" data-testid="copy-link">
<button type="button" class="copy-link-button">%(label)s</button>
<span class="copy-link-status" role="status" aria-live="polite"></span>
<input class="copy-link-url" type="text" readonly hidden aria-label="%(label)s">
</div>
<script>(() => {
  const texts = %(texts)s;
  const boxes = document.querySelectorAll('[data-testid="copy-link"]');
  const box = boxes[boxes.length - 1];
  if (!box || box.dataset.ready) { return; }
  box.dataset.ready = "1";
  const button = box.querySelector("button"), status = box.querySelector(".copy-link-status"),
        field = box.querySelector("input");
  button.addEventListener("click", async () => {
    const link = window.location.href;
    try {
      await navigator.clipboard.writeText(link);
      field.hidden = true;
      status.textContent = texts.copied;
    } catch (error) {
      field.value = link;
      field.hidden = false;
      field.select();
      status.textContent = texts.manual;
    }
    clearTimeout(box.timer);
    box.timer = setTimeout(() => { status.textContent = ""; }, 4000);
  });
})();</script>
<style>
.copy-link {display: flex; gap: .6rem; align-items: center; flex-wrap: wrap; font-size: .875rem;}
.copy-link-button {border: 1px solid rgba(49, 51, 63, .25); border-radius: .5rem; background: transparent;
  padding: .25rem .75rem; cursor: pointer; font: inherit;}
.copy-link-button:hover {border-color: #b03a2e; color: #b03a2e;}
.copy-link-status {color: #1e8449;}
.copy-link-url {flex: 1 1 20rem; font: inherit;}
</style>"""


def copy_link_button(_: Translator) -> None:
    """A "Copy link" button: the page's link, with the view chosen, to the clipboard."""
    texts = {"copied": _("Link copied: it opens this view."),
             "manual": _("Your browser did not allow copying: the link is selected, copy it with Ctrl+C.")}
    st.html(_COPY_SCRIPT % {"label": html.escape(_("Copy link")),
                            "texts": json.dumps(texts).replace("</", "<\\/")},
            unsafe_allow_javascript=True)
