"""The catalog as an Excel workbook: the layout, the round trip, and errors by sheet and row."""

import io
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from sen.catalog.models import Field, Procedure
from sen.catalog.reports import ImportProblem
from sen.catalog.services import (
    catalog_export,
    catalog_export_xlsx,
    catalog_import,
    catalog_import_xlsx,
)
from sen.catalog.tests.conftest import JUSTICE, SERVICE_CENTRE
from sen.catalog.tests.factories import procedure_data
from sen.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def land_procedure() -> dict[str, Any]:
    """A provincial procedure with days and hours, agencies, two fees and multi-line lists."""
    return procedure_data(
        code="1.004227",
        name="Đăng ký đất đai lần đầu",
        field="dat-dai",
        online_level="partial",
        processing_days="1.5",
        implementations=[
            {"level": "province", "agency": JUSTICE},
            {"level": "commune", "agency": None},
        ],
        conditions="=Điều kiện bắt đầu bằng dấu bằng, không phải công thức",
        legal_basis=["Luật Đất đai số 31/2024/QH15", "Nghị định số 101/2024/NĐ-CP"],
        results=["Giấy chứng nhận", "Thông báo"],
        fees=[
            {"kind": "fee", "amount": 100000, "description": "Lệ phí cấp giấy"},
            {"kind": "charge", "amount": 250000, "description": "Phí thẩm định"},
        ],
        steps=[
            {
                "name": "Tiếp nhận",
                "role": "one_stop",
                "agency": SERVICE_CENTRE,
                "duration": "0.25",
                "unit": "hours",
            },
            {
                "name": "Thẩm định",
                "role": "specialist",
                "agency": JUSTICE,
                "duration": "1",
                "unit": "days",
            },
            {"name": "Ký", "role": "leader", "agency": None, "duration": "3.5", "unit": "hours"},
            {
                "name": "Trả kết quả",
                "role": "clerk",
                "agency": None,
                "duration": "0.25",
                "unit": "hours",
            },
        ],
    )


def catalog() -> dict[str, Any]:
    return {
        "format": "sen.catalog/1",
        "fields": [{"code": "ho-tich", "name": "Hộ tịch"}, {"code": "dat-dai", "name": "Đất đai"}],
        "procedures": [procedure_data(), land_procedure()],
    }


def cells(content: bytes) -> dict[str, list[tuple[Any, ...]]]:
    workbook = load_workbook(io.BytesIO(content))
    return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in workbook}


def edited(content: bytes, changes: dict[tuple[str, str], Any]) -> bytes:
    """Return the workbook with cells changed: {(sheet, "B3"): value}."""
    workbook = load_workbook(io.BytesIO(content))
    for (sheet, cell), value in changes.items():
        workbook[sheet][cell] = value
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


@pytest.fixture
def exported(refs) -> bytes:
    catalog_import(data=catalog(), actor=None)
    return catalog_export_xlsx()


