"""Resource-based policies trust the principal, not its name: a user or role deleted and
created again under the same name is not trusted by the old policies; a renamed user is.

AWS page: "AWS JSON policy elements: Principal" (IAM User Guide), "IAM role principals" /
"IAM user principals": "When you save the policy, AWS transforms the ARN to a unique
principal ID ... If you delete and recreate a user or role referenced in a trust policy's
Principal element, you must edit the role to replace the ARN" (the policy then shows the
unique ID); "This helps mitigate the risk of someone escalating their privileges by
removing and recreating the role or user".
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
from botocore.exceptions import ClientError
from inprocess_harness import client, open_app, root_keys, user_keys

A = "111111111111"
B = "222222222222"
EVERYTHING = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]})


def _trust(*arns: str) -> str:
    statement = {"Effect": "Allow", "Principal": {"AWS": list(arns)}, "Action": "sts:AssumeRole"}
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


def _document(text: Any) -> Any:
    return json.loads(unquote(text)) if isinstance(text, str) else text


def _make_user(app: Any, account: str, name: str) -> tuple[dict[str, str], str]:
    keys = user_keys(app, account, name)
    iam = client(app, "iam", root_keys(app, account))
    iam.put_user_policy(UserName=name, PolicyName="all", PolicyDocument=EVERYTHING)
    return keys, iam.get_user(UserName=name)["User"]["UserId"]


def _delete_user(app: Any, account: str, name: str, keys: dict[str, str]) -> None:
    iam = client(app, "iam", root_keys(app, account))
    iam.delete_user_policy(UserName=name, PolicyName="all")
    iam.delete_access_key(UserName=name, AccessKeyId=keys["aws_access_key_id"])
    iam.delete_user(UserName=name)


def test_a_recreated_user_is_not_trusted(tmp_path: Path) -> None:
    app = open_app(tmp_path, A, B)
    iam_a = client(app, "iam", root_keys(app, A))
    alice_arn = f"arn:aws:iam::{B}:user/alice"
    keys, old_id = _make_user(app, B, "alice")
    _make_user(app, B, "bob")
    bob_arn = f"arn:aws:iam::{B}:user/bob"
    iam_a.create_role(RoleName="shared", AssumeRolePolicyDocument=_trust(alice_arn, bob_arn))
    role_arn = f"arn:aws:iam::{A}:role/shared"
    client(app, "sts", keys).assume_role(RoleArn=role_arn, RoleSessionName="before")

    _delete_user(app, B, "alice", keys)
    principals = _document(iam_a.get_role(RoleName="shared")["Role"]["AssumeRolePolicyDocument"])["Statement"][0]
    assert principals["Principal"]["AWS"] == [old_id, bob_arn]  # the ID, not the ARN

    new_keys, new_id = _make_user(app, B, "alice")
    assert new_id != old_id
    with pytest.raises(ClientError) as denied:
        client(app, "sts", new_keys).assume_role(RoleArn=role_arn, RoleSessionName="after")
    assert denied.value.response["Error"]["Code"] == "AccessDenied"
    # Editing the role to name the ARN again trusts the new user ("you must edit the role").
    iam_a.update_assume_role_policy(RoleName="shared", PolicyDocument=_trust(alice_arn))
    client(app, "sts", new_keys).assume_role(RoleArn=role_arn, RoleSessionName="edited")


def test_a_bucket_policy_forgets_a_deleted_role(tmp_path: Path) -> None:
    app = open_app(tmp_path, A)
    iam = client(app, "iam", root_keys(app, A))
    s3 = client(app, "s3", root_keys(app, A))
    s3.create_bucket(Bucket="bkt")
    s3.put_object(Bucket="bkt", Key="k", Body=b"x")
    role_arn = f"arn:aws:iam::{A}:role/reader"
    iam.create_role(RoleName="reader", AssumeRolePolicyDocument=_trust(f"arn:aws:iam::{A}:root"))
    old_id = iam.get_role(RoleName="reader")["Role"]["RoleId"]
    grant = {
        "Effect": "Allow",
        "Principal": {"AWS": role_arn},
        "Action": "s3:GetObject",
        "Resource": "arn:aws:s3:::bkt/*",
    }
    s3.put_bucket_policy(Bucket="bkt", Policy=json.dumps({"Version": "2012-10-17", "Statement": [grant]}))

    iam.delete_role(RoleName="reader")
    # Still S3's compact text (s3.buckets._as_stored), only the principal changed.
    assert s3.get_bucket_policy(Bucket="bkt")["Policy"] == json.dumps(
        {"Version": "2012-10-17", "Statement": [grant | {"Principal": {"AWS": old_id}}]}, separators=(",", ":")
    )
    iam.create_role(RoleName="reader", AssumeRolePolicyDocument=_trust(f"arn:aws:iam::{A}:root"))
    keys = user_keys(app, A, "assumer")
    iam.put_user_policy(UserName="assumer", PolicyName="all", PolicyDocument=EVERYTHING)
    credentials = client(app, "sts", keys).assume_role(RoleArn=role_arn, RoleSessionName="s1")["Credentials"]
    session_keys = {
        "aws_access_key_id": credentials["AccessKeyId"],
        "aws_secret_access_key": credentials["SecretAccessKey"],
    }
    with pytest.raises(ClientError) as denied:  # the new role has no policy of its own, and the grant is gone
        client(app, "s3", session_keys, credentials["SessionToken"]).get_object(Bucket="bkt", Key="k")
    assert denied.value.response["Error"]["Code"] == "AccessDenied"
    assert s3.get_bucket_policy_status(Bucket="bkt")["PolicyStatus"]["IsPublic"] is False  # still readable


def test_a_renamed_user_stays_trusted(tmp_path: Path) -> None:
    app = open_app(tmp_path, A)
    iam = client(app, "iam", root_keys(app, A))
    keys, _user_id = _make_user(app, A, "carol")
    iam.create_role(RoleName="r", AssumeRolePolicyDocument=_trust(f"arn:aws:iam::{A}:user/carol"))
    iam.update_user(UserName="carol", NewUserName="caroline", NewPath="/team/")
    document = _document(iam.get_role(RoleName="r")["Role"]["AssumeRolePolicyDocument"])
    assert document["Statement"][0]["Principal"]["AWS"] == [f"arn:aws:iam::{A}:user/team/caroline"]
    client(app, "sts", keys).assume_role(RoleArn=f"arn:aws:iam::{A}:role/r", RoleSessionName="renamed")


def test_replace_principal_touches_only_principals() -> None:
    from iamsandbox.services.iam.principal_ids import replace_principal

    old, new = f"arn:aws:iam::{A}:user/dave", "AIDAEXAMPLEEXAMPLE123"
    document = {
        "Version": "2012-10-17",
        "Statement": {
            "Effect": "Deny",
            "NotPrincipal": {"AWS": old},
            "Action": "s3:*",
            "Resource": "*",
            "Condition": {"ArnEquals": {"aws:PrincipalArn": old}},
        },
    }
    rewritten = json.loads(replace_principal(json.dumps(document), old, new) or "{}")
    assert rewritten["Statement"]["NotPrincipal"] == {"AWS": new}
    assert rewritten["Statement"]["Condition"] == {"ArnEquals": {"aws:PrincipalArn": old}}
    assert replace_principal(json.dumps(document), "arn:aws:iam::111111111111:user/other", new) is None
    assert replace_principal("not json", old, new) is None


def test_a_session_does_not_inherit_a_namesakes_grants(tmp_path: Path) -> None:
    """A session of a deleted user (GetSessionToken) or role (AssumeRole) is not named by a
    policy that names the user or role created again under that name: the policy holds the
    new principal's ID, not the session's ("AWS JSON policy elements: Principal")."""
    app = open_app(tmp_path, A)
    iam = client(app, "iam", root_keys(app, A))
    s3 = client(app, "s3", root_keys(app, A))
    s3.create_bucket(Bucket="bkt")
    s3.put_object(Bucket="bkt", Key="k", Body=b"x")

    keys, _old = _make_user(app, A, "erin")
    token = client(app, "sts", keys).get_session_token()["Credentials"]
    iam.create_role(RoleName="temp", AssumeRolePolicyDocument=_trust(f"arn:aws:iam::{A}:user/erin"))
    role = client(app, "sts", keys).assume_role(RoleArn=f"arn:aws:iam::{A}:role/temp", RoleSessionName="s1")
    sessions = [token, role["Credentials"]]

    _delete_user(app, A, "erin", keys)
    iam.delete_role(RoleName="temp")
    _make_user(app, A, "erin")
    iam.create_role(RoleName="temp", AssumeRolePolicyDocument=_trust(f"arn:aws:iam::{A}:root"))
    grant = {
        "Effect": "Allow",
        "Principal": {"AWS": [f"arn:aws:iam::{A}:user/erin", f"arn:aws:iam::{A}:role/temp"]},
        "Action": "s3:GetObject",
        "Resource": "arn:aws:s3:::bkt/*",
    }
    s3.put_bucket_policy(Bucket="bkt", Policy=json.dumps({"Version": "2012-10-17", "Statement": [grant]}))
    for credentials in sessions:
        old = client(
            app,
            "s3",
            {"aws_access_key_id": credentials["AccessKeyId"], "aws_secret_access_key": credentials["SecretAccessKey"]},
            credentials["SessionToken"],
        )
        with pytest.raises(ClientError) as denied:
            old.get_object(Bucket="bkt", Key="k")
        assert denied.value.response["Error"]["Code"] == "AccessDenied"


def test_a_json_escaped_arn_is_retired_too(tmp_path: Path) -> None:
    """JSON lets a policy spell the ARN with escapes ("user\\/bob", "\\u0062ob"); it names
    the same principal, so deleting the user retires it as well."""
    app = open_app(tmp_path, A)
    iam = client(app, "iam", root_keys(app, A))
    keys, old_id = _make_user(app, A, "bob")
    escaped = _trust(f"arn:aws:iam::{A}:user/bob").replace("user/bob", "user\\/\\u0062ob")
    assert "\\/" in escaped and json.loads(escaped)["Statement"][0]["Principal"]["AWS"] == [
        f"arn:aws:iam::{A}:user/bob"
    ]
    iam.create_role(RoleName="r", AssumeRolePolicyDocument=escaped)
    _delete_user(app, A, "bob", keys)
    document = _document(iam.get_role(RoleName="r")["Role"]["AssumeRolePolicyDocument"])
    assert document["Statement"][0]["Principal"]["AWS"] == [old_id]
    new_keys, _new_id = _make_user(app, A, "bob")
    with pytest.raises(ClientError):
        client(app, "sts", new_keys).assume_role(RoleArn=f"arn:aws:iam::{A}:role/r", RoleSessionName="s1")
