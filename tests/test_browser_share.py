"""The "Copy link" button beside a map: the link of the view chosen goes to the clipboard, the
page says so, and the link opens the same view; where the browser refuses the clipboard, the
link is shown selected to copy by hand."""

from __future__ import annotations

import pytest

from helpers import MAP_FRAME, is_loopback, query_is

pytestmark = pytest.mark.browser


@pytest.fixture()
def context(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 950},
                                  permissions=["clipboard-read", "clipboard-write"])
    outside = []
    context.route("**/*", lambda route: route.continue_() if is_loopback(route.request.url)
                  else (outside.append(route.request.url), route.abort()))
    context.outside = outside
    yield context
    context.close()


def test_copy_link_copies_the_view_chosen_and_the_link_opens_it(app_server, context):
    page = context.new_page()
    page.goto(f"{app_server.url}/?layers=railway,cities")
    frame = page.frame_locator(MAP_FRAME)
    frame.locator("path.layer-cku_railway").first.wait_for(timeout=30_000)
    frame.locator(".leaflet-control-layers-overlays label", has_text="Summit cities").locator("input").uncheck()
    page.get_by_role("combobox", name="City").click()
    page.get_by_role("option", name="Astana").click()
    page.wait_for_url(query_is("/", layers="railway", basemap="offline", city="astana"), timeout=15_000)

    page.get_by_role("button", name="Copy link").click()
    page.get_by_text("Link copied: it opens this view.").wait_for(timeout=5_000)
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == page.url and query_is("/", layers="railway", basemap="offline", city="astana")(copied)

    other = context.new_page()
    other.goto(copied)
    frame = other.frame_locator(MAP_FRAME)
    frame.locator("path.layer-cku_railway").first.wait_for(timeout=30_000)
    assert frame.locator("path.layer-cities").count() == 0 and frame.locator("path.layer-corridor_legs").count() == 0
    assert other.get_by_role("combobox", name="City").input_value() == "Astana"
    assert context.outside == []


def test_where_the_clipboard_is_refused_the_link_is_shown_selected(app_server, context):
    page = context.new_page()
    page.add_init_script("navigator.clipboard.writeText = () => Promise.reject(new Error('denied'))")
    page.goto(f"{app_server.url}/railway")
    page.frame_locator(MAP_FRAME).locator("path.layer-cku_railway").first.wait_for(timeout=30_000)
    page.get_by_role("button", name="Copy link").click()
    page.get_by_text("copy it with Ctrl+C").wait_for(timeout=5_000)
    field = page.locator(".copy-link-url")
    assert field.is_visible() and field.input_value() == page.url
    assert page.evaluate("document.activeElement.classList.contains('copy-link-url')")
