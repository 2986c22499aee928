"""Run an API operation as the console session's principal.

The same steps as a signed request after authentication (``server.pipeline``): the
parameters are validated against the service model (IAM and STS; S3's handlers check
their own), then ``operate`` authorizes the table's action and resource as the principal
and runs the handler in one store transaction. The principal is:

- the switched role's session, read from its session token exactly as a request signed
  with those credentials would be (``server.identity.Credentials``): expired credentials
  answer ExpiredToken;
- else the signed-in IAM user, as console sessions are temporary credentials
  (aws:MultiFactorAuthPresent is present, true when the sign-in used MFA);
- else the account's root user.

The console's own sign-in events (ConsoleLogin, CheckMfa, SwitchRole, ExitRole:
``services/cloudtrail/signin.py``) are noted in the same trail as the calls
(``note_sign_in_event``).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from ..errors import ExpiredToken, InvalidClientTokenId, ServiceError
from ..server.identity import Credentials, Identity, root_identity, user_identity
from ..server.pipeline import Call, flush_notes, note_access, note_event, operate
from ..services.cloudtrail.signin import SignIn
from ..store.interface import Transaction, User
from .session import ConsoleSession

if TYPE_CHECKING:
    from ..server.app import App
    from .app import PageContext


class SignedOut(ServiceError):
    """The signed-in user no longer exists (deleted while signed in, or deleted and created
    again under the same name: another user)."""

    code = "SignedOut"


def session_user(tx: Transaction, session: ConsoleSession) -> User | None:
    """The IAM user the session signed in, found by unique ID ("IAM identifiers", Unique IDs:
    a renamed user keeps its ID; a user created again under a deleted one's name has a new
    one), or None when that user is gone."""
    found = tx.get_identity(session.user_id) if session.user_id else None
    if isinstance(found, User) and found.account_id == session.account_id:
        return found
    return None


def identity_of(app: App, tx: Transaction, session: ConsoleSession, now: datetime) -> Identity:
    role = session.role
    if role is not None:
        credentials = Credentials(tx, app.shared.tokens, role.session_token, now)
        if credentials.secret(role.access_key_id) is None:
            raise InvalidClientTokenId("The security token included in the request is invalid.")
        return credentials.identity(role.access_key_id)
    if session.root:
        return root_identity(session.account_id)
    user = session_user(tx, session)
    if user is None:
        raise SignedOut("The signed-in user no longer exists.")
    issued = datetime.fromtimestamp(session.signed_in_at, UTC)
    mfa = datetime.fromtimestamp(session.mfa_at, UTC) if session.mfa_at is not None else None
    return user_identity(tx, user, temporary=True, issued=issued, mfa=mfa)


def invoke(
    app: App,
    session: ConsoleSession,
    service: str,
    operation: str,
    params: dict[str, Any],
    *,
    client_ip: str,
    now: datetime | None = None,
    region: str = "us-east-1",
    secure: bool = False,
) -> dict[str, Any]:
    """The operation's result, or its ServiceError (AccessDenied with AWS's message, ...)."""
    now = now or datetime.now(UTC)
    clean = {key: value for key, value in params.items() if value is not None}
    if service in app.query:
        app.query[service].plan(operation).check(clean)
    elif service in app.json:
        app.json[service].check(operation, clean)
    call = Call(
        method="POST", path="/console", query="", headers=[], body=b"", client_ip=client_ip, secure=secure, now=now
    )
    call = replace(call, service=service, region=region, operation=operation, params=clean)
    with app.store.read() as tx:
        identity = identity_of(app, tx, session, now)
    # "This includes all attempts that were made using the AWS Management Console" (service
    # last accessed data, GenerateServiceLastAccessedDetails in the IAM API reference); the
    # console's calls are CloudTrail events as the API's are.
    note_access(app, call, identity)
    call.caller = identity.caller
    call.access_key_id = session.role.access_key_id if session.role is not None else None
    try:
        result = operate(app, call, identity)
    except ServiceError as error:
        note_event(app, call, None, error)
        raise
    else:
        note_event(app, call, result, None)
        return result
    finally:
        flush_notes(app, now)


Who = tuple[dict[str, Any], str]  # a sign-in event's userIdentity, and LookupEvents' Username


def note_sign_in_event(
    page: PageContext,
    name: str,
    account_id: str,
    who: Who,
    *,
    error: str | None = None,
    login_to: str | None = None,
    mfa: bool = False,
    additional: dict[str, str] | None = None,
    read_only: bool = False,
) -> None:
    """Note a sign-in event (``services/cloudtrail/signin.py``) of this request: a
    ConsoleLogin's additionalEventData is LoginTo, MobileVersion and MFAUsed."""
    if login_to is not None:
        # LoginTo: the page's absolute URL ("https://console.aws.amazon.com/console/home..." in AWS's).
        login_url = page.base_url() + login_to
        additional = {"LoginTo": login_url, "MobileVersion": "No", "MFAUsed": "Yes" if mfa else "No"}
    identity, username = who
    request = page.request
    event = SignIn(
        time=request.now,
        name=name,
        account=account_id,
        identity=identity,
        username=username,
        source_ip=request.client_ip,
        user_agent=request.headers.get("user-agent"),
        success=error is None,
        error_message=error,
        additional=additional,
        read_only=read_only,
    )
    # Noted in memory with the API's calls and written with them
    # (``server.pipeline.flush_notes``; LookupEvents writes what is pending first).
    page.app.shared.trail.note(event)
    flush_notes(page.app, event.time)


__all__ = [
    "ExpiredToken",
    "SignedOut",
    "Who",
    "identity_of",
    "invoke",
    "note_sign_in_event",
    "session_user",
]
