"""The policy simulator's operations through the handlers: SimulatePrincipalPolicy,
SimulateCustomPolicy, GetContextKeysForPrincipalPolicy, GetContextKeysForCustomPolicy.

Expected values come from AWS, never from iamsandbox:
- the IAM API reference: SimulatePrincipalPolicy, SimulateCustomPolicy, EvaluationResult
  (with its "Important" note: one EvaluationResult per action, resources under
  ResourceSpecificResults), ResourceSpecificResult, PolicyIdentifier,
  PermissionsBoundaryDecisionDetail, OrganizationsDecisionDetail
  (https://docs.aws.amazon.com/IAM/latest/APIReference/API_EvaluationResult.html, ...);
- "Testing IAM policies with the IAM policy simulator"
  (https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_testing-policies.html);
- awscli's examples of the four commands (``awscli/examples/iam/*.rst``: output of IAM);
- IAM answers quoted in public posts, named at each test.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from iam_harness import ACCOUNT, OTHER, Iam

from iamsandbox import errors

ADMIN = "arn:aws:iam::aws:policy/AdministratorAccess"


def arn(kind: str, name: str, account: str = ACCOUNT) -> str:
    return f"arn:aws:iam::{account}:{kind}/{name}"


def allow(action: str, resource: str | list[str] = "*", effect: str = "Allow", **extra: Any) -> str:
    return json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": effect, "Action": action, "Resource": resource, **extra}]}
    )


def decisions(result: dict[str, Any]) -> list[tuple[str, str]]:
    return [(r["EvalResourceName"], r["EvalResourceDecision"]) for r in result["ResourceSpecificResults"]]


def ids(statements: list[dict[str, Any]]) -> list[tuple[str, str]]:
    return [(s["SourcePolicyId"], s["SourcePolicyType"]) for s in statements]


# --- awscli's examples and IAM's recorded answers ---------------------------------------------


def test_awscli_example_simulate_principal_policy(iam: Iam) -> None:
    """awscli ``simulate-principal-policy`` example 1: a user whose policy allows only
    codecommit:ListRepositories; IAM reports the statement from line 3 column 19 (just after
    the ``[`` of a four-space-indented document) to line 9 column 10 (just after its ``}``).
    The example predates SourcePolicyType in the CLI's output; IAM answers "IAM Policy"."""
    document = (
        "{\n"
        '    "Version": "2012-10-17",\n'
        '    "Statement": [\n'
        "        {\n"
        '            "Sid": "ListRepos",\n'
        '            "Effect": "Allow",\n'
        '            "Action": "codecommit:ListRepositories",\n'
        '            "Resource": "*"\n'
        "        }\n"
        "    ]\n"
        "}"
    )
    policy = iam("CreatePolicy", PolicyName="Grant-Access-To-CodeCommit-ListRepo", PolicyDocument=document)
    iam("CreateUser", UserName="alejandro")
    iam("AttachUserPolicy", UserName="alejandro", PolicyArn=policy["Policy"]["Arn"])
    out = iam(
        "SimulatePrincipalPolicy", PolicySourceArn=arn("user", "alejandro"), ActionNames=["codecommit:ListRepositories"]
    )
    assert out == {
        "EvaluationResults": [
            {
                "EvalActionName": "codecommit:ListRepositories",
                "EvalResourceName": "*",
                "EvalDecision": "allowed",
                "MatchedStatements": [
                    {
                        "SourcePolicyId": "Grant-Access-To-CodeCommit-ListRepo",
                        "SourcePolicyType": "IAM Policy",
                        "StartPosition": {"Line": 3, "Column": 19},
                        "EndPosition": {"Line": 9, "Column": 10},
                    }
                ],
                "MissingContextValues": [],
            }
        ],
        "IsTruncated": False,
    }


def test_awscli_example_context_entry_before_the_allowed_time(iam: Iam) -> None:
    """awscli ``simulate-principal-policy`` example 2: aws:CurrentTime earlier than the
    policy allows gives implicitDeny, no statement, nothing missing, and EvalResourceName
    "*" without --resource-arns (ResourceArns "defaults to * (all resources)")."""
    iam("CreateUser", UserName="alejandro")
    condition = {"DateGreaterThan": {"aws:CurrentTime": "2018-08-16T12:00:00Z"}}
    iam("PutUserPolicy", UserName="alejandro", PolicyName="p", PolicyDocument=allow("dynamodb:*", Condition=condition))
    entry = {
        "ContextKeyName": "aws:CurrentTime",
        "ContextKeyValues": ["2018-04-25T11:00:00Z"],
        "ContextKeyType": "date",
    }
    (result,) = iam(
        "SimulatePrincipalPolicy",
        PolicySourceArn=arn("user", "alejandro"),
        ActionNames=["dynamodb:CreateBackup"],
        ContextEntries=[entry],
    )["EvaluationResults"]
    assert (result["EvalDecision"], result["MatchedStatements"], result["MissingContextValues"]) == (
        "implicitDeny",
        [],
        [],
    )
    assert result["EvalResourceName"] == "*"
    # Without the entry the simulator fills in nothing: the key is reported missing.
    (missing,) = iam(
        "SimulatePrincipalPolicy", PolicySourceArn=arn("user", "alejandro"), ActionNames=["dynamodb:CreateBackup"]
    )["EvaluationResults"]
    assert missing["MissingContextValues"] == ["aws:CurrentTime"]


