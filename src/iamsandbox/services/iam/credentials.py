"""Access keys, login profiles and ChangePassword (IAM API reference: CreateAccessKey,
ListAccessKeys, UpdateAccessKey, DeleteAccessKey, GetAccessKeyLastUsed, CreateLoginProfile,
GetLoginProfile, UpdateLoginProfile, DeleteLoginProfile, ChangePassword).

Without UserName the key operations act on the caller: an IAM user, or the root user
("If you do not specify a user name, IAM determines the user name implicitly based on the
AWS access key ID signing the request"). Two access keys per user ("IAM and AWS STS
quotas").

New passwords (CreateLoginProfile, UpdateLoginProfile, ChangePassword) are checked against
the account's password policy (UpdateAccountPasswordPolicy), or, when it has none, AWS's
default one ("Set an account password policy for IAM users", IAM User Guide: at least 8
characters, three of the four character types, not the account's name or email address).
PasswordReusePrevention refuses a password among the user's last N (the store keeps the
hashes of 24). "If a password expires, the IAM user can't sign in to the AWS Management
Console but can continue to use their access keys": expiry (``password_expired``) is the
console sign-in's business; the API's ChangePassword works on an expired password even
with HardExpiry ("IAM users with iam:ChangePassword permission and active access keys can
reset their own expired console password using the AWS CLI or API", PasswordPolicy in the
IAM API reference).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from ...errors import (
    AccessDenied,
    EntityAlreadyExists,
    InvalidInput,
    InvalidUserType,
    LimitExceeded,
    NoSuchEntity,
    PasswordPolicyViolation,
    ValidationError,
)
from ...policy.request import PrincipalKind
from ...store.crypto import hash_password, verify_password
from ...store.interface import AccessKey, Account, LoginProfile, PasswordPolicy, User
from ..context import CallContext
from . import common

KEYS_PER_USER = 2


def _key(ctx: CallContext, key_id: str, owner: User | None) -> AccessKey:
    key = ctx.tx.get_access_key(key_id)
    if key is None or key.account_id != ctx.account_id or key.user_id != (owner.id if owner else None):
        raise NoSuchEntity(f"The Access Key with id {key_id} cannot be found.")
    return key


def create_access_key(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    owner = common.credential_owner(ctx, params)
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
    owner = common.credential_owner(ctx, params)
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
    key = _key(ctx, params["AccessKeyId"], common.credential_owner(ctx, params))
    ctx.tx.set_access_key_status(key.access_key_id, params["Status"])
    return {}


def delete_access_key(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    key = _key(ctx, params["AccessKeyId"], common.credential_owner(ctx, params))
    ctx.tx.delete_access_key(key.access_key_id)
    return {}


def get_access_key_last_used(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    key_id = params["AccessKeyId"]
    key = ctx.tx.get_access_key(key_id)
    if key is None or key.account_id != ctx.account_id:
        # A key IAM cannot find is refused as unauthorized, even for the root user, naming the
        # key itself as the resource: recorded from AWS (LocalStack's
        # tests/aws/services/iam/test_iam_users.snapshot.json, test_access_key_errors,
        # February 2026); UpdateAccessKey and DeleteAccessKey answer NoSuchEntity instead.
        raise AccessDenied(
            f"User: {ctx.caller.arn} is not authorized to perform iam:GetAccessKeyLastUsed "
            f"on resource: access key {key_id}"
        )
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


# RequireSymbols: "at least one of the following non-alphanumeric characters: ! @ # $ % ^ &
# * ( ) _ + - = [ ] { } | '" (UpdateAccountPasswordPolicy, IAM API reference); the default
# policy's fourth character type is the same list ("Set an account password policy for IAM
# users").
SYMBOLS = frozenset("!@#$%^&*()_+-=[]{}|'")
DEFAULT_MINIMUM_LENGTH = 8
# IAM's message for a refused password, as AWS CloudFormation relays it ("UPDATE_FAILED -
# CFNUser(AWS::IAM::User) - Password does not conform to the account password policy.")
# and as Ansible's iam module matches it. That AWS says the same for a reused password is
# unconfirmed.
POLICY_VIOLATION = "Password does not conform to the account password policy."


def _kinds(password: str) -> tuple[bool, bool, bool, bool]:
    """Whether the password has an uppercase letter, a lowercase one (ISO basic Latin), a
    digit, a symbol of ``SYMBOLS``."""
    return (
        any("A" <= c <= "Z" for c in password),
        any("a" <= c <= "z" for c in password),
        any("0" <= c <= "9" for c in password),
        any(c in SYMBOLS for c in password),
    )


def check_password(password: str, policy: PasswordPolicy | None = None, account: Account | None = None) -> None:
    """Raise PasswordPolicyViolation unless ``password`` satisfies ``policy``, or, with
    None, AWS's default password policy ("Set an account password policy for IAM users",
    Default password policy: at least 8 characters; at least three of the four character
    types, uppercase, lowercase, numbers and the symbols of ``SYMBOLS``; not identical to
    the account's name or email address, checked when ``account`` is given). The maximum
    length, 128, is the model's."""
    upper, lower, digit, symbol = _kinds(password)
    if policy is None:
        same = account is not None and password in {account.name, account.email}
        if len(password) < DEFAULT_MINIMUM_LENGTH or upper + lower + digit + symbol < 3 or same:
            raise PasswordPolicyViolation(POLICY_VIOLATION)
        return
    if (
        len(password) < policy.minimum_password_length
        or (policy.require_uppercase_characters and not upper)
        or (policy.require_lowercase_characters and not lower)
        or (policy.require_numbers and not digit)
        or (policy.require_symbols and not symbol)
    ):
        raise PasswordPolicyViolation(POLICY_VIOLATION)


