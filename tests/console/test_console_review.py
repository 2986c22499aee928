"""A security review of the console, as tests: no GET changes anything and every POST needs
its CSRF token; redirects and headers never carry what HTTP cannot; the session cookie
survives other cookies on the host, is replaced when it does not open, fits a browser, and
belongs to one IAM user by unique ID; the role link carries the role's path.

AWS pages: "IAM identifiers" (IAM User Guide, reference_identifiers, Unique IDs: a user
deleted and created again under the same name gets another unique ID; "Rename an IAM user":
"The unique ID for the user remains the same"); "Switch from a user to an IAM role
(console)" (id_roles_use_switch-role-console: a role with a path is switched to by "that
complete path and name in the Role box"; the role's "Link to switch roles in console").
RFC 6265: section 5.4 (the Cookie header), section 6.1 (at least 4096 bytes per cookie).
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from dataclasses import replace
from typing import Any
from urllib.parse import quote, unquote

import pytest
from console_page_harness import PASSWORD, ROLE, ROOT_PASSWORD, START, A, B, Browser, app, location, text

import iamsandbox.console.app as console_app
from iamsandbox.auth.session_token import SessionTokenCodec, new_session_claims
from iamsandbox.console.calls import invoke
from iamsandbox.console.pages.signin import safe_redirect
from iamsandbox.console.session import COOKIE, HISTORY, SessionCodec, SwitchedRole, new_session
from iamsandbox.console.web import Request, Response, Route
from iamsandbox.server.app import App
from iamsandbox.store import hash_password

__all__ = ["app"]

HEADER_VALUE = re.compile(r"[\t\x20-\x7e]*")
READ_ONLY = ("Get", "List", "Head", "Lookup")  # Lookup: CloudTrail LookupEvents


def _root(account: str) -> Any:
    return replace(new_session(), account_id=account, root=True, signed_in_at=0, expires_at=2**40)


def _as_root(app: App, account: str, service: str, operation: str, **params: Any) -> dict[str, Any]:
    return invoke(app, _root(account), service, operation, params, client_ip="127.0.0.1", now=START)


def _headers_are_http(response: Response) -> bool:
    return all(HEADER_VALUE.fullmatch(value) for _, value in response.headers)


# --- redirects and headers ------------------------------------------------------------------


@pytest.mark.parametrize(
    "target",
    [
        "/console/home\r\nSet-Cookie: planted=1",
        "/console/home\nLocation: https://evil.example",
        "/console/日本",
        "/console/a b",
        "//evil.example/console/",
        "https://evil.example/console/",
        "/console/\\evil.example",
        "/consolex",
        "",
    ],
)
def test_a_sign_in_redirect_to_anything_but_a_plain_console_page_goes_home(app: App, target: str) -> None:
    """Before: a link /console/signin?redirect_uri=/console/x%0d%0a... carried CR LF into
    the Location header; the server dropped the connection after a right password."""
    browser = Browser(app)
    browser.get("/console/signin", redirect_uri=target)
    answer = browser.post("/console/signin", account=B, username="alice", password=PASSWORD, redirect_uri=target)
    assert answer.status == 303
    assert location(answer) == "/console/home"
    assert _headers_are_http(answer)


def test_plain_console_pages_are_kept_as_redirect_targets() -> None:
    for target in ("/console/iam", "/console/s3/buckets/b?prefix=a%2Fb%2F&x=1", "/console/iam/users/details/a%2Bb"):
        assert safe_redirect(target) == target


def test_a_redirect_percent_encodes_what_a_location_header_cannot_carry() -> None:
    answer = Response.redirect("/console/s3/buckets/b/object/é\r\nx", done="ok y")
    assert location(answer) == "/console/s3/buckets/b/object/%C3%A9%0D%0Ax?done=ok+y"
    assert unquote(location(answer).split("?")[0]) == "/console/s3/buckets/b/object/é\r\nx"


def test_a_page_answering_a_header_http_cannot_carry_gets_the_internal_error_page(
    app: App, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(page: Any) -> Response:
        return Response(200, b"x", [("content-disposition", 'attachment; filename="a\r\nSet-Cookie: x=1"')])

    app.console.routes.insert(0, Route("GET", re.compile("/console/broken$"), broken, public=True))
    answer = Browser(app).get("/console/broken")
    assert answer.status == 500 and b"Internal error." in answer.body
    assert _headers_are_http(answer)
    assert "content-disposition" in caplog.text and "Set-Cookie: x=1" not in caplog.text


def test_static_files_are_cached_with_one_cache_control_header(app: App) -> None:
    answer = Browser(app).get("/console/static/console.css")
    assert answer.status == 200
    assert [value for name, value in answer.headers if name == "cache-control"] == ["max-age=3600"]


# --- no GET changes anything; every POST needs the token ---------------------------------


@pytest.fixture
def admin(app: App) -> Iterator[tuple[Browser, dict[str, str]]]:
    """Root of account A signed in, with one of each thing the pages show."""
    with app.store.transaction() as tx:
        tx.set_root_password(A, hash_password(ROOT_PASSWORD))
    _as_root(app, A, "iam", "CreateUser", UserName="bob")
    _as_root(app, A, "iam", "CreateGroup", GroupName="readers")
    allow = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}
    policy = _as_root(app, A, "iam", "CreatePolicy", PolicyName="s3-all", PolicyDocument=json.dumps(allow))
    _as_root(app, A, "iam", "PutUserPolicy", UserName="bob", PolicyName="inline", PolicyDocument=json.dumps(allow))
    _as_root(app, A, "s3", "PutObject", Bucket="shared-bucket", Key="docs/a.txt", Body=b"hello")
    browser = Browser(app)
    browser.get("/console/signin")
    signed = browser.post("/console/signin", signin_type="root", account=A, password=ROOT_PASSWORD)
    assert signed.status == 303
    values = {
        "users": "bob",
        "groups": "readers",
        "roles": ROLE,
        "arn": quote(policy["Policy"]["Arn"], safe=""),
        "policy": "inline",
        "bucket": "shared-bucket",
        "key": quote("docs/a.txt", safe=""),
    }
    yield browser, values


def _paths(app: App, method: str, values: dict[str, str]) -> list[str]:
    """Every route of ``method`` with its {parts} filled in (each kind for {kind})."""
    paths = []
    for route in app.console.routes:
        if route.method != method:
            continue
        template = route.pattern.pattern.removesuffix("$")
        kinds = ["users", "groups", "roles"] if "(?P<kind>" in template else [""]
        for kind in kinds:
            path = template.replace("(?P<kind>[^/]+)", kind)
            section = kind or next((k for k in ("users", "groups", "roles") if f"/iam/{k}/" in path), "")
            path = path.replace("(?P<name>[^/]+)", values.get(section, "bob"))
            for part in ("arn", "policy", "bucket"):
                path = path.replace(f"(?P<{part}>[^/]+)", values[part])
            path = path.replace("(?P<key>.+)", values["key"]).replace("(?P<key>[^/]+)", "AKIAEXAMPLE")
            path = path.replace("(?P<event_id>[^/]+)", "no-such-event")
            assert "(?P<" not in path, path
            paths.append(path)
    return paths


@pytest.fixture
def operations(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The API operations the pages run (``page.call``)."""
    ran: list[str] = []

    def recording(app: App, session: Any, service: str, operation: str, params: dict[str, Any], **kw: Any) -> Any:
        ran.append(operation)
        return invoke(app, session, service, operation, params, **kw)

    monkeypatch.setattr(console_app, "invoke", recording)
    return ran


