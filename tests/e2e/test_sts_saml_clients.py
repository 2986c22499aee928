"""AssumeRoleWithSAML against a real ``iamsandbox serve``, driven by boto3 (unsigned, as the
SDK sends it: "Calling AssumeRoleWithSAML does not require the use of AWS security
credentials", AssumeRoleWithSAML in the STS API reference) and by the AWS CLI's
``aws sts assume-role-with-saml --role-arn ... --principal-arn ... --saml-assertion ...``
(AWS CLI Command Reference), with an IdP response signed here (``saml_assertion``).

AWS pages: "SAML 2.0 federation" and "Create a role for a third-party identity provider (SAML
2.0 federation)" (IAM User Guide: the trust policy names {"Federated": provider ARN} with
sts:AssumeRoleWithSAML and a SAML:aud condition), "Troubleshoot SAML federation with IAM"
(the refusals' words).
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
from botocore import UNSIGNED
from botocore.config import Config
from botocore.exceptions import ClientError
from e2e_harness import A, Server, _client, aws_cli

from saml_assertion import other_key, signed_response
from saml_metadata import idp_metadata
from shared_boto import shared_client

ISSUER = "https://idp.example.com/saml"
ROLE = "SAMLReaders"
ROLE_ARN = f"arn:aws:iam::{A}:role/{ROLE}"


def _set_up(server: Server) -> tuple[dict[str, str], str]:
    root = server.create_account(A)
    iam = _client(server, "iam", root)
    provider: str = iam.create_saml_provider(Name="ExampleIdP", SAMLMetadataDocument=idp_metadata(ISSUER))[
        "SAMLProviderArn"
    ]
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Federated": provider},
                "Action": "sts:AssumeRoleWithSAML",
                "Condition": {"StringEquals": {"SAML:aud": "https://signin.aws.amazon.com/saml"}},
            }
        ],
    }
    iam.create_role(RoleName=ROLE, AssumeRolePolicyDocument=json.dumps(trust))
    iam.attach_role_policy(RoleName=ROLE, PolicyArn="arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess")
    s3 = _client(server, "s3", root)
    s3.create_bucket(Bucket="saml-bucket")
    s3.put_object(Bucket="saml-bucket", Key="report.csv", Body=b"a,b\n")
    return root, provider


def _session(server: Server, credentials: dict[str, Any], service: str) -> Any:
    keys = {"AccessKeyId": credentials["AccessKeyId"], "SecretAccessKey": credentials["SecretAccessKey"]}
    return _client(server, service, keys, token=credentials["SessionToken"])


def test_boto3_assume_role_with_saml_then_use_the_session(server: Server) -> None:
    """The success path: the session is the role's (GetCallerIdentity), reads S3 as the
    role's AmazonS3ReadOnlyAccess allows and may not write."""
    _root, provider = _set_up(server)
    sts = shared_client("sts", endpoint_url=server.url, config=Config(signature_version=UNSIGNED))
    assertion = signed_response(
        issuer=ISSUER, role_arn=ROLE_ARN, provider_arn=provider, session_name="jane@example.com"
    )
    out = sts.assume_role_with_saml(RoleArn=ROLE_ARN, PrincipalArn=provider, SAMLAssertion=assertion)
    assert out["AssumedRoleUser"]["Arn"] == f"arn:aws:sts::{A}:assumed-role/{ROLE}/jane@example.com"
    assert out["Issuer"] == ISSUER and out["SubjectType"] == "persistent"
    identity = _session(server, out["Credentials"], "sts").get_caller_identity()
    assert identity["Arn"] == f"arn:aws:sts::{A}:assumed-role/{ROLE}/jane@example.com"
    assert identity["Account"] == A
    s3 = _session(server, out["Credentials"], "s3")
    assert s3.get_object(Bucket="saml-bucket", Key="report.csv")["Body"].read() == b"a,b\n"
    with pytest.raises(ClientError) as raised:
        s3.put_object(Bucket="saml-bucket", Key="new", Body=b"x")
    assert raised.value.response["Error"]["Code"] == "AccessDenied"

    # "Error: Response signature invalid (... error code: InvalidIdentityToken)".
    forged = signed_response(issuer=ISSUER, role_arn=ROLE_ARN, provider_arn=provider, key=other_key())
    with pytest.raises(ClientError) as raised:
        sts.assume_role_with_saml(RoleArn=ROLE_ARN, PrincipalArn=provider, SAMLAssertion=forged)
    error = raised.value.response["Error"]
    assert (error["Code"], error["Message"]) == ("InvalidIdentityToken", "Response signature invalid")


def test_aws_cli_assume_role_with_saml(server: Server, tmp_path: Path) -> None:
    root, provider = _set_up(server)
    assertion_file = tmp_path / "assertion.b64"
    assertion_file.write_text(signed_response(issuer=ISSUER, role_arn=ROLE_ARN, provider_arn=provider))

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return aws_cli(server, tmp_path, root, "sts", "assume-role-with-saml", *args)

    done = cli("--role-arn", ROLE_ARN, "--principal-arn", provider, "--saml-assertion", f"file://{assertion_file}")
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["AssumedRoleUser"]["Arn"] == f"arn:aws:sts::{A}:assumed-role/{ROLE}/alice"
    assert out["Audience"] == "https://signin.aws.amazon.com/saml"
    assert _session(server, out["Credentials"], "sts").get_caller_identity()["Arn"].endswith(f"/{ROLE}/alice")

    # "Error: Not authorized to perform sts:AssumeRoleWithSAML (... status code: 403; error
    # code: AccessDenied)": the assertion's Role attribute names another role.
    other = f"arn:aws:iam::{A}:role/Other"
    assertion_file.write_text(
        signed_response(issuer=ISSUER, role_arn=other, provider_arn=provider, role_values=[f"{other},{provider}"])
    )
    refused = cli("--role-arn", ROLE_ARN, "--principal-arn", provider, "--saml-assertion", f"file://{assertion_file}")
    assert refused.returncode != 0
    assert "(AccessDenied)" in refused.stderr and "Not authorized to perform sts:AssumeRoleWithSAML" in refused.stderr
