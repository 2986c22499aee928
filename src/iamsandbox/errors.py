"""AWS errors as Python exceptions: one class per AWS error code.

The tree::

    ServiceError                      code, status, sender_fault, message
    ├── MalformedPolicyDocument       IAM: a policy document that AWS would refuse
    │   ├── MalformedPolicy           S3: the same, for a bucket policy
    │   └── MalformedPolicyDocumentException   Organizations: the same, for an SCP or RCP
    ├── LimitExceeded                 IAM: a quota (policy size, count) is exceeded
    ├── InvalidInput                  IAM: a parameter value is invalid
    ├── IAM entities: EntityAlreadyExists, NoSuchEntity, DeleteConflict, ConcurrentModification,
    │   EntityTemporarilyUnmodifiable, PasswordPolicyViolation, InvalidAuthenticationCode,
    │   PolicyNotAttachable, UnmodifiableEntity
    ├── IAM keys and certificates: InvalidPublicKey, UnrecognizedPublicKeyEncoding,
    │   DuplicateSSHPublicKey, MalformedCertificate, InvalidCertificate, DuplicateCertificate,
    │   KeyPairMismatch
    ├── IAM credential report: ReportNotPresent, ReportExpired
    ├── ValidationError               query protocol: a parameter fails its model constraint
    ├── MissingParameter              query protocol: a required parameter is absent
    ├── InvalidParameterValue         query protocol: a value is of the wrong kind
    ├── MalformedQueryString          query protocol: the body or query cannot be read
    ├── MalformedInput                query protocol: a value is not of its type (an integer that is not one)
    ├── MissingAction                 query protocol: no Action parameter at all
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
    ├── InternalError                 a bug: anything else that reached the pipeline edge
    └── S3Error                       S3's errors: a default message and extra <Error> members
        ├── NoSuchBucket, NoSuchKey, NoSuchVersion, NoSuchUpload, NoSuchBucketPolicy, NoSuchTagSet,
        │   NoSuchPublicAccessBlockConfiguration, OwnershipControlsNotFoundError,
        │   NoSuchCORSConfiguration, NoSuchLifecycleConfiguration, NoSuchWebsiteConfiguration,
        │   ObjectLockConfigurationNotFoundError
        ├── AccessControlListNotSupported, InvalidBucketAclWithObjectOwnership  ACLs disabled
        ├── BucketAlreadyExists, BucketAlreadyOwnedByYou, BucketNotEmpty, InvalidBucketName
        ├── InvalidRange, InvalidPartNumber, MalformedXML, InvalidArgument, InvalidRequest, InvalidURI,
        │   InvalidPart, InvalidPartOrder, EntityTooSmall, PreconditionFailed, MethodNotAllowed, BadRequest
        ├── KeyTooLongError, MetadataTooLarge, InvalidStorageClass  an object write S3 refuses
        ├── IllegalVersioningConfigurationException  PutBucketVersioning without a Status
        ├── NotModified               a conditional GET or HEAD: 304, headers only, no body
        ├── AccessForbidden           a CORS preflight the bucket's rules refuse
        ├── InvalidTargetBucketForLogging, CrossLocationLoggingProhibitted  PutBucketLogging
        ├── InvalidPolicyDocument, EntityTooLarge, MaxPostPreDataLengthExceeded  a POST upload's form
        ├── AuthorizationQueryParametersError, XAmzContentSHA256Mismatch, IncompleteBody, BadDigest,
        │   InvalidChunkSizeError, InvalidToken
        └── RequestTimeout, MissingContentLength  the body never came, or its length was not given

Class names are AWS's error codes verbatim; the ``code`` attribute is what goes on the
wire. Codes and statuses come from botocore's service models where the model has them
(``MalformedPolicyDocumentException`` in ``iam/2010-05-08/service-2.json`` has code
``MalformedPolicyDocument``, HTTP 400, sender fault); a test checks them.

Messages are AWS's words. No secret, signature or token ever goes into one.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Self


class ServiceError(Exception):
    """An error AWS would answer with: an error code, an HTTP status and a message."""

    code: str = "ServiceError"
    status: int = 400
    sender_fault: bool = True
    # Response headers the error carries besides the service's own (S3: a delete marker's
    # x-amz-delete-marker and x-amz-version-id on a 404 or 405, services/s3/common.py;
    # HeadBucket's x-amz-bucket-region on a 403, server/pipeline.py).
    headers: tuple[tuple[str, str], ...] = ()
    # Whether the query protocol's answer carries <Message> (a few of IAM's errors have none).
    message_sent: bool = True

    def __init__(self, message: str = "") -> None:
        super().__init__(message)
        self.message = message
        # Extra members of the error: S3's Error XML writes them after Code and Message.
        self.fields: dict[str, str] = {}

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r})"

    def with_fields(self, fields: Mapping[str, str]) -> Self:
        """This error with ``fields`` among its extra members."""
        self.fields = {**self.fields, **fields}
        return self


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


class MalformedInput(ServiceError):
    """A query parameter that cannot be read as its type: STS answers DurationSeconds=abc,
    ``900.0`` or ``2147483648`` with it, and an empty one with "missing value for decimal
    type" (observed; see tests/protocol/test_query_validation.py)."""

    code = "MalformedInput"


