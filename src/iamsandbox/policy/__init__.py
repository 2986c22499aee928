"""The IAM policy language: parse, validate, compile and evaluate. Pure: no I/O.

Typical use::

    policy = parse_policy(text, PolicyKind.IDENTITY)
    identity = CompiledSet(PolicyType.IDENTITY, [("arn:aws:iam::111122223333:policy/p", policy)])
    request = Request.build("arn:aws:iam::111122223333:user/alice", "s3:GetObject",
                            "arn:aws:s3:::bucket/key", "111122223333", {"aws:SecureTransport": "true"})
    decision = evaluate(request, PolicySet(identity=identity))
    decision.allowed, decision.reason, decision.matched
"""

from .ast import ConditionClause, Policy, PolicyKind, PrincipalSet, Span, Statement
from .compile import CompiledSet
from .decision import ALLOWED, EXPLICIT_DENY, IMPLICIT_DENY, Decision, MatchedStatement, PolicyType
from .evaluate import PolicySet, evaluate, set_decision
from .parse import parse_grammar, parse_policy
from .request import Grant, Principal, PrincipalKind, Request, normalize_context

__all__ = [
    "ALLOWED",
    "EXPLICIT_DENY",
    "IMPLICIT_DENY",
    "CompiledSet",
    "ConditionClause",
    "Decision",
    "Grant",
    "MatchedStatement",
    "Policy",
    "PolicyKind",
    "PolicySet",
    "PolicyType",
    "Principal",
    "PrincipalKind",
    "PrincipalSet",
    "Request",
    "Span",
    "Statement",
    "evaluate",
    "normalize_context",
    "parse_grammar",
    "parse_policy",
    "set_decision",
]
