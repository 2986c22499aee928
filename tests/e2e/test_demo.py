"""``iamsandbox serve --demo``: the reference workflow ready to try, as issue 3 asks."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

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
