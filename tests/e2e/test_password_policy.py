"""The account password policy through a real server, driven by boto3.

AWS pages: "UpdateAccountPasswordPolicy", "GetAccountPasswordPolicy",
"DeleteAccountPasswordPolicy", "PasswordPolicy" (IAM API reference); "Set an account
password policy for IAM users" and "Permit IAM users to change their own passwords" (IAM
User Guide); "Use DeleteAccountPasswordPolicy with a CLI" (IAM User Guide code examples).
"""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError
from e2e_harness import B, Server, _client, _set_up


def _error(raised: pytest.ExceptionInfo[ClientError]) -> tuple[str, int, str]:
    response = raised.value.response
    return response["Error"]["Code"], response["ResponseMetadata"]["HTTPStatusCode"], response["Error"]["Message"]


def test_update_get_enforce_and_delete(server: Server) -> None:
    keys = _set_up(server)
    iam = _client(server, "iam", server.roots[B])
    iam.update_account_password_policy(
        MinimumPasswordLength=12, RequireSymbols=True, AllowUsersToChangePassword=True, PasswordReusePrevention=5
    )
    assert iam.get_account_password_policy()["PasswordPolicy"] == {
        "MinimumPasswordLength": 12,
        "RequireSymbols": True,
        "RequireNumbers": False,
        "RequireUppercaseCharacters": False,
        "RequireLowercaseCharacters": False,
        "AllowUsersToChangePassword": True,
        "ExpirePasswords": False,  # no MaxPasswordAge
        "PasswordReusePrevention": 5,
        # No HardExpiry: it was not set (the AWS CLI's get-account-password-policy example).
    }

    # Too short for MinimumPasswordLength 12: PasswordPolicyViolation (400).
    with pytest.raises(ClientError) as short:
        iam.create_login_profile(UserName="bob", Password="Short-Pw-1!")
    assert _error(short) == (
        "PasswordPolicyViolation",
        400,
        "Password does not conform to the account password policy.",
    )
    iam.create_login_profile(UserName="bob", Password="Long-Enough-Pw-1!")

    # AllowUsersToChangePassword: bob, who has no policy at all, changes his own password
    # with his access keys; the policy's rules and reuse prevention hold for him too.
    bob = _client(server, "iam", {"AccessKeyId": keys["BobKeyId"], "SecretAccessKey": keys["BobSecret"]})
    assert bob.get_account_password_policy()["PasswordPolicy"]["MinimumPasswordLength"] == 12
    with pytest.raises(ClientError) as reused:
        bob.change_password(OldPassword="Long-Enough-Pw-1!", NewPassword="Long-Enough-Pw-1!")
    assert _error(reused)[:2] == ("PasswordPolicyViolation", 400)
    bob.change_password(OldPassword="Long-Enough-Pw-1!", NewPassword="Another-Long-Pw-2!")
    with pytest.raises(ClientError) as not_his:  # the option covers his own user only
        bob.update_login_profile(UserName="alice", Password="Whatever-Long-Pw-3!")
    assert _error(not_his)[:2] == ("AccessDenied", 403)

    # Out of the model's range: ValidationError (400) before anything changes.
    with pytest.raises(ClientError) as invalid:
        iam.update_account_password_policy(MinimumPasswordLength=129)
    assert _error(invalid)[:2] == ("ValidationError", 400)
    assert iam.get_account_password_policy()["PasswordPolicy"]["MinimumPasswordLength"] == 12

    iam.delete_account_password_policy()
    with pytest.raises(ClientError) as gone:
        iam.get_account_password_policy()
    assert _error(gone) == ("NoSuchEntity", 404, f"The Password Policy with domain name {B} cannot be found.")
    with pytest.raises(ClientError) as again:
        iam.delete_account_password_policy()
    assert _error(again) == ("NoSuchEntity", 404, "The account policy with name PasswordPolicy cannot be found.")
    # Without the option bob needs iam:ChangePassword in a policy again.
    with pytest.raises(ClientError) as denied:
        bob.change_password(OldPassword="Another-Long-Pw-2!", NewPassword="Third-Long-Pw-3!")
    assert _error(denied)[:2] == ("AccessDenied", 403)
