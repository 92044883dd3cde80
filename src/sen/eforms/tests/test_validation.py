"""Sen's own rules on e-form data (only the listed fields, no date after today, a missing
field named), and every problem said in Vietnamese."""

import pytest
from django.utils import translation

from sen.eforms.fields import eform_for
from sen.eforms.validation import eform_errors, message_of
from sen.tests.clock import at

PERSON = {
    "type": "object",
    "properties": {
        "ho_ten": {"type": "string"},
        "ngay_sinh": {"type": "string", "format": "date", "x-not-after-today": True},
    },
}
SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "properties": {"nguoi_con": PERSON, "cac_con": {"type": "array", "items": PERSON}},
}


def problems(schema, data):
    return [(list(error.absolute_path), error.message) for error in eform_errors(schema, data)]


def said(schema, data):
    return [(list(error.absolute_path), message_of(error)) for error in eform_errors(schema, data)]


APPLICATION = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["ho_ten", "me"],
    "properties": {
        "ho_ten": {"type": "string", "minLength": 2, "maxLength": 50},
        "gioi_tinh": {"enum": ["Nam", "Nữ"]},
        "ngay_sinh": {"type": "string", "format": "date"},
        "so_dinh_danh": {"type": "string", "pattern": "^[0-9]{12}$"},
        "ma_ho": {"type": "string", "pattern": "^HK[0-9]+$"},
        "thu_dien_tu": {"type": "string", "format": "email"},
        "so_con": {"type": "integer", "minimum": 1, "maximum": 20},
        "dien_tich": {"type": "number", "exclusiveMinimum": 0, "maximum": 1000000},
        "quoc_tich": {"const": "Việt Nam"},
        "ten_goi_khac": {"type": "array", "items": {"type": "string"}, "maxItems": 2},
        "me": {
            "type": "object",
            "required": ["ho_ten_me"],
            "properties": {"ho_ten_me": {"type": "string"}},
        },
    },
}


def test_every_problem_of_an_e_form_is_said_in_vietnamese_at_its_fields_path():
    data = {
        "ho_ten": "A",
        "gioi_tinh": "X",
        "ngay_sinh": "2026-02-30",
        "so_dinh_danh": "12ab",
        "ma_ho": "123",
        "thu_dien_tu": "khong-phai-thu",
        "so_con": 0,
        "dien_tich": 2000000,
        "quoc_tich": "Lào",
        "ten_goi_khac": ["a", 5, "c"],
        "me": {},
    }

    assert said(APPLICATION, data) == [
        (["dien_tich"], "Phải nhỏ hơn hoặc bằng 1.000.000."),
        (["gioi_tinh"], "Phải là một trong: «Nam», «Nữ»."),
        (["ho_ten"], "Cần ít nhất 2 ký tự."),
        (["ma_ho"], "Giá trị không đúng định dạng yêu cầu."),
        # the missing field itself, not the group that lacks it
        (["me", "ho_ten_me"], "Bắt buộc nhập."),
        (["ngay_sinh"], "Phải là ngày dạng YYYY-MM-DD, ví dụ 2026-11-20."),
        (["quoc_tich"], "Phải là «Việt Nam»."),
        (["so_con"], "Phải lớn hơn hoặc bằng 1."),
        (["so_dinh_danh"], "Gồm đúng 12 chữ số."),
        (["ten_goi_khac"], "Chỉ được có tối đa 2 mục."),
        (["ten_goi_khac", 1], "Phải là một chuỗi ký tự."),
        (["thu_dien_tu"], "Phải là một địa chỉ thư điện tử hợp lệ."),
    ]


def test_a_missing_field_and_a_wrong_type_are_said_in_english_on_request():
    with translation.override("en"):
        assert said(APPLICATION, {"ho_ten": 5}) == [
            (["ho_ten"], "Must be a string."),
            (["me"], "Required."),
        ]


def test_a_key_the_form_does_not_list_is_refused_at_any_depth():
    data = {
        "nguoi_con": {"ho_ten": "Trần Văn Con", "biet_danh": "Cún"},
        "cac_con": [{"ho_ten": "Trần Thị Em", "zzz": "x" * 1000}],
        "ghi_chu": "thêm",
    }

    assert problems(SCHEMA, data) == [
        (["cac_con", 0, "zzz"], "Biểu mẫu của thủ tục không có trường “zzz”."),
        (["ghi_chu"], "Biểu mẫu của thủ tục không có trường “ghi_chu”."),
        (["nguoi_con", "biet_danh"], "Biểu mẫu của thủ tục không có trường “biet_danh”."),
    ]


