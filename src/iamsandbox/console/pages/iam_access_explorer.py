"""The IAM console's Access explorer: who of this account can reach a resource, and why
(``authz.explorer``; DESIGN.md: security reviewers who "want to ask 'who can reach this role,
and why' and get an explained answer").

The page shows nothing the signed-in principal could not read itself through the API: it
asks IAM's ``GetAccountAuthorizationDetails`` (every user, role and policy of the account)
and the resource's own policy (``GetRole`` for a role; ``GetBucketPolicy`` for a bucket or an
object) as that principal first, and shows their AccessDenied when refused. It answers for the
resources of the account the console acts in and that account's principals; the principals
of other accounts that the resource's policy names are listed as such (their own account's
identity-based policies decide too: "Cross-account policy evaluation logic"), and
``iamsandbox explore-access`` answers for every account of the store.

Not an AWS page: IAM Access Analyzer's findings are the nearest (external access), with other
words.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from ...authz.authorize import account_of
from ...authz.explorer import (
    ALLOWED_VERDICT,
    CONDITIONAL_VERDICT,
    DENIED_VERDICT,
    ExplorerError,
    Reach,
    default_action,
    explore,
    named_elsewhere,
    statement_text,
)
from ...errors import ServiceError
from ...policy.decision import MatchedStatement, PolicyType
from ..app import PageContext
from ..web import Response, Routes
from .iam_common import FormError, account_id, call, render

routes = Routes()

URL = "/console/iam/access-explorer"
_ACTION_LENGTH = 128
_ARN_LENGTH = 2048


def shown_statement(statement: MatchedStatement) -> str:
    """A statement as the page names it: an SCP's or RCP's statement by its kind only (an
    organization's policies are the management account's to read: DescribePolicy, AWS
    Organizations API Reference), as AWS's AccessDenied names them ("with an explicit deny in
    a service control policy")."""
    if statement.policy_type in (PolicyType.SCP, PolicyType.RCP):
        return f"{statement.effect} in {statement.policy_type.with_article}"
    return statement_text(statement)


def explorer_url(resource: str, action: str = "") -> str:
    """The explorer asked about ``resource`` (the role page's link)."""
    query = {"resource": resource, **({"action": action} if action else {})}
    return f"{URL}?{urlencode(query)}"


@routes.get(URL)
def access_explorer(page: PageContext) -> Response:
    query = page.request.query
    resource = query.get("resource", "").strip()[:_ARN_LENGTH]
    action = query.get("action", "").strip()[:_ACTION_LENGTH]
    show_denied = query.get("show") == "all"
    values: dict[str, Any] = {"resource": resource, "action": action, "show_denied": show_denied}
    error: ServiceError | None = None
    if resource:
        try:
            values.update(_answer(page, resource, action or default_action(resource) or ""))
        except ServiceError as failed:
            error = failed
    return render(
        page,
        "iam/access_explorer.html",
        error.status if error is not None else 200,
        title="Access explorer",
        section="access-explorer",
        error=error,
        show_all_url=explorer_url(resource, action) + "&show=all" if resource else "",
        statement_text=shown_statement,
        **values,
    )


def _answer(page: PageContext, resource: str, action: str) -> dict[str, Any]:
    if ":" not in action or " " in action:
        raise FormError("Action: enter an action as service:Action, for example sts:AssumeRole or s3:GetObject.")
    if not resource.startswith("arn:"):
        raise FormError("Resource: enter the resource's ARN, for example arn:aws:iam::111111111111:role/name.")
    account = account_id(page)
    # What the page reads, as the signed-in principal: every policy of the account, and the
    # resource's own policy (before anything is said of the resource: S3 tells another
    # account's principal only "Access Denied" about a bucket).
    call(page, "GetAccountAuthorizationDetails", MaxItems=1)
    _read_resource_policy(page, resource)
    app = page.app
    with app.store.read() as tx:
        owner = _owner(tx, resource)
    if owner is not None and owner != account:
        raise FormError(
            f"Resource: {resource} is not in this account ({account}). The access explorer answers for this "
            "account's resources; iamsandbox explore-access answers for every account."
        )
    now = page.request.now or datetime.now(UTC)
    with app.store.read() as tx:
        try:
            answer = explore(tx, app.authorizer, resource, action, [account], now)
        except ExplorerError as failed:
            raise FormError(f"Resource: {failed}.") from None
    found = answer.reaches
    return {
        "action": action,
        "allowed": _of(found, ALLOWED_VERDICT),
        "conditional": _of(found, CONDITIONAL_VERDICT),
        "denied": _of(found, DENIED_VERDICT),
        "examined": len(found),
        "chains_complete": answer.chains_complete,
        "elsewhere": named_elsewhere(answer.target.policy, account),
        "account": account,
    }


def _of(found: list[Reach], verdict: str) -> list[Reach]:
    return [reach for reach in found if reach.verdict == verdict]


def _owner(tx: Any, resource: str) -> str | None:
    """The resource's account: the ARN's, or an S3 bucket's owner (None: unknown here)."""
    if resource.startswith("arn:aws:s3:::"):
        bucket = tx.get_bucket(resource[len("arn:aws:s3:::") :].split("/", 1)[0])
        return bucket.account_id if bucket is not None else None
    return account_of(resource)


def _read_resource_policy(page: PageContext, resource: str) -> None:
    """GetRole for a role, GetBucketPolicy for a bucket or an object, as the console's
    principal: their AccessDenied (or NoSuchEntity, NoSuchBucket) is the page's answer."""
    if resource.startswith("arn:aws:iam::") and ":role/" in resource:
        role = call(page, "GetRole", RoleName=resource.rsplit("/", 1)[-1])["Role"]
        if role["Arn"] != resource:  # another path, or another account's role of that name
            raise FormError(f"Resource: this account's role {role['RoleName']} is {role['Arn']}.")
    elif resource.startswith("arn:aws:s3:::"):
        bucket = resource[len("arn:aws:s3:::") :].split("/", 1)[0]
        try:
            page.call("s3", "GetBucketPolicy", {"Bucket": bucket})
        except ServiceError as error:
            if error.code != "NoSuchBucketPolicy":  # no policy: nothing to read, nothing refused
                raise
