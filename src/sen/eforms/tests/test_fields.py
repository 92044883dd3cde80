"""The e-form as form fields (alone or added to a larger form), its data and its lines."""

from datetime import date
from decimal import Decimal

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.utils import translation

from sen.eforms.display import lines
from sen.eforms.fields import add_fields, collect, eform_for, field_for_problem

SCHEMA = {
    "type": "object",
    "required": ["ho_ten", "me"],
    "properties": {
        "so_ban": {"type": "integer", "title": "Số bản sao", "propertyOrder": 3, "minimum": 1},
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
        "bo": {
            "type": "object",
            "title": "Người cha",
            "required": ["ho_ten_bo"],
            "properties": {
                "ho_ten_bo": {"type": "string", "title": "Họ và tên cha"},
                "cung_ho_khau": {"type": "boolean", "title": "Cùng nơi cư trú"},
            },
        },
        "giay_to_khac": {"type": "array", "items": {"type": "string"}, "title": "Giấy tờ khác"},
        "nop_phi": {"type": "boolean", "title": "Đã nộp phí"},
    },
}


def test_the_fields_follow_the_schemas_order_with_nested_objects_as_groups():
    form = forms.Form()

    layout = add_fields(form, SCHEMA)

    assert list(form.fields) == [
        "form__ho_ten",
        "form__ngay_sinh",
        "form__so_ban",
        "form__gioi_tinh",
        "form__dien_tich",
        "form__me__ho_ten_me",
        "form__bo__ho_ten_bo",
        "form__bo__cung_ho_khau",
        "form__giay_to_khac",
        "form__nop_phi",
    ]
    groups = [entry for entry in layout.entries if entry.is_group]
    assert [(group.title, [child.name for child in group.children]) for group in groups] == [
        ("Người mẹ", ["form__me__ho_ten_me"]),
        ("Người cha", ["form__bo__ho_ten_bo", "form__bo__cung_ho_khau"]),
    ]
    assert form.fields["form__ho_ten"].required
    assert form.fields["form__me__ho_ten_me"].required
    # The father is optional, so his name is asked only if he is given.
    assert not form.fields["form__bo__ho_ten_bo"].required
    assert not form.fields["form__so_ban"].required
    assert isinstance(form.fields["form__ngay_sinh"], forms.DateField)


def test_constraints_are_checked_on_the_server_too():
    form = eform_for(SCHEMA)({"form__ho_ten": "x" * 101, "form__so_ban": "0"})

    assert not form.is_valid()
    assert set(form.errors) == {"form__ho_ten", "form__so_ban", "form__me__ho_ten_me"}


def test_the_schemas_own_rules_are_found_with_the_fields_and_kept_off_fields_in_error():
    schema = {
        "type": "object",
        "properties": {
            "ho_ten": {"type": "string", "minLength": 5, "pattern": "^[^0-9]*$"},
            "dien_tich": {"type": "number", "exclusiveMinimum": 0},
            "so_ban": {"type": "integer", "multipleOf": 2},
            "giay_to": {"type": "array", "items": {"type": "string", "maxLength": 3}},
        },
    }
    form = eform_for(schema)(
        {
            "form__ho_ten": "A1",  # off the pattern (the field's check) and too short
            "form__dien_tich": "0",
            "form__so_ban": "3",
            "form__giay_to": "abc\nabcd",
        }
    )

    assert not form.is_valid()
    assert {name: list(errors) for name, errors in form.errors.items()} == {
        "form__ho_ten": ["Giá trị không đúng định dạng yêu cầu."],
        "form__dien_tich": ["Phải lớn hơn 0."],
        "form__so_ban": ["Phải là bội số của 2."],
        "form__giay_to": ["Dài quá 3 ký tự."],
    }


def test_collected_data_has_json_values_and_leaves_blanks_and_empty_groups_out():
    layout = add_fields(forms.Form(), SCHEMA)
    cleaned = {
        "form__ho_ten": "Trần Văn Con",
        "form__ngay_sinh": date(2026, 10, 18),
        "form__so_ban": None,
        "form__gioi_tinh": "",
        "form__dien_tich": Decimal("150.5"),
        "form__me__ho_ten_me": "Trần Thị Bình",
        "form__bo__ho_ten_bo": "",
        "form__bo__cung_ho_khau": False,
        "form__giay_to_khac": "Sổ hộ khẩu\n\n Giấy chứng sinh ",
        "form__nop_phi": False,
    }

    assert collect(layout.leaves, cleaned) == {
        "ho_ten": "Trần Văn Con",
        "ngay_sinh": "2026-10-18",
        "dien_tich": 150.5,
        "me": {"ho_ten_me": "Trần Thị Bình"},
        "giay_to_khac": ["Sổ hộ khẩu", "Giấy chứng sinh"],
        "nop_phi": False,
    }