class MissingAction(ServiceError):
    """A query request without an Action ("Common Errors" in the IAM and STS API
    references: "The request is missing an action or a required parameter"). STS answers
    such a POST with a redirect to https://aws.amazon.com/iam; the pipeline may do the
    same instead of sending this error."""

    code = "MissingAction"


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
    """Temporary credentials past their expiry. HTTP 403 from the query services (IAM's
    and STS's ErrorResponse, quoted in cfn-sphere/cfn-sphere#55 and aws/aws-sdk-java-v2#1649;
    "Common Errors" in the IAM API Reference); S3 answers 400 (``auth.dialects``)."""

    code = "ExpiredToken"
    status = 403


class RequestTimeTooSkewed(ServiceError):
    code = "RequestTimeTooSkewed"
    status = 403


class AccessDenied(ServiceError):
    code = "AccessDenied"
    status = 403


class InternalError(ServiceError):
    code = "InternalError"
    status = 500
    sender_fault = False


class ServiceFailure(InternalError):
    """IAM's answer to a failure of its own ("ServiceFailure", HTTP 500, in every IAM
    operation's Errors, IAM API Reference); S3 and STS answer InternalError."""

    code = "ServiceFailure"


# --- S3 ---------------------------------------------------------------------------------
# S3's codes, statuses and default messages are those of "Error responses" in the Amazon S3
# API Reference (https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html),
# checked against real responses recorded by LocalStack. S3's Error XML carries extra
# members after Code and Message (BucketName, Key, UploadId, ArgumentName...): they are
# the error's ``fields``, in the order given.


class S3Error(ServiceError):
    """An S3 error: ``default_message`` when none is given, and extra Error XML members."""

    default_message: str = ""

    def __init__(self, message: str = "", **fields: str) -> None:
        super().__init__(message or self.default_message)
        self.fields = dict(fields)


class NoSuchBucket(S3Error):
    code = "NoSuchBucket"
    status = 404
    default_message = "The specified bucket does not exist"


class NoSuchKey(S3Error):
    code = "NoSuchKey"
    status = 404
    default_message = "The specified key does not exist."


class NoSuchVersion(S3Error):
    """S3: a version ID of the right form that names no version of the key (recorded from
    AWS, LocalStack's test_s3_api snapshot, test_delete_object_versioned)."""

    code = "NoSuchVersion"
    status = 404
    default_message = "The specified version does not exist."


class IllegalVersioningConfigurationException(S3Error):
    """S3: a PutBucketVersioning without a Status ("Error responses"; the message recorded
    from AWS, LocalStack's test_s3_api snapshot, test_bucket_versioning_crud)."""

    code = "IllegalVersioningConfigurationException"
    default_message = "The Versioning element must be specified"


