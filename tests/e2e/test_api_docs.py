"""The API's documentation in Chromium: Swagger UI from our own static files renders under the
site's content security policy (the `page` fixture fails on any CSP violation or script error),
and "Try it out" calls the public register and shows its answer."""

from playwright.sync_api import expect


def test_the_api_docs_render_and_try_the_register(page):
    page.goto("/api/docs/")
    expect(page.get_by_role("heading", name="Werkplek API")).to_be_visible()
    operation = page.locator(".opblock-get", has_text="/api/v1/register/").first
    operation.locator(".opblock-summary").click()
    operation.get_by_role("button", name="Try it out").click()
    operation.get_by_role("button", name="Execute").click()
    expect(operation.locator(".live-responses-table tbody .response-col_status").first) \
        .to_contain_text("200")
    expect(operation.locator(".live-responses-table")).to_contain_text('"results"')
    # The schema it documents is served beside it.
    assert page.request.get("/api/schema/").ok
