"""The checks of IAM Access Analyzer's policy validation that ``validate_policy`` makes:
each issue code's finding type, title and ``findingDetails``, as "IAM policy validation
check reference" gives them
(https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html),
and the page's anchors. Data only; the checks themselves are in ``validate_policy``."""

from __future__ import annotations

PAGE = "https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html"
BEST_PRACTICES = "https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html"
# The page's anchor prefix of each finding type.
GROUPS = {
    "ERROR": "error",
    "SECURITY_WARNING": "security-warning",
    "WARNING": "general-warning",
    "SUGGESTION": "suggestion",
}

# The checks: issue code -> (finding type, title, findingDetails), all from the page.
CHECKS: dict[str, tuple[str, str, str]] = {
    "JSON_SYNTAX_ERROR": (
        "ERROR",
        "Json syntax error",
        "Fix the JSON syntax error at index {index} line {line} column {column}.",
    ),
    "INVALID_POLICY_ELEMENT": ("ERROR", "Invalid policy element", "The policy element {element} is not valid."),
    "INVALID_VERSION": (
        "ERROR",
        "Invalid version",
        "The version {version} is not valid. Use one of the following versions: {versions}",
    ),
    "MISSING_VERSION": (
        "WARNING",
        "Missing version",
        "We recommend that you specify the Version element to help you with debugging permission issues.",
    ),
    "MISSING_STATEMENT": ("ERROR", "Missing statement", "Add a statement to the policy"),
    "DATA_TYPE_MISMATCH": (
        "ERROR",
        "Data type mismatch",
        "The text does not match the expected JSON data type {data_type}.",
    ),
    "MISSING_EFFECT": (
        "ERROR",
        "Missing effect",
        "Add an Effect element to the policy statement with a value of Allow or Deny.",
    ),
    "INVALID_EFFECT": ("ERROR", "Invalid effect", "The effect {effect} is not valid. Use Allow or Deny."),
    "MISSING_ACTION": ("ERROR", "Missing action", "Add an Action or NotAction element to the policy statement."),
    "MISSING_RESOURCE": (
        "ERROR",
        "Missing resource",
        "Add a Resource or NotResource element to the policy statement.",
    ),
    "MISSING_PRINCIPAL": ("ERROR", "Missing principal", "Add a Principal element to the policy statement."),
    "UNSUPPORTED_ELEMENT_COMBINATION": (
        "ERROR",
        "Unsupported element combination",
        "The policy elements {element1} and {element2} can not be used in the same statement. "
        "Remove one of these elements.",
    ),
    "UNSUPPORTED_PRINCIPAL": (
        "ERROR",
        "Unsupported principal",
        "The policy type {policy_type} does not support the Principal element. Remove the Principal element.",
    ),
    "INVALID_PRINCIPAL_KEY": ("ERROR", "Invalid principal key", "The principal key {principal_key} is not valid."),
    "INVALID_PRINCIPAL_FORMAT": (
        "ERROR",
        "Invalid principal format",
        "The Principal element contents are not valid. Specify a key-value pair in the Principal element.",
    ),
    "ROLE_TRUST_POLICY_SYNTAX_ERROR_NOTPRINCIPAL": (
        "ERROR",
        "Role trust policy syntax error notprincipal",
        "Role trust policies do not support NotPrincipal. Update the policy to use a Principal element instead.",
    ),
    "ROLE_TRUST_POLICY_UNSUPPORTED_WILDCARD_IN_PRINCIPAL": (
        "ERROR",
        "Role trust policy unsupported wildcard in principal",
        '"Principal:" "*" is not supported in the principal element of a role trust policy. '
        "Replace the wildcard with a valid principal value.",
    ),
    "ROLE_TRUST_POLICY_SYNTAX_ERROR_RESOURCE": (
        "ERROR",
        "Role trust policy syntax error resource",
        "Role trust policies apply to the role that they are attached to. You cannot specify a resource. "
        "Remove the Resource or NotResource element.",
    ),
    "SCP_SYNTAX_ERROR_PRINCIPAL": (
        "ERROR",
        "SCP syntax error principal",
        "SCPs do not support specifying principals. Remove the Principal or NotPrincipal element.",
    ),
    "RCP_SYNTAX_ERROR_PRINCIPAL": (
        "ERROR",
        "RCP syntax error principal",
        'The Principal element contents are not valid. RCPs only support specifying all principals ("*") in '
        "the Principal element. The NotPrincipal element is not supported for RCPs.",
    ),
    "RCP_SYNTAX_ERROR_ALLOW": (
        "ERROR",
        "RCP syntax error allow",
        'RCPs only support specifying all principals ("*") in the Principal element, all resources ("*") in '
        "the Resource element, and no Condition element with an effect of Allow.",
    ),
    "RCP_SYNTAX_ERROR_NOTACTION": (
        "ERROR",
        "RCP syntax error NotAction",
        "RCPs do not support the NotAction element. Update to use the Action element.",
    ),
    "UNIQUE_SIDS_REQUIRED": (
        "ERROR",
        "Unique Sids required",
        "Duplicate statement IDs are not supported for this policy type. Update the Sid value.",
    ),
    "UNSUPPORTED_SID": (
        "ERROR",
        "Unsupported Sid",
        "Update the characters in the Sid element to use one of the following character types: [a-z, A-Z, 0-9]",
    ),
    "INVALID_ACTION": ("ERROR", "Invalid action", "The action {action} does not exist.{suggestion}"),
    "INVALID_SERVICE_IN_ACTION": (
        "ERROR",
        "Invalid service in action",
        "The service {service} specified in the action does not exist.{suggestion}",
    ),
    "INVALID_SERVICE": ("ERROR", "Invalid service", "The service {service} does not exist. Use a valid service name."),
    "INVALID_GLOBAL_CONDITION_KEY": (
        "ERROR",
        "Invalid global condition key",
        "The condition key {key} does not exist. Use a valid condition key.",
    ),
    "INVALID_SERVICE_CONDITION_KEY": (
        "ERROR",
        "Invalid service condition key",
        "The condition key {key} does not exist in the service {service}. Use a valid condition key.",
    ),
    "INVALID_CONDITION_KEY_FORMAT": (
        "ERROR",
        "Invalid condition key format",
        "The condition key format is not valid. Use the format service:keyname.",
    ),
    "UNSUPPORTED_GLOBAL_CONDITION_KEY": (
        "ERROR",
        "Unsupported global condition key",
        "The condition key aws:ARN is not supported. Use aws:PrincipalArn or aws:SourceArn instead.",
    ),
    "UNSUPPORTED_ACTION_FOR_CONDITION_KEY": (
        "ERROR",
        "Unsupported action for condition key",
        "The following actions: {actions} are not supported by the condition key {key}. The condition will not "
        "be evaluated for these actions. We recommend that you move these actions to a different statement "
        "without this condition key.",
    ),
    "INVALID_CONDITION_OPERATOR": (
        "ERROR",
        "Invalid condition operator",
        "The condition operator {operator} is not valid. Use a valid condition operator.",
    ),
    "NULL_WITH_IF_EXISTS": (
        "ERROR",
        "Null with if exists",
        "The Null condition operator cannot be used with the IfExists suffix. Update the operator or the suffix.",
    ),
    "DUPLICATE_KEYS_WITH_DIFFERENT_CASE": (
        "ERROR",
        "Duplicate keys with different case",
        "The condition key {key} appears more than once with different capitalization in the same condition "
        "block. Remove the duplicate condition keys.",
    ),
    "POLICY_SIZE_EXCEEDS_SCP_QUOTA": (
        "ERROR",
        "Policy size exceeds SCP quota",
        "The {size} characters in the service control policy (SCP) exceed the {quota} character maximum for "
        "SCPs. We recommend that you use multiple granular policies.",
    ),
    "POLICY_SIZE_EXCEEDS_RCP_QUOTA": (
        "ERROR",
        "Policy size exceeds RCP quota",
        "The {size} characters in the resource control policy (RCP) exceed the {quota} character maximum for "
        "RCPs. We recommend that you use multiple granular policies.",
    ),
    "POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA": (
        "WARNING",
        "Policy size exceeds identity policy quota",
        "The {size} characters in the identity policy, excluding whitespace, exceed the {quota} character "
        "maximum for inline and managed policies. We recommend that you use multiple granular policies.",
    ),
    "POLICY_SIZE_EXCEEDS_RESOURCE_POLICY_QUOTA": (
        "WARNING",
        "Policy size exceeds resource policy quota",
        "The {size} characters in the resource policy exceed the {quota} character maximum for resource "
        "policies. We recommend that you use multiple granular policies.",
    ),
    "POLICY_SIZE_EXCEEDS_ROLE_TRUST_POLICY_QUOTA": (
        "WARNING",
        "Policy size exceeds role trust policy quota",
        "The characters in the role trust policy, excluding whitespace, exceed the character maximum. We "
        "recommend that you request a role trust policy length quota increase using Service Quotas and AWS "
        "Support Center. If the quotas have already been increased, then you can ignore this warning.",
    ),
    "ALLOW_WITH_NOT_PRINCIPAL": (
        "SECURITY_WARNING",
        "Allow with NotPrincipal",
        "Using Allow with NotPrincipal can be overly permissive. We recommend that you use Principal instead.",
    ),
    "EMPTY_ARRAY_ACTION": (
        "SUGGESTION",
        "Empty array action",
        "This statement includes no actions and does not affect the policy. Specify actions.",
    ),
    "EMPTY_ARRAY_RESOURCE": (
        "SUGGESTION",
        "Empty array resource",
        "This statement includes no resources and does not affect the policy. Specify resources.",
    ),
    "EMPTY_ARRAY_PRINCIPAL": (
        "SUGGESTION",
        "Empty array principal",
        "This statement includes no principals and does not affect the policy. Specify principals.",
    ),
    "EMPTY_OBJECT_PRINCIPAL": (
        "SUGGESTION",
        "Empty object principal",
        "This statement includes no principals and does not affect the policy. Specify principals.",
    ),
    "EMPTY_OBJECT_CONDITION": (
        "SUGGESTION",
        "Empty object condition",
        "This condition block is empty and it does not affect the policy. Specify conditions.",
    ),
    "EMPTY_ARRAY_CONDITION": (
        "SUGGESTION",
        "Empty array condition",
        "There are no values for the condition key {key} and it does not affect the policy. Specify conditions.",
    ),
    "EMPTY_ARRAY_CONDITION_FORALLVALUES": (
        "SUGGESTION",
        "Empty array condition ForAllValues",
        "The ForAllValues prefix with an empty condition key matches only if the key {key} is missing from the "
        "request context. To determine if the request context is empty, we recommend that you use the Null "
        "condition operator with the value of true instead.",
    ),
    "EMPTY_ARRAY_CONDITION_FORANYVALUE": (
        "SUGGESTION",
        "Empty array condition ForAnyValue",
        "The ForAnyValue prefix with an empty condition key {key} never matches the request context and it does "
        "not affect the policy. Specify conditions.",
    ),
    "EMPTY_ARRAY_CONDITION_IFEXISTS": (
        "SUGGESTION",
        "Empty array condition IfExists",
        "The IfExists suffix with an empty condition key matches only if the key {key} is missing from the "
        "request context. To determine if the request context is empty, we recommend that you use the Null "
        "condition operator with the value of true instead.",
    ),
    "EMPTY_SID_VALUE": ("SUGGESTION", "Empty Sid value", "Add a value to the empty string in the Sid element."),
    # iamsandbox's own (no near check on the page): see the module docstring.
    "PUBLIC_PRINCIPAL": (
        "SECURITY_WARNING",
        "Public principal (iamsandbox)",
        'The statement allows any principal ("*") without a condition.',
    ),
    "ALLOW_WITH_NOT_ACTION": (
        "SECURITY_WARNING",
        "Allow with NotAction (iamsandbox)",
        "The statement uses NotAction with Allow: it allows every action not listed, including actions AWS adds later.",
    ),
}
OWN_CHECKS = ("PUBLIC_PRINCIPAL", "ALLOW_WITH_NOT_ACTION")

