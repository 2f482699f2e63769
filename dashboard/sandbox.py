"""Confine the current process before it touches a stranger's file (Linux).

Used by the upload reader (dashboard/upload_worker.py) as its first step:

- resource limits: CPU seconds from now (the kernel sends SIGXCPU, then SIGKILL), address space,
  the size of any file written, no core dumps, few open files;
- a seccomp filter (libseccomp, through pyseccomp) that makes `socket()` fail, so no
  library in the process can reach a network, loopback included, whatever a file asks;
  and `execve()` fail, so nothing can start another program;
- the working directory is the upload's own folder, so a relative path in a file names
  nothing of the server's;
- a lower CPU priority (nice 10): a costly file slows itself, not the visitors' pages
  (`make soak` lost browsers to timeouts when readers ran at the server's priority).

Every step is checked; if one cannot be taken the process must not go on (`Unconfined`).
"""

from __future__ import annotations

import errno
import math
import os
import resource
from pathlib import Path

from dashboard import limits

MAX_OPEN_FILES = 64
NICENESS = 10


class Unconfined(RuntimeError):
    """The process could not be confined; it must not read the upload."""


def confine(folder: Path, cpu_s: int = limits.UPLOAD_CPU_S, memory_bytes: int = limits.UPLOAD_MEMORY_BYTES) -> None:
    """Limit this process's CPU, memory, files, network and programs; work in `folder`."""
    os.chdir(folder)
    os.nice(NICENESS)
    used = resource.getrusage(resource.RUSAGE_SELF)
    cpu = math.ceil(used.ru_utime + used.ru_stime) + cpu_s  # the limit counts from the process's start
    for limit, value in (
        (resource.RLIMIT_CPU, (cpu, cpu + 2)),  # SIGXCPU at the soft limit, SIGKILL at the hard one
        (resource.RLIMIT_AS, (memory_bytes, memory_bytes)),
        (resource.RLIMIT_FSIZE, (limits.UPLOAD_DISK_BYTES,) * 2),
        (resource.RLIMIT_CORE, (0, 0)),
        (resource.RLIMIT_NOFILE, (MAX_OPEN_FILES,) * 2),
    ):
        try:
            resource.setrlimit(limit, value)
        except (ValueError, OSError) as err:
            raise Unconfined(f"resource limit {limit}: {err}") from None
    _deny_network_and_programs()


def _deny_network_and_programs() -> None:
    try:
        import pyseccomp as seccomp
    except (ImportError, OSError) as err:  # OSError: libseccomp.so.2 is missing
        raise Unconfined(f"seccomp is not available: {err}") from None
    denied = seccomp.ERRNO(errno.EACCES)
    rules = seccomp.SyscallFilter(defaction=seccomp.ALLOW)
    for call in ("socket", "socketpair", "execve", "execveat"):
        rules.add_rule(denied, call)
    try:
        rules.load()  # also sets no_new_privs: the filter cannot be lifted
    except OSError as err:
        raise Unconfined(f"seccomp filter: {err}") from None
