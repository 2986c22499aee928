"""Virtual MFA devices: CreateVirtualMFADevice, EnableMFADevice, DeactivateMFADevice,
DeleteVirtualMFADevice, ListMFADevices, ListVirtualMFADevices, GetMFADevice,
ResyncMFADevice (IAM API reference).

GetMFADevice answers UserName, SerialNumber and EnableDate of an enabled device;
Certifications (FIPS and FIDO levels "obtained from FIDO Alliance Metadata Service") only
concern FIDO security keys, which this sandbox does not have, so it is never present. The
reference says "For this API, we only accept FIDO security key ARNs"; what AWS answers for
a virtual device's serial is unconfirmed: here it is answered like a FIDO key's.
ResyncMFADevice takes two consecutive codes, as EnableMFADevice ("Synchronizes the specified
MFA device with its IAM resource object on the Amazon Web Services servers").

Codes are TOTP (RFC 6238: HMAC-SHA1, 30-second steps, 6 digits; the algorithm of RFC 4226
section 5.3). EnableMFADevice takes two consecutive codes; a step, once accepted, is
never accepted again (``accept_mfa_counter``).

CreateVirtualMFADevice returns the seed twice, as AWS does (VirtualMFADevice in the IAM API
reference, https://docs.aws.amazon.com/IAM/latest/APIReference/API_VirtualMFADevice.html):
Base32StringSeed, and QRCodePNG, a PNG of a QR code (drawn with ``segno``) that encodes
``otpauth://totp/$virtualMFADeviceName@$AccountName?secret=$Base32String``, where AccountName
is the account alias if the account has one, else its ID (a decoded AWS code reads
``otpauth://totp/root-account-mfa-device@120151960619?secret=...``). Authenticator apps list
AWS's codes as "Amazon Web Services (NAME@ALIAS)", so the label carries that issuer prefix
and the URI the ``issuer`` parameter (Google Authenticator's "Key Uri Format").
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import io
import secrets
import struct
from typing import Any
from urllib.parse import quote

from ...errors import (
    DeleteConflict,
    EntityAlreadyExists,
    InvalidAuthenticationCode,
    InvalidInput,
    LimitExceeded,
    NoSuchEntity,
)
from ...policy.request import PrincipalKind
from ...store.crypto import Secret
from ...store.interface import MfaDevice, User
from ..context import CallContext
from . import common

STEP = 30
# How far back and ahead of the server's clock a code's time step may be (clock drift).
WINDOW = 10
ISSUER = "Amazon Web Services"


def totp(seed_base32: str, counter: int) -> str:
    key = base64.b32decode(seed_base32)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


def otpauth_uri(device_name: str, account_name: str, seed_base32: str) -> str:
    """The key URI a virtual MFA device's QR code encodes."""
    label = quote(f"{ISSUER}:{device_name}@{account_name}", safe=":@")
    return f"otpauth://totp/{label}?secret={seed_base32}&issuer={quote(ISSUER)}"


# The longest SerialNumber IAM's operations take (serialNumberType: length 9 to 256).
MAX_SERIAL_NUMBER = 256


def qr_code_png(uri: str) -> bytes:
    """A PNG of the QR code of ``uri``: 4 pixels a module, the standard 4-module quiet zone."""
    import segno  # imported here: only CreateVirtualMFADevice draws

    out = io.BytesIO()
    segno.make_qr(uri, error="m").save(out, kind="png", scale=4, border=4)
    return out.getvalue()


def _device(ctx: CallContext, serial: str) -> MfaDevice:
    device = ctx.tx.get_mfa_device(serial)
    if device is None or device.account_id != ctx.account_id:
        # IAM's words, recorded from AWS for DeleteVirtualMFADevice and DeactivateMFADevice
        # (LocalStack's tests/aws/services/iam/test_iam_mfa.snapshot.json, February 2026).
        raise NoSuchEntity(f"MFA Device with serial number {serial} does not exist.")
    return device


