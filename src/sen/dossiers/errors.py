"""Domain errors of the dossiers app, each with a stable code (see ``sen.errors``)."""

from sen.dossiers.states import TransitionNotAllowed
from sen.errors import Conflict, DomainError, InvalidInput, NotFound

__all__ = [
    "DossierConflict",
    "DossierNotFound",
    "IdempotencyKeyReused",
    "InvalidDossier",
    "InvalidJson",
    "InvalidSupplementRequest",
    "RefusalReasonRequired",
    "SupplementAlreadyRequested",
    "TransitionNotAllowed",
]


class InvalidDossier(InvalidInput):
    """The submission fails one or more checks; ``details`` lists every one."""

    code = "invalid_dossier"


class DossierNotFound(NotFound):
    code = "dossier_not_found"


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
