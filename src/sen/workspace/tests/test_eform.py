"""The e-form of a procedure as desk form fields and as labelled lines."""

from datetime import date
from decimal import Decimal

from django import forms

from sen.workspace import eform

SCHEMA = {
    "type": "object",
    "required": ["ho_ten", "me"],
    "properties": {
        "so_ban": {"type": "integer", "title": "Số bản sao", "propertyOrder": 3},
        "ho_ten": {"type": "string", "title": "Họ và tên", "maxLength": 100, "propertyOrder": 1},
        "ngay_sinh": {"type": "string", "format": "date", "title": "Ngày sinh", "propertyOrder": 2},
        "gioi_tinh": {"type": "string", "enum": ["Nam", "Nữ"], "title": "Giới tính"},
        "dien_tich": {"type": "number", "title": "Diện tích (m²)"},
        "me": {
            "type": "object",
            "title": "Người mẹ",
            "required": ["ho_ten_me"],
            "properties": {"ho_ten_me": {"type": "string", "title": "Họ và tên mẹ"}},
        },
    },
}


def test_the_fields_follow_the_schemas_order_with_nested_objects_flattened():
    form = forms.Form()

    added = eform.add_fields(form, SCHEMA)

    assert [item.name for item in added] == [
        "form__ho_ten",
        "form__ngay_sinh",
        "form__so_ban",
        "form__gioi_tinh",
        "form__dien_tich",
        "form__me__ho_ten_me",
    ]
    assert form.fields["form__ho_ten"].required
    assert form.fields["form__me__ho_ten_me"].required
    assert not form.fields["form__so_ban"].required
    assert isinstance(form.fields["form__ngay_sinh"], forms.DateField)


def test_collected_data_has_json_values_and_leaves_blanks_out():
    added = eform.add_fields(forms.Form(), SCHEMA)
    cleaned = {
        "form__ho_ten": "Trần Văn Con",
        "form__ngay_sinh": date(2026, 10, 18),
        "form__so_ban": None,
        "form__gioi_tinh": "",
        "form__dien_tich": Decimal("150.5"),
        "form__me__ho_ten_me": "Trần Thị Bình",
    }

    assert eform.collect(added, cleaned) == {
        "ho_ten": "Trần Văn Con",
        "ngay_sinh": "2026-10-18",
        "dien_tich": 150.5,
        "me": {"ho_ten_me": "Trần Thị Bình"},
    }


def test_lines_label_each_value_show_dates_the_vietnamese_way_and_keep_unknown_keys():
    data = {"ho_ten": "Trần Văn Con", "ngay_sinh": "2026-10-18", "me": {"ho_ten_me": "Bình"}}

    lines = eform.lines(SCHEMA, {**data, "ghi_chu": "thêm"})

    assert [(line.title, line.value, line.depth) for line in lines] == [
        ("Họ và tên", "Trần Văn Con", 0),
        ("Ngày sinh", "18/10/2026", 0),
        ("Người mẹ", "", 0),
        ("Họ và tên mẹ", "Bình", 1),
        ("ghi_chu", "thêm", 0),
    ]


def test_a_service_problem_names_the_form_field():
    assert eform.field_name_for("form.me.ho_ten_me") == "form__me__ho_ten_me"
    assert eform.field_name_for("form") is None
    assert eform.field_name_for("form.items[0]") is None