def test_no_get_or_head_of_any_page_changes_anything(
    app: App, admin: tuple[Browser, dict[str, str]], operations: list[str]
) -> None:
    browser, values = admin
    paths = _paths(app, "GET", values)
    assert len(paths) > 30
    tabs = (
        "groups",
        "tags",
        "security_credentials",
        "trust",
        "entities",
        "versions",
        "users",
        "permissions",
        "access_advisor",
    )
    for path in paths:
        queries: list[dict[str, str]] = [{}]
        if re.fullmatch(r"/console/iam/\w+/details/[^/]+", path):
            queries += [{"tab": tab} for tab in tabs]
        for query in queries:
            for method in ("GET", "HEAD"):
                answer = browser._send(method, path, query, b"", {})
                assert answer.status < 500, (method, path, query, text(answer))
    assert operations, "the pages ran no operation at all"
    changed = sorted({op for op in operations if not op.startswith(READ_ONLY)})
    # The Last Accessed tab generates a report as it opens, as AWS's console does ("when you
    # view the information in the AWS Management Console, you might have to wait for it to
    # generate and load", access_policies_last-accessed): a report of the caller's, no resource.
    assert changed == ["GenerateServiceLastAccessedDetails"], changed
    # Sign-out and Switch back are forms: a GET of them is no page.
    for path in ("/console/signout", "/console/switchrole/back", "/console/switchrole/history"):
        assert browser.get(path).status == 404
    assert browser.session().signed_in


