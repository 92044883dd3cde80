"""Domain errors of the dossiers app, each with a stable code (see ``sen.errors``)."""

from sen.dossiers.states import TransitionNotAllowed
from sen.errors import Conflict, DomainError, InvalidInput, NotFound

__all__ = [
    "AgencyNotFound",
    "AlreadyRated",
    "ApologyAlreadyMade",
    "ApologyTooLate",
    "DossierConflict",
    "DossierFileNotFound",
    "DossierNotFound",
    "ElectronicReturnWithoutAccount",
    "IdempotencyKeyReused",
    "InvalidDossier",
    "InvalidJson",
    "InvalidNewAppointment",
    "InvalidRating",
    "InvalidResult",
    "InvalidReturnMethod",
    "InvalidSupplement",
    "InvalidSupplementRequest",
    "NotReturned",
    "ProcedureFilterTooBroad",
    "ReasonRequired",
    "RefusalReasonRequired",
    "ResultAlreadyAttached",
    "ResultApproved",
    "ResultNotAttached",
    "ResultRequired",
    "SupplementAlreadyRequested",
    "TrackingNumberRequired",
    "TransitionNotAllowed",
]


class InvalidDossier(InvalidInput):
    """The submission fails one or more checks; ``details`` lists every one."""

    code = "invalid_dossier"


class DossierNotFound(NotFound):
    code = "dossier_not_found"


class DossierFileNotFound(NotFound):
    """The dossier, readable, has no file (or result) of that number for this reader."""

    code = "file_not_found"


class IdempotencyKeyReused(DomainError):
    """The ``Idempotency-Key`` was already used for a different request."""

    code = "idempotency_key_reused"
    status = 422


class DossierConflict(Conflict):
    """Someone changed the dossier since the caller read it (its revision moved on)."""

    code = "dossier_conflict"


class SupplementAlreadyRequested(Conflict):
    """A dossier's supplements are requested once, with the complete list (one-stop rule)."""

    code = "supplement_already_requested"


class InvalidSupplementRequest(InvalidInput):
    code = "invalid_supplement_request"


class RefusalReasonRequired(InvalidInput):
    code = "refusal_reason_required"


class InvalidJson(InvalidInput):
    """The ``payload`` field is not a JSON object."""

    code = "invalid_json"


class ReasonRequired(InvalidInput):
    """A withdrawal, a stop or an apology must say why."""

    code = "reason_required"


class ApologyAlreadyMade(Conflict):
    """The apology with a new appointment is made once per dossier."""

    code = "apology_already_made"


class ApologyTooLate(Conflict):
    """The apology must come on a day before the due day it replaces."""

    code = "apology_after_due"


class InvalidNewAppointment(InvalidInput):
    code = "invalid_new_appointment"


class ResultAlreadyAttached(Conflict):
    """A result is attached: the dossier is decided, and no supplement is asked any more."""

    code = "result_already_attached"


class ResultNotAttached(InvalidInput):
    """The result named (by its number, from 1) is not among the dossier's attached ones."""

    code = "result_not_attached"


class NoPreviousStep(Conflict):
    """The dossier is at the procedure's first step: there is none to send it back to."""

    code = "no_previous_step"


class ResultApproved(Conflict):
    """The leader approved the result: it is no longer replaced or taken back."""

    code = "result_approved"


class ResultRequired(Conflict):
    """The leader approves, and processing ends, only with a result attached."""

    code = "result_required"


class InvalidReturnMethod(InvalidInput):
    code = "invalid_return_method"


class ElectronicReturnWithoutAccount(InvalidInput):
    """A dossier entered at the desk or by post has no applicant account, and so nowhere to
    receive a result electronically: it is returned at the desk or by post."""

    code = "electronic_return_without_account"


class TrackingNumberRequired(InvalidInput):
    """A result returned by post needs the postal tracking number."""

    code = "postal_tracking_number_required"


class InvalidSupplement(InvalidInput):
    """The supplement fails one or more checks; ``details`` lists every one."""

    code = "invalid_supplement"


class InvalidResult(InvalidInput):
    """The result file fails its checks (type by content, size); ``details`` names it."""

    code = "invalid_result"


class InvalidRating(InvalidInput):
    """The rating fails one or more checks; ``details`` names each criterion or field."""

    code = "invalid_rating"


class AlreadyRated(Conflict):
    """A dossier is rated once, by its applicant."""

    code = "already_rated"


class NotReturned(Conflict):
    """Only a dossier whose result was returned can be rated."""

    code = "dossier_not_returned"


class AgencyNotFound(NotFound):
    """No agency has the code asked for (the dossier register is kept per agency)."""

    code = "agency_not_found"


class ProcedureFilterTooBroad(InvalidInput):
    """The queue's procedure filter names more procedures than the queue filters by at once."""

    code = "procedure_filter_too_broad"
