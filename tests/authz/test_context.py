"""Global condition keys, as "AWS global condition context keys" defines each one."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

from iamsandbox.authz.context import Caller, global_keys
from iamsandbox.policy import CompiledSet, PolicyKind, PolicySet, PolicyType, Request, evaluate, parse_policy
from iamsandbox.policy.request import Principal, PrincipalKind

NOW = datetime(2026, 11, 27, 20, 41, 10, tzinfo=UTC)
SESSION = Caller(
    arn="arn:aws:sts::111111111111:assumed-role/my-s3-x-account-role/alice",
    kind=PrincipalKind.ROLE_SESSION,
    account="111111111111",
    unique_id="AROAEXAMPLEID",
    name="alice",
    role_arn="arn:aws:iam::111111111111:role/team/my-s3-x-account-role",
    tags={"team": "blue"},
    temporary=True,
    token_issued=NOW - timedelta(minutes=5),
)


def _keys(caller: Caller, request_tags: dict[str, str] | None = None) -> dict[str, str | list[str]]:
    return global_keys(
        caller, now=NOW, source_ip="203.0.113.7", secure=True, region="us-east-1", request_tags=request_tags
    )


def test_role_session_keys() -> None:
    keys = _keys(SESSION)
    # "For an assumed role session, aws:PrincipalArn is the ARN of the role" (with its path).
    assert keys["aws:PrincipalArn"] == "arn:aws:iam::111111111111:role/team/my-s3-x-account-role"
    assert keys["aws:PrincipalType"] == "AssumedRole"
    assert keys["aws:userid"] == "AROAEXAMPLEID:alice"  # role-id:caller-specified-role-name
    assert "aws:username" not in keys  # only IAM users have it
    assert keys["aws:MultiFactorAuthPresent"] == "false"  # temporary credentials without MFA
    assert "aws:MultiFactorAuthAge" not in keys
    assert keys["aws:TokenIssueTime"] == "2026-11-27T20:36:10Z"
    assert keys["aws:PrincipalTag/team"] == "blue"
    assert keys["aws:CurrentTime"] == "2026-11-27T20:41:10Z"
    assert keys["aws:EpochTime"] == str(int(NOW.timestamp()))


def test_user_with_long_term_keys_has_no_mfa_or_token_keys() -> None:
    user = Caller("arn:aws:iam::222222222222:user/alice", PrincipalKind.USER, "222222222222", "AIDAEXAMPLE", "alice")
    keys = _keys(user)
    assert keys["aws:username"] == "alice"
    assert keys["aws:userid"] == "AIDAEXAMPLE"
    assert keys["aws:PrincipalType"] == "User"
    # "This key is not present when ... called with long-term credentials."
    assert "aws:MultiFactorAuthPresent" not in keys and "aws:TokenIssueTime" not in keys


def test_root_user_id_is_the_account() -> None:
    root = Caller("arn:aws:iam::222222222222:root", PrincipalKind.ROOT, "222222222222")
    keys = _keys(root)
    assert keys["aws:userid"] == "222222222222"
    assert keys["aws:PrincipalType"] == "Account"


def test_mfa_age_and_request_tags_reach_the_engine() -> None:
    mfa = dataclasses.replace(SESSION, tags={}, mfa_authenticated=NOW - timedelta(seconds=90))
    keys = _keys(mfa, request_tags={"project": "x"})
    assert keys["aws:MultiFactorAuthPresent"] == "true" and keys["aws:MultiFactorAuthAge"] == "90"
    # aws:TagKeys is multivalued: StringEquals without a set operator does not match it,
    # ForAllValues does ("Single-valued vs. multivalued context keys").
    policy = parse_policy(
        '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:TagRole","Resource":"*",'
        '"Condition":{"ForAllValues:StringEquals":{"aws:TagKeys":["project"]},'
        '"NumericLessThan":{"aws:MultiFactorAuthAge":"3600"}}}]}',
        PolicyKind.IDENTITY,
    )
    principal = Principal.from_arn(SESSION.arn, SESSION.role_arn)
    request = Request.build(principal, "iam:TagRole", "arn:aws:iam::111111111111:role/r", "111111111111", keys)
    assert evaluate(request, PolicySet(identity=CompiledSet.of(PolicyType.IDENTITY, policy))).allowed


def test_times_are_utc_in_whole_seconds_whatever_the_zone_given() -> None:
    """aws:CurrentTime and aws:TokenIssueTime are ISO 8601 UTC ("2026-11-27T20:41:10Z"),
    whatever zone the datetime carries, microseconds dropped; years below 1000 padded."""
    from datetime import timezone

    east = timezone(timedelta(hours=5, minutes=30))
    caller = dataclasses.replace(SESSION, token_issued=datetime(999, 1, 2, 3, 4, 5, 999999, tzinfo=UTC))
    keys = global_keys(
        caller,
        now=datetime(2026, 11, 28, 2, 11, 10, 750000, tzinfo=east),
        source_ip="203.0.113.7",
        secure=True,
        region="us-east-1",
    )
    assert keys["aws:CurrentTime"] == "2026-11-27T20:41:10Z"
    assert keys["aws:EpochTime"] == str(int(datetime(2026, 11, 27, 20, 41, 10, tzinfo=UTC).timestamp()))
    assert keys["aws:TokenIssueTime"] == "0999-01-02T03:04:05Z"


def test_resource_tags_have_iam_names_on_iam_resources_only() -> None:
    """ "Actions, resources, and condition keys for AWS Identity and Access Management":
    iam:ResourceTag/${TagKey} "Filters access by the tags attached to an IAM entity (user or
    role)", beside the global aws:ResourceTag; the other IAM resources (instance profiles,
    policies, ...) and S3 resources have only the global name."""
    user = Caller("arn:aws:iam::222222222222:user/alice", PrincipalKind.USER, "222222222222", "AIDAEXAMPLE", "alice")

    def tags_of(arn: str) -> dict[str, str | list[str]]:
        keys = global_keys(
            user,
            now=NOW,
            source_ip="203.0.113.7",
            secure=True,
            region="us-east-1",
            resource_tags={"team": "blue"},
            resource_arn=arn,
        )
        return {key: value for key, value in keys.items() if "ResourceTag/" in key}

    role = tags_of("arn:aws:iam::222222222222:role/r")
    assert role == {"aws:ResourceTag/team": "blue", "iam:ResourceTag/team": "blue"}
    assert tags_of("arn:aws:iam::222222222222:user/division/alice")["iam:ResourceTag/team"] == "blue"
    assert tags_of("arn:aws:s3:::bucket") == {"aws:ResourceTag/team": "blue"}
    assert tags_of("arn:aws:iam::222222222222:instance-profile/p") == {"aws:ResourceTag/team": "blue"}
    assert tags_of("arn:aws:iam::222222222222:policy/p") == {"aws:ResourceTag/team": "blue"}


def test_service_and_client_keys() -> None:
    # "AWS global condition context keys": aws:PrincipalIsAWSService is "present in the
    # request context for all signed API requests that use AWS credentials. Anonymous
    # requests do not include this key" and is false unless a service principal calls;
    # aws:ViaAWSService "also returns false when the principal makes the call directly"
    # and "is always included"; aws:UserAgent "is always included"; aws:referer only when
    # the request came from a web page (a Referer header).
    keys = global_keys(
        SESSION, now=NOW, source_ip="203.0.113.7", secure=False, region="us-east-1", user_agent="aws-cli/2.15.0"
    )
    assert keys["aws:PrincipalIsAWSService"] == "false"
    assert keys["aws:ViaAWSService"] == "false"
    assert keys["aws:UserAgent"] == "aws-cli/2.15.0"
    assert "aws:referer" not in keys
    anonymous = Caller(arn="*", kind=PrincipalKind.ANONYMOUS, account=None)
    keys = global_keys(
        anonymous,
        now=NOW,
        source_ip="203.0.113.7",
        secure=False,
        region="us-east-1",
        referer="https://www.example.com/page",
    )
    assert "aws:PrincipalIsAWSService" not in keys
    assert keys["aws:ViaAWSService"] == "false"
    assert keys["aws:referer"] == "https://www.example.com/page"


def test_an_anonymous_caller_is_anonymous_in_aws_userid() -> None:
    # "Principal key values" (IAM policy elements: Variables and tags): "Anonymous caller
    # (Amazon SQS, Amazon SNS, and Amazon S3 only)": aws:userid "anonymous",
    # aws:PrincipalType "Anonymous", no aws:username.
    keys = _keys(Caller(arn="*", kind=PrincipalKind.ANONYMOUS, account=None))
    assert keys["aws:userid"] == "anonymous"
    assert keys["aws:PrincipalType"] == "Anonymous"
    assert "aws:username" not in keys and "aws:PrincipalArn" not in keys