def test_every_post_without_its_token_is_refused_before_it_runs(
    app: App, admin: tuple[Browser, dict[str, str]], operations: list[str]
) -> None:
    browser, values = admin
    session = browser.session()
    paths = _paths(app, "POST", values)
    assert len(paths) > 30
    for path in paths:
        for forged in ({}, {"csrf_token": "forged"}, {"csrf_token": new_session().csrf}):
            answer = browser.post(path, csrf=False, **forged, user_name="mallory", confirm="permanently delete")
            assert answer.status == 403, path
    assert operations == []
    assert browser.session() == session  # still signed in, nothing switched or signed out


# --- the session cookie ---------------------------------------------------------------------


def test_a_cookie_that_does_not_open_is_replaced_so_sign_in_works(app: App) -> None:
    """Before: a cookie of an earlier server (another key, same host and port) was kept,
    so the sign-in form carried a token no cookie held and every sign-in was refused."""
    stale = SessionCodec([os.urandom(32)]).cookie_header(replace(new_session(), account_id=B, expires_at=2**40))
    browser = Browser(app)
    browser.cookie = stale[1].split(";", 1)[0].split("=", 1)[1]
    form = browser.get("/console/signin")
    assert any(name == "set-cookie" for name, _ in form.headers)
    signed = browser.sign_in()
    assert signed.status == 303 and location(signed) == "/console/home"
    assert browser.session().user_name == "alice"


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ('prefs={"theme": "dark"}', ""),
        ('q="unterminated', ""),
        ("", "note=a b"),
        ("", "ab(c=1"),
        ("", f"{COOKIE}=from-another-path"),
    ],
)
def test_other_cookies_of_the_host_do_not_hide_the_console_cookie(app: App, before: str, after: str) -> None:
    """Browsers send a host's cookies to all its ports; http.cookies.SimpleCookie gave up on
    the whole header at these, and the console lost its session. A cookie of the same name
    with a shorter path is sent after ours (RFC 6265, 5.4) and is ignored."""
    browser = Browser(app)
    browser.sign_in()
    header = "; ".join(part for part in (before, f"{COOKIE}={browser.cookie}", after) if part)
    request = Request("GET", "/console/home", {}, {"cookie": header}, b"", "127.0.0.1", START)
    answer = app.console.handle(request)
    assert answer.status == 200, answer.headers
    assert "alice @ 2222-2222-2222" in text(answer)


def _credentials(role_name: str) -> Any:
    tokens = SessionTokenCodec([os.urandom(32)])
    claims = new_session_claims(
        account_id=A,
        kind="assumed-role",
        principal_arn=f"arn:aws:sts::{A}:assumed-role/{role_name}/{'u' * 64}",
        source_arn=f"arn:aws:iam::{A}:role/{role_name}",
        source_id="AROA" + "X" * 17,
        now=START,
        duration_seconds=3600,
        session_name="u" * 64,
        caller_arn=f"arn:aws:iam::{B}:user/{'u' * 64}",
    )
    return tokens.issue(claims)


