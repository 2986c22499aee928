"""Whether a bucket policy is "public", as Amazon S3 decides it for Block Public Access
(BlockPublicPolicy refuses a public policy) and for GetBucketPolicyStatus (IsPublic).

AWS page: Amazon S3 User Guide, "Blocking public access to your Amazon S3 storage",
section "The meaning of "public"", subsection "Bucket policies":

  "When evaluating a bucket policy, Amazon S3 begins by assuming that the policy is
  public. It then evaluates the policy to determine whether it qualifies as non-public.
  To be considered non-public, a bucket policy must grant access only to fixed values
  (values that don't contain a wildcard or an AWS Identity and Access Management Policy
  Variable) for one or more of the following: an AWS principal, user, role, or service
  principal (e.g. aws:PrincipalOrgID); a set of CIDRs, using aws:SourceIp [...];
  aws:SourceArn; aws:SourceVpc; aws:SourceVpce; aws:SourceOwner; aws:SourceAccount;
  s3:x-amz-server-side-encryption-aws-kms-key-id; aws:userid, outside the pattern
  "AROLEID:*"; s3:DataAccessPointArn [which may carry a wildcard in the access point
  name as long as the account id is fixed]; s3:DataAccessPointAccount."

and "Bucket policies that grant access conditioned on the aws:SourceIp condition key with
very broad IP ranges (for example, 0.0.0.0/1) are evaluated as "public." This includes
values broader than /8 for IPv4 and /32 for IPv6 (excluding RFC1918 private ranges)."
Its examples: ``"Principal": {"Federated": "graph.facebook.com"}`` is public, as are
``"Principal": "*"`` alone and with ``StringLike aws:SourceVpc "vpc-*"``; ``StringEquals
aws:SourceVpc "vpc-91237329"`` makes the last one non-public.

How the rules are read here (each one is a row of the table in
tests/services/s3/test_s3_bucket_config.py):

- Only Allow statements can make a policy public; one public Allow makes the whole
  policy public ("How Amazon S3 evaluates a bucket policy that contains both public and
  non-public access grants").
- A statement grants to fixed principals when its Principal names AWS principals
  (accounts, users, roles), service principals or canonical users, none with a wildcard
  or a policy variable. ``"*"``, ``{"AWS": "*"}``, any Federated principal (the page's
  example: anyone can sign in to a web identity provider) and NotPrincipal (everyone but
  the named) are not fixed. A Principal with no values at all (``{"AWS": []}``) grants no
  one, and is not public.
- Otherwise the statement is non-public only if one of its conditions pins one of the
  keys above to fixed values: every value of the clause fixed, under an operator that
  requires the key to be present and to match (not a negated operator, not ...IfExists,
  not Null, not ForAllValues:, which all match a request without the key).
  aws:PrincipalOrgID stands for the principal keys of the first rule; aws:PrincipalAccount
  and aws:PrincipalArn name principals the same way and are taken as such (an
  interpretation: the page gives aws:PrincipalOrgID as its one example).
- aws:SourceIp: each CIDR must be /8 or narrower for IPv4, /32 or narrower for IPv6
  ("broader than /8" read literally: a /8 is not broader than /8, so the RFC 1918
  exception changes nothing for IPv4 here; unconfirmed whether S3 counts a public /8 as
  broad); a single address is a /32 or /128; a value that is not an address at all is not
  a fixed CIDR.
- aws:userid: a fixed value, or a role's "AROLEID:*" (a role's unique id, which starts
  with AROA, then ":*" for any of its sessions): "outside the pattern" is read as "apart
  from the pattern", which the page allows (an interpretation).
- s3:DataAccessPointArn: ``arn:PARTITION:s3:REGION:ACCOUNT:accesspoint/NAME`` where only
  NAME may hold a wildcard.

Known gaps: access point policies (where s3:DataAccessPointArn with a wildcard is public)
and the older "bad actions" wording of some SDK documentation are not modelled.
"""

from __future__ import annotations

import ipaddress
import re

from ..policy.ast import ConditionClause, Policy, PrincipalSet, Statement

# The condition keys whose fixed values make a statement non-public, lower-cased.
RESTRICTING_KEYS = frozenset(
    {
        "aws:principalorgid",
        "aws:principalaccount",
        "aws:principalarn",
        "aws:sourceip",
        "aws:sourcearn",
        "aws:sourcevpc",
        "aws:sourcevpce",
        "aws:sourceowner",
        "aws:sourceaccount",
        "s3:x-amz-server-side-encryption-aws-kms-key-id",
        "aws:userid",
        "s3:dataaccesspointarn",
        "s3:dataaccesspointaccount",
    }
)
_FIXED_PRINCIPAL_TYPES = ("AWS", "Service", "CanonicalUser")
_ROLE_SESSIONS = re.compile(r"AROA[0-9A-Z]+:\*")
_ACCESS_POINT = re.compile(r"arn:[a-z-]+:s3:[a-z0-9-]+:\d{12}:accesspoint/.+")
_PRIVATE_V4 = tuple(ipaddress.IPv4Network(n) for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"))


def is_fixed(value: str) -> bool:
    """A value with no wildcard and no policy variable."""
    return "*" not in value and "?" not in value and "${" not in value


def _fixed_principal(principal: PrincipalSet) -> bool:
    if principal.wildcard:
        return False
    if not principal.values:  # ``{"AWS": []}``: a statement that grants no one is not public
        return True
    return all(kind in _FIXED_PRINCIPAL_TYPES and is_fixed(value) for kind, value in principal.values)


def _narrow_cidr(value: str) -> bool:
    try:
        network = ipaddress.ip_network(value.strip(), strict=False)
    except ValueError:
        return False
    if isinstance(network, ipaddress.IPv4Network):
        if any(network.subnet_of(private) for private in _PRIVATE_V4):
            return True
        return network.prefixlen >= 8
    return network.prefixlen >= 32


def _fixed_value(key: str, value: str) -> bool:
    if key == "aws:sourceip":
        return _narrow_cidr(value)
    if key == "aws:userid":
        return is_fixed(value) or _ROLE_SESSIONS.fullmatch(value) is not None
    if key == "s3:dataaccesspointarn":
        if is_fixed(value):
            return True
        head, _, _name = value.partition(":accesspoint/")
        return is_fixed(head) and _ACCESS_POINT.fullmatch(value) is not None
    return is_fixed(value)


def _requires_key(operator: str) -> bool:
    """Whether a request without the key fails the clause (so the clause can restrict)."""
    qualifier, _, name = operator.rpartition(":")
    if qualifier.lower() == "forallvalues":
        return False
    # StringNotEquals, NotIpAddress, ArnNotLike...: every negated operator has "Not".
    return not ("Not" in name or name.endswith("IfExists") or name == "Null")


def _restricting(clause: ConditionClause) -> bool:
    key = clause.key.lower()
    if key not in RESTRICTING_KEYS or not clause.values or not _requires_key(clause.operator):
        return False
    return all(_fixed_value(key, value) for value in clause.values)


def public_statement(statement: Statement) -> bool:
    """Whether one statement of a bucket policy makes the policy public."""
    if not statement.allows:
        return False
    if statement.not_principal is None and statement.principal is not None and _fixed_principal(statement.principal):
        return False
    return not any(_restricting(clause) for clause in statement.condition)


def is_public(policy: Policy) -> bool:
    """Whether S3 considers this bucket policy public ("The meaning of "public"")."""
    return any(public_statement(statement) for statement in policy.statements)
