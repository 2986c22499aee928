"""Browser-based uploads (POST Object) with boto3's generate_presigned_post against a real
server.

AWS pages: "Browser-Based Uploads Using POST (AWS Signature Version 4)" and "Creating a POST
Policy" (S3 API Reference): the policy's expiration and conditions ("Each form field that
you specify in a form (except x-amz-signature, file, policy, and field names that have an
x-ignore- prefix) must appear in the list of conditions"), ${filename}, content-length-range;
POST Object's success_action_status (204 by default, 201 with a PostResponse document) and
success_action_redirect; "Amazon S3 Signature Version 4 Authentication Specific Policy Keys":
s3:authType is POST for these uploads. S3's refusals are AccessDenied "Invalid according to
Policy: ..." (recorded in awsdocs/aws-doc-sdk-examples#5490 and S3 client reports).
"""

from __future__ import annotations

import json
import urllib.request
from typing import Any
from urllib.error import HTTPError
from xml.etree import ElementTree

import pytest
from botocore.config import Config
from e2e_harness import A, Server, _client

from shared_boto import shared_client


def _post(
    url: str, fields: dict[str, str], content: bytes, filename: str | None = "hello.txt"
) -> tuple[int, dict[str, str], bytes]:
    boundary = "----iamsandbox-test-boundary"
    body = b""
    for name, value in fields.items():
        body += f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
    body += (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"'
            + (f'; filename="{filename}"' if filename is not None else "")
            + "\r\n"
            "Content-Type: text/plain\r\n\r\n"
        ).encode()
        + content
        + f"\r\n--{boundary}--\r\n".encode()
    )
    request = urllib.request.Request(
        url, data=body, method="POST", headers={"Content-Type": f"multipart/form-data; boundary={boundary}"}
    )

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: Any) -> None:
            return None

    try:
        with urllib.request.build_opener(NoRedirect).open(request) as response:
            return response.status, {k.lower(): v for k, v in response.headers.items()}, response.read()
    except HTTPError as error:
        return error.code, {k.lower(): v for k, v in error.headers.items()}, error.read()


def _error(body: bytes) -> tuple[str, str]:
    root = ElementTree.fromstring(body)
    return root.findtext("Code") or "", root.findtext("Message") or ""