# Grants of iam:PassRole (SECURITY_WARNING) and iam:CreateServiceLinkedRole (WARNING), by
# how the statement reaches the action (by name, by a wildcard, by NotAction) and which
# resources (a wildcard, NotResource).
GRANTS = {
    ("iam:PassRole", "action", "not_resource"): (
        "PASS_ROLE_WITH_NOT_RESOURCE",
        "Pass role with NotResource",
        "Using the iam:PassRole action with NotResource can be overly permissive because it can allow "
        "iam:PassRole permissions on multiple resources. We recommend that you specify resource ARNs instead.",
    ),
    ("iam:PassRole", "star_action", "not_resource"): (
        "PASS_ROLE_WITH_STAR_IN_ACTION_AND_NOT_RESOURCE",
        "Pass role with star in action and NotResource",
        "Using an action with a wildcard (*) and NotResource can be overly permissive because it can allow "
        "iam:PassRole permissions on multiple resources. We recommend that you specify resource ARNs instead.",
    ),
    ("iam:PassRole", "not_action", "not_resource"): (
        "PASS_ROLE_WITH_NOT_ACTION_AND_NOT_RESOURCE",
        "Pass role with NotAction and NotResource",
        "Using NotAction with NotResource can be overly permissive because it can allow iam:PassRole "
        "permissions on multiple resources.. We recommend that you specify resource ARNs instead.",  # sic: ".."
    ),
    ("iam:PassRole", "action", "star_resource"): (
        "PASS_ROLE_WITH_STAR_IN_RESOURCE",
        "Pass role with star in resource",
        "Using the iam:PassRole action with wildcards (*) in the resource can be overly permissive because it "
        "allows iam:PassRole permissions on multiple resources. We recommend that you specify resource ARNs or "
        "add the iam:PassedToService condition key to your statement.",
    ),
    ("iam:PassRole", "star_action", "star_resource"): (
        "PASS_ROLE_WITH_STAR_IN_ACTION_AND_RESOURCE",
        "Pass role with star in action and resource",
        "Using wildcards (*) in the action and the resource can be overly permissive because it allows "
        "iam:PassRole permissions on all resources. We recommend that you specify resource ARNs or add the "
        "iam:PassedToService condition key to your statement.",
    ),
    ("iam:PassRole", "not_action", "star_resource"): (
        "PASS_ROLE_WITH_STAR_IN_RESOURCE_AND_NOT_ACTION",
        "Pass role with star in resource and NotAction",
        "Using a resource with wildcards (*) and NotAction can be overly permissive because it allows "
        "iam:PassRole permissions on all resources. We recommend that you specify resource ARNs or add the "
        "iam:PassedToService condition key to your statement.",
    ),
    ("iam:CreateServiceLinkedRole", "action", "not_resource"): (
        "CREATE_SLR_WITH_NOT_RESOURCE",
        "Create SLR with NotResource",
        "Using the iam:CreateServiceLinkedRole action with NotResource can allow creation of unintended "
        "service-linked roles for multiple resources. We recommend that you specify resource ARNs instead.",
    ),
    ("iam:CreateServiceLinkedRole", "star_action", "not_resource"): (
        "CREATE_SLR_WITH_STAR_IN_ACTION_AND_NOT_RESOURCE",
        "Create SLR with star in action and NotResource",
        "Using an action with a wildcard(*) and NotResource can allow creation of unintended service-linked "
        "roles because it can allow iam:CreateServiceLinkedRole permissions on multiple resources. We recommend "
        "that you specify resource ARNs instead.",
    ),
    ("iam:CreateServiceLinkedRole", "not_action", "not_resource"): (
        "CREATE_SLR_WITH_NOT_ACTION_AND_NOT_RESOURCE",
        "Create SLR with NotAction and NotResource",
        "Using NotAction with NotResource can allow creation of unintended service-linked roles because it "
        "allows iam:CreateServiceLinkedRole permissions on multiple resources. We recommend that you specify "
        "resource ARNs instead.",
    ),
    ("iam:CreateServiceLinkedRole", "action", "star_resource"): (
        "CREATE_SLR_WITH_STAR_IN_RESOURCE",
        "Create SLR with star in resource",
        "Using the iam:CreateServiceLinkedRole action with wildcards (*) in the resource can allow creation of "
        "unintended service-linked roles. We recommend that you specify resource ARNs instead.",
    ),
    ("iam:CreateServiceLinkedRole", "star_action", "star_resource"): (
        "CREATE_SLR_WITH_STAR_IN_ACTION_AND_RESOURCE",
        "Create SLR with star in action and resource",
        "Using wildcards (*) in the action and the resource can allow creation of unintended service-linked "
        "roles because it allows iam:CreateServiceLinkedRole permissions on all resources. We recommend that "
        "you specify resource ARNs instead.",
    ),
    ("iam:CreateServiceLinkedRole", "not_action", "star_resource"): (
        "CREATE_SLR_WITH_STAR_IN_RESOURCE_AND_NOT_ACTION",
        "Create SLR with star in resource and NotAction",
        "Using a resource with wildcards (*) and NotAction can allow creation of unintended service-linked "
        "roles because it allows iam:CreateServiceLinkedRole permissions on all resources. We recommend that "
        "you specify resource ARNs instead.",
    ),
}
CHECKS.update(
    {
        code: ("SECURITY_WARNING" if action == "iam:PassRole" else "WARNING", title, details)
        for (action, _, _), (code, title, details) in GRANTS.items()
    }
)

