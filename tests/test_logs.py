"""The server's log (dashboard/logs.py): one line per event, each naming its replica."""

from __future__ import annotations

import subprocess
import sys

from helpers import ROOT

SCRIPT = """
import logging
from dashboard import logs
logs.configure()
log = logging.getLogger("dashboard.test")
log.info("two\\nlines")
try:
    raise ValueError("broken\\nvalue")
except ValueError:
    log.exception("a page failed")
from streamlit.logger import get_logger
get_logger("streamlit.test").warning("from Streamlit")
"""


def test_every_event_is_one_line_that_names_the_replica():
    run = subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, capture_output=True, text=True, timeout=60,
                         env={"PATH": "/usr/bin:/bin", "SILKROAD_REPLICA": "app9 <x>"})
    lines = run.stderr.splitlines()
    assert len(lines) == 3, run.stderr
    assert all(" app9__x_ " in line for line in lines)  # the name made safe for a log line
    assert lines[0].endswith("INFO dashboard.test: two ⏎ lines")
    assert "ERROR dashboard.test: a page failed ⏎ Traceback" in lines[1] and "ValueError: broken ⏎ value" in lines[1]
    assert lines[2].endswith("WARNING streamlit.test: from Streamlit")
