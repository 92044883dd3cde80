"""Saving one procedure: every rule of the format, and versions that are never edited."""

from decimal import Decimal
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.db import connection

from sen.catalog import services
from sen.catalog.models import DocumentComponent, Procedure
from sen.catalog.services import InvalidProcedure, ProcedureConflict, procedure_save
from sen.catalog.tests.conftest import ENVIRONMENT, JUSTICE, SERVICE_CENTRE
from sen.catalog.tests.factories import one_step, procedure_data
from sen.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def problems_of(data: dict[str, Any]) -> list[dict[str, str]]:
    """Return the details of the InvalidProcedure that saving ``data`` raises."""
    with pytest.raises(InvalidProcedure) as raised:
        procedure_save(data=data, actor=None)
    assert raised.value.code == "invalid_procedure"
    assert raised.value.status == 400
    return raised.value.details


def fields_of(data: dict[str, Any]) -> list[str]:
    return [problem["field"] for problem in problems_of(data)]


# ------------------------------------------------------------------ good procedures


def test_a_valid_procedure_is_saved_as_version_1_with_all_its_parts(refs):
    procedure = procedure_save(data=procedure_data(), actor=refs.officer)

    assert (procedure.code, procedure.version, procedure.is_current) == ("1.001193", 1, True)
    assert procedure.name == "Đăng ký khai sinh"
    assert procedure.field == refs.civil_status
    assert procedure.processing_days == Decimal("1.0")
    assert procedure.superseded_at is None
    assert [(i.position, i.level, i.agency) for i in procedure.implementations.all()] == [
        (1, "commune", None)
    ]
    assert [(c.position, c.name, c.required) for c in procedure.components.all()] == [
        (1, "Tờ khai đăng ký khai sinh", True),
        (2, "Văn bản ủy quyền", False),
    ]
    assert [(f.kind, f.amount) for f in procedure.fees.all()] == [("fee", 8000)]
    assert [(s.role, s.duration, s.unit) for s in procedure.steps.all()] == [
        ("one_stop", Decimal("1.00"), "hours"),
        ("specialist", Decimal("6.00"), "hours"),
        ("leader", Decimal("1.00"), "hours"),
    ]


def test_the_search_text_is_the_folded_name_code_and_field(refs):
    procedure = procedure_save(data=procedure_data(name="Đăng ký kết hôn (trong nước)"), actor=None)

    assert procedure.search_text == " dang ki ket hon trong nuoc 1.001193 ho tich "
    assert procedure.search_name == "dang ki ket hon trong nuoc"


def test_on_postgresql_the_search_vector_is_filled_and_on_sqlite_left_empty(refs):
    procedure = procedure_save(data=procedure_data(), actor=None)

    vector = Procedure.objects.values_list("search_vector", flat=True).get(pk=procedure.pk)
    if connection.vendor == "postgresql":
        assert vector == "'1.001193':5 'dang':1 'ho':6 'khai':3 'ki':2 'sinh':4 'tich':7"
    else:
        assert vector is None


def test_saving_records_who_created_the_procedure_in_the_audit_log(refs):
    procedure_save(data=procedure_data(), actor=refs.officer)

    entry = AuditEntry.objects.get()
    assert (entry.action, entry.target_type, entry.target_key) == (
        "catalog.procedure.created",
        "catalog.procedure",
        "1.001193@1",
    )
    assert entry.actor == refs.officer
    assert entry.data["version"] == 1


@pytest.mark.parametrize(
    ("days", "steps"),
    [
        ("0.5", [{"name": "Giải quyết", "role": "specialist", "duration": "4", "unit": "hours"}]),
        (
            "1.5",
            [
                {"name": "Thẩm định", "role": "specialist", "duration": "1", "unit": "days"},
                {"name": "Ký", "role": "leader", "duration": "3.5", "unit": "hours"},
                {"name": "Trả", "role": "clerk", "duration": "0.5", "unit": "hours"},
            ],
        ),
        (
            "2",
            [
                {"name": "Tiếp nhận", "role": "one_stop", "duration": "0.25", "unit": "hours"},
                {"name": "Thẩm định", "role": "specialist", "duration": "15.75", "unit": "hours"},
            ],
        ),
        (3, one_step("3")),
    ],
)
def test_the_steps_may_mix_days_and_hours_as_long_as_they_add_up_to_the_legal_time(
    refs, days, steps
):
    procedure = procedure_save(data=procedure_data(processing_days=days, steps=steps), actor=None)

    assert procedure.processing_days == Decimal(str(days))


