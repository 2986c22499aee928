"""IAM users' service-specific credentials: CreateServiceSpecificCredential,
ListServiceSpecificCredentials, UpdateServiceSpecificCredential,
ResetServiceSpecificCredential, DeleteServiceSpecificCredential (IAM API reference); the
IAM User Guide's "Use IAM with Amazon Keyspaces (for Apache Cassandra)" and "IAM
credentials for CodeCommit: Git credentials, SSH keys, and AWS access keys" (their use).

- A credential is a user name and a password IAM generates for one service, CodeCommit
  (``codecommit.amazonaws.com``) or Amazon Keyspaces (``cassandra.amazonaws.com``): "You can
  have a maximum of two sets of service-specific credentials for each supported service
  per user" (CreateServiceSpecificCredential). A third answers LimitExceeded (wording
  unconfirmed).
- ServiceUserName is "the IAM user's name combined with the ID number of the Amazon Web
  Services account, as in jane-at-123456789012" (ServiceSpecificCredential in the API
  reference); a user's further credentials are ``jane+1-at-...``, ``jane+2-at-...`` (the AWS
  CLI's list-service-specific-credentials example, developer and developer+1 for one
  service; the API reference's ListServiceSpecificCredentials example, thomas and thomas+1
  for two services): here the first of these the user's credentials do not already hold
  (which one AWS gives after a delete is unconfirmed). It is fixed at creation.
- The password is "AWS generated and cryptographically strong"
  (ResetServiceSpecificCredential), answered by Create and Reset only ("This is the only
  time that the password for this credential set is available"): base64 of 44 random
  bytes, 60 characters ending in "=", as LocalStack's implementation says AWS's are
  (unconfirmed: its recordings mask them; the AWS CLI's 2019 examples show 44 characters);
  sealed at rest like secret access keys.
- ServiceSpecificCredentialId is ``ACCA`` and 17 upper-case base32 characters (the CLI's
  examples: ACCAQFODXMPL4YFHP7DZE).
- Answers and errors as AWS gave them to LocalStack's tests of these operations (its
  recorded responses, ``tests/aws/services/iam/test_iam.snapshot.json``,
  TestIAMServiceSpecificCredentials, recorded 06-03-2025): a user's first credential is
  ``name-at-ACCOUNT``; Reset keeps the status;
  an unknown user, "The user with name X cannot be found."; a service without such
  credentials, NoSuchEntity "No such service X is supported for Service Specific
  Credentials" (not the model's NotSupportedService), after the user is found; an unknown
  id, NoSuchEntity "No such credential X exists" (here also one of another user);
  DeleteUser while the user has one, DeleteConflict "Cannot delete entity, must remove
  referenced objects first.".
- Without UserName, List, Update, Reset and Delete act on the calling IAM user ("If this
  value is not specified, then the operation assumes the user whose credentials are used
  to call the operation"). The root user has none: List answers an empty list and the
  others NoSuchEntity for the id (unconfirmed); a role session answers ValidationError, as
  ListAccessKeys does.
- ListServiceSpecificCredentials's AllUsers "cannot be specified together with UserName"
  (InvalidInput here, wording unconfirmed) and lists every user's credentials of the
  account; it is authorized on ``arn:aws:iam::ACCOUNT:user/*`` as well as on the caller
  (unconfirmed).
- UpdateServiceSpecificCredential takes Active or Inactive; the model's third status,
  Expired, is refused with InvalidInput (unconfirmed), as UpdateSSHPublicKey does.

Not implemented: the long-term API keys of Amazon Bedrock (``bedrock.amazonaws.com``) and
CloudWatch Logs (``logs.amazonaws.com``, name unconfirmed), which this operation also
creates ("API keys for AWS services", IAM User Guide; CredentialAgeDays,
ServiceCredentialAlias, ServiceCredentialSecret, ExpirationDate): creating one answers
NotImplemented, and CredentialAgeDays for a password service InvalidInput ("This field is
only valid for services that support long-term API keys"; the error code is unconfirmed).
The credentials are not shown by GetAccountAuthorizationDetails, GetAccountSummary or the
credential report, whose documented members and columns have no place for them.
"""

from __future__ import annotations

import base64
import secrets
from typing import Any

from ... import errors
from ...errors import InvalidInput, LimitExceeded, NoSuchEntity
from ...store.crypto import Secret
from ...store.interface import ServiceSpecificCredential, User
from ..context import CallContext
from . import common

PASSWORD_SERVICES = ("codecommit.amazonaws.com", "cassandra.amazonaws.com")
API_KEY_SERVICES = ("bedrock.amazonaws.com", "logs.amazonaws.com")
PER_USER_PER_SERVICE = 2
_PASSWORD_BYTES = 44


def new_password() -> Secret:
    """60 characters of base64's alphabet, the last "=": 44 random bytes in base64."""
    return Secret(base64.b64encode(secrets.token_bytes(_PASSWORD_BYTES)).decode("ascii"))


def _check_service(name: str) -> None:
    if name in API_KEY_SERVICES:
        raise errors.NotImplemented(f"Long-term API keys for {name} are not implemented by iamsandbox.")
    if name not in PASSWORD_SERVICES:
        raise NoSuchEntity(f"No such service {name} is supported for Service Specific Credentials")


