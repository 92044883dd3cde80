"""Exports of an indicator report: Excel in the layout a provincial office sends upward, CSV.

The workbook has two sheets. "Chỉ số" holds the title, the unit, the period and the moment
unfinished dossiers were judged, then the index table (group, indicator, maximum points,
counts, rate, score, note) with a total row. "Theo thủ tục" holds the statistics by field and
procedure with two header rows (received: total and by channel; resolved: total, early, on
time, late; …) and a total row. CSV gives one of the two tables, with one header row.
"""

import csv
import io
from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from sen.core.spreadsheets import csv_safe, xlsx_cell
from sen.core.timezones import short_moment
from sen.reports.indicators import to_float
from sen.reports.selectors import IndicatorReport

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"
TABLES = ("index", "procedures")


def _procedure_columns() -> tuple[tuple[str, str, str], ...]:
    """Return the counters of the statistics by procedure, each with the header of its group
    and of its column, in the reader's language."""
    received, resolved, other, total = _("Tiếp nhận"), _("Đã giải quyết"), _("Khác"), _("Tổng")
    return (
        ("received", received, total),
        ("received_online", received, _("Trực tuyến")),
        ("received_desk", received, _("Trực tiếp")),
        ("received_post", received, _("Bưu chính")),
        ("resolved", resolved, total),
        ("resolved_early", resolved, _("Trước hạn")),
        ("resolved_on_time", resolved, _("Đúng hạn")),
        ("resolved_late", resolved, _("Quá hạn")),
        ("refused", other, _("Từ chối")),
        ("withdrawn", other, _("Rút")),
        ("stopped", other, _("Dừng")),
    )


def index_rows(report: IndicatorReport) -> list[list[Any]]:
    """Return the index table: one row per group, then its indicators, then the total."""
    rows: list[list[Any]] = []
    for number, group in enumerate(report.groups, start=1):
        rows.append(
            [str(number), group.name, to_float(group.max_points), None, None, None,
             to_float(group.score), ""]
        )  # fmt: skip
        for sub, item in enumerate(group.indicators, start=1):
            rows.append(
                [
                    f"{number}.{sub}",
                    item.name,
                    to_float(item.max_points),
                    item.numerator,
                    item.denominator,
                    to_float(item.rate),
                    to_float(item.score),
                    item.note or ("" if item.supported else _("Chưa hỗ trợ")),
                ]
            )
    rows.append(
        ["", _("Tổng điểm"), to_float(report.max_score), None, None, None,
         to_float(report.index), _("Trên tổng điểm các chỉ tiêu đã tính được")]
    )  # fmt: skip
    return rows


def _index_header() -> list[str]:
    return [
        _("STT"),
        _("Nhóm, chỉ tiêu"),
        _("Điểm tối đa"),
        _("Tử số"),
        _("Mẫu số"),
        _("Tỷ lệ"),
        _("Điểm"),
        _("Ghi chú"),
    ]


def procedure_rows(report: IndicatorReport) -> list[list[Any]]:
    """Return the statistics by procedure, sorted by field then code, and a total row."""
    lines = sorted(report.procedures, key=lambda line: (line.field_name, line.code, line.version))
    rows: list[list[Any]] = []
    totals = dict.fromkeys((c for c, _g, _h in _procedure_columns()), 0)
    for number, line in enumerate(lines, start=1):
        rows.append(
            [number, line.field_name, line.code, line.version, line.name]
            + [line.counters[c] for c in totals]
        )
        for counter in totals:
            totals[counter] += line.counters[counter]
    rows.append(["", _("Tổng cộng"), "", "", "", *totals.values()])
    return rows


def _procedure_header() -> list[str]:
    return [_("STT"), _("Lĩnh vực"), _("Mã TTHC"), _("Phiên bản"), _("Tên thủ tục")]


