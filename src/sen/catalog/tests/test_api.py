"""The public catalog API: search with pagination, one procedure, and the exports."""

import io

import pytest
from django.core.files.base import ContentFile
from openpyxl import load_workbook

from sen.catalog.models import Procedure
from sen.catalog.services import catalog_export
from sen.catalog.tests.conftest import JUSTICE, SERVICE_CENTRE
from sen.catalog.tests.factories import BIRTH_FORM, make_procedure

pytestmark = pytest.mark.django_db

URL = "/api/v1/procedures"


@pytest.fixture
def catalog(refs):
    make_procedure()
    make_procedure(code="1.000894", name="Đăng ký kết hôn", online_level="partial")
    make_procedure(
        code="2.000815",
        name="Chứng thực bản sao từ bản chính",
        processing_days="0.5",
        implementations=[
            {"level": "commune", "agency": None},
            {"level": "province", "agency": JUSTICE},
        ],
        steps=[
            {
                "name": "Tiếp nhận",
                "role": "one_stop",
                "agency": SERVICE_CENTRE,
                "duration": "0.5",
                "unit": "hours",
            },
            {
                "name": "Chứng thực",
                "role": "specialist",
                "agency": JUSTICE,
                "duration": "3.5",
                "unit": "hours",
            },
        ],
        fees=[{"kind": "fee", "amount": 2000, "description": "Mỗi trang"}],
    )


CIVIL_STATUS = {"code": "ho-tich", "name": "Hộ tịch"}
BIRTH_SUMMARY = {
    "code": "1.001193",
    "name": "Đăng ký khai sinh",
    "field": CIVIL_STATUS,
    "online_level": "full",
    "processing_days": "1",
    "levels": ["commune"],
}
MARRIAGE_SUMMARY = {
    "code": "1.000894",
    "name": "Đăng ký kết hôn",
    "field": CIVIL_STATUS,
    "online_level": "partial",
    "processing_days": "1",
    "levels": ["commune"],
}
COPY_SUMMARY = {
    "code": "2.000815",
    "name": "Chứng thực bản sao từ bản chính",
    "field": CIVIL_STATUS,
    "online_level": "full",
    "processing_days": "0.5",
    "levels": ["province", "commune"],
}


def test_a_citizen_searches_without_diacritics_and_gets_the_best_match_first(
    client, catalog, django_assert_num_queries
):
    """Two queries: the ranked ids with the count, then their rows with fields and levels."""
    with django_assert_num_queries(2):
        response = client.get(URL, {"q": "dang ky"})

    assert response.status_code == 200
    assert response.json() == {
        "count": 2,
        "page": 1,
        "page_size": 20,
        "results": [MARRIAGE_SUMMARY, BIRTH_SUMMARY],
    }


def test_the_list_without_a_query_is_the_whole_catalog_by_name(client, catalog):
    response = client.get(URL)

    assert response.json()["results"] == [COPY_SUMMARY, MARRIAGE_SUMMARY, BIRTH_SUMMARY]


def test_filters_combine_and_empty_filters_mean_any(client, catalog):
    response = client.get(
        URL,
        {"q": "", "field": "ho-tich", "level": "province", "agency": JUSTICE, "online_level": ""},
    )

    assert response.json() == {"count": 1, "page": 1, "page_size": 20, "results": [COPY_SUMMARY]}


def test_pages_split_the_results_and_a_page_past_the_end_is_empty(
    client, catalog, django_assert_num_queries
):
    """A page takes the ranked ids with the count, then the rows: two queries. A page past
    the end has no ids to count with, so it counts: two queries as well."""
    with django_assert_num_queries(2):
        first = client.get(URL, {"page": 1, "page_size": 2})
    second = client.get(URL, {"page": 2, "page_size": 2})
    with django_assert_num_queries(2):
        past = client.get(URL, {"page": 3, "page_size": 2})

    assert first.json() == {
        "count": 3,
        "page": 1,
        "page_size": 2,
        "results": [COPY_SUMMARY, MARRIAGE_SUMMARY],
    }
    assert second.json() == {"count": 3, "page": 2, "page_size": 2, "results": [BIRTH_SUMMARY]}
    assert past.json() == {"count": 3, "page": 3, "page_size": 2, "results": []}
    last = client.get(URL, {"page": 1_000_000, "page_size": 100})
    assert last.json() == {"count": 3, "page": 1_000_000, "page_size": 100, "results": []}


def test_no_match_is_an_empty_list_in_one_query(client, catalog, django_assert_num_queries):
    """An empty first page says the count is 0: only the ranking query runs."""
    with django_assert_num_queries(1):
        response = client.get(URL, {"q": "giay phep xay dung"})

    assert response.json() == {"count": 0, "page": 1, "page_size": 20, "results": []}


