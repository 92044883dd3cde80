"""The catalog as an Excel workbook, in a layout a provincial office recognises (pure, no database).

Five sheets: "Thủ tục" (one row per procedure; lists are written one item per line),
"Thành phần hồ sơ", "Phí, lệ phí" and "Quy trình" (one row per item, tied to its procedure
by the code and ordered by "STT"), and "Lĩnh vực". Columns are found by their headers,
in any order and with or without diacritics; coded values are written with their
Vietnamese labels and read back from the label or the code.

Sheet names, headers and labels are part of the file format, like the keys of the JSON
format: they are fixed Vietnamese strings, not translated.

``workbook_from_catalog`` writes a catalog dict (``sen.catalog/1``) and
``catalog_from_workbook`` reads one back, with the problems met while reading and a
function that places the problems found later, by the path of the value at fault, on
the sheet, row and column it came from.
"""

import dataclasses
import io
import json
import re
from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from sen.catalog.interchange import FORMAT
from sen.catalog.reports import ImportProblem
from sen.core.text import fold

PROCEDURES = "Thủ tục"
COMPONENTS = "Thành phần hồ sơ"
FEES = "Phí, lệ phí"
STEPS = "Quy trình"
FIELDS = "Lĩnh vực"

LEVEL_LABELS = {"province": "Cấp tỉnh", "commune": "Cấp xã"}
ONLINE_LABELS = {"full": "Toàn trình", "partial": "Một phần", "none": "Không trực tuyến"}
FEE_LABELS = {"fee": "Lệ phí", "charge": "Phí"}
ROLE_LABELS = {
    "one_stop": "Cán bộ một cửa",
    "specialist": "Chuyên viên",
    "leader": "Lãnh đạo",
    "clerk": "Văn thư",
}
UNIT_LABELS = {"hours": "Giờ làm việc", "days": "Ngày làm việc"}
BOOL_LABELS = {True: "Có", False: "Không"}
# What an implementation without an agency is written as: every commune people's committee.
EVERY_COMMUNE = "Ủy ban nhân dân cấp xã"
_EVERY_COMMUNE_FOLDED = {"", "-", fold(EVERY_COMMUNE), "ubnd cap xa", "moi ubnd cap xa"}


@dataclasses.dataclass(frozen=True)
class Column:
    """A column of a sheet; an ``optional`` one may be missing from older workbooks."""

    key: str
    header: str
    width: int = 14
    wrap: bool = False
    optional: bool = False


SHEETS: dict[str, tuple[Column, ...]] = {
    PROCEDURES: (
        Column("code", "Mã thủ tục", 12),
        Column("name", "Tên thủ tục", 48, wrap=True),
        Column("field", "Mã lĩnh vực", 16),
        Column("levels", "Cấp thực hiện", 14, wrap=True),
        Column("agencies", "Cơ quan thực hiện", 40, wrap=True),
        Column("online_level", "Mức độ trực tuyến", 16),
        Column("processing_days", "Thời hạn giải quyết (ngày làm việc)", 16),
        Column("description", "Trình tự thực hiện", 60, wrap=True),
        Column("applicants", "Đối tượng thực hiện", 40, wrap=True),
        Column("conditions", "Điều kiện thực hiện", 40, wrap=True),
        Column("legal_basis", "Căn cứ pháp lý", 60, wrap=True),
        Column("results", "Kết quả thực hiện", 40, wrap=True),
        Column("form_schema", "Biểu mẫu điện tử (JSON Schema)", 60),
        Column("accepts_office_documents", "Nhận tài liệu Office", 14, optional=True),
    ),
    COMPONENTS: (
        Column("procedure", "Mã thủ tục", 12),
        Column("position", "STT", 6),
        Column("name", "Tên giấy tờ", 60, wrap=True),
        Column("originals", "Số bản chính", 12),
        Column("copies", "Số bản sao", 12),
        Column("required", "Bắt buộc", 10),
        Column("note", "Ghi chú", 40, wrap=True),
    ),
    FEES: (
        Column("procedure", "Mã thủ tục", 12),
        Column("position", "STT", 6),
        Column("kind", "Loại", 10),
        Column("amount", "Mức thu (đồng)", 16),
        Column("description", "Mô tả, điều kiện áp dụng", 60, wrap=True),
    ),
    STEPS: (
        Column("procedure", "Mã thủ tục", 12),
        Column("position", "STT", 6),
        Column("name", "Tên bước", 48, wrap=True),
        Column("role", "Vai trò", 18),
        Column("agency", "Cơ quan thực hiện", 40, wrap=True),
        Column("duration", "Thời gian", 10),
        Column("unit", "Đơn vị", 16),
    ),
    FIELDS: (
        Column("code", "Mã lĩnh vực", 20),
        Column("name", "Tên lĩnh vực", 40),
    ),
}
# Which sheet and column hold each key of a procedure's items.
_ITEM_SHEETS = {"components": COMPONENTS, "fees": FEES, "steps": STEPS}
_PROCEDURE_COLUMNS = {
    **{column.key: column.header for column in SHEETS[PROCEDURES]},
    "implementations": "Cấp thực hiện",
    "level": "Cấp thực hiện",
    "agency": "Cơ quan thực hiện",
    "steps": "Thời hạn giải quyết (ngày làm việc)",
}