def _uploader(server: Server) -> tuple[Any, Any]:
    """The bucket owner's S3 client, and one of a user who may put objects under uploads/."""
    root = server.create_account(A)
    s3_root = _client(server, "s3", root)
    s3_root.create_bucket(Bucket="inbox")
    iam = _client(server, "iam", root)
    iam.create_user(UserName="web")
    allow = {"Effect": "Allow", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::inbox/uploads/*"}
    iam.put_user_policy(
        UserName="web", PolicyName="up", PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [allow]})
    )
    return s3_root, _client(server, "s3", iam.create_access_key(UserName="web")["AccessKey"])


def test_presigned_post_uploads_the_file(server: Server) -> None:
    s3_root, s3 = _uploader(server)
    post = s3.generate_presigned_post(
        "inbox",
        "uploads/${filename}",
        Fields={"success_action_status": "201", "Content-Type": "text/plain"},
        Conditions=[
            ["starts-with", "$key", "uploads/"],
            {"success_action_status": "201"},
            ["eq", "$Content-Type", "text/plain"],
            ["content-length-range", 1, 100],
        ],
    )
    status, headers, body = _post(post["url"], post["fields"], b"hello\n")
    assert status == 201, body
    answer = ElementTree.fromstring(body)
    assert answer.tag == "PostResponse"
    assert answer.findtext("Bucket") == "inbox" and answer.findtext("Key") == "uploads/hello.txt"
    got = s3_root.get_object(Bucket="inbox", Key="uploads/hello.txt")
    assert got["Body"].read() == b"hello\n" and got["ContentType"] == "text/plain"
    assert answer.findtext("ETag") == got["ETag"] == headers["etag"]

    # The default answer: 204, no body, the object's ETag and Location.
    plain = s3.generate_presigned_post("inbox", "uploads/plain.txt")
    status, headers, body = _post(plain["url"], plain["fields"], b"x")
    assert (status, body) == (204, b"")
    assert headers["location"].endswith("/inbox/uploads/plain.txt") and headers["etag"].startswith('"')


def test_the_policy_decides(server: Server) -> None:
    _s3_root, s3 = _uploader(server)
    post = s3.generate_presigned_post("inbox", "uploads/a.txt", Conditions=[["content-length-range", 1, 4]])
    fields = post["fields"]
    cases = [
        (
            {**fields, "key": "uploads/b.txt"},
            b"x",
            403,
            "AccessDenied",
            "Invalid according to Policy: Policy Condition failed: ",
        ),
        ({**fields, "x-foo": "1"}, b"x", 403, "AccessDenied", "Invalid according to Policy: Extra input fields: x-foo"),
        (fields, b"too large", 400, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed size"),
        (
            {**fields, "signature": "A" * 28},
            b"x",
            403,
            "SignatureDoesNotMatch",
            "The request signature we calculated",
        ),
    ]
    for form, content, status, code, message in cases:
        got_status, _headers, body = _post(post["url"], form, content)
        assert got_status == status, body
        assert _error(body)[0] == code and _error(body)[1].startswith(message), body
    # An x-ignore- field needs no condition.
    assert _post(post["url"], {**fields, "x-ignore-note": "1"}, b"x")[0] == 204

    expired = s3.generate_presigned_post("inbox", "uploads/late.txt", ExpiresIn=0)
    status, _headers, body = _post(expired["url"], expired["fields"], b"x")
    assert (status, _error(body)) == (403, ("AccessDenied", "Invalid according to Policy: Policy expired."))


def test_uploads_are_authorized_as_put_object_with_auth_type_post(server: Server) -> None:
    s3_root, s3 = _uploader(server)
    outside = s3.generate_presigned_post("inbox", "elsewhere/x.txt")
    status, _headers, body = _post(outside["url"], outside["fields"], b"x")
    assert status == 403 and _error(body) == (
        "AccessDenied",
        f"User: arn:aws:iam::{A}:user/web is not authorized to perform: s3:PutObject on resource: "
        '"arn:aws:s3:::inbox/elsewhere/x.txt" because no identity-based policy allows the s3:PutObject action',
    )
    # A bucket policy may refuse form uploads by s3:authType.
    s3_root.put_bucket_policy(
        Bucket="inbox",
        Policy=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Deny",
                        "Principal": "*",
                        "Action": "s3:PutObject",
                        "Resource": "arn:aws:s3:::inbox/*",
                        "Condition": {"StringEquals": {"s3:authType": "POST"}},
                    }
                ],
            }
        ),
    )
    post = s3.generate_presigned_post("inbox", "uploads/x.txt")
    status, _headers, body = _post(post["url"], post["fields"], b"x")
    assert status == 403 and "explicit deny in a resource-based policy" in _error(body)[1]
    s3.put_object(Bucket="inbox", Key="uploads/x.txt", Body=b"x")  # a signed PUT is REST-HEADER


def test_a_role_session_signs_with_its_token(server: Server) -> None:
    s3_root, _s3 = _uploader(server)
    iam = _client(server, "iam", server.roots[A])
    trust = {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{A}:root"}, "Action": "sts:AssumeRole"}
    iam.create_role(
        RoleName="uploader", AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [trust]})
    )
    iam.attach_role_policy(RoleName="uploader", PolicyArn="arn:aws:iam::aws:policy/AmazonS3FullAccess")
    iam.create_user(UserName="assumer")
    assume = {"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": f"arn:aws:iam::{A}:role/uploader"}
    iam.put_user_policy(
        UserName="assumer", PolicyName="a", PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [assume]})
    )
    assumer = iam.create_access_key(UserName="assumer")["AccessKey"]
    credentials = _client(server, "sts", assumer).assume_role(
        RoleArn=f"arn:aws:iam::{A}:role/uploader", RoleSessionName="web"
    )["Credentials"]
    keys = {"AccessKeyId": credentials["AccessKeyId"], "SecretAccessKey": credentials["SecretAccessKey"]}
    s3 = _client(server, "s3", keys, credentials["SessionToken"])
    post = s3.generate_presigned_post("inbox", "by-role.txt")
    assert "x-amz-security-token" in post["fields"]
    assert _post(post["url"], post["fields"], b"r")[0] == 204
    assert s3_root.get_object(Bucket="inbox", Key="by-role.txt")["Body"].read() == b"r"
    tampered = {**post["fields"], "x-amz-security-token": post["fields"]["x-amz-security-token"][:-4] + "AAAA"}
    status, _headers, body = _post(post["url"], tampered, b"r")
    assert status == 400 and _error(body)[0] == "InvalidToken", body  # as S3 answers a bad token


def test_a_signature_version_4_form(server: Server) -> None:
    # boto3 signs the form with SigV4 when the client is configured so (s3v4): x-amz-algorithm,
    # x-amz-credential, x-amz-date and x-amz-signature, the hex HMAC-SHA256 of the base64
    # policy with the scope's signing key.
    s3_root, _s3 = _uploader(server)
    iam = _client(server, "iam", server.roots[A])
    keys = iam.create_access_key(UserName="web")["AccessKey"]
    s3 = _client(server, "s3", keys, signature_version="s3v4")
    post = s3.generate_presigned_post("inbox", "uploads/v4.txt")
    assert post["fields"]["x-amz-algorithm"] == "AWS4-HMAC-SHA256"
    assert _post(post["url"], post["fields"], b"4")[0] == 204
    assert s3_root.get_object(Bucket="inbox", Key="uploads/v4.txt")["Body"].read() == b"4"
    status, _headers, body = _post(post["url"], {**post["fields"], "x-amz-signature": "0" * 64}, b"4")
    assert (status, _error(body)[0]) == (403, "SignatureDoesNotMatch")
    # S3 names the key and what it signed, the policy (recorded from AWS: LocalStack's
    # test_s3 snapshot, TestS3PresignedPost); the signature sent is not echoed here.
    root = ElementTree.fromstring(body)
    assert root.findtext("AWSAccessKeyId") == keys["AccessKeyId"]
    assert root.findtext("StringToSign") == post["fields"]["policy"]
    assert root.findtext("StringToSignBytes") and root.find("SignatureProvided") is None
    missing = {name: value for name, value in post["fields"].items() if name != "x-amz-date"}
    status, _headers, body = _post(post["url"], missing, b"4")
    assert (status, _error(body)[0]) == (400, "InvalidArgument")


def test_forms_that_do_not_fit_a_request_get_s3_errors(server: Server) -> None:
    s3_root, s3 = _uploader(server)

    def post(key: str, fields: dict[str, str], content: bytes = b"x", filename: str = "f.txt") -> Any:
        conditions: list[Any] = [["starts-with", f"${name}", ""] for name in fields]
        form = s3.generate_presigned_post("inbox", key, Fields=fields, Conditions=conditions)
        return _post(form["url"], form["fields"], content, filename)

    # An empty key is no object (it would name the bucket): "User key must have a length
    # greater than 0." (also when ${filename} is empty).
    for key, filename in (("", "f.txt"), ("${filename}", "")):
        status, _headers, body = post(key, {}, filename=filename)
        assert (status, _error(body)) == (400, ("InvalidArgument", "User key must have a length greater than 0."))
    # "${filename} ... is recognized by all form fields. If the browser or client provides a
    # full or partial path to the file, only the text following the last slash (/) or
    # backslash (\) will be used" (HTTP POST forms, S3 User Guide).
    assert post("uploads/${filename}", {"x-amz-meta-orig": "${filename}"}, filename="C:\\dir\\a.txt")[0] == 204
    stored = s3_root.head_object(Bucket="inbox", Key="uploads/a.txt")
    assert stored["Metadata"] == {"orig": "a.txt"}
    # Content-MD5: "Amazon S3 checks the object against the provided MD5 value".
    status, _headers, body = post("uploads/md5", {"Content-MD5": "1B2M2Y8AsgTpgAmY7PhCfg=="}, b"hello")
    assert (status, _error(body)[0]) == (400, "BadDigest")
    # A line break cannot go into the header a field stands for; a redirect S3 cannot read
    # is ignored ("If Amazon S3 cannot interpret the URL, it ignores the
    # success_action_redirect field").
    status, _headers, body = post("uploads/crlf", {"Content-Type": "text/plain\r\nX-Evil: 1"})
    assert (status, _error(body)[0]) == (400, "InvalidArgument")
    assert post("uploads/redirect", {"success_action_redirect": "http://x/\r\nSet-Cookie: a=b"})[0] == 204
    # Text beyond ASCII goes in as a PUT's header would carry it, and reads back without a fault.
    assert post("uploads/utf8", {"x-amz-meta-u": "ü✓"})[0] == 204
    assert s3_root.head_object(Bucket="inbox", Key="uploads/utf8")["ResponseMetadata"]["HTTPStatusCode"] == 200


def test_a_bucket_post_that_is_no_form(server: Server) -> None:
    _s3_root, _s3 = _uploader(server)
    request = urllib.request.Request(
        f"{server.url}/inbox", data=b"a=b", method="POST", headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    with pytest.raises(HTTPError) as raised:
        urllib.request.urlopen(request)
    error = ElementTree.fromstring(raised.value.read())
    # Recorded from S3 (benjreinhart/react-native-aws3#26).
    assert raised.value.code == 412 and error.findtext("Code") == "PreconditionFailed"
    assert error.findtext("Condition") == "Bucket POST must be of the enclosure-type multipart/form-data"


def test_fields_that_are_no_put_object_header_are_refused(server: Server) -> None:
    # A field becomes the PutObject header of its name: a name that is no HTTP token, or
    # another operation's header (a copy source), cannot be one.
    _s3_root, s3 = _uploader(server)
    for name in ("x-amz-meta-a b", "x-amz-meta-日本", "x-amz-copy-source"):
        form = s3.generate_presigned_post("inbox", "uploads/odd", Fields={name: "v"}, Conditions=[{name: "v"}])
        status, _headers, body = _post(form["url"], form["fields"], b"x")
        assert (status, _error(body)[0]) == (400, "InvalidArgument"), name
    # A file whose bytes look like a query API's form is still an upload.
    plain = s3.generate_presigned_post("inbox", "uploads/query-like")
    assert _post(plain["url"], plain["fields"], b"Action=GetCallerIdentity&Version=2011-06-15&")[0] == 204


def test_a_form_signed_for_another_region(server: Server) -> None:
    # A SigV4 form's credential scope names the bucket's Region, as a header's does.
    root = server.create_account(A)
    europe = shared_client(
        "s3",
        endpoint_url=server.url,
        region_name="eu-west-1",
        aws_access_key_id=root["AccessKeyId"],
        aws_secret_access_key=root["SecretAccessKey"],
        config=Config(signature_version="s3v4"),
    )
    europe.create_bucket(Bucket="in-europe", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    form = europe.generate_presigned_post("in-europe", "k")
    assert "/eu-west-1/s3/" in form["fields"]["x-amz-credential"]
    assert _post(form["url"], form["fields"], b"x")[0] == 204


def test_forms_and_conditions_as_s3_recorded_them(server: Server) -> None:
    # Recorded from AWS (LocalStack's test_s3 snapshot: test_post_request_missing_fields,
    # test_post_object_policy_validation_size, test_post_object_policy_conditions_validation_eq).
    s3_root, s3 = _uploader(server)
    form = s3.generate_presigned_post("inbox", "uploads/a")
    # A policy and no signing field at all: an anonymous upload, refused as such.
    anonymous = {name: value for name, value in form["fields"].items() if name in ("key", "policy")}
    status, _headers, body = _post(form["url"], anonymous, b"x")
    assert (status, _error(body)) == (403, ("AccessDenied", "Access Denied"))
    # A SigV4 form without x-amz-signature: S3 names the field 'X-Amz-Signature', with an
    # empty ArgumentValue.
    keys = _client(server, "iam", server.roots[A]).create_access_key(UserName="web")["AccessKey"]
    form4 = _client(server, "s3", keys, signature_version="s3v4").generate_presigned_post("inbox", "uploads/b")
    fields = {name: value for name, value in form4["fields"].items() if name != "x-amz-signature"}
    status, _headers, body = _post(form4["url"], fields, b"x")
    root = ElementTree.fromstring(body)
    assert status == 400 and root.findtext("ArgumentName") == "X-Amz-Signature"
    assert root.find("ArgumentValue") is not None and not root.findtext("ArgumentValue")
    assert _error(body)[1] == (
        "Bucket POST must contain a field named 'X-Amz-Signature'.  If it is specified, please check the order of "
        "the fields."
    )
    # A file part without a file name leaves ${filename} as written (test_post_object_with_file_as_string).
    form = s3.generate_presigned_post("inbox", "uploads/file-as-field-${filename}")
    assert _post(form["url"], form["fields"], b"x", filename=None)[0] == 204
    assert s3_root.head_object(Bucket="inbox", Key="uploads/file-as-field-${filename}")["ContentLength"] == 1
    # Conditions S3 reads but no form meets: 403 "Policy Condition failed"; an object
    # condition of two properties is an invalid document.
    for condition in (["content-length-range", "test", "10"], ["eq", "success_action_redirect", "http://x/"]):
        form = s3.generate_presigned_post("inbox", "uploads/c", Conditions=[condition])
        status, _headers, body = _post(form["url"], form["fields"], b"x")
        assert (status, _error(body)) == (
            403,
            ("AccessDenied", f"Invalid according to Policy: Policy Condition failed: {json.dumps(condition)}"),
        )
    form = s3.generate_presigned_post("inbox", "uploads/d", Conditions=[{"acl": "private", "bucket": "inbox"}])
    status, _headers, body = _post(form["url"], form["fields"], b"x")
    assert (status, _error(body)) == (
        400,
        (
            "InvalidPolicyDocument",
            "Invalid Policy: Invalid Simple-Condition: Simple-Conditions must have exactly one property specified.",
        ),
    )


def test_form_metadata_is_kept_as_written_then_encoded(server: Server) -> None:
    # Recorded from AWS (LocalStack's test_s3 snapshot, test_post_object_with_unicode_metadata):
    # a form's x-amz-meta-* fields are not decoded as a header's are ("=?UTF-8?B?YWJj?=" and
    # "=?UTF-8?Q?actually-ascii?=" stay), and one beyond US-ASCII is kept RFC 2047-encoded.
    s3_root, s3 = _uploader(server)
    fields = {
        "x-amz-meta-b-encoded": "=?UTF-8?B?YWJj?=",
        "x-amz-meta-q-encoded": "=?UTF-8?Q?actually-ascii?=",
        "x-amz-meta-nonascii": "ÄMÄZÕÑ S3",
        "x-amz-meta-nonascii-2": "test_—_file%E2%80%94_é_2👑.pdf",
    }
    post = s3.generate_presigned_post(
        "inbox", "uploads/unicode.txt", Fields=fields, Conditions=[{name: value} for name, value in fields.items()]
    )
    status, _headers, body = _post(post["url"], post["fields"], b"x")
    assert status == 204, body
    assert s3_root.head_object(Bucket="inbox", Key="uploads/unicode.txt")["Metadata"] == {
        "b-encoded": "=?UTF-8?B?YWJj?=",
        "q-encoded": "=?UTF-8?Q?actually-ascii?=",
        "nonascii": "=?UTF-8?Q?=C3=84M=C3=84Z=C3=95=C3=91_S3?=",
        "nonascii-2": "=?UTF-8?Q?test=5F=E2=80=94=5Ffile%E2%80%94=5F=C3=A9=5F2=F0=9F=91=91.pdf?=",
    }