def test_optional_keys_take_their_defaults(refs):
    data = procedure_data()
    for key in ("description", "applicants", "conditions", "legal_basis", "results", "fees"):
        del data[key]
    data["components"] = [{"name": "Tờ khai"}]
    data["steps"] = [{"name": "Giải quyết", "role": "specialist", "duration": "8", "unit": "hours"}]

    procedure = procedure_save(data=data, actor=None)

    assert (procedure.description, procedure.legal_basis, procedure.results) == ("", [], [])
    assert list(procedure.fees.all()) == []
    component = procedure.components.get()
    assert (component.originals, component.copies, component.required, component.note) == (
        1,
        0,
        True,
        "",
    )
    assert procedure.steps.get().agency is None


def test_a_provincial_procedure_names_its_agencies_and_steps_may_name_other_agencies(refs):
    data = procedure_data(
        implementations=[
            {"level": "province", "agency": JUSTICE},
            {"level": "commune", "agency": None},
        ],
        steps=[
            {
                "name": "Tiếp nhận",
                "role": "one_stop",
                "agency": SERVICE_CENTRE,
                "duration": "1",
                "unit": "hours",
            },
            {
                "name": "Thẩm định",
                "role": "specialist",
                "agency": JUSTICE,
                "duration": "7",
                "unit": "hours",
            },
        ],
    )

    procedure = procedure_save(data=data, actor=None)

    assert [(i.level, i.agency) for i in procedure.implementations.all()] == [
        ("province", refs.justice),
        ("commune", None),
    ]
    assert [s.agency for s in procedure.steps.all()] == [refs.service_centre, refs.justice]


def test_free_procedures_have_a_zero_fee(refs):
    procedure = procedure_save(
        data=procedure_data(fees=[{"kind": "charge", "amount": 0, "description": "Miễn phí"}]),
        actor=None,
    )

    assert procedure.fees.get().amount == 0


# ------------------------------------------------------------------ bad procedures


def test_every_problem_is_reported_at_once_and_nothing_is_written(refs):
    data = procedure_data(
        code="1001193", online_level="online", fees=[{"kind": "fee", "amount": -1}]
    )

    problems = problems_of(data)

    assert problems == [
        {
            "field": "code",
            "message": "Mã thủ tục phải có dạng 1.001193 (một chữ số, dấu chấm, sáu chữ số).",
        },
        {"field": "online_level", "message": "Mức độ trực tuyến phải là full, partial hoặc none."},
        {"field": "fees[0].amount", "message": "Mức thu phải là số nguyên đồng không âm."},
    ]
    assert Procedure.objects.count() == 0
    assert AuditEntry.objects.count() == 0


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"code": "1.00119"}, ["code"]),
        ({"code": "A.001193"}, ["code"]),
        ({"code": 1.001193}, ["code"]),
        ({"name": "  "}, ["name"]),
        ({"name": None}, ["name"]),
        ({"name": "x" * 501}, ["name"]),
        ({"field": "khong-co"}, ["field"]),
        ({"online_level": "level4"}, ["online_level"]),
        ({"processing_days": "abc"}, ["processing_days"]),
        ({"processing_days": 1.0}, ["processing_days"]),
        ({"processing_days": True}, ["processing_days"]),
        ({"description": 5}, ["description"]),
        ({"legal_basis": "Luật Hộ tịch"}, ["legal_basis"]),
        ({"results": ["Giấy khai sinh", ""]}, ["results[1]"]),
        ({"procesing_days": "1"}, ["procesing_days"]),
    ],
)
def test_each_top_level_rule_is_enforced(refs, change, expected):
    assert fields_of(procedure_data(**change)) == expected


def test_a_missing_code_name_field_or_time_is_reported(refs):
    data = procedure_data()
    for key in ("code", "name", "field", "online_level", "processing_days"):
        del data[key]

    assert problems_of(data) == [
        {
            "field": "code",
            "message": "Mã thủ tục phải có dạng 1.001193 (một chữ số, dấu chấm, sáu chữ số).",
        },
        {"field": "name", "message": "Không được để trống."},
        {"field": "field", "message": "Không được để trống."},
        {"field": "online_level", "message": "Mức độ trực tuyến phải là full, partial hoặc none."},
        {"field": "processing_days", "message": "Thiếu thời hạn giải quyết."},
    ]


