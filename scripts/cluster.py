"""Two replicas of the dashboard behind HAProxy on loopback: the topology of deploy/compose.yaml,
without Docker (`make cluster`; the tests start it through `Cluster`).

    .venv/bin/python -m scripts.cluster [--port 8501]

Each replica is the app as `make run` starts it (dashboard.launch, warmed up) on a port of its
own, with the same cookie secret (Streamlit signs its XSRF cookie with it: an upload through the
proxy fails without it). HAProxy (Debian's package, installed by set-up) runs deploy/haproxy.cfg,
the file the compose file mounts. Ctrl-C stops the three cleanly.
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "deploy" / "haproxy.cfg"
LOGS = ROOT / ".cache" / "cluster"
HAPROXY = shutil.which("haproxy") or "/usr/sbin/haproxy"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


class Cluster:
    """HAProxy on `port` (a free one by default) in front of replicas app1 and app2 (or app1
    alone), the app under `base_path` (server.baseUrlPath, e.g. "/silkroad") if given."""

    def __init__(self, port: int | None = None, replicas: int = 2, base_path: str = "",
                 warm_pages: str | None = None):
        self.port = port or free_port()
        self.base_path = f"/{base_path.strip('/')}" if base_path.strip("/") else ""
        self.url = f"http://127.0.0.1:{self.port}{self.base_path}"
        self.warm_pages = warm_pages  # DASHBOARD_WARM_PAGES for the replicas (dashboard/launch.py): all if None
        self.secret = secrets.token_hex(32)
        self.ports = {f"app{n}": free_port() for n in range(1, replicas + 1)}
        self.processes: dict[str, subprocess.Popen] = {}
        self.logs: list = []  # the children's output files, closed by stop()
        LOGS.mkdir(parents=True, exist_ok=True)
        for old in LOGS.glob("*.log"):  # the logs are this run's (a restarted replica adds to its own)
            old.unlink()

    def start(self) -> Cluster:
        for name in self.ports:
            self.start_replica(name)
        for name in self.ports:
            self.wait_until_healthy(name)
        addresses = [f"127.0.0.1:{port}" for port in self.ports.values()]
        # the proxy's file names two servers: with one replica (make bench-cluster) both are it
        env = {**os.environ, "PROXY_BIND": f"127.0.0.1:{self.port}",
               "APP1": addresses[0], "APP2": addresses[-1], "BASE_PATH": self.base_path}
        self.processes["proxy"] = subprocess.Popen(
            [HAPROXY, "-db", "-f", str(CONFIG)], env=env, stdout=self._log("proxy"), stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 20
        while not healthy(self.url):
            if time.monotonic() > deadline or self.processes["proxy"].poll() is not None:
                raise RuntimeError(f"HAProxy did not start; see {LOGS / 'proxy.log'}")
            time.sleep(0.3)
        return self

    def start_replica(self, name: str) -> None:
        """Start one replica (again, after it was stopped or killed)."""
        env = {**os.environ, "PYTHONUNBUFFERED": "1", "STREAMLIT_SERVER_COOKIE_SECRET": self.secret,
               "SILKROAD_REPLICA": name,  # in each line of its log, as the proxy's log names it
               **({"DASHBOARD_WARM_PAGES": self.warm_pages} if self.warm_pages else {}),
               "STREAMLIT_SERVER_BASE_URL_PATH": self.base_path.strip("/")}
        self.processes[name] = subprocess.Popen(
            [sys.executable, "-m", "dashboard.launch", "run", "app.py", "--server.port", str(self.ports[name]),
             "--server.address", "127.0.0.1", "--server.headless", "true"],
            cwd=ROOT, env=env, stdout=self._log(name), stderr=subprocess.STDOUT)

    def wait_until_healthy(self, name: str, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while not healthy(f"http://127.0.0.1:{self.ports[name]}{self.base_path}"):
            if time.monotonic() > deadline or self.processes[name].poll() is not None:
                raise RuntimeError(f"replica {name} did not start; see {LOGS / (name + '.log')}")
            time.sleep(0.3)

    def kill(self, name: str) -> None:
        """Kill a replica at once, as a crash would (SIGKILL)."""
        self.processes[name].kill()
        self.processes[name].wait()

    def stop(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                process.terminate()
        for process in self.processes.values():
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
        for log in self.logs:
            log.close()

    def _log(self, name: str):
        log = (LOGS / f"{name}.log").open("a")
        self.logs.append(log)
        return log


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=8501, help="the proxy's port (default 8501)")
    parser.add_argument("--base-path", default="", help="serve the app under this sub-path, e.g. /silkroad")
    args = parser.parse_args()
    cluster = Cluster(args.port, base_path=args.base_path)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        cluster.start()
        print(f"cluster: {cluster.url} -> " + ", ".join(f"{name} on :{port}" for name, port in cluster.ports.items())
              + f" (logs in {LOGS.relative_to(ROOT)}/); Ctrl-C stops it", file=sys.stderr, flush=True)
        while all(process.poll() is None for process in cluster.processes.values()):
            time.sleep(1)
    except KeyboardInterrupt:
        pass
    finally:
        cluster.stop()


if __name__ == "__main__":
    main()
