"""The confinement of the upload reader (dashboard/sandbox.py), checked in a child process:
no socket (loopback included), no program started, CPU and memory bounded, files bounded."""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap

import pytest

from helpers import Listener


def confined(tmp_path, body: str, cpu_s: int = 5, memory_mb: int = 1024) -> subprocess.CompletedProcess:
    script = textwrap.dedent(f"""
        from pathlib import Path
        from dashboard import sandbox
        sandbox.confine(Path({str(tmp_path)!r}), cpu_s={cpu_s}, memory_bytes={memory_mb} * 1024 * 1024)
    """) + textwrap.dedent(body)
    return subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)


@pytest.fixture()
def listener():
    server = Listener()
    yield server
    server.close()


def test_no_socket_can_be_opened_not_even_to_loopback(tmp_path, listener):
    run = confined(tmp_path, f"""
        import urllib.request
        try:
            urllib.request.urlopen({listener.url + "/from-the-reader"!r}, timeout=2)
        except OSError as err:
            print("refused:", err)
    """)
    assert "refused: <urlopen error [Errno 13] Permission denied>" in run.stdout, run.stderr
    assert listener.requests == []


def test_no_program_can_be_started(tmp_path):
    run = confined(tmp_path, """
        import subprocess
        try:
            subprocess.run(["/bin/true"])
        except OSError as err:
            print("refused:", type(err).__name__)
    """)
    assert "refused: PermissionError" in run.stdout, run.stderr


def test_cpu_time_is_bounded(tmp_path):
    run = confined(tmp_path, "while True: pass", cpu_s=1)
    assert run.returncode == -signal.SIGXCPU


def test_memory_is_bounded(tmp_path):
    run = confined(tmp_path, """
        try:
            block = bytearray(900 * 1024 * 1024)
        except MemoryError:
            print("refused")
    """, memory_mb=600)
    assert run.stdout.strip() == "refused", run.stderr


def test_relative_paths_name_the_uploads_folder(tmp_path):
    run = confined(tmp_path, "import os; print(os.getcwd())")
    assert run.stdout.strip() == str(tmp_path)


def test_the_reader_yields_the_cpu_to_the_server(tmp_path):
    run = confined(tmp_path, "import os; print(os.nice(0))")
    assert int(run.stdout) >= 10, run.stderr
