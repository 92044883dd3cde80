"""Domain errors of the core app, each with a stable code (see ``sen.errors``)."""

from sen.errors import Conflict, DomainError, InvalidInput, NotFound, PermissionDenied


class UnitNotFound(NotFound):
    code = "unit_not_found"


class InvalidUnitLevel(InvalidInput):
    code = "invalid_unit_level"


class UnitDataError(DomainError):
    """The unit data (package, legacy file or successor map) is inconsistent."""

    code = "unit_data_error"
    status = 500


class DemoDataRefused(DomainError):
    """The installation does not take demo data (``SEN_DEMO_DATA`` off, as in production)."""

    code = "demo_data_refused"
    status = 409


class UnitsNotLoaded(DomainError):
    code = "units_not_loaded"
    status = 503


class InvalidAgencyCode(InvalidInput):
    code = "invalid_agency_code"


class InvalidAgencyKind(InvalidInput):
    code = "invalid_agency_kind"


class AgencyNameRequired(InvalidInput):
    code = "agency_name_required"


class AgencyCodeTaken(Conflict):
    code = "agency_code_taken"


class AgencyCodeImmutable(InvalidInput):
    code = "agency_code_immutable"


class AgencyUnitLegacy(InvalidInput):
    code = "agency_unit_legacy"


class AgencyUnitLevelMismatch(InvalidInput):
    code = "agency_unit_level_mismatch"


class AgencyParentInvalid(InvalidInput):
    code = "agency_parent_invalid"


class AgencyHasActiveChildren(Conflict):
    code = "agency_has_active_children"


class AgencyInUse(Conflict):
    code = "agency_in_use"


class AgencyInactive(InvalidInput):
    code = "agency_inactive"


class InvalidUsername(InvalidInput):
    code = "invalid_username"


class UsernameTaken(Conflict):
    code = "username_taken"


class FullNameRequired(InvalidInput):
    code = "full_name_required"


class InvalidEmail(InvalidInput):
    code = "invalid_email"


class WeakPassword(InvalidInput):
    code = "weak_password"


class InvalidRole(InvalidInput):
    code = "invalid_role"


class UserInactive(InvalidInput):
    code = "user_inactive"


class MembershipExists(Conflict):
    code = "membership_exists"


class MembershipNotFound(NotFound):
    code = "membership_not_found"


class NotAllowed(PermissionDenied):
    """The actor may not make this change (``permission_denied``)."""


class StorageUnavailable(DomainError):
    """The file storage refused a write (a full disk, a lost mount): try again later."""

    code = "storage_unavailable"
    status = 503
