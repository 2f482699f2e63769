"""The server settings in .streamlit/config.toml: each is in the file, and Streamlit reads it so."""

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from dashboard.limits import MAX_FILE_BYTES, MB

CONFIG_FILE = Path(__file__).resolve().parent.parent / ".streamlit" / "config.toml"
SETTINGS = {
    # option: (value, why)
    "server.enableXsrfProtection": (True, "uploads and widget changes need the session's XSRF token"),
    "browser.gatherUsageStats": (False, "no usage statistics leave the server"),
    "client.toolbarMode": ("viewer", "viewers get the viewer toolbar"),
    "client.showErrorDetails": ("none", "viewers never see a traceback or an exception's text"),
    "server.runOnSave": (False, "the app does not rerun when its code changes"),
    "server.maxUploadSize": (MAX_FILE_BYTES // MB, "the upload limit is the one the app checks (MB)"),
    "runner.postScriptGC": (False, "no full garbage collection after every rerun (bench/README.md)"),
    "server.enableStaticServing": (True, "the map's scripts are served by the app (offline)"),
    "server.fileWatcherType": ("none", "no watcher of the app's modules set up for each new visitor (~0.3 s)"),
}


@pytest.fixture(scope="module")
def config():
    with CONFIG_FILE.open("rb") as file:
        return tomllib.load(file)


@pytest.fixture(scope="module")
def as_streamlit_reads_it():
    """Every option above, as Streamlit reads the file (one process for all of them)."""
    script = ("import json; from streamlit import config; config.get_config_options(force_reparse=True); "
              f"print(json.dumps({{k: config.get_option(k) for k in {list(SETTINGS)!r}}}))")
    out = subprocess.run([sys.executable, "-c", script], cwd=CONFIG_FILE.parent.parent, capture_output=True,
                         text=True, check=True).stdout
    import json

    return json.loads(out.strip().splitlines()[-1])


@pytest.mark.parametrize("option", list(SETTINGS))
def test_the_setting_is_in_the_file_and_streamlit_reads_it(option, config, as_streamlit_reads_it):
    section, name = option.split(".")
    value, why = SETTINGS[option]
    assert config[section][name] == value, why
    assert as_streamlit_reads_it[option] == value, why
