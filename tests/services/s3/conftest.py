"""The S3 handler tests' result checker."""

from collections.abc import Callable
from typing import Any

import pytest
from services_harness import conformance_checker


@pytest.fixture
def conforms() -> Callable[[str, dict[str, Any]], None]:
    return conformance_checker("s3")