@pytest.mark.parametrize(
    ("days", "message"),
    [
        ("0", "Thời hạn giải quyết phải lớn hơn 0 ngày."),
        ("-1", "Thời hạn giải quyết phải lớn hơn 0 ngày."),
        ("1.25", "Thời hạn giải quyết phải là bội số của 0.5 ngày."),
        ("1,5", 'Phải là số thập phân viết dạng chuỗi, dùng dấu chấm, ví dụ "1.5".'),
    ],
)
def test_the_legal_time_is_a_positive_multiple_of_half_a_day(refs, days, message):
    assert problems_of(procedure_data(processing_days=days)) == [
        {"field": "processing_days", "message": message}
    ]


def test_an_unknown_field_is_named_in_the_message(refs):
    assert problems_of(procedure_data(field="thue")) == [
        {"field": "field", "message": "Lĩnh vực «thue» không có trong danh mục."}
    ]


@pytest.mark.parametrize(
    ("implementations", "expected"),
    [
        ([], [("implementations", "Phải có ít nhất một cấp, cơ quan thực hiện.")]),
        (None, [("implementations", "Phải là một danh sách.")]),
        (
            [{"level": "district", "agency": None}],
            [("implementations[0].level", "Cấp thực hiện phải là commune hoặc province.")],
        ),
        (
            [{"level": "province", "agency": None}],
            [
                (
                    "implementations[0].agency",
                    "Thủ tục cấp tỉnh phải ghi mã cơ quan thực hiện; chỉ cấp xã mới được để "
                    "trống (mọi Ủy ban nhân dân cấp xã).",
                )
            ],
        ),
        (
            [{"level": "province", "agency": "000.99.99.H37"}],
            [("implementations[0].agency", "Không có cơ quan mã «000.99.99.H37».")],
        ),
        (
            [{"level": "province", "agency": 12}],
            [("implementations[0].agency", "Phải là mã cơ quan hoặc null.")],
        ),
        (
            [{"level": "commune", "agency": None}, {"level": "commune", "agency": None}],
            [("implementations[1]", "Cấp và cơ quan thực hiện này đã có ở trên.")],
        ),
        (["commune"], [("implementations[0]", "Phải là một đối tượng JSON.")]),
    ],
)
def test_implementations_need_a_level_and_an_existing_agency_except_every_commune(
    refs, implementations, expected
):
    problems = problems_of(procedure_data(implementations=implementations))

    assert [(p["field"], p["message"]) for p in problems] == expected


def test_a_closed_agency_may_implement_no_procedure_nor_hold_a_step(refs):
    # Given the Department of Justice closed (merged into another, say)
    refs.justice.is_active = False
    refs.justice.save(update_fields=["is_active"])
    data = procedure_data(
        implementations=[{"level": "province", "agency": JUSTICE}],
        steps=[
            {"name": "Tiếp nhận", "role": "one_stop", "duration": "1", "unit": "hours"},
            {
                "name": "Thẩm định",
                "role": "specialist",
                "agency": JUSTICE,
                "duration": "7",
                "unit": "hours",
            },
        ],
    )

    # When a procedure naming it is saved, Then it is refused where it names it
    problems = problems_of(data)

    closed = f"Cơ quan mã «{JUSTICE}» đã ngừng hoạt động."
    assert [(p["field"], p["message"]) for p in problems] == [
        ("implementations[0].agency", closed),
        ("steps[1].agency", closed),
    ]
    assert not Procedure.objects.filter(code=data["code"]).exists()


@pytest.mark.parametrize(
    ("components", "expected"),
    [
        ([], [("components", "Phải có ít nhất một thành phần hồ sơ.")]),
        (
            [{"name": "Tờ khai", "required": False}],
            [("components", "Phải có ít nhất một thành phần hồ sơ bắt buộc.")],
        ),
        ([{"name": ""}], [("components[0].name", "Không được để trống.")]),
        (
            [{"name": "Tờ khai", "originals": -1}],
            [("components[0].originals", "Phải là số nguyên từ 0 đến 32767.")],
        ),
        (
            [{"name": "Tờ khai", "copies": "2"}],
            [("components[0].copies", "Phải là số nguyên từ 0 đến 32767.")],
        ),
        (
            [{"name": "Tờ khai", "required": "yes"}],
            [
                ("components[0].required", "Phải là true hoặc false."),
                ("components", "Phải có ít nhất một thành phần hồ sơ bắt buộc."),
            ],
        ),
        (
            [{"name": "Tờ khai", "template": "mau.pdf"}],
            [("components[0].template", "Trường này không thuộc định dạng sen.catalog/1.")],
        ),
    ],
)
def test_components_need_at_least_one_required_document(refs, components, expected):
    problems = problems_of(procedure_data(components=components))

    assert [(p["field"], p["message"]) for p in problems] == expected