def _check_listed_service(name: str) -> None:
    """A list filter may name any service this operation knows (an API-key service has no
    credentials here: an empty list)."""
    if name not in PASSWORD_SERVICES and name not in API_KEY_SERVICES:
        raise NoSuchEntity(f"No such service {name} is supported for Service Specific Credentials")


def _service_user_name(user: User, account_id: str, taken: set[str]) -> str:
    """``name-at-ACCOUNT``, else ``name+1-at-ACCOUNT``, ``name+2-...``: the first not taken."""
    slot = 0
    while True:
        candidate = f"{user.name}{'' if slot == 0 else f'+{slot}'}-at-{account_id}"
        if candidate not in taken:
            return candidate
        slot += 1


def _credential(ctx: CallContext, owner: User | None, credential_id: str) -> ServiceSpecificCredential:
    found = ctx.tx.get_service_specific_credential(credential_id)
    if found is None or owner is None or found.user_id != owner.id:
        raise NoSuchEntity(f"No such credential {credential_id} exists")
    return found


def _metadata(found: ServiceSpecificCredential, user_name: str) -> dict[str, Any]:
    return {
        "UserName": user_name,
        "Status": found.status,
        "ServiceUserName": found.service_user_name,
        "CreateDate": found.created,
        "ServiceSpecificCredentialId": found.credential_id,
        "ServiceName": found.service_name,
    }


def _with_password(found: ServiceSpecificCredential, user_name: str, password: Secret) -> dict[str, Any]:
    return {"ServiceSpecificCredential": {**_metadata(found, user_name), "ServicePassword": password.reveal()}}


def create_service_specific_credential(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    user = common.user(ctx, params["UserName"])
    service = params["ServiceName"]
    _check_service(service)
    if params.get("CredentialAgeDays") is not None:
        raise InvalidInput("CredentialAgeDays is only valid for services that support long-term API keys.")
    mine = ctx.tx.list_service_specific_credentials(ctx.account_id, user.id)
    if sum(1 for found in mine if found.service_name == service) >= PER_USER_PER_SERVICE:
        raise LimitExceeded(
            f"Cannot exceed quota for ServiceSpecificCredentialsPerUserPerService: {PER_USER_PER_SERVICE}"
        )
    service_user_name = _service_user_name(user, ctx.account_id, {found.service_user_name for found in mine})
    password = new_password()
    created = ctx.tx.create_service_specific_credential(ctx.account_id, user.id, service, service_user_name, password)
    return _with_password(created, user.name, password)


def list_service_specific_credentials(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    service = params.get("ServiceName")
    if params.get("AllUsers"):
        if params.get("UserName") is not None:
            raise InvalidInput("AllUsers cannot be specified together with UserName.")  # unconfirmed wording
        ctx.authorize("iam:ListServiceSpecificCredentials", f"arn:aws:iam::{ctx.account_id}:user/*", {})
        if service is not None:
            _check_listed_service(service)
        found = ctx.tx.list_service_specific_credentials(ctx.account_id, service_name=service)
        names: dict[str, str] = {}
        for item in found:
            if item.user_id not in names:
                identity = ctx.tx.get_identity(item.user_id)
                names[item.user_id] = identity.name if identity is not None else ""
        out = common.paginate(found, params, "ServiceSpecificCredentials")
        out["ServiceSpecificCredentials"] = [
            _metadata(item, names[item.user_id]) for item in out["ServiceSpecificCredentials"]
        ]
        return out
    owner = common.credential_owner(ctx, params)
    if service is not None:
        _check_listed_service(service)
    if owner is None:
        return {"ServiceSpecificCredentials": [], "IsTruncated": False}
    found = ctx.tx.list_service_specific_credentials(ctx.account_id, owner.id, service)
    out = common.paginate(found, params, "ServiceSpecificCredentials")
    out["ServiceSpecificCredentials"] = [_metadata(item, owner.name) for item in out["ServiceSpecificCredentials"]]
    return out


def update_service_specific_credential(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    found = _credential(ctx, common.credential_owner(ctx, params), params["ServiceSpecificCredentialId"])
    status = params["Status"]
    if status not in ("Active", "Inactive"):
        raise InvalidInput("Status must be Active or Inactive.")  # unconfirmed wording
    ctx.tx.set_service_specific_credential_status(found.credential_id, status)
    return {}


def reset_service_specific_credential(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    owner = common.credential_owner(ctx, params)
    found = _credential(ctx, owner, params["ServiceSpecificCredentialId"])
    assert owner is not None  # INVARIANT: ``_credential`` found one of the owner's
    password = new_password()
    ctx.tx.reset_service_specific_credential(found.credential_id, password)
    return _with_password(found, owner.name, password)


def delete_service_specific_credential(ctx: CallContext, params: dict[str, Any]) -> dict[str, Any]:
    found = _credential(ctx, common.credential_owner(ctx, params), params["ServiceSpecificCredentialId"])
    ctx.tx.delete_service_specific_credential(found.credential_id)
    return {}
