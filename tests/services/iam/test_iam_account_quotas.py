"""IAM's per-account quotas and a Marker that is no number of ours.

AWS pages: "IAM and AWS STS quotas" (IAM User Guide), "IAM object quotas": customer
managed policies in an AWS account 1,500, groups 300, roles 1,000, users 5,000 (the
defaults GetAccountSummary answers as PoliciesQuota, GroupsQuota, RolesQuota and
UsersQuota). The error is LimitExceeded, "Cannot exceed quota for <name>: <quota>", as AWS
answers it for instance profiles (recorded in ansible/workshops#1801) and roles
("RolesPerAccount", openshift/release#69365). ListUsers (and every list operation): Marker
is "[\\u0020-\\u00FF]+", so "²" reaches the operation, which must answer it as a marker it
did not give (InvalidInput), not fail.
"""

from __future__ import annotations

import json

import pytest
from iam_harness import ACCOUNT, OTHER, Iam

from iamsandbox import errors

TRUST = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"AWS": OTHER}, "Action": "sts:AssumeRole"}],
    }
)
DOCUMENT = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]})


@pytest.mark.parametrize(
    ("kind", "quota", "fill", "one_more"),
    [
        ("UsersPerAccount", 5000, lambda tx, i: tx.create_user(ACCOUNT, f"u{i}"), ("CreateUser", {"UserName": "x"})),
        ("GroupsPerAccount", 300, lambda tx, i: tx.create_group(ACCOUNT, f"g{i}"), ("CreateGroup", {"GroupName": "x"})),
        (
            "RolesPerAccount",
            1000,
            lambda tx, i: tx.create_role(ACCOUNT, f"r{i}", TRUST),
            ("CreateRole", {"RoleName": "x", "AssumeRolePolicyDocument": TRUST}),
        ),
        (
            "PoliciesPerAccount",
            1500,
            lambda tx, i: tx.create_policy(ACCOUNT, f"p{i}", DOCUMENT),
            ("CreatePolicy", {"PolicyName": "x", "PolicyDocument": DOCUMENT}),
        ),
    ],
)
def test_an_account_holds_its_quota_of_users_groups_roles_and_policies(
    iam: Iam, kind: str, quota: int, fill: object, one_more: tuple[str, dict[str, str]]
) -> None:
    with iam.store.transaction() as tx:
        for i in range(quota - 1):
            fill(tx, i)  # type: ignore[operator]
    operation, params = one_more
    iam(operation, **params)  # the last one the quota allows
    params = {**params, next(iter(params)): "y"}
    with pytest.raises(errors.LimitExceeded, match=f"^Cannot exceed quota for {kind}: {quota}$"):
        iam(operation, **params)
    summary = iam("GetAccountSummary")["SummaryMap"]
    quota_key = {"UsersPerAccount": "Users", "GroupsPerAccount": "Groups", "RolesPerAccount": "Roles"}.get(
        kind, "Policies"
    )
    assert summary[quota_key] == summary[f"{quota_key}Quota"] == quota
    iam.account = OTHER  # the quota is per account
    iam(operation, **params)


@pytest.mark.parametrize("marker", ["²", "¹0", "-1", "abc"])
def test_a_marker_that_is_no_number_of_ours_is_invalid_input(iam: Iam, marker: str) -> None:
    iam("CreateUser", UserName="alice")
    with pytest.raises(errors.ValidationError, match="^Invalid Marker.$"):
        iam("ListUsers", Marker=marker)


def test_deleting_each_page_before_the_next_skips_nothing(iam: Iam) -> None:
    # A boto3 paginator's loop that deletes what each page gave before it asks for the next:
    # the next page starts after the last user returned, as AWS's markers do ("Set it to the
    # value of the Marker element in the response that you received to indicate where the
    # next call should start", ListUsers), not that many places further on.
    for i in range(30):
        iam("CreateUser", UserName=f"u{i:02d}", Path="/del/")
    deleted: list[str] = []
    marker = None
    while True:
        page = iam("ListUsers", PathPrefix="/del/", MaxItems=10, **({"Marker": marker} if marker else {}))
        for user in page["Users"]:
            iam("DeleteUser", UserName=user["UserName"])
            deleted.append(user["UserName"])
        if not page["IsTruncated"]:
            break
        marker = page["Marker"]
    assert deleted == [f"u{i:02d}" for i in range(30)]
    # A user created before the next page is not listed twice.
    for name in ("a", "b", "c"):
        iam("CreateUser", UserName=name)
    first = iam("ListUsers", MaxItems=2)
    iam("CreateUser", UserName="0-first")
    rest = iam("ListUsers", Marker=first["Marker"])
    assert [u["UserName"] for u in first["Users"]] + [u["UserName"] for u in rest["Users"]] == ["a", "b", "c"]


def test_a_marker_of_another_list_is_invalid(iam: Iam) -> None:
    iam("CreateUser", UserName="alice")
    iam("CreateUser", UserName="bob")
    iam("CreateGroup", GroupName="g1")
    marker = iam("ListUsers", MaxItems=1)["Marker"]
    assert len(marker) <= 320  # the Marker member's own limit
    with pytest.raises(errors.ValidationError, match="^Invalid Marker.$"):
        iam("ListAccessKeys", UserName="alice", Marker=marker)