@pytest.mark.parametrize(
    ("fee", "expected"),
    [
        (
            {"kind": "tax", "amount": 1000},
            [("fees[0].kind", "Loại phải là fee (lệ phí) hoặc charge (phí).")],
        ),
        (
            {"kind": "fee", "amount": -1},
            [("fees[0].amount", "Mức thu phải là số nguyên đồng không âm.")],
        ),
        (
            {"kind": "fee", "amount": 8000.5},
            [("fees[0].amount", "Mức thu phải là số nguyên đồng không âm.")],
        ),
        (
            {"kind": "fee", "amount": "8000"},
            [("fees[0].amount", "Mức thu phải là số nguyên đồng không âm.")],
        ),
        (
            {"kind": "fee", "amount": True},
            [("fees[0].amount", "Mức thu phải là số nguyên đồng không âm.")],
        ),
        ({"kind": "fee"}, [("fees[0].amount", "Mức thu phải là số nguyên đồng không âm.")]),
    ],
)
def test_fees_are_non_negative_whole_dong(refs, fee, expected):
    problems = problems_of(procedure_data(fees=[fee]))

    assert [(p["field"], p["message"]) for p in problems] == expected


def step(**overrides: Any) -> dict[str, Any]:
    return {
        "name": "Giải quyết",
        "role": "specialist",
        "agency": None,
        "duration": "8",
        "unit": "hours",
        **overrides,
    }


@pytest.mark.parametrize(
    ("steps", "expected"),
    [
        ([], [("steps", "Phải có ít nhất một bước xử lý.")]),
        (
            [step(role="province_admin")],
            [("steps[0].role", "Vai trò phải là một trong: one_stop, specialist, leader, clerk.")],
        ),
        (
            [step(agency="000.99.99.H37")],
            [("steps[0].agency", "Không có cơ quan mã «000.99.99.H37».")],
        ),
        ([step(unit="minutes")], [("steps[0].unit", "Đơn vị thời gian phải là hours hoặc days.")]),
        ([step(duration="0")], [("steps[0].duration", "Thời gian phải lớn hơn 0.")]),
        (
            [step(duration="0.125")],
            [("steps[0].duration", "Thời gian có nhiều nhất hai chữ số thập phân.")],
        ),
        ([step(name="")], [("steps[0].name", "Không được để trống.")]),
        (
            [step(duration="7")],
            [
                (
                    "steps",
                    "Tổng thời gian các bước là 7 giờ làm việc, phải bằng thời hạn giải quyết "
                    "1 ngày × 8 giờ = 8 giờ làm việc.",
                )
            ],
        ),
        (
            [step(duration="1", unit="days"), step(duration="0.5")],
            [
                (
                    "steps",
                    "Tổng thời gian các bước là 8.5 giờ làm việc, phải bằng thời hạn giải quyết "
                    "1 ngày × 8 giờ = 8 giờ làm việc.",
                )
            ],
        ),
    ],
)
def test_steps_have_known_roles_and_units_and_add_up_to_the_legal_time(refs, steps, expected):
    problems = problems_of(procedure_data(steps=steps))

    assert [(p["field"], p["message"]) for p in problems] == expected


def test_the_step_total_is_not_judged_while_a_step_duration_is_unreadable(refs):
    problems = problems_of(procedure_data(steps=[step(duration="tám")]))

    assert [p["field"] for p in problems] == ["steps[0].duration"]


