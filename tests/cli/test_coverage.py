"""``iamsandbox coverage`` against botocore's models: every handler is a real operation."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from iamsandbox.cli.coverage import implemented, table


def test_every_handler_is_an_operation_of_the_model() -> None:
    found = table()
    for service, handlers in implemented().items():
        assert sorted(handlers) == found[service]["implemented"], service
        assert not set(found[service]["missing"]) & set(handlers)


def test_command_prints_json() -> None:
    done = subprocess.run(
        [str(Path(sys.executable).parent / "iamsandbox"), "coverage", "--json"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    data = json.loads(done.stdout)
    assert "AssumeRole" in data["sts"]["implemented"] and "GetObject" in data["s3"]["implemented"]
    assert "CreateRole" in data["iam"]["implemented"]
