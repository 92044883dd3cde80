"""JSON sent to Sen, read with one value per key.

Python's decoder keeps the last of two equal keys (``{"reason": "a", "reason": "b"}`` reads
as ``"b"``), while another reader on the way (a proxy, a gateway's filter, a log) may keep
the first: the two would act on different requests (RFC 8259 §4 leaves it to each
implementation). Sen refuses such a body instead of guessing.
"""

import json
from typing import Any

from django.utils.translation import gettext as _

from sen.errors import InvalidInput


class DuplicateJsonKey(InvalidInput):
    """A JSON object names the same key twice."""

    code = "invalid_json"


def _one_value_per_key(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            message = _("Khóa “%(key)s” có hai lần trong cùng một đối tượng JSON.") % {
                "key": key[:64]
            }
            raise DuplicateJsonKey(message, details=[{"field": key[:64], "message": message}])
        result[key] = value
    return result


def loads(text: str | bytes) -> Any:
    """Return the JSON value of ``text``; raise ``ValueError`` for text that is not JSON and
    ``DuplicateJsonKey`` for an object naming a key twice."""
    return json.loads(text, object_pairs_hook=_one_value_per_key)