@pytest.mark.parametrize(
    ("params", "details"),
    [
        (
            {"level": "district"},
            [
                {
                    "field": "level",
                    "message": "Phải là một trong: «province», «commune».",
                    "type": "enum",
                }
            ],
        ),
        (
            {"online_level": "4"},
            [
                {
                    "field": "online_level",
                    "message": "Phải là một trong: «full», «partial», «none».",
                    "type": "enum",
                }
            ],
        ),
        (
            {"page": 0},
            [
                {
                    "field": "page",
                    "message": "Phải lớn hơn hoặc bằng 1.",
                    "type": "greater_than_equal",
                }
            ],
        ),
        (
            # Past this, the page's offset would overflow the database's integers.
            {"page": 1_000_001},
            [
                {
                    "field": "page",
                    "message": "Phải nhỏ hơn hoặc bằng 1.000.000.",
                    "type": "less_than_equal",
                }
            ],
        ),
        (
            {"page_size": 101},
            [
                {
                    "field": "page_size",
                    "message": "Phải nhỏ hơn hoặc bằng 100.",
                    "type": "less_than_equal",
                }
            ],
        ),
        (
            {"page_size": 0},
            [
                {
                    "field": "page_size",
                    "message": "Phải lớn hơn hoặc bằng 1.",
                    "type": "greater_than_equal",
                }
            ],
        ),
        (
            {"page": "hai"},
            [{"field": "page", "message": "Phải là số nguyên.", "type": "int_parsing"}],
        ),
    ],
)
def test_bad_filter_values_are_refused_with_invalid_input(client, catalog, params, details):
    response = client.get(URL, params)

    assert response.status_code == 400
    assert response.json() == {
        "error": {
            "code": "invalid_input",
            "message": "Dữ liệu gửi lên không hợp lệ.",
            "details": details,
        }
    }


def test_a_procedure_is_shown_whole_with_its_agencies_named(
    client, catalog, django_assert_num_queries
):
    """Five queries: procedure with field, components, fees, steps with agencies,
    implementations with agencies."""
    with django_assert_num_queries(5):
        response = client.get(f"{URL}/2.000815")

    assert response.status_code == 200
    assert response.json() == {
        **COPY_SUMMARY,
        "version": 1,
        "accepts_office_documents": False,
        "implementations": [
            {"level": "commune", "agency": None},
            {"level": "province", "agency": {"code": JUSTICE, "name": "Sở Tư pháp"}},
        ],
        "description": "Nộp tờ khai tại Bộ phận Một cửa Ủy ban nhân dân cấp xã.",
        "applicants": "Cha, mẹ của trẻ",
        "conditions": "",
        "legal_basis": ["Luật Hộ tịch số 60/2014/QH13"],
        "results": ["Giấy khai sinh"],
        "components": [
            {
                "name": "Tờ khai đăng ký khai sinh",
                "originals": 1,
                "copies": 0,
                "required": True,
                "upload_required": True,
                "note": "",
                "template_url": None,
            },
            {
                "name": "Văn bản ủy quyền",
                "originals": 1,
                "copies": 0,
                "required": False,
                "upload_required": False,
                "note": "Khi ủy quyền",
                "template_url": None,
            },
        ],
        "fees": [{"kind": "fee", "amount": 2000, "description": "Mỗi trang"}],
        "steps": [
            {
                "name": "Tiếp nhận",
                "role": "one_stop",
                "agency": {
                    "code": SERVICE_CENTRE,
                    "name": "Trung tâm Phục vụ hành chính công tỉnh",
                },
                "duration": "0.5",
                "unit": "hours",
            },
            {
                "name": "Chứng thực",
                "role": "specialist",
                "agency": {"code": JUSTICE, "name": "Sở Tư pháp"},
                "duration": "3.5",
                "unit": "hours",
            },
        ],
        "form_schema": BIRTH_FORM,
    }


def test_a_procedure_shows_its_current_version(client, catalog):
    make_procedure(name="Đăng ký khai sinh (mới)")

    body = client.get(f"{URL}/1.001193").json()

    assert (body["version"], body["name"]) == (2, "Đăng ký khai sinh (mới)")


@pytest.mark.parametrize("code", ["9.999999", "khai-sinh"])
def test_an_unknown_procedure_is_404_procedure_not_found(client, catalog, code):
    response = client.get(f"{URL}/{code}")

    assert response.status_code == 404
    assert response.json() == {
        "error": {
            "code": "procedure_not_found",
            "message": f"Không tìm thấy thủ tục có mã {code}.",
        }
    }


def test_the_json_export_is_public_and_in_the_import_format(client, catalog):
    response = client.get(f"{URL}/export.json")

    assert response.status_code == 200
    assert response.json() == catalog_export()


def test_the_json_export_can_be_limited_to_some_codes(client, catalog):
    response = client.get(f"{URL}/export.json", {"code": ["2.000815", "1.000894"]})

    assert [p["code"] for p in response.json()["procedures"]] == ["1.000894", "2.000815"]


def test_the_excel_export_is_a_workbook_to_download(client, catalog):
    response = client.get(f"{URL}/export.xlsx")

    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"] == 'attachment; filename="danh-muc-thu-tuc.xlsx"'
    workbook = load_workbook(io.BytesIO(response.content))
    assert [row[0] for row in workbook["Thủ tục"].iter_rows(values_only=True)] == [
        "Mã thủ tục",
        "1.000894",
        "1.001193",
        "2.000815",
    ]


def test_a_component_with_a_blank_form_links_to_it(client, catalog):
    component = Procedure.objects.get(code="2.000815", is_current=True).components.first()
    component.template.save("to-khai.pdf", ContentFile(b"%PDF-1.7 mau"), save=True)

    response = client.get(f"{URL}/2.000815")

    links = [item["template_url"] for item in response.json()["components"]]
    assert links[0] == component.template.url
    assert links[0].endswith(".pdf")
    assert links[1:] == [None] * (len(links) - 1)
