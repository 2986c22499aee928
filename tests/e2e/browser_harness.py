"""Headless Chromium (Debian's /usr/bin/chromium) driven by Playwright, for the console tests.

Never a browser download: Playwright launches the system's Chromium by path. ``.ci/run``
installs it on a bare machine (``apt-get install -y chromium``); ``make test`` does too
when it runs as root. Without it the browser tests fail, saying so (no silent skip).

Screenshots of the main pages go to ``docs/screenshots/`` (linked from the README), so a
person can look at what the tests saw.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


# INVARIANT: one Playwright and one Chromium for the whole run. Each test module that
# imports ``browser`` registers its own copy of this session fixture, and a second sync
# Playwright cannot start while the first one runs; the first copy launches, the others
# reuse what it launched (session fixtures end together, the first copy last).
_LAUNCHED: list[Any] = []


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if _LAUNCHED:
        yield _LAUNCHED[0]
        return
    if not CHROMIUM.exists():
        pytest.fail("the console tests need Debian's chromium: apt-get install -y chromium")
    from playwright.sync_api import Locator, sync_playwright

    with sync_playwright() as playwright, pytest.MonkeyPatch.context() as patch:
        patch.setattr(Locator, "click", _click_then_wait_for_the_page(Locator.click))
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox"])
        _LAUNCHED.append(launched)
        try:
            yield launched
        finally:
            _LAUNCHED.clear()
            launched.close()


def _click_then_wait_for_the_page(click: Callable[..., None]) -> Callable[..., None]:
    """A click that returns once the page it led to has loaded, as a person waits for it.

    Playwright's click returns when a navigation it started has committed, while Chromium may
    still be parsing the new document; a check that does not wait (``count()``,
    ``is_visible()``, ``inner_text()`` of a container) could then read half a page, which a
    loaded CI machine did (an "Add permissions" heading counted 0 on the page that has it).
    Waiting for "load" after a click that did not navigate returns at once.
    """

    def click_and_wait(locator: Any, *args: Any, **kwargs: Any) -> None:
        click(locator, *args, **kwargs)
        locator.page.wait_for_load_state("load")

    return click_and_wait


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh browser context (own cookies) and page; 10 s default timeout."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    try:
        yield context.new_page()
    finally:
        context.close()


def screenshot(page: Any, name: str) -> Path:
    """Write ``docs/screenshots/NAME.png`` (full page) and return its path."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{re.sub(r'[^a-z0-9-]', '-', name.lower())}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def sign_in(page: Any, base_url: str, account: str, user: str, password: str) -> None:
    """Sign in as an IAM user through the sign-in form, as a person would."""
    page.goto(f"{base_url}/console/signin")
    page.get_by_label("Account ID or alias").fill(account)
    page.get_by_label("IAM username").fill(user)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def console_user(server: Any, name: str, password: str, policy: dict[str, Any] | None = None) -> Any:
    """IAM user ``name`` of account A (the server's first) with AmazonS3FullAccess, or the
    inline ``policy``, and a console ``password``; answers A's root S3 client."""
    from e2e_harness import A, _client

    root = server.create_account(A)
    iam = _client(server, "iam", root)
    iam.create_user(UserName=name)
    if policy is None:
        iam.attach_user_policy(UserName=name, PolicyArn="arn:aws:iam::aws:policy/AmazonS3FullAccess")
    else:
        iam.put_user_policy(UserName=name, PolicyName=name, PolicyDocument=json.dumps(policy))
    iam.create_login_profile(UserName=name, Password=password, PasswordResetRequired=False)
    return _client(server, "s3", root)
