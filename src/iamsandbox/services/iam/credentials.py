"""Access keys, login profiles and ChangePassword (IAM API reference: CreateAccessKey,
ListAccessKeys, UpdateAccessKey, DeleteAccessKey, GetAccessKeyLastUsed, CreateLoginProfile,
GetLoginProfile, UpdateLoginProfile, DeleteLoginProfile, ChangePassword).

Without UserName the key operations act on the caller: an IAM user, or the root user
("If you do not specify a user name, IAM determines the user name implicitly based on the
AWS access key ID signing the request"). Two access keys per user ("IAM and AWS STS
quotas"). Passwords are checked against AWS's default password policy (at least 8
characters, three of: upper case, lower case, digits, symbols); account password policies
are not implemented.
"""

from __future__ import annotations

import re
from typing import Any

from ...errors import (
    EntityAlreadyExists,
    InvalidInput,
    LimitExceeded,
    NoSuchEntity,
    PasswordPolicyViolation,
    ValidationError,
)
from ...policy.request import PrincipalKind
from ...store.crypto import hash_password, verify_password
from ...store.interface import AccessKey, User
from ..context import CallContext
from . import common

KEYS_PER_USER = 2


def _key_owner(ctx: CallContext, params: dict[str, Any]) -> User | None:
    """The user named, or the calling user, or None for the root user."""
    name = params.get("UserName")
    if name is not None:
        return common.user(ctx, name)
    if ctx.caller.kind is PrincipalKind.ROOT:
        return None
    if ctx.caller.kind is PrincipalKind.USER and ctx.caller.name:
        return common.user(ctx, ctx.caller.name)
    raise ValidationError("Must specify userName when calling with non-User credentials")


def _key(ctx: CallContext, key_id: str, owner: User | None) -> AccessKey:
    key = ctx.tx.get_access_key(key_id)
    if key is None or key.account_id != ctx.account_id or key.user_id != (owner.id if owner else None):
        raise NoSuchEntity(f"The Access Key with id {key_id} cannot be found.")
    return key


