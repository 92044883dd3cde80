"""The procedure list: search without diacritics, filters, pagination, empty results."""

import re

import pytest

pytestmark = pytest.mark.django_db


def result_codes(response) -> list[str]:
    return [procedure.code for procedure, _levels in response.context["results"]]


def test_search_without_diacritics_finds_birth_registration_first(client, catalog):
    response = client.get("/thu-tuc/", {"q": "dang ky khai sinh"})

    assert response.status_code == 200
    assert result_codes(response) == ["1.001193", "1.004884"]
    html = response.content.decode()
    assert '<a href="/thu-tuc/1.001193/" lang="vi">Đăng ký khai sinh</a>' in html
    assert "Đăng ký khai sinh (bản cũ)" not in html  # superseded versions are never listed
    assert "Tìm thấy 2 thủ tục." in html


def test_search_with_diacritics_and_odd_case_finds_the_same(client, catalog):
    response = client.get("/thu-tuc/", {"q": "  ĐĂNG KÝ Khai   sinh "})

    assert result_codes(response) == ["1.001193", "1.004884"]


def test_search_by_procedure_code(client, catalog):
    response = client.get("/thu-tuc/", {"q": "2.000815"})

    assert result_codes(response) == ["2.000815"]


def test_each_result_shows_code_field_level_time_and_online_badge(client, catalog):
    response = client.get("/thu-tuc/", {"q": "chung thuc ban sao"})

    html = response.content.decode()
    assert "<dt>Mã thủ tục</dt><dd>2.000815</dd>" in html
    assert '<dt>Lĩnh vực</dt><dd lang="vi">Chứng thực</dd>' in html
    assert "<dt>Cấp thực hiện</dt><dd>Cấp tỉnh, Cấp xã</dd>" in html
    assert "<dt>Thời hạn giải quyết</dt><dd>0,5 ngày làm việc</dd>" in html
    assert '<span class="badge badge--full">Trực tuyến toàn trình</span>' in html


def test_partial_online_procedures_carry_the_partial_badge(client, catalog):
    response = client.get("/thu-tuc/", {"q": "ket hon"})

    assert '<span class="badge badge--partial">Trực tuyến một phần</span>' in (
        response.content.decode()
    )


def test_filter_by_field(client, catalog):
    response = client.get("/thu-tuc/", {"field": "dat-dai"})

    assert result_codes(response) == ["1.012345"]
    assert (
        '<option value="dat-dai" lang="vi" selected>Đất đai</option>' in response.content.decode()
    )


def test_filter_by_level(client, catalog):
    province = client.get("/thu-tuc/", {"level": "province"})
    commune = client.get("/thu-tuc/", {"level": "commune"})

    assert sorted(result_codes(province)) == ["1.012345", "2.000815"]
    assert sorted(result_codes(commune)) == ["1.000894", "1.001193", "1.004884", "2.000815"]


def test_filter_by_online_level(client, catalog):
    response = client.get("/thu-tuc/", {"online_level": "full"})

    assert sorted(result_codes(response)) == ["1.001193", "2.000815"]


def test_text_and_filters_combine(client, catalog):
    response = client.get("/thu-tuc/", {"q": "dang ky", "online_level": "partial"})

    assert sorted(result_codes(response)) == ["1.000894", "1.004884"]


def test_no_results_suggests_searching_without_diacritics_or_with_fewer_words(client, catalog):
    response = client.get("/thu-tuc/", {"q": "cấp hộ chiếu phổ thông"})

    assert response.status_code == 200
    assert result_codes(response) == []
    html = response.content.decode()
    assert "Không tìm thấy thủ tục nào phù hợp." in html
    assert "thử gõ không dấu" in html
    assert "dùng ít từ hơn" in html
    assert "Xóa bộ lọc" in html


def test_an_unknown_filter_value_is_reported_not_silently_ignored(client, catalog):
    response = client.get("/thu-tuc/", {"field": "khong-co", "level": "huyen"})

    assert response.status_code == 200
    assert response.context["page"] is None
    html = response.content.decode()
    assert "Bộ lọc không hợp lệ" in html
    assert 'aria-invalid="true" aria-describedby="id_field_error"' in html
    assert '<p class="error" id="id_field_error">' in html
    assert '<p class="error" id="id_level_error">' in html
    assert "1.001193" not in html


def test_first_page_holds_twenty_and_pagination_keeps_the_filters(
    client, catalog, add_land_procedures
):
    add_land_procedures(25)  # with the fixture's land procedure: 26 in the field

    first = client.get("/thu-tuc/", {"field": "dat-dai", "q": "dat"})

    assert len(result_codes(first)) == 20
    html = first.content.decode()
    assert "Tìm thấy 26 thủ tục. Trang 1 / 2." in html
    next_links = re.findall(r'<a href="([^"]+)" rel="next">', html)
    assert next_links == ["?field=dat-dai&amp;q=dat&amp;page=2"]

    second = client.get("/thu-tuc/", {"field": "dat-dai", "q": "dat", "page": "2"})

    assert len(result_codes(second)) == 6
    assert set(result_codes(first)).isdisjoint(result_codes(second))
    html = second.content.decode()
    assert '<a href="?field=dat-dai&amp;q=dat&amp;page=1" rel="prev">' in html
    assert 'aria-current="page"><span class="visually-hidden">Trang </span>2</a>' in html
    assert '<ol class="results" aria-labelledby="result-count" start="21">' in html


def test_a_page_number_past_the_end_shows_the_last_page(client, catalog, add_land_procedures):
    add_land_procedures(25)

    response = client.get("/thu-tuc/", {"field": "dat-dai", "page": "99"})

    assert response.status_code == 200
    assert response.context["page"].number == 2


def test_a_page_number_beyond_any_database_integer_shows_the_last_page(
    client, catalog, add_land_procedures
):
    add_land_procedures(25)

    response = client.get("/thu-tuc/", {"field": "dat-dai", "page": "9" * 30})

    assert response.status_code == 200
    assert response.context["page"].number == 2


def test_a_page_number_that_is_not_a_number_shows_the_first_page(client, catalog):
    response = client.get("/thu-tuc/", {"page": "abc"})

    assert response.status_code == 200
    assert response.context["page"].number == 1


def test_list_query_count_does_not_grow_with_the_procedures(
    client, catalog, add_land_procedures, django_assert_num_queries
):
    """Fields for the select (1), the ranked page with the count (1), the page's rows with
    their fields and levels (1)."""
    with django_assert_num_queries(3):
        few = client.get("/thu-tuc/")
    add_land_procedures(25)

    with django_assert_num_queries(3):
        many = client.get("/thu-tuc/", {"level": "province"})

    assert len(result_codes(few)) == 5
    assert len(result_codes(many)) == 20


def test_the_list_refuses_to_be_posted_to(client, catalog):
    response = client.post("/thu-tuc/", {"q": "khai sinh"})

    assert response.status_code == 405


def test_an_overlong_search_is_refused_with_a_message(client, catalog):
    response = client.get("/thu-tuc/", {"q": "khai sinh " * 30})

    assert response.status_code == 200
    assert response.context["page"] is None
    html = response.content.decode()
    assert '<p class="error" role="alert">' in html
    assert "Đăng ký khai sinh</a>" not in html