_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_WRAP = Alignment(wrap_text=True, vertical="top")


# ---------------------------------------------------------------- writing


def workbook_from_catalog(catalog: dict[str, Any], *, agency_names: dict[str, str]) -> bytes:
    """Return a catalog dict (``sen.catalog/1``) as an .xlsx file.

    ``agency_names`` gives the names written beside the agency codes, for people.
    """
    workbook = Workbook()
    workbook.remove(workbook.worksheets[0])  # the empty sheet every new workbook has
    sheets: dict[str, _SheetWriter] = {}
    for title, columns in SHEETS.items():
        sheet = workbook.create_sheet(title)
        sheets[title] = _SheetWriter(sheet)
        for number, column in enumerate(columns, start=1):
            cell = sheet.cell(row=1, column=number, value=column.header)
            cell.font = _HEADER_FONT
            cell.fill = _HEADER_FILL
            cell.alignment = _WRAP
            sheet.column_dimensions[get_column_letter(number)].width = column.width
        sheet.freeze_panes = "A2"

    def agency_text(code: str | None) -> str:
        if code is None:
            return EVERY_COMMUNE
        name = agency_names.get(code)
        return f"{code} — {name}" if name else code

    for procedure in catalog["procedures"]:
        code = procedure["code"]
        sheets[PROCEDURES].append(
            {
                **procedure,
                "levels": "\n".join(
                    LEVEL_LABELS[item["level"]] for item in procedure["implementations"]
                ),
                "agencies": "\n".join(
                    agency_text(item["agency"]) for item in procedure["implementations"]
                ),
                "online_level": ONLINE_LABELS[procedure["online_level"]],
                "processing_days": _number(procedure["processing_days"]),
                "legal_basis": "\n".join(procedure["legal_basis"]),
                "results": "\n".join(procedure["results"]),
                "form_schema": json.dumps(procedure["form_schema"], ensure_ascii=False),
                "accepts_office_documents": BOOL_LABELS[
                    procedure.get("accepts_office_documents", False)
                ],
            },
        )
        for position, component in enumerate(procedure["components"], start=1):
            sheets[COMPONENTS].append(
                {
                    **component,
                    "procedure": code,
                    "position": position,
                    "required": BOOL_LABELS[component["required"]],
                },
            )
        for position, fee in enumerate(procedure["fees"], start=1):
            sheets[FEES].append(
                {**fee, "procedure": code, "position": position, "kind": FEE_LABELS[fee["kind"]]},
            )
        for position, step in enumerate(procedure["steps"], start=1):
            sheets[STEPS].append(
                {
                    **step,
                    "procedure": code,
                    "position": position,
                    "role": ROLE_LABELS[step["role"]],
                    "agency": "" if step["agency"] is None else agency_text(step["agency"]),
                    "duration": _number(step["duration"]),
                    "unit": UNIT_LABELS[step["unit"]],
                },
            )
    for field in catalog["fields"]:
        sheets[FIELDS].append(field)

    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def _number(text: str) -> int | float:
    """Write a decimal string as a number Excel shows and sums (halves and hundredths)."""
    value = Decimal(text)
    return int(value) if value == value.to_integral_value() else float(value)