@pytest.mark.parametrize(
    ("form_schema", "expected"),
    [
        ({"type": "array"}, ['Biểu mẫu điện tử phải có "type": "object".']),
        ({"properties": {}}, ['Biểu mẫu điện tử phải có "type": "object".']),
        (True, ["Biểu mẫu điện tử phải là một JSON Schema dạng đối tượng."]),
        (
            {"type": "object", "properties": {"ho_ten": {"type": "strin"}}},
            [
                "Biểu mẫu điện tử không phải JSON Schema hợp lệ (tại properties/ho_ten/type): "
                "Kiểu “strin” không có trong JSON Schema; dùng một trong: string, number, "
                "integer, boolean, object, array, null."
            ],
        ),
        (
            {"type": "object", "minProperties": -1, "required": "ho_ten"},
            [
                "Biểu mẫu điện tử không phải JSON Schema hợp lệ (tại minProperties): "
                "Phải lớn hơn hoặc bằng 0.",
                "Biểu mẫu điện tử không phải JSON Schema hợp lệ (tại required): "
                "Phải là một danh sách.",
            ],
        ),
        (
            {"$schema": "http://json-schema.org/draft-07/schema#", "type": "object"},
            [
                "Biểu mẫu điện tử phải theo JSON Schema draft 2020-12 ($schema là "
                "https://json-schema.org/draft/2020-12/schema)."
            ],
        ),
    ],
)
def test_the_form_must_be_a_valid_json_schema_of_an_object(refs, form_schema, expected):
    problems = problems_of(procedure_data(form_schema=form_schema))

    assert problems == [{"field": "form_schema", "message": message} for message in expected]


def _form(**properties: Any) -> dict[str, Any]:
    return {"type": "object", "properties": properties}


@pytest.mark.parametrize(
    ("form_schema", "expected"),
    [
        (
            {**_form(a={"$ref": "#/$defs/ten"}), "$defs": {"ten": {"type": "string"}}},
            [
                "tại $defs: từ khóa “$defs” chưa được hỗ trợ (trang nộp hồ sơ không vẽ được)",
                "tại properties.a.$ref: từ khóa “$ref” chưa được hỗ trợ (trang nộp hồ sơ không "
                "vẽ được)",
                "tại properties.a: thiếu “type”",
            ],
        ),
        (
            _form(
                thanh_vien={
                    "type": "array",
                    "items": {"type": "object", "properties": {"ho_ten": {"type": "string"}}},
                }
            ),
            ["tại properties.thanh_vien.items: mảng các đối tượng chưa được hỗ trợ"],
        ),
        (
            _form(a={"type": "string", "oneOf": [{"maxLength": 2}, {"minLength": 5}]}),
            [
                "tại properties.a.oneOf: từ khóa “oneOf” chưa được hỗ trợ (trang nộp hồ sơ "
                "không vẽ được)"
            ],
        ),
        (
            _form(a={"type": ["string", "null"]}),
            [
                "tại properties.a.type: phải là đúng một trong: object, string, integer, "
                "number, boolean, array"
            ],
        ),
        (
            {**_form(a={"type": "string"}), "required": ["a", "b"]},
            ["tại required: “b” bắt buộc nhưng không có trong properties"],
        ),
        (
            _form(
                a={"type": "string", "format": "date-time"}, b={"type": "string", "format": "uri"}
            ),
            [
                "tại properties.a.format: định dạng “date-time” chưa được hỗ trợ; dùng một "
                "trong: date, email",
                "tại properties.b.format: định dạng “uri” chưa được hỗ trợ; dùng một trong: "
                "date, email",
            ],
        ),
        (
            _form(
                a={"enum": [1, 2, 3]},
                b={"type": "string", "enum": ["x", 2]},
                c={"type": "integer", "enum": [1, 2.0]},
                d={"type": "string", "enum": []},
            ),
            [
                "tại properties.a.enum: danh sách chọn cần “type” bên cạnh: string, integer "
                "hoặc number",
                "tại properties.b.enum: mọi giá trị phải có kiểu “string” của trường, không như 2",
                "tại properties.c.enum: mọi giá trị phải có kiểu “integer” của trường, không "
                "như 2.0",
                "tại properties.d.enum: danh sách chọn trống: không giá trị nào được nhận",
            ],
        ),
        (
            _form(
                so={"type": "string", "pattern": "^(?P<so>[0-9]+)$"},
                ma={"type": "string", "pattern": "^[a-z-_]+$"},
                sau={"type": "string", "pattern": "(?<=HK)[0-9]+"},
                co={"type": "string", "pattern": "(?i)^hk$"},
            ),
            [
                "tại properties.so.pattern: mẫu dùng cú pháp trình duyệt không hiểu như máy "
                "chủ: nhóm có tên “(?P…” (chỉ Python hiểu)",
                "tại properties.ma.pattern: mẫu dùng cú pháp trình duyệt không hiểu như máy "
                "chủ: dấu “-” trong […] không tạo khoảng (viết “\\-”)",
                "tại properties.sau.pattern: mẫu dùng cú pháp trình duyệt không hiểu như máy "
                "chủ: nhìn ngược “(?<=”, “(?<!” (trình duyệt cũ không hiểu)",
                "tại properties.co.pattern: mẫu dùng cú pháp trình duyệt không hiểu như máy "
                "chủ: “(?i” (cờ hay nhóm chỉ Python hiểu)",
            ],
        ),
        (
            _form(me={"type": "object", "properties": {"ten": {"type": "string", "const": "A"}}}),
            [
                "tại properties.me.properties.ten.const: từ khóa “const” chưa được hỗ trợ (trang "
                "nộp hồ sơ không vẽ được)"
            ],
        ),
    ],
    ids=[
        "ref",
        "array-of-objects",
        "one-of",
        "type-list",
        "required",
        "format",
        "enum",
        "pattern",
        "nested",
    ],
)
def test_the_form_holds_only_what_the_page_draws_and_the_server_checks_alike(
    refs, form_schema, expected
):
    problems = problems_of(procedure_data(form_schema=form_schema))

    assert problems == [
        {"field": "form_schema", "message": f"Biểu mẫu điện tử, {message}"} for message in expected
    ]