@pytest.mark.parametrize("letter", ["D", "é", "日", "\U0001f600"])
def test_a_full_history_of_the_longest_display_names_fits_a_browser(letter: str) -> None:
    """Display names are 64 characters of any script. Before: five of them in emoji made a
    cookie of 8.9 KB, which browsers drop (the switch was silently lost)."""
    codec = SessionCodec([os.urandom(32)])
    session = replace(new_session(), account_id=B, user_name="u" * 64, user_id="AIDA" + "Y" * 17, expires_at=1)
    for index in range(HISTORY + 1):
        name = f"{index}{'r' * 63}"
        credentials = _credentials(name)
        role = SwitchedRole(
            A,
            name,
            letter * 64,
            "yellow",
            credentials.access_key_id,
            credentials.secret_access_key.reveal(),
            credentials.session_token,
            1,
        )
        session = session.with_role(role)
    header = codec.cookie_header(session)[1]
    assert len(header.encode()) <= 4096
    opened = codec.open(header.split(";", 1)[0].split("=", 1)[1])
    assert opened is not None and opened.role == session.role  # the active role always stays
    kept = len(opened.history)
    assert kept >= 3 and opened.history == session.history[:kept]  # the newest entries, in order
    if letter == "D":
        assert kept == HISTORY  # ASCII names: the whole history


def test_a_long_non_ascii_display_name_survives_a_switch_through_the_page(app: App) -> None:
    browser = Browser(app)
    browser.sign_in()
    name = "\U0001f600" * 64
    for role in ("long-role", ROLE):
        switched = browser.post("/console/switchrole", account=A, roleName=role, displayName=name, color="red")
        assert switched.status == 303
    assert len(browser.cookie) < 4096
    session = browser.session()
    assert session.role is not None and session.role.role_name == ROLE
    assert [entry.role_name for entry in session.history] == [ROLE, "long-role"]
    assert name in text(browser.get("/console/home"))


def _delete_alice(app: App) -> None:
    _as_root(app, B, "iam", "DeleteLoginProfile", UserName="alice")
    for policy in _as_root(app, B, "iam", "ListAttachedUserPolicies", UserName="alice")["AttachedPolicies"]:
        _as_root(app, B, "iam", "DetachUserPolicy", UserName="alice", PolicyArn=policy["PolicyArn"])
    _as_root(app, B, "iam", "DeleteUser", UserName="alice")


def test_a_user_deleted_and_created_again_under_the_same_name_does_not_inherit_the_session(app: App) -> None:
    """Before: the old alice's console acted as the new alice, with the new one's
    AdministratorAccess."""
    browser = Browser(app)
    browser.sign_in()
    assert browser.get("/console/iam/users").status == 403  # alice may only assume roles
    _delete_alice(app)
    _as_root(app, B, "iam", "CreateUser", UserName="alice")
    admin_policy = "arn:aws:iam::aws:policy/AdministratorAccess"
    _as_root(app, B, "iam", "AttachUserPolicy", UserName="alice", PolicyArn=admin_policy)
    answer = browser.get("/console/iam/users")
    assert answer.status == 303 and location(answer).startswith("/console/signin?")
    assert not browser.session().signed_in  # the cookie now holds a signed-out session
    assert browser.get("/console/iam/users").status == 303


def test_a_deleted_user_is_signed_out(app: App) -> None:
    browser = Browser(app)
    browser.sign_in()
    _delete_alice(app)
    answer = browser.get("/console/home")
    assert answer.status == 303 and location(answer).startswith("/console/signin?")
    assert not browser.session().signed_in


def test_a_renamed_user_stays_signed_in_under_the_new_name(app: App) -> None:
    browser = Browser(app)
    browser.sign_in()
    _as_root(app, B, "iam", "UpdateUser", UserName="alice", NewUserName="alicia")
    home = browser.get("/console/home")
    assert home.status == 200 and "alicia @ 2222-2222-2222" in text(home)
    assert browser.session().user_name == "alicia"
    switched = browser.post("/console/switchrole", account=A, roleName=ROLE)
    assert switched.status == 303 and browser.session().role is not None


# --- the role's switch link -----------------------------------------------------------------


