"""API schemas shared by every app's router: the one shape of an error answer."""

from ninja import Field, Schema


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