def test_every_part_the_page_draws_is_accepted(refs):
    form = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "required": ["ho_ten", "dien_tich"],
        "additionalProperties": False,
        "properties": {
            "ho_ten": {"type": "string", "title": "Họ tên", "minLength": 2, "maxLength": 100},
            "ngay_sinh": {"type": "string", "format": "date", "x-not-after-today": True},
            "email": {"type": "string", "format": "email"},
            "ma": {"type": "string", "pattern": "^[0-9]{10}(-[0-9]{3})?$"},
            "gioi_tinh": {"type": "string", "enum": ["Nam", "Nữ"], "default": "Nam"},
            "so_ban": {"type": "integer", "enum": [1, 2, 3]},
            "dien_tich": {"type": "number", "exclusiveMinimum": 0, "multipleOf": 0.1},
            "so_con": {"type": "integer", "minimum": 0, "maximum": 20},
            "dong_y": {"type": "boolean", "description": "…", "$comment": "ghi chú"},
            "giay_to": {
                "type": "array",
                "minItems": 1,
                "items": {"type": "string", "maxLength": 50, "pattern": "^[^\\n]+$"},
            },
            "me": {
                "type": "object",
                "required": ["ten"],
                "properties": {"ten": {"type": "string"}},
            },
        },
    }

    procedure_save(data=procedure_data(form_schema=form), actor=None)

    assert Procedure.objects.filter(is_current=True).count() == 1


def test_a_procedure_without_a_form_is_refused(refs):
    data = procedure_data()
    del data["form_schema"]

    assert problems_of(data) == [
        {"field": "form_schema", "message": "Thiếu biểu mẫu điện tử (JSON Schema)."}
    ]


def test_a_procedure_that_is_not_an_object_is_refused(refs):
    with pytest.raises(InvalidProcedure) as raised:
        procedure_save(data=["1.001193"], actor=None)  # type: ignore[arg-type]

    assert raised.value.details == [{"field": "", "message": "Thủ tục phải là một đối tượng JSON."}]


# ------------------------------------------------------------------ versions


def test_saving_the_same_content_again_changes_nothing(refs):
    first = procedure_save(data=procedure_data(), actor=None)
    audit_before = AuditEntry.objects.count()

    # Same content, written differently: an integer time, keys in another order, spaces.
    again = procedure_data(processing_days=1, name="  Đăng ký khai sinh ")
    again = dict(reversed(list(again.items())))
    second = procedure_save(data=again, actor=None)

    assert second.pk == first.pk
    assert Procedure.objects.count() == 1
    assert AuditEntry.objects.count() == audit_before


def test_a_change_makes_version_2_and_supersedes_version_1_without_editing_it(refs):
    first = procedure_save(data=procedure_data(), actor=None)

    fees = [{"kind": "fee", "amount": 10000, "description": "Lệ phí mới"}]
    second = procedure_save(data=procedure_data(fees=fees), actor=refs.officer)

    first.refresh_from_db()
    assert (second.code, second.version, second.is_current) == ("1.001193", 2, True)
    assert (first.is_current, first.superseded_at) == (False, second.created_at)
    assert [f.amount for f in first.fees.all()] == [8000]
    assert [f.amount for f in second.fees.all()] == [10000]
    assert first.components.count() == second.components.count() == 2
    entry = AuditEntry.objects.order_by("-id").first()
    assert (entry.action, entry.target_key, entry.actor) == (
        "catalog.procedure.versioned",
        "1.001193@2",
        refs.officer,
    )


