"""Tags of virtual MFA devices: TagMFADevice, UntagMFADevice, ListMFADeviceTags (IAM API
reference)."""

from __future__ import annotations

import pytest
from iam_harness import Iam

from iamsandbox.errors import NoSuchEntity


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