def _title(report: IndicatorReport) -> list[str]:
    return [
        _("BÁO CÁO CHỈ SỐ PHỤC VỤ NGƯỜI DÂN, DOANH NGHIỆP TRONG THỰC HIỆN TTHC, DVC"),
        _("(Theo Bộ chỉ số tại Quyết định 766/QĐ-TTg ngày 23/6/2022)"),
        _("Đơn vị: %(name)s (%(code)s)") % {"name": report.unit.name, "code": report.unit.code},
        _("Kỳ báo cáo: %(period)s") % {"period": report.period.key},
        _("Hồ sơ chưa giải quyết tính đến: %(moment)s")
        % {"moment": short_moment(report.judged_at)},
    ]


_THIN = Side(style="thin")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_BOLD = Font(bold=True)


def _write_table(
    sheet: Any, start: int, headers: list[list[Any]], rows: Iterable[list[Any]]
) -> int:
    """Write header rows (bold, boxed) then rows (boxed) from row ``start``; return next row."""
    row_number = start
    for header in headers:
        for column, value in enumerate(header, start=1):
            cell = sheet.cell(row=row_number, column=column, value=value)
            cell.font = _BOLD
            cell.border = _BOX
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        row_number += 1
    last = None
    for row in rows:
        for column, value in enumerate(row, start=1):
            cell = xlsx_cell(sheet, row=row_number, column=column, value=value)
            cell.border = _BOX
        last = row_number
        row_number += 1
    if last is not None:  # the total row
        for column in range(1, sheet.max_column + 1):
            sheet.cell(row=last, column=column).font = _BOLD
    return row_number


def report_xlsx(report: IndicatorReport) -> bytes:
    """Return the report as an Excel workbook (two sheets)."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None  # noqa: S101 - a new workbook has one sheet
    sheet.title = _("Chỉ số")
    for number, line in enumerate(_title(report), start=1):
        sheet.cell(row=number, column=1, value=line).font = _BOLD if number == 1 else Font()
    _write_table(sheet, 7, [_index_header()], index_rows(report))
    for column, width in enumerate((6, 60, 11, 10, 10, 9, 9, 50), start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width

    by_procedure = book.create_sheet(_("Theo thủ tục"))
    for number, line in enumerate(_title(report), start=1):
        by_procedure.cell(row=number, column=1, value=line).font = _BOLD if number == 1 else Font()
    fixed, counted = _procedure_header(), _procedure_columns()
    groups = fixed + [group for _c, group, _h in counted]
    columns = [""] * len(fixed) + [head for _c, _g, head in counted]
    _write_table(by_procedure, 7, [groups, columns], procedure_rows(report))
    # The group headers span their columns; the fixed headers span both header rows.
    for column in range(1, len(fixed) + 1):
        by_procedure.merge_cells(start_row=7, end_row=8, start_column=column, end_column=column)
    column = len(fixed) + 1
    for group in dict.fromkeys(g for _c, g, _h in counted):
        span = sum(1 for _c, g, _h in counted if g == group)
        by_procedure.merge_cells(
            start_row=7, end_row=7, start_column=column, end_column=column + span - 1
        )
        column += span
    for column, width in enumerate((6, 24, 11, 9, 60), start=1):
        by_procedure.column_dimensions[get_column_letter(column)].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def report_csv(report: IndicatorReport, table: str = "index") -> bytes:
    """Return one table of the report as CSV (UTF-8 with BOM, so Excel reads the diacritics)."""
    out = io.StringIO()
    writer = csv.writer(out)
    if table == "procedures":
        writer.writerow(_procedure_header() + [f"{g} - {h}" for _c, g, h in _procedure_columns()])
        writer.writerows([csv_safe(value) for value in row] for row in procedure_rows(report))
    else:
        writer.writerow(_index_header())
        writer.writerows([csv_safe(value) for value in row] for row in index_rows(report))
    return ("\ufeff" + out.getvalue()).encode("utf-8")
