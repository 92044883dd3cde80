"""The procedure page: what a citizen needs to know before applying."""

import re

import pytest

from sen.catalog.models import OnlineLevel
from sen.portal.tests.factories import (
    DocumentComponentFactory,
    FeeFactory,
    ImplementationFactory,
    ProcedureFactory,
    ProcessStepFactory,
)
from sen.portal.tests.html import text_of

pytestmark = pytest.mark.django_db


def test_procedure_page_shows_name_code_field_time_level_and_online_level(client, catalog):
    response = client.get("/thu-tuc/1.001193/")

    assert response.status_code == 200
    html = response.content.decode()
    assert '<h1 lang="vi">Đăng ký khai sinh</h1>' in html
    assert "<title>Đăng ký khai sinh (1.001193) — Sen</title>" in html
    text = text_of(html)
    assert "Mã thủ tục: 1.001193" in text
    assert "Lĩnh vực Hộ tịch" in text
    assert "Cấp thực hiện Cấp xã" in text
    assert "Thời hạn giải quyết 3 ngày làm việc" in text
    assert "Mức độ trực tuyến Trực tuyến toàn trình" in text
    assert "Cấp xã: Ủy ban nhân dân cấp xã nơi bạn cư trú" in text
    assert "(bản cũ)" not in text  # the current version, not the superseded one


def test_procedure_page_shows_fees_in_dong_with_dots_and_free_ones_as_free(client, catalog):
    response = client.get("/thu-tuc/1.001193/")

    text = text_of(response.content.decode())
    assert "Phí, lệ phí Miễn phí; 50.000 đồng (chi tiết)" in text
    assert "Lệ phí: Miễn phí — Đăng ký đúng hạn" in text
    assert "Lệ phí: 50.000 đồng — Trường hợp có yếu tố nước ngoài" in text


def test_a_procedure_without_fees_says_it_is_free(client, catalog):
    response = client.get("/thu-tuc/1.000894/")

    text = text_of(response.content.decode())
    assert "Phí, lệ phí Miễn phí" in text
    assert "đồng" not in text


def test_a_charge_in_millions_is_grouped_by_thousands(client, catalog):
    response = client.get("/thu-tuc/1.012345/")

    text = text_of(response.content.decode())
    assert "Phí: 1.500.000 đồng" in text
    assert "Cấp tỉnh: Sở Nông nghiệp và Môi trường tỉnh Ninh Bình" in text
    assert "Thời hạn giải quyết 20 ngày làm việc" in text


def test_procedure_page_lists_document_components_with_originals_copies_and_required(
    client, catalog
):
    response = client.get("/thu-tuc/1.001193/")

    rows = re.findall(r"<tr>(.*?)</tr>", response.content.decode(), flags=re.S)
    body_rows = [text_of(row) for row in rows[1:]]
    assert body_rows == [
        "1 Tờ khai đăng ký khai sinh 1 0 Có",
        "2 Giấy chứng sinh 1 0 Có",
        "3 Văn bản ủy quyền Khi nhờ người khác nộp hồ sơ. 0 1 Không",
    ]
    assert text_of(rows[0]) == "STT Tên giấy tờ Bản chính Bản sao Bắt buộc"


def test_on_a_phone_the_components_table_drops_its_number_column_from_header_and_rows_alike(
    client, catalog
):
    # On a narrow screen the table reads as one block per paper and its "STT" cells are
    # hidden (sen.css, .table--stack .table__index); a header still listing "STT" would have
    # a screen reader announce each cell under the header of the column before it.
    html = client.get("/thu-tuc/1.001193/").content.decode()

    table = re.search(r'<table class="table table--stack">(.*?)</table>', html, re.S)
    assert table is not None
    rows = re.findall(r"<tr>(.*?)</tr>", table.group(1), flags=re.S)
    hidden = [
        ["table__index" in cell for cell in re.findall(r"<t[hd]\b([^>]*)>", row)] for row in rows
    ]
    assert hidden[0] == [True, False, False, False, False]
    assert all(row == hidden[0] for row in hidden)


def test_procedure_page_lists_the_steps_in_order_with_role_and_time(client, catalog):
    response = client.get("/thu-tuc/1.001193/")

    steps = re.findall(r'<li class="steps__item">(.*?)</li>', response.content.decode(), re.S)
    assert [text_of(step) for step in steps] == [
        "Tiếp nhận hồ sơ Cán bộ một cửa — cơ quan tiếp nhận hồ sơ — 4 giờ làm việc",
        "Thẩm định hồ sơ Chuyên viên — cơ quan tiếp nhận hồ sơ — 1,5 ngày làm việc",
        "Ký giấy khai sinh Lãnh đạo — cơ quan tiếp nhận hồ sơ — 1 ngày làm việc",
    ]


