"""API schemas shared by every app's router: the one shape of an error answer, paging,
and the types of JSON bodies."""

import re
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any

from ninja import Field, Schema
from pydantic import BeforeValidator, ConfigDict, StrictBool, WithJsonSchema
from pydantic_core import PydanticKnownError

from sen.core.paging import MAX_PAGE, MAX_PAGE_SIZE

# Text with something visible in it: a character that is neither white space nor an
# invisible format character (zero-width space, word joiner, BOM, direction marks: Unicode's
# category Cf), as ``sen.core.text.visible_text`` judges. The services refuse other text (a
# reason, a name) with their own codes; as a JSON Schema pattern (unanchored, so "contains
# one"), the class spells the characters out, in the Basic Multilingual Plane that every
# regular expression engine reads.
NOT_BLANK = (
    "[^\t-\r\x1c- \x85\xa0\xad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u1680\u180e"
    "\u2000-\u200f\u2028-\u202f\u205f-\u2064\u2066-\u206f\u3000\ufeff\ufff9-\ufffb]"
)


def blank_accepted(schema: dict[str, Any]) -> None:
    """Document the empty value among a nullable filter's values (``json_schema_extra``).

    A form sends "status=" for "any status"; filters that read it as no filter say so in
    the document. The field's type stays nullable, so that a wrong value is refused with
    one problem, not one for each member of a union.
    """
    schema["anyOf"].insert(-1, {"const": "", "type": "string"})


# JSON bodies take the JSON type their document names, nothing pydantic's lax mode reads as
# one: `JsonInt` refuses "2" and true where an integer is meant, `JsonBool` "true", "yes",
# 1 and 0 where a boolean is, and `JsonMoment` a number of seconds where a moment is. A
# client sending another type has a bug to hear about (400 `invalid_input` naming the
# field), not a change made on a guess. Query parameters and multipart form fields arrive
# as text: their schemas keep `int` and `bool`, which read "2" and "true" (a form's integer
# is `FormInt`, its digits alone).


def _number_not_text(value: Any) -> Any:
    if isinstance(value, str | bool):
        raise PydanticKnownError("int_type")
    return value


JsonInt = Annotated[int, BeforeValidator(_number_not_text)]
"""An integer in a JSON body: a JSON number without a fraction. 2.0 is one, as JSON Schema
counts integers (and as the API's fuzz test sends them); "2" and true are not."""


# A whole number in a multipart form field is written in decimal digits, and only so:
# pydantic's lax mode also read "4.0", "+4", " 4 " and "4_000", where a client sending them
# has a bug to hear about. Such text is refused as any other text that is not a number
# (int_parsing).
_DECIMAL_DIGITS = re.compile(r"[0-9]+")


def _decimal_digits(value: Any) -> Any:
    if isinstance(value, str) and not _DECIMAL_DIGITS.fullmatch(value):
        raise PydanticKnownError("int_parsing")
    return value


FormInt = Annotated[int, BeforeValidator(_decimal_digits)]
"""A non-negative integer in a multipart form field: its decimal digits, nothing else ("4";
not "4.0", "+4", " 4" nor "4_000"). Its bounds are the field's own (``ge=1``)."""


JsonBool = StrictBool
"""A boolean in a JSON body: true or false, nothing else."""


def _moment_as_text(value: Any) -> Any:
    if isinstance(value, int | float):  # a bool too
        raise PydanticKnownError("datetime_type")
    return value


JsonMoment = Annotated[datetime, BeforeValidator(_moment_as_text)]
"""A moment in a JSON body: ISO 8601 text, never a number of seconds since 1970."""

DECIMAL_TEXT = r"^-?[0-9]+(\.[0-9]+)?$"


def _decimal_text(value: Any) -> Any:
    if isinstance(value, str) and not re.fullmatch(DECIMAL_TEXT, value):
        raise PydanticKnownError("decimal_parsing")
    return value


JsonDecimal = Annotated[
    Decimal,
    BeforeValidator(_decimal_text),
    WithJsonSchema({"anyOf": [{"type": "number"}, {"type": "string", "pattern": DECIMAL_TEXT}]}),
]
"""A decimal in a JSON body: a JSON number, or its digits as text with a decimal point
("99.5"), as the API answers decimals, so that what it answers may be sent back. Nothing
else pydantic's lax mode reads as one ("1e2", " 7", "1_000")."""


class ProblemOut(Schema):
    field: str = Field(description="Trường có lỗi, ví dụ `steps[2].role` hoặc `days`.")
    message: str = Field(description="Lỗi của trường này (tiếng Việt).")
    # Optional, so that the problems the services find (which have no such type) keep their
    # shape, and a client that reads only field and message reads on unchanged.
    type: str | None = Field(
        None,
        description=(
            "Với lỗi `invalid_input` do kiểu hoặc giới hạn của dữ liệu: loại lỗi, ổn định, cho "
            "chương trình đọc, theo tên của pydantic, ví dụ `missing` (thiếu), `int_type` "
            "(không phải số nguyên), `string_too_long`, `less_than_equal`, `enum`."
        ),
    )


class BodyIn(Schema):
    """A JSON body that takes only the fields it lists: a misspelt optional field
    ("recipent" for "recipient") would otherwise be dropped without a word, and the action
    done with its default. Another field is refused as `extra_forbidden`."""

    model_config = ConfigDict(extra="forbid")


class ErrorBody(Schema):
    code: str = Field(description="Mã lỗi ổn định (tiếng Anh), ví dụ `invalid_start`.")
    message: str = Field(description="Thông báo lỗi cho người dùng (tiếng Việt).")
    details: list[ProblemOut] | None = Field(
        None, description="Lỗi của từng trường, khi có nhiều lỗi cùng lúc."
    )


class ErrorOut(Schema):
    """Every 4xx answer of the API: `{"error": {"code", "message", "details"?}}`."""

    error: ErrorBody


class PageParams(Schema):
    """The page of a list endpoint: ``page`` from 1, ``page_size`` from 1 to 100."""

    page: int = Field(1, ge=1, le=MAX_PAGE, description="Trang, từ 1 đến 1.000.000.")
    page_size: int = Field(
        20, ge=1, le=MAX_PAGE_SIZE, description="Số kết quả mỗi trang, từ 1 đến 100."
    )