def test_every_missing_key_of_a_statement_is_reported(iam: Iam) -> None:
    """EvaluationResult, MissingContextValues (IAM API Reference): "A list of context keys
    that are required by the included input policies but that were not provided by one of
    the input parameters": all of them, whichever condition comes first."""
    condition = {
        "StringEquals": {"aws:PrincipalTag/team": "red"},
        "IpAddress": {"aws:SourceIp": "203.0.113.0/24"},
    }
    iam("CreateUser", UserName="needs-two")
    iam(
        "PutUserPolicy",
        UserName="needs-two",
        PolicyName="p",
        PolicyDocument=allow("s3:ListBucket", Condition=condition),
    )
    for order in (condition, dict(reversed(condition.items()))):
        iam(
            "PutUserPolicy",
            UserName="needs-two",
            PolicyName="p",
            PolicyDocument=allow("s3:ListBucket", Condition=order),
        )
        (result,) = iam(
            "SimulatePrincipalPolicy", PolicySourceArn=arn("user", "needs-two"), ActionNames=["s3:ListBucket"]
        )["EvaluationResults"]
        assert sorted(result["MissingContextValues"]) == ["aws:PrincipalTag/team", "aws:SourceIp"]


def test_policy_variables_without_a_value_are_missing_context_values(iam: Iam) -> None:
    """A policy variable names a context key the policy needs ("IAM policy elements:
    Variables and tags"; GetContextKeysForCustomPolicy lists it: awscli's example lists
    aws:username for ${aws:username}): a simulation that does not give it reports it in
    MissingContextValues, for the Resource element and for a condition's value alike, and
    whichever statement the simulated action matches: the keys "required by the included
    input policies" (EvaluationResult), as AWS answers them (boto/boto3#3111: simulating
    s3:ListBucket reported the aws:username of an s3:GetObject statement, "expected")."""
    policy = json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/${aws:username}/*"},
                {
                    "Effect": "Allow",
                    "Action": "s3:ListBucket",
                    "Resource": "arn:aws:s3:::b",
                    "Condition": {"StringLike": {"s3:prefix": "${aws:PrincipalTag/team}/*"}},
                },
            ],
        }
    )

    def simulate(action: str, resource: str, **context: str) -> tuple[str, list[str]]:
        entries = [
            {"ContextKeyName": k, "ContextKeyValues": [v], "ContextKeyType": "string"} for k, v in context.items()
        ]
        (result,) = iam(
            "SimulateCustomPolicy",
            PolicyInputList=[policy],
            ActionNames=[action],
            ResourceArns=[resource],
            ContextEntries=entries,
        )["EvaluationResults"]
        assert result["ResourceSpecificResults"][0]["MissingContextValues"] == result["MissingContextValues"]
        return result["EvalDecision"], result["MissingContextValues"]

    every = ["aws:username", "s3:prefix", "aws:PrincipalTag/team"]  # in the document's order
    assert simulate("s3:GetObject", "arn:aws:s3:::b/bob/x") == ("implicitDeny", every)
    assert simulate("s3:GetObject", "arn:aws:s3:::b/bob/x", **{"aws:username": "bob"}) == ("allowed", every[1:])
    assert simulate("s3:ListBucket", "arn:aws:s3:::b", **{"s3:prefix": "red/x"}) == (
        "implicitDeny",
        ["aws:username", "aws:PrincipalTag/team"],
    )
    given = {"s3:prefix": "red/x", "aws:PrincipalTag/team": "red"}
    assert simulate("s3:ListBucket", "arn:aws:s3:::b", **given) == ("allowed", ["aws:username"])


def test_aws_managed_policy_of_a_group_as_iam_reports_it(iam: Iam) -> None:
    """IAM's answer for a user whose group has AdministratorAccess, quoted in a public
    troubleshooting note (2026): SourcePolicyId "AdministratorAccess", "IAM Policy", line 3
    column 17 to line 8 column 6. Without ResourceArns there are no ResourceSpecificResults
    and no EvalDecisionDetails ("specifies all resources (*), then the parameter is not
    returned", EvaluationResult)."""
    iam("CreateUser", UserName="Vamshi_Dev")
    iam("CreateGroup", GroupName="Developers")
    iam("AddUserToGroup", GroupName="Developers", UserName="Vamshi_Dev")
    iam("AttachGroupPolicy", GroupName="Developers", PolicyArn=ADMIN)
    (result,) = iam(
        "SimulatePrincipalPolicy", PolicySourceArn=arn("user", "Vamshi_Dev"), ActionNames=["sqs:ListQueues"]
    )["EvaluationResults"]
    assert result["EvalDecision"] == "allowed"
    assert result["MatchedStatements"] == [
        {
            "SourcePolicyId": "AdministratorAccess",
            "SourcePolicyType": "IAM Policy",
            "StartPosition": {"Line": 3, "Column": 17},
            "EndPosition": {"Line": 8, "Column": 6},
        }
    ]
    assert result["MissingContextValues"] == []
    assert "ResourceSpecificResults" not in result and "EvalDecisionDetails" not in result


def test_inline_role_policy_as_iam_reports_it(iam: Iam) -> None:
    """IAM's answer for a role with an inline policy, quoted in a public troubleshooting
    note: SourcePolicyId "role_<role>_<policy>", "IAM Policy", explicitDeny for
    ssm:GetParameters, the one-line statement from column 38 (just after ``[``) to 89. The
    document here is one whose statement takes those columns."""
    role = "ecs-task-execution-role-ce-grp-4r"
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"}, "Action": "sts:AssumeRole"}
        ],
    }
    document = '{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"ssm:*","Resource":["*"]}]}'
    iam("CreateRole", RoleName=role, AssumeRolePolicyDocument=json.dumps(trust))
    iam("PutRolePolicy", RoleName=role, PolicyName="ecs_execution_secrets", PolicyDocument=document)
    secrets, parameters = iam(
        "SimulatePrincipalPolicy",
        PolicySourceArn=arn("role", role),
        ActionNames=["secretsmanager:GetSecretValue", "ssm:GetParameters"],
    )["EvaluationResults"]
    assert (secrets["EvalDecision"], secrets["MatchedStatements"]) == ("implicitDeny", [])
    assert parameters["EvalDecision"] == "explicitDeny"
    assert parameters["MatchedStatements"] == [
        {
            "SourcePolicyId": f"role_{role}_ecs_execution_secrets",
            "SourcePolicyType": "IAM Policy",
            "StartPosition": {"Line": 1, "Column": 38},
            "EndPosition": {"Line": 1, "Column": 89},
        }
    ]


# --- one EvaluationResult per action --------------------------------------------------------------


def test_one_result_per_action_most_restrictive_first(iam: Iam) -> None:
    """EvaluationResult: "a single EvaluationResult per action, regardless of how many
    resource ARNs are provided"; the top-level EvalDecision "reflects the most restrictive
    decision across all resources"; its MatchedStatements are those "that contributed to
    the reported decision"; ResourceSpecificResults has each resource's own; within one
    account with resource ARNs EvalDecisionDetails "is present but the response is empty"."""
    iam("CreateUser", UserName="alice")
    document = {
        "Version": "2012-10-17",
        "Statement": [
            {"Sid": "Read", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket/public/*"},
            {"Sid": "NoSecrets", "Effect": "Deny", "Action": "s3:*", "Resource": "arn:aws:s3:::bucket/secret/*"},
        ],
    }
    text = json.dumps(document)
    iam("PutUserPolicy", UserName="alice", PolicyName="reader", PolicyDocument=text)
    resources = ["arn:aws:s3:::bucket/public/a", "arn:aws:s3:::bucket/secret/b", "arn:aws:s3:::bucket/other/c"]
    get, put = iam(
        "SimulatePrincipalPolicy",
        PolicySourceArn=arn("user", "alice"),
        ActionNames=["s3:GetObject", "s3:PutObject"],
        ResourceArns=resources,
    )["EvaluationResults"]
    assert get["EvalActionName"] == "s3:GetObject" and put["EvalActionName"] == "s3:PutObject"
    assert get["EvalDecision"] == "explicitDeny"
    assert ids(get["MatchedStatements"]) == [("user_alice_reader", "IAM Policy")]
    # The Deny, the document's last statement: it ends just after its "}" (Statement).
    assert get["MatchedStatements"][0]["EndPosition"] == {"Line": 1, "Column": text.rindex("}]}") + 2}
    assert decisions(get) == [(resources[0], "allowed"), (resources[1], "explicitDeny"), (resources[2], "implicitDeny")]
    assert [len(r["MatchedStatements"]) for r in get["ResourceSpecificResults"]] == [1, 1, 0]
    assert get["EvalDecisionDetails"] == {}
    assert put["EvalDecision"] == "explicitDeny"
    assert decisions(put) == [
        (resources[0], "implicitDeny"),
        (resources[1], "explicitDeny"),
        (resources[2], "implicitDeny"),
    ]
    # "The ARN template for the simulated resource type (for example,
    # arn:${Partition}:s3:::${BucketName}/${KeyName}) ... not a specific customer-provided ARN"
    # (EvaluationResult); IAM's answers spell the partition out (responses kept in public
    # test fixtures read "arn:aws:s3:::${BucketName}/${KeyName}").
    assert get["EvalResourceName"] == "arn:aws:s3:::${BucketName}/${KeyName}"


def test_missing_context_values_top_level_and_per_resource(iam: Iam) -> None:
    """EvaluationResult: "In the top-level result, this field contains the deduplicated set of
    missing context values across all requested resources"; ResourceSpecificResult lists
    each resource's: the keys the policies reference, whether or not the statement that
    references them names the resource (boto/boto3#3111)."""
    iam("CreateUser", UserName="alice")
    statement = {"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}
    iam(
        "PutUserPolicy",
        UserName="alice",
        PolicyName="p",
        PolicyDocument=allow("s3:GetObject", "arn:aws:s3:::bucket/ip/*", Condition=statement),
    )
    (result,) = iam(
        "SimulatePrincipalPolicy",
        PolicySourceArn=arn("user", "alice"),
        ActionNames=["s3:GetObject"],
        ResourceArns=["arn:aws:s3:::bucket/ip/a", "arn:aws:s3:::bucket/ip/b", "arn:aws:s3:::bucket/x"],
    )["EvaluationResults"]
    assert result["MissingContextValues"] == ["aws:SourceIp"]
    assert [r["MissingContextValues"] for r in result["ResourceSpecificResults"]] == [["aws:SourceIp"]] * 3
    entry = {"ContextKeyName": "aws:SourceIp", "ContextKeyValues": ["10.1.2.3"], "ContextKeyType": "ip"}
    (given,) = iam(
        "SimulatePrincipalPolicy",
        PolicySourceArn=arn("user", "alice"),
        ActionNames=["s3:GetObject"],
        ResourceArns=["arn:aws:s3:::bucket/ip/a"],
        ContextEntries=[entry],
    )["EvaluationResults"]
    assert (given["EvalDecision"], given["MissingContextValues"]) == ("allowed", [])


# --- where the policies come from ------------------------------------------------------------------


def test_user_group_and_role_policies(iam: Iam) -> None:
    """SimulatePrincipalPolicy: "If you specify a user, then the simulation also includes all
    of the policies that are attached to groups that the user belongs to"; a group or a role
    brings its own."""
    iam("CreateUser", UserName="alice")
    iam("CreateGroup", GroupName="readers")
    iam("AddUserToGroup", GroupName="readers", UserName="alice")
    iam("PutGroupPolicy", GroupName="readers", PolicyName="read", PolicyDocument=allow("s3:GetObject"))
    trust = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"AWS": ACCOUNT}, "Action": "sts:AssumeRole"}],
    }
    iam("CreateRole", RoleName="writer", AssumeRolePolicyDocument=json.dumps(trust))
    iam("AttachRolePolicy", RoleName="writer", PolicyArn="arn:aws:iam::aws:policy/AmazonS3FullAccess")

    def decide(source: str, action: str) -> tuple[str, list[tuple[str, str]]]:
        (result,) = iam("SimulatePrincipalPolicy", PolicySourceArn=source, ActionNames=[action])["EvaluationResults"]
        return result["EvalDecision"], ids(result["MatchedStatements"])

    assert decide(arn("user", "alice"), "s3:GetObject") == ("allowed", [("group_readers_read", "IAM Policy")])
    assert decide(arn("group", "readers"), "s3:GetObject") == ("allowed", [("group_readers_read", "IAM Policy")])
    assert decide(arn("user", "alice"), "s3:PutObject") == ("implicitDeny", [])
    assert decide(arn("role", "writer"), "s3:PutObject") == ("allowed", [("AmazonS3FullAccess", "IAM Policy")])


def test_policy_input_list_adds_to_the_principal(iam: Iam) -> None:
    """PolicyInputList: "An optional list of additional policy documents to include in the
    simulation"; such a policy is "PolicyInputList.N" (awscli's simulate-custom-policy example)."""
    iam("CreateUser", UserName="bob")
    (result,) = iam(
        "SimulatePrincipalPolicy",
        PolicySourceArn=arn("user", "bob"),
        ActionNames=["s3:ListBucket"],
        PolicyInputList=[allow("s3:GetObject"), allow("s3:ListBucket")],
    )["EvaluationResults"]
    assert (result["EvalDecision"], ids(result["MatchedStatements"])) == (
        "allowed",
        [("PolicyInputList.2", "IAM Policy")],
    )


def test_permissions_boundary_of_the_entity_and_replaced(iam: Iam) -> None:
    """PermissionsBoundaryDecisionDetail: "false means that either the requested action is
    not allowed (implicitly denied) or ... explicitly denied by the permissions boundary";
    PermissionsBoundaryPolicyInputList: "if a permissions boundary is attached to an entity
    and you pass in a different permissions boundary policy using this parameter, then the
    new permissions boundary policy is used for the simulation"."""
    boundary = iam("CreatePolicy", PolicyName="list-only", PolicyDocument=allow("s3:List*"))["Policy"]["Arn"]
    iam("CreateUser", UserName="alice", PermissionsBoundary=boundary)
    iam("AttachUserPolicy", UserName="alice", PolicyArn="arn:aws:iam::aws:policy/AmazonS3FullAccess")
    listed, got = iam(
        "SimulatePrincipalPolicy", PolicySourceArn=arn("user", "alice"), ActionNames=["s3:ListBucket", "s3:GetObject"]
    )["EvaluationResults"]
    assert listed["EvalDecision"] == "allowed"
    assert listed["PermissionsBoundaryDecisionDetail"] == {"AllowedByPermissionsBoundary": True}
    assert got["EvalDecision"] == "implicitDeny"
    assert got["PermissionsBoundaryDecisionDetail"] == {"AllowedByPermissionsBoundary": False}
    listed, got = iam(
        "SimulatePrincipalPolicy",
        PolicySourceArn=arn("user", "alice"),
        ActionNames=["s3:ListBucket", "s3:GetObject"],
        PermissionsBoundaryPolicyInputList=[allow("s3:Get*")],
    )["EvaluationResults"]
    assert (listed["EvalDecision"], got["EvalDecision"]) == ("implicitDeny", "allowed")
    # "You can input only one permissions boundary when you pass a policy to this operation."
    with pytest.raises(errors.InvalidInput):
        iam(
            "SimulatePrincipalPolicy",
            PolicySourceArn=arn("user", "alice"),
            ActionNames=["s3:GetObject"],
            PermissionsBoundaryPolicyInputList=[allow("s3:Get*"), allow("s3:List*")],
        )


def test_policy_exclusion_list(iam: Iam) -> None:
    """PolicyExclusionList: "test what the simulation result would be if a policy were
    removed"; identifiers by type, by ARN ("use at most one *") or by inline policy and entity;
    "Syntactically invalid identifiers ... cause the request to fail with an InvalidInput
    error. Syntactically valid identifiers that don't match any attached policy are ignored"."""
    iam("CreateUser", UserName="alice")
    iam("AttachUserPolicy", UserName="alice", PolicyArn=ADMIN)
    iam("PutUserPolicy", UserName="alice", PolicyName="reads", PolicyDocument=allow("s3:GetObject"))

    def decide(*excluded: dict[str, Any]) -> dict[str, str]:
        results = iam(
            "SimulatePrincipalPolicy",
            PolicySourceArn=arn("user", "alice"),
            ActionNames=["s3:GetObject", "iam:CreateUser"],
            PolicyExclusionList=list(excluded),
        )["EvaluationResults"]
        return {r["EvalActionName"]: r["EvalDecision"] for r in results}

    both = {"s3:GetObject": "allowed", "iam:CreateUser": "allowed"}
    reads_only = {"s3:GetObject": "allowed", "iam:CreateUser": "implicitDeny"}
    assert decide() == both
    assert decide({"PolicyArn": "arn:aws:iam::aws:policy/Admin*"}) == reads_only
    assert decide({"PolicyType": "aws-managed"}) == reads_only
    assert decide({"PolicyArn": "arn:aws:iam::aws:policy/ReadOnly?ccess"}) == both  # matches nothing attached
    assert decide({"PolicyType": "aws-managed"}, {"PolicyType": "inline"}) == {
        "s3:GetObject": "implicitDeny",
        "iam:CreateUser": "implicitDeny",
    }
    # AttachmentName "supports wildcard characters" (PolicyIdentifier), although botocore's
    # model gives it the pattern [\w+=,.@-]+, which the protocol layer enforces.
    inline = {"PolicyName": "reads", "AttachmentType": "user", "AttachmentName": "al*"}
    assert decide({"PolicyType": "aws-managed"}, {"InlinePolicyIdentifier": inline})["s3:GetObject"] == "implicitDeny"
    for invalid in (
        {"PolicyArn": "arn:aws:iam::aws:policy/*Admin*"},
        {"PolicyArn": "arn:aws:s3:::bucket"},
        {"PolicyType": "inline", "PolicyArn": ADMIN},
        {"InlinePolicyIdentifier": {**inline, "AttachmentName": "*a*"}},
    ):
        with pytest.raises(errors.InvalidInput):
            decide(invalid)


def test_caller_arn_as_if_bob_had_davids_policies(iam: Iam) -> None:
    """CallerArn: "you simulate calling the API operations as Bob, as if Bob had David's
    policies"; the resource policy's Principal is matched against the caller. Within one
    account a resource-based policy naming the user allows on its own ("Policy evaluation
    logic", https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html)."""
    iam("CreateUser", UserName="david")
    iam("CreateUser", UserName="bob")

    def bucket_policy(user: str) -> str:
        statement = {
            "Effect": "Allow",
            "Principal": {"AWS": arn("user", user)},
            "Action": "s3:GetObject",
            "Resource": "arn:aws:s3:::bucket/*",
        }
        return json.dumps({"Version": "2012-10-17", "Statement": [statement]})

    def decide(named: str) -> dict[str, Any]:
        (result,) = iam(
            "SimulatePrincipalPolicy",
            PolicySourceArn=arn("user", "david"),
            CallerArn=arn("user", "bob"),
            ActionNames=["s3:GetObject"],
            ResourceArns=["arn:aws:s3:::bucket/key"],
            ResourcePolicy=bucket_policy(named),
        )["EvaluationResults"]
        return result

    allowed = decide("bob")
    assert allowed["EvalDecision"] == "allowed"
    assert ids(allowed["MatchedStatements"]) == [("ResourcePolicy", "Resource Policy")]
    assert decide("david")["EvalDecision"] == "implicitDeny"


def test_resource_policy_needs_a_user_as_the_caller(iam: Iam) -> None:
    """ "Simulation of resource-based policies isn't supported for IAM roles" (ResourcePolicy);
    IAM's answer, quoted in ScottLogic's blog "Automated permissions testing with AWS IAM
    Policy Simulator" (2025): "Invalid caller - Caller must be an IAM user in this context."."""
    trust = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"AWS": ACCOUNT}, "Action": "sts:AssumeRole"}],
    }
    iam("CreateRole", RoleName="r", AssumeRolePolicyDocument=json.dumps(trust))
    bucket = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:*", "Resource": "*"}],
    }
    with pytest.raises(errors.InvalidInput, match="^Invalid caller - Caller must be an IAM user in this context.$"):
        iam(
            "SimulatePrincipalPolicy",
            PolicySourceArn=arn("role", "r"),
            ActionNames=["s3:GetObject"],
            ResourcePolicy=json.dumps(bucket),
        )
    # Without a resource policy a role is simulated with its own policies.
    (result,) = iam("SimulatePrincipalPolicy", PolicySourceArn=arn("role", "r"), ActionNames=["s3:GetObject"])[
        "EvaluationResults"
    ]
    assert result["EvalDecision"] == "implicitDeny"


# --- SimulateCustomPolicy ---------------------------------------------------------------------------


def test_cross_account_needs_both_sides(iam: Iam) -> None:
    """EvalDecisionDetails is "populated for only cross-account simulations"; "The request is
    allowed only if both evaluations return true"; ResourceOwner "is also used as the account
    owner of any ResourcePolicy" ("Cross-account policy evaluation logic",
    https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html).
    The map's keys are as real responses carry them (ScottLogic's blog, 2025)."""
    bucket = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{OTHER}:root"},
                "Action": "s3:GetObject",
                "Resource": "arn:aws:s3:::bucket-a/*",
            }
        ],
    }
    get, listing = iam(
        "SimulateCustomPolicy",
        PolicyInputList=[allow("s3:*")],
        ActionNames=["s3:GetObject", "s3:ListBucket"],
        ResourceArns=["arn:aws:s3:::bucket-a/report.csv"],
        ResourcePolicy=json.dumps(bucket),
        ResourceOwner=f"arn:aws:iam::{ACCOUNT}:root",
        CallerArn=arn("user", "alice", OTHER),
    )["EvaluationResults"]
    assert get["EvalDecision"] == "allowed"
    assert get["EvalDecisionDetails"] == {"IAM Policy": "allowed", "Resource Policy": "allowed"}
    assert get["ResourceSpecificResults"][0]["EvalDecisionDetails"] == get["EvalDecisionDetails"]
    assert listing["EvalDecision"] == "implicitDeny"
    assert listing["EvalDecisionDetails"] == {"IAM Policy": "allowed", "Resource Policy": "implicitDeny"}


def test_context_entry_types_and_lists(iam: Iam) -> None:
    """ContextEntry: ContextKeyType string, numeric, boolean, ip, ... and their List forms;
    a list key is matched with ForAllValues / ForAnyValue ("Set operators for multivalued
    context keys", https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html)."""
    conditions = {
        "ForAllValues:StringEquals": {"aws:TagKeys": ["team", "cost"]},
        "NumericLessThan": {"s3:max-keys": "10"},
        "Bool": {"aws:MultiFactorAuthPresent": "true"},
    }
    policy = allow("s3:ListBucket", Condition=conditions)

    def decide(tags: list[str], max_keys: str, mfa: str) -> str:
        entries = [
            {"ContextKeyName": "aws:TagKeys", "ContextKeyValues": tags, "ContextKeyType": "stringList"},
            {"ContextKeyName": "s3:max-keys", "ContextKeyValues": [max_keys], "ContextKeyType": "numeric"},
            {"ContextKeyName": "aws:MultiFactorAuthPresent", "ContextKeyValues": [mfa], "ContextKeyType": "boolean"},
        ]
        (result,) = iam(
            "SimulateCustomPolicy", PolicyInputList=[policy], ActionNames=["s3:ListBucket"], ContextEntries=entries
        )["EvaluationResults"]
        return str(result["EvalDecision"])

    assert decide(["team"], "5", "true") == "allowed"
    assert decide(["team", "cost"], "5", "true") == "allowed"
    assert decide(["team", "owner"], "5", "true") == "implicitDeny"
    assert decide(["team"], "50", "true") == "implicitDeny"
    assert decide(["team"], "5", "false") == "implicitDeny"


def test_service_control_policies(iam: Iam) -> None:
    """OrderedOrganizationPolicyInputList: one element per level, root to account, evaluated
    "consistent with how Organizations enforces SCPs" (every level must allow: "SCP
    evaluation", https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_evaluation.html);
    MatchedStatements and MissingContextValues leave SCPs out; OrganizationsDecisionDetail
    says whether they allow (EvaluationResult)."""
    full = allow("*")
    region_lock = allow(
        "s3:DeleteObject", effect="Deny", Condition={"StringNotEquals": {"aws:RequestedRegion": "eu-west-1"}}
    )
    levels = [{"ServiceControlPolicyInputList": [full]}, {"ServiceControlPolicyInputList": [full, region_lock]}]
    get, delete = iam(
        "SimulateCustomPolicy",
        PolicyInputList=[allow("s3:*")],
        OrderedOrganizationPolicyInputList=levels,
        ActionNames=["s3:GetObject", "s3:DeleteObject"],
    )["EvaluationResults"]
    assert get["EvalDecision"] == "allowed"
    assert get["OrganizationsDecisionDetail"] == {"AllowedByOrganizations": True}
    assert delete["EvalDecision"] == "explicitDeny"
    assert delete["MatchedStatements"] == [] and delete["MissingContextValues"] == []
    assert delete["OrganizationsDecisionDetail"] == {"AllowedByOrganizations": False}
    ec2_only = [{"ServiceControlPolicyInputList": [full]}, {"ServiceControlPolicyInputList": [allow("ec2:*")]}]
    (result,) = iam(
        "SimulateCustomPolicy",
        PolicyInputList=[allow("s3:*")],
        OrderedOrganizationPolicyInputList=ec2_only,
        ActionNames=["s3:GetObject"],
    )["EvaluationResults"]
    assert result["EvalDecision"] == "implicitDeny"
    assert result["OrganizationsDecisionDetail"] == {"AllowedByOrganizations": False}


def test_pagination(iam: Iam) -> None:
    """MaxItems: "If additional items exist beyond the maximum you specify, the IsTruncated
    response element is true"; Marker continues; the default is 100."""
    actions = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]
    first = iam("SimulateCustomPolicy", PolicyInputList=[allow("s3:Get*")], ActionNames=actions, MaxItems=2)
    assert [r["EvalActionName"] for r in first["EvaluationResults"]] == actions[:2]
    assert first["IsTruncated"] is True
    second = iam(
        "SimulateCustomPolicy",
        PolicyInputList=[allow("s3:Get*")],
        ActionNames=actions,
        MaxItems=2,
        Marker=first["Marker"],
    )
    assert [r["EvalActionName"] for r in second["EvaluationResults"]] == actions[2:]
    assert second["IsTruncated"] is False and "Marker" not in second
    # A marker it did not give: the list operations' answer (recorded from AWS for
    # ListVirtualMFADevices, LocalStack's test_iam_mfa snapshot; the simulator's is unrecorded).
    with pytest.raises(errors.ValidationError, match="^Invalid Marker.$"):
        iam("SimulateCustomPolicy", PolicyInputList=[allow("s3:Get*")], ActionNames=actions, Marker="garbage")


# --- errors -----------------------------------------------------------------------------------------


def test_unknown_policy_source_is_no_such_entity(iam: Iam) -> None:
    """SimulatePrincipalPolicy and GetContextKeysForPrincipalPolicy list NoSuchEntity (404)."""
    iam("CreateUser", UserName="alice", Path="/team/")
    for operation, extra in (
        ("SimulatePrincipalPolicy", {"ActionNames": ["s3:GetObject"]}),
        ("GetContextKeysForPrincipalPolicy", {}),
    ):
        for source in (
            arn("user", "nobody"),
            arn("user", "alice"),
            arn("role", "missing"),
            arn("user", "team/alice", OTHER),
        ):
            with pytest.raises(errors.NoSuchEntity) as raised:
                iam(operation, PolicySourceArn=source, **extra)
            assert raised.value.status == 404
    assert iam("GetContextKeysForPrincipalPolicy", PolicySourceArn=arn("user", "team/alice")) == {"ContextKeyNames": []}


def test_malformed_policies_are_invalid_input(iam: Iam) -> None:
    """The operations' errors are InvalidInput (and NoSuchEntity, PolicyEvaluation): a bad
    document is InvalidInput, in IAM's words for the document ("Syntax errors in policy.",
    IAM's answer to bad JSON quoted in boto/boto3#180; "Policy document should not specify a
    principal." for a Principal in an identity policy)."""
    iam("CreateUser", UserName="alice")
    with_principal = json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:*", "Resource": "*"}],
        }
    )
    calls: list[tuple[str, dict[str, Any]]] = [
        ("SimulateCustomPolicy", {"PolicyInputList": ["{"], "ActionNames": ["s3:GetObject"]}),
        (
            "SimulatePrincipalPolicy",
            {"PolicySourceArn": arn("user", "alice"), "PolicyInputList": ["not json"], "ActionNames": ["s3:GetObject"]},
        ),
        ("GetContextKeysForCustomPolicy", {"PolicyInputList": ['{"Statement": []']}),
        ("GetContextKeysForPrincipalPolicy", {"PolicySourceArn": arn("user", "alice"), "PolicyInputList": ["[]"]}),
    ]
    for operation, params in calls:
        with pytest.raises(errors.InvalidInput, match="^Syntax errors in policy.$"):
            iam(operation, **params)
    with pytest.raises(errors.InvalidInput, match="^Policy document should not specify a principal.$"):
        iam("SimulateCustomPolicy", PolicyInputList=[with_principal], ActionNames=["s3:GetObject"])


def test_invalid_requests(iam: Iam) -> None:
    """ "This operation does not support using wildcards (*) in an action name"; "CallerArn is
    required if you include a ResourcePolicy" (SimulateCustomPolicy); CallerArn "cannot
    specify the ARN of an assumed role, federated user, or a service principal"."""
    cases: list[dict[str, Any]] = [
        {"ActionNames": ["s3:Get*"]},
        {"ActionNames": ["s3:GetObject"], "ResourcePolicy": allow("s3:*", Principal="*")},
        {"ActionNames": ["s3:GetObject"], "CallerArn": f"arn:aws:sts::{ACCOUNT}:assumed-role/r/s"},
        {"ActionNames": ["s3:GetObject"], "ResourceOwner": "not-an-account"},
    ]
    for params in cases:
        with pytest.raises(errors.InvalidInput):
            iam("SimulateCustomPolicy", PolicyInputList=[allow("s3:*")], **params)
    # IAM's words for a ResourceOwner it cannot read (recorded in boto/botocore#1346).
    with pytest.raises(errors.InvalidInput, match="^'garbage' is not a valid as a Resource Owner.$"):
        iam(
            "SimulateCustomPolicy",
            PolicyInputList=[allow("s3:*")],
            ActionNames=["s3:GetObject"],
            ResourceOwner="garbage",
        )


def test_missing_context_values_of_statements_for_other_actions(iam: Iam) -> None:
    """boto/boto3#3111, AWS's answer (the maintainers: expected): this policy simulated for
    s3:ListBucket on the bucket, no context, reported both aws:PrincipalTag/allowed_service
    and aws:username, the second from the s3:GetObject statement."""
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": "s3:ListBucket",
                "Resource": "arn:aws:s3:::example-bucket",
                "Condition": {"StringLike": {"aws:PrincipalTag/allowed_service": "s3"}},
            },
            {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::example-bucket/${aws:username}"},
        ],
    }
    (result,) = iam(
        "SimulateCustomPolicy",
        PolicyInputList=[json.dumps(policy)],
        ActionNames=["s3:ListBucket"],
        ContextEntries=[],
        ResourceArns=["arn:aws:s3:::example-bucket"],
    )["EvaluationResults"]
    assert sorted(result["MissingContextValues"]) == ["aws:PrincipalTag/allowed_service", "aws:username"]


# --- GetContextKeysFor* -----------------------------------------------------------------------------

CONTEXT_EXAMPLE = (
    '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"dynamodb:*","Resource":'
    '"arn:aws:dynamodb:us-west-2:123456789012:table/${aws:username}","Condition":{"DateGreaterThan":'
    '{"aws:CurrentTime":"2015-08-16T12:00:00Z"}}}}'
)


def test_get_context_keys_for_custom_policy_awscli_example(iam: Iam) -> None:
    """awscli ``get-context-keys-for-custom-policy`` example: the policy variable of the
    Resource and the condition key, in that order, as written."""
    assert iam("GetContextKeysForCustomPolicy", PolicyInputList=[CONTEXT_EXAMPLE]) == {
        "ContextKeyNames": ["aws:username", "aws:CurrentTime"]
    }
    # Each key once, across policies and whatever its case (context keys compare
    # case-insensitively: "AWS global condition context keys").
    again = allow("s3:GetObject", Condition={"StringEquals": {"AWS:UserName": "a", "s3:prefix": "${aws:userid}/"}})
    assert iam("GetContextKeysForCustomPolicy", PolicyInputList=[CONTEXT_EXAMPLE, again]) == {
        "ContextKeyNames": ["aws:username", "aws:CurrentTime", "s3:prefix", "aws:userid"]
    }


def test_get_context_keys_for_principal_policy_awscli_example(iam: Iam) -> None:
    """awscli ``get-context-keys-for-principal-policy`` example: the policies "attached to the
    user saanvi and any groups she is a member of" reference aws:username and aws:CurrentTime;
    PolicyInputList adds its own ("any additional policies that you provide")."""
    iam("CreateUser", UserName="saanvi")
    iam("CreateGroup", GroupName="staff")
    iam("AddUserToGroup", GroupName="staff", UserName="saanvi")
    iam(
        "PutUserPolicy",
        UserName="saanvi",
        PolicyName="home",
        PolicyDocument=allow("s3:*", "arn:aws:s3:::home/${aws:username}/*"),
    )
    after = {"DateGreaterThan": {"aws:CurrentTime": "2015-08-16T12:00:00Z"}}
    iam("PutGroupPolicy", GroupName="staff", PolicyName="later", PolicyDocument=allow("dynamodb:*", Condition=after))
    assert iam("GetContextKeysForPrincipalPolicy", PolicySourceArn=arn("user", "saanvi")) == {
        "ContextKeyNames": ["aws:username", "aws:CurrentTime"]
    }
    extra = allow("ec2:*", Condition={"StringEquals": {"aws:RequestedRegion": "eu-west-1"}})
    assert iam("GetContextKeysForPrincipalPolicy", PolicySourceArn=arn("user", "saanvi"), PolicyInputList=[extra]) == {
        "ContextKeyNames": ["aws:username", "aws:CurrentTime", "aws:RequestedRegion"]
    }
    assert iam("GetContextKeysForPrincipalPolicy", PolicySourceArn=arn("group", "staff")) == {
        "ContextKeyNames": ["aws:CurrentTime"]
    }


def test_a_session_arn_is_no_policy_source(iam: Iam) -> None:
    # PolicySourceArn names "a user, group, or role" (SimulatePrincipalPolicy); IAM refuses an
    # assumed-role session's ARN in these words (recorded in a public trace).
    session = f"arn:aws:sts::{ACCOUNT}:assumed-role/r/s"
    with pytest.raises(errors.InvalidInput) as raised:
        iam("SimulatePrincipalPolicy", PolicySourceArn=session, ActionNames=["s3:GetObject"])
    assert raised.value.message == f"Invalid Entity Arn: {session} does not clearly define entity type and name."
