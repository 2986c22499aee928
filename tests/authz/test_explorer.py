"""The access explorer (``authz.explorer``): who can reach a resource, and why, on a real
store with the reference workflow and a few variations. Each expectation is AWS's policy
evaluation for a request of that principal:

- "Cross-account policy evaluation logic" (IAM User Guide): a principal of another account
  needs both the resource's policy (a role's trust policy, a bucket policy) and its own
  identity-based policies to allow;
- AssumeRole (STS API Reference): "You cannot use AWS account root user credentials to call
  AssumeRole";
- "Configuring MFA-protected API access" (IAM User Guide): a trust policy's
  aws:MultiFactorAuthPresent condition, a key a request carries (the explorer reports it as
  IAM's simulator reports "MissingContextValues");
- "Role chaining" (IAM User Guide): a role session may assume another role;
- "AWS account root user": the root user has complete access to its account's resources.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from iamsandbox.authz import explorer
from iamsandbox.authz.authorize import Authorizer
from iamsandbox.authz.context import global_keys
from iamsandbox.authz.explorer import (
    ALLOWED_VERDICT,
    CONDITIONAL_VERDICT,
    DENIED_VERDICT,
    ROOT_OWNS,
    ExplorerError,
    Reach,
    as_json,
    default_action,
    explore,
    named_elsewhere,
)
from iamsandbox.authz.gather import PolicySource
from iamsandbox.policy.decision import PolicyType
from iamsandbox.services.iam.managed_policies import ManagedPolicies
from iamsandbox.store import SqlStore, open_store, sqlite_url

A, B = "111111111111", "222222222222"
ROLE_ARN = f"arn:aws:iam::{A}:role/reader"
MFA_ROLE_ARN = f"arn:aws:iam::{A}:role/reader-with-mfa"
CHAIN_ARN = f"arn:aws:iam::{B}:role/hop"
BUCKET = "a-bucket"
OBJECT = f"arn:aws:s3:::{BUCKET}/report.csv"
NOW = datetime(2026, 12, 5, 12, 0, tzinfo=UTC)


def _policy(*statements: dict[str, object]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def _trust(principal: str, **condition: object) -> str:
    statement: dict[str, object] = {"Effect": "Allow", "Principal": {"AWS": principal}, "Action": "sts:AssumeRole"}
    if condition:
        statement["Condition"] = condition
    return _policy(statement)


def _allow(action: str, resource: str) -> str:
    return _policy({"Effect": "Allow", "Action": action, "Resource": resource})


def _carol_reads_unless(store: SqlStore, condition: dict[str, object], resource: object) -> None:
    """The bucket policy: carol (account B) may read, and a Deny of every S3 action under
    ``condition`` for everyone."""
    with store.transaction() as tx:
        tx.set_bucket_attribute(
            BUCKET,
            "policy",
            _policy(
                {
                    "Effect": "Allow",
                    "Principal": {"AWS": f"arn:aws:iam::{B}:user/carol"},
                    "Action": "s3:GetObject",
                    "Resource": f"arn:aws:s3:::{BUCKET}/*",
                },
                {"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": resource, "Condition": condition},
            ),
        )


@pytest.fixture
def world(tmp_path: Path) -> Iterator[SqlStore]:
    store = open_store(sqlite_url(tmp_path / "db.sqlite"), [secrets.token_bytes(32)])
    with store.transaction() as tx:
        tx.create_account(A, "trusting")
        tx.create_account(B, "trusted")
        role = tx.create_role(A, "reader", _trust(f"arn:aws:iam::{B}:root"))
        tx.attach_policy(role.id, "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess")
        mfa = tx.create_role(A, "reader-with-mfa", _trust(B, Bool={"aws:MultiFactorAuthPresent": "true"}))
        tx.attach_policy(mfa.id, "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess")
        tx.create_bucket(BUCKET, A, "us-east-1")
        tx.set_bucket_attribute(
            BUCKET,
            "policy",
            _policy(
                {
                    "Sid": "CarolReads",
                    "Effect": "Allow",
                    "Principal": {"AWS": f"arn:aws:iam::{B}:user/carol"},
                    "Action": "s3:GetObject",
                    "Resource": f"arn:aws:s3:::{BUCKET}/*",
                },
                {
                    "Sid": "TLSOnly",
                    "Effect": "Deny",
                    "Principal": "*",
                    "Action": "s3:*",
                    "Resource": f"arn:aws:s3:::{BUCKET}/*",
                    "Condition": {"Bool": {"aws:SecureTransport": "false"}},
                },
            ),
        )
        tx.create_user(A, "nobody-in-a")
        alice = tx.create_user(B, "alice")
        tx.put_inline_policy(alice.id, "assume", _allow("sts:AssumeRole", f"arn:aws:iam::{A}:role/*"))
        tx.create_user(B, "bob")  # no policy
        carol = tx.create_user(B, "carol")
        tx.put_inline_policy(carol.id, "read", _allow("s3:GetObject", f"arn:aws:s3:::{BUCKET}/*"))
        hop = tx.create_role(B, "hop", _trust(f"arn:aws:iam::{B}:root"))
        tx.put_inline_policy(hop.id, "onward", _allow("sts:AssumeRole", ROLE_ARN))
        dave = tx.create_user(B, "dave")
        tx.put_inline_policy(dave.id, "hop", _allow("sts:AssumeRole", CHAIN_ARN))
    try:
        yield store
    finally:
        store.close()


@pytest.fixture(scope="module")
def authorizer() -> Authorizer:
    return Authorizer(PolicySource(ManagedPolicies()))


def _explore(store: SqlStore, authorizer: Authorizer, arn: str, action: str) -> dict[str, Reach]:
    with store.read() as tx:
        found = explore(tx, authorizer, arn, action, [A, B], NOW)
    assert found.chains_complete
    return {reach.principal: reach for reach in found.reaches}


def _user(account: str, name: str) -> str:
    return f"arn:aws:iam::{account}:user/{name}"


def test_who_can_assume_the_role(world: SqlStore, authorizer: Authorizer) -> None:
    found = _explore(world, authorizer, ROLE_ARN, "sts:AssumeRole")
    alice = found[_user(B, "alice")]
    assert alice.verdict == ALLOWED_VERDICT
    assert {(s.policy_type, s.policy_id) for s in alice.statements} == {
        (PolicyType.RESOURCE, ROLE_ARN),  # the trust policy
        (PolicyType.IDENTITY, "assume"),  # an inline policy, by its name (as the simulator's SourcePolicyId)
    }
    bob = found[_user(B, "bob")]
    assert bob.verdict == DENIED_VERDICT
    assert bob.explanation.endswith("because no identity-based policy allows the sts:AssumeRole action")
    # The trust policy names account B only: A's own user is not trusted.
    assert found[_user(A, "nobody-in-a")].verdict == DENIED_VERDICT
    for account in (A, B):
        root = found[f"arn:aws:iam::{account}:root"]
        assert root.verdict == DENIED_VERDICT
        assert root.explanation == "Roles may not be assumed by root accounts."
    # The hop role's session may assume it (its trust names B; its policy allows): chaining.
    assert found[CHAIN_ARN].verdict == ALLOWED_VERDICT
    # Dave may assume it only through hop.
    assert found[_user(B, "dave")].via == (CHAIN_ARN,)


def test_a_trust_policy_that_requires_mfa_is_reported_with_its_key(world: SqlStore, authorizer: Authorizer) -> None:
    found = _explore(world, authorizer, MFA_ROLE_ARN, "sts:AssumeRole")
    alice = found[_user(B, "alice")]
    assert alice.verdict == CONDITIONAL_VERDICT
    assert alice.keys == ("aws:MultiFactorAuthPresent",)
    assert found[_user(B, "bob")].verdict == DENIED_VERDICT


def test_who_can_read_the_object(world: SqlStore, authorizer: Authorizer) -> None:
    found = _explore(world, authorizer, OBJECT, "s3:GetObject")
    owner = found[f"arn:aws:iam::{A}:root"]
    assert owner.verdict == ALLOWED_VERDICT and owner.explanation == ROOT_OWNS
    role = found[ROLE_ARN]
    assert role.verdict == ALLOWED_VERDICT
    # The bucket policy's TLS-only Deny depends on a key only a request has: it is named.
    assert "aws:SecureTransport" in role.keys
    alice = found[_user(B, "alice")]
    assert (alice.verdict, alice.via) == (ALLOWED_VERDICT, (ROLE_ARN,))
    dave = found[_user(B, "dave")]
    assert (dave.verdict, dave.via) == (ALLOWED_VERDICT, (CHAIN_ARN, ROLE_ARN))
    carol = found[_user(B, "carol")]  # the bucket policy names her, and her policy allows
    assert carol.verdict == ALLOWED_VERDICT and not carol.via
    assert {s.sid for s in carol.statements if s.policy_type is PolicyType.RESOURCE} == {"CarolReads"}
    bob = found[_user(B, "bob")]
    assert bob.verdict == DENIED_VERDICT
    anyone = found["*"]
    assert anyone.kind == "Anyone" and anyone.verdict == DENIED_VERDICT


def test_nobody_outside_may_write(world: SqlStore, authorizer: Authorizer) -> None:
    found = _explore(world, authorizer, OBJECT, "s3:PutObject")
    allowed = {arn for arn, reach in found.items() if reach.verdict != DENIED_VERDICT}
    assert allowed == {f"arn:aws:iam::{A}:root"}
    alice = found[_user(B, "alice")]
    assert alice.explanation.startswith(f"User: {_user(B, 'alice')} is not authorized to perform: s3:PutObject")


def test_default_actions_and_the_json_form(world: SqlStore, authorizer: Authorizer) -> None:
    assert default_action(ROLE_ARN) == "sts:AssumeRole"
    assert default_action(OBJECT) == "s3:GetObject"
    assert default_action(f"arn:aws:s3:::{BUCKET}") == "s3:ListBucket"
    assert default_action(f"arn:aws:iam::{A}:user/x") is None
    found = _explore(world, authorizer, OBJECT, "s3:GetObject")
    out = as_json(found[_user(B, "dave")])
    assert out["Access"] == "Allowed"
    assert out["Via"] == [CHAIN_ARN, ROLE_ARN]
    assert out["Statements"] == [
        {
            "PolicyType": "resource-based policy",
            "PolicyId": CHAIN_ARN,
            "Statement": 1,
            "Sid": None,
            "Effect": "Allow",
        },
        {
            "PolicyType": "identity-based policy",
            "PolicyId": "hop",
            "Statement": 1,
            "Sid": None,
            "Effect": "Allow",
        },
    ]


def test_an_ip_allowlist_deny_makes_access_conditional(world: SqlStore, authorizer: Authorizer) -> None:
    """A bucket policy that denies requests from outside a network ("Restricting access to
    specific IP addresses", S3 User Guide's bucket policy examples: Deny with NotIpAddress on
    aws:SourceIp) denies a request without that key: a negated operator is true when its key
    is absent. Only a request can say where it comes from: access is "only with conditions"."""
    _carol_reads_unless(
        world,
        {"NotIpAddress": {"aws:SourceIp": "192.0.2.0/24"}},
        [f"arn:aws:s3:::{BUCKET}", f"arn:aws:s3:::{BUCKET}/*"],
    )
    found = _explore(world, authorizer, OBJECT, "s3:GetObject")
    carol = found[_user(B, "carol")]
    assert carol.verdict == CONDITIONAL_VERDICT
    assert carol.keys == ("aws:SourceIp",)
    assert found[_user(B, "bob")].verdict == DENIED_VERDICT


def test_principals_a_policy_names_outside_the_account() -> None:
    """A Principal element's AWS values: an account ID stands for the account ("AWS JSON policy
    elements: Principal": "arn:aws:iam::123456789012:root" and "123456789012" are the same);
    "*" is anyone; federated and service principals are not examined, so they are named; Deny
    statements grant nothing; the account's own principals are left out."""
    policy = _policy(
        {"Effect": "Allow", "Principal": {"AWS": [B, f"arn:aws:iam::{A}:user/x", _user("333333333333", "y")]}},
        {"Effect": "Allow", "Principal": "*"},
        {"Effect": "Allow", "Principal": {"Federated": "arn:aws:iam::111111111111:oidc-provider/example.com"}},
        {"Effect": "Allow", "Principal": {"Service": ["ec2.amazonaws.com"]}},
        {"Effect": "Deny", "Principal": {"AWS": "444444444444"}},
    )
    assert named_elsewhere(policy, A) == [
        f"arn:aws:iam::{B}:root",
        _user("333333333333", "y"),
        "*",
        "Federated: arn:aws:iam::111111111111:oidc-provider/example.com",
        "Service: ec2.amazonaws.com",
    ]
    assert named_elsewhere(None, A) == [] and named_elsewhere("not json", A) == []


