"""A cold deep link (/railway as a fresh server's first request) must run inside app.py.

Streamlit 1.67 starts every server in its legacy "pages/ folder" mode when the entry script
has a `pages/` folder beside it: `PagesManager.__init__` sets the class attribute
`PagesManager.uses_pages_directory` (streamlit/runtime/pages_manager.py), and while it is
true `ScriptRunner._run_script` runs `_mpa_v1` (streamlit/runtime/scriptrunner/
script_runner.py), which resolves the URL against the files in `pages/` and runs that page
alone: no page config, no shared sidebar, file names as navigation. Only `st.navigation`
(called by app.py) clears the flag, and app.py does not run first on a deep link.

`leave_legacy_pages_mode()` clears the flag and reruns, which runs app.py and resolves the
same page. dashboard/store.py calls it when it is imported, which every page does first;
tests/test_browser.py (`test_a_cold_deep_link_runs_inside_the_app`) checks it.
"""

from __future__ import annotations

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager


def leave_legacy_pages_mode() -> None:
    """If this script runs in Streamlit's legacy pages/-folder mode, leave it and rerun."""
    if PagesManager.uses_pages_directory and st.runtime.exists():
        PagesManager.uses_pages_directory = False
        st.rerun()
