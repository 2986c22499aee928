"""AWS errors as Python exceptions: one class per AWS error code.

The tree::

    ServiceError                      code, status, sender_fault, message
    ├── MalformedPolicyDocument       IAM: a policy document that AWS would refuse
    │   ├── MalformedPolicy           S3: the same, for a bucket policy
    │   └── MalformedPolicyDocumentException   Organizations: the same, for an SCP or RCP
    ├── LimitExceeded                 IAM: a quota (policy size, count) is exceeded
    ├── InvalidInput                  IAM: a parameter value is invalid
    ├── ValidationError               query protocol: a parameter fails its model constraint
    └── InternalError                 a bug: anything else that reached the pipeline edge

Class names are AWS's error codes verbatim; the ``code`` attribute is what goes on the
wire. Codes and statuses come from botocore's service models where the model has them
(``MalformedPolicyDocumentException`` in ``iam/2010-05-08/service-2.json`` has code
``MalformedPolicyDocument``, HTTP 400, sender fault); a test checks them.

Messages are AWS's words. No secret, signature or token ever goes into one.
"""

from __future__ import annotations


class ServiceError(Exception):
    """An error AWS would answer with: an error code, an HTTP status and a message."""

    code: str = "ServiceError"
    status: int = 400
    sender_fault: bool = True

    def __init__(self, message: str = "") -> None:
        super().__init__(message)
        self.message = message

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r})"


class MalformedPolicyDocument(ServiceError):
    """IAM's answer to a policy document that does not follow the policy grammar."""

    code = "MalformedPolicyDocument"


class MalformedPolicy(MalformedPolicyDocument):
    """S3's code for a bad bucket policy ("Error responses" in the S3 API reference)."""

    code = "MalformedPolicy"


class MalformedPolicyDocumentException(MalformedPolicyDocument):
    """Organizations' code for a bad SCP or RCP (botocore's organizations model)."""

    code = "MalformedPolicyDocumentException"


class LimitExceeded(ServiceError):
    """IAM's answer when a quota is exceeded, such as the size of a policy."""

    code = "LimitExceeded"
    status = 409


class InvalidInput(ServiceError):
    code = "InvalidInput"


class ValidationError(ServiceError):
    code = "ValidationError"


class InternalError(ServiceError):
    code = "InternalError"
    status = 500
    sender_fault = False