def _add(
    store: SqlStore, account: str, user: str, *statements: dict[str, object], tags: dict[str, str] | None = None
) -> None:
    with store.transaction() as tx:
        made = tx.create_user(account, user)
        if statements:
            tx.put_inline_policy(made.id, "inline", _policy(*statements))
        if tags:
            tx.set_tags(account, made.id, tags)


def test_keys_the_principal_decides_are_absent_not_unknown(world: SqlStore, authorizer: Authorizer) -> None:
    """A key of the principal or the resource that the context lacks is absent from every
    request: an account in no organization has no aws:PrincipalOrgID, so a bucket policy that
    denies principals outside an organization (StringNotEquals: a negated operator is true when
    its key is missing, "Condition operators", IAM User Guide) denies them always; a user
    without a tag never has it as aws:PrincipalTag. A role session's tags can be session tags
    ("Pass session tags in AWS STS"): unknown for a role."""
    _carol_reads_unless(world, {"StringNotEquals": {"aws:PrincipalOrgID": "o-example"}}, f"arn:aws:s3:::{BUCKET}/*")
    tagged_read = {
        "Effect": "Allow",
        "Action": "s3:GetObject",
        "Resource": "*",
        "Condition": {"StringEquals": {"aws:PrincipalTag/team": "data"}},
    }
    _add(world, A, "untagged", tagged_read)
    found = _explore(world, authorizer, OBJECT, "s3:GetObject")
    assert found[_user(B, "carol")].verdict == DENIED_VERDICT
    assert found[_user(A, "untagged")].verdict == DENIED_VERDICT
    with world.transaction() as tx:
        tx.set_bucket_attribute(BUCKET, "policy", None)
        role = tx.create_role(A, "tagged-reader", _trust(f"arn:aws:iam::{A}:root"))
        tx.put_inline_policy(role.id, "read", _policy(tagged_read))
    found = _explore(world, authorizer, OBJECT, "s3:GetObject")
    session = found[f"arn:aws:iam::{A}:role/tagged-reader"]
    assert (session.verdict, session.keys) == (CONDITIONAL_VERDICT, ("aws:PrincipalTag/team",))


