"""A period's figures as a workbook or CSV, in the layout a provincial office sends upward.

One row per indicator (STT, code, name, unit of measure), one column per reporting unit and
a last column with the province's total (or mean, for indicators averaged across units);
above the table, the title, the period, the deadline and how many units reported; below
it, the units that did not report. Headers are fixed Vietnamese strings: they are part of
the file format, as in ``sen.catalog.excel``.
"""

import csv
import io
from decimal import Decimal

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from sen.core.spreadsheets import csv_safe, xlsx_cell
from sen.periodic.selectors import PeriodOverview, ReporterState
from sen.periodic.values import Aggregation, ValueType, plain_decimal

FIXED_HEADERS = ("STT", "Mã chỉ tiêu", "Chỉ tiêu", "Đơn vị tính")
TOTAL_HEADER = "Tổng hợp toàn tỉnh"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_THIN = Side(style="thin")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


def export_filename(overview: PeriodOverview, extension: str) -> str:
    """Return the file name of an export: ``KTXH-01_2026-03.xlsx``."""
    return f"{overview.period.form.code}_{overview.period.key}.{extension}"


def _number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _summary_lines(overview: PeriodOverview) -> list[str]:
    period = overview.period
    due = timezone.localtime(period.due_at)
    total = len(overview.reporters)
    return [
        f"Kỳ báo cáo: {period.label} "
        f"(từ {period.starts_on:%d/%m/%Y} đến {period.ends_on:%d/%m/%Y})",
        f"Hạn nộp: {due:%H:%M} ngày {due:%d/%m/%Y}",
        f"Số đơn vị đã nộp: {overview.submitted}/{total} "
        f"(đúng hạn {overview.counts.get(ReporterState.ON_TIME, 0)}, "
        f"trễ hạn {overview.counts.get(ReporterState.LATE, 0)})",
    ]


def _total_label(aggregation: str) -> str:
    return "Bình quân" if aggregation == Aggregation.AVERAGE else "Cộng"


def period_workbook(overview: PeriodOverview) -> bytes:
    """Return the period's figures as an Excel workbook (.xlsx)."""
    form = overview.period.form
    book = Workbook()
    sheet = book.active
    assert sheet is not None  # noqa: S101 - a new workbook always has one sheet
    sheet.title = "Tổng hợp"
    headers = [*FIXED_HEADERS, *(row.agency.name for row in overview.reporters), TOTAL_HEADER]
    width = len(headers)
    last_column = get_column_letter(width)
    title_lines = [
        f"{form.province.name.upper()}",
        f"BÁO CÁO TỔNG HỢP: {form.name.upper()}",
        f"Biểu mẫu {form.code}",
        *_summary_lines(overview),
    ]
    for number, text in enumerate(title_lines, start=1):
        xlsx_cell(sheet, row=number, column=1, value=text)
        sheet.merge_cells(f"A{number}:{last_column}{number}")
        sheet.cell(row=number, column=1).alignment = Alignment(horizontal="center")
        sheet.cell(row=number, column=1).font = Font(
            bold=number <= 2, size=13 if number == 2 else 11
        )
    header_row = len(title_lines) + 2
    for column, text in enumerate(headers, start=1):
        cell = xlsx_cell(sheet, row=header_row, column=column, value=text)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = _BOX
    # A second header line under the units: their code, so that figures can be traced back.
    codes = ["", "", "", "", *(row.agency.code for row in overview.reporters), ""]
    for column, text in enumerate(codes, start=1):
        cell = sheet.cell(row=header_row + 1, column=column, value=text or None)
        cell.alignment = Alignment(horizontal="center")
        cell.font = Font(italic=True, size=9)
        cell.border = _BOX
    for number, line in enumerate(overview.indicators, start=1):
        row = header_row + 1 + number
        indicator = line.indicator
        fixed: list[int | float | str | None] = [
            number,
            indicator.code,
            indicator.name,
            indicator.unit,
        ]
        for column, value in enumerate(
            [*fixed, *(_number(v) for v in line.values), _number(line.total)], start=1
        ):
            cell = xlsx_cell(sheet, row=row, column=column, value=value)
            cell.border = _BOX
            if column > len(FIXED_HEADERS):
                cell.number_format = (
                    "#,##0" if indicator.value_type == ValueType.INTEGER else "#,##0.####"
                )
        total_cell = sheet.cell(row=row, column=width)
        total_cell.font = Font(bold=True)
        if line.total is not None:
            total_cell.number_format = "#,##0.####"
    note_row = header_row + 2 + len(overview.indicators) + 1
    averaged = [
        line.indicator.code
        for line in overview.indicators
        if line.indicator.aggregation == Aggregation.AVERAGE
    ]
    note = (
        "Cột tổng hợp: cộng các đơn vị; bình quân với các chỉ tiêu "
        f"{', '.join(averaged) or '(không có)'}. Chỉ tính các báo cáo đã nộp."
    )
    xlsx_cell(sheet, row=note_row, column=1, value=note)
    missing = [
        row
        for row in overview.reporters
        if row.state in (ReporterState.MISSING, ReporterState.OVERDUE)
    ]
    xlsx_cell(
        sheet,
        row=note_row + 1,
        column=1,
        value="Đơn vị chưa nộp: "
        + (
            "; ".join(f"{row.agency.name} ({row.state_label.lower()})" for row in missing)
            or "không có"
        ),
    )
    sheet.column_dimensions["A"].width = 5
    sheet.column_dimensions["B"].width = 12
    sheet.column_dimensions["C"].width = 40
    sheet.column_dimensions["D"].width = 12
    for column in range(len(FIXED_HEADERS) + 1, width + 1):
        sheet.column_dimensions[get_column_letter(column)].width = 18
    sheet.freeze_panes = f"{get_column_letter(len(FIXED_HEADERS) + 1)}{header_row + 2}"
    sheet.page_setup.orientation = "landscape"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _csv_number(value: Decimal | None) -> str:
    return plain_decimal(value) or ""


def period_csv(overview: PeriodOverview) -> bytes:
    """Return the period's table as CSV, UTF-8 with a byte-order mark so that Excel reads
    the diacritics (as ``sen.reports.exports`` does).

    One header line: the fixed columns, each unit as "name (code)", the total. Numbers are
    written with a decimal point and no grouping, for machines.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    # Text a spreadsheet would run as a formula (a name or unit starting with "=") is kept
    # as text; the numbers, written by Sen, may start with "-" and stay numbers.
    units = [csv_safe(f"{row.agency.name} ({row.agency.code})") for row in overview.reporters]
    writer.writerow([*FIXED_HEADERS, "Cách tổng hợp", *units, TOTAL_HEADER])
    for number, line in enumerate(overview.indicators, start=1):
        indicator = line.indicator
        writer.writerow(
            [
                number,
                csv_safe(indicator.code),
                csv_safe(indicator.name),
                csv_safe(indicator.unit),
                _total_label(indicator.aggregation),
                *(_csv_number(value) for value in line.values),
                _csv_number(line.total),
            ]
        )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
