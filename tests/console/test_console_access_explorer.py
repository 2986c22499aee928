"""The IAM console's Access explorer without a browser, on the reference workflow's accounts
(``console_page_harness``): account A's role trusts account B and has AmazonS3ReadOnlyAccess.

What it must answer is AWS's policy evaluation ("Policy evaluation logic" and
"Cross-account policy evaluation logic", IAM User Guide: a role's trust policy must allow
even within its account; a principal of another account needs its own identity-based policies
too); what it may show is what the signed-in principal could read through the API
(GetAccountAuthorizationDetails, GetRole, GetBucketPolicy), refused with their AccessDenied.
"""

from __future__ import annotations

import html
import json
import re

from console_iam_page_harness import ADMIN_PASSWORD, admin_in, signed_in_admin
from console_page_harness import ROLE_ARN, A, B, Browser, app, text

from iamsandbox.server.app import App

__all__ = ["app"]

URL = "/console/iam/access-explorer"
OBJECT = "arn:aws:s3:::shared-bucket/report.csv"


def _section(page: str, heading: str) -> str:
    """The text of one result section, from its heading to the next."""
    start = page.index(f">{heading} (")
    end = page.find("<section", start)
    return page[start : end if end != -1 else len(page)]


def test_who_can_assume_the_role_from_its_own_account(app: App) -> None:
    browser = signed_in_admin(app, A)
    page = browser.get(URL, resource=ROLE_ARN)
    assert page.status == 200, text(page)
    body = html.unescape(text(page))
    # The trust policy names account B only: none of A's principals may assume the role,
    # not even its administrator ("a role trust policy ... must allow": within one account too).
    assert "None." in _section(body, "Allowed")
    assert f"arn:aws:iam::{B}:root" in body.split("not examined here", 1)[1]
    denied = html.unescape(text(browser.get(URL, resource=ROLE_ARN, show="all")))
    assert "Roles may not be assumed by root accounts." in _section(denied, "Denied")
    assert f"User: arn:aws:iam::{A}:user/admin is not authorized to perform: sts:AssumeRole" in denied


def test_who_can_read_an_object(app: App) -> None:
    browser = signed_in_admin(app, A)
    body = html.unescape(text(browser.get(URL, resource=OBJECT)))
    allowed = _section(body, "Allowed")
    assert "s3:GetObject" in allowed  # the action an object is asked about by default
    for principal in (f"arn:aws:iam::{A}:root", f"arn:aws:iam::{A}:user/admin", ROLE_ARN):
        assert principal in allowed
    assert "identity-based policy arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess, statement 1" in allowed
    assert "Anyone" not in allowed
    written = html.unescape(text(browser.get(URL, resource=OBJECT, action="s3:PutObject", show="all")))
    assert ROLE_ARN not in _section(written, "Allowed")
    assert "because no identity-based policy allows the s3:PutObject action" in _section(written, "Denied")


def test_another_accounts_resource_is_not_answered(app: App) -> None:
    """B's administrator asking about A's role or bucket learns no more than the API tells it:
    GetRole reads B's own roles (NoSuchEntity), and S3 answers another account's bucket with
    "Access Denied" (GetBucketPolicy: the owner is not named)."""
    browser = signed_in_admin(app, B)
    page = browser.get(URL, resource=ROLE_ARN)
    assert page.status == 404
    assert "NoSuchEntity" in text(page)
    bucket = browser.get(URL, resource=OBJECT)
    assert bucket.status == 403
    alert = re.search(r'<div class="alert error" role="alert">(.*?)</div>', text(bucket), re.S)
    assert alert is not None
    assert "Access Denied" in alert.group(1) and A not in alert.group(1)
    assert "Allowed (" not in text(bucket)


def test_a_role_named_with_another_path_is_refused(app: App) -> None:
    browser = signed_in_admin(app, A)
    page = browser.get(URL, resource=f"arn:aws:iam::{A}:role/wrong/path/my-s3-x-account-role")
    assert page.status == 400
    assert f"this account's role my-s3-x-account-role is {ROLE_ARN}" in html.unescape(text(page))


def test_a_principal_that_cannot_read_the_accounts_policies_is_refused(app: App) -> None:
    only_get_role = json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iam:GetRole", "Resource": "*"}]}
    )
    admin_in(app, A, "reader", policy=None)
    with app.store.transaction() as tx:
        reader = tx.get_user(A, "reader")
        assert reader is not None
        tx.put_inline_policy(reader.id, "get-role", only_get_role)
    browser = Browser(app)
    assert browser.sign_in(A, "reader", ADMIN_PASSWORD).status == 303
    assert browser.get("/console/iam/roles/details/my-s3-x-account-role").status == 200  # GetRole works
    page = browser.get(URL, resource=ROLE_ARN)
    assert page.status == 403
    assert "not authorized to perform: iam:GetAccountAuthorizationDetails" in html.unescape(text(page))
    assert "Allowed (" not in text(page)


def test_the_role_page_links_to_it(app: App) -> None:
    browser = signed_in_admin(app, A)
    page = html.unescape(text(browser.get("/console/iam/roles/details/my-s3-x-account-role")))
    assert f'href="{URL}?resource=arn%3Aaws%3Aiam%3A%3A{A}%3Arole%2Fmy-s3-x-account-role"' in page
