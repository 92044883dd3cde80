"""The units API: GET /api/v1/units and GET /api/v1/units/{level}/{code}."""

from typing import Any

import pytest
from django.test import Client

from sen.core.errors import InvalidUnitLevel, UnitNotFound
from sen.core.models import AdministrativeUnit
from sen.core.selectors import unit_get, unit_search, unit_successors


def get(client: Client, url: str) -> tuple[int, Any]:
    response = client.get(url)
    return response.status_code, response.json()


NAM_DINH_WARD = {
    "code": "13666",
    "name": "Phường Nam Định",
    "division_type": "phường",
    "level": "commune",
    "parent_code": "37",
    "is_legacy": False,
}


def test_searching_without_diacritics_finds_the_ward(
    client: Client, ninh_binh: AdministrativeUnit, django_assert_num_queries: Any
) -> None:
    """Two queries: the count and the page (with the parent joined)."""
    with django_assert_num_queries(2):
        status, body = get(client, "/api/v1/units?q=nam%20dinh&level=commune")

    assert status == 200
    assert body == {"count": 1, "page": 1, "page_size": 20, "results": [NAM_DINH_WARD]}


def test_searching_with_diacritics_and_in_capitals_finds_the_same(
    client: Client, ninh_binh: AdministrativeUnit
) -> None:
    _, plain = get(client, "/api/v1/units?q=PHU%20LY")
    _, accented = get(client, "/api/v1/units?q=Phủ%20Lý")

    # Every word begins a word of the name; the whole phrase ranks first.
    assert [unit["name"] for unit in plain["results"]] == [
        "Phường Phủ Lý",
        "Phường Lý Thường Kiệt",
    ]
    assert accented == plain


def test_legacy_units_are_found_only_when_asked(
    client: Client, ninh_binh: AdministrativeUnit
) -> None:
    _, current = get(client, "/api/v1/units?q=nam%20dinh")
    _, with_legacy = get(client, "/api/v1/units?q=nam%20dinh&legacy=true")

    assert current["results"] == [NAM_DINH_WARD]
    assert with_legacy["results"] == [
        NAM_DINH_WARD,
        {
            "code": "36",
            "name": "Tỉnh Nam Định",
            "division_type": "tỉnh",
            "level": "province",
            "parent_code": None,
            "is_legacy": True,
        },
        {
            "code": "356",
            "name": "Thành phố Nam Định",
            "division_type": "thành phố",
            "level": "district",
            "parent_code": "36",
            "is_legacy": True,
        },
    ]


def test_the_communes_of_a_province_come_in_pages(
    client: Client, ninh_binh: AdministrativeUnit, django_assert_num_queries: Any
) -> None:
    """Two queries per page: the count and the page."""
    with django_assert_num_queries(2):
        _, first = get(client, "/api/v1/units?level=commune&parent=37&page_size=50")
    _, last = get(client, "/api/v1/units?level=commune&parent=37&page_size=50&page=3")

    assert (first["count"], first["page"], first["page_size"]) == (129, 1, 50)
    assert len(first["results"]) == 50
    assert len(last["results"]) == 29
    codes = [u["code"] for u in first["results"]] + [u["code"] for u in last["results"]]
    assert codes[:2] == ["13285", "13291"]  # by code
    assert codes == sorted(codes)
    assert {u["parent_code"] for u in first["results"]} == {"37"}


def test_a_page_past_the_end_is_empty(client: Client, ninh_binh: AdministrativeUnit) -> None:
    status, body = get(client, "/api/v1/units?level=province&page=2")

    assert (status, body) == (200, {"count": 1, "page": 2, "page_size": 20, "results": []})


def test_a_code_finds_the_unit_with_or_without_leading_zeros(
    client: Client, ninh_binh: AdministrativeUnit
) -> None:
    _, body = get(client, "/api/v1/units?q=37")

    assert [(u["level"], u["code"]) for u in body["results"]] == [("province", "37")]


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("/api/v1/units?level=village", "level"),
        ("/api/v1/units?page=0", "page"),
        ("/api/v1/units?page=1000001", "page"),
        ("/api/v1/units?page_size=101", "page_size"),
    ],
)
@pytest.mark.django_db
def test_bad_filters_are_refused(client: Client, url: str, field: str) -> None:
    status, body = get(client, url)

    assert status == 400
    assert body["error"]["code"] == "invalid_input"
    assert [detail["field"] for detail in body["error"]["details"]] == [field]


