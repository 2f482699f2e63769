"""`streamlit run` with a memory report on demand: how the soak's findings were made.

    python -m bench.memwatch run app.py --server.port 8502 &
    kill -USR1 <server pid>      # after a crowd has left (and one new visitor came)

Each signal logs to the server's log, before and after a full collection: the resident
memory, Python's allocated blocks, the `AppSession` objects still alive, the threads by
name, the object types that grew since the last report, and the resident memory after
glibc's `malloc_trim` (what the allocator held but Python had freed). A growing session
count or block count across crowds is a leak; memory that only `malloc_trim` gives back is
the allocator's. The report walks every object: it stalls the server for a moment.
"""

from __future__ import annotations

import collections
import ctypes
import gc
import signal
import sys
import threading

import psutil
from streamlit.runtime.app_session import AppSession
from streamlit.web import cli

_last_counts: collections.Counter = collections.Counter()


def _rss_mb() -> float:
    return psutil.Process().memory_info().rss / 2**20


def log_memory(*_signal) -> None:
    """One report, as described above."""
    global _last_counts
    rss, blocks = _rss_mb(), sys.getallocatedblocks()
    freed = gc.collect()
    objects = gc.get_objects()
    sessions = sum(isinstance(o, AppSession) for o in objects)
    counts = collections.Counter(type(o).__qualname__ for o in objects)
    grown = (counts - _last_counts).most_common(8) if _last_counts else []
    _last_counts = counts
    del objects
    threads = collections.Counter(t.name.rstrip("0123456789_-") for t in threading.enumerate())
    collected_rss, collected_blocks = _rss_mb(), sys.getallocatedblocks()
    ctypes.CDLL("libc.so.6").malloc_trim(0)
    print(f"memwatch: rss {rss:.1f} MB, {blocks} blocks; gc freed {freed}: rss {collected_rss:.1f} MB, "
          f"{collected_blocks} blocks, {sessions} sessions; after malloc_trim rss {_rss_mb():.1f} MB; "
          f"threads {dict(threads)}; grown {grown}", file=sys.stderr, flush=True)


if __name__ == "__main__":
    from bench import serve

    signal.signal(signal.SIGUSR1, log_memory)
    serve.time_script_runs()
    sys.exit(cli.main(prog_name="streamlit"))
