"""Public HTTP API of the working-day calendar (``/api/v1/workdays``): deadlines and holidays."""

import datetime as dt
import re
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.params.functions import Query
from pydantic import WithJsonSchema

from sen.schemas import ErrorOut
from sen.workdays.calendar import VIETNAM
from sen.workdays.errors import InvalidDays, InvalidStart, InvalidYear
from sen.workdays.selectors import (
    FIRST_YEAR,
    LAST_YEAR,
    DayKind,
    agency_by_code,
    non_working_days,
)
from sen.workdays.services import due_moment

router = Router()

# Bounds of what the deadline endpoint accepts: legal processing times are at most a
# year, expressed in whole, half or quarter days (0.125 day is one working hour).
MAX_DAYS = Decimal(365)
MAX_DAYS_DECIMALS = 3
START_FIRST_YEAR, START_LAST_YEAR = 1900, 2200
# ASCII digits only: the document's pattern is read by JSON Schema, where \d means 0–9.
_NUMBER = re.compile(r"^[+-]?[0-9]{1,12}(\.[0-9]{1,12})?$")
_SPACED_OFFSET = re.compile(r"^(\d{4}-?\d{2}-?\d{2}T[\d:.,]+) (\d{2}(:?\d{2})?)$")

# The parameters are read as text and checked here, so that each refusal has its own code
# and a message in Vietnamese; the document states what the checks accept. What it cannot
# state (the years a moment may fall in, the bounds of a number written as text) the
# descriptions say.
AS_DATE_TIME = WithJsonSchema({"type": "string", "format": "date-time"})
AS_NUMBER = WithJsonSchema({"type": "string", "pattern": _NUMBER.pattern})
AS_YEAR = WithJsonSchema({"type": "integer", "minimum": FIRST_YEAR, "maximum": LAST_YEAR})


class DeadlineOut(Schema):
    start: datetime = Field(
        description="Thời điểm bắt đầu tính, theo giờ Việt Nam (+07:00), như đã hiểu từ `start`."
    )
    days: str = Field(description="Số ngày làm việc đã cộng, dạng số thập phân, ví dụ `1.5`.")
    due: datetime = Field(
        description=(
            "Hạn xử lý theo giờ Việt Nam (ISO 8601, +07:00): luôn nằm trong giờ làm việc, có "
            "thể là đúng giờ kết thúc buổi làm việc (ví dụ 17:00 nghĩa là “trước 17:00”)."
        )
    )


class CalendarDayOut(Schema):
    date: dt.date = Field(description="Ngày (YYYY-MM-DD).")
    name: str = Field(description="Tên ngày lễ, ngày nghỉ hoặc ngày làm bù (tiếng Việt).")
    kind: DayKind = Field(
        description=(
            "`holiday`: ngày nghỉ lễ, Tết theo Bộ luật Lao động (kể cả ngày nghỉ bù); "
            "`day_off`: ngày thường được nghỉ theo quyết định điều chỉnh lịch; "
            "`working_day`: thứ Bảy, Chủ nhật hoặc ngày lễ phải làm việc (làm bù)."
        )
    )


class CalendarOut(Schema):
    year: int = Field(description="Năm dương lịch.")
    days: list[CalendarDayOut] = Field(
        description="Các ngày đặc biệt theo thứ tự ngày; không liệt kê thứ Bảy, Chủ nhật thường."
    )


def _parse_start(value: str) -> datetime:
    message = _(
        "Thời điểm bắt đầu (start) phải theo ISO 8601, ví dụ 2026-01-05T08:00:00+07:00, "
        "trong các năm %(first)s–%(last)s."
    ) % {"first": START_FIRST_YEAR, "last": START_LAST_YEAR}
    if not value:
        raise InvalidStart(_("Cần có thời điểm bắt đầu (start)."))
    if len(value) > 64:
        raise InvalidStart(message)
    # An unencoded "+" of the offset arrives as a space ("…T08:00:00 07:00"): read it as "+".
    value = _SPACED_OFFSET.sub(r"\1+\2", value)
    try:
        start = datetime.fromisoformat(value)
    except ValueError:
        raise InvalidStart(message) from None
    if start.tzinfo is None:
        # Without an offset, the moment is read as Vietnam's time, as a user means it.
        start = start.replace(tzinfo=VIETNAM)
    try:
        start = start.astimezone(VIETNAM)
    except (OverflowError, ValueError):
        raise InvalidStart(message) from None
    if not START_FIRST_YEAR <= start.year <= START_LAST_YEAR:
        raise InvalidStart(message)
    return start


