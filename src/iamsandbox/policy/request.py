"""The request context a policy is evaluated against: who, what action, which resource.

"Policy evaluation logic: The request context"
(https://docs.aws.amazon.com/IAM/latest/UserGuide/intro-structure.html#intro-structure-request):
principal, action, resource (with its owning account) and context keys. Context key names
compare case-insensitively, so they are stored lower-cased; values stay as given.
"""

from __future__ import annotations

import enum
import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field


class PrincipalKind(enum.Enum):
    ROOT = "root"  # the account root user
    USER = "user"  # an IAM user
    ROLE = "role"  # a role itself (the simulator evaluates roles this way)
    ROLE_SESSION = "role_session"  # an assumed-role session
    FEDERATED_USER = "federated_user"  # an STS GetFederationToken session
    # A caller authenticated by an identity provider's token (AssumeRoleWithWebIdentity) or
    # SAML assertion (AssumeRoleWithSAML): its ARN is the IAM OIDC or SAML provider's, which
    # a trust policy names as {"Federated": ARN}.
    WEB_IDENTITY = "web_identity"
    SERVICE = "service"  # an AWS service principal, such as s3.amazonaws.com
    ANONYMOUS = "anonymous"  # an unsigned request


class Grant(enum.IntEnum):
    """How a resource-based policy's Principal named the caller; a higher value is a more
    specific grant ("Policy evaluation logic: Evaluating identity-based and resource-based
    policies within a single account")."""

    ACCOUNT = 1  # the account (or its root ARN): delegation to the account's own policies
    EVERYONE = 2  # "*" or {"AWS": "*"} (or NotPrincipal that does not exclude the caller)
    ROLE = 3  # the role ARN, for one of the role's sessions
    DIRECT = 4  # the caller's own ARN: the user, the role session, the service


@dataclass(frozen=True, slots=True)
class Principal:
    """The authenticated caller."""

    arn: str  # for a service: its name, such as "s3.amazonaws.com"; for anonymous: "*"
    kind: PrincipalKind
    account: str | None = None
    # The role behind a role session, with its path; for a federated user session, the IAM
    # user who federated (GetFederationToken).
    role_arn: str | None = None
    # Principal element values that name this caller, with how specific each is.
    names: Mapping[str, Grant] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def from_arn(cls, arn: str, role_arn: str | None = None) -> Principal:
        """A principal from its ARN (or service name, or "*" for anonymous).

        For an assumed-role session without ``role_arn``, the role is taken to have no
        path (a session ARN does not carry the role's path). For a federated user session,
        ``role_arn`` is the IAM user who federated, if known. Kept by (ARN, role ARN): a
        server builds the same few callers' principals on every request.
        """
        key = (arn, role_arn)
        found = _PRINCIPALS.get(key)
        if found is None or type(found) is not cls:
            if len(_PRINCIPALS) >= _MAX_PRINCIPALS:
                _PRINCIPALS.clear()
            found = _PRINCIPALS[key] = cls._from_arn(arn, role_arn)
        return found

    @classmethod
    def retired(cls, arn: str, kind: PrincipalKind, account: str) -> Principal:
        """A session whose user or role was deleted: a Principal element naming that ARN
        (or the role's) means whoever holds it now, so only its account names it."""
        root = f"arn:{arn.split(':', 2)[1]}:iam::{account}:root"
        return cls(arn, kind, account, names=_account_names(account, root))

    @classmethod
    def _from_arn(cls, arn: str, role_arn: str | None) -> Principal:
        if arn in ("*", "anonymous", ""):
            return cls("*", PrincipalKind.ANONYMOUS)
        if not arn.startswith("arn:"):
            return cls(arn, PrincipalKind.SERVICE, names={arn: Grant.DIRECT})
        parts = arn.split(":", 5)
        if len(parts) < 6:
            return cls(arn, PrincipalKind.USER, names={arn: Grant.DIRECT})
        partition, account, resource = parts[1], parts[4], parts[5]
        if resource.startswith(("oidc-provider/", "saml-provider/")):
            # A federated principal is named by its provider only: not by the account, nor
            # by {"AWS": ...} ARNs ("IAM JSON policy elements: Principal", federated web
            # identity and SAML principals).
            return cls(arn, PrincipalKind.WEB_IDENTITY, account, names={arn: Grant.DIRECT})
        root = f"arn:{partition}:iam::{account}:root"
        names = _account_names(account, root)
        if resource == "root":
            kind = PrincipalKind.ROOT
        elif resource.startswith("assumed-role/"):
            kind = PrincipalKind.ROLE_SESSION
            if role_arn is None:
                role_name = resource.split("/")[1]
                role_arn = f"arn:{partition}:iam::{account}:role/{role_name}"
            names[role_arn] = Grant.ROLE
        elif resource.startswith("federated-user/"):
            kind = PrincipalKind.FEDERATED_USER
            if role_arn is not None:
                # "if a resource-based policy grants permission to the ARN of the IAM user who
                # federated, then requests made by the federated user during the session are
                # limited by an implicit deny in a permission boundary or session policy"
                # ("Policy evaluation logic"): a role ARN's kind of grant.
                names[role_arn] = Grant.ROLE
        elif resource.startswith("role/"):
            kind = PrincipalKind.ROLE
        else:
            kind = PrincipalKind.USER
        # A role acts through its sessions: a grant naming the role ARN counts as the role's
        # own identity permissions, which the boundary and session policies still cap
        # ("Policy evaluation for requests within a single account").
        names[arn] = Grant.ROLE if kind is PrincipalKind.ROLE else Grant.DIRECT
        return cls(arn, kind, account, role_arn, names)


