"""Rules that depend on where a policy is used, and the size quotas.

IAM checks a policy in this order, and reports the first problem it finds (moto's table
of IAM's answers, probed against IAM): grammar (``parse``), then the "legacy" checks
(Effect written exactly ``Allow``/``Deny``, dates in Date conditions, then ARNs with an
empty service or a ``::`` in fewer than six segments; a statement's ARNs are not
legacy-checked once a resource format problem has been found, in it or before it),
duplicate Sids, actions present, resources present, resource formats, action vendors.

Resource formats, in IAM's words (moto's table; ``_resource_problem``): a colon at all
("must be in ARN format"), a known partition, a service. For identity policies,
permissions boundaries and session policies IAM also refuses a Region (one without
wildcards) in an IAM ARN or in an S3 ARN other than S3's regional resource types, and an
IAM resource path that is not "*", "root" or one of IAM's resource types. Organizations'
and S3's answers to these are unrecorded, so SCPs, RCPs and bucket policies are not held
to them (a bucket policy's resources must name its bucket anyway:
``services/s3/buckets.py``), nor are documents read back from the store.

The rules by kind:

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

from ..errors import LimitExceeded, MalformedPolicyDocument
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

# The resource paths IAM accepts in an IAM ARN, in the order of its message
# (messages.IAM["iam_path"]); "*" and "root" are accepted too.
IAM_RESOURCE_PATHS = (
    "user/",
    "federated-user/",
    "role/",
    "group/",
    "instance-profile/",
    "mfa/",
    "server-certificate/",
    "policy/",
    "sms-mfa/",
    "saml-provider/",
    "oidc-provider/",
    "report/",
    "access-report/",
)
# S3's resource types whose ARN has a Region (Service Authorization Reference, "Resource
# types defined by Amazon S3": access points, Batch Operations jobs, Storage Lens, Access
# Grants, Multi-Region Access Point requests), by the start of their resource path;
# tests/policy/test_validate_resource_arns.py checks the list against the catalog. Moto
# accepts only "accesspoint/"; AWS's own managed policies name "access-grants/" with a
# Region (SageMakerStudioProjectRoleMachineLearningPolicy).
S3_REGIONAL_PATHS = (
    "accesspoint/",
    "job/",
    "storage-lens/",
    "storage-lens-group/",
    "access-grants/default",
    "async-request/mrap/",
)
_IAM_RESOURCE_RULES = (PolicyKind.IDENTITY, PolicyKind.BOUNDARY, PolicyKind.SESSION)
_WILDCARD = re.compile(r"[*?]")
# A policy variable in a Resource (``${aws:PrincipalAccount}``): its colon separates no
# segment of the ARN (AWS's own AmazonTimestreamInfluxDBServiceRolePolicy has
# "arn:*:kms:*:${aws:PrincipalAccount}:key/*").
_VARIABLE = re.compile(r"\$\{[^}]*\}")
_VENDOR = re.compile(r"^[a-zA-Z0-9_.-]+$")  # "s3.s" is saved (recorded from AWS, test_iam_policies valid-27)
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
# An "AWS" principal's ARN: an account's root user, an IAM user or role, a role session or
# a federated user; never a group: "You cannot identify a user group as a principal in a
# policy ... because groups relate to permissions, not authentication" ("AWS JSON policy
# elements: Principal"; IAM's 'Invalid principal in policy: "AWS":"arn:aws:iam::...:group/..."'
# as recorded in aws/aws-cdk#11505), nor a provider, policy or other IAM resource.
_AWS_PRINCIPAL_ARN = re.compile(
    r"^arn:aws[a-z-]*:(iam::[0-9]{12}:(root|(user|role)/[^*?]+)|iam::aws:[^*?]+"
    r"|sts::[0-9]{12}:(assumed-role|federated-user)/[^*?]+)$"
)
# A Federated principal: "Federated principals must be valid domain names or SAML metadata
# ARNs" (IAM's MalformedPolicyDocument, as quoted in terraform-aws-modules/terraform-aws-iam#202):
# a web identity provider's domain (accounts.google.com, cognito-identity.amazonaws.com) or
# an IAM SAML or OIDC provider's ARN.
_FEDERATED_DOMAIN = re.compile(r"^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")
_FEDERATED_PROVIDER_ARN = re.compile(r"^arn:aws[a-z-]*:iam::[0-9]{12}:(saml-provider|oidc-provider)/[^\s*]+$")
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
    resource_error = _check_resources(statements, kind, iam_rules=kind in _IAM_RESOURCE_RULES and not stored)
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
    if resource_error is not None:
        raise resource_error
    for statement in statements:
        _check_actions_and_conditions(statement, kind)
    if kind is PolicyKind.TRUST and not stored:  # a store written before this rule keeps its roles
        for statement in statements:
            for action in statement.action or ():
                matches = compile_action(action)
                if not any(matches(known, {}) for known in TRUST_ACTIONS):
                    raise policy_error(kind, "trust_action")


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
    """The legacy checks of Effect and dates; those of ARNs are in ``_check_resources``."""
    if statement.effect not in ("Allow", "Deny"):
        raise policy_error(kind, "effect_case", effect=statement.effect)
    for clause in statement.condition:
        operator = parse_operator(clause.operator)
        if operator is not None and operator.base.startswith("Date"):
            if any(parse_date(value) is None for value in clause.values):
                raise policy_error(kind, "legacy")


def _check_resources(
    statements: tuple[Statement, ...], kind: PolicyKind, *, iam_rules: bool
) -> MalformedPolicyDocument | None:
    """Raise the legacy error of a short ARN, or return the first resource format
    problem, which IAM reports later (after Sids, actions and resources present).

    IAM (moto's model of it) reads every statement's Resource, then every statement's
    NotResource; it legacy-checks a statement's ARNs only while no format problem has been
    found, so ``["arn:error:s3:::b", "arn:error:s3::b"]`` is a partition error, not a
    legacy one."""
    found: MalformedPolicyDocument | None = None
    for group in [s.resource for s in statements] + [s.not_resource for s in statements]:
        for resource in group or ():
            if found is None:
                found = _resource_problem(resource, kind, iam_rules)
        if found is None and any(_fails_legacy(resource) for resource in group or ()):
            raise policy_error(kind, "legacy")
    return found


def _fails_legacy(resource: str) -> bool:
    """A "::" in fewer than six segments, or an empty service (moto's table:
    "arn:aws:s3::example_bucket", "arn:aws::fdsasf" and "arn:aws::::example_bucket" fail
    legacy parsing; "arn:aws:fdsasf" passes)."""
    if resource == "*":
        return False
    parts = resource.split(":")
    return ("::" in resource and len(parts) < 6) or (len(parts) > 2 and not parts[2])


def _resource_problem(resource: str, kind: PolicyKind, iam_rules: bool) -> MalformedPolicyDocument | None:
    if resource == "*":
        return None
    prefix, colon, rest = resource.partition(":")
    if not colon:
        return policy_error(kind, "resource_format", resource=resource)
    # IAM reads the partition before it looks at "arn" (moto's table: "aws:s3:::example_bucket"
    # is 'Partition "s3" is not valid for resource "arn:s3:::example_bucket:*".').
    partition, colon, rest = rest.partition(":")
    if partition not in PARTITIONS:
        return policy_error(kind, "invalid_partition", partition=partition, resource=_shown(partition, rest))
    if prefix != "arn":
        return policy_error(kind, "resource_format", resource=resource)  # unrecorded; our reading
    if not colon:
        return policy_error(kind, "resource_vendor")
    if not iam_rules:
        return None
    parts = _segments(resource)
    service = parts[2]
    # A wildcard Region ("arn:aws:s3:*:*:bucket/*") is unrecorded (moto refuses it, by its
    # own rule, not a recording): it is not held to be region information.
    region = parts[3] if len(parts) > 3 and not _WILDCARD.search(parts[3]) else ""
    path = parts[5] if len(parts) > 5 else ""
    if service == "iam":
        if region:
            return policy_error(kind, "iam_region", resource=resource)
        if path not in ("*", "root") and not path.startswith(IAM_RESOURCE_PATHS):
            return policy_error(kind, "iam_path")
    if service == "s3" and region and not _s3_regional(path):
        return policy_error(kind, "region", resource=resource)
    return None


def _segments(resource: str) -> list[str]:
    """An ARN's six segments at most (the last keeps its colons), as ``split(":", 5)``
    but for the colons inside policy variables."""
    masked = _VARIABLE.sub(lambda variable: "_" * len(variable.group()), resource)
    if masked == resource:
        return resource.split(":", 5)
    parts: list[str] = []
    start = 0
    for index, char in enumerate(masked):
        if char == ":" and len(parts) < 5:
            parts.append(resource[start:index])
            start = index + 1
    parts.append(resource[start:])
    return parts


def _shown(partition: str, rest: str) -> str:
    """The resource as IAM shows it with a bad partition: "arn:", the partition, then the
    other four segments, "*" for a missing one (moto's table: "a:b:cadfsdf" is shown
    "arn:b:cadfsdf:*:*:*", "a:b:c:d:e:f:g:h" as "arn:b:c:d:e:f:g:h")."""
    segments = rest.split(":")
    shown = [segments[0] if segments[0] or len(segments) > 1 else "*"]
    shown += [segments[i] if len(segments) > i else "*" for i in (1, 2)]
    shown.append(":".join(segments[3:]) if len(segments) > 3 else "*")
    return ":".join(["arn", partition, *shown])


def _s3_regional(path: str) -> bool:
    """Whether an S3 resource path (a pattern) can name one of S3's regional resource types."""
    literal = _WILDCARD.split(path, 1)[0]
    if literal == path:
        return path.startswith(S3_REGIONAL_PATHS)
    return any(known.startswith(literal) or literal.startswith(known) for known in S3_REGIONAL_PATHS)


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
        # A condition key needs no vendor prefix: IAM saves {"StringEqualsIfExists": {"a":
        # "asf"}} (moto's probe of IAM, tests/policy/test_validate_condition_keys.py).
        if parse_operator(clause.operator) is None:
            raise policy_error(kind, "syntax")


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
            if not (_FEDERATED_DOMAIN.match(value) or _FEDERATED_PROVIDER_ARN.match(value)):
                raise policy_error(kind, "federated_principal")
            valid = True
        else:  # CanonicalUser
            valid = bool(re.fullmatch(r"[0-9a-f]{64}", value))
        if not valid:
            # IAM writes a service principal's key in capitals: 'Invalid principal in policy:
            # "SERVICE":"amazonaws.com"' (as quoted from IAM in aws-samples/aws-cdk-examples#801).
            shown = "SERVICE" if principal_type == "Service" else principal_type
            raise policy_error(kind, "invalid_principal", principal=f'"{shown}":"{value}"')


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