class BucketAlreadyExists(S3Error):
    code = "BucketAlreadyExists"
    status = 409
    default_message = (
        "The requested bucket name is not available. The bucket namespace is shared by all users"
        " of the system. Please select a different name and try again."
    )


class BucketAlreadyOwnedByYou(S3Error):
    code = "BucketAlreadyOwnedByYou"
    status = 409
    default_message = "Your previous request to create the named bucket succeeded and you already own it."


class BucketNotEmpty(S3Error):
    code = "BucketNotEmpty"
    status = 409
    default_message = "The bucket you tried to delete is not empty"


class InvalidBucketName(S3Error):
    code = "InvalidBucketName"
    default_message = "The specified bucket is not valid."


class InvalidRange(S3Error):
    code = "InvalidRange"
    status = 416
    default_message = "The requested range is not satisfiable"


class InvalidPartNumber(S3Error):
    # GetObject or HeadObject ?partNumber past the object's last part: recorded from AWS
    # (LocalStack's test_s3 snapshot, test_get_object_part), with ActualPartCount and
    # PartNumberRequested.
    code = "InvalidPartNumber"
    status = 416
    default_message = "The requested partnumber is not satisfiable"


class MalformedXML(S3Error):
    code = "MalformedXML"
    default_message = "The XML you provided was not well-formed or did not validate against our published schema"


class InvalidArgument(S3Error):
    code = "InvalidArgument"
    default_message = "Invalid Argument"


class InvalidBucketOwnerAWSAccountID(S3Error):
    """S3: an expected bucket owner that is not an account ID (``services/s3/expected_owner.py``)."""

    code = "InvalidBucketOwnerAWSAccountID"


class InvalidRequest(S3Error):
    code = "InvalidRequest"
    default_message = "Invalid Request"


class InvalidURI(S3Error):
    code = "InvalidURI"
    default_message = "Couldn't parse the specified URI."


class NoSuchUpload(S3Error):
    code = "NoSuchUpload"
    status = 404
    default_message = (
        "The specified upload does not exist. The upload ID may be invalid, or the upload may have been"
        " aborted or completed."
    )


class InvalidPart(S3Error):
    code = "InvalidPart"
    default_message = (
        "One or more of the specified parts could not be found.  The part may not have been uploaded,"
        " or the specified entity tag may not match the part's entity tag."
    )


class InvalidPartOrder(S3Error):
    code = "InvalidPartOrder"
    default_message = "The list of parts was not in ascending order. Parts must be ordered by part number."


class EntityTooSmall(S3Error):
    code = "EntityTooSmall"
    default_message = "Your proposed upload is smaller than the minimum allowed size"


class EntityTooLarge(S3Error):
    code = "EntityTooLarge"
    default_message = "Your proposed upload exceeds the maximum allowed size"


class InvalidPolicyDocument(S3Error):
    """A POST upload's policy S3 cannot read (``auth/post_policy.py``)."""

    code = "InvalidPolicyDocument"


class MaxPostPreDataLengthExceeded(S3Error):
    code = "MaxPostPreDataLengthExceeded"
    default_message = "Your POST request fields preceding the upload file were too large."


class PreconditionFailed(S3Error):
    code = "PreconditionFailed"
    status = 412
    default_message = "At least one of the pre-conditions you specified did not hold"


class ConditionalRequestConflict(S3Error):
    """S3, 409: a conditional write lost to a write or delete that happened meanwhile
    (CompleteMultipartUpload and PutObject references; Message and Condition and Key
    members recorded from AWS, LocalStack's test_s3_api snapshot)."""

    code = "ConditionalRequestConflict"
    status = 409
    default_message = "The conditional request cannot succeed due to a conflicting operation against this resource."


class BadRequest(S3Error):
    """S3's ``BadRequest``, 400: e.g. "Object tags cannot be greater than 10" (observed
    from S3; not on an AWS page)."""

    code = "BadRequest"
    default_message = "Bad Request"