@pytest.mark.parametrize(
    "opening",
    [
        {"additionalProperties": True},
        {"additionalProperties": {"type": "string"}},
        {"patternProperties": {"^ghi_": {"type": "string"}}},
        {"unevaluatedProperties": True},
    ],
    ids=["additional", "additional-typed", "pattern", "unevaluated"],
)
def test_a_schema_that_opens_its_object_takes_other_keys_by_its_own_rule(opening):
    schema = {**SCHEMA, **opening}

    assert problems(schema, {"ghi_chu": "thêm"}) == []


def test_no_birth_date_after_today_in_vietnam(clock):
    # It is Friday 20/11/2026 09:00 in Vietnam (02:00 in UTC)
    clock(at(20, 9))

    def of_day(day):
        return problems(SCHEMA, {"nguoi_con": {"ngay_sinh": day}})

    assert of_day("2026-11-20") == []
    assert of_day("2020-02-29") == []
    assert of_day("2026-11-21") == [
        (["nguoi_con", "ngay_sinh"], "Ngày không được sau hôm nay (20/11/2026).")
    ]
    # a date that is none is the format's to refuse, once
    assert [path for path, _message in of_day("2026-02-30")] == [["nguoi_con", "ngay_sinh"]]


def test_the_page_form_offers_dates_up_to_today_and_refuses_a_later_one(clock):
    clock(at(20, 9))
    form_class = eform_for(PERSON)

    html = str(form_class()["form__ngay_sinh"])
    assert 'max="2026-11-20"' in html
    tomorrow = {"form__ho_ten": "Trần Văn Con", "form__ngay_sinh": "2026-11-21"}
    form = form_class(data=tomorrow)
    assert not form.is_valid()
    assert form.errors["form__ngay_sinh"] == ["Ngày không được sau hôm nay (20/11/2026)."]

    # the next day, the same form class offers the next day
    clock(at(21, 9))
    assert 'max="2026-11-21"' in str(form_class()["form__ngay_sinh"])
    assert form_class(data=tomorrow).is_valid()


# "if the nationality is another, the passport is required", beside other fields
PASSPORT = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["ho_ten", "quoc_tich"],
    "properties": {
        "ho_ten": {"type": "string"},
        "quoc_tich": {"enum": ["Việt Nam", "Khác"]},
        "ho_chieu": {"type": "string"},
    },
    "if": {"properties": {"quoc_tich": {"const": "Khác"}}, "required": ["quoc_tich"]},
    "then": {"required": ["ho_chieu"]},
}


def test_if_then_is_enforced_when_the_form_has_other_fields():
    # Before, the `if` failed on "ho_ten" (a key it does not list), and `then` was skipped
    assert said(PASSPORT, {"ho_ten": "John Smith", "quoc_tich": "Khác"}) == [
        (["ho_chieu"], "Bắt buộc nhập.")
    ]
    assert said(PASSPORT, {"ho_ten": "John Smith", "quoc_tich": "Khác", "ho_chieu": "C1"}) == []
    assert said(PASSPORT, {"ho_ten": "Trần Văn Con", "quoc_tich": "Việt Nam"}) == []


def test_the_fields_an_applicator_lists_belong_to_the_form_and_no_others():
    schema = {
        "type": "object",
        "properties": {"ho_ten": {"type": "string"}},
        "allOf": [
            {"properties": {"a": {"type": "string"}}},
            {"properties": {"me": {"type": "object", "properties": {"b": {"type": "string"}}}}},
        ],
        "if": {"properties": {"ho_ten": {"const": "X"}}},
        "else": {"properties": {"c": {"type": "string"}}},
    }

    assert problems(schema, {"ho_ten": "Y", "a": "1", "me": {"b": "2"}, "c": "3"}) == []
    # a key no part lists is refused, also in an object a branch describes
    assert problems(schema, {"a": "1", "me": {"b": "2", "z": "3"}, "zz": 4}) == [
        (["me", "z"], "Biểu mẫu của thủ tục không có trường “z”."),
        (["zz"], "Biểu mẫu của thủ tục không có trường “zz”."),
    ]


def test_one_of_with_object_branches_takes_the_fields_of_either():
    schema = {
        "type": "object",
        "required": ["nguoi_nop"],
        "properties": {"nguoi_nop": {"enum": ["cha_me", "nguoi_khac"]}},
        "oneOf": [
            {"properties": {"nguoi_nop": {"const": "cha_me"}}},
            {
                "properties": {
                    "nguoi_nop": {"const": "nguoi_khac"},
                    "giay_uy_quyen": {"type": "string"},
                },
                "required": ["giay_uy_quyen"],
            },
        ],
    }

    assert problems(schema, {"nguoi_nop": "cha_me"}) == []
    assert problems(schema, {"nguoi_nop": "nguoi_khac", "giay_uy_quyen": "UQ-1"}) == []
    # no branch fits: jsonschema says so of the whole form
    assert [path for path, _m in problems(schema, {"nguoi_nop": "nguoi_khac"})] == [[]]
    assert problems(schema, {"nguoi_nop": "cha_me", "x": 1}) == [
        (["x"], "Biểu mẫu của thủ tục không có trường “x”.")
    ]