def test_the_workbook_has_the_sheets_and_vietnamese_headers_an_office_expects(exported):
    sheets = cells(exported)

    assert list(sheets) == ["Thủ tục", "Thành phần hồ sơ", "Phí, lệ phí", "Quy trình", "Lĩnh vực"]
    assert sheets["Thủ tục"][0] == (
        "Mã thủ tục",
        "Tên thủ tục",
        "Mã lĩnh vực",
        "Cấp thực hiện",
        "Cơ quan thực hiện",
        "Mức độ trực tuyến",
        "Thời hạn giải quyết (ngày làm việc)",
        "Trình tự thực hiện",
        "Đối tượng thực hiện",
        "Điều kiện thực hiện",
        "Căn cứ pháp lý",
        "Kết quả thực hiện",
        "Biểu mẫu điện tử (JSON Schema)",
        "Nhận tài liệu Office",
    )
    land = sheets["Thủ tục"][2]
    assert land[:7] == (
        "1.004227",
        "Đăng ký đất đai lần đầu",
        "dat-dai",
        "Cấp tỉnh\nCấp xã",
        "000.00.12.H37 — Sở Tư pháp\nỦy ban nhân dân cấp xã",
        "Một phần",
        1.5,
    )
    assert land[9] == "=Điều kiện bắt đầu bằng dấu bằng, không phải công thức"
    assert land[10] == "Luật Đất đai số 31/2024/QH15\nNghị định số 101/2024/NĐ-CP"
    assert sheets["Thành phần hồ sơ"][:3] == [
        ("Mã thủ tục", "STT", "Tên giấy tờ", "Số bản chính", "Số bản sao", "Bắt buộc", "Ghi chú"),
        ("1.001193", 1, "Tờ khai đăng ký khai sinh", 1, 0, "Có", None),
        ("1.001193", 2, "Văn bản ủy quyền", 1, 0, "Không", "Khi ủy quyền"),
    ]
    assert sheets["Phí, lệ phí"] == [
        ("Mã thủ tục", "STT", "Loại", "Mức thu (đồng)", "Mô tả, điều kiện áp dụng"),
        ("1.001193", 1, "Lệ phí", 8000, "Lệ phí đăng ký khai sinh"),
        ("1.004227", 1, "Lệ phí", 100000, "Lệ phí cấp giấy"),
        ("1.004227", 2, "Phí", 250000, "Phí thẩm định"),
    ]
    assert sheets["Quy trình"][4:8] == [
        (
            "1.004227",
            1,
            "Tiếp nhận",
            "Cán bộ một cửa",
            "000.00.01.H37 — Trung tâm Phục vụ hành chính công tỉnh",
            0.25,
            "Giờ làm việc",
        ),
        (
            "1.004227",
            2,
            "Thẩm định",
            "Chuyên viên",
            "000.00.12.H37 — Sở Tư pháp",
            1,
            "Ngày làm việc",
        ),
        ("1.004227", 3, "Ký", "Lãnh đạo", None, 3.5, "Giờ làm việc"),
        ("1.004227", 4, "Trả kết quả", "Văn thư", None, 0.25, "Giờ làm việc"),
    ]
    assert sheets["Lĩnh vực"] == [
        ("Mã lĩnh vực", "Tên lĩnh vực"),
        ("dat-dai", "Đất đai"),
        ("ho-tich", "Hộ tịch"),
    ]


def test_an_exported_workbook_imported_into_an_empty_catalog_gives_the_same_export(exported):
    before = catalog_export()
    Procedure.objects.all().delete()
    Field.objects.all().delete()

    report = catalog_import_xlsx(content=exported, actor=None)

    assert report.ok, report.lines()
    assert report.created == 2
    assert catalog_export() == before
    assert cells(catalog_export_xlsx()) == cells(exported)


def test_importing_the_workbook_over_the_same_catalog_changes_nothing(exported):
    report = catalog_import_xlsx(content=exported, actor=None)

    assert (report.created, report.new_versions, report.unchanged) == (0, 0, 2)


def test_an_edited_cell_becomes_a_new_version(exported):
    content = edited(exported, {("Phí, lệ phí", "D2"): 10000})

    report = catalog_import_xlsx(content=content, actor=None)

    assert [(row.code, row.outcome) for row in report.rows] == [
        ("1.001193", "new_version"),
        ("1.004227", "unchanged"),
    ]
    current = Procedure.objects.get(code="1.001193", is_current=True)
    assert [fee.amount for fee in current.fees.all()] == [10000]