class AccessForbidden(S3Error):
    """S3's answer to a CORS preflight it refuses, 403 (``services/s3/cors.py``)."""

    code = "AccessForbidden"
    status = 403
    default_message = "Forbidden"


class NotModified(S3Error):
    """S3: a GetObject or HeadObject whose If-None-Match or If-Modified-Since does not hold
    answers 304 Not Modified (GetObject and HeadObject in the S3 API Reference). A 304 has
    no body (RFC 7232, section 4.1), so ``code`` never reaches the wire: the protocol
    writes the status and ``headers`` (the ETag and Last-Modified a 200 would have
    carried), and botocore reports it by its status, code "304" and message "Not
    Modified"."""

    code = "NotModified"
    status = 304
    default_message = "Not Modified"

    def __init__(self, headers: tuple[tuple[str, str], ...] = ()) -> None:
        super().__init__()
        self.headers = headers


class MethodNotAllowed(S3Error):
    code = "MethodNotAllowed"
    status = 405
    default_message = "The specified method is not allowed against this resource."


class NoSuchBucketPolicy(S3Error):
    code = "NoSuchBucketPolicy"
    status = 404
    default_message = "The bucket policy does not exist"


class NoSuchTagSet(S3Error):
    code = "NoSuchTagSet"
    status = 404
    default_message = "The TagSet does not exist"


class NoSuchPublicAccessBlockConfiguration(S3Error):
    code = "NoSuchPublicAccessBlockConfiguration"
    status = 404
    default_message = "The public access block configuration was not found"


class OwnershipControlsNotFoundError(S3Error):
    code = "OwnershipControlsNotFoundError"
    status = 404
    default_message = "The bucket ownership controls were not found"


# Bucket configurations iamsandbox never holds, and ACLs disabled by Object Ownership
# BucketOwnerEnforced. Codes and statuses from "Error responses" (S3 API Reference); the
# messages are the ones S3 sends (its page words some of them differently), as quoted in
# the S3 User Guide ("Troubleshooting" under Object Ownership) for the two ACL errors and
# as reproduced by S3 emulators and client logs for the others (unconfirmed from AWS).


class NoSuchCORSConfiguration(S3Error):
    code = "NoSuchCORSConfiguration"
    status = 404
    default_message = "The CORS configuration does not exist"


class NoSuchLifecycleConfiguration(S3Error):
    code = "NoSuchLifecycleConfiguration"
    status = 404
    default_message = "The lifecycle configuration does not exist"


class NoSuchWebsiteConfiguration(S3Error):
    code = "NoSuchWebsiteConfiguration"
    status = 404
    default_message = "The specified bucket does not have a website configuration"


class ObjectLockConfigurationNotFoundError(S3Error):
    code = "ObjectLockConfigurationNotFoundError"
    status = 404
    default_message = "Object Lock configuration does not exist for this bucket"


class ReplicationConfigurationNotFoundError(S3Error):
    """GetBucketReplication of a bucket without one (recorded from AWS: LocalStack's test_s3
    snapshot, TestS3BucketReplication::test_replication_config)."""

    code = "ReplicationConfigurationNotFoundError"
    status = 404
    default_message = "The replication configuration was not found"


class InvalidBucketState(S3Error):
    code = "InvalidBucketState"
    status = 409


class AccessControlListNotSupported(S3Error):
    code = "AccessControlListNotSupported"
    default_message = "The bucket does not allow ACLs"


# An ACL request S3 cannot read: recorded from AWS (LocalStack's test_s3 snapshot,
# test_s3_bucket_acl_exceptions and test_s3_object_acl_exceptions).
class MissingSecurityHeader(S3Error):
    code = "MissingSecurityHeader"
    default_message = "Your request was missing a required header"


class UnexpectedContent(S3Error):
    code = "UnexpectedContent"
    default_message = "This request does not support content"


class MalformedACLError(S3Error):
    code = "MalformedACLError"
    default_message = "The XML you provided was not well-formed or did not validate against our published schema"


