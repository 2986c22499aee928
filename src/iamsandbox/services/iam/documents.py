"""Policy documents as IAM checks them when they are stored.

- Managed policies (CreatePolicy, CreatePolicyVersion): the identity grammar, 6,144
  characters, and Version 2012-10-17 ("Policy document must be version 2012-10-17 or
  greater.": IAM's answer quoted in Meteor-Community-Packages/Meteor-CollectionFS#630).
- Inline policies: the identity grammar; their size counts per entity, all inline
  policies together: 2,048 characters for a user, 5,120 for a group, 10,240 for a role,
  white space not counted ("IAM and AWS STS quotas").
- Trust policies: the trust grammar (2,048), and each AWS principal that is a user or role
  ARN must name one that exists (IAM: "Invalid principal in policy"), checked here against
  the store; an account ID or root ARN may name any account. S3's PutBucketPolicy makes
  the same check (``missing_principal``).
"""

from __future__ import annotations

from ...errors import LimitExceeded, MalformedPolicyDocument
from ...policy import Policy, PolicyKind, parse_grammar, parse_policy
from ...policy.messages import policy_error
from ...policy.validate import check_size, policy_size, validate
from ...store.interface import Transaction

INLINE_LIMITS = {"user": 2048, "group": 5120, "role": 10240}


def managed_document(text: str) -> Policy:
    """The version is checked after the grammar and before the other rules: a document
    without Version that also has duplicate Sids, a bad date or the Effect "denY" is answered
    with the version (recorded from AWS: LocalStack's tests/aws/services/iam/
    test_iam_policies.snapshot.json, invalid-60, invalid-65, invalid-66, February 2026)."""
    check_size(text, PolicyKind.IDENTITY)
    policy = parse_grammar(text, PolicyKind.IDENTITY)
    if policy.version != "2012-10-17":
        raise MalformedPolicyDocument("Policy document must be version 2012-10-17 or greater.")
    validate(policy, PolicyKind.IDENTITY)
    return policy


def inline_document(text: str, kind: str, owner_name: str, other_documents: list[str]) -> Policy:
    policy = parse_grammar(text, PolicyKind.IDENTITY)
    validate(policy, PolicyKind.IDENTITY)
    limit = INLINE_LIMITS[kind]
    total = policy_size(text, PolicyKind.IDENTITY) + sum(
        policy_size(other, PolicyKind.IDENTITY) for other in other_documents
    )
    if total > limit:
        raise LimitExceeded(f"Maximum policy size of {limit} bytes exceeded for {kind} {owner_name}")
    return policy


def trust_document(tx: Transaction, text: str) -> Policy:
    policy = parse_policy(text, PolicyKind.TRUST)
    missing = missing_principal(tx, policy)
    if missing is not None:
        raise policy_error(PolicyKind.TRUST, "invalid_principal", principal=f'"AWS":"{missing}"')
    return policy


def missing_principal(tx: Transaction, policy: Policy) -> str | None:
    """The first AWS principal (Principal or NotPrincipal) naming a user or role that does
    not exist, or None."""
    for statement in policy.statements:
        for principal in (statement.principal, statement.not_principal):
            if principal is None:
                continue
            for principal_type, value in principal.values:
                if principal_type == "AWS" and not _principal_exists(tx, value):
                    return value
    return None


def _principal_exists(tx: Transaction, value: str) -> bool:
    parts = value.split(":", 5)
    if len(parts) < 6 or parts[2] != "iam":
        return True  # an account ID, "*", or an STS ARN
    account, resource = parts[4], parts[5]
    kind, _, rest = resource.partition("/")
    if kind not in ("user", "role"):
        return True  # the root ARN
    name = rest.rsplit("/", 1)[-1]
    found = tx.get_user(account, name) if kind == "user" else tx.get_role(account, name)
    return found is not None and found.arn == value