def _parse_days(value: str) -> Decimal:
    if not value:
        raise InvalidDays(_("Cần có số ngày làm việc (days)."))
    if not _NUMBER.match(value):
        raise InvalidDays(_("Số ngày (days) phải là một số, ví dụ 15 hoặc 0.5."))
    days = Decimal(value)
    if days < 0:
        raise InvalidDays(_("Số ngày (days) không được âm."))
    if days > MAX_DAYS:
        raise InvalidDays(_("Số ngày (days) tối đa là %(max)s ngày làm việc.") % {"max": MAX_DAYS})
    exponent = days.normalize().as_tuple().exponent
    if isinstance(exponent, int) and exponent < -MAX_DAYS_DECIMALS:
        raise InvalidDays(
            _("Số ngày (days) có tối đa %(places)s chữ số thập phân (0,125 ngày là một giờ).")
            % {"places": MAX_DAYS_DECIMALS}
        )
    return days


def _parse_year(value: str) -> int:
    message = _("Năm (year) phải là một số từ %(first)s đến %(last)s.") % {
        "first": FIRST_YEAR,
        "last": LAST_YEAR,
    }
    if not value or not value.isascii() or not value.isdigit() or len(value) > 4:
        raise InvalidYear(message)
    year = int(value)
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise InvalidYear(message)
    return year


@router.get(
    "/deadline",
    response={200: DeadlineOut, 400: ErrorOut, 404: ErrorOut},
    summary="Tính hạn xử lý theo ngày làm việc",
    auth=None,
)
def deadline(
    request: HttpRequest,
    start: Annotated[str, AS_DATE_TIME] = Query(
        ...,
        description=(
            "Thời điểm bắt đầu, ISO 8601 (ví dụ `2026-01-05T08:00:00+07:00`, dấu `+` mã hóa là "
            "`%2B`); không có múi giờ thì hiểu là giờ Việt Nam. Ngoài giờ làm việc thì tính từ "
            "lúc mở cửa kế tiếp. Năm 1900–2200."
        ),
    ),
    days: Annotated[str, AS_NUMBER] = Query(
        ...,
        description="Số ngày làm việc, 0–365, tối đa 3 chữ số thập phân (`0.5` là nửa ngày).",
    ),
    agency: str | None = Query(
        None,
        description=(
            "Mã định danh cơ quan (ví dụ `000.00.00.H37`) để dùng giờ làm việc riêng của cơ "
            "quan; bỏ trống thì dùng giờ làm việc chung."
        ),
    ),
) -> dict[str, Any]:
    """Return the due moment ``days`` working days after ``start``.

    Counts Vietnam's statutory holidays (Tết by the lunar calendar, Hùng Kings' day, days off
    in lieu), the government's swapped working days and the agency's office hours.
    """
    start_moment = _parse_start(start)
    number = _parse_days(days)
    chosen = agency_by_code(code=agency) if agency else None
    due = due_moment(start=start_moment, days=number, agency=chosen)
    return {"start": start_moment, "days": format(number.normalize(), "f"), "due": due}


@router.get(
    "/calendar",
    response={200: CalendarOut, 400: ErrorOut},
    summary="Lịch ngày nghỉ lễ, ngày nghỉ và ngày làm bù của một năm",
    auth=None,
)
def calendar(
    request: HttpRequest,
    year: Annotated[str | None, AS_YEAR] = Query(
        None,
        description=(
            f"Năm dương lịch, {FIRST_YEAR}–{LAST_YEAR}; bỏ qua thì lấy năm hiện tại "
            "(theo giờ Việt Nam)."
        ),
    ),
) -> dict[str, Any]:
    """Return the year's holidays, days off and worked weekend days, by date: the current
    year in Vietnam unless ``year`` is given."""
    chosen = timezone.localdate(timezone=VIETNAM).year if year is None else _parse_year(year)
    days = [day._asdict() for day in non_working_days(year=chosen)]
    return {"year": chosen, "days": days}
