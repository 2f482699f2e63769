"""Start the dashboard warm: `streamlit run`, once every page has run in this process.

    python -m dashboard.launch run app.py [streamlit's own options]

The first visitor after a plain start waits for geopandas, pyproj and shapely to be imported,
the layers to be read and validated and the maps to be drawn: about 1.4 s of server time
before the page's first element. Here each page first runs once through Streamlit's own
AppTest, which fills the same process-wide caches (the dataset, the computed tables, the
rendered maps) the server then uses; only then does the server start listening, so
`/_stcore/health` answers only when a visitor gets a warm page. `make run`, the tests and the
bench start the app this way; so should any deployment.
"""

from __future__ import annotations

import logging
import os
import sys
import time
from pathlib import Path

from dashboard import logs

ROOT = Path(__file__).resolve().parent.parent
PAGES = ("overview", "railway", "corridor", "cities", "routes", "trade", "data")
# the pages to warm, if not all (comma-separated): a replica in a test that visits two of them
WARM_PAGES_VARIABLE = "DASHBOARD_WARM_PAGES"

log = logging.getLogger(__name__)


def warm_up(pages: tuple[str, ...] = PAGES) -> float:
    """Run each page once in this process (no browser, no server); the seconds it took."""
    from streamlit.testing.v1 import AppTest

    start = time.perf_counter()
    for page in pages:
        app = AppTest.from_file(str(ROOT / "pages" / f"{page}.py"), default_timeout=120).run()
        if app.exception:  # the server will show the same error to visitors; say it now
            log.error("warming up: pages/%s.py raised %s", page, app.exception[0].message)
    return time.perf_counter() - start


def _quiet(record: logging.LogRecord) -> bool:
    return False


def pages_to_warm() -> tuple[str, ...]:
    """The pages `DASHBOARD_WARM_PAGES` names (unknown names are left out), else every page."""
    named = [name.strip() for name in os.environ.get(WARM_PAGES_VARIABLE, "").split(",") if name.strip()]
    unknown = sorted(set(named) - set(PAGES))
    if unknown:
        log.warning("%s: no such page %s", WARM_PAGES_VARIABLE, ", ".join(unknown))
    return tuple(page for page in PAGES if page in named) or PAGES


def main() -> None:
    logs.configure()
    # AppTest runs the pages outside a server, which Streamlit warns of, once per page
    bare_mode = logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context")
    bare_mode.addFilter(_quiet)
    pages = pages_to_warm()
    log.info("warmed up: %s ran once in %.1f s", "every page" if pages == PAGES else ", ".join(pages), warm_up(pages))
    bare_mode.removeFilter(_quiet)
    from streamlit.web import cli

    sys.exit(cli.main(prog_name="streamlit"))


if __name__ == "__main__":
    main()
