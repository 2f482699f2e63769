"""The app served on a free loopback port, and the Chromium flags: shared by the tests
and the benchmarks."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
LOOPBACK = {"127.0.0.1", "localhost", "[::1]", "::1"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def is_loopback(url: str) -> bool:
    """Whether a browser request stays on this machine."""
    return (urlsplit(url).hostname or "") in LOOPBACK or url.startswith(("data:", "blob:", "about:"))


class AppServer:
    """`streamlit run <script>` on loopback (app.py by default), optionally on another catalog,
    with other config `options`, or through another `launcher` module (bench.serve)."""

    def __init__(self, catalog: Path | None = None, script: str = "app.py", options: dict | None = None,
                 launcher: str = "streamlit"):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        if catalog is not None:
            env["DASHBOARD_CATALOG"] = str(catalog)
        ARTIFACTS.mkdir(exist_ok=True)
        self.log = open(ARTIFACTS / f"server-{self.port}.log", "w")
        flags = [f"--{name}={value}" for name, value in (options or {}).items()]
        self.process = subprocess.Popen(
            [sys.executable, "-m", launcher, "run", script, "--server.port", str(self.port),
             "--server.address", "127.0.0.1", "--server.headless", "true", *flags],
            cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT,
        )
        self._wait_until_healthy()

    @property
    def pid(self) -> int:
        return self.process.pid

    def _wait_until_healthy(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the app exited; see {self.log.name}")
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError(f"the app did not become healthy within {timeout} s")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()
