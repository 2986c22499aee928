"""AWS Organizations' errors, one class per code of botocore's organizations model
(``organizations/2016-11-28/service-2.json``: every one an HTTP 400, sender fault), with
the model's documentation as the default message. Those with a ``Reason`` member
(ConstraintViolationException, InvalidInputException, HandshakeConstraintViolationException)
take it through ``reason``; the protocol writes ``fields`` beside Message.

MalformedPolicyDocumentException is ``errors.MalformedPolicyDocumentException`` (the policy
language raises it)."""

from __future__ import annotations

from ...errors import ServiceError


class OrganizationsError(ServiceError):
    """An Organizations error; ``default`` is its message when none is given."""

    default = ""

    def __init__(self, message: str = "") -> None:
        super().__init__(message or self.default)


class _WithReason(OrganizationsError):
    def __init__(self, reason: str, message: str = "") -> None:
        super().__init__(message)
        self.with_fields({"Reason": reason})


class AWSOrganizationsNotInUseException(OrganizationsError):
    code = "AWSOrganizationsNotInUseException"
    default = "Your account is not a member of an organization."


class AccessDeniedException(OrganizationsError):
    code = "AccessDeniedException"
    default = "You don't have permissions to access this resource."


class AlreadyInOrganizationException(OrganizationsError):
    code = "AlreadyInOrganizationException"
    default = "The AWS account is already a member of an organization."


class OrganizationNotEmptyException(OrganizationsError):
    code = "OrganizationNotEmptyException"
    default = (
        "The organization isn't empty. To delete an organization, you must first remove all accounts "
        "except the management account."
    )


class OrganizationalUnitNotEmptyException(OrganizationsError):
    code = "OrganizationalUnitNotEmptyException"
    default = (
        "The specified OU is not empty. Move all accounts to another root or to other OUs, remove all child OUs, "
        "and try the operation again."
    )


class OrganizationalUnitNotFoundException(OrganizationsError):
    code = "OrganizationalUnitNotFoundException"
    default = "We can't find an OU with the OrganizationalUnitId that you specified."


class DuplicateOrganizationalUnitException(OrganizationsError):
    code = "DuplicateOrganizationalUnitException"
    default = "An OU with the same name already exists."


class RootNotFoundException(OrganizationsError):
    code = "RootNotFoundException"
    default = "We can't find a root with the RootId that you specified."


class ParentNotFoundException(OrganizationsError):
    code = "ParentNotFoundException"
    default = "We can't find a root or OU with the ParentId that you specified."


class ChildNotFoundException(OrganizationsError):
    code = "ChildNotFoundException"
    default = "We can't find an organizational unit (OU) or AWS account with the ChildId that you specified."


class SourceParentNotFoundException(OrganizationsError):
    code = "SourceParentNotFoundException"
    default = "We can't find a source root or OU with the ParentId that you specified."


class DestinationParentNotFoundException(OrganizationsError):
    code = "DestinationParentNotFoundException"
    default = "We can't find the destination container (a root or OU) with the ParentId that you specified."


class DuplicateAccountException(OrganizationsError):
    code = "DuplicateAccountException"
    default = "That account is already present in the specified destination."


class AccountNotFoundException(OrganizationsError):
    code = "AccountNotFoundException"
    default = (
        "We can't find an AWS account with the AccountId that you specified, or the account whose credentials "
        "you used to make this request isn't a member of an organization."
    )


class MasterCannotLeaveOrganizationException(OrganizationsError):
    code = "MasterCannotLeaveOrganizationException"
    default = (
        "You can't remove a management account from an organization. If you want the management account to "
        "become a member account in another organization, you must first delete the current organization of "
        "the management account."
    )


class CreateAccountStatusNotFoundException(OrganizationsError):
    code = "CreateAccountStatusNotFoundException"
    default = "We can't find an create account request with the CreateAccountRequestId that you specified."


class HandshakeNotFoundException(OrganizationsError):
    code = "HandshakeNotFoundException"
    default = "We can't find a handshake with the HandshakeId that you specified."


class HandshakeAlreadyInStateException(OrganizationsError):
    code = "HandshakeAlreadyInStateException"
    default = "The specified handshake is already in the requested state."


class InvalidHandshakeTransitionException(OrganizationsError):
    code = "InvalidHandshakeTransitionException"
    default = "You can't perform the operation on the handshake in its current state."


class DuplicateHandshakeException(OrganizationsError):
    code = "DuplicateHandshakeException"
    default = "A handshake with the same action and target already exists."


class HandshakeConstraintViolationException(_WithReason):
    code = "HandshakeConstraintViolationException"
    default = "The requested operation would violate the constraint identified in the reason code."


class PolicyNotFoundException(OrganizationsError):
    code = "PolicyNotFoundException"
    default = "We can't find a policy with the PolicyId that you specified."


class DuplicatePolicyException(OrganizationsError):
    code = "DuplicatePolicyException"
    default = "A policy with the same name already exists."


class DuplicatePolicyAttachmentException(OrganizationsError):
    code = "DuplicatePolicyAttachmentException"
    default = "The selected policy is already attached to the specified target."


class PolicyNotAttachedException(OrganizationsError):
    code = "PolicyNotAttachedException"
    default = "The policy isn't attached to the specified target in the specified root."


class PolicyInUseException(OrganizationsError):
    code = "PolicyInUseException"
    default = (
        "The policy is attached to one or more entities. You must detach it from all roots, OUs, and accounts "
        "before performing this operation."
    )


class PolicyTypeNotEnabledException(OrganizationsError):
    code = "PolicyTypeNotEnabledException"
    default = "The specified policy type isn't currently enabled in this root."


class PolicyTypeAlreadyEnabledException(OrganizationsError):
    code = "PolicyTypeAlreadyEnabledException"
    default = "The specified policy type is already enabled in the specified root."


class PolicyTypeNotAvailableForOrganizationException(OrganizationsError):
    code = "PolicyTypeNotAvailableForOrganizationException"
    default = "You can't use the specified policy type with the feature set currently enabled for this organization."


class TargetNotFoundException(OrganizationsError):
    code = "TargetNotFoundException"
    default = "We can't find a root, OU, account, or policy with the TargetId that you specified."


class ConstraintViolationException(_WithReason):
    code = "ConstraintViolationException"
    default = "Performing this operation violates a minimum or maximum value limit."


class InvalidInputException(_WithReason):
    code = "InvalidInputException"
    default = (
        "The requested operation failed because you provided invalid values for one or more of the request parameters."
    )