def create_virtual_mfa_device(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    name = params["VirtualMFADeviceName"]
    path = params.get("Path") or "/"
    if any(device.name.lower() == name.lower() for device in ctx.tx.list_mfa_devices(ctx.account_id)):
        raise EntityAlreadyExists("MFA device already exists.")  # recorded as above
    serial = f"arn:aws:iam::{ctx.account_id}:mfa{path}{name}"
    if len(serial) > MAX_SERIAL_NUMBER:
        # A device no operation could name: every SerialNumber member is 9 to 256 characters
        # (serialNumberType, IAM's model). AWS's answer to such a name is unconfirmed.
        raise InvalidInput(f"The serial number of the MFA device would exceed {MAX_SERIAL_NUMBER} characters.")
    seed = base64.b32encode(secrets.token_bytes(40)).decode("ascii")  # 64 characters, as AWS's
    device = ctx.tx.create_mfa_device(ctx.account_id, name, Secret(seed), path)
    common.set_create_tags(
        ctx, device.serial_number, params.get("Tags"), action="iam:TagMFADevice", arn=device.serial_number
    )
    account = ctx.tx.get_account(ctx.account_id)
    account_name = account.alias if account is not None and account.alias else ctx.account_id
    out: dict[str, Any] = {
        "SerialNumber": device.serial_number,
        "Base32StringSeed": seed.encode("ascii"),
        "QRCodePNG": qr_code_png(otpauth_uri(name, account_name, seed)),
    }
    tags = common.tags_of(ctx.tx, device.serial_number)
    if tags:
        out["Tags"] = tags
    return {"VirtualMFADevice": out}


# "You can enable up to eight MFA devices per AWS account root user or IAM user" ("General
# steps for enabling MFA devices", IAM User Guide).
DEVICES_PER_USER = 8


def enable_mfa_device(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    user = common.user(ctx, params["UserName"])
    device = _device(ctx, params["SerialNumber"])
    if device.enabled is not None:
        raise EntityAlreadyExists("MFA Device is already in use.")  # recorded as above
    enabled = [
        found for found in ctx.tx.list_mfa_devices(user.account_id) if found.enabled and found.user_id == user.id
    ]
    if len(enabled) >= DEVICES_PER_USER:
        # IAM's form for its other per-user quotas (AccessKeysPerUser); the name unconfirmed.
        raise LimitExceeded(f"Cannot exceed quota for MFADevicesPerUser: {DEVICES_PER_USER}")
    counter = _match_consecutive(ctx, device, params["AuthenticationCode1"], params["AuthenticationCode2"])
    if counter is not None:
        ctx.tx.accept_mfa_counter(device.serial_number, counter + 1)
        ctx.tx.enable_mfa_device(device.serial_number, user.id, ctx.now)
        return {}
    raise InvalidAuthenticationCode("Authentication code for device is not valid.")


def _match_consecutive(ctx: CallContext, device: MfaDevice, code1: str, code2: str) -> int | None:
    """The time step of ``code1`` when ``code2`` is the next step's code, within the drift
    window, and newer than the last accepted step (no replays); else None."""
    now_step = int(ctx.now.timestamp()) // STEP
    seed = device.seed.reveal()
    for counter in range(now_step - WINDOW, now_step + WINDOW):
        if hmac.compare_digest(totp(seed, counter), code1) and hmac.compare_digest(totp(seed, counter + 1), code2):
            if device.last_counter is not None and counter <= device.last_counter:
                return None
            return counter
    return None


def _enabled_device(ctx: CallContext, serial: str, params: dict[str, Any]) -> tuple[MfaDevice, str]:
    """An enabled device of the operation's user, and that user's name ("" for the root
    user's). Without UserName the user is the caller: "If no user name is included, it
    defaults to the principal making the request" (DeactivateMFADevice); the root user
    acts on its own devices, and a role session must name a user. Another user's device is
    NoSuchEntity, so that no caller acts on a device its authorization was not about."""
    device = _device(ctx, serial)
    user = common.credential_owner(ctx, params)
    if device.enabled is None or device.user_id != (user.id if user is not None else None):
        raise NoSuchEntity(f"MFA Device with serial number {serial} does not exist.")
    return device, user.name if user is not None else ""


def get_mfa_device(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    if "UserName" not in params and ctx.caller.kind is PrincipalKind.ROOT:
        # A read: the root user, who may read every user's devices, is told whose it is.
        device = _device(ctx, params["SerialNumber"])
        if device.enabled is None:
            raise NoSuchEntity(f"MFA Device with serial number {device.serial_number} does not exist.")
        owner = ctx.tx.get_identity(device.user_id) if device.user_id is not None else None
        user_name = owner.name if isinstance(owner, User) else ""
    else:
        device, user_name = _enabled_device(ctx, params["SerialNumber"], params)
    out: dict[str, Any] = {"SerialNumber": device.serial_number, "EnableDate": device.enabled}
    if user_name:
        out["UserName"] = user_name
    return out


def resync_mfa_device(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    user = common.user(ctx, params["UserName"])
    device = _device(ctx, params["SerialNumber"])
    if device.enabled is None or device.user_id != user.id:
        serial = params["SerialNumber"]
        raise NoSuchEntity(f"MFA Device with serial number {serial} does not exist.")
    counter = _match_consecutive(ctx, device, params["AuthenticationCode1"], params["AuthenticationCode2"])
    if counter is None:
        raise InvalidAuthenticationCode("Authentication code for device is not valid.")
    ctx.tx.accept_mfa_counter(device.serial_number, counter + 1)
    return {}


def deactivate_mfa_device(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    device, _user_name = _enabled_device(ctx, params["SerialNumber"], params)
    ctx.tx.disable_mfa_device(device.serial_number)
    return {}


def delete_virtual_mfa_device(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    device = _device(ctx, params["SerialNumber"])
    if device.enabled is not None:
        # AWS's words: "DeleteConflict: MFA VirtualDevice in use. Must deactivate first"
        # (hashicorp/terraform-provider-aws#32462).
        raise DeleteConflict("MFA VirtualDevice in use. Must deactivate first")
    ctx.tx.delete_mfa_device(device.serial_number)
    return {}


def list_mfa_devices(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    user = common.credential_owner(ctx, params)  # without UserName: the caller's own devices
    user_id = user.id if user is not None else None
    devices = [d for d in ctx.tx.list_mfa_devices(ctx.account_id) if d.enabled is not None and d.user_id == user_id]
    out = common.paginate(devices, params, "MFADevices")
    out["MFADevices"] = [
        {"UserName": user.name if user else "", "SerialNumber": d.serial_number, "EnableDate": d.enabled}
        for d in out["MFADevices"]
    ]
    return out


def list_virtual_mfa_devices(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    status = params.get("AssignmentStatus") or "Any"
    devices = ctx.tx.list_mfa_devices(ctx.account_id)
    if status == "Assigned":
        devices = [d for d in devices if d.enabled is not None]
    elif status == "Unassigned":
        devices = [d for d in devices if d.enabled is None]
    out = common.paginate(devices, params, "VirtualMFADevices")
    items = []
    for device in out["VirtualMFADevices"]:
        item: dict[str, Any] = {"SerialNumber": device.serial_number}
        if device.enabled is not None:
            item["EnableDate"] = device.enabled
            owner = ctx.tx.get_identity(device.user_id) if device.user_id else None
            if isinstance(owner, User):
                item["User"] = common.user_out(ctx.tx, owner, tags=False)
        items.append(item)
    out["VirtualMFADevices"] = items
    return out


# Tags of virtual MFA devices: TagMFADevice, UntagMFADevice, ListMFADeviceTags (IAM API
# reference), by serial number (the device's ARN), as the tags of roles and users.


tag_mfa_device, untag_mfa_device, list_mfa_device_tags = common.tag_operations(
    lambda ctx, params: _device(ctx, params["SerialNumber"]).serial_number
)