def test_a_third_change_makes_version_3_and_only_it_is_current(refs):
    procedure_save(data=procedure_data(), actor=None)
    procedure_save(data=procedure_data(processing_days="2", steps=one_step("2")), actor=None)
    procedure_save(data=procedure_data(processing_days="3", steps=one_step("3")), actor=None)

    assert list(Procedure.objects.values_list("version", "is_current", "processing_days")) == [
        (3, True, Decimal("3.0")),
        (2, False, Decimal("2.0")),
        (1, False, Decimal("1.0")),
    ]


def test_an_invalid_change_leaves_the_current_version_as_it_was(refs):
    first = procedure_save(data=procedure_data(), actor=None)

    with pytest.raises(InvalidProcedure):
        procedure_save(data=procedure_data(processing_days="2"), actor=None)

    first.refresh_from_db()
    assert (first.is_current, first.superseded_at) == (True, None)
    assert Procedure.objects.count() == 1


def test_a_save_that_loses_a_race_is_a_conflict_and_changes_nothing(refs, monkeypatch):
    procedure_save(data=procedure_data(), actor=None)
    # As if another officer saved version 1 between our read and our write.
    monkeypatch.setattr(
        services, "_existing", lambda codes: {code: services._Existing(None, 0) for code in codes}
    )

    with pytest.raises(ProcedureConflict) as raised:
        procedure_save(data=procedure_data(conditions="Khác"), actor=None)

    assert (raised.value.code, raised.value.status) == ("procedure_conflict", 409)
    assert list(Procedure.objects.values_list("version", "is_current", "conditions")) == [
        (1, True, "")
    ]


def test_a_new_version_keeps_the_blank_form_files_of_components_that_kept_their_name(refs):
    first = procedure_save(data=procedure_data(), actor=None)
    component = first.components.get(position=1)
    component.template.save("to-khai.docx", ContentFile(b"mau"), save=True)

    second = procedure_save(data=procedure_data(conditions="Trẻ chưa được khai sinh"), actor=None)

    templates = dict(
        DocumentComponent.objects.filter(procedure=second).values_list("name", "template")
    )
    assert templates == {
        "Tờ khai đăng ký khai sinh": component.template.name,
        "Văn bản ủy quyền": "",
    }


def test_a_procedure_of_another_field_at_province_level_is_searchable_by_that_field(refs):
    data = procedure_data(
        field="dat-dai",
        implementations=[{"level": "province", "agency": ENVIRONMENT}],
    )

    procedure = procedure_save(data=data, actor=None)

    assert procedure.implementations.get().agency.code == ENVIRONMENT
    assert procedure.search_text == " dang ki khai sinh 1.001193 dat dai "


def test_the_e_form_keeps_the_order_its_fields_were_written_in(refs):
    """PostgreSQL's jsonb sorts object keys; the numbered properties keep the author's order."""
    form = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "properties": {
            "so_cccd": {"type": "string", "title": "Số định danh cá nhân"},
            "ho_ten": {"type": "string", "title": "Họ và tên"},
            "dia_chi": {
                "type": "object",
                "properties": {
                    "tinh": {"type": "string", "title": "Tỉnh"},
                    "xa": {"type": "string", "title": "Xã, phường"},
                },
            },
        },
    }

    procedure_save(data=procedure_data(form_schema=form), actor=None)

    stored = Procedure.objects.get(is_current=True).form_schema["properties"]
    by_order = sorted(stored, key=lambda name: stored[name]["propertyOrder"])
    assert by_order == ["so_cccd", "ho_ten", "dia_chi"]
    assert stored["dia_chi"]["properties"]["xa"]["propertyOrder"] == 2
    assert form["properties"]["so_cccd"] == {"type": "string", "title": "Số định danh cá nhân"}


def test_an_e_form_that_numbers_its_own_fields_is_kept_as_written(refs):
    form = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "properties": {
            "a": {"type": "string", "propertyOrder": 2},
            "b": {"type": "string", "propertyOrder": 1},
        },
    }

    procedure_save(data=procedure_data(form_schema=form), actor=None)

    assert Procedure.objects.get(is_current=True).form_schema == form
