"""The user's part of the reference workflow, by clicking, in headless Chromium.

Set up through the API as in ``e2e_harness._set_up`` (account A's role
my-s3-x-account-role trusting account B, with AmazonS3ReadOnlyAccess, and a bucket with an
object; account B's user alice with my-s3-x-account-policy), plus a console password for
alice. Then alice signs in, switches role, reads A's bucket, downloads the object, is
denied an upload with S3's AccessDenied message, finds the role in the history, switches
back, and switches again in one click (``console_workflow_harness``, which cites the AWS
pages). ``test_console_iam_workflow.py`` walks the same after the admins' part by clicking.
"""

from __future__ import annotations

from typing import Any

from browser_harness import browser, page, sign_in
from console_workflow_harness import alice_switches_reads_is_denied_and_switches_back
from e2e_harness import B, Server, _client, _set_up, server

__all__ = ["browser", "page", "server"]

PASSWORD = "Alice-Console-9"


def test_alice_switches_role_reads_a_bucket_is_denied_a_write_and_switches_back(server: Server, page: Any) -> None:
    _set_up(server)
    iam_b = _client(server, "iam", server.roots[B])
    iam_b.create_login_profile(UserName="alice", Password=PASSWORD, PasswordResetRequired=False)
    _client(server, "s3", server.roots[B]).create_bucket(Bucket="trusted-b-bucket")  # B's, never listed as the role

    sign_in(page, server.url, B, "alice", PASSWORD)
    alice_switches_reads_is_denied_and_switches_back(page, server)
