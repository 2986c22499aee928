"""The STS handler tests' result checker, and the app with accounts A and B of the
AssumeRoleWithSAML tests (``saml_world``)."""

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from inprocess_harness import open_app
from saml_world import A, B
from services_harness import conformance_checker

from iamsandbox.server.app import App


@pytest.fixture
def conforms() -> Callable[[str, dict[str, Any]], None]:
    return conformance_checker("sts")


@pytest.fixture
def app(tmp_path: Path) -> Iterator[App]:
    made = open_app(tmp_path, A, B)
    yield made
    made.store.close()