def test_null_conditions_on_unknown_keys(world: SqlStore, authorizer: Authorizer) -> None:
    """Null ("Condition operators": true when the key is absent): an Allow that needs the key
    present, or a Deny that applies when it is absent, decides on a key only a request has."""
    read = {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}
    _add(world, A, "erin", {**read, "Condition": {"Null": {"aws:MultiFactorAuthPresent": "false"}}})
    _add(
        world,
        A,
        "dan",
        read,
        {
            "Effect": "Deny",
            "Action": "*",
            "Resource": "*",
            "Condition": {"Null": {"aws:MultiFactorAuthPresent": "true"}},
        },
    )
    found = _explore(world, authorizer, OBJECT, "s3:GetObject")
    for name in ("erin", "dan"):
        reach = found[_user(A, name)]
        assert reach.verdict == CONDITIONAL_VERDICT, name
        assert "aws:MultiFactorAuthPresent" in reach.keys, name  # (and the bucket policy's TLS key)


def test_an_unconditional_chain_beats_a_conditional_one(world: SqlStore, authorizer: Authorizer) -> None:
    with world.transaction() as tx:
        for name, trust in (("a-mfa", _trust(B, Bool={"aws:MultiFactorAuthPresent": "true"})), ("b-plain", _trust(B))):
            role = tx.create_role(A, name, trust)
            tx.attach_policy(role.id, "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess")
    _add(
        world,
        B,
        "ursula",
        {
            "Effect": "Allow",
            "Action": "sts:AssumeRole",
            "Resource": [f"arn:aws:iam::{A}:role/a-mfa", f"arn:aws:iam::{A}:role/b-plain"],
        },
    )
    found = _explore(world, authorizer, OBJECT, "s3:GetObject")
    ursula = found[_user(B, "ursula")]
    assert (ursula.verdict, ursula.via) == (ALLOWED_VERDICT, (f"arn:aws:iam::{A}:role/b-plain",))