def test_an_object_described_by_a_local_ref_takes_only_its_fields():
    schema = {
        "type": "object",
        "$defs": {"nguoi": {"type": "object", "properties": {"ho_ten": {"type": "string"}}}},
        "properties": {"cha": {"$ref": "#/$defs/nguoi"}, "me": {"$ref": "#/$defs/nguoi"}},
    }

    assert problems(schema, {"cha": {"ho_ten": "A"}, "me": {"ho_ten": "B", "x": 1}}) == [
        (["me", "x"], "Biểu mẫu của thủ tục không có trường “x”.")
    ]


@pytest.mark.parametrize(
    ("pattern", "value"),
    [(r"^\d{12}$", "٠٠١٠٩٠٠١٢٣٤٥"), (r"^\d{12}$", "００１０９００１２３４５"), (r"^\w+$", "Bình")],
    ids=["arabic-indic-digits", "fullwidth-digits", "vietnamese-letter-to-w"],
)
def test_a_pattern_reads_digits_and_word_characters_as_ascii_as_the_browser_does(pattern, value):
    schema = {"type": "object", "properties": {"so": {"type": "string", "pattern": pattern}}}

    assert [path for path, _m in problems(schema, {"so": value})] == [["so"]]
    assert problems(schema, {"so": "001090012345" if "d" in pattern else "Binh"}) == []


EMAIL = {"type": "object", "properties": {"thu": {"type": "string", "format": "email"}}}


def test_an_email_is_judged_as_the_page_judges_it():
    # jsonschema's check looked only for an "@"
    for value in ("khong-phai-email@", "@", "x@", "@example.vn", "a b@c.vn"):
        assert said(EMAIL, {"thu": value}) == [
            (["thu"], "Phải là một địa chỉ thư điện tử hợp lệ.")
        ], value
    for value in ("binh@example.vn", "binh@ví-dụ.việtnam"):
        assert said(EMAIL, {"thu": value}) == [], value


TIME = {"type": "object", "properties": {"gio": {"type": "string", "format": "time"}}}


def test_a_time_is_hours_and_minutes_as_the_page_sends_it_or_with_seconds():
    # The message says HH:MM; jsonschema took only HH:MM:SS
    for value in ("08:00", "23:59", "00:00", "10:00:00", "10:30:59"):
        assert said(TIME, {"gio": value}) == [], value
    for value in ("24:00", "8:00", "10:60", "10:00:00Z", "10:00:00.5", "1000", "١٠:٠٠"):
        assert said(TIME, {"gio": value}) == [(["gio"], "Phải là giờ dạng HH:MM, ví dụ 08:00.")], (
            value
        )


def test_a_consent_box_left_unticked_asks_for_it_to_be_ticked():
    schema = {
        "type": "object",
        "required": ["cam_doan"],
        "properties": {"cam_doan": {"type": "boolean", "const": True}},
    }

    assert said(schema, {"cam_doan": False}) == [(["cam_doan"], "Cần đánh dấu ô này.")]
    with translation.override("en"):
        assert said(schema, {"cam_doan": False}) == [(["cam_doan"], "Tick this box.")]


def test_a_value_that_is_not_text_is_named_in_json_never_in_pythons_words():
    schema = {
        "type": "object",
        "properties": {"khong": {"const": False}, "so": {"const": 2}, "chon": {"enum": [1, None]}},
    }

    assert said(schema, {"khong": True, "so": 3, "chon": 2}) == [
        (["chon"], "Phải là một trong: «1», «null»."),
        (["khong"], "Phải là «false»."),
        (["so"], "Phải là «2»."),
    ]


def test_a_field_another_one_asks_for_is_named_where_it_is_missing():
    schema = {
        "type": "object",
        "properties": {
            "so_ho_chieu": {"type": "string", "title": "Số hộ chiếu"},
            "noi_cap": {"type": "string"},
            "ngay_cap": {"type": "string"},
        },
        "dependentRequired": {"so_ho_chieu": ["noi_cap", "ngay_cap"]},
    }

    assert said(schema, {"so_ho_chieu": "C1", "ngay_cap": "2020-01-01"}) == [
        (["noi_cap"], "Bắt buộc nhập khi đã điền “Số hộ chiếu”.")
    ]
    assert said(schema, {"noi_cap": "Hà Nội"}) == []
