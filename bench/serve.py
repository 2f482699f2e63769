"""`streamlit run` for the bench: the same server, and each script run's time on stderr.

    python -m bench.serve run app.py --server.port 8502

The dashboard (app.py) is warmed up first, as `dashboard.launch` starts it for visitors; the
baseline starts as tutorials start it, with plain `streamlit run`.

Every script run (a page load, a click, a widget change) logs one line
`bench: script run <wall> ms wall, <cpu> ms cpu` to the server's log, which
bench/run.py reads: the server's own time, without the network or the browser.
"""

import re
import sys
import time

from streamlit.runtime.scriptrunner import script_runner
from streamlit.web import cli

from dashboard import launch

SCRIPT_RUN_LINE = "bench: script run {wall:.2f} ms wall, {cpu:.2f} ms cpu"
SCRIPT_RUN_PATTERN = re.compile(r"bench: script run ([\d.]+) ms wall, ([\d.]+) ms cpu")
_run_script = script_runner.ScriptRunner._run_script


def _timed_run_script(self, *args, **kwargs):
    wall, cpu = time.perf_counter(), time.thread_time()
    try:
        return _run_script(self, *args, **kwargs)
    finally:
        print(SCRIPT_RUN_LINE.format(wall=(time.perf_counter() - wall) * 1000, cpu=(time.thread_time() - cpu) * 1000),
              file=sys.stderr, flush=True)


def time_script_runs() -> None:
    """Log every script run's wall and CPU time from now on."""
    script_runner.ScriptRunner._run_script = _timed_run_script


if __name__ == "__main__":
    if "app.py" in sys.argv:
        print(f"Warming up: every page ran once in {launch.warm_up():.1f} s.", file=sys.stderr, flush=True)
    time_script_runs()  # after the warm-up: its runs are not the server's
    sys.exit(cli.main(prog_name="streamlit"))