class InvalidBucketAclWithObjectOwnership(S3Error):
    code = "InvalidBucketAclWithObjectOwnership"
    default_message = "Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting"


class InvalidBucketAclWithBlockPublicAccessError(S3Error):
    """CreateBucket with a public ACL while Block Public Access is on (services/s3/acl.py);
    botocore's model has no shape for it."""

    code = "InvalidBucketAclWithBlockPublicAccessError"
    default_message = "Bucket cannot have public ACLs set with BlockPublicAccess enabled"


class InvalidObjectState(S3Error):
    """An archived object's bytes asked for before it was restored (services/s3/archived.py)."""

    code = "InvalidObjectState"
    status = 403
    default_message = "The operation is not valid for the object's storage class"


# --- S3 authentication and payload (auth/sigv4.py, auth/chunked.py) ----------------------
# Codes from "Error responses" in the Amazon S3 API Reference; messages as recorded from
# AWS (LocalStack's snapshots) where tests/auth/README.md says so.


class AuthorizationHeaderMalformed(S3Error):
    """S3: the Authorization header is malformed, or signed for another Region (``Region``)."""

    code = "AuthorizationHeaderMalformed"


class AuthorizationQueryParametersError(S3Error):
    """S3: a presigned URL's X-Amz-* parameters are missing or malformed."""

    code = "AuthorizationQueryParametersError"


class XAmzContentSHA256Mismatch(S3Error):
    code = "XAmzContentSHA256Mismatch"
    default_message = "The provided 'x-amz-content-sha256' header does not match what was computed."


class IncompleteBody(S3Error):
    code = "IncompleteBody"
    default_message = "You did not provide the number of bytes specified by the Content-Length HTTP header"


class BadDigest(S3Error):
    code = "BadDigest"


class RequestTimeout(S3Error):
    """The body stopped arriving ("Error responses", S3 API Reference: 400)."""

    code = "RequestTimeout"
    default_message = (
        "Your socket connection to the server was not read from or written to within the timeout period."
        " Idle connections will be closed."
    )


class MissingContentLength(S3Error):
    """A PUT whose body has no length ("Error responses", S3 API Reference: 411 Length Required)."""

    code = "MissingContentLength"
    status = 411
    default_message = "You must provide the Content-Length HTTP header."


class InvalidToken(S3Error):
    """S3: a session token that is not one of ours, was changed, or belongs to another key
    ("Error responses" in the S3 API Reference: InvalidToken, 400). Authentication raises
    it for any service; the query services answer it as an unknown key
    (InvalidClientTokenId, ``auth.dialects``)."""

    code = "InvalidToken"
    default_message = "The provided token is malformed or otherwise invalid."


class InvalidChunkSizeError(S3Error):
    """S3: an aws-chunked chunk other than the last is smaller than 8 KiB ("Transferring
    payload in multiple chunks", sigv4-streaming.html). Code, message, HTTP 403 and the
    Chunk / BadChunkSize members as S3 answers them (quoted in aws/aws-sdk-cpp#2727 and
    versity/versitygw#1683); the error is not in S3's "Error responses" list."""

    code = "InvalidChunkSizeError"
    status = 403
    default_message = "Only the last chunk is allowed to have a size less than 8192 bytes"


class MalformedTrailerError(S3Error):
    """S3's answer to trailing headers of an aws-chunked body that are not as declared: a
    trailer line that is no ``name:value``, one ``x-amz-trailer`` does not name, one it names
    that is not sent (recorded from S3: scality/Arsenal#2596, versity/versitygw#1600, #1626,
    #1690, #1691). Not in botocore's model of S3; raised by ``auth/chunked.py``."""

    code = "MalformedTrailerError"
    default_message = (
        "The request contained trailing data that was not well-formed or did not conform to our published schema."
    )


# --- IAM (codes and statuses from botocore's iam/2010-05-08 model) ------------------------


class EntityAlreadyExists(ServiceError):
    code = "EntityAlreadyExists"
    status = 409