def test_a_role_or_bucket_that_does_not_exist_is_no_question(world: SqlStore, authorizer: Authorizer) -> None:
    """AssumeRole of a role that does not exist is refused before any policy is read (the
    server: AccessDenied without a trust policy to allow it); S3 answers NoSuchBucket."""
    with world.read() as tx:
        with pytest.raises(ExplorerError, match="no role"):
            explore(tx, authorizer, f"arn:aws:iam::{A}:role/does-not-exist", "sts:AssumeRole", [A, B], NOW)
        with pytest.raises(ExplorerError, match="no role"):
            explore(tx, authorizer, f"arn:aws:iam::{A}:role/wrong/path/reader", "sts:AssumeRole", [A, B], NOW)
        with pytest.raises(ExplorerError, match="no bucket"):
            explore(tx, authorizer, "arn:aws:s3:::no-such-bucket/x", "s3:GetObject", [A, B], NOW)


def test_an_iam_users_tags_are_its_resource_tags(world: SqlStore, authorizer: Authorizer) -> None:
    """aws:ResourceTag of an IAM user is its tags (iam:DeleteUser on a user resource, "Actions,
    resources, and condition keys for AWS Identity and Access Management"): read, not unknown."""
    _add(world, A, "target", tags={"team": "y"})
    delete_x = {
        "Effect": "Allow",
        "Action": "iam:DeleteUser",
        "Resource": "*",
        "Condition": {"StringEquals": {"aws:ResourceTag/team": "x"}},
    }
    _add(world, A, "deleter", delete_x)
    found = _explore(world, authorizer, _user(A, "target"), "iam:DeleteUser")
    assert found[_user(A, "deleter")].verdict == DENIED_VERDICT