def test_an_unticked_box_is_kept_in_a_group_that_has_values():
    form = eform_for(SCHEMA)(
        {"form__ho_ten": "Con", "form__me__ho_ten_me": "Mẹ", "form__bo__ho_ten_bo": "Cha"}
    )

    assert form.is_valid(), form.errors
    assert form.form_data()["bo"] == {"ho_ten_bo": "Cha", "cung_ho_khau": False}


def test_lines_label_each_value_show_dates_the_vietnamese_way_and_keep_unknown_keys():
    data = {"ho_ten": "Trần Văn Con", "ngay_sinh": "2026-10-18", "me": {"ho_ten_me": "Bình"}}

    with translation.override("vi"):
        shown = lines(SCHEMA, {**data, "nop_phi": True, "ghi_chu": "thêm"})

    assert [(line.title, line.value, line.depth) for line in shown] == [
        ("Họ và tên", "Trần Văn Con", 0),
        ("Ngày sinh", "18/10/2026", 0),
        ("Người mẹ", "", 0),
        ("Họ và tên mẹ", "Bình", 1),
        ("Đã nộp phí", "Có", 0),
        ("ghi_chu", "thêm", 0),
    ]


def test_lines_write_a_fraction_with_the_readers_decimal_mark_and_leave_a_year_whole():
    data = {"ho_ten": "A", "dien_tich": 25.5, "so_ban": 2026}

    with translation.override("vi"):
        vietnamese = {line.title: line.value for line in lines(SCHEMA, data)}
    with translation.override("en"):
        english = {line.title: line.value for line in lines(SCHEMA, data)}

    # 25.5 would read as 255 to a Vietnamese officer, who writes 25,5
    assert (vietnamese["Diện tích (m²)"], vietnamese["Số bản sao"]) == ("25,5", "2026")
    assert (english["Diện tích (m²)"], english["Số bản sao"]) == ("25.5", "2026")


def test_a_service_problem_names_the_form_field():
    assert field_for_problem("form.me.ho_ten_me") == "form__me__ho_ten_me"
    assert field_for_problem("form.giay_to_khac[1]") == "form__giay_to_khac"
    assert field_for_problem("form") is None
    assert field_for_problem("applicant.name") is None


def test_a_whole_number_is_read_as_vietnamese_write_it():
    """A thousand written 1.000 is a thousand, not one (Django, and a number box, read 1)."""
    form_class = eform_for(SCHEMA)
    read = {}
    for typed in ("1.000", "1 000", "1.000.000", " 12 ", "7"):
        form = form_class({"form__ho_ten": "A", "form__me__ho_ten_me": "B", "form__so_ban": typed})
        assert form.is_valid(), (typed, form.errors)
        read[typed] = form.cleaned_data["form__so_ban"]

    assert read == {"1.000": 1000, "1 000": 1000, "1.000.000": 1_000_000, " 12 ": 12, "7": 7}


def test_a_whole_number_with_a_fraction_or_out_of_range_is_refused_in_vietnamese():
    form_class = eform_for(SCHEMA)
    messages = {}
    with translation.override("vi"):
        for typed in ("1.5", "1,000", "1.0", "ba", "0", "-1.000"):
            form = form_class({"form__so_ban": typed})
            form.is_valid()
            messages[typed] = form.errors["form__so_ban"]

    integer = ["Hãy ghi một số nguyên, ví dụ 1000 hoặc 1.000."]
    assert messages == {
        "1.5": integer,
        "1,000": integer,
        "1.0": integer,
        "ba": integer,
        "0": ["Phải lớn hơn hoặc bằng 1."],
        "-1.000": ["Phải lớn hơn hoặc bằng 1."],
    }


def test_a_whole_number_takes_the_same_grouping_as_a_fraction_and_no_other():
    form_class = eform_for(SCHEMA)
    valid = {}
    for typed in ("1.500", "1 500", "1\u00a0500", "1.500.000", "+3"):
        form = form_class({"form__ho_ten": "A", "form__me__ho_ten_me": "B", "form__so_ban": typed})
        valid[typed] = form.cleaned_data["form__so_ban"] if form.is_valid() else form.errors

    assert valid == {
        "1.500": 1500,
        "1 500": 1500,
        "1\u00a0500": 1500,
        "1.500.000": 1_500_000,
        "+3": 3,
    }
    for typed in ("1.50", "1.5000", "1.500 000", "1,2,3", "1.250,5", "1 50", ".500", "1.500."):
        form = form_class({"form__so_ban": typed})
        form.is_valid()
        assert form.errors["form__so_ban"] == ["Hãy ghi một số nguyên, ví dụ 1000 hoặc 1.000."], (
            typed
        )


