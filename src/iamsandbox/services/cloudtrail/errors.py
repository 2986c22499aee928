"""CloudTrail's errors of LookupEvents, one class per code of botocore's cloudtrail model
(``cloudtrail/2013-11-01/service-2.json``: HTTP 400, sender fault). The messages are the
model's documentation of each error (AWS's own wording of the answers is not recorded)."""

from __future__ import annotations

from ...errors import ServiceError


class CloudTrailError(ServiceError):
    """A CloudTrail error; ``default`` is its message when none is given."""

    default = ""

    def __init__(self, message: str = "") -> None:
        super().__init__(message or self.default)


class InvalidLookupAttributesException(CloudTrailError):
    code = "InvalidLookupAttributesException"
    default = "Occurs when a lookup attribute is specified that is not valid."


class InvalidTimeRangeException(CloudTrailError):
    code = "InvalidTimeRangeException"
    default = (
        "Occurs if the timestamp values are not valid. Either the start time occurs after the end time, "
        "or the time range is outside the range of possible values."
    )


class InvalidMaxResultsException(CloudTrailError):
    code = "InvalidMaxResultsException"
    default = "This exception is thrown if the limit specified is not valid."


class InvalidNextTokenException(CloudTrailError):
    code = "InvalidNextTokenException"
    default = "A token that is not valid, or a token that was previously used in a request with different parameters."


class InvalidEventCategoryException(CloudTrailError):
    code = "InvalidEventCategoryException"
    default = "Occurs if an event category that is not valid is specified as a value of EventCategory."
