"""The launcher's warm-up (dashboard/launch.py): every page, or those DASHBOARD_WARM_PAGES names."""

from __future__ import annotations

from dashboard import launch


def test_every_page_is_warmed_unless_some_are_named(monkeypatch, caplog):
    monkeypatch.delenv(launch.WARM_PAGES_VARIABLE, raising=False)
    assert launch.pages_to_warm() == launch.PAGES
    monkeypatch.setenv(launch.WARM_PAGES_VARIABLE, "data, overview,atlantis")
    assert launch.pages_to_warm() == ("overview", "data")  # in the navigation's order
    assert "no such page atlantis" in caplog.text
    monkeypatch.setenv(launch.WARM_PAGES_VARIABLE, "atlantis")
    assert launch.pages_to_warm() == launch.PAGES  # nothing known named: all, not none