def _check_reuse(password: str, profile: LoginProfile | None, policy: PasswordPolicy | None) -> None:
    """PasswordReusePrevention: "the number of previous passwords that IAM users are
    prevented from reusing" (UpdateAccountPasswordPolicy): the current one and the N-1
    before it."""
    remembered = policy.password_reuse_prevention if policy is not None else None
    if not remembered or profile is None:
        return
    for stored in (profile.password_hash, *profile.previous_hashes)[:remembered]:
        if verify_password(password, stored):
            raise PasswordPolicyViolation(POLICY_VIOLATION)


def _check_new_password(ctx: CallContext, password: str, profile: LoginProfile | None = None) -> None:
    """The account's policy (or the default one), then reuse of ``profile``'s passwords."""
    policy = ctx.tx.get_password_policy(ctx.account_id)
    account = ctx.tx.get_account(ctx.account_id) if policy is None else None
    check_password(password, policy, account)
    _check_reuse(password, profile, policy)


def password_expired(profile: LoginProfile, policy: PasswordPolicy | None, now: datetime) -> bool:
    """Whether the password is older than MaxPasswordAge days. "When you set a password
    expiration period, the expiration period is enforced immediately": the age counts from
    when the password was set, whenever the policy came ("Set an account password policy
    for IAM users")."""
    if policy is None or not policy.max_password_age:
        return False
    changed = profile.password_changed or profile.created
    return changed is not None and now >= changed + timedelta(days=policy.max_password_age)


def _profile_missing(name: str) -> NoSuchEntity:
    return NoSuchEntity(f"Login Profile for User {name} cannot be found.")


def _profile_owner(ctx: CallContext, params: dict[str, Any]) -> User:
    """The user named, or the calling IAM user: the login-profile operations' UserName is
    optional ("IAM determines the user name implicitly based on the AWS access key ID used
    to sign the request", GetLoginProfile in the IAM API reference)."""
    owner = common.credential_owner(ctx, params)
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
    _check_new_password(ctx, password)
    reset = bool(params.get("PasswordResetRequired"))
    ctx.tx.set_login_profile(user.id, hash_password(password), reset, ctx.now)
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
        _check_new_password(ctx, params["Password"], profile)
        password_hash = hash_password(params["Password"])
    reset = profile.reset_required
    if params.get("PasswordResetRequired") is not None:
        reset = bool(params["PasswordResetRequired"])
    ctx.tx.set_login_profile(user.id, password_hash, reset, ctx.now)
    return {}


def delete_login_profile(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    user = _profile_owner(ctx, params)
    if not ctx.tx.delete_login_profile(user.id):
        raise _profile_missing(user.name)
    return {}


def change_password(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    """The calling IAM user changes its own password; the reset flag clears."""
    if ctx.caller.kind is not PrincipalKind.USER or not ctx.caller.name:
        # "This command can be called by IAM users only. If this command is called using AWS
        # account (root) credentials, the command returns an InvalidUserType error" (the AWS
        # CLI's change-password example); a role session is no IAM user either.
        raise InvalidUserType("Only IAM users can change their own password.")  # unconfirmed wording
    user = common.user(ctx, ctx.caller.name)
    profile = ctx.tx.get_login_profile(user.id)
    if profile is None:
        raise _profile_missing(user.name)
    if not verify_password(params["OldPassword"], profile.password_hash):
        raise InvalidInput("The old password was incorrect.")  # unconfirmed wording
    _check_new_password(ctx, params["NewPassword"], profile)
    ctx.tx.set_login_profile(user.id, hash_password(params["NewPassword"]), False, ctx.now)
    return {}
