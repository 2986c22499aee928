"""Tags of virtual MFA devices: TagMFADevice, UntagMFADevice, ListMFADeviceTags;
GetMFADevice and ResyncMFADevice (IAM API reference)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import struct

import pytest
from iam_harness import Iam

from iamsandbox.authz.context import Caller
from iamsandbox.errors import (
    DeleteConflict,
    EntityAlreadyExists,
    InvalidAuthenticationCode,
    LimitExceeded,
    NoSuchEntity,
    ValidationError,
)
from iamsandbox.policy.request import PrincipalKind


def test_tag_untag_and_list_mfa_device_tags(iam: Iam) -> None:
    serial = iam("CreateVirtualMFADevice", VirtualMFADeviceName="alice")["VirtualMFADevice"]["SerialNumber"]
    assert iam("ListMFADeviceTags", SerialNumber=serial)["Tags"] == []
    iam("TagMFADevice", SerialNumber=serial, Tags=[{"Key": "team", "Value": "red"}, {"Key": "env", "Value": "dev"}])
    # TagMFADevice: "If any one of the tags is already attached, the new value overrides".
    iam("TagMFADevice", SerialNumber=serial, Tags=[{"Key": "team", "Value": "blue"}])
    tags = iam("ListMFADeviceTags", SerialNumber=serial)["Tags"]
    assert sorted((t["Key"], t["Value"]) for t in tags) == [("env", "dev"), ("team", "blue")]
    iam("UntagMFADevice", SerialNumber=serial, TagKeys=["team"])
    assert iam("ListMFADeviceTags", SerialNumber=serial)["Tags"] == [{"Key": "env", "Value": "dev"}]
    with pytest.raises(NoSuchEntity):
        iam("ListMFADeviceTags", SerialNumber=serial.replace("alice", "nobody"))


def _totp(seed_base32: str, step: int) -> str:
    """RFC 6238 (HMAC-SHA1, 30-second steps, 6 digits), written from the RFC for the tests."""
    digest = hmac.new(base64.b32decode(seed_base32), struct.pack(">Q", step), hashlib.sha1).digest()
    offset = digest[19] & 0x0F
    return f"{(struct.unpack('>I', digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 10**6:06d}"


def _enabled_device(iam: Iam, user: str = "alice") -> tuple[str, str, int]:
    iam("CreateUser", UserName=user)
    device = iam("CreateVirtualMFADevice", VirtualMFADeviceName=user)["VirtualMFADevice"]
    serial, seed = device["SerialNumber"], device["Base32StringSeed"].decode()
    step = int(iam.now.timestamp()) // 30
    iam(
        "EnableMFADevice",
        UserName=user,
        SerialNumber=serial,
        AuthenticationCode1=_totp(seed, step - 2),
        AuthenticationCode2=_totp(seed, step - 1),
    )
    return serial, seed, step


def test_get_mfa_device(iam: Iam) -> None:
    # GetMFADevice (IAM API reference): UserName, SerialNumber, EnableDate ("The date that a
    # specified user's MFA device was first enabled"); Certifications only for FIDO keys.
    serial, _seed, _step = _enabled_device(iam)
    out = iam("GetMFADevice", SerialNumber=serial, UserName="alice")
    assert out == {"UserName": "alice", "SerialNumber": serial, "EnableDate": iam.now}
    # UserName is optional ("Required: No"): the device's user.
    assert iam("GetMFADevice", SerialNumber=serial)["UserName"] == "alice"
    iam.as_user("alice")
    assert iam("GetMFADevice", SerialNumber=serial)["SerialNumber"] == serial


def test_get_mfa_device_not_found(iam: Iam) -> None:
    serial, _seed, _step = _enabled_device(iam)
    iam("CreateUser", UserName="bob")
    for params in (
        {"SerialNumber": serial, "UserName": "bob"},  # not bob's
        {"SerialNumber": serial.replace("alice", "nobody")},
    ):
        with pytest.raises(NoSuchEntity):
            iam("GetMFADevice", **params)
    unassigned = iam("CreateVirtualMFADevice", VirtualMFADeviceName="spare")["VirtualMFADevice"]["SerialNumber"]
    with pytest.raises(NoSuchEntity):
        iam("GetMFADevice", SerialNumber=unassigned)


def test_resync_mfa_device(iam: Iam) -> None:
    # ResyncMFADevice: "Synchronizes the specified MFA device with its IAM resource object"
    # with "An authentication code emitted by the device" and "A subsequent authentication
    # code" (AuthenticationCode1 and 2, IAM API reference).
    serial, seed, step = _enabled_device(iam)
    params = {"UserName": "alice", "SerialNumber": serial}
    with pytest.raises(InvalidAuthenticationCode):  # not consecutive
        iam(
            "ResyncMFADevice",
            **params,
            AuthenticationCode1=_totp(seed, step),
            AuthenticationCode2=_totp(seed, step + 2),
        )
    with pytest.raises(InvalidAuthenticationCode):  # codes already used to enable it
        iam(
            "ResyncMFADevice",
            **params,
            AuthenticationCode1=_totp(seed, step - 2),
            AuthenticationCode2=_totp(seed, step - 1),
        )
    iam("ResyncMFADevice", **params, AuthenticationCode1=_totp(seed, step), AuthenticationCode2=_totp(seed, step + 1))
    with pytest.raises(InvalidAuthenticationCode):  # a step once accepted is not accepted again
        iam(
            "ResyncMFADevice",
            **params,
            AuthenticationCode1=_totp(seed, step),
            AuthenticationCode2=_totp(seed, step + 1),
        )
    with pytest.raises(InvalidAuthenticationCode) as wrong:
        iam("ResyncMFADevice", **params, AuthenticationCode1="000000", AuthenticationCode2="000001")
    assert wrong.value.message == "Authentication code for device is not valid."
    iam("CreateUser", UserName="bob")
    with pytest.raises(NoSuchEntity):
        iam("ResyncMFADevice", UserName="bob", SerialNumber=serial, AuthenticationCode1="1", AuthenticationCode2="2")


def test_at_most_eight_mfa_devices_per_user(iam: Iam) -> None:
    # "You can enable up to eight MFA devices per AWS account root user or IAM user"
    # ("General steps for enabling MFA devices", IAM User Guide); EnableMFADevice lists
    # LimitExceeded (409) among its errors.
    iam("CreateUser", UserName="many")
    step = int(iam.now.timestamp()) // 30

    def enable(name: str) -> None:
        device = iam("CreateVirtualMFADevice", VirtualMFADeviceName=name)["VirtualMFADevice"]
        seed = device["Base32StringSeed"].decode()
        iam(
            "EnableMFADevice",
            UserName="many",
            SerialNumber=device["SerialNumber"],
            AuthenticationCode1=_totp(seed, step - 2),
            AuthenticationCode2=_totp(seed, step - 1),
        )

    for number in range(8):
        enable(f"many-{number}")
    with pytest.raises(LimitExceeded) as raised:
        enable("many-8")
    assert raised.value.status == 409
    assert len(iam("ListMFADevices", UserName="many")["MFADevices"]) == 8
    _enabled_device(iam, "other")  # another user's count is its own


def test_deactivate_without_user_name_acts_on_the_callers_own_devices(iam: Iam) -> None:
    # DeactivateMFADevice, UserName: "If no user name is included, it defaults to the principal
    # making the request. When you make this request with root user credentials, you must use
    # an AssumeRoot session to omit the user name." So bob, or the root user, naming alice's
    # device without her name finds no such device of theirs, and the device stays enabled
    # (bob's authorization was about his own user, not alice).
    serial, _seed, _step = _enabled_device(iam, "alice")
    iam("CreateUser", UserName="bob")
    for caller in ("root", "bob"):
        if caller == "bob":
            iam.as_user("bob")
        with pytest.raises(NoSuchEntity):
            iam("DeactivateMFADevice", SerialNumber=serial)
    assert [d["SerialNumber"] for d in iam("ListMFADevices", UserName="alice")["MFADevices"]] == [serial]
    iam.as_user("alice")
    iam("DeactivateMFADevice", SerialNumber=serial)  # her own
    assert iam("ListMFADevices")["MFADevices"] == []


def test_a_role_session_must_name_the_user_of_mfa_devices(iam: Iam) -> None:
    # ListMFADevices: "If you do not specify a user name, IAM determines the user name
    # implicitly based on the Amazon Web Services access key ID signing the request": a role
    # session has no user name, as with ListAccessKeys (common.credential_owner).
    serial, _seed, _step = _enabled_device(iam, "alice")
    iam.caller = Caller(f"arn:aws:sts::{iam.account}:assumed-role/ops/s", PrincipalKind.ROLE_SESSION, iam.account)
    for operation, params in (("ListMFADevices", {}), ("DeactivateMFADevice", {"SerialNumber": serial})):
        with pytest.raises(ValidationError, match="Must specify userName when calling with non-User credentials"):
            iam(operation, **params)
    assert iam("ListMFADevices", UserName="alice")["MFADevices"][0]["SerialNumber"] == serial


def test_virtual_mfa_errors_in_aws_words(iam: Iam) -> None:
    # As recorded from AWS (LocalStack's tests/aws/services/iam/test_iam_mfa.snapshot.json,
    # February 2026: test_virtual_mfa_device_errors, test_enable_mfa_device_errors,
    # test_enable_mfa_device_already_attached, test_list_virtual_mfa_devices), and for a
    # device still assigned, hashicorp/terraform-provider-aws#32462 ("DeleteConflict: MFA
    # VirtualDevice in use. Must deactivate first").
    serial, _seed, _step = _enabled_device(iam)
    with pytest.raises(EntityAlreadyExists, match="^MFA device already exists.$"):
        iam("CreateVirtualMFADevice", VirtualMFADeviceName="alice")
    with pytest.raises(EntityAlreadyExists, match="^MFA Device is already in use.$"):
        iam("EnableMFADevice", UserName="alice", SerialNumber=serial, AuthenticationCode1="1", AuthenticationCode2="2")
    with pytest.raises(DeleteConflict, match="^MFA VirtualDevice in use. Must deactivate first$"):
        iam("DeleteVirtualMFADevice", SerialNumber=serial)
    missing = f"arn:aws:iam::{iam.account}:mfa/nonexistent-device"
    with pytest.raises(NoSuchEntity, match=f"^MFA Device with serial number {missing} does not exist.$"):
        iam("DeleteVirtualMFADevice", SerialNumber=missing)
    with pytest.raises(NoSuchEntity, match=f"^MFA Device with serial number {missing} does not exist.$"):
        iam("DeactivateMFADevice", UserName="alice", SerialNumber=missing)
    with pytest.raises(NoSuchEntity, match="^The user with name nonexistent-user cannot be found.$"):
        iam("DeactivateMFADevice", UserName="nonexistent-user", SerialNumber=serial)
    with pytest.raises(ValidationError, match="^Invalid Marker.$") as raised:
        iam("ListVirtualMFADevices", Marker="invalid-marker-value")
    assert raised.value.status == 400
