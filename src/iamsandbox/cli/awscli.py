"""The AWS CLI's conventions, for commands that stand in for an ``aws`` command offline.

- ``--cli-input-json``: "file://PATH", a bare path, or the JSON text itself
  (https://docs.aws.amazon.com/cli/latest/userguide/cli-usage-skeleton.html).
- Output: ``json.dump(response, indent=4, ensure_ascii=False)`` and a newline, as
  awscli's ``JSONFormatter`` prints it.
- Errors, on stderr: a blank line, then "An error occurred (CODE) when calling the
  OPERATION operation: MESSAGE", as botocore's ``ClientError`` words it.
- Exit codes of AWS CLI version 2 ("Command line return codes in the AWS CLI",
  https://docs.aws.amazon.com/cli/latest/userguide/cli-usage-returncodes.html): 252 when
  the command or a parameter is invalid and no request was made, 254 when the service
  answered with an error. (Version 1 answers 255 for both.)
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, TextIO

from ..errors import ServiceError

EXIT_USAGE = 252  # "Command syntax was invalid, an unknown parameter was provided, ..."
EXIT_SERVICE_ERROR = 254  # "... the service returned an error"


class UsageError(Exception):
    """The command line or its input is invalid: nothing was sent (exit 252)."""


def load_cli_input_json(value: str) -> Any:
    """The parameters given to ``--cli-input-json``, as the AWS CLI reads them."""
    if value.startswith(("file://", "fileb://")):
        path = Path(value.split("://", 1)[1]).expanduser()
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise UsageError(
                f"Error parsing parameter '--cli-input-json': Unable to load paramfile {value}: {error}"
            ) from None
    elif not value.lstrip().startswith(("{", "[")) and Path(value).expanduser().is_file():
        text = Path(value).expanduser().read_text(encoding="utf-8")
    else:
        text = value
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise UsageError(
            f"Error parsing parameter 'cli-input-json': Invalid JSON: {error}\nJSON received: {text}"
        ) from None


def print_json(response: Any, stream: TextIO | None = None) -> None:
    out = stream or sys.stdout
    json.dump(response, out, indent=4, ensure_ascii=False)
    out.write("\n")


def print_service_error(error: ServiceError, operation: str) -> int:
    print(
        f"\nAn error occurred ({error.code}) when calling the {operation} operation: {error.message}",
        file=sys.stderr,
    )
    return EXIT_SERVICE_ERROR


def print_usage_error(error: UsageError) -> int:
    print(f"\n{error}\n", file=sys.stderr)
    return EXIT_USAGE
