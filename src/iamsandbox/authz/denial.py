"""AWS's AccessDenied message for a denied request.

"Troubleshoot access denied error messages"
(https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html):
"User: <principal ARN> is not authorized to perform: <action> on resource: <resource ARN>
<reason>", the reason being the Decision's ("because no identity-based policy allows the
s3:PutObject action", "with an explicit deny in a service control policy"). An explicit
deny by a managed policy names it: "... with an explicit deny in an identity-based
policy: arn:aws:iam::123456789012:policy/ExampleDenyPolicy" (the same page's
authorization-ID example), but only within the account: "The ARN of the denying policy is
only provided in same-account and same-organization scenarios" ("Enhanced access denied
error messages with policy ARNs", AWS Security Blog; there are no organizations here). S3
writes the resource in double quotes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..policy import EXPLICIT_DENY, Decision, PolicyType
from ..policy.request import PrincipalKind

if TYPE_CHECKING:
    from .context import Caller


def s3_context_shown(caller: Caller, owner: str | None, same_organization: bool = False) -> bool:
    """Whether an S3 AccessDenied carries AWS's added context ("User: ... is not authorized
    ..."): "Amazon S3 now includes additional context in access denied (HTTP 403 Forbidden)
    errors for requests made to resources within the same AWS account or same organization"
    ("Troubleshoot access denied (403 Forbidden) errors in Amazon S3", S3 User Guide). The
    anonymous and accounts of other organizations (or of none) hear "Access Denied"."""
    return caller.kind is not PrincipalKind.ANONYMOUS and (caller.account == owner or same_organization)


def _trust_action(action: str) -> bool:
    """An action a role's trust policy decides when the role is assumed."""
    return action.startswith("sts:AssumeRole") or action in ("sts:TagSession", "sts:SetSourceIdentity")


def access_denied_message(
    principal_arn: str, resource: str, decision: Decision, *, quote_resource: bool = False, name_policy: bool = True
) -> str:
    """``name_policy``: the request stays in one account, so an explicit deny names its policy."""
    if quote_resource and resource == "*":
        # S3's actions on no resource (s3:ListAllMyBuckets) name none: "User: ... is not
        # authorized to perform: s3:ListAllMyBuckets because no identity-based policy allows
        # the s3:ListAllMyBuckets action" (as `aws s3 ls` prints it from AWS).
        on = ""
    else:
        on = f' on resource: "{resource}"' if quote_resource else f" on resource: {resource}"
    reason = decision.reason
    if decision.value == EXPLICIT_DENY and decision.denied_by is PolicyType.RESOURCE and _trust_action(decision.action):
        # A Deny in the role's trust policy: "User: arn:aws:iam::777788889999:user/John is not
        # authorized to perform: sts:AssumeRole with an explicit deny in the role trust policy"
        # (the same page, "Access denied due to role trust policies"), without "on resource",
        # as AWS's answers quoted in public code have it too.
        trust_deny = "with an explicit deny in the role trust policy"
        return f"User: {principal_arn} is not authorized to perform: {decision.action} {trust_deny}"
    if decision.value == EXPLICIT_DENY:
        deciding = [m for m in decision.matched if m.policy_type is decision.denied_by]
        # A bucket policy or trust policy is no entity with an ARN of its own: AWS names
        # no policy after "with an explicit deny in a resource-based policy".
        named = deciding and deciding[0].policy_id.startswith("arn:")
        if name_policy and named and decision.denied_by is not PolicyType.RESOURCE:
            reason = f"{reason}: {deciding[0].policy_id}"
    elif decision.denied_by is PolicyType.RESOURCE and _trust_action(decision.action):
        # A role's trust policy that does not allow the caller (or a role that does not
        # exist) is refused without a reason: "User: ... is not authorized to perform:
        # sts:AssumeRole on resource: arn:aws:iam::111122223333:role/Name", as AWS answers a
        # wrong or missing ExternalId or a principal the trust policy does not name. So are
        # the session's own actions the trust policy must allow: "... is not authorized to
        # perform: sts:TagSession on resource: arn:aws:iam::…:role/…", with nothing after
        # the ARN, in AWS's answers quoted in public logs (a Karpenter controller, GitHub
        # Actions runners; cluster-api-provider-aws's docs for sts:SetSourceIdentity).
        reason = ""
    tail = f" {reason}" if reason else ""
    return f"User: {principal_arn} is not authorized to perform: {decision.action}{on}{tail}"
