"""Run the installed ``iamsandbox`` command, as a user would."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

COMMAND = Path(sys.executable).parent / "iamsandbox"
DATA = Path(__file__).resolve().parents[1] / "data"

Run = Callable[..., subprocess.CompletedProcess[str]]
Simulate = Callable[[dict[str, Any]], subprocess.CompletedProcess[str]]


def _run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    assert COMMAND.exists(), f"{COMMAND} is not installed (pip install -e .)"
    return subprocess.run([str(COMMAND), *args], input=stdin, capture_output=True, text=True, timeout=60, check=False)


@pytest.fixture
def run_cli() -> Run:
    return _run


@pytest.fixture
def simulate() -> Simulate:
    def call(request: dict[str, Any]) -> subprocess.CompletedProcess[str]:
        return _run("simulate-custom-policy", "--cli-input-json", json.dumps(request))

    return call


@pytest.fixture
def s3_read_only() -> str:
    """AWS's AmazonS3ReadOnlyAccess document, as IAM returns it (tests/data/managed-policies)."""
    return (DATA / "managed-policies" / "AmazonS3ReadOnlyAccess.json").read_text()