def create_access_key(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    owner = _key_owner(ctx, params)
    existing = ctx.tx.list_access_keys(ctx.account_id, owner.id if owner else None)
    if len(existing) >= KEYS_PER_USER:
        raise LimitExceeded(f"Cannot exceed quota for AccessKeysPerUser: {KEYS_PER_USER}")
    key = ctx.tx.create_access_key(ctx.account_id, owner.id if owner else None)
    out: dict[str, Any] = {
        "AccessKeyId": key.access_key_id,
        "Status": key.status,
        "SecretAccessKey": key.secret.reveal(),
        "CreateDate": key.created,
    }
    if owner is not None:
        out["UserName"] = owner.name
    return {"AccessKey": out}


def list_access_keys(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    owner = _key_owner(ctx, params)
    keys = ctx.tx.list_access_keys(ctx.account_id, owner.id if owner else None)
    out = common.paginate(keys, params, "AccessKeyMetadata")
    items = []
    for key in out["AccessKeyMetadata"]:
        item: dict[str, Any] = {"AccessKeyId": key.access_key_id, "Status": key.status, "CreateDate": key.created}
        if owner is not None:
            item["UserName"] = owner.name
        items.append(item)
    out["AccessKeyMetadata"] = items
    return out


def update_access_key(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    key = _key(ctx, params["AccessKeyId"], _key_owner(ctx, params))
    ctx.tx.set_access_key_status(key.access_key_id, params["Status"])
    return {}


def delete_access_key(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    key = _key(ctx, params["AccessKeyId"], _key_owner(ctx, params))
    ctx.tx.delete_access_key(key.access_key_id)
    return {}


def get_access_key_last_used(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    key_id = params["AccessKeyId"]
    key = ctx.tx.get_access_key(key_id)
    if key is None or key.account_id != ctx.account_id:
        raise NoSuchEntity(f"The Access Key with id {key_id} cannot be found.")
    # Never used: ServiceName and Region "N/A" (API reference, AccessKeyLastUsed).
    last: dict[str, Any] = {"ServiceName": key.last_used_service or "N/A", "Region": key.last_used_region or "N/A"}
    if key.last_used is not None:
        last["LastUsedDate"] = key.last_used
    out: dict[str, Any] = {"AccessKeyLastUsed": last}
    if key.user_id is not None:
        found = ctx.tx.get_identity(key.user_id)
        if found is not None:
            out["UserName"] = found.name
    return out


# --- passwords ---------------------------------------------------------------------------


def check_password(password: str) -> None:
    """AWS's default password policy ("Set an account password policy for IAM users": at
    least 8 characters and three of the four character types). Message unconfirmed."""
    kinds = sum(bool(re.search(pattern, password)) for pattern in (r"[A-Z]", r"[a-z]", r"[0-9]", r"[^A-Za-z0-9]"))
    if len(password) < 8 or kinds < 3:
        raise PasswordPolicyViolation("Password does not conform to the account password policy.")


def _profile_missing(name: str) -> NoSuchEntity:
    return NoSuchEntity(f"Login Profile for User {name} cannot be found.")


def _profile_owner(ctx: CallContext, params: dict[str, Any]) -> User:
    """The user named, or the calling IAM user: the login-profile operations' UserName is
    optional ("IAM determines the user name implicitly based on the AWS access key ID used
    to sign the request", GetLoginProfile in the IAM API reference)."""
    owner = _key_owner(ctx, params)
    if owner is None:  # the root user's password is not a login profile
        raise ValidationError("Must specify userName when calling with non-User credentials")  # unconfirmed
    return owner


def create_login_profile(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    user = _profile_owner(ctx, params)
    if ctx.tx.get_login_profile(user.id) is not None:
        raise EntityAlreadyExists(f"Login Profile for user {user.name} already exists.")
    password = params.get("Password")
    if password is None:  # optional in the model for AssumeRoot sessions only; unconfirmed wording
        raise ValidationError("Password is required to create a login profile for an IAM user.")
    check_password(password)
    reset = bool(params.get("PasswordResetRequired"))
    ctx.tx.set_login_profile(user.id, hash_password(password), reset)
    profile = ctx.tx.get_login_profile(user.id)
    assert profile is not None
    return {"LoginProfile": {"UserName": user.name, "CreateDate": profile.created, "PasswordResetRequired": reset}}


def get_login_profile(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    user = _profile_owner(ctx, params)
    profile = ctx.tx.get_login_profile(user.id)
    if profile is None:
        raise _profile_missing(user.name)
    return {
        "LoginProfile": {
            "UserName": user.name,
            "CreateDate": profile.created,
            "PasswordResetRequired": profile.reset_required,
        }
    }


def update_login_profile(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    user = _profile_owner(ctx, params)
    profile = ctx.tx.get_login_profile(user.id)
    if profile is None:
        raise _profile_missing(user.name)
    password_hash = profile.password_hash
    if params.get("Password") is not None:
        check_password(params["Password"])
        password_hash = hash_password(params["Password"])
    reset = profile.reset_required
    if params.get("PasswordResetRequired") is not None:
        reset = bool(params["PasswordResetRequired"])
    ctx.tx.set_login_profile(user.id, password_hash, reset)
    return {}


def delete_login_profile(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    user = _profile_owner(ctx, params)
    if not ctx.tx.delete_login_profile(user.id):
        raise _profile_missing(user.name)
    return {}


def change_password(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    """The calling IAM user changes its own password; the reset flag clears."""
    if ctx.caller.kind is not PrincipalKind.USER or not ctx.caller.name:
        raise InvalidInput("Only IAM users can change their own password.")  # unconfirmed wording
    user = common.user(ctx, ctx.caller.name)
    profile = ctx.tx.get_login_profile(user.id)
    if profile is None:
        raise _profile_missing(user.name)
    if not verify_password(params["OldPassword"], profile.password_hash):
        raise InvalidInput("The old password was incorrect.")  # unconfirmed wording
    check_password(params["NewPassword"])
    ctx.tx.set_login_profile(user.id, hash_password(params["NewPassword"]), False)
    return {}
