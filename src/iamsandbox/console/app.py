"""Console dispatch: find the page, load the session, require sign-in, check CSRF, render.

``Console.handle`` takes a request the ASGI app routed here (``/`` and ``/console...``
without AWS credentials) and never raises: a page's ServiceError is shown on the page it
came from, anything else is logged and answered with a plain error page.
"""

from __future__ import annotations

import functools
import importlib
import logging
import mimetypes
import pkgutil
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from importlib import resources
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, unquote, urlencode

from jinja2 import Environment, PackageLoader, select_autoescape

from ..errors import ServiceError
from . import pages as pages_package
from .calls import invoke, session_user
from .session import COLORS, COOKIE, ConsoleSession, SessionCodec, new_session
from .throttle import SignInThrottle
from .web import Request, Response, Route, Routes, parse_form

if TYPE_CHECKING:
    from ..server.app import App

log = logging.getLogger("iamsandbox.console")

CSP = (
    "default-src 'self'",
    "img-src 'self' data:",
    "style-src 'self'",
    "script-src 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
)
SECURITY_HEADERS = [
    ("x-frame-options", "DENY"),
    ("x-content-type-options", "nosniff"),
    ("referrer-policy", "same-origin"),
    (
        "content-security-policy",
        "; ".join(CSP),
    ),
    ("cache-control", "no-store"),
]
# A header Console.handle may send: a token name, and a value of printable ASCII (with
# spaces and tabs), so no page can break the response or add a header of its own.
_HEADER_NAME = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")
_HEADER_VALUE = re.compile(r"[\t\x20-\x7e]*")


def account_display(account_id: str) -> str:
    """``2222-2222-2222``: how AWS's console shows an account ID to a person, in groups of four
    with hyphens (the account menu on the navigation bar; AWS's guides write "account number
    1234-5678-9012", the ID being that "without the hyphens"). The one place the console
    formats an account ID for display; anything not all digits is shown as it is."""
    if not account_id.isdigit():
        return account_id
    return "-".join(account_id[i : i + 4] for i in range(0, len(account_id), 4))


