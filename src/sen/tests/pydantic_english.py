"""Tell pydantic's English messages ("Input should be a valid integer") from Sen's own.

The fragments come from pydantic-core itself, the message template of every error type it
knows, so that a type Sen has no wording for is caught even when no test names it.
"""

import re
import typing
from functools import cache

from pydantic_core import PydanticKnownError, core_schema

_PLACEHOLDER = re.compile(r"\{[^}]*\}")
_NEEDED = re.compile(r"'(\w+)' (required in context|context value must be an? \w+)")


def _known_error(kind: str) -> PydanticKnownError:
    """Return pydantic's error of type ``kind``, its context filled in as pydantic needs."""
    context: dict[str, object] = {}
    while True:
        try:
            return PydanticKnownError(kind, context)  # type: ignore[arg-type]
        except (KeyError, TypeError) as error:
            needed = _NEEDED.search(str(error))
            if needed is None or context.get(needed[1]) == 1:
                raise
            # Text first; a number where pydantic wants one.
            context[needed[1]] = "x" if needed[1] not in context else 1


def context_keys(kind: str) -> set[str]:
    """Return the names of the values pydantic gives in ``ctx`` for an error of ``kind``."""
    return set((_known_error(kind).context or {}).keys())


@cache
def english_fragments() -> tuple[str, ...]:
    """Return the literal words of pydantic's templates long enough to be telling."""
    fragments = {
        piece.strip(" ,.-")
        for kind in typing.get_args(core_schema.ErrorType)
        for piece in _PLACEHOLDER.split(_known_error(kind).message_template)
    }
    return tuple(sorted(f for f in fragments if len(f) >= 10))


def is_pydantic_english(message: str) -> bool:
    return any(fragment in message for fragment in english_fragments())