def test_a_current_province_lists_the_former_provinces_it_took_over(
    client: Client, ninh_binh: AdministrativeUnit, django_assert_num_queries: Any
) -> None:
    """Two queries: the unit with its parent, its predecessors."""
    with django_assert_num_queries(2):
        status, body = get(client, "/api/v1/units/province/37")

    assert status == 200
    assert body == {
        "code": "37",
        "name": "Ninh Bình",
        "division_type": "tỉnh",
        "level": "province",
        "parent_code": None,
        "is_legacy": False,
        "successors": [],
        "predecessors": [
            {"code": "35", "name": "Tỉnh Hà Nam", "level": "province"},
            {"code": "36", "name": "Tỉnh Nam Định", "level": "province"},
            {"code": "37", "name": "Tỉnh Ninh Bình", "level": "province"},
        ],
    }


def test_a_former_province_names_its_successor(
    client: Client, ninh_binh: AdministrativeUnit, django_assert_num_queries: Any
) -> None:
    """Two queries: the unit with its parent, its successors."""
    with django_assert_num_queries(2):
        status, body = get(client, "/api/v1/units/province/36?legacy=true")

    assert status == 200
    assert body == {
        "code": "36",
        "name": "Tỉnh Nam Định",
        "division_type": "tỉnh",
        "level": "province",
        "parent_code": None,
        "is_legacy": True,
        "successors": [{"code": "37", "name": "Ninh Bình", "level": "province"}],
        "predecessors": [],
    }


def test_a_current_commune_lists_the_former_commune_whose_code_it_kept(
    client: Client, ninh_binh: AdministrativeUnit
) -> None:
    _, body = get(client, "/api/v1/units/commune/13666")

    assert body == {
        **NAM_DINH_WARD,
        "successors": [],
        "predecessors": [{"code": "13666", "name": "Phường Trần Hưng Đạo", "level": "commune"}],
    }


def test_a_former_district_is_found_with_legacy(
    client: Client, ninh_binh: AdministrativeUnit
) -> None:
    status, body = get(client, "/api/v1/units/district/356?legacy=true")

    assert status == 200
    assert (body["name"], body["parent_code"]) == ("Thành phố Nam Định", "36")
    assert body["successors"] == [{"code": "37", "name": "Ninh Bình", "level": "province"}]


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/units/province/36",  # Nam Định is no longer a current province
        "/api/v1/units/province/99",
        "/api/v1/units/district/356",  # districts are all legacy
        "/api/v1/units/commune/13669",  # merged into another ward
    ],
)
def test_an_unknown_unit_is_not_found(
    client: Client, ninh_binh: AdministrativeUnit, url: str
) -> None:
    status, body = get(client, url)

    assert status == 404
    assert body["error"]["code"] == "unit_not_found"


@pytest.mark.django_db
def test_a_bad_level_in_the_path_is_refused(client: Client) -> None:
    status, body = get(client, "/api/v1/units/village/13666")

    assert status == 400
    assert body["error"]["code"] == "invalid_input"
    assert [detail["field"] for detail in body["error"]["details"]] == ["level"]


@pytest.mark.django_db
def test_the_selectors_refuse_a_bad_level_with_their_own_code() -> None:
    with pytest.raises(InvalidUnitLevel):
        unit_search(level="village")
    with pytest.raises(InvalidUnitLevel):
        unit_get(level="village", code="1")


def test_unit_get_pads_codes_and_tells_legacy_from_current(
    ninh_binh: AdministrativeUnit,
) -> None:
    assert unit_get(level="province", code="37") == ninh_binh
    assert unit_get(level="province", code="37", legacy=True).name == "Tỉnh Ninh Bình"
    assert unit_get(level="commune", code="13666").name == "Phường Nam Định"
    with pytest.raises(UnitNotFound):
        unit_get(level="province", code="36")


def test_successors_are_followed_through_a_chain_of_legacy_units(
    ninh_binh: AdministrativeUnit,
) -> None:
    # Should a former commune ever point at another former unit, the chain is followed.
    older = AdministrativeUnit.objects.create(
        level="commune",
        code="99999",
        name="Xã Cổ",
        folded_name="xa co",
        division_type="xã",
        is_legacy=True,
    )
    older.successors.set([unit_get(level="province", code="36", legacy=True)])

    assert [(u.level, u.code, u.is_legacy) for u in unit_successors(older)] == [
        ("province", "37", False)
    ]
    assert unit_successors(ninh_binh) == []
