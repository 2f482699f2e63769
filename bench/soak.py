"""`make soak`: many users for a while, then check that nothing failed and nothing leaked.

Holds `--browsers` browser contexts (one headless Chromium) and `--sockets` Streamlit
websocket clients on the dashboard at once for `--minutes`, offline on loopback. The
browsers click cities on the overview map and switch pages with the navigation; every
`--uploaders`-th browser also sends the attacker's files of issue #12 (tests/hostile_uploads.py)
through the data page, one a round, and must get a message for each, while a loopback
listener checks that none of them makes the server send a request. The websocket clients
ask for every page in turn, as a browser's websocket would. Then all
of them leave, the server drops their sessions (after `server.disconnectedSessionTTL`,
shortened here so the run stays bounded), and its resident memory must be back within
10 % of where it was before the crowd came.

Writes bench/soak.json; `make bench` (bench/report.py) adds it to bench/RESULTS.md.

    python -m bench.soak [--browsers 10] [--sockets 40] [--minutes 2]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

import psutil
from playwright.async_api import async_playwright
from streamlit.proto.BackMsg_pb2 import BackMsg

from bench.run import ARRIVAL_GAP_S, CLICK_CITIES, PROBE, Session, StreamlitSocket, first_line, overlay_feature_ids
from tests.helpers import CHROMIUM, CHROMIUM_ARGS, ROOT, AppServer, Listener
from tests.hostile_uploads import attack_files

PAGES = {"": "China–Central Asia corridors", "railway": "China–Kyrgyzstan–Uzbekistan railway",
         "corridor": "Trans-Caspian corridor", "cities": "Summit cities", "data": "The data"}  # url path -> title
NAV_LINKS = {"railway": "CKU railway", "corridor": "Trans-Caspian corridor", "cities": "Summit cities",
             "data": "Data", "": "Overview"}  # url path -> the navigation link's text
SESSION_TTL_S = 10  # how long the server keeps a closed session (production: Streamlit's 120 s)
MEMORY_TOLERANCE = 0.10


class Tally:
    """What the crowd did and what went wrong."""

    def __init__(self):
        self.clicks = self.page_switches = self.socket_runs = self.uploads = 0
        self.errors: list[str] = []

    def error(self, who: str, err: BaseException | str) -> None:
        self.errors.append(f"{who}: {err if isinstance(err, str) else first_line(err)}")


def nav_link(page, title: str):
    return page.locator('[data-testid="stSidebarNavLink"]').filter(has_text=title).first


async def upload_hostile_file(page, server: AppServer, path: Path) -> None:
    """Send one attacker's file on the data page; the page must answer with a message."""
    await nav_link(page, NAV_LINKS["data"]).click()
    await page.locator("h1").filter(has_text=PAGES["data"]).wait_for(timeout=30_000)
    await page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(path))
    await page.locator('[data-testid="stAlert"]').filter(has_text=path.name).wait_for(timeout=60_000)


async def browser_user(index: int, browser, server: AppServer, probe: str, deadline: float, tally: Tally,
                       hostile: list[Path] = ()):
    """A visitor: clicks cities on the overview, visits another page, comes back; with
    `hostile` files, also sends one of them each round."""
    rng = random.Random(index)
    cities = list(CLICK_CITIES.items())
    await asyncio.sleep(max(index, 0) * ARRIVAL_GAP_S)  # visitors arrive over a few seconds
    session = None
    who = f"browser {index}"
    try:
        session = await Session.open(browser, server, probe)
        await session.time_to_map_ms()
        while True:  # at least one round, however short the run
            for _ in range(2):
                city_id, name = rng.choice(cities)
                if name in (await session.page.evaluate("window.__bench.last || ''")):
                    continue  # already shown: a click would change nothing to wait for
                await session.click_city(city_id, name)
                tally.clicks += 1
            if hostile:
                await upload_hostile_file(session.page, server, hostile[tally.uploads % len(hostile)])
                tally.uploads += 1
            path = rng.choice([p for p in PAGES if p])
            await nav_link(session.page, NAV_LINKS[path]).click()
            await session.page.locator("h1").filter(has_text=PAGES[path]).wait_for(timeout=30_000)
            await nav_link(session.page, NAV_LINKS[""]).click()
            await session.page.locator("h1").filter(has_text=PAGES[""]).wait_for(timeout=30_000)
            await session.wait_for_map()
            tally.page_switches += 2
            if time.monotonic() >= deadline:
                break
        if await session.exceptions_shown():
            tally.error(who, "an exception was shown")
        for problem in session.errors + session.outside:
            tally.error(who, problem)
    except Exception as err:  # one failed visitor is an error of the run, not the end of it
        tally.error(who, err)
    finally:
        if session is not None:
            await session.close()


