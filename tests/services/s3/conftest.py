"""The S3 handler tests' result checker, and ``run``: an operation as the bucket owner's
root user on the bucket "bkt", its result checked against botocore's model."""

from collections.abc import Callable
from typing import Any

import pytest
from services_harness import TRUSTING, Call, conformance_checker, root_caller

from iamsandbox.services.s3.handlers import HANDLERS

Conforms = Callable[[str, dict[str, Any]], None]


@pytest.fixture
def conforms() -> Conforms:
    return conformance_checker("s3")


@pytest.fixture
def run(call: Call, conforms: Conforms) -> Callable[..., Any]:
    owner = root_caller(TRUSTING)
    call(HANDLERS["CreateBucket"], owner, {"Bucket": "bkt"})

    def go(operation: str, **params: Any) -> Any:
        out = call(HANDLERS[operation], owner, params)
        conforms(operation, out)
        return out

    return go