def test_procedure_page_shows_description_applicants_conditions_results_and_legal_basis(
    client, catalog
):
    response = client.get("/thu-tuc/1.001193/")

    html = response.content.decode()
    assert "<p>Bước 1: Nộp hồ sơ.<br>Bước 2: Nhận kết quả.</p>" in html
    text = text_of(html)
    assert "Đối tượng thực hiện Công dân Việt Nam" in text
    assert "Điều kiện thực hiện Trẻ em sinh ra còn sống." in text
    assert "Kết quả thực hiện Giấy khai sinh (bản chính)" in text
    assert (
        "Căn cứ pháp lý Luật Hộ tịch số 60/2014/QH13 "
        "123/2015/NĐ-CP — Nghị định quy định chi tiết Luật Hộ tịch"
    ) in text


def test_procedure_page_lists_the_e_form_fields_with_required_ones_marked(client, catalog):
    response = client.get("/thu-tuc/1.001193/")

    section = re.search(r'<section id="eform".*?</section>', response.content.decode(), re.S)
    assert section is not None
    assert text_of(section.group()) == (
        "Thông tin cần khai Khi nộp hồ sơ, bạn sẽ khai các thông tin sau. "
        "Thông tin có dấu * là bắt buộc. "
        "Họ, chữ đệm và tên người được khai sinh * (bắt buộc) "
        "Ngày sinh * (bắt buộc) "
        "Nơi sinh Tên cơ sở y tế hoặc địa chỉ nơi sinh. "
        "Thông tin người mẹ Họ và tên mẹ * (bắt buộc)"
    )


def test_procedure_page_has_breadcrumbs_back_to_the_list_and_the_field(client, catalog):
    response = client.get("/thu-tuc/1.001193/")

    crumbs = re.search(r'<nav class="breadcrumbs.*?</nav>', response.content.decode(), re.S)
    assert crumbs is not None
    links = re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', crumbs.group())
    assert links == [
        ("/", "Trang chủ"),
        ("/thu-tuc/", "Thủ tục hành chính"),
        ("/thu-tuc/?field=ho-tich", "Hộ tịch"),
        ("/thu-tuc/1.001193/", "Đăng ký khai sinh"),
    ]


def test_procedure_page_links_to_online_submission_only_where_the_procedure_takes_it(
    client, catalog
):
    # Given a procedure online in full and one that takes no online dossier
    offline = ProcedureFactory(code="2.000346", online_level=OnlineLevel.NONE)

    # When a citizen reads each page
    online_page = client.get("/thu-tuc/1.001193/").content.decode()
    offline_page = client.get(f"/thu-tuc/{offline.code}/").content.decode()

    # Then only the first offers to apply online
    assert '<a class="button" href="/thu-tuc/1.001193/nop-ho-so/">Nộp hồ sơ trực tuyến</a>' in (
        online_page
    )
    assert "nop-ho-so" not in offline_page


def test_a_procedure_with_only_a_name_still_renders(client, catalog):
    response = client.get("/thu-tuc/1.004884/")

    assert response.status_code == 200
    text = text_of(response.content.decode())
    assert "Thủ tục này không yêu cầu giấy tờ." in text
    assert "Thông tin cần khai" not in text


def test_an_unknown_code_answers_404_in_vietnamese(client, catalog):
    response = client.get("/thu-tuc/9.999999/")

    assert response.status_code == 404
    html = response.content.decode()
    assert '<html lang="vi">' in html
    assert "<h1>Không tìm thấy thủ tục</h1>" in html
    assert "Không tìm thấy thủ tục có mã 9.999999." in html
    assert 'for="nf-q">Tìm thủ tục hành chính</label>' in html


def test_a_code_with_markup_is_escaped_on_the_404_page(client, catalog):
    response = client.get("/thu-tuc/<script>alert(1)<%2Fscript>/")

    assert response.status_code == 404
    assert "<script>alert(1)" not in response.content.decode()


def test_detail_query_count_does_not_grow_with_components_fees_or_steps(
    client, catalog, django_assert_num_queries
):
    """The procedure with its field (1), then one query each for components, fees, steps
    with their agencies, and implementations with their agencies (4)."""
    land = catalog.land
    with django_assert_num_queries(5):
        client.get("/thu-tuc/1.012345/")
    for position in range(2, 27):
        DocumentComponentFactory(procedure=land, position=position)
        FeeFactory(procedure=land, position=position, amount=position * 1000)
        ProcessStepFactory(procedure=land, position=position, agency=catalog.justice_department)
        ImplementationFactory(
            procedure=land, position=position, level="province", agency=catalog.justice_department
        )

    with django_assert_num_queries(5):
        response = client.get("/thu-tuc/1.012345/")

    assert len(response.context["procedure"].components.all()) == 25
    assert len(response.context["fees"]) == 26
