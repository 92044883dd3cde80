"""What the API says of each value pydantic refuses: a Vietnamese message, chosen by the
error's type (``sen.api`` answers them as 400 ``invalid_input``).

django-ninja hands over pydantic's errors: a ``type`` that names the problem (``missing``,
``int_type``, ``string_too_long``, …), its bounds in ``ctx`` and an English ``msg``. People
read the message, so it is chosen here by the type and filled in from ``ctx``, translatable;
pydantic's English never reaches the answer, and a type without a wording here gets the
generic one. The type itself goes out beside the message, for programs to act on.

Bounds are numbers written for the reader's language by Django's formats ("1.000.000" and
"0,5" in Vietnamese, "1,000,000" and "0.5" in English); the choices of an enum stay the
machine values a client must send.
"""

import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from sen.core.text import group_thousands

GENERIC = _("Giá trị không hợp lệ.")

# The wordings name the JSON types a client sends, not Python's; placeholders are the names
# pydantic gives its bounds in ``ctx``. Several types share a wording where a person cannot
# tell them apart: "2" for an integer in a JSON body (int_type) and "hai" in a query
# (int_parsing) are the same mistake. Parsing details (ctx["error"], "input is too short")
# are pydantic's English and left out: the example shows what is expected instead.
_INTEGER = _("Phải là số nguyên.")
_NUMBER = _("Phải là một số.")
_TEXT = _("Phải là một chuỗi ký tự.")
_LIST = _("Phải là một danh sách.")
_OBJECT = _("Phải là một đối tượng JSON.")
_DATE = _("Phải là ngày dạng YYYY-MM-DD, ví dụ 2026-11-20.")
_MOMENT = _("Phải là thời điểm theo ISO 8601, ví dụ 2026-11-30T16:00:00+07:00.")
_TIME = _("Phải là giờ dạng HH:MM, ví dụ 08:00.")
_URL = _("Phải là một địa chỉ URL hợp lệ.")

MESSAGES: dict[str, Promise] = {
    "missing": _("Bắt buộc nhập."),
    "extra_forbidden": _("Không nhận trường này."),
    "none_required": _("Phải để trống (null)."),
    # Types
    "string_type": _TEXT,
    "string_unicode": _TEXT,
    "int_type": _INTEGER,
    "int_parsing": _INTEGER,
    "int_from_float": _INTEGER,
    "int_parsing_size": _("Số quá lớn."),
    "float_type": _NUMBER,
    "float_parsing": _NUMBER,
    "decimal_type": _NUMBER,
    "decimal_parsing": _NUMBER,
    "finite_number": _NUMBER,
    "bool_type": _("Phải là true hoặc false."),
    "bool_parsing": _("Phải là true hoặc false."),
    "list_type": _LIST,
    "tuple_type": _LIST,
    "set_type": _LIST,
    "frozen_set_type": _LIST,
    "iterable_type": _LIST,
    "dict_type": _OBJECT,
    "model_type": _OBJECT,
    "model_attributes_type": _OBJECT,
    "dataclass_type": _OBJECT,
    "mapping_type": _OBJECT,
    "json_invalid": _("Không phải JSON hợp lệ."),
    "json_type": _("Không phải JSON hợp lệ."),
    "date_type": _DATE,
    "date_parsing": _DATE,
    "date_from_datetime_parsing": _DATE,
    "date_from_datetime_inexact": _DATE,
    "datetime_type": _MOMENT,
    "datetime_parsing": _MOMENT,
    "datetime_from_date_parsing": _MOMENT,
    "datetime_object_invalid": _MOMENT,
    "time_type": _TIME,
    "time_parsing": _TIME,
    "uuid_type": _("Phải là một UUID hợp lệ."),
    "uuid_parsing": _("Phải là một UUID hợp lệ."),
    "url_type": _URL,
    "url_parsing": _URL,
    "url_syntax_violation": _URL,
    # Bounds
    "greater_than": _("Phải lớn hơn %(gt)s."),
    "greater_than_equal": _("Phải lớn hơn hoặc bằng %(ge)s."),
    "less_than": _("Phải nhỏ hơn %(lt)s."),
    "less_than_equal": _("Phải nhỏ hơn hoặc bằng %(le)s."),
    "multiple_of": _("Phải là bội số của %(multiple_of)s."),
    "string_too_short": _("Cần ít nhất %(min_length)s ký tự."),
    "string_too_long": _("Dài quá %(max_length)s ký tự."),
    "string_pattern_mismatch": _("Giá trị không đúng định dạng yêu cầu."),
    "too_short": _("Cần ít nhất %(min_length)s mục."),
    "too_long": _("Chỉ được có tối đa %(max_length)s mục."),
    "decimal_max_digits": _("Có tối đa %(max_digits)s chữ số."),
    "decimal_max_places": _("Có tối đa %(decimal_places)s chữ số thập phân."),
    "decimal_whole_digits": _("Có tối đa %(whole_digits)s chữ số trước dấu thập phân."),
    "url_too_long": _("Địa chỉ URL dài quá %(max_length)s ký tự."),
    "date_past": _("Phải là một ngày đã qua."),
    "date_future": _("Phải là một ngày trong tương lai."),
    "datetime_past": _("Phải là một thời điểm đã qua."),
    "datetime_future": _("Phải là một thời điểm trong tương lai."),
    "timezone_aware": _("Phải có múi giờ, ví dụ +07:00."),
    "timezone_naive": _("Không được có múi giờ."),
    # Choices: ctx["expected"] lists them in English ("'a', 'b' or 'c'"), rewritten below.
    "enum": _("Phải là một trong: %(expected)s."),
    "literal_error": _("Phải là một trong: %(expected)s."),
    "url_scheme": _("Địa chỉ URL phải dùng một trong: %(expected_schemes)s."),
}

