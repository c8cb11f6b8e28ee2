"""Browser tests: Playwright (Python) driving Debian's Chromium against the live server.

Playwright never downloads a browser here: it launches /usr/bin/chromium (CHROMIUM_PATH to
override). Every page a journey visits can be checked with axe-core through `assert_accessible`.
"""

import os
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import sync_playwright

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage",
]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
SCREENSHOTS = Path(os.environ.get("E2E_SCREENSHOTS", "var/screenshots"))


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: run scripts/system-deps.sh")
    # Playwright's sync API runs an event loop in this thread; the live server's database
    # access happens in its own thread, but fixtures here touch the ORM too.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def e2e_data(committed_data):
    """Reference and demo data for a browser test (its transaction flush empties the tables)."""


def _new_page(browser, live_server, language: str):
    context = browser.new_context(
        base_url=live_server.url,
        locale="nl-BE" if language == "nl" else "en-GB",
        extra_http_headers={"Accept-Language": "nl-BE,nl" if language == "nl" else "en-GB,en"},
        viewport={"width": 1280, "height": 900},
    )
    context.set_default_timeout(15_000)
    return context, context.new_page()


@pytest.fixture
def page(browser, live_server, e2e_data):
    context, page = _new_page(browser, live_server, "nl")
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    def on_console(message) -> None:
        # A page that answers 404 or 403 on purpose logs its own status: not a fault.
        document = message.location.get("url") == page.url
        if message.type == "error" and not (document and "Failed to load resource" in message.text):
            errors.append(f"{message.text} ({message.location.get('url')})")

    page.on("console", on_console)
    yield page
    context.close()
    assert not errors, f"JavaScript errors or CSP violations in the browser: {errors}"


@pytest.fixture
def page_en(browser, live_server, e2e_data):
    context, page = _new_page(browser, live_server, "en")
    yield page
    context.close()


def assert_accessible(page, name: str | None = None) -> None:
    """Run axe-core on the page (WCAG 2.1 A and AA) and fail with a readable list."""
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    violations = results.response["violations"]
    if name:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
    details = [
        f"{v['id']} ({v['impact']}): {v['help']} at "
        + ", ".join(" ".join(node["target"]) for node in v["nodes"][:5])
        for v in violations
    ]
    summary = f"axe found {len(violations)} violation(s) on {page.url}:\n"
    assert not violations, summary + "\n".join(details)


def login(page, username: str, password: str = "demo") -> None:
    page.goto("/account/login/")
    page.get_by_label("Gebruikersnaam").or_(page.get_by_label("Username")).fill(username)
    page.get_by_label("Wachtwoord").or_(page.get_by_label("Password")).fill(password)
    page.locator("#main-content form button[type=submit]").click()