@dataclass
class PageContext:
    """What a page handler gets: the request, the session, and helpers."""

    console: Console
    request: Request
    session: ConsoleSession
    params: dict[str, str]  # the route's {name} parts, decoded
    new_session: ConsoleSession | None = None  # set to change the cookie
    notices: list[str] = field(default_factory=list)

    @property
    def app(self) -> App:
        return self.console.app

    def call(self, service: str, operation: str, params: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """Run an API operation as the console's principal; raises ServiceError."""
        return invoke(
            self.console.app,
            self.new_session or self.session,
            service,
            operation,
            dict(params or {}),
            client_ip=self.request.client_ip,
            now=self.request.now,
            secure=self.request.secure,
        )

    def render(self, template: str, status: int = 200, **values: Any) -> Response:
        return Response.html(self.console.render(template, self, **values), status)

    def redirect(self, location: str, **query: str) -> Response:
        return Response.redirect(location, **query)

    def set_session(self, session: ConsoleSession) -> None:
        self.new_session = session

    @property
    def over_https(self) -> bool:
        """The browser came over HTTPS through a proxy: cookies are then marked Secure."""
        return self.request.headers.get("x-forwarded-proto", "").lower() == "https"

    def base_url(self) -> str:
        """This console's address as the browser reached it (for links a person copies, and
        the URLs a sign-in event names)."""
        scheme = "https" if self.over_https or self.request.secure else "http"
        return f"{scheme}://{self.request.headers.get('host', '127.0.0.1')}"

    def seal_field(self, name: str, value: str) -> str:
        """``value`` sealed for the hidden field ``name`` of a form of this session
        (``SessionCodec.seal_field``): a value the next page needs and no page shows."""
        return self.console.sessions.seal_field(self.new_session or self.session, name, value)

    def open_field(self, name: str) -> str | None:
        """The posted field ``name`` as ``seal_field`` sealed it in this session, or None."""
        return self.console.sessions.open_field(self.session, name, self.request.form.get(name, ""))


@functools.cache
def _templates() -> Environment:
    """The console's templates, one environment per process: they are package files, and each
    is compiled once however many apps the process holds (tests hold hundreds)."""
    templates = Environment(
        loader=PackageLoader("iamsandbox.console", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    templates.globals.update(account_display=account_display, colors=COLORS, quote=quote)
    return templates


class Console:
    def __init__(self, app: App, keys: list[bytes]) -> None:
        self.app = app
        self.sessions = SessionCodec(keys)
        self.sign_in_throttle = SignInThrottle()
        self.routes: list[Route] = []
        for module in pkgutil.iter_modules(pages_package.__path__):
            page_module = importlib.import_module(f"{pages_package.__name__}.{module.name}")
            found: Routes | None = getattr(page_module, "routes", None)  # helper modules have none
            if found is not None:
                self.routes.extend(found.table)
        self.templates = _templates()

    def __repr__(self) -> str:
        return f"Console({len(self.routes)} routes)"

    def render(self, template: str, page: PageContext, **values: Any) -> str:
        session = page.new_session or page.session
        return self.templates.get_template(template).render(
            session=session,
            csrf=session.csrf,
            acting_as=acting_as(session),
            request=page.request,
            notices=page.notices,
            **values,
        )

    def handle(self, request: Request) -> Response:
        try:
            response = self._handle(request)
            bad = [name for name, value in response.headers if not _valid_header(name, value)]
            if bad:  # a bug: logged by name only (the value may hold what a user typed)
                raise ValueError(f"the page answered a header that HTTP cannot carry: {', '.join(bad)}")
        except Exception:
            log.exception("internal error in console page %s %s", request.method, request.path)
            response = Response.html("<!doctype html><title>Error</title><p>Internal error.</p>", 500)
        present = {name for name, _ in response.headers}
        response.headers.extend(header for header in SECURITY_HEADERS if header[0] not in present)
        return response

    def _handle(self, request: Request) -> Response:
        # AWS's sign-in URL ends with a slash (https://ACCOUNT.signin.aws.amazon.com/console/,
        # "How IAM users sign in to AWS", id_users_sign-in): with or without, the console.
        if request.path in ("/", "/console", "/console/"):
            return Response.redirect("/console/home")
        if request.path.startswith("/console/static/"):
            return self._static(request.path.removeprefix("/console/static/"))
        opened = self.sessions.open(request.cookies.get(COOKIE, ""))
        session = opened or new_session()
        route, params = self._route(request)
        if route is None:
            return Response.html("<!doctype html><title>Not found</title><p>Page not found.</p>", 404)
        fresh = session
        if session.expired(request.now):
            fresh = session.signed_out()
        elif session.role_expired(request.now):
            fresh = session.switched_back()
        if fresh.signed_in and not fresh.root:
            fresh = self._same_user(fresh)
        # A missing cookie, or one that does not open (another server's key, a changed byte),
        # is replaced: else the forms of the page would carry a token no cookie holds.
        renewed = opened is None or fresh is not session
        page = PageContext(self, request, fresh, params, new_session=fresh if renewed else None)
        if session.role is not None and fresh.role is None and fresh.signed_in:
            expired = session.role.display_name
            page.notices.append(f"Your session as {expired} expired: you are back to your own identity.")
        if request.method == "POST":
            parse_form(request)
            if not fresh.check_csrf(request.form.get("csrf_token", "")):
                message = "The form has expired or did not come from this console. Reload the page and try again."
                return self._finish(page, page.render("error.html", 403, title="Forbidden", message=message))
            if _acts(route, request.path) and request.form.get("acting_as") != acting_as(fresh):
                # The form was opened as another identity: a role whose session has since
                # expired, or one switched away from in another tab. Doing it now would act
                # as whoever the console is now, with other permissions than the page showed.
                message = (
                    "This page was opened as another identity (a role session that expired, or a switch in"
                    " another tab). Nothing was changed. Reload the page and try again."
                )
                return self._finish(page, page.render("error.html", 409, title="Session changed", message=message))
        if not route.public:
            if not fresh.signed_in:
                back = request.path + ("?" + urlencode(request.query) if request.query else "")
                return self._finish(page, Response.redirect("/console/signin", redirect_uri=back))
            if fresh.password_reset and not request.path.startswith("/console/password"):
                return self._finish(page, Response.redirect("/console/password"))
        try:
            response = route.handler(page)
        except ServiceError as error:
            response = page.render("error.html", error.status, title=error.code, message=error.message)
        return self._finish(page, response)

    def _same_user(self, session: ConsoleSession) -> ConsoleSession:
        """The session of a signed-in IAM user, checked against the store: signed out (a new
        session: the pages then ask to sign in) when the user is gone (``calls.session_user``),
        and with the user's new name after a rename."""
        with self.app.store.read() as tx:
            user = session_user(tx, session)
        if user is None:
            return new_session()
        if user.name != session.user_name:
            return replace(session, user_name=user.name)
        return session

    def _finish(self, page: PageContext, response: Response) -> Response:
        if page.new_session is not None:
            response.headers.append(self.sessions.cookie_header(page.new_session, secure=page.over_https))
        return response

    def _route(self, request: Request) -> tuple[Route | None, dict[str, str]]:
        for route in self.routes:
            if route.method != request.method and not (route.method == "GET" and request.method == "HEAD"):
                continue
            found = route.pattern.match(request.path)
            if found is not None:
                return route, {key: unquote(value) for key, value in found.groupdict().items()}
        return None, {}

    def _static(self, name: str) -> Response:
        if "/" in name or name.startswith("."):
            return Response.html("not found", 404)
        resource = resources.files("iamsandbox.console").joinpath("static", name)
        if not resource.is_file():
            return Response.html("not found", 404)
        content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
        return Response(200, resource.read_bytes(), [("content-type", content_type), ("cache-control", "max-age=3600")])


def acting_as(session: ConsoleSession) -> str:
    """Who the console acts as, as a form carries it: the switched-to role, or "" for the
    signed-in user itself."""
    role = session.role
    return f"{role.account_id}:{role.role_name}" if role is not None else ""


def _acts(route: Route, path: str) -> bool:
    """A form whose action runs as the console's current identity. Signing in and out and
    switching roles are not: they change the identity, and switching is authorized with the
    user's own credentials whatever role is active."""
    return not route.public and not path.startswith("/console/switchrole")


def _valid_header(name: str, value: str) -> bool:
    return _HEADER_NAME.fullmatch(name) is not None and _HEADER_VALUE.fullmatch(value) is not None