class NoSuchEntity(ServiceError):
    code = "NoSuchEntity"
    status = 404


class DeleteConflict(ServiceError):
    code = "DeleteConflict"
    status = 409


class ConcurrentModification(ServiceError):
    code = "ConcurrentModification"
    status = 409


class EntityTemporarilyUnmodifiable(ServiceError):
    code = "EntityTemporarilyUnmodifiable"
    status = 409


class PasswordPolicyViolation(ServiceError):
    code = "PasswordPolicyViolation"


class InvalidUserType(ServiceError):
    """IAM: "the type of user for the transaction was incorrect" (ChangePassword by the
    root user: the AWS CLI's change-password example)."""

    code = "InvalidUserType"


class InvalidAuthenticationCode(ServiceError):
    code = "InvalidAuthenticationCode"
    status = 403


class PolicyNotAttachable(ServiceError):
    code = "PolicyNotAttachable"


class UnmodifiableEntity(ServiceError):
    code = "UnmodifiableEntity"


# SSH public keys and certificates (UploadSSHPublicKey, UploadSigningCertificate,
# UploadServerCertificate in the IAM API reference); codes and statuses from botocore's model.


class InvalidPublicKey(ServiceError):
    code = "InvalidPublicKey"


class UnrecognizedPublicKeyEncoding(ServiceError):
    code = "UnrecognizedPublicKeyEncoding"


class DuplicateSSHPublicKey(ServiceError):
    code = "DuplicateSSHPublicKey"


class MalformedCertificate(ServiceError):
    code = "MalformedCertificate"


class InvalidCertificate(ServiceError):
    code = "InvalidCertificate"


class DuplicateCertificate(ServiceError):
    code = "DuplicateCertificate"
    status = 409


class KeyPairMismatch(ServiceError):
    code = "KeyPairMismatch"


class ReportNotPresent(ServiceError):
    """GetCredentialReport before any report (botocore's CredentialReportNotPresentException).
    AWS's answer has no Message, recorded (LocalStack's tests/aws/services/iam/
    test_iam_credential_report.snapshot.json, February 2026); the message here is for logs
    and the console."""

    code = "ReportNotPresent"
    status = 410
    message_sent = False


class ReportExpired(ServiceError):
    """GetCredentialReport after the report's four hours (CredentialReportExpiredException)."""

    code = "ReportExpired"
    status = 410


# --- STS (codes and statuses from botocore's sts/2011-06-15 model) ------------------------


class PackedPolicyTooLarge(ServiceError):
    """STS: the session policies and session tags, packed, exceed their allotted space
    (botocore's ``PackedPolicyTooLargeException``, code ``PackedPolicyTooLarge``)."""

    code = "PackedPolicyTooLarge"


class InvalidIdentityToken(ServiceError):
    """STS: the web identity token or SAML response cannot be used: malformed, a bad
    signature, an issuer with no OpenID Connect provider in the role's account (or not the
    SAML provider's), an audience not among the provider's client IDs (botocore's
    ``InvalidIdentityTokenException``)."""

    code = "InvalidIdentityToken"


class ExpiredTokenException(ServiceError):
    """STS: the web identity token is past its ``exp`` (AssumeRoleWithWebIdentity), or the SAML
    response past its NotOnOrAfter (AssumeRoleWithSAML); not to be confused with
    ``ExpiredToken``, the code for expired STS credentials."""

    code = "ExpiredTokenException"


class IDPRejectedClaim(ServiceError):
    """STS: "The identity provider (IdP) reported that authentication failed" (botocore's
    ``IDPRejectedClaimException``): a SAML response whose Status is not Success."""

    code = "IDPRejectedClaim"
    status = 403


class IDPCommunicationError(ServiceError):
    """STS: the identity provider asked to verify the token could not be reached."""

    code = "IDPCommunicationError"


# --- S3 bucket location and digests ("Error responses" in the S3 API reference; messages
# recorded from AWS in LocalStack's test_s3 snapshot) -------------------------------------


