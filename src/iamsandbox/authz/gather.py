"""The policies that apply to a request, compiled once and cached by what versions them.

- Identity-based policies of a user (its inline policies, its attached managed policies,
  and those of its groups) or of a role (for its sessions): one ``CompiledSet`` per
  identity, cached under the account's ``policy_generation``, which the store bumps with
  every write that can change a decision. A request therefore costs one generation read
  and a dictionary lookup; a change made through any replica moves the generation, so
  every replica gathers again on its next request, and compiles again only the sets whose
  policies (names and texts, ARNs and versions) changed.
- A permissions boundary, a bucket policy, a role's trust policy, session policies: cached
  under their text (and the managed policy versions they name), so identical documents
  compile once.

AWS managed policies come from package data (``services.iam.managed_policies``); customer
managed ones from the store (their default version).

- An account's place in an AWS Organizations organization (``organization``): its service
  control policies and resource control policies, one ``CompiledSet`` per level (the root,
  each OU from the top, the account: "SCP evaluation", Organizations User Guide), and the
  aws:PrincipalOrgID / aws:PrincipalOrgPaths (aws:ResourceOrgID / aws:ResourceOrgPaths) keys
  of its principals (resources), cached under the account's ``policy_generation``, which every
  change to the organization bumps for each of its accounts. An account in no organization
  costs a dictionary lookup.
"""

from __future__ import annotations

import hashlib
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field

from ..policy import CompiledSet, Policy, PolicyKind, PolicyType
from ..policy.cache import CompileCache
from ..policy.parse import parse_grammar
from ..policy.validate import validate
from ..services.iam.managed_policies import ManagedPolicies
from ..store.interface import OrgMembership, Transaction
from . import public

AWS_MANAGED_PREFIX = "arn:aws:iam::aws:policy/"
SCP = "SERVICE_CONTROL_POLICY"
RCP = "RESOURCE_CONTROL_POLICY"


@dataclass(frozen=True, slots=True)
class OrgView:
    """What an account's organization decides: its SCP and RCP levels (None: they do not apply,
    as for an account in no organization, the management account, or a policy type not
    enabled on the root), and the org condition keys of its principals and of its resources."""

    scps: tuple[CompiledSet, ...] | None = None
    rcps: tuple[CompiledSet, ...] | None = None
    principal_keys: Mapping[str, str | list[str]] = field(default_factory=dict)
    resource_keys: Mapping[str, str | list[str]] = field(default_factory=dict)


NO_ORGANIZATION = OrgView()


def policy_levels(
    tx: Transaction, membership: OrgMembership | None, account_id: str, policy_type: str
) -> list[list[tuple[str, str]]] | None:
    """The policies of ``policy_type`` attached to each level of the account's place in its
    organization, root first, then each OU, then the account ((policy id, content) each);
    None when they do not apply: no organization, the type not enabled on the root, or the
    management account ("SCPs don't affect users or roles in the management account", RCPs
    "don't apply to resources in the management account", Organizations User Guide). The
    authorizer and the policy simulator read them here."""
    if (
        membership is None
        or membership.management_account_id == account_id
        or policy_type not in membership.enabled_types
    ):
        return None
    found = tx.org_policy_documents(membership.org_id, membership.path, policy_type)
    return [found.get(target, []) for target in membership.path]


def _digest(*parts: str) -> str:
    hasher = hashlib.sha256()
    for part in parts:
        hasher.update(part.encode("utf-8", "surrogatepass"))
        hasher.update(b"\0")
    return hasher.hexdigest()


