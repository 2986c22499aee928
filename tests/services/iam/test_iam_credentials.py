"""Access keys, login profiles, ChangePassword and virtual MFA devices."""

from __future__ import annotations

import base64
import hashlib
import hmac
import struct
from datetime import timedelta

import pytest
from iam_harness import ACCOUNT, Iam

from iamsandbox import errors
from iamsandbox.services.iam.mfa import totp


def test_totp_matches_rfc_6238() -> None:
    # RFC 6238 appendix B, SHA-1, T = 59 s: 94287082 (8 digits); 6 digits: 287082.
    seed = base64.b32encode(b"12345678901234567890").decode()
    assert totp(seed, 59 // 30) == "287082"
    assert totp(seed, 1111111109 // 30) == "081804"


def _reference(seed: str, counter: int) -> str:
    digest = hmac.new(base64.b32decode(seed), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[19] & 0xF
    return str((struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 10**6).zfill(6)


def test_access_keys(iam: Iam) -> None:
    iam("CreateUser", UserName="alice")
    key = iam("CreateAccessKey", UserName="alice")["AccessKey"]
    assert key["AccessKeyId"].startswith("AKIA") and len(key["SecretAccessKey"]) == 40 and key["Status"] == "Active"
    iam("CreateAccessKey", UserName="alice")
    with pytest.raises(errors.LimitExceeded, match="^Cannot exceed quota for AccessKeysPerUser: 2$"):
        iam("CreateAccessKey", UserName="alice")
    listed = iam("ListAccessKeys", UserName="alice")["AccessKeyMetadata"]
    assert len(listed) == 2 and all(k["UserName"] == "alice" for k in listed)
    iam("UpdateAccessKey", UserName="alice", AccessKeyId=key["AccessKeyId"], Status="Inactive")
    statuses = {k["AccessKeyId"]: k["Status"] for k in iam("ListAccessKeys", UserName="alice")["AccessKeyMetadata"]}
    assert statuses[key["AccessKeyId"]] == "Inactive"
    last = iam("GetAccessKeyLastUsed", AccessKeyId=key["AccessKeyId"])
    assert last["UserName"] == "alice" and last["AccessKeyLastUsed"] == {"ServiceName": "N/A", "Region": "N/A"}
    iam("DeleteAccessKey", UserName="alice", AccessKeyId=key["AccessKeyId"])
    with pytest.raises(errors.NoSuchEntity, match=f"^The Access Key with id {key['AccessKeyId']} cannot be found.$"):
        iam("DeleteAccessKey", UserName="alice", AccessKeyId=key["AccessKeyId"])
    # A key IAM cannot find: UpdateAccessKey answers NoSuchEntity, GetAccessKeyLastUsed an
    # AccessDenied naming the key, even to the root user (recorded from AWS: LocalStack's
    # tests/aws/services/iam/test_iam_users.snapshot.json, test_access_key_errors, 2026).
    with pytest.raises(errors.NoSuchEntity, match="^The Access Key with id AKIAIOSFODNN7EXAMPLE cannot be found.$"):
        iam("UpdateAccessKey", UserName="alice", AccessKeyId="AKIAIOSFODNN7EXAMPLE", Status="Inactive")
    with pytest.raises(errors.AccessDenied) as denied:
        iam("GetAccessKeyLastUsed", AccessKeyId=key["AccessKeyId"])
    assert denied.value.message == (
        f"User: arn:aws:iam::{iam.account}:root is not authorized to perform iam:GetAccessKeyLastUsed "
        f"on resource: access key {key['AccessKeyId']}"
    )
    assert denied.value.status == 403


def test_access_keys_of_the_caller(iam: Iam) -> None:
    iam("CreateUser", UserName="bob")
    iam.as_user("bob")
    key = iam("CreateAccessKey")["AccessKey"]
    assert key["UserName"] == "bob"
    assert [k["AccessKeyId"] for k in iam("ListAccessKeys")["AccessKeyMetadata"]] == [key["AccessKeyId"]]


def test_login_profile_and_change_password(iam: Iam) -> None:
    iam("CreateUser", UserName="carol")
    with pytest.raises(errors.NoSuchEntity, match="^Login Profile for User carol cannot be found.$"):
        iam("GetLoginProfile", UserName="carol")
    with pytest.raises(errors.PasswordPolicyViolation):
        iam("CreateLoginProfile", UserName="carol", Password="short")
    profile = iam("CreateLoginProfile", UserName="carol", Password="Correct-Horse-1", PasswordResetRequired=True)
    assert profile["LoginProfile"]["PasswordResetRequired"] is True
    with pytest.raises(errors.EntityAlreadyExists):
        iam("CreateLoginProfile", UserName="carol", Password="Correct-Horse-1")
    with pytest.raises(errors.DeleteConflict, match="login profile"):
        iam("DeleteUser", UserName="carol")
    # "This command can be called by IAM users only. If this command is called using AWS
    # account (root) credentials, the command returns an InvalidUserType error" (the AWS
    # CLI's change-password example).
    with pytest.raises(errors.InvalidUserType):
        iam("ChangePassword", OldPassword="Correct-Horse-1", NewPassword="Another-Horse-2")
    iam.as_user("carol")
    with pytest.raises(errors.InvalidInput):
        iam("ChangePassword", OldPassword="wrong-Password-1", NewPassword="Another-Horse-2")
    iam("ChangePassword", OldPassword="Correct-Horse-1", NewPassword="Another-Horse-2")
    assert iam("GetLoginProfile", UserName="carol")["LoginProfile"]["PasswordResetRequired"] is False
    iam("UpdateLoginProfile", UserName="carol", PasswordResetRequired=True)
    assert iam("GetLoginProfile", UserName="carol")["LoginProfile"]["PasswordResetRequired"] is True
    iam("DeleteLoginProfile", UserName="carol")
    with pytest.raises(errors.NoSuchEntity):
        iam("DeleteLoginProfile", UserName="carol")


def test_virtual_mfa_device(iam: Iam) -> None:
    iam("CreateUser", UserName="dave")
    device = iam("CreateVirtualMFADevice", VirtualMFADeviceName="dave-phone")["VirtualMFADevice"]
    serial = device["SerialNumber"]
    assert serial == f"arn:aws:iam::{ACCOUNT}:mfa/dave-phone"
    seed = device["Base32StringSeed"].decode()
    assert len(seed) == 64
    with pytest.raises(errors.EntityAlreadyExists):
        iam("CreateVirtualMFADevice", VirtualMFADeviceName="dave-phone")
    step = int(iam.now.timestamp()) // 30
    with pytest.raises(errors.InvalidAuthenticationCode, match="^Authentication code for device is not valid.$"):
        iam(
            "EnableMFADevice",
            UserName="dave",
            SerialNumber=serial,
            AuthenticationCode1=_reference(seed, step),
            AuthenticationCode2=_reference(seed, step + 2),
        )
    iam(
        "EnableMFADevice",
        UserName="dave",
        SerialNumber=serial,
        AuthenticationCode1=_reference(seed, step - 1),
        AuthenticationCode2=_reference(seed, step),
    )
    listed = iam("ListMFADevices", UserName="dave")["MFADevices"]
    assert [d["SerialNumber"] for d in listed] == [serial]
    assigned = iam("ListVirtualMFADevices", AssignmentStatus="Assigned")["VirtualMFADevices"]
    assert assigned[0]["User"]["UserName"] == "dave"
    assert iam("ListVirtualMFADevices", AssignmentStatus="Unassigned")["VirtualMFADevices"] == []
    with pytest.raises(errors.DeleteConflict):
        iam("DeleteVirtualMFADevice", SerialNumber=serial)
    with pytest.raises(errors.DeleteConflict, match="MFA device"):
        iam("DeleteUser", UserName="dave")
    iam("DeactivateMFADevice", UserName="dave", SerialNumber=serial)
    iam.now += timedelta(seconds=60)
    iam(
        "EnableMFADevice",
        UserName="dave",
        SerialNumber=serial,
        AuthenticationCode1=_reference(seed, step + 1),
        AuthenticationCode2=_reference(seed, step + 2),
    )
    iam("DeactivateMFADevice", UserName="dave", SerialNumber=serial)
    iam("DeleteVirtualMFADevice", SerialNumber=serial)
    assert iam("ListVirtualMFADevices")["VirtualMFADevices"] == []
