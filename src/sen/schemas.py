"""API schemas shared by every app's router: the one shape of an error answer, paging."""

from typing import Any

from ninja import Field, Schema

from sen.core.paging import MAX_PAGE, MAX_PAGE_SIZE

# Text with something in it: a character that str.strip() keeps. The services refuse blank
# text (a reason, a name) with their own codes; as a JSON Schema pattern (unanchored, so
# "contains one"), the class spells out Python's whitespace, which is not quite JSON
# Schema's \s.
NOT_BLANK = "[^\t\n\x0b\x0c\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"


def blank_accepted(schema: dict[str, Any]) -> None:
    """Document the empty value among a nullable filter's values (``json_schema_extra``).

    A form sends "status=" for "any status"; filters that read it as no filter say so in
    the document. The field's type stays nullable, so that a wrong value is refused with
    one problem, not one for each member of a union.
    """
    schema["anyOf"].insert(-1, {"const": "", "type": "string"})


class ProblemOut(Schema):
    field: str = Field(description="Trường có lỗi, ví dụ `steps[2].role` hoặc `days`.")
    message: str = Field(description="Lỗi của trường này (tiếng Việt).")


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
