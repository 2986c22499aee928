"""Hypothesis strategies for policies, policy sets and requests, plus the glue that turns
one generated scenario into both the engine's inputs and the reference model's.

Alphabets are small on purpose (two accounts, a few actions, resources and context
values) so that statements often match and the interesting branches are reached.
Generated documents are valid for their kind: they go through ``json.dumps`` and
``parse_policy`` like a real caller's text.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from typing import Any

import reference_model as model
from hypothesis import strategies as st

from iamsandbox.policy import (
    CompiledSet,
    PolicyKind,
    PolicySet,
    PolicyType,
    Principal,
    Request,
    parse_policy,
)

A, B = "111122223333", "444455556666"
ACCOUNTS = (A, B)

ACTION_PATTERNS = (
    "s3:GetObject",
    "s3:getobject",
    "S3:PutObject",
    "s3:Get*",
    "s3:*Object",
    "s3:?etObject",
    "s3:ListBucket",
    "s3:List*",
    "s3:*",
    "*",
    "sts:AssumeRole",
    "iam:*",
)
# A trust policy's actions are sts:AssumeRole and its session actions ("AssumeRole policy may
# only specify STS AssumeRole actions": ``policy/validate.py``).
TRUST_ACTION_PATTERNS = ("sts:AssumeRole", "sts:assumerole", "sts:AssumeRole*", "sts:TagSession", "sts:*", "*")
ACTIONS = ("s3:GetObject", "s3:PutObject", "s3:ListBucket", "sts:AssumeRole", "iam:GetUser")

RESOURCE_PATTERNS = (
    "*",
    "arn:aws:s3:::bucket",
    "arn:aws:s3:::bucket/*",
    "arn:aws:s3:::bucket/key",
    "arn:aws:s3:::bucket/?ey",
    "arn:aws:s3:::bucket/a:*",
    "arn:aws:s3:::*",
    "arn:aws:s3:::other*",
    "arn:aws:s3:*:*:bucket/*",
    "arn:aws:*:*:*:*",
    f"arn:aws:iam::{A}:role/*",
    "arn:aws:iam::*:role/r1",
    f"arn:aws:iam::{A}:*",
)
RESOURCES = (
    "arn:aws:s3:::bucket",
    "arn:aws:s3:::bucket/key",
    "arn:aws:s3:::bucket/a:b",
    "arn:aws:s3:::other/key",
    f"arn:aws:iam::{A}:role/r1",
    f"arn:aws:iam::{B}:role/r1",
    "*",
)

SERVICES = ("s3.amazonaws.com", "cloudtrail.amazonaws.com")
STATEMENT_KEYS = frozenset(
    {"Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction", "Resource", "NotResource", "Condition"}
)


def _users(account: str) -> list[str]:
    return [f"arn:aws:iam::{account}:user/alice", f"arn:aws:iam::{account}:user/team/bob"]


# (role ARN, session ARN): the session ARN does not carry the role's path.
def _sessions(account: str) -> list[tuple[str, str]]:
    return [
        (f"arn:aws:iam::{account}:role/r1", f"arn:aws:sts::{account}:assumed-role/r1/s1"),
        (f"arn:aws:iam::{account}:role/r1", f"arn:aws:sts::{account}:assumed-role/r1/s2"),
        (f"arn:aws:iam::{account}:role/ops/r2", f"arn:aws:sts::{account}:assumed-role/r2/s1"),
    ]


AWS_PRINCIPALS = tuple(
    value
    for account in ACCOUNTS
    for value in (
        account,
        f"arn:aws:iam::{account}:root",
        *_users(account),
        *(role for role, _session in _sessions(account)[::2]),
        *(session for _role, session in _sessions(account)),
    )
)

# Context keys by the operators that use them; policies spell keys in any case.
CONTEXT_VALUES: dict[str, tuple[Any, ...]] = {
    "aws:SourceIp": ("10.0.0.1", "10.1.2.3", "192.168.1.20", "2001:db8::1", "not-an-ip", "10.0.0.01"),
    "aws:SecureTransport": ("true", "false"),
    "s3:max-keys": ("5", "10", "100", "-1", "2.5", "abc"),
    "aws:PrincipalTag/team": ("dev", "ops", "Dev", "d*"),
    "aws:TagKeys": ((), ("dev",), ("dev", "ops"), ("qa",), ("ops", "qa")),
}
POLICY_VALUES: dict[str, tuple[Any, ...]] = {
    "StringEquals": ("dev", "ops", "Dev", "d*"),
    "StringLike": ("dev", "d*", "?ev", "*", "o?s", "D*"),
    "Bool": ("true", "false", True, False),
    "NumericLessThan": ("10", 10, 0, "2.5", -5, "100"),
    "IpAddress": ("10.0.0.0/8", "192.168.1.0/24", "2001:db8::/32", "10.0.0.1", "0.0.0.0/0", "10.0.0.1/32"),
}
KEYS_FOR = {
    "StringEquals": ("aws:PrincipalTag/team", "aws:TagKeys"),
    "StringLike": ("aws:PrincipalTag/team", "aws:TagKeys"),
    "Bool": ("aws:SecureTransport",),
    "NumericLessThan": ("s3:max-keys",),
    "IpAddress": ("aws:SourceIp",),
}


def one_or_many(values: st.SearchStrategy[Any], max_size: int = 3) -> st.SearchStrategy[Any]:
    """A single value, or a list of them (both spellings are valid JSON policy)."""
    return st.one_of(values, st.lists(values, min_size=1, max_size=max_size))


@st.composite
def condition_blocks(draw: st.DrawFn) -> dict[str, dict[str, Any]]:
    block: dict[str, dict[str, Any]] = {}
    for _ in range(draw(st.integers(0, 2))):
        base = draw(st.sampled_from(sorted(POLICY_VALUES)))
        qualifier = draw(st.sampled_from(("", "ForAnyValue:", "ForAllValues:")))
        operator = qualifier + base + draw(st.sampled_from(("", "IfExists")))
        key = draw(st.sampled_from(KEYS_FOR[base] + ("aws:TagKeys",)))
        key = draw(st.sampled_from((key, key.lower(), key.upper())))  # keys compare case-insensitively
        block.setdefault(operator, {})[key] = draw(one_or_many(st.sampled_from(POLICY_VALUES[base])))
    return block


def principal_elements() -> st.SearchStrategy[Any]:
    aws = one_or_many(st.sampled_from(AWS_PRINCIPALS + ("*",)))
    return st.one_of(
        st.just("*"),
        st.builds(lambda v: {"AWS": v}, aws),
        st.builds(lambda v: {"Service": v}, one_or_many(st.sampled_from(SERVICES), 2)),
        st.builds(lambda a, s: {"AWS": a, "Service": s}, aws, st.sampled_from(SERVICES)),
    )


@st.composite
def statements(draw: st.DrawFn, kind: PolicyKind, effect: str | None = None) -> dict[str, Any]:
    """One statement valid in a policy of ``kind``."""
    if effect is None:
        effect = "Deny" if kind is PolicyKind.RCP else draw(st.sampled_from(("Allow", "Deny")))
    statement: dict[str, Any] = {"Effect": effect}
    if kind is PolicyKind.RCP:
        statement["Principal"] = draw(st.sampled_from(("*", {"AWS": "*"})))
    elif kind in (PolicyKind.RESOURCE, PolicyKind.TRUST):
        # NotPrincipal "must be used with Deny" (NotPrincipal page) and not in trust policies.
        if effect == "Deny" and kind is PolicyKind.RESOURCE and draw(st.booleans()):
            statement["NotPrincipal"] = draw(principal_elements().filter(lambda p: p != "*"))
        else:
            statement["Principal"] = draw(principal_elements())
    actions = one_or_many(st.sampled_from(TRUST_ACTION_PATTERNS if kind is PolicyKind.TRUST else ACTION_PATTERNS))
    if kind is not PolicyKind.RCP and draw(st.integers(0, 4)) == 0:
        statement["NotAction"] = draw(actions)
    else:
        statement["Action"] = draw(actions)
    if kind is not PolicyKind.TRUST:
        resources = one_or_many(st.sampled_from(RESOURCE_PATTERNS))
        statement["NotResource" if draw(st.integers(0, 4)) == 0 else "Resource"] = draw(resources)
    condition = draw(condition_blocks())
    if condition:
        statement["Condition"] = condition
    return statement


RCP_FULL_ACCESS = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}],
}
SCP_FULL_ACCESS = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}


@st.composite
def policies(draw: st.DrawFn, kind: PolicyKind, max_statements: int = 3) -> dict[str, Any]:
    """A policy document (a JSON value) valid for ``kind``."""
    body = draw(st.lists(statements(kind), min_size=1, max_size=max_statements))
    for index, statement in enumerate(body):
        if draw(st.booleans()):
            statement["Sid"] = f"S{index}"
    document: dict[str, Any] = {}
    version = draw(st.sampled_from(("2012-10-17", "2012-10-17", "2008-10-17", None)))
    if version is not None:
        document["Version"] = version
    document["Statement"] = body[0] if len(body) == 1 and draw(st.booleans()) else body
    return document


# --- scenarios: a request and the policies that apply to it --------------------------


@st.composite
def callers(draw: st.DrawFn) -> model.Caller:
    kind = draw(st.sampled_from(("user", "user", "role_session", "role_session", "root", "service", "anonymous")))
    account = draw(st.sampled_from(ACCOUNTS))
    if kind == "user":
        return model.Caller("user", draw(st.sampled_from(_users(account))), account)
    if kind == "role_session":
        role, session = draw(st.sampled_from(_sessions(account)))
        return model.Caller("role_session", session, account, role)
    if kind == "root":
        return model.Caller("root", f"arn:aws:iam::{account}:root", account)
    if kind == "service":
        return model.Caller("service", draw(st.sampled_from(SERVICES)))
    return model.Caller("anonymous", "*")


@st.composite
def contexts(draw: st.DrawFn) -> dict[str, str | list[str]]:
    """Single-valued keys as strings, the multivalued aws:TagKeys as a list."""
    context: dict[str, str | list[str]] = {}
    for key, values in CONTEXT_VALUES.items():
        if draw(st.booleans()):
            value = draw(st.sampled_from(values))
            context[key] = list(value) if isinstance(value, tuple) else value
    return context


@st.composite
def requests(draw: st.DrawFn, caller: model.Caller | None = None) -> model.Req:
    if caller is None:
        caller = draw(callers())
    resource_account = draw(st.sampled_from((None, A, B)))
    if caller.kind in ("service", "anonymous"):
        resource_account = draw(st.sampled_from(ACCOUNTS))
    return model.Req(
        caller,
        draw(st.sampled_from(ACTIONS)),
        draw(st.sampled_from(RESOURCES)),
        resource_account,
        draw(contexts()),
    )


def _some(draw: st.DrawFn, kind: PolicyKind, min_size: int, max_size: int) -> list[Any]:
    return draw(st.lists(policies(kind), min_size=min_size, max_size=max_size))


@st.composite
def policy_sets(draw: st.DrawFn, caller: model.Caller) -> model.Policies:
    """Policies that can apply to ``caller``: identity policies, a boundary and SCPs
    only for IAM users and roles (SCPs also bind a member account's root), session
    policies only for role sessions."""
    iam = caller.kind in ("user", "role_session")
    identity = _some(draw, PolicyKind.IDENTITY, 0, 2) if iam else None
    boundary = [draw(policies(PolicyKind.BOUNDARY))] if iam and draw(st.booleans()) else None
    session = _some(draw, PolicyKind.SESSION, 1, 2) if caller.kind == "role_session" and draw(st.booleans()) else None
    scps = None
    if caller.kind in ("user", "role_session", "root") and draw(st.booleans()):
        scps = []
        for _ in range(draw(st.integers(1, 3))):
            level = _some(draw, PolicyKind.SCP, 0, 2)
            if not level or draw(st.integers(0, 3)) > 0:
                level.insert(draw(st.integers(0, len(level))), SCP_FULL_ACCESS)
            scps.append(level)
    rcps = None
    if draw(st.booleans()):
        rcps = []
        for _ in range(draw(st.integers(1, 2))):
            level = _some(draw, PolicyKind.RCP, 0, 1)
            # RCPFullAWSAccess "cannot be detached"; a level without it still tests the rule.
            if not level or draw(st.integers(0, 5)) > 0:
                level.append(RCP_FULL_ACCESS)
            rcps.append(level)
    # Roles are assumed by IAM principals and services, never by the root user
    # ("you cannot switch roles if you sign in as the AWS account root user") or anonymously.
    resource_required = caller.kind in ("user", "role_session", "service") and draw(st.integers(0, 3)) == 0
    resource = None
    if resource_required or draw(st.booleans()):
        resource = draw(policies(PolicyKind.TRUST if resource_required else PolicyKind.RESOURCE))
    return model.Policies(identity, resource, boundary, session, scps, rcps, resource_required)


@dataclass(frozen=True)
class Scenario:
    request: model.Req
    policies: model.Policies

    def __repr__(self) -> str:
        return f"Scenario(\n  request={self.request!r},\n  policies={json.dumps(self.policies.__dict__, indent=1)})"


@st.composite
def scenarios(draw: st.DrawFn) -> Scenario:
    caller = draw(callers())
    return Scenario(draw(requests(caller)), draw(policy_sets(caller)))


# --- the engine's view of a scenario ----------------------------------------------------


def parse(document: Any, kind: PolicyKind) -> Any:
    return parse_policy(json.dumps(document), kind)


def engine_policies(policies: model.Policies) -> PolicySet:
    def compiled(policy_type: PolicyType, kind: PolicyKind, name: str, docs: Any) -> CompiledSet | None:
        if docs is None:
            return None
        return CompiledSet(policy_type, [(f"{name}/{i}", parse(doc, kind)) for i, doc in enumerate(docs)])

    resource_kind = PolicyKind.TRUST if policies.resource_required else PolicyKind.RESOURCE
    return PolicySet(
        identity=compiled(PolicyType.IDENTITY, PolicyKind.IDENTITY, "identity", policies.identity),
        resource=compiled(
            PolicyType.RESOURCE,
            resource_kind,
            "resource",
            None if policies.resource is None else [policies.resource],
        ),
        boundary=compiled(PolicyType.BOUNDARY, PolicyKind.BOUNDARY, "boundary", policies.boundary),
        session=compiled(PolicyType.SESSION, PolicyKind.SESSION, "session", policies.session),
        scps=None
        if policies.scps is None
        else tuple(
            compiled(PolicyType.SCP, PolicyKind.SCP, f"scp{i}", level)  # type: ignore[misc]  # never None here
            for i, level in enumerate(policies.scps)
        ),
        rcps=None
        if policies.rcps is None
        else tuple(
            compiled(PolicyType.RCP, PolicyKind.RCP, f"rcp{i}", level)  # type: ignore[misc]  # never None here
            for i, level in enumerate(policies.rcps)
        ),
        resource_required=policies.resource_required,
    )


def engine_request(request: model.Req) -> Request:
    caller = request.caller
    if caller.kind == "anonymous":
        principal = Principal.from_arn("*")
    elif caller.kind == "service":
        principal = Principal.from_arn(caller.arn)
    else:
        principal = Principal.from_arn(caller.arn, caller.role_arn)
    return Request.build(principal, request.action, request.resource, request.resource_account, request.context)


def with_policies(scenario: Scenario, **changes: Any) -> Scenario:
    return Scenario(scenario.request, replace(scenario.policies, **changes))


@st.composite
def principal_scenarios(draw: st.DrawFn) -> Scenario:
    """Scenarios about Principal and NotPrincipal: the resource-based policy names the
    caller's own identities (account, role, session or user) and a few others, so that
    every combination of listed and unlisted identities comes up."""
    caller = draw(callers().filter(lambda c: c.kind in ("user", "role_session", "root")))
    own = [caller.account or "", f"arn:aws:iam::{caller.account}:root", caller.arn]
    if caller.role_arn:
        own.append(caller.role_arn)
    others = [f"arn:aws:iam::{B if caller.account == A else A}:root", f"arn:aws:iam::{caller.account}:user/zed"]
    names = st.lists(st.sampled_from(own + others), min_size=1, max_size=4, unique=True)
    body: list[dict[str, Any]] = []
    if draw(st.booleans()):
        body.append({"Effect": "Deny", "NotPrincipal": {"AWS": draw(names)}, "Action": "s3:*", "Resource": "*"})
    body.append({"Effect": "Allow", "Principal": {"AWS": draw(names)}, "Action": "s3:GetObject", "Resource": "*"})
    allow = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}
    iam = caller.kind != "root"
    policies = model.Policies(
        identity=draw(st.sampled_from([[], [allow]])) if iam else None,
        resource={"Version": "2012-10-17", "Statement": draw(st.permutations(body))},
        boundary=draw(st.sampled_from([None, [allow]])) if iam else None,
    )
    request = model.Req(caller, "s3:GetObject", "arn:aws:s3:::bucket/key", draw(st.sampled_from((None, A, B))))
    return Scenario(request, policies)