def test_errors_name_the_sheet_the_row_and_the_column_and_nothing_is_written(exported):
    before = (Procedure.objects.count(), AuditEntry.objects.count())
    content = edited(
        exported,
        {
            ("Thủ tục", "F3"): "Toàn phần",
            ("Thủ tục", "M2"): "{không phải JSON",
            ("Thành phần hồ sơ", "F3"): "Có lẽ",
            ("Thành phần hồ sơ", "D2"): "một",
            ("Phí, lệ phí", "D3"): -5,
            ("Quy trình", "D6"): "Giám đốc",
            ("Quy trình", "F7"): 3.75,
            ("Lĩnh vực", "B2"): None,
        },
    )

    report = catalog_import_xlsx(content=content, actor=None)

    def where(problem: ImportProblem) -> tuple[Any, ...]:
        return (problem.sheet, problem.row, problem.column, problem.code, problem.message)

    assert [where(problem) for problem in report.problems] == [
        (
            "Thủ tục",
            2,
            "Biểu mẫu điện tử (JSON Schema)",
            "1.001193",
            "Biểu mẫu điện tử không phải JSON đọc được: Expecting property name enclosed in "
            "double quotes: line 1 column 2 (char 1)",
        ),
        (
            "Thủ tục",
            3,
            "Mức độ trực tuyến",
            "1.004227",
            "Phải là một trong: «Toàn trình», «Một phần», «Không trực tuyến».",
        ),
        (
            "Thủ tục",
            3,
            "Thời hạn giải quyết (ngày làm việc)",
            "1.004227",
            "Tổng thời gian các bước là 12.25 giờ làm việc, phải bằng thời hạn giải quyết "
            "1.5 ngày × 8 giờ = 12 giờ làm việc.",
        ),
        ("Thành phần hồ sơ", 2, "Số bản chính", "1.001193", "Phải là số nguyên từ 0 đến 32767."),
        ("Thành phần hồ sơ", 3, "Bắt buộc", "1.001193", "Phải là một trong: «Có», «Không»."),
        (
            "Phí, lệ phí",
            3,
            "Mức thu (đồng)",
            "1.004227",
            "Mức thu phải là số nguyên đồng không âm.",
        ),
        (
            "Quy trình",
            6,
            "Vai trò",
            "1.004227",
            "Phải là một trong: «Cán bộ một cửa», «Chuyên viên», «Lãnh đạo», «Văn thư».",
        ),
        ("Lĩnh vực", 2, "Tên lĩnh vực", "", "Không được để trống."),
    ]
    assert str(report.problems[3]) == (
        "sheet «Thành phần hồ sơ», dòng 2, cột «Số bản chính», thủ tục 1.001193: "
        "Phải là số nguyên từ 0 đến 32767."
    )
    assert (Procedure.objects.count(), AuditEntry.objects.count()) == before


def test_rows_of_an_unknown_procedure_and_a_bad_order_number_are_reported(exported):
    content = edited(
        exported,
        {("Thành phần hồ sơ", "A3"): "1.999999", ("Quy trình", "B2"): "một"},
    )

    report = catalog_import_xlsx(content=content, actor=None)

    assert [(p.sheet, p.row, p.column, p.message) for p in report.problems] == [
        (
            "Thành phần hồ sơ",
            3,
            "Mã thủ tục",
            "Không có thủ tục mã «1.999999» ở sheet «Thủ tục».",
        ),
        ("Quy trình", 2, "STT", "STT phải là số nguyên dương."),
    ]


def test_an_unknown_agency_and_unequal_level_and_agency_lines_are_reported(exported):
    content = edited(
        exported,
        {
            ("Thủ tục", "E3"): "000.99.99.H37 — Sở không có\nỦy ban nhân dân cấp xã",
            ("Thủ tục", "D2"): "Cấp xã\nCấp tỉnh",
        },
    )

    report = catalog_import_xlsx(content=content, actor=None)

    assert [(p.sheet, p.row, p.column, p.field, p.message) for p in report.problems] == [
        (
            "Thủ tục",
            2,
            "Cơ quan thực hiện",
            "implementations",
            "Mỗi dòng ở cột «Cấp thực hiện» phải có đúng một dòng tương ứng ở cột «Cơ quan thực "
            "hiện» (có 2 và 1 dòng).",
        ),
        (
            "Thủ tục",
            3,
            "Cơ quan thực hiện",
            "implementations[0].agency",
            "Không có cơ quan mã «000.99.99.H37».",
        ),
    ]


