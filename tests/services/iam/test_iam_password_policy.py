"""The account password policy: UpdateAccountPasswordPolicy, GetAccountPasswordPolicy,
DeleteAccountPasswordPolicy, and what the policy enforces on CreateLoginProfile,
UpdateLoginProfile and ChangePassword.

AWS pages: "UpdateAccountPasswordPolicy", "GetAccountPasswordPolicy",
"DeleteAccountPasswordPolicy" and the "PasswordPolicy" data type (IAM API reference); "Set
an account password policy for IAM users" (IAM User Guide: the default policy, the custom
options); "Use DeleteAccountPasswordPolicy with a CLI" (IAM User Guide code examples).
PasswordPolicyViolation's message is IAM's as AWS CloudFormation relays it ("Password does
not conform to the account password policy.").
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import pytest
from iam_harness import ACCOUNT, Iam

from iamsandbox import errors
from iamsandbox.authz.context import Caller
from iamsandbox.policy.request import PrincipalKind
from iamsandbox.protocol.model import ServiceModels
from iamsandbox.protocol.query import QueryProtocol

VIOLATION = "Password does not conform to the account password policy."
IAM_PROTOCOL = QueryProtocol.for_service(ServiceModels(), "iam")


def _refused(iam: Iam, operation: str, **params: Any) -> None:
    with pytest.raises(errors.PasswordPolicyViolation) as raised:
        iam(operation, **params)
    assert (raised.value.code, raised.value.status, raised.value.message) == ("PasswordPolicyViolation", 400, VIOLATION)


def _user_with_password(iam: Iam, name: str, password: str) -> None:
    iam("CreateUser", UserName=name)
    iam("CreateLoginProfile", UserName=name, Password=password)


# --- the operations ------------------------------------------------------------------------


def test_omitted_members_take_their_defaults(iam: Iam) -> None:
    # UpdateAccountPasswordPolicy: "No parameters are required, but if you do not specify a
    # parameter, that parameter's value reverts to its default value": MinimumPasswordLength
    # 6, the Require* and AllowUsersToChangePassword false, MaxPasswordAge 0 (never expire),
    # PasswordReusePrevention 0, HardExpiry false. PasswordPolicy: ExpirePasswords "Returns
    # false if MaxPasswordAge is 0 or not present". A HardExpiry never set is left out of
    # the answer, as in the AWS CLI's get-account-password-policy example (and real answers
    # captured in public Terraform runs); one set false is answered false.
    iam("UpdateAccountPasswordPolicy")
    assert iam("GetAccountPasswordPolicy")["PasswordPolicy"] == {
        "MinimumPasswordLength": 6,
        "RequireSymbols": False,
        "RequireNumbers": False,
        "RequireUppercaseCharacters": False,
        "RequireLowercaseCharacters": False,
        "AllowUsersToChangePassword": False,
        "ExpirePasswords": False,
    }
    iam("UpdateAccountPasswordPolicy", HardExpiry=False)
    assert iam("GetAccountPasswordPolicy")["PasswordPolicy"]["HardExpiry"] is False


def test_every_member_is_kept_and_an_update_replaces_the_whole_policy(iam: Iam) -> None:
    iam(
        "UpdateAccountPasswordPolicy",
        MinimumPasswordLength=14,
        RequireSymbols=True,
        RequireNumbers=True,
        RequireUppercaseCharacters=True,
        RequireLowercaseCharacters=True,
        AllowUsersToChangePassword=True,
        MaxPasswordAge=90,
        PasswordReusePrevention=24,
        HardExpiry=True,
    )
    # ExpirePasswords: "Returns true if MaxPasswordAge contains a value greater than 0".
    assert iam("GetAccountPasswordPolicy")["PasswordPolicy"] == {
        "MinimumPasswordLength": 14,
        "RequireSymbols": True,
        "RequireNumbers": True,
        "RequireUppercaseCharacters": True,
        "RequireLowercaseCharacters": True,
        "AllowUsersToChangePassword": True,
        "ExpirePasswords": True,
        "MaxPasswordAge": 90,
        "PasswordReusePrevention": 24,
        "HardExpiry": True,
    }
    # "This operation does not support partial updates": what is left out reverts.
    iam("UpdateAccountPasswordPolicy", RequireNumbers=True)
    policy = iam("GetAccountPasswordPolicy")["PasswordPolicy"]
    assert policy["MinimumPasswordLength"] == 6 and policy["RequireNumbers"] is True
    assert policy["RequireSymbols"] is False and policy["AllowUsersToChangePassword"] is False
    assert policy["ExpirePasswords"] is False and "HardExpiry" not in policy
    assert "MaxPasswordAge" not in policy and "PasswordReusePrevention" not in policy


def test_the_policy_is_the_accounts_own(iam: Iam) -> None:
    iam("UpdateAccountPasswordPolicy", MinimumPasswordLength=20)
    iam.account = "222222222222"
    iam.caller = Caller("arn:aws:iam::222222222222:root", PrincipalKind.ROOT, "222222222222")
    with pytest.raises(errors.NoSuchEntity):
        iam("GetAccountPasswordPolicy")


def test_delete_removes_the_policy_and_the_default_applies_again(iam: Iam) -> None:
    iam("UpdateAccountPasswordPolicy", MinimumPasswordLength=6)
    iam("CreateUser", UserName="dora")
    iam("CreateLoginProfile", UserName="dora", Password="simple")  # the custom policy allows it
    iam("DeleteAccountPasswordPolicy")
    # GetAccountPasswordPolicy without a custom policy: NoSuchEntity, 404.
    with pytest.raises(errors.NoSuchEntity) as missing:
        iam("GetAccountPasswordPolicy")
    assert missing.value.status == 404
    assert missing.value.message == f"The Password Policy with domain name {ACCOUNT} cannot be found."
    # "Use DeleteAccountPasswordPolicy with a CLI": "If a password policy does not currently
    # exist, the following error message appears: The account policy with name
    # PasswordPolicy cannot be found."
    with pytest.raises(errors.NoSuchEntity) as again:
        iam("DeleteAccountPasswordPolicy")
    assert (again.value.status, again.value.message) == (
        404,
        "The account policy with name PasswordPolicy cannot be found.",
    )
    # "If you don't set a custom password policy, IAM user passwords must meet the default
    # AWS password policy."
    _refused(iam, "UpdateLoginProfile", UserName="dora", Password="simple")


@pytest.mark.parametrize(
    ("member", "value", "constraint"),
    [
        ("MinimumPasswordLength", 5, "greater than or equal to 6"),
        ("MinimumPasswordLength", 129, "less than or equal to 128"),
        ("MaxPasswordAge", 0, "greater than or equal to 1"),
        ("MaxPasswordAge", 1096, "less than or equal to 1095"),
        ("PasswordReusePrevention", 0, "greater than or equal to 1"),
        ("PasswordReusePrevention", 25, "less than or equal to 24"),
    ],
)
def test_out_of_range_members_are_validation_errors(member: str, value: int, constraint: str) -> None:
    # The ranges of UpdateAccountPasswordPolicy's request parameters (IAM API reference:
    # "Valid Range: Minimum value of 6. Maximum value of 128", 1..1095, 1..24), checked from
    # botocore's model before the operation runs. 0 is how a default is left out, never sent:
    # "some parameters do not allow the default parameter to be explicitly set".
    body = urlencode({"Action": "UpdateAccountPasswordPolicy", "Version": "2010-05-08", member: str(value)})
    with pytest.raises(errors.ValidationError) as raised:
        IAM_PROTOCOL.parse(body)
    path = member[0].lower() + member[1:]
    assert (raised.value.code, raised.value.status) == ("ValidationError", 400)
    assert raised.value.message == (
        f"1 validation error detected: Value at '{path}' failed to satisfy constraint: "
        f"Member must have value {constraint}"
    )


def test_the_extremes_of_each_range_are_accepted() -> None:
    for member, value in [
        ("MinimumPasswordLength", 6),
        ("MinimumPasswordLength", 128),
        ("MaxPasswordAge", 1),
        ("MaxPasswordAge", 1095),
        ("PasswordReusePrevention", 1),
        ("PasswordReusePrevention", 24),
    ]:
        body = urlencode({"Action": "UpdateAccountPasswordPolicy", "Version": "2010-05-08", member: str(value)})
        assert IAM_PROTOCOL.parse(body).params == {member: value}


# --- the rules on new passwords ----------------------------------------------------------


def test_without_a_policy_the_default_policy_applies(iam: Iam) -> None:
    # "Set an account password policy for IAM users", Default password policy: at least 8
    # characters, three of the four character types (uppercase, lowercase, numbers, the
    # symbols ! @ # $ % ^ & * ( ) _ + - = [ ] { } | '), not the account's name or email.
    iam("CreateUser", UserName="erin")
    # Seven characters of all four kinds; then two kinds each ("." is not one of the symbols).
    for weak in ("Ab1!xyz", "abcdefgh1", "ABCDEFGH1", "abcdEFGH", "abcdefg.1"):
        _refused(iam, "CreateLoginProfile", UserName="erin", Password=weak)
    iam("CreateLoginProfile", UserName="erin", Password="abcdefg!1")  # lower, digit, symbol
    _refused(iam, "UpdateLoginProfile", UserName="erin", Password="ABCDEFGh")
    iam("UpdateLoginProfile", UserName="erin", Password="ABCDEFG|h")  # upper, symbol, lower


def test_the_account_name_is_refused_by_the_default_policy(iam: Iam) -> None:
    with iam.store.transaction() as tx:
        tx.create_account("333333333333", "Acme-Prod-2025", email="Ops@Acme-1.example")
    iam.account = "333333333333"
    iam.caller = Caller("arn:aws:iam::333333333333:root", PrincipalKind.ROOT, "333333333333")
    iam("CreateUser", UserName="frank")
    _refused(iam, "CreateLoginProfile", UserName="frank", Password="Acme-Prod-2025")
    _refused(iam, "CreateLoginProfile", UserName="frank", Password="Ops@Acme-1.example")
    iam("CreateLoginProfile", UserName="frank", Password="Acme-Prod-2026")


@pytest.mark.parametrize(
    ("policy", "refused", "accepted"),
    [
        ({"MinimumPasswordLength": 12}, "abcdefghijk", "abcdefghijkl"),
        ({"RequireSymbols": True}, "Password123.", "Password123'"),  # "." is not in the list
        ({"RequireNumbers": True}, "Password!!!!", "Password!!!1"),
        ({"RequireUppercaseCharacters": True}, "password1!", "passworD1!"),
        ({"RequireLowercaseCharacters": True}, "PASSWORD1!", "PASSWORd1!"),
        ({"RequireUppercaseCharacters": True}, "pässwörd1É", "pässwörd1E"),  # ISO basic Latin only
    ],
)
def test_each_rule_of_a_custom_policy(iam: Iam, policy: dict[str, Any], refused: str, accepted: str) -> None:
    # UpdateAccountPasswordPolicy's members; a custom policy replaces the default one, so a
    # password of one character type passes when nothing else is required.
    iam("UpdateAccountPasswordPolicy", **policy)
    iam("CreateUser", UserName="gina")
    _refused(iam, "CreateLoginProfile", UserName="gina", Password=refused)
    iam("CreateLoginProfile", UserName="gina", Password=accepted)


def test_update_login_profile_and_change_password_are_checked_too(iam: Iam) -> None:
    _user_with_password(iam, "hank", "Hank-Console-1")
    iam("UpdateAccountPasswordPolicy", MinimumPasswordLength=16)
    # "Users are not forced to change their existing passwords": hank's old one still works.
    iam("UpdateLoginProfile", UserName="hank", PasswordResetRequired=True)  # no Password: nothing to check
    _refused(iam, "UpdateLoginProfile", UserName="hank", Password="Short-Pass-1")
    iam.as_user("hank")
    _refused(iam, "ChangePassword", OldPassword="Hank-Console-1", NewPassword="Short-Pass-2")
    iam("ChangePassword", OldPassword="Hank-Console-1", NewPassword="Long-Enough-Password-3")
    # A wrong old password is answered first, whatever the new one.
    with pytest.raises(errors.InvalidInput):
        iam("ChangePassword", OldPassword="Hank-Console-1", NewPassword="x")


def test_reuse_prevention_refuses_the_last_n_passwords(iam: Iam) -> None:
    # PasswordReusePrevention: "Specifies the number of previous passwords that IAM users are
    # prevented from reusing" (UpdateAccountPasswordPolicy).
    _user_with_password(iam, "ivy", "Password-0")
    iam("UpdateAccountPasswordPolicy", PasswordReusePrevention=3)
    iam.as_user("ivy")
    for number in range(1, 4):
        iam("ChangePassword", OldPassword=f"Password-{number - 1}", NewPassword=f"Password-{number}")
    # The last three: the current one and the two before it.
    for recent in ("Password-3", "Password-2", "Password-1"):
        _refused(iam, "ChangePassword", OldPassword="Password-3", NewPassword=recent)
    iam("ChangePassword", OldPassword="Password-3", NewPassword="Password-0")  # the fourth back: allowed
    # The administrator's UpdateLoginProfile is held to it as well.
    iam.caller = Caller(f"arn:aws:iam::{ACCOUNT}:root", PrincipalKind.ROOT, ACCOUNT)
    _refused(iam, "UpdateLoginProfile", UserName="ivy", Password="Password-3")
    iam("UpdateLoginProfile", UserName="ivy", Password="Password-9")


def test_without_reuse_prevention_an_old_password_may_come_back(iam: Iam) -> None:
    _user_with_password(iam, "jack", "Password-0")
    iam("UpdateAccountPasswordPolicy")  # PasswordReusePrevention left out: 0
    iam.as_user("jack")
    iam("ChangePassword", OldPassword="Password-0", NewPassword="Password-1")
    iam("ChangePassword", OldPassword="Password-1", NewPassword="Password-0")
    iam("ChangePassword", OldPassword="Password-0", NewPassword="Password-0")
