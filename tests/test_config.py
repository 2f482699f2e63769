"""The server settings in .streamlit/config.toml (issue 6, part 5)."""

import tomllib
from pathlib import Path

import pytest

from dashboard.uploads import MAX_UPLOAD_BYTES, MB

CONFIG_FILE = Path(__file__).resolve().parent.parent / ".streamlit" / "config.toml"


@pytest.fixture(scope="module")
def config():
    with CONFIG_FILE.open("rb") as file:
        return tomllib.load(file)


def test_xsrf_protection_is_on(config):
    assert config["server"]["enableXsrfProtection"] is True


def test_usage_statistics_are_off(config):
    assert config["browser"]["gatherUsageStats"] is False


def test_viewers_get_the_viewer_toolbar(config):
    assert config["client"]["toolbarMode"] == "viewer"


def test_viewers_never_see_error_details(config):
    from streamlit.config import ShowErrorDetailsConfigOptions

    assert config["client"]["showErrorDetails"] == ShowErrorDetailsConfigOptions.NONE == "none"


def test_the_app_does_not_rerun_when_its_code_changes(config):
    assert config["server"]["runOnSave"] is False


def test_the_upload_limit_is_the_one_the_app_checks(config):
    assert config["server"]["maxUploadSize"] == MAX_UPLOAD_BYTES // MB == 20


def test_streamlit_reads_these_values():
    """The file is where Streamlit looks, and Streamlit accepts each value."""
    import subprocess
    import sys

    script = ("from streamlit import config; config.get_config_options(force_reparse=True); "
              "print([config.get_option(k) for k in ('server.enableXsrfProtection', 'browser.gatherUsageStats', "
              "'client.toolbarMode', 'client.showErrorDetails', 'server.runOnSave', 'server.maxUploadSize')])")
    out = subprocess.run([sys.executable, "-c", script], cwd=CONFIG_FILE.parent.parent, capture_output=True,
                         text=True, check=True).stdout
    assert out.strip().splitlines()[-1] == "[True, False, 'viewer', 'none', False, 20]"


def test_no_full_garbage_collection_after_every_rerun(config):
    # a full collection took longer than a click's whole script run (bench/README.md)
    assert config["runner"]["postScriptGC"] is False