def test_a_workbook_without_the_procedure_sheet_or_a_column_is_refused(refs):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Quy trình"
    sheet.append(["Mã thủ tục", "STT", "Tên bước"])
    output = io.BytesIO()
    workbook.save(output)

    report = catalog_import_xlsx(content=output.getvalue(), actor=None)

    assert [(p.sheet, p.row, p.column, p.message) for p in report.problems] == [
        ("Thủ tục", None, "", "Thiếu sheet «Thủ tục»."),
        ("Quy trình", 1, "Vai trò", "Thiếu cột «Vai trò»."),
        ("Quy trình", 1, "Cơ quan thực hiện", "Thiếu cột «Cơ quan thực hiện»."),
        ("Quy trình", 1, "Thời gian", "Thiếu cột «Thời gian»."),
        ("Quy trình", 1, "Đơn vị", "Thiếu cột «Đơn vị»."),
    ]


def test_a_file_that_is_not_a_workbook_is_refused(refs):
    report = catalog_import_xlsx(content=b"%PDF-1.7 not a workbook", actor=None)

    assert [str(problem) for problem in report.problems] == [
        "Tệp không phải là bảng tính Excel (.xlsx) đọc được."
    ]
    assert Procedure.objects.count() == 0


def test_people_may_type_without_diacritics_reorder_rows_and_use_codes(refs):
    """A sheet typed by hand: headers without diacritics, codes instead of labels, rows by STT."""
    workbook = Workbook()
    procedures = workbook.active
    procedures.title = "Thu tuc"
    procedures.append(
        [
            "Ten thu tuc",
            "Ma thu tuc",
            "Ma linh vuc",
            "Cap thuc hien",
            "Co quan thuc hien",
            "Muc do truc tuyen",
            "Thoi han giai quyet (ngay lam viec)",
            "Trinh tu thuc hien",
            "Doi tuong thuc hien",
            "Dieu kien thuc hien",
            "Can cu phap ly",
            "Ket qua thuc hien",
            "Bieu mau dien tu (JSON Schema)",
        ]
    )
    procedures.append(
        [
            "Đăng ký khai sinh",
            "1.001193",
            "ho-tich",
            "cap xa",
            "",
            "full",
            "1",
            None,
            None,
            None,
            None,
            None,
            '{"type": "object"}',
        ]
    )
    components = workbook.create_sheet("Thanh phan ho so")
    components.append(
        ["Ma thu tuc", "STT", "Ten giay to", "So ban chinh", "So ban sao", "Bat buoc", "Ghi chu"]
    )
    components.append(["1.001193", 2, "Giấy chứng sinh", 1, 0, "co", None])
    components.append(["1.001193", 1, "Tờ khai", 1, 0, "Có", None])
    steps = workbook.create_sheet("Quy trinh")
    steps.append(
        ["Ma thu tuc", "STT", "Ten buoc", "Vai tro", "Co quan thuc hien", "Thoi gian", "Don vi"]
    )
    steps.append(["1.001193", 2, "Thẩm định", "specialist", None, "7,5", "gio lam viec"])
    steps.append(["1.001193", 1, "Tiếp nhận", "Cán bộ một cửa", None, 0.5, "hours"])
    output = io.BytesIO()
    workbook.save(output)

    report = catalog_import_xlsx(content=output.getvalue(), actor=None)

    assert report.ok, report.lines()
    procedure = Procedure.objects.get()
    assert [c.name for c in procedure.components.all()] == ["Tờ khai", "Giấy chứng sinh"]
    assert [(s.name, str(s.duration)) for s in procedure.steps.all()] == [
        ("Tiếp nhận", "0.50"),
        ("Thẩm định", "7.50"),
    ]
    assert list(procedure.fees.all()) == []


def test_the_workbook_shows_an_agency_by_its_new_name_after_a_rename(exported, refs):
    refs.justice.name = "Sở Tư pháp tỉnh Ninh Bình"
    refs.justice.save()

    sheets = cells(catalog_export_xlsx())

    assert sheets["Thủ tục"][2][4] == (
        "000.00.12.H37 — Sở Tư pháp tỉnh Ninh Bình\nỦy ban nhân dân cấp xã"
    )