class _SheetWriter:
    """Append rows to one sheet, styled by its columns."""

    def __init__(self, sheet: Worksheet) -> None:
        self.sheet = sheet
        self.columns = SHEETS[sheet.title]
        # openpyxl's max_row scans every cell: counting rows here keeps a 2,000-procedure
        # export linear (it took over a minute otherwise).
        self.row = 1

    def append(self, values: dict[str, Any]) -> None:
        self.row += 1
        for number, column in enumerate(self.columns, start=1):
            value = values.get(column.key)
            if isinstance(value, str):
                value = ILLEGAL_CHARACTERS_RE.sub("", value)
            cell = self.sheet.cell(row=self.row, column=number, value=value)
            if isinstance(value, str):
                if value.startswith("="):
                    cell.data_type = "s"  # text, not a formula
                # Styling a cell costs more than writing it: only text that needs wrapping.
                if column.wrap and ("\n" in value or len(value) > column.width):
                    cell.alignment = _WRAP


# ---------------------------------------------------------------- reading


@dataclasses.dataclass
class _Place:
    """Where one procedure's values were read: its row, and the rows of its items."""

    row: int
    items: dict[str, list[int]] = dataclasses.field(
        default_factory=lambda: {"components": [], "fees": [], "steps": []}
    )


class _Reader:
    def __init__(self) -> None:
        self.problems: list[ImportProblem] = []
        # (procedure index or None for fields, path) already reported while reading, so
        # that the same cell is not reported twice by the checks that follow.
        self.reported: set[tuple[int | None, str]] = set()

    def problem(
        self,
        sheet: str,
        row: int | None,
        message: str,
        *,
        column: str = "",
        code: str = "",
        index: int | None = None,
        path: str = "",
    ) -> None:
        self.problems.append(
            ImportProblem(
                message=message,
                field=path,
                index=index,
                code=code,
                sheet=sheet,
                row=row,
                column=column,
            )
        )
        if path:
            self.reported.add((index, path))


def _rows(
    reader: _Reader, workbook: Any, title: str, *, required: bool
) -> list[tuple[int, dict[str, Any]]]:
    """Return the non-empty rows of a sheet as (row number, {key: value}) by header."""
    sheet_names = {fold(name): name for name in workbook.sheetnames}
    name = sheet_names.get(fold(title))
    if name is None:
        if required:
            reader.problem(title, None, _("Thiếu sheet «%(sheet)s».") % {"sheet": title})
        return []
    rows = workbook[name].iter_rows(values_only=True)
    header = next(rows, ())
    positions = {fold(str(value)): number for number, value in enumerate(header) if value}
    columns: dict[str, int] = {}
    for column in SHEETS[title]:
        position = positions.get(fold(column.header))
        if position is None:
            if column.optional:
                continue
            reader.problem(
                title,
                1,
                _("Thiếu cột «%(column)s».") % {"column": column.header},
                column=column.header,
            )
        else:
            columns[column.key] = position
    if any(column.key not in columns for column in SHEETS[title] if not column.optional):
        return []
    result = []
    for number, values in enumerate(rows, start=2):
        if all(value is None or (isinstance(value, str) and not value.strip()) for value in values):
            continue
        result.append(
            (
                number,
                {
                    key: values[position] if position < len(values) else None
                    for key, position in columns.items()
                },
            )
        )
    return result


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _code(value: Any) -> str:
    # A code typed into a number cell comes back as a float: 1.00119 for 1.001190.
    if isinstance(value, float):
        return f"{value:.6f}"
    return _text(value)