def canonical_user_id(account_id: str) -> str:
    """The 64-hex-digit canonical user ID that S3 names an account by: a stable hash of the
    account ID, so every replica agrees without storing it."""
    return hashlib.sha256(f"iamsandbox-canonical-user:{account_id}".encode()).hexdigest()


def _account_names(account: str, root: str) -> dict[str, Grant]:
    """The names a Principal element gives an account: its ID, its root ARN, and its
    canonical user ID ({"CanonicalUser": ...}: "Amazon S3 might change the canonical ID to
    the corresponding AWS account ID. This does not impact the policy because both of these
    IDs identify the same account", "Principals" in the S3 User Guide)."""
    return {account: Grant.ACCOUNT, root: Grant.ACCOUNT, canonical_user_id(account): Grant.ACCOUNT}


# Principals by (ARN, role ARN). INVARIANT: a Principal is not changed once built (frozen;
# nothing writes to ``names``), so one may be handed to every request that names it.
_PRINCIPALS: dict[tuple[str, str | None], Principal] = {}
_MAX_PRINCIPALS = 4096


class ValueList(tuple[str, ...]):
    """The values of a multivalued context key (such as aws:TagKeys, or a simulator
    context entry of a ...List type), even when it holds one value or none: a
    condition operator without ForAllValues/ForAnyValue does not match such a key
    ("Single-valued vs. multivalued context keys"; AWS's simulator answers implicitDeny
    for StringLike on a stringList entry of one matching value)."""

    __slots__ = ()


def normalize_context(context: Mapping[str, str | Sequence[str]] | None) -> dict[str, tuple[str, ...]]:
    """Context keys lower-cased; a single value becomes a 1-tuple, a list a ValueList.

    Two keys that differ only in case (an S3 object tagged both ``class`` and ``Class``: S3
    tag keys are case-sensitive) become one key holding the values of both, in the order of
    their names: the condition key "matches both tags" ("IAM JSON policy elements:
    Condition", which warns that "only one value matches" and that "This can result in
    unexpected condition failures"). AWS leaves the outcome unpredictable; here it is
    fixed, and does not depend on which tag was written first: a condition without a set
    operator matches when either value matches (a Deny on ``class=secret`` holds whatever
    ``Class`` says)."""
    out: dict[str, tuple[str, ...]] = {}
    if not context:
        return out
    for key, value in context.items():
        out[key.lower()] = (value,) if isinstance(value, str) else ValueList(value)
    if len(out) < len(context):
        _merge_case_variants(context, out)
    return out


def _merge_case_variants(context: Mapping[str, str | Sequence[str]], out: dict[str, tuple[str, ...]]) -> None:
    by_lower: dict[str, list[str]] = {}
    for key in sorted(context):
        by_lower.setdefault(key.lower(), []).append(key)
    for lower, keys in by_lower.items():
        if len(keys) < 2:
            continue
        merged: list[str] = []
        multivalued = False
        for key in keys:
            value = context[key]
            if isinstance(value, str):
                merged.append(value)
            else:
                merged.extend(value)
                multivalued = True
        out[lower] = ValueList(merged) if multivalued else tuple(merged)


@dataclass(slots=True, unsafe_hash=True)
class Request:
    principal: Principal
    action: str  # "service:Action"
    resource: str  # an ARN, or "*" for actions without a resource
    resource_account: str | None  # None: the principal's own account
    context: Mapping[str, tuple[str, ...]]  # lower-cased keys
    action_key: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.action_key = self.action.lower()

    @classmethod
    def build(
        cls,
        principal: Principal | str,
        action: str,
        resource: str = "*",
        resource_account: str | None = None,
        context: Mapping[str, str | Sequence[str]] | None = None,
    ) -> Request:
        if isinstance(principal, str):
            principal = Principal.from_arn(principal)
        return cls(principal, action, resource, resource_account, normalize_context(context))

    @property
    def same_account(self) -> bool:
        return self.resource_account is None or self.resource_account == self.principal.account
