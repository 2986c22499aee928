"""The console home: where sign-in lands; links to the services (IAM, S3, CloudTrail)."""

from __future__ import annotations

from ..app import PageContext
from ..web import Response, Routes

routes = Routes()


@routes.get("/console/home")
def home(page: PageContext) -> Response:
    return page.render("home.html", title="Console Home")