# How pydantic joins the choices it lists: "'full', 'partial' or 'none'", "1, 2 or 3".
_CHOICES = re.compile(r", | or ")


def _choices(expected: str) -> str:
    """Return pydantic's list of choices without its English "or": «full», «partial», «none»."""
    values = [value.strip("'\"") for value in _CHOICES.split(expected)]
    return ", ".join(f"«{value}»" for value in values)


def written_bound(value: Any) -> Any:
    """Return a numeric bound written for the active language, thousands grouped; leave any
    other value (a date, a text) as pydantic gave it."""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return group_thousands(value)
    return value


def message_for(error: Mapping[str, Any]) -> str:
    """Return the Vietnamese message for one of pydantic's errors (its ``type`` and ``ctx``)."""
    kind, ctx = error.get("type", ""), dict(error.get("ctx") or {})
    if kind == "value_error" and ctx.get("error"):
        # Raised by Sen's own validators, whose messages are Vietnamese and translated where
        # they are raised. (No API schema has one yet; pydantic's built-in validators that
        # raise value_error in English, EmailStr and the like, are not used in them.)
        return str(ctx["error"])
    template = MESSAGES.get(kind)
    if template is None:
        return str(GENERIC)
    ctx = {name: written_bound(value) for name, value in ctx.items()}
    for name in ("expected", "expected_schemes"):
        if isinstance(ctx.get(name), str):
            ctx[name] = _choices(ctx[name])
    try:
        return str(template) % ctx
    except (KeyError, TypeError, ValueError):
        # A bound missing from ctx: say what is wrong without it rather than fail the answer.
        return str(GENERIC)


def problem_of(error: Mapping[str, Any]) -> dict[str, str]:
    """Return the detail the API answers for one of pydantic's errors.

    ``field`` is the error's location without its source ("body.expected_revision" for the
    JSON body's field, "page" for the query's), as clients have read it since the first
    version; ``type`` is pydantic's name for the problem, stable for programs.
    """
    location = error.get("loc", ())[1:]
    return {
        "field": ".".join(str(part) for part in location),
        "message": message_for(error),
        "type": str(error.get("type", "")),
    }