class PolicySource:
    """Compiled policy sets for callers and resources; the app owns one."""

    def __init__(self, managed: ManagedPolicies, capacity: int = 8192) -> None:
        self.managed = managed
        self.sets: CompileCache[CompiledSet] = CompileCache(capacity)
        self.parsed: CompileCache[Policy] = CompileCache(capacity)
        self.public: CompileCache[bool] = CompileCache(capacity)
        self.orgs: dict[str, tuple[int, OrgView]] = {}

    def identity(self, tx: Transaction, account_id: str, identity_id: str) -> CompiledSet:
        """The identity-based policies of a user or role, as one set."""
        generation = tx.policy_generation(account_id)
        return self.sets.get(("identity", identity_id, generation), lambda: self._identity(tx, identity_id))

    def _identity(self, tx: Transaction, identity_id: str) -> CompiledSet:
        """Gathered again after the generation moved; compiled again only when what was
        gathered differs (by policy name and text, ARN and version), so a write elsewhere
        in the account keeps this set, with the action index it has built, as it is."""
        found = tx.principal_policies(identity_id)
        inline = [(policy.name, policy.document, _digest(policy.document)) for policy in found.inline]
        managed = self._managed(tx, found.attached_arns)
        key = (
            "identity-content",
            *(f"{name}#{digest}" for name, _document, digest in inline),
            *(f"{arn}@{version}" for arn, version, _policy in managed),
        )

        def build() -> CompiledSet:
            policies: list[tuple[str, Policy]] = [
                (name, self._parse(document, PolicyKind.IDENTITY, (PolicyKind.IDENTITY.name, digest)))
                for name, document, digest in inline
            ]
            policies.extend((arn, policy) for arn, _version, policy in managed)
            return CompiledSet(PolicyType.IDENTITY, policies)

        return self.sets.get(key, build)

    def managed_set(self, tx: Transaction, arns: Sequence[str], policy_type: PolicyType) -> CompiledSet:
        """A set of managed policies by ARN: a permissions boundary, session PolicyArns."""
        found = self._managed(tx, arns)
        key = (policy_type.name, *(f"{arn}@{version}" for arn, version, _policy in found))
        return self.sets.get(key, lambda: CompiledSet(policy_type, [(arn, policy) for arn, _v, policy in found]))

    def document_set(self, policy_id: str, document: str, kind: PolicyKind, policy_type: PolicyType) -> CompiledSet:
        """One policy given as text: a bucket policy, a trust policy, a session policy."""
        # Keyed by the text itself: a str keeps its hash, and the row cache hands out the same
        # str on every request, so a hit costs no digest of the document (a trust policy on
        # every AssumeRole, a bucket policy on every S3 request).
        key = (policy_type.name, policy_id, document)
        return self.sets.get(key, lambda: CompiledSet(policy_type, [(policy_id, self._parse(document, kind))]))

    def is_public(self, document: str) -> bool:
        """Whether a bucket policy is public by S3's rules (``public.py``), cached by text."""
        return self.public.get(document, lambda: public.is_public(self._parse(document, PolicyKind.RESOURCE)))

    def session(self, tx: Transaction, document: str | None, arns: Sequence[str]) -> CompiledSet:
        """Session policies: the inline Policy and the PolicyArns of AssumeRole, as one set."""
        found = self._managed(tx, arns)
        key = ("session", document or "", *(f"{arn}@{version}" for arn, version, _p in found))

        def build() -> CompiledSet:
            policies = [(arn, policy) for arn, _version, policy in found]
            if document is not None:
                policies.append(("Policy", self._parse(document, PolicyKind.SESSION)))
            return CompiledSet(PolicyType.SESSION, policies)

        return self.sets.get(key, build)

    def organization(self, tx: Transaction, account_id: str) -> OrgView:
        """The account's organization, as it bears on authorization (``OrgView``): kept per
        account with the generation it was read at (one entry per account, no lock: on every
        request, two threads that both miss build the same view)."""
        generation = tx.policy_generation(account_id)
        found = self.orgs.get(account_id)
        if found is not None and found[0] == generation:
            return found[1]
        view = self._organization(tx, account_id)
        self.orgs[account_id] = (generation, view)
        return view

    def _organization(self, tx: Transaction, account_id: str) -> OrgView:
        membership = tx.org_membership(account_id)
        if membership is None:
            return NO_ORGANIZATION
        # "o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/ou-ab12-22222222/": the path of the account's
        # parent, from the organization ("aws:PrincipalOrgPaths", "AWS global condition
        # context keys"): the levels but the account itself.
        path = "/".join((membership.org_id, *membership.path[:-1])) + "/"
        principal_keys: dict[str, str | list[str]] = {"aws:PrincipalOrgID": membership.org_id}
        principal_keys["aws:PrincipalOrgPaths"] = [path]
        resource_keys: dict[str, str | list[str]] = {"aws:ResourceOrgID": membership.org_id}
        resource_keys["aws:ResourceOrgPaths"] = [path]
        return OrgView(
            self._levels(tx, membership, account_id, SCP),
            self._levels(tx, membership, account_id, RCP),
            principal_keys,
            resource_keys,
        )

    def _levels(
        self, tx: Transaction, membership: OrgMembership, account_id: str, policy_type: str
    ) -> tuple[CompiledSet, ...] | None:
        """One set per level, root first (a level with no policy of the type allows nothing),
        or None when the type does not apply to the account (``policy_levels``)."""
        levels = policy_levels(tx, membership, account_id, policy_type)
        if levels is None:
            return None
        kind, set_type = (PolicyKind.SCP, PolicyType.SCP) if policy_type == SCP else (PolicyKind.RCP, PolicyType.RCP)
        return tuple(self._level(attached, kind, set_type) for attached in levels)

    def _level(self, attached: Sequence[tuple[str, str]], kind: PolicyKind, set_type: PolicyType) -> CompiledSet:
        """The policies attached to one level (policy id, content), compiled once per content."""
        key = (set_type.name, *(f"{policy_id}#{_digest(content)}" for policy_id, content in attached))
        return self.sets.get(
            key,
            lambda: CompiledSet(set_type, [(policy_id, self._parse(content, kind)) for policy_id, content in attached]),
        )

    def _managed(self, tx: Transaction, arns: Sequence[str]) -> list[tuple[str, str, Policy]]:
        """(ARN, default version tag, parsed document) of each managed policy that exists: the
        tag is AWS's version, or a customer policy's version id with its text's digest."""
        customer = [arn for arn in arns if not arn.startswith(AWS_MANAGED_PREFIX)]
        versions = tx.default_policy_versions(customer) if customer else {}
        out: list[tuple[str, str, Policy]] = []
        for arn in arns:
            if arn.startswith(AWS_MANAGED_PREFIX):
                aws = self.managed.get(arn)
                parsed = self.managed.policy(arn)
                if aws is not None and parsed is not None:
                    out.append((arn, aws.version, parsed))
            elif arn in versions:
                version = versions[arn]
                # The policy's unique id with the version id: a policy deleted and created
                # again under the same name starts again at "v1" with another document, which
                # must not be taken for the old one's (a replica, or this process, kept
                # deciding by it); version ids are never reused within one policy.
                tag = f"{version.policy_id}@{version.version_id}"
                out.append((arn, tag, self._parse(version.document, PolicyKind.IDENTITY, f"{arn}@{tag}")))
        return out

    def _parse(self, document: str, kind: PolicyKind, key: Hashable | None = None) -> Policy:
        """Stored documents were validated when written; parse them without the quota
        check (quotas are enforced on write, per entity) and cache by version or text."""

        def build() -> Policy:
            policy = parse_grammar(document, kind)
            validate(policy, kind, stored=True)
            return policy

        return self.parsed.get(key or (kind.name, _digest(document)), build)
