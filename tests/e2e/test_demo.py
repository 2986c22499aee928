"""``iamsandbox serve --demo``: the reference workflow ready to try, as issue 3 asks."""

from __future__ import annotations

import html
import os
import re
import subprocess
import sys
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.parse import urlencode
from urllib.request import HTTPCookieProcessor, build_opener

from e2e_harness import start


def test_serve_demo_prints_working_profiles(tmp_path: Path) -> None:
    process, server = start(tmp_path, "--demo")
    try:
        printed = server.log.read_text()
        credentials = printed.split("~/.aws/credentials:\n", 1)[1].split("\n\n", 1)[0]
        config = printed.split("~/.aws/config:\n", 1)[1].split("\n\n", 1)[0]
        (tmp_path / "credentials").write_text(credentials + "\n")
        (tmp_path / "config").write_text(config + "\n")
        bucket = re.search(r"s3://(\S+) holds hello.txt", printed)
        assert bucket is not None
        env = {
            **os.environ,
            "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "credentials"),
            "AWS_CONFIG_FILE": str(tmp_path / "config"),
            "AWS_ENDPOINT_URL": server.url,
            "HOME": str(tmp_path),
        }
        aws = str(Path(sys.executable).parent / "aws")
        read = subprocess.run(
            [aws, "s3", "cp", f"s3://{bucket.group(1)}/hello.txt", "-", "--profile", "x-account"],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
            check=False,
        )
        assert read.returncode == 0, read.stderr + printed
        assert read.stdout == "hello from account 111111111111\n"
        # The demo's bucket is as CreateBucket makes one: "By default, new buckets, access
        # points, and objects don't allow public access" ("Blocking public access to your
        # Amazon S3 storage"), and Object Ownership is BucketOwnerEnforced.
        flags = ("BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets")
        for command, expected in (
            ("get-public-access-block", [f'"{flag}": true' for flag in flags]),
            ("get-bucket-ownership-controls", ['"ObjectOwnership": "BucketOwnerEnforced"']),
        ):
            shown = subprocess.run(
                [aws, "s3api", command, "--bucket", bucket.group(1), "--profile", "x-account"],
                capture_output=True,
                text=True,
                env=env,
                timeout=120,
                check=False,
            )
            assert shown.returncode == 0, shown.stderr
            assert all(text in shown.stdout for text in expected), shown.stdout
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_serve_demo_prints_alices_console_sign_in_url_and_password_that_sign_in(tmp_path: Path) -> None:
    """The printed sign-in URL opens the sign-in page with the account filled in, and alice
    signs in there with the printed password."""
    process, server = start(tmp_path, "--demo")
    try:
        printed = server.log.read_text()
        url = re.search(r"^  console sign-in URL: (\S+)$", printed, re.MULTILINE)
        password = re.search(r"^  console password: (\S+)$", printed, re.MULTILINE)
        assert url is not None and password is not None, printed
        assert url.group(1) == f"{server.url}/console/signin?account=222222222222"
        browser = build_opener(HTTPCookieProcessor(CookieJar()))
        with browser.open(url.group(1), timeout=30) as answer:
            page = answer.read().decode()
        assert 'name="account" type="text" value="222222222222"' in page
        token = re.search(r'name="csrf_token" value="([^"]*)"', page)
        assert token is not None
        form = {
            "csrf_token": html.unescape(token.group(1)),
            "acting_as": "",
            "signin_type": "iam",
            "account": "222222222222",
            "username": "alice",
            "password": password.group(1),
        }
        with browser.open(f"{server.url}/console/signin", urlencode(form).encode(), timeout=30) as answer:
            assert answer.url == f"{server.url}/console/home"
            assert "alice @ 2222-2222-2222" in answer.read().decode()
    finally:
        process.terminate()
        process.wait(timeout=10)
