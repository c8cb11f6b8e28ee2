"""Every demo account logs in and out, in Dutch and in English, on pages axe finds clean."""

import re

import pytest
from playwright.sync_api import expect

from werkplek.accounts.demo import DEMO_ACCOUNTS

from .conftest import assert_accessible, login

USERNAMES = [account.username for account in DEMO_ACCOUNTS]


def test_home_page_is_dutch_and_accessible(page):
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    assert_accessible(page, "home-nl")
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert_accessible(page, "home-en")


@pytest.mark.parametrize("username", USERNAMES)
def test_demo_account_logs_in_and_out_in_dutch(page, username):
    page.goto("/account/login/")
    assert_accessible(page, "login-nl" if username == USERNAMES[0] else None)
    login(page, username)
    expect(page).to_have_url(re.compile(r"/account/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welkom")
    assert_accessible(page, f"dashboard-nl-{username}")
    page.get_by_role("button", name="Afmelden").click()
    expect(page.locator("header").get_by_role("link", name="Aanmelden")).to_be_visible()


@pytest.mark.parametrize("username", USERNAMES)
def test_demo_account_logs_in_and_out_in_english(page_en, username):
    page = page_en
    page.goto("/account/login/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    login(page, username)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")
    assert_accessible(page, f"dashboard-en-{username}" if username == USERNAMES[0] else None)
    page.get_by_role("button", name="Log out").click()
    expect(page.locator("header").get_by_role("link", name="Log in")).to_be_visible()


def test_wrong_password_shows_the_error_summary(page):
    login(page, "werkgever", "verkeerd")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(page).to_have_title(re.compile(r"^Fout"))
    expect(page.get_by_label("Gebruikersnaam")).to_have_value("werkgever")
    assert_accessible(page, "login-error-nl")
