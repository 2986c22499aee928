"""AWS errors as Python exceptions: one class per AWS error code.

The tree::

    ServiceError                      code, status, sender_fault, message
    ├── MalformedPolicyDocument       IAM: a policy document that AWS would refuse
    │   ├── MalformedPolicy           S3: the same, for a bucket policy
    │   └── MalformedPolicyDocumentException   Organizations: the same, for an SCP or RCP
    ├── LimitExceeded                 IAM: a quota (policy size, count) is exceeded
    ├── InvalidInput                  IAM: a parameter value is invalid
    ├── ValidationError               query protocol: a parameter fails its model constraint
    ├── MissingParameter              query protocol: a required parameter is absent
    ├── InvalidParameterValue         query protocol: a value is of the wrong kind
    ├── MalformedQueryString          query protocol: the body or query cannot be read
    ├── InvalidAction                 query protocol: no such action for the service
    ├── NotImplemented                an operation AWS has and iamsandbox does not (yet)
    ├── authentication (SigV4; "Signature Version 4 signing" and the S3 "Error responses")
    │   ├── IncompleteSignature       the Authorization header or presigned query is incomplete
    │   ├── MissingAuthenticationToken  no credentials at all (query services)
    │   ├── InvalidClientTokenId      unknown access key (query services)
    │   ├── InvalidAccessKeyId        unknown access key (S3)
    │   ├── SignatureDoesNotMatch     the signature does not verify
    │   ├── ExpiredToken              temporary credentials past their expiry
    │   ├── RequestTimeTooSkewed      request time more than 15 minutes off (S3)
    │   ├── AuthorizationHeaderMalformed  S3: the credential scope is wrong
    │   └── AccessDenied              the policy evaluation denied the request
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


class MissingParameter(ServiceError):
    code = "MissingParameter"


class InvalidParameterValue(ServiceError):
    code = "InvalidParameterValue"


class MalformedQueryString(ServiceError):
    code = "MalformedQueryString"
    status = 404


class InvalidAction(ServiceError):
    code = "InvalidAction"


class NotImplemented(ServiceError):  # noqa: A001  (AWS's code; shadows the builtin constant here only)
    code = "NotImplemented"
    status = 501
    sender_fault = False


class IncompleteSignature(ServiceError):
    code = "IncompleteSignature"


class MissingAuthenticationToken(ServiceError):
    code = "MissingAuthenticationToken"
    status = 403


class InvalidClientTokenId(ServiceError):
    code = "InvalidClientTokenId"
    status = 403


class InvalidAccessKeyId(ServiceError):
    code = "InvalidAccessKeyId"
    status = 403


class SignatureDoesNotMatch(ServiceError):
    code = "SignatureDoesNotMatch"
    status = 403


class ExpiredToken(ServiceError):
    code = "ExpiredToken"
    status = 400


class RequestTimeTooSkewed(ServiceError):
    code = "RequestTimeTooSkewed"
    status = 403


class AuthorizationHeaderMalformed(ServiceError):
    code = "AuthorizationHeaderMalformed"


class AccessDenied(ServiceError):
    code = "AccessDenied"
    status = 403


class InternalError(ServiceError):
    code = "InternalError"
    status = 500
    sender_fault = False