def test_the_switch_role_link_of_a_role_with_a_path_carries_the_path_and_works(app: App) -> None:
    trust = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{B}:root"}, "Action": "sts:AssumeRole"}],
    }
    document = json.dumps(trust)
    _as_root(app, A, "iam", "CreateRole", RoleName="pathed", Path="/division/team/", AssumeRolePolicyDocument=document)
    with app.store.transaction() as tx:
        tx.set_root_password(A, hash_password(ROOT_PASSWORD))
    admin = Browser(app)
    admin.get("/console/signin")
    admin.post("/console/signin", signin_type="root", account=A, password=ROOT_PASSWORD)
    page = text(admin.get("/console/iam/roles/details/pathed"))
    link = re.search(r'id="switch-role-link">([^<]+)<', page)
    assert link is not None
    assert "roleName=division%2Fteam%2Fpathed" in link.group(1) and f"account={A}" in link.group(1)
    alice = Browser(app)
    alice.sign_in()
    query = dict(pair.split("=", 1) for pair in link.group(1).split("?", 1)[1].split("&"))
    form = text(alice.get("/console/switchrole", **{key: unquote(value) for key, value in query.items()}))
    assert 'value="division/team/pathed"' in form
    switched = alice.post("/console/switchrole", account=A, roleName="division/team/pathed")
    assert switched.status == 303
    role = alice.session().role
    assert role is not None and role.role_name == "division/team/pathed"


def test_a_session_from_before_the_user_id_was_kept_is_signed_out(app: App) -> None:
    """A cookie without the unique ID (written before it was kept) cannot say which alice
    signed in: it is treated as signed out, not trusted by name."""
    browser = Browser(app)
    browser.sign_in()
    old = replace(browser.session(), user_id="")
    browser.cookie = app.console.sessions.cookie_header(old)[1].split(";", 1)[0].split("=", 1)[1]
    assert browser.get("/console/home").status == 303
    assert not browser.session().signed_in


# --- secrets and the token's rotation -------------------------------------------------------


def test_the_sign_in_gets_a_new_csrf_token_and_the_old_one_stops_working(app: App) -> None:
    """Session fixation: whoever knew the token of the sign-in form (the pre-session
    cookie) knows nothing of the signed-in session's."""
    browser = Browser(app)
    browser.get("/console/signin")
    before = browser.session().csrf
    browser.sign_in()
    after = browser.session().csrf
    assert after != before
    refused = browser.post("/console/switchrole", csrf=False, csrf_token=before, account=A, roleName=ROLE)
    assert refused.status == 403 and browser.session().role is None


def test_the_roles_secret_and_token_are_in_no_page_and_no_log(app: App, caplog: pytest.LogCaptureFixture) -> None:
    browser = Browser(app)
    browser.sign_in()
    assert browser.post("/console/switchrole", account=A, roleName=ROLE, displayName="ro").status == 303
    role = browser.session().role
    assert role is not None and role.secret_access_key and role.session_token
    secrets = (role.secret_access_key, role.session_token, role.session_token[:40])

    def crash(page: Any) -> Response:
        raise RuntimeError("a bug in a page")

    app.console.routes.insert(0, Route("GET", re.compile("/console/crash$"), crash, public=False))
    pages = ["/console/home", "/console/switchrole", "/console/s3", "/console/s3/buckets/shared-bucket", "/console/iam"]
    for path in [*pages, "/console/crash"]:
        body = text(browser.get(path))
        assert not any(secret in body for secret in secrets), path
    assert "a bug in a page" in caplog.text
    assert not any(secret in caplog.text for secret in secrets)
    assert role.secret_access_key not in repr(browser.session()) and role.session_token not in repr(browser.session())


def test_the_cookie_is_secure_only_behind_an_https_proxy(app: App) -> None:
    """The server speaks plain HTTP, so its own cookie cannot be Secure (the browser would
    never send it back); behind a proxy that terminates HTTPS (``X-Forwarded-Proto:
    https``) it is, so it never travels over plain HTTP (RFC 6265, section 4.1.2.5)."""
    plain = app.console.handle(Request("GET", "/console/signin", {}, {}, b"", "127.0.0.1", START))
    proxied = app.console.handle(
        Request("GET", "/console/signin", {}, {"x-forwarded-proto": "https"}, b"", "127.0.0.1", START)
    )
    plain_cookie = next(value for name, value in plain.headers if name == "set-cookie")
    proxied_cookie = next(value for name, value in proxied.headers if name == "set-cookie")
    assert "; Secure" not in plain_cookie and plain_cookie.endswith("HttpOnly; SameSite=Lax")
    assert proxied_cookie.endswith("HttpOnly; SameSite=Lax; Secure")
