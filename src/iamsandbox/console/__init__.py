"""The web console: server-rendered pages on the server's own port, under ``/console``.

Every console action is an operation of the API run through the same ``authorize`` and
``operate`` steps as a signed request (``server.pipeline.operate``), as the signed-in
principal or the role it switched to (DESIGN.md, "One path for every request"): what the
API denies, the console denies, with AWS's AccessDenied message shown on the page.

Parts:
- ``web``: the request and response of a page, form parsing, the route table;
- ``session``: the console session, a sealed cookie (AES-GCM; no store lookup), with
  its CSRF token, the switched role's temporary credentials and the role history;
- ``calls``: run an API operation as the session's principal;
- ``app``: dispatch, sign-in requirement, CSRF check, static files, templates;
- ``pages/``: one module per part of the console; each page module has a ``routes`` table, found by
  ``app`` at start.
"""