def test_a_fraction_is_read_with_a_decimal_comma_and_points_group_thousands():
    """A land area of fifteen hundred m² written 1.500 was stored as one and a half."""
    form_class = eform_for(SCHEMA)
    read = {}
    for typed in ("1.500", "1 500", "1.250,5", "25,5", "1 250,75", "1500", "-2,5", "0,05"):
        form = form_class(
            {"form__ho_ten": "A", "form__me__ho_ten_me": "B", "form__dien_tich": typed}
        )
        assert form.is_valid(), (typed, form.errors)
        read[typed] = form.form_data()["dien_tich"]

    assert read == {
        "1.500": 1500,
        "1 500": 1500,
        "1.250,5": 1250.5,
        "25,5": 25.5,
        "1 250,75": 1250.75,
        "1500": 1500,
        "-2,5": -2.5,
        "0,05": 0.05,
    }


def test_an_ambiguous_or_malformed_fraction_is_refused_with_an_example():
    form_class = eform_for(SCHEMA)
    messages = {}
    with translation.override("vi"):
        for typed in ("1.5", "1.50", "1,2,3", "1.250.5", "25,", ",5", "1.2345", "1 5", "NaN"):
            form = form_class({"form__dien_tich": typed})
            form.is_valid()
            messages[typed] = form.errors["form__dien_tich"]

    example = ["Nhập số, dùng dấu phẩy cho phần thập phân, ví dụ 1.250,5."]
    assert messages == dict.fromkeys(messages, example)
    assert len(messages) == 9


def test_a_fractional_default_is_shown_with_the_decimal_comma_it_is_read_back_with():
    schema = {"type": "object", "properties": {"dien_tich": {"type": "number", "default": 1.5}}}
    form = eform_for(schema)()

    assert 'value="1,5"' in str(form["form__dien_tich"])


def test_an_email_or_a_patterned_answer_is_refused_in_the_apis_words_and_hinted():
    schema = {
        "type": "object",
        "properties": {
            "thu": {"type": "string", "format": "email", "title": "Thư điện tử"},
            "cccd": {"type": "string", "pattern": "^[0-9]{12}$", "title": "Số CCCD"},
        },
    }
    form = eform_for(schema)({"form__thu": "huong@example", "form__cccd": "12345"})

    assert not form.is_valid()
    # Not Django's "Nhập địa chỉ email.": the words the API answers for the same answer
    assert form.errors["form__thu"] == ["Phải là một địa chỉ thư điện tử hợp lệ."]
    assert form.errors["form__cccd"] == ["Gồm đúng 12 chữ số."]
    assert form.fields["form__cccd"].widget.attrs["title"] == "Gồm đúng 12 chữ số."


def test_the_pages_pattern_reads_digits_as_the_browser_and_the_server_do():
    schema = {
        "type": "object",
        "properties": {"cccd": {"type": "string", "pattern": r"^\d{12}$", "title": "Số CCCD"}},
    }
    arabic_indic = "٠٣٦١٩٠٠٠٧٧٧٧"  # twelve digits, of another script: \d in Python's re

    # The field's own check, which the page runs before the schema's: \d is 0-9 alone
    field = eform_for(schema)().fields["form__cccd"]
    with pytest.raises(ValidationError):
        field.clean(arabic_indic)
    assert field.clean("036 190 007 777") == "036190007777"
    # And the whole form, the schema's check with it
    refused = eform_for(schema)({"form__cccd": arabic_indic})
    accepted = eform_for(schema)({"form__cccd": "036190007777"})

    assert not refused.is_valid()
    assert "form__cccd" in refused.errors
    assert accepted.is_valid(), accepted.errors


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("0912.345.678", "0912345678"),
        ("0912 345 678", "0912345678"),
        ("0912-345-678", "0912345678"),
        ("+84 912 345 678", None),  # the country's code: the pattern asks for the leading 0
        ("091 234 567", None),  # nine digits
        ("0912 345 67a", None),
    ],
)
def test_a_phone_typed_in_groups_is_kept_as_its_digits_and_a_wrong_one_refused(typed, kept):
    schema = {
        "type": "object",
        "properties": {"dt": {"type": "string", "pattern": "^0[0-9]{9}$", "title": "Điện thoại"}},
    }
    form = eform_for(schema)({"form__dt": typed})

    if kept is None:
        assert form.errors["form__dt"] == ["Gồm 10 chữ số, bắt đầu bằng số 0."]
    else:
        assert form.is_valid(), form.errors
        assert form.cleaned_data["form__dt"] == kept
