"""An e-form's fields as the procedure page lists them, in display order."""

import pytest

from sen.eforms.schema import FormField, form_fields


def test_form_fields_keep_property_order_titles_and_required_marks():
    schema = {
        "type": "object",
        "required": ["b", "c"],
        "properties": {
            "c": {"type": "string", "title": "Số điện thoại", "propertyOrder": 3},
            "a": {"type": "string", "title": "Họ và tên", "propertyOrder": 1},
            "b": {"type": "string", "propertyOrder": 2, "description": "dd/mm/yyyy"},
        },
    }

    assert form_fields(schema) == [
        FormField(name="a", title="Họ và tên", required=False),
        FormField(name="b", title="b", required=True, description="dd/mm/yyyy"),
        FormField(name="c", title="Số điện thoại", required=True),
    ]


def test_form_fields_without_order_keep_stored_order_and_nest_objects_and_arrays():
    schema = {
        "properties": {
            "me": {
                "type": "object",
                "title": "Người mẹ",
                "required": ["ten"],
                "properties": {"ten": {"title": "Họ và tên mẹ"}},
            },
            "con": {
                "type": "array",
                "title": "Các con",
                "items": {"type": "object", "properties": {"ten_con": {"title": "Tên con"}}},
            },
        },
    }

    assert form_fields(schema) == [
        FormField(
            name="me",
            title="Người mẹ",
            required=False,
            children=(FormField(name="ten", title="Họ và tên mẹ", required=True),),
        ),
        FormField(
            name="con",
            title="Các con",
            required=False,
            children=(FormField(name="ten_con", title="Tên con", required=False),),
        ),
    ]


@pytest.mark.parametrize(
    "schema",
    [{}, None, [], "x", {"properties": []}, {"properties": None}, {"type": "object"}],
)
def test_schemas_without_fields_give_no_fields(schema):
    assert form_fields(schema) == []


def test_a_malformed_property_shows_its_key():
    assert form_fields({"properties": {"x": "not an object"}, "required": "x"}) == [
        FormField(name="x", title="x", required=False)
    ]
