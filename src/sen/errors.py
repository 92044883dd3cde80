"""Domain errors with stable codes, turned into HTTP answers in one place (``sen.api``)."""

from typing import Any


class DomainError(Exception):
    """A failure a caller can act on: a stable machine code and a message for people.

    Subclasses set ``code`` (stable, English, snake_case) and ``status`` (the HTTP status
    the API answers with). ``message`` is Vietnamese-first and translatable.
    """

    code = "domain_error"
    status = 400

    def __init__(self, message: str, *, details: list[dict[str, Any]] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or []

    def as_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {"code": self.code, "message": str(self.message)}
        if self.details:
            body["details"] = self.details
        return body


class InvalidInput(DomainError):
    code = "invalid_input"
    status = 400


class InvalidCharacters(InvalidInput):
    """Text with a NUL character, which the database cannot store (``core.text.has_nul``)."""

    code = "invalid_characters"


class NotFound(DomainError):
    code = "not_found"
    status = 404


class PermissionDenied(DomainError):
    code = "permission_denied"
    status = 403


class Conflict(DomainError):
    code = "conflict"
    status = 409
