"""Switch Role: the console's AssumeRole, its history, and switching back.

"Switch from a user to an IAM role (console)" (IAM User Guide, id_roles_use_switch-role-console):
- the form takes the account (ID or alias), the role (its name, with its path when the role
  has one: "you must type that complete path and name in the Role box. If you type only
  the role name, or if the combined Path and RoleName exceed 64 characters, the role
  switch fails"), an optional display name ("A name is suggested, based on the account and
  role information": here "ROLE @ ACCOUNT") and a colour;
- the link ``/console/switchrole?account=...&roleName=...&displayName=...`` opens the form
  filled in (AWS's link format, same page); ``color`` too, by name or by the hex codes AWS's
  form uses (re:Post, "Switch role link query parameters");
- switching is STS AssumeRole run as the signed-in user, never as a role switched to
  before ("the console always uses your original credentials to authorize the switch"),
  with the user name as the session name, for the role's maximum session duration or what
  remains of the sign-in, whichever is less (``session.role_session_seconds``);
- "You cannot switch roles if you sign in as the AWS account root user.";
- a failed switch shows AWS's console message ("Invalid information in one or more
  fields. Check your information or contact your administrator.") and, when the account
  was given by its ID, under it the API's answer (AccessDenied with its reason), which
  AWS's console does not show; given by alias, only the message, the same whether the
  alias exists or not (the reason would name the alias's account ID);
- the form's labels are AWS's: "Account ID or alias", "IAM role name", "Display name"
  (which follows what is typed as "ROLE @ ACCOUNT" while left empty, console.js);
- the last five roles stay in the account menu, one click switches again; "Switch back"
  returns to the user's own permissions.

A switch is a CloudTrail event of the role's account besides its AssumeRole: SwitchRole, by
the role session, with SwitchFrom (the user's ARN) and RedirectTo; switching back is ExitRole
(unconfirmed: ``services/cloudtrail/signin.py``). A refused switch leaves only the refused
AssumeRole in the user's account.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ...authz.context import userid
from ...errors import ServiceError
from ...services.cloudtrail.signin import role_session_identity
from ..app import PageContext
from ..calls import identity_of, invoke, note_sign_in_event, session_user
from ..session import COLORS, SWITCH_ROLE_SECONDS, SwitchedRole, role_session_seconds
from ..web import Response, Routes
from .signin import ACCOUNT_ID, find_account, safe_redirect

routes = Routes()

ROOT_REFUSED = "You cannot switch roles if you sign in as the AWS account root user."
FAILED = "Invalid information in one or more fields. Check your information or contact your administrator."
MAX_ROLE_CHARS = 64  # path and name together
MAX_DISPLAY_CHARS = 64
# The colour values AWS's own switch-role links carry (re:Post answer, August 2024).
LINK_COLORS = {"f2b0a9": "red", "fbc8aa": "orange", "efda95": "yellow", "b7ca9d": "green", "83d4e8": "blue"}


@dataclass(frozen=True)
class SwitchForm:
    """What the form (or a link, or a history entry) says to switch to."""

    account: str = ""
    role: str = ""
    display_name: str = ""
    color: str = ""

    @classmethod
    def of(cls, values: Mapping[str, str]) -> SwitchForm:
        color = values.get("color", "").strip().lower().lstrip("#")
        color = LINK_COLORS.get(color, color)
        return cls(
            account=values.get("account", "").strip(),
            role=values.get("roleName", "").strip().strip("/"),
            display_name=values.get("displayName", "").strip(),
            color=color if color in COLORS else "",
        )

    def suggested_name(self) -> str:
        return f"{self.role.rsplit('/', 1)[-1]} @ {self.account}"


def _form(
    page: PageContext,
    status: int = 200,
    form: SwitchForm | None = None,
    *,
    problem: str = "",
    error: ServiceError | None = None,
) -> Response:
    source = page.request.form if page.request.method == "POST" else page.request.query
    return page.render(
        "switch_role.html",
        status,
        title="Switch Role",
        form=form or SwitchForm(),
        problem=problem,
        error=error,
        redirect_uri=safe_redirect(source.get("redirect_uri", "")),
    )


@routes.get("/console/switchrole")
def switch_role_form(page: PageContext) -> Response:
    if page.session.root:
        return _form(page, problem=ROOT_REFUSED)
    return _form(page, form=SwitchForm.of(page.request.query))


@routes.post("/console/switchrole")
def switch_role(page: PageContext) -> Response:
    return _switch(page, SwitchForm.of(page.request.form))


@routes.post("/console/switchrole/history")
def switch_from_history(page: PageContext) -> Response:
    return _switch(page, SwitchForm.of(page.request.form))


@routes.post("/console/switchrole/back")
def switch_back(page: PageContext) -> Response:
    session = page.session
    if session.role is not None:
        try:
            with page.app.store.read() as tx:
                left = identity_of(page.app, tx, session, page.request.now).caller
        except ServiceError:  # the role's session no longer opens: nothing to record it as
            left = None
        if left is not None and left.account is not None:
            # Unconfirmed: ExitRole's record (only its responseElements member is known).
            identity = role_session_identity(left.account, userid(left) or "", left.arn)
            note_sign_in_event(page, "ExitRole", left.account, (identity, left.name or ""))
    page.set_session(session.switched_back())
    return page.redirect("/console/home")


def _switch(page: PageContext, form: SwitchForm) -> Response:
    session = page.session
    if session.root:
        return _form(page, 403, form, problem=ROOT_REFUSED)
    if not form.account or not form.role:
        return _form(page, 400, form, problem="Enter the account and the role.")
    if len(form.role) > MAX_ROLE_CHARS:
        return _form(page, 400, form, problem=f"{FAILED} The role's path and name exceed {MAX_ROLE_CHARS} characters.")
    if len(form.display_name) > MAX_DISPLAY_CHARS:
        return _form(page, 400, form, problem=f"The display name can have at most {MAX_DISPLAY_CHARS} characters.")
    digits = re.sub(r"[\s-]", "", form.account)
    with page.app.store.read() as tx:
        account = find_account(tx, form.account)
        account_id = account.account_id if account else digits if ACCOUNT_ID.fullmatch(digits) else None
        role_arn = f"arn:aws:iam::{account_id}:role/{form.role}"
        # Only the session's length comes from the role itself; whether the switch is
        # allowed is AssumeRole's to decide (a missing role is denied like a refused one).
        role = tx.get_role_by_arn(role_arn) if account_id else None
        user = session_user(tx, session)
    if account_id is None:
        # As a denied switch (same status, same words): the page must not tell whether an
        # alias exists.
        return _form(page, 403, form, problem=FAILED)
    now = page.request.now
    duration = role_session_seconds(
        role.max_session_duration if role else SWITCH_ROLE_SECONDS, session.expires_at - now.timestamp()
    )
    params: dict[str, Any] = {"RoleArn": role_arn, "RoleSessionName": session.user_name, "DurationSeconds": duration}
    own = session.switched_back()  # AWS authorizes every switch with the original credentials
    try:
        result = invoke(page.app, own, "sts", "AssumeRole", params, client_ip=page.request.client_ip, now=now)
    except ServiceError as error:
        # The API's reason names the account's ID: shown only when that is what was typed,
        # so a switch by alias tells nothing about the alias (AWS shows only FAILED).
        by_id = ACCOUNT_ID.fullmatch(digits) is not None
        return _form(page, error.status, form, problem=FAILED, error=error if by_id else None)
    credentials = result["Credentials"]
    switched = SwitchedRole(
        account_id=account_id,
        role_name=form.role,
        display_name=form.display_name or form.suggested_name(),
        color=form.color,
        access_key_id=credentials["AccessKeyId"],
        secret_access_key=credentials["SecretAccessKey"],
        session_token=credentials["SessionToken"],
        expires_at=int(credentials["Expiration"].timestamp()),
    )
    page.set_session(own.with_role(switched))
    redirect = safe_redirect(page.request.form.get("redirect_uri", ""))
    assumed = result["AssumedRoleUser"]
    switch_from = user.arn if user is not None else f"arn:aws:iam::{session.account_id}:user/{session.user_name}"
    note_sign_in_event(
        page,
        "SwitchRole",
        account_id,
        (role_session_identity(account_id, assumed["AssumedRoleId"], assumed["Arn"]), session.user_name),
        additional={"SwitchFrom": switch_from, "RedirectTo": page.base_url() + redirect},
    )
    return page.redirect(redirect)