class IllegalLocationConstraintException(S3Error):
    code = "IllegalLocationConstraintException"


class InvalidLocationConstraint(S3Error):
    code = "InvalidLocationConstraint"
    default_message = "The specified location-constraint is not valid"


class KmsNotFound(S3Error):
    """S3: an SSE-KMS key id that names no key (services/s3/encryption.py)."""

    code = "KMS.NotFoundException"


class InvalidDigest(S3Error):
    code = "InvalidDigest"
    default_message = "The Content-MD5 you specified was invalid."


class InvalidTag(S3Error):
    """S3: a tag set S3 refuses (messages recorded in LocalStack's test_s3_api snapshot)."""

    code = "InvalidTag"


class KeyTooLongError(S3Error):
    """S3: an object key over 1,024 bytes of UTF-8 ("Error responses", S3 API Reference:
    400; "Naming Amazon S3 objects", S3 User Guide). Members MaxSizeAllowed and Size, as
    LocalStack answers from its recordings of AWS."""

    code = "KeyTooLongError"
    default_message = "Your key is too long"


class MetadataTooLarge(S3Error):
    """S3: user-defined metadata over 2 KB ("Error responses", S3 API Reference: 400;
    "Working with object metadata", S3 User Guide)."""

    code = "MetadataTooLarge"
    default_message = "Your metadata headers exceed the maximum allowed metadata size."


class InvalidRedirectLocation(S3Error):
    """S3: an x-amz-website-redirect-location that is no path or http(s) URL (400; AWS's
    words as aws/aws-cli#1130 quotes them)."""

    code = "InvalidRedirectLocation"
    default_message = "The website redirect location must have a prefix of 'http://' or 'https://' or '/'."


class InvalidStorageClass(S3Error):
    """S3: an x-amz-storage-class S3 does not know ("Error responses", S3 API Reference:
    400). Member StorageClassRequested, as LocalStack answers from its recordings of AWS."""

    code = "InvalidStorageClass"
    default_message = "The storage class you specified is not valid"


class InvalidContextAssertion(ServiceError):
    """STS AssumeRole: "The request was rejected because the context assertion that was
    provided is invalid" (API reference; 400, sender fault as in botocore's sts model)."""

    code = "InvalidContextAssertion"


class OrganizationNotFoundException(ServiceError):
    """IAM's centralized root access operations in an account of no organization ("The
    request was rejected because no organization is associated with your account", botocore's
    iam model; 400, sender fault)."""

    code = "OrganizationNotFoundException"


class ServiceAccessNotEnabledException(ServiceError):
    """IAM's centralized root access operations in an organization whose trusted access for
    IAM is not enabled (botocore's iam model; 400, sender fault). Trusted access
    (EnableAWSServiceAccess) does not exist here, so it is never enabled."""

    code = "ServiceAccessNotEnabledException"


class AccountNotManagementOrDelegatedAdministratorException(ServiceError):
    """IAM's centralized root access operations called by a member account (botocore's iam
    model; 400, sender fault)."""

    code = "AccountNotManagementOrDelegatedAdministratorException"


class InvalidAuthorizationMessageException(ServiceError):
    """STS: the encoded message cannot be decoded (code, 400 and sender fault as in
    botocore's sts model)."""

    code = "InvalidAuthorizationMessageException"


class InvalidTargetBucketForLogging(S3Error):
    """PutBucketLogging: the target bucket does not exist or is another account's ("Error
    responses": 400)."""

    code = "InvalidTargetBucketForLogging"
    default_message = (
        "The target bucket for logging does not exist, is not owned by you, or does not have the appropriate"
        " grants for the log-delivery group."
    )


class CrossLocationLoggingProhibitted(S3Error):
    """PutBucketLogging: the target bucket is in another Region ("Error responses": 403,
    "Cross-location logging not allowed"; the code's spelling is S3's)."""

    code = "CrossLocationLoggingProhibitted"
    status = 403
    default_message = "Cross S3 location logging not allowed. "  # recorded, with its trailing space