# The anchor on the page that does not follow from the title.
ANCHORS = {"RCP syntax error NotAction": "rcp-syntax-error-notaction"}
# Errors that IAM's grammar refuses too: when one is reported, IAM's own answer on save
# (``_Checker.iam_answer``) would tell nothing more.
GRAMMAR_CODES = frozenset(
    {
        "JSON_SYNTAX_ERROR",
        "INVALID_POLICY_ELEMENT",
        "INVALID_VERSION",
        "MISSING_STATEMENT",
        "DATA_TYPE_MISMATCH",
        "MISSING_EFFECT",
        "INVALID_EFFECT",
        "MISSING_ACTION",
        "MISSING_RESOURCE",
        "MISSING_PRINCIPAL",
        "UNSUPPORTED_ELEMENT_COMBINATION",
        "UNSUPPORTED_PRINCIPAL",
        "INVALID_PRINCIPAL_KEY",
        "INVALID_PRINCIPAL_FORMAT",
        "ROLE_TRUST_POLICY_SYNTAX_ERROR_NOTPRINCIPAL",
        "ROLE_TRUST_POLICY_SYNTAX_ERROR_RESOURCE",
        "SCP_SYNTAX_ERROR_PRINCIPAL",
        "RCP_SYNTAX_ERROR_PRINCIPAL",
        "RCP_SYNTAX_ERROR_ALLOW",
        "RCP_SYNTAX_ERROR_NOTACTION",
        "UNIQUE_SIDS_REQUIRED",
        "UNSUPPORTED_SID",
        "INVALID_CONDITION_OPERATOR",
        "NULL_WITH_IF_EXISTS",
    }
)
