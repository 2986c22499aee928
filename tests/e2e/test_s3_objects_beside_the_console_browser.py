"""An HTML object fetched from S3 cannot act as the console, in headless Chromium.

One host and port serve S3 and the console here, so an object opened in a browser shares the
console's origin; AWS serves S3 from its own domains, where a page stored in a bucket can
never read a console page. Found by a security review: another account's presigned link to
an HTML object made the signed-in root user's browser create an access key. The object's
response now carries ``Content-Security-Policy: sandbox`` (an opaque origin, no scripts).
"""

from __future__ import annotations

from typing import Any

from browser_harness import browser, page, sign_in
from e2e_harness import A, B, Server, _client, server

__all__ = ["browser", "page", "server"]

ATTACK = b"""<!doctype html><title>untouched</title>
<script>
fetch("/console/iam/security-credentials").then(r => r.text())
  .then(t => { document.title = "read the console: " + t.length; })
  .catch(e => { document.title = "blocked: " + e; });
document.title = "script ran";
</script>"""


def test_an_html_object_runs_no_script_on_the_consoles_origin(server: Server, page: Any) -> None:
    root_a = server.create_account(A)
    iam_a = _client(server, "iam", root_a)
    iam_a.create_user(UserName="admin")
    iam_a.attach_user_policy(UserName="admin", PolicyArn="arn:aws:iam::aws:policy/AdministratorAccess")
    iam_a.create_login_profile(UserName="admin", Password="Correct-Horse-9", PasswordResetRequired=False)
    s3_b = _client(server, "s3", server.create_account(B))
    s3_b.create_bucket(Bucket="invites")
    s3_b.put_object(Bucket="invites", Key="invite.html", Body=ATTACK, ContentType="text/html")
    link = s3_b.generate_presigned_url("get_object", Params={"Bucket": "invites", "Key": "invite.html"})
    sign_in(page, server.url, A, "admin", "Correct-Horse-9")
    page.get_by_label("Account menu").wait_for()
    keys_before = iam_a.list_access_keys(UserName="admin")["AccessKeyMetadata"]
    response = page.goto(link)
    assert response is not None and response.status == 200
    assert response.headers["content-security-policy"] == "sandbox"
    page.wait_for_timeout(500)  # time for a script's fetch, had it run
    assert page.title() == "untouched"
    assert iam_a.list_access_keys(UserName="admin")["AccessKeyMetadata"] == keys_before
