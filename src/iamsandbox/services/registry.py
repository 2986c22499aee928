"""The services this server speaks and each one's handlers, by AWS operation name: the one
list the app routes with and ``iamsandbox coverage`` reports."""

from __future__ import annotations

from .context import Handler


def handler_tables() -> dict[str, dict[str, Handler]]:
    """Service name (botocore's) -> its handlers (imported when asked: they pull in every
    service)."""
    from .cloudtrail.handlers import HANDLERS as CLOUDTRAIL
    from .iam.handlers import HANDLERS as IAM
    from .organizations.handlers import HANDLERS as ORGANIZATIONS
    from .s3.handlers import HANDLERS as S3
    from .sts.handlers import HANDLERS as STS

    return {"iam": IAM, "sts": STS, "s3": S3, "organizations": ORGANIZATIONS, "cloudtrail": CLOUDTRAIL}