async def socket_user(index: int, server: AppServer, deadline: float, tally: Tally):
    """A websocket client speaking Streamlit's protocol: every page in turn, with a city link."""
    who = f"socket {index}"
    paths = list(PAGES)
    try:
        async with StreamlitSocket.connect(server) as socket:
            turn = index
            while time.monotonic() < deadline:
                request = BackMsg()
                request.rerun_script.page_name = paths[turn % len(paths)]
                request.rerun_script.query_string = f"city={list(CLICK_CITIES)[turn % len(CLICK_CITIES)]}"
                await socket.send(request)
                while True:
                    msg = await socket.receive()
                    kind = msg.WhichOneof("type")
                    if kind == "delta" and msg.delta.WhichOneof("type") == "new_element" \
                            and msg.delta.new_element.WhichOneof("type") == "exception":
                        tally.error(who, f"exception on /{paths[turn % len(paths)]}: "
                                         f"{msg.delta.new_element.exception.message[:160]}")
                    if kind == "script_finished":
                        break
                tally.socket_runs += 1
                turn += 1
    except Exception as err:
        tally.error(who, err)


def rss_mb(server: AppServer) -> float:
    return psutil.Process(server.pid).memory_info().rss / 2**20


async def soak(browsers: int, sockets: int, minutes: float, uploaders: int, files: Path) -> dict:
    ids = overlay_feature_ids()
    probe = PROBE % {"ids": json.dumps(ids), "count": len(ids)}
    server = AppServer(options={"server.disconnectedSessionTTL": SESSION_TTL_S})
    listener = Listener()
    hostile = []
    for name, (data, _) in attack_files(listener.url, str(ROOT / ".streamlit" / "secrets.toml")).items():
        hostile.append(files / f"{name.replace(' ', '-').replace('/', '-')}.upload")
        hostile[-1].write_bytes(data)
    tally = Tally()
    peak = 0.0
    try:
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            # one visitor first, so that every cache is full before memory is measured
            await browser_user(-1, browser, server, probe, time.monotonic() + 1, Tally())
            await asyncio.gather(*(socket_user(-1 - i, server, time.monotonic() + 1, Tally()) for i in range(5)))
            await asyncio.sleep(SESSION_TTL_S + 5)
            before = rss_mb(server)

            async def watch_memory(deadline: float):
                nonlocal peak
                while time.monotonic() < deadline + 30:
                    peak = max(peak, rss_mb(server))
                    await asyncio.sleep(1)

            started = time.monotonic()
            deadline = started + minutes * 60
            watcher = asyncio.create_task(watch_memory(deadline))
            await asyncio.gather(
                *(browser_user(i, browser, server, probe, deadline, tally,
                               hostile if uploaders and i % uploaders == 0 else []) for i in range(browsers)),
                *(socket_user(i, server, deadline, tally) for i in range(sockets)),
            )
            elapsed = time.monotonic() - started
            watcher.cancel()
            await browser.close()
        await asyncio.sleep(SESSION_TTL_S + 20)
        # Streamlit drops expired sessions only when it stores a new one: a next visitor
        await socket_user(-99, server, time.monotonic() + 0.1, Tally())
        await asyncio.sleep(5)
        after = rss_mb(server)
    finally:
        server.stop()
        listener.close()
    tally.errors += [f"the server sent a request: {request}" for request in listener.requests]
    return {
        "date": dt.datetime.now().isoformat(timespec="seconds"), "browsers": browsers, "sockets": sockets,
        "minutes": minutes, "seconds": elapsed, "clicks": tally.clicks, "page_switches": tally.page_switches,
        "socket_runs": tally.socket_runs, "hostile_uploads": tally.uploads, "errors": tally.errors, "rss_before_mb": before, "rss_peak_mb": peak,
        "rss_after_mb": after, "memory_back": after <= before * (1 + MEMORY_TOLERANCE),
        "malloc_arena_max": os.environ.get("MALLOC_ARENA_MAX"),
        "malloc_mmap_threshold": os.environ.get("MALLOC_MMAP_THRESHOLD_"),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--browsers", type=int, default=10)
    parser.add_argument("--sockets", type=int, default=40)
    parser.add_argument("--minutes", type=float, default=2)
    parser.add_argument("--uploaders", type=int, default=3, help="every n-th browser sends hostile files (0: none)")
    parser.add_argument("--out", type=Path, default=ROOT / "bench")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="soak-") as files:
        result = asyncio.run(soak(args.browsers, args.sockets, args.minutes, args.uploaders, Path(files)))
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "soak.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    results_file = args.out / "results.json"
    if results_file.exists():
        from bench.report import write_report

        write_report(json.loads(results_file.read_text(encoding="utf-8")), args.out / "RESULTS.md")
    print(json.dumps({k: v for k, v in result.items() if k != "errors"}, indent=2))
    for error in result["errors"][:20]:
        print("error:", error)
    ok = not result["errors"] and result["memory_back"]
    print("soak:", "passed" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