def _lines(value: Any) -> list[str]:
    return [line.strip() for line in _text(value).splitlines() if line.strip()]


def _integer(value: Any) -> Any:
    """Return an integer cell as an int, anything else unchanged (the checks will say why)."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    if value is None:
        return None
    return value


def _decimal(value: Any) -> Any:
    """Return a number cell as a decimal string (the format's), anything else unchanged."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int | float):
        try:
            return format(Decimal(repr(value)).normalize(), "f")
        except InvalidOperation:  # pragma: no cover - repr of a float is always a number
            return value
    if isinstance(value, str):
        return value.strip().replace(",", ".")
    return value


def _choice(labels: dict[Any, str], value: Any) -> tuple[bool, Any]:
    """Return (found, code) for a cell holding a label or a code of ``labels``."""
    folded = fold(_text(value))
    for code, label in labels.items():
        if folded in (fold(label), fold(str(code))):
            return True, code
    return False, value


def _choice_message(labels: dict[Any, str]) -> str:
    return _("Phải là một trong: %(labels)s.") % {
        "labels": ", ".join(f"«{label}»" for label in labels.values())
    }


class Locator:
    """Place the problems the catalog checks find on the sheet, row and column they come from."""

    def __init__(
        self,
        places: list["_Place"],
        field_rows: list[int],
        reported: set[tuple[int | None, str]],
    ) -> None:
        self._places = places
        self._field_rows = field_rows
        self._reported = reported

    def __call__(self, problem: ImportProblem) -> ImportProblem:
        return _locate(problem, self._places, self._field_rows)

    def already_reported(self, problem: ImportProblem) -> bool:
        """Say whether reading the workbook already reported a problem with the same value."""
        return (problem.index, problem.field) in self._reported


def catalog_from_workbook(content: bytes) -> tuple[dict[str, Any], Locator, list[ImportProblem]]:
    """Read a workbook written by ``workbook_from_catalog`` (or by people, in its layout).

    Return the catalog dict, a ``Locator`` for the problems the catalog checks will find
    in it, and the problems met while reading.
    """
    reader = _Reader()
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds of errors for a file that is not a workbook
        reader.problem("", None, _("Tệp không phải là bảng tính Excel (.xlsx) đọc được."))
        empty = {"format": FORMAT, "fields": [], "procedures": []}
        return empty, Locator([], [], set()), reader.problems

    procedures: list[dict[str, Any]] = []
    places: list[_Place] = []
    index_by_code: dict[str, int] = {}
    for row, values in _rows(reader, workbook, PROCEDURES, required=True):
        index = len(procedures)
        code = _code(values["code"])
        procedure = _read_procedure(reader, row, index, code, values)
        index_by_code.setdefault(code, index)
        procedures.append(procedure)
        places.append(_Place(row))

    readers = {"components": _read_component, "fees": _read_fee, "steps": _read_step}
    for key, title in _ITEM_SHEETS.items():
        collected: dict[int, list[tuple[Any, int, dict[str, Any]]]] = defaultdict(list)
        for row, values in _rows(reader, workbook, title, required=False):
            code = _code(values["procedure"])
            index = index_by_code.get(code)  # type: ignore[assignment]
            if index is None:
                reader.problem(
                    title,
                    row,
                    _("Không có thủ tục mã «%(code)s» ở sheet «%(sheet)s».")
                    % {"code": code, "sheet": PROCEDURES},
                    column=SHEETS[title][0].header,
                    code=code,
                )
                continue
            position = _integer(values["position"])
            if not isinstance(position, int) or position < 1:
                reader.problem(
                    title,
                    row,
                    _("STT phải là số nguyên dương."),
                    column="STT",
                    code=code,
                )
                position = None
            collected[index].append((position, row, values))
        for index, entries in collected.items():
            # By STT, and rows without a usable STT in the order they come.
            entries.sort(key=lambda entry: (entry[0] is None, entry[0] or 0, entry[1]))
            code = procedures[index]["code"]
            items = []
            for item_index, (_position, row, values) in enumerate(entries):
                path = f"{key}[{item_index}]"
                items.append(readers[key](reader, title, row, index, code, path, values))
                places[index].items[key].append(row)
            procedures[index][key] = items
    for procedure in procedures:
        for key in _ITEM_SHEETS:
            procedure.setdefault(key, [])

    fields = []
    field_rows = []
    for row, values in _rows(reader, workbook, FIELDS, required=False):
        fields.append({"code": _text(values["code"]), "name": _text(values["name"])})
        field_rows.append(row)
    workbook.close()

    catalog = {"format": FORMAT, "fields": fields, "procedures": procedures}
    return catalog, Locator(places, field_rows, reader.reported), reader.problems


def _locate(problem: ImportProblem, places: list[_Place], field_rows: list[int]) -> ImportProblem:
    path = problem.field
    match = re.match(r"(components|fees|steps|fields)\[(\d+)\](?:\.(\w+))?", path)
    if match and match.group(1) == "fields":
        number = int(match.group(2))
        header = {column.key: column.header for column in SHEETS[FIELDS]}.get(
            match.group(3) or "", ""
        )
        row = field_rows[number] if number < len(field_rows) else None
        return dataclasses.replace(problem, sheet=FIELDS, row=row, column=header)
    if problem.index is None or problem.index >= len(places):
        return dataclasses.replace(problem, sheet=problem.sheet or PROCEDURES)
    place = places[problem.index]
    if match:
        key, number, leaf = match.group(1), int(match.group(2)), match.group(3) or ""
        rows = place.items[key]
        if number < len(rows):
            title = _ITEM_SHEETS[key]
            header = {column.key: column.header for column in SHEETS[title]}.get(leaf, "")
            return dataclasses.replace(problem, sheet=title, row=rows[number], column=header)
    leaf = re.sub(r"\[\d+\]", "", path).split(".")[-1]
    head = path.split("[")[0].split(".")[0]
    column = _PROCEDURE_COLUMNS.get(leaf) or _PROCEDURE_COLUMNS.get(head, "")
    if head in _ITEM_SHEETS and head != "steps":
        column = ""
    return dataclasses.replace(problem, sheet=PROCEDURES, row=place.row, column=column)


def _read_procedure(
    reader: _Reader, row: int, index: int, code: str, values: dict[str, Any]
) -> dict[str, Any]:
    def report(key: str, message: str, path: str = "") -> None:
        header = {column.key: column.header for column in SHEETS[PROCEDURES]}[key]
        reader.problem(
            PROCEDURES, row, message, column=header, code=code, index=index, path=path or key
        )

    found, online_level = _choice(ONLINE_LABELS, values["online_level"])
    if not found:
        report("online_level", _choice_message(ONLINE_LABELS))

    implementations = []
    levels = _lines(values["levels"])
    agencies = _lines(values["agencies"])
    if not agencies:
        agencies = [""] * len(levels)
    if len(agencies) != len(levels):
        report(
            "agencies",
            _(
                "Mỗi dòng ở cột «Cấp thực hiện» phải có đúng một dòng tương ứng ở cột "
                "«Cơ quan thực hiện» (có %(levels)d và %(agencies)d dòng)."
            )
            % {"levels": len(levels), "agencies": len(agencies)},
            path="implementations",
        )
    for number, (level_text, agency_text) in enumerate(zip(levels, agencies, strict=False)):
        found, level = _choice(LEVEL_LABELS, level_text)
        if not found:
            report("levels", _choice_message(LEVEL_LABELS), path=f"implementations[{number}].level")
        implementations.append({"level": level, "agency": _agency(agency_text)})

    form_schema: Any = None
    schema_text = _text(values["form_schema"])
    if schema_text:
        try:
            form_schema = json.loads(schema_text)
        except ValueError as error:
            report(
                "form_schema",
                _("Biểu mẫu điện tử không phải JSON đọc được: %(error)s") % {"error": error},
            )
    procedure: dict[str, Any] = {
        "code": code,
        "name": _text(values["name"]),
        "field": _text(values["field"]),
        "online_level": online_level,
        "processing_days": _decimal(values["processing_days"]),
        "implementations": implementations,
        "description": _text(values["description"]),
        "applicants": _text(values["applicants"]),
        "conditions": _text(values["conditions"]),
        "legal_basis": _lines(values["legal_basis"]),
        "results": _lines(values["results"]),
    }
    if form_schema is not None:
        procedure["form_schema"] = form_schema
    # Optional: a workbook without the column, or a blank cell, means "no".
    office = values.get("accepts_office_documents")
    if _text(office):
        found, accepted = _choice(BOOL_LABELS, office)
        if not found:
            report("accepts_office_documents", _choice_message(BOOL_LABELS))
        elif accepted:
            procedure["accepts_office_documents"] = True
    if values["processing_days"] is None:
        del procedure["processing_days"]
    return procedure


def _agency(text: str) -> str | None:
    """Return the agency code a cell line starts with, or None for every commune committee."""
    if fold(text) in _EVERY_COMMUNE_FOLDED:
        return None
    return text.split()[0].rstrip(",;:")


def _item_reporter(
    reader: _Reader, title: str, row: int, index: int, code: str, path: str
) -> Callable[[str, str], None]:
    headers = {column.key: column.header for column in SHEETS[title]}

    def report(key: str, message: str) -> None:
        reader.problem(
            title,
            row,
            message,
            column=headers[key],
            code=code,
            index=index,
            path=f"{path}.{key}",
        )

    return report


def _read_component(
    reader: _Reader, title: str, row: int, index: int, code: str, path: str, values: dict[str, Any]
) -> dict[str, Any]:
    report = _item_reporter(reader, title, row, index, code, path)
    found, required = _choice(BOOL_LABELS, values["required"])
    if not found:
        report("required", _choice_message(BOOL_LABELS))
        required = True
    component = {
        "name": _text(values["name"]),
        "originals": _integer(values["originals"]),
        "copies": _integer(values["copies"]),
        "required": required,
        "note": _text(values["note"]),
    }
    return {key: value for key, value in component.items() if value is not None}


def _read_fee(
    reader: _Reader, title: str, row: int, index: int, code: str, path: str, values: dict[str, Any]
) -> dict[str, Any]:
    report = _item_reporter(reader, title, row, index, code, path)
    found, kind = _choice(FEE_LABELS, values["kind"])
    if not found:
        report("kind", _choice_message(FEE_LABELS))
    return {
        "kind": kind,
        "amount": _integer(values["amount"]),
        "description": _text(values["description"]),
    }


def _read_step(
    reader: _Reader, title: str, row: int, index: int, code: str, path: str, values: dict[str, Any]
) -> dict[str, Any]:
    report = _item_reporter(reader, title, row, index, code, path)
    found, role = _choice(ROLE_LABELS, values["role"])
    if not found:
        report("role", _choice_message(ROLE_LABELS))
    found, unit = _choice(UNIT_LABELS, values["unit"])
    if not found:
        report("unit", _choice_message(UNIT_LABELS))
    agency_text = _text(values["agency"])
    return {
        "name": _text(values["name"]),
        "role": role,
        "agency": agency_text.split()[0].rstrip(",;:") if agency_text else None,
        "duration": _decimal(values["duration"]),
        "unit": unit,
    }
