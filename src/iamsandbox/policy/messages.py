"""AWS's words for policy errors, by reason and by kind of policy.

IAM answers every grammar problem with ``MalformedPolicyDocument`` (HTTP 400) and one of
these messages; S3 answers bucket policies with ``MalformedPolicy``; AWS Organizations
answers SCPs and RCPs with ``MalformedPolicyDocumentException`` and one message for all.

Sources: moto's table of IAM's answers (``tests/test_iam/test_iam_policies.py``, probed
against IAM), AWS responses recorded by localstack (the trust policy and S3 JSON
messages), and AWS messages quoted in public issues and logs (trust policy principal, S3
``Policy has invalid resource``, ``Missing required field Principal``, the IAM resource
path message as IAM words it since it accepts "root"); Organizations' message is
botocore's ``MalformedPolicyDocumentException`` as the service words it.
"""

from __future__ import annotations

from ..errors import MalformedPolicy, MalformedPolicyDocument, MalformedPolicyDocumentException
from .ast import PolicyKind

SYNTAX = "Syntax errors in policy."

IAM = {
    "json": SYNTAX,
    "syntax": SYNTAX,
    "missing_statement": SYNTAX,
    "version": SYNTAX,
    "effect": SYNTAX,
    "legacy": "The policy failed legacy parsing",  # bad dates, short ARNs
    "effect_case": "The policy failed legacy parsing",  # "allow", "DENY"
    "duplicate_sid": "Statement IDs (SID) in a single policy must be unique.",
    "sid_format": (
        "Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular expression [0-9A-Za-z]*"
    ),
    "missing_action": "Policy statement must contain actions.",
    "missing_resource": "Policy statement must contain resources.",
    "missing_principal": "Missing required field Principal",
    "principal_not_allowed": "Policy document should not specify a principal.",
    "vendor_prefix": "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.",
    "one_colon": "Actions/Condition can contain only one colon.",
    "invalid_vendor": "Vendor {vendor} is not valid",
    "resource_format": 'Resource {resource} must be in ARN format or "*".',
    "resource_vendor": "Resource vendor must be fully qualified and cannot contain regexes.",
    "invalid_partition": 'Partition "{partition}" is not valid for resource "{resource}".',
    "iam_region": "IAM resource {resource} cannot contain region information.",
    "region": "Resource {resource} can not contain region information.",  # sic: "can not"
    # Recorded from IAM in 2026 (PutRolePolicy, CreatePolicyVersion); moto's older
    # recording lacks "root, ".
    "iam_path": (
        'IAM resource path must either be "*", root, or start with user/, federated-user/, role/, group/,'
        " instance-profile/, mfa/, server-certificate/, policy/, sms-mfa/, saml-provider/, oidc-provider/,"
        " report/, access-report/."
    ),
    "invalid_principal": "Invalid principal in policy: {principal}",
    "federated_principal": "Federated principals must be valid domain names or SAML metadata ARNs",
    "prohibited_resource": "Has prohibited field Resource",
    "prohibited_principal": "Has prohibited field {element}",
}

TRUST = {
    **IAM,
    "json": "This policy contains invalid Json",
    # Text that is no JSON at all: recorded from AWS for UpdateAssumeRolePolicy of "not valid
    # json" (LocalStack's tests/aws/services/iam/test_iam_roles.snapshot.json,
    # invalid-json-error, February 2026); an identity policy's answer is SYNTAX.
    "not_json": "This policy contains invalid Json",
    "missing_principal": (
        "Invalid principal in policy: com.amazon.balsa.error.InvalidPolicyException: "
        "The passed in policy has a statement with no principals!"
    ),
    "trust_action": "AssumeRole policy may only specify STS AssumeRole actions.",
}

S3 = {
    **IAM,
    "json": "This policy contains invalid Json",
    "not_object": "Policies must be valid JSON and the first byte must be '{{'",  # a format string
    "not_json": "Policies must be valid JSON and the first byte must be '{{'",
    "missing_statement": "Missing required field Statement",
    "version": "The policy must contain a valid version string",
    "effect": "Invalid effect: {effect}",
    # "Allow" in another case: S3's answer is unrecorded; versitygw, which copies S3's
    # answers, compares the Effect case-sensitively and answers this (third-party).
    "effect_case": "Invalid effect: {effect}",
    "missing_action": "Missing required field Action",
    "missing_resource": "Missing required field Resource",
    "invalid_principal": "Invalid principal in policy",
    "federated_principal": "Invalid principal in policy",
    "resource_format": "Policy has invalid resource",
    "resource_vendor": "Policy has invalid resource",
    "invalid_partition": "Policy has invalid resource",
    "legacy": "Policy has invalid resource",
}

ORGANIZATIONS = "The provided policy document does not meet the requirements of the specified policy type."

# LimitExceeded (HTTP 409). IAM counts characters other than white space ("IAM and AWS STS
# quotas": "IAM doesn't count white space when calculating the size of a policy").
POLICY_SIZE = "Cannot exceed quota for PolicySize: {limit}"
TRUST_SIZE = "Cannot exceed quota for ACLSizePerRole: {limit}"


def policy_error(kind: PolicyKind, reason: str, **fields: str) -> MalformedPolicyDocument:
    """The error AWS answers for ``reason`` in a policy of ``kind``."""
    if kind in (PolicyKind.SCP, PolicyKind.RCP):
        return MalformedPolicyDocumentException(ORGANIZATIONS)
    if kind is PolicyKind.RESOURCE:
        return MalformedPolicy(S3.get(reason, SYNTAX).format(**fields))
    table = TRUST if kind is PolicyKind.TRUST else IAM
    return MalformedPolicyDocument(table.get(reason, SYNTAX).format(**fields))