def test_too_many_pairs_give_a_partial_answer(
    world: SqlStore, authorizer: Authorizer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(explorer, "MAX_PAIRS", 1)
    with world.read() as tx:
        found = explore(tx, authorizer, OBJECT, "s3:GetObject", [A, B], NOW)
    assert not found.chains_complete
    assert {reach.principal for reach in found.reaches} >= {ROLE_ARN, _user(B, "alice")}


def test_allowed_and_denied_agree_with_a_request(world: SqlStore, authorizer: Authorizer) -> None:
    """Every unconditional verdict the explorer gives without a chain is what the authorizer
    decides for a request of that principal with a request's context (HTTPS, a source address,
    a Region): the explorer adds nothing of its own."""
    for arn, action in ((ROLE_ARN, "sts:AssumeRole"), (OBJECT, "s3:GetObject"), (OBJECT, "s3:PutObject")):
        with world.read() as tx:
            target = authorizer.target_of(tx, arn, "", action)
            principals = {explorer._principal_arn(p.caller): p for p in explorer.principals(tx, [A, B], NOW)}
            for reach in explore(tx, authorizer, arn, action, [A, B], NOW, anyone=False).reaches:
                if (
                    reach.via
                    or reach.verdict == CONDITIONAL_VERDICT
                    or reach.explanation == "Roles may not be assumed by root accounts."
                ):
                    continue
                principal = principals[reach.principal]
                context = global_keys(
                    principal.caller,
                    now=NOW,
                    source_ip="192.0.2.10",
                    secure=True,
                    region="us-east-1",
                    resource_account=target.account,
                    resource_tags=target.tags,
                    resource_arn=target.arn,
                )
                decision = authorizer.decide(
                    tx,
                    principal.caller,
                    action,
                    target,
                    context,
                    identity_id=principal.identity_id,
                    boundary_arn=principal.boundary_arn,
                )
                assert decision.allowed is (reach.verdict == ALLOWED_VERDICT), (reach.principal, action)
