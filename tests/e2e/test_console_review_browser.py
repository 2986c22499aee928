"""What the console review fixed, in headless Chromium against a real server: a sign-in
link whose redirect_uri carries CR LF, a stale console cookie from an earlier server on the
same port, and other programs' cookies on the same host.

Before the fixes: the first dropped the connection after a right password (uvicorn refuses
a Location header with CR LF), the other two refused every sign-in ("The form has
expired..."), since the form's token matched no cookie the console could read.
AWS: "Sign in to the AWS Management Console as an IAM user" (IAM User Guide).
RFC 6265, section 5.4: a host's cookies go to every port of the host.
"""

from __future__ import annotations

import os
import re
from dataclasses import replace
from typing import Any

from browser_harness import browser, page, sign_in
from e2e_harness import B, Server, _client, server

from iamsandbox.console.session import COOKIE, SessionCodec, new_session

__all__ = ["browser", "page", "server"]

PASSWORD = "Correct-Horse-9"


def _alice(server: Server) -> None:
    iam = _client(server, "iam", server.create_account(B))
    iam.create_user(UserName="alice")
    iam.create_login_profile(UserName="alice", Password=PASSWORD, PasswordResetRequired=False)


def _signed_in_as_alice(page: Any) -> None:
    menu = page.get_by_label("Account menu")
    assert re.sub(r"\s+", " ", menu.inner_text()).strip() == "alice @ 2222-2222-2222"


def test_a_sign_in_link_with_cr_lf_in_its_redirect_lands_on_the_console_home(server: Server, page: Any) -> None:
    _alice(server)
    page.goto(server.url + "/console/signin?redirect_uri=/console/home%0d%0aSet-Cookie:%20planted=1")
    page.get_by_label("Account ID or alias").fill(B)
    page.get_by_label("IAM username").fill("alice")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    assert page.url == server.url + "/console/home"
    _signed_in_as_alice(page)
    assert "planted" not in {cookie["name"] for cookie in page.context.cookies()}


def _host(server: Server) -> str:
    return server.url.split("//", 1)[1].rsplit(":", 1)[0]


def test_a_console_cookie_of_an_earlier_server_does_not_block_sign_in(server: Server, page: Any) -> None:
    """An earlier ``iamsandbox serve`` on the same port had another key: its cookie does not
    open here, and is replaced."""
    _alice(server)
    earlier = SessionCodec([os.urandom(32)]).seal(replace(new_session(), account_id=B, expires_at=2**40))
    page.context.add_cookies([{"name": COOKIE, "value": earlier, "domain": _host(server), "path": "/console"}])
    sign_in(page, server.url, B, "alice", PASSWORD)
    assert page.url == server.url + "/console/home"
    _signed_in_as_alice(page)


def test_another_programs_cookie_on_the_host_does_not_block_sign_in(server: Server, page: Any) -> None:
    """A cookie with a space in its value, set by another program on 127.0.0.1 (any port)."""
    _alice(server)
    page.context.add_cookies([{"name": "note", "value": "a b", "domain": _host(server), "path": "/"}])
    sign_in(page, server.url, B, "alice", PASSWORD)
    assert page.url == server.url + "/console/home"
    _signed_in_as_alice(page)
    page.goto(server.url + "/console/switchrole")
    _signed_in_as_alice(page)  # the session holds on the next page too
