"""Rules that depend on where a policy is used, and the size quotas.

IAM checks a policy in this order, and reports the first problem it finds (moto's table
of IAM's answers, probed against IAM): grammar (``parse``), then the "legacy" checks
(Effect written exactly ``Allow``/``Deny``, ARNs with six segments, dates in Date
conditions), duplicate Sids, actions present, resources present, resource formats, action
vendors. The rules by kind:

- Principal: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
  ("You cannot use the Principal element in an identity-based policy"; a resource-based
  policy or a role trust policy must name one; "You cannot use a wildcard to match part
  of a principal name or ARN"); NotPrincipal is not allowed in a trust policy
  (reference_policies_elements_notprincipal.html).
- A trust policy has no Resource ("Has prohibited field Resource"), and its actions are the
  ones a trust policy can grant: sts:AssumeRole and its SAML and web identity forms, and the
  actions the IAM User Guide adds to a trust policy for a session (sts:TagSession in
  "Pass session tags in AWS STS", sts:SetSourceIdentity in "Monitor and control actions
  taken with assumed roles", sts:SetContext in "Trusted identity propagation"). Others are
  "AssumeRole policy may only specify STS AssumeRole actions." (IAM's answer to
  "sts:TagSessions", hashicorp/terraform-provider-aws#32872). A wildcard that matches one
  of them is taken ("*" included: whether IAM refuses it is unconfirmed).
- SCP syntax: https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_syntax.html
  (the full IAM language since 2025, but no Principal or NotPrincipal).
- RCP syntax: https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps_syntax.html
  (Principal "*", no NotPrincipal, no NotAction, only Deny except in RCPFullAWSAccess).
- Quotas: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
  (managed policy 6,144 characters, role trust policy 2,048, session policies 2,048, white
  space not counted); S3 bucket policy 20 KB; Organizations policies 5,120 characters,
  where "all characters in your SCP count against its maximum size".

Known gap: IAM also refuses a trust policy whose Principal names a user or role that does
not exist; that needs the store, so the IAM service checks it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..errors import LimitExceeded
from .ast import Policy, PolicyKind, PrincipalSet, Statement
from .conditions import parse_date, parse_operator
from .match import compile_action
from .messages import POLICY_SIZE, TRUST_SIZE, policy_error

SIZE_LIMITS = {
    PolicyKind.IDENTITY: 6144,
    PolicyKind.BOUNDARY: 6144,
    PolicyKind.TRUST: 2048,
    PolicyKind.SESSION: 2048,
    PolicyKind.RESOURCE: 20480,
    PolicyKind.SCP: 5120,
    PolicyKind.RCP: 5120,
}
PARTITIONS = ("aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b", "aws-iso-e", "aws-iso-f", "aws-eusc", "*")

_VENDOR = re.compile(r"^[a-zA-Z0-9_-]+$")
TRUST_ACTIONS = (
    "sts:AssumeRole",
    "sts:AssumeRoleWithSAML",
    "sts:AssumeRoleWithWebIdentity",
    "sts:TagSession",
    "sts:SetSourceIdentity",
    "sts:SetContext",
)
_ACCOUNT = re.compile(r"^[0-9]{12}$")
# A deleted user's or role's unique ID, which replaced its ARN in the stored resource-based
# policies that named it ("AWS JSON policy elements: Principal": "If your Principal element
# in a role trust policy contains an ARN that points to a specific IAM role, then that ARN
# transforms to the role unique principal ID when you save the policy"; after a deletion the
# policy shows the ID). It matches no caller.
RETIRED_PRINCIPAL = re.compile(r"A(?:IDA|ROA)[A-Z0-9]{12,}")
_AWS_PRINCIPAL_ARN = re.compile(
    r"^arn:aws[a-z-]*:(iam::([0-9]{12}|aws):|sts::[0-9]{12}:(assumed-role|federated-user)/)[^*?]+$"
)
_SERVICE = re.compile(r"^[a-z0-9-]+(\.[a-z0-9-]+)*\.(amazonaws\.com|amazonaws\.com\.cn|amazon\.com|aws\.internal)$")
_WHITESPACE = re.compile(r"\s+")
# "The Sid element supports ASCII uppercase letters (A-Z), lowercase letters (a-z), and
# numbers (0-9)" (reference_policies_elements_sid.html): IAM enforces it on identity
# policies (MalformedPolicyDocument, quoted in aws-cloudformation/cfn-lint#708 and
# Wolox/carthage_cache#22); S3 bucket policies accept other characters, spaces included.
_IAM_SID = re.compile(r"[0-9A-Za-z]*")


def policy_size(text: str, kind: PolicyKind) -> int:
    """Characters that count against the quota: IAM skips white space, Organizations
    and S3 count it."""
    if kind in (PolicyKind.SCP, PolicyKind.RCP, PolicyKind.RESOURCE):
        return len(text.encode("utf-8", "surrogatepass")) if kind is PolicyKind.RESOURCE else len(text)
    return len(_WHITESPACE.sub("", text))


def check_size(text: str, kind: PolicyKind, limit: int | None = None) -> None:
    limit = SIZE_LIMITS[kind] if limit is None else limit
    if policy_size(text, kind) > limit:
        template = TRUST_SIZE if kind is PolicyKind.TRUST else POLICY_SIZE
        raise LimitExceeded(template.format(limit=limit))


def validate(policy: Policy, kind: PolicyKind, *, stored: bool = False) -> None:
    """``stored``: a document read back from the store, which may name a deleted user or
    role by its unique ID (``RETIRED_PRINCIPAL``); a document being written may not."""
    statements = policy.statements
    for statement in statements:
        _check_kind(statement, kind, stored)
    for statement in statements:
        _check_legacy(statement, kind)
    sids = [s.sid for s in statements if s.sid]
    if len(sids) != len(set(sids)):
        raise policy_error(kind, "duplicate_sid")
    if kind in (PolicyKind.IDENTITY, PolicyKind.BOUNDARY) and not all(_IAM_SID.fullmatch(sid) for sid in sids):
        raise policy_error(kind, "sid_format")
    for statement in statements:
        if not (statement.action if statement.action is not None else statement.not_action):
            raise policy_error(kind, "missing_action")
    if kind is not PolicyKind.TRUST:
        for statement in statements:
            if not (statement.resource if statement.resource is not None else statement.not_resource):
                raise policy_error(kind, "missing_resource")
    for statement in statements:
        for resource in _resources(statement):
            _check_resource(resource, kind)
    for statement in statements:
        _check_actions_and_conditions(statement, kind)
    if kind is PolicyKind.TRUST and not stored:  # a store written before this rule keeps its roles
        for statement in statements:
            for action in statement.action or ():
                matches = compile_action(action)
                if not any(matches(known, {}) for known in TRUST_ACTIONS):
                    raise policy_error(kind, "trust_action")


def _resources(statement: Statement) -> Iterator[str]:
    yield from statement.resource or ()
    yield from statement.not_resource or ()


def _check_kind(statement: Statement, kind: PolicyKind, stored: bool = False) -> None:
    has_principal = statement.principal is not None or statement.not_principal is not None
    if kind in (PolicyKind.IDENTITY, PolicyKind.BOUNDARY, PolicyKind.SESSION, PolicyKind.SCP) and has_principal:
        raise policy_error(kind, "principal_not_allowed")
    if kind is PolicyKind.TRUST:
        if statement.principal is None:
            raise policy_error(kind, "missing_principal")
        if statement.resource is not None or statement.not_resource is not None:
            raise policy_error(kind, "prohibited_resource")
    if kind is PolicyKind.RESOURCE and not has_principal:
        raise policy_error(kind, "missing_principal")
    if kind is PolicyKind.RCP:
        _check_rcp(statement)
    for principal in (statement.principal, statement.not_principal):
        if principal is not None:
            _check_principal(principal, kind, stored)


def _check_legacy(statement: Statement, kind: PolicyKind) -> None:
    if statement.effect not in ("Allow", "Deny"):
        raise policy_error(kind, "legacy")
    for resource in _resources(statement):
        if resource != "*" and resource.startswith("arn:") and resource.count(":") in range(2, 5):
            raise policy_error(kind, "legacy")
    for clause in statement.condition:
        operator = parse_operator(clause.operator)
        if operator is not None and operator.base.startswith("Date"):
            if any(parse_date(value) is None for value in clause.values):
                raise policy_error(kind, "legacy")


def _check_resource(resource: str, kind: PolicyKind) -> None:
    if resource == "*":
        return
    if not resource.startswith("arn:"):
        raise policy_error(kind, "resource_format", resource=resource)
    parts = resource.split(":", 5)
    if len(parts) < 3 or not parts[2]:
        raise policy_error(kind, "resource_vendor")
    if parts[1] not in PARTITIONS:
        shown = ":".join(parts + ["*"] * (6 - len(parts)))
        raise policy_error(kind, "invalid_partition", partition=parts[1], resource=shown)


def _check_actions_and_conditions(statement: Statement, kind: PolicyKind) -> None:
    for action in statement.action or statement.not_action or ():
        if action == "*":
            continue
        if ":" not in action:
            raise policy_error(kind, "vendor_prefix")
        if action.count(":") > 1:
            raise policy_error(kind, "one_colon")
        vendor = action.split(":", 1)[0]
        if not _VENDOR.match(vendor):
            raise policy_error(kind, "invalid_vendor", vendor=vendor)
    for clause in statement.condition:
        if parse_operator(clause.operator) is None:
            raise policy_error(kind, "syntax")
        if ":" not in clause.key:
            raise policy_error(kind, "vendor_prefix")


def _check_principal(principal: PrincipalSet, kind: PolicyKind, stored: bool = False) -> None:
    for principal_type, value in principal.values:
        if value == "*" and principal_type == "AWS":
            continue
        if stored and principal_type == "AWS" and RETIRED_PRINCIPAL.fullmatch(value):
            continue
        if principal_type == "AWS":
            valid = bool(_ACCOUNT.match(value) or _AWS_PRINCIPAL_ARN.match(value))
        elif principal_type == "Service":
            valid = bool(_SERVICE.match(value))
        elif principal_type == "Federated":
            valid = bool(value) and "*" not in value
        else:  # CanonicalUser
            valid = bool(re.fullmatch(r"[0-9a-f]{64}", value))
        if not valid:
            raise policy_error(kind, "invalid_principal", principal=f'"{principal_type}":"{value}"')


def _check_rcp(statement: Statement) -> None:
    kind = PolicyKind.RCP
    if statement.not_principal is not None or statement.not_action is not None:
        raise policy_error(kind, "syntax")
    principal = statement.principal
    if principal is None or not (principal.wildcard or principal.values == (("AWS", "*"),)):
        raise policy_error(kind, "syntax")
    full_access = statement.action == ("*",) and statement.resource == ("*",) and not statement.condition
    if statement.effect == "Allow" and not full_access:
        raise policy_error(kind, "syntax")
