"""Finding procedures: with or without diacritics, by code, by filters, best match first.

The same tests run on SQLite (word matching) and PostgreSQL (full-text search).
"""

import pytest
from django.db import connection
from hypothesis import given
from hypothesis import strategies as st

from sen.catalog.models import Procedure
from sen.catalog.search import search_phrase, search_words, tsquery_text
from sen.catalog.selectors import procedure_ids_named, procedure_search, procedure_search_page
from sen.catalog.tests.conftest import ENVIRONMENT, JUSTICE
from sen.catalog.tests.factories import make_procedure, one_step

BIRTH = "1.001193"
BIRTH_MOBILE = "1.000000"
BIRTH_AGAIN = "1.004884"
BIRTH_FOREIGN = "1.001695"
MARRIAGE = "1.000894"
LAND = "1.004227"
COPY = "2.000815"


@pytest.fixture
def catalog(refs):
    """Seven procedures: four about birth registration, marriage, land, and certification."""
    make_procedure(code=BIRTH, name="Đăng ký khai sinh")
    make_procedure(code=BIRTH_MOBILE, name="Đăng ký khai sinh lưu động", online_level="partial")
    make_procedure(code=BIRTH_AGAIN, name="Đăng ký lại khai sinh", online_level="none")
    make_procedure(
        code=BIRTH_FOREIGN,
        name="Đăng ký khai sinh có yếu tố nước ngoài",
        implementations=[{"level": "province", "agency": JUSTICE}],
    )
    make_procedure(code=MARRIAGE, name="Đăng ký kết hôn")
    make_procedure(
        code=LAND,
        name="Cấp Giấy chứng nhận quyền sử dụng đất lần đầu",
        field="dat-dai",
        online_level="partial",
        processing_days="20",
        steps=one_step("20"),
        implementations=[{"level": "province", "agency": ENVIRONMENT}],
    )
    make_procedure(
        code=COPY,
        name="Chứng thực bản sao từ bản chính giấy tờ",
        implementations=[
            {"level": "commune", "agency": None},
            {"level": "province", "agency": JUSTICE},
        ],
    )


def codes(**filters) -> list[str]:
    return [procedure.code for procedure in procedure_search(**filters)]


@pytest.mark.parametrize("query", ["dang ky khai sinh", "Đăng ký khai sinh", "ĐĂNG KÝ  KHAI SINH"])
def test_the_exact_name_comes_first_then_names_starting_with_it_then_the_rest(catalog, query):
    assert codes(query=query) == [BIRTH, BIRTH_FOREIGN, BIRTH_MOBILE, BIRTH_AGAIN]


def test_a_name_containing_the_phrase_comes_before_one_with_the_words_apart(catalog):
    assert codes(query="khai sinh") == [BIRTH, BIRTH_FOREIGN, BIRTH_MOBILE, BIRTH_AGAIN]
    assert codes(query="lai khai sinh") == [BIRTH_AGAIN]


@pytest.mark.parametrize(
    "query", ["đăng kí khai sinh", "dang ki khai sinh", "Đăng Ký Khai Sinh", "dang ky khai sinh"]
)
def test_a_final_i_or_y_finds_both_spellings(catalog, query):
    # "kí" and "ký", "lí" and "lý", "qui" and "quy" are both written
    assert codes(query=query) == [BIRTH, BIRTH_FOREIGN, BIRTH_MOBILE, BIRTH_AGAIN]


def test_a_y_that_is_not_a_final_vowel_alone_stays_y():
    # "ý" alone (never "í kiến"), "yêu", "tuyển", "huỷ", "thủy" keep their y
    assert search_words("ý kiến, yêu cầu, tuyển dụng, huỷ, quý, lý, thủy") == [
        "y",
        "kien",
        "yeu",
        "cau",
        "tuyen",
        "dung",
        "huy",
        "qui",
        "li",
        "thuy",
    ]


def test_the_last_word_may_be_unfinished(catalog):
    assert codes(query="khai si") == [BIRTH, BIRTH_FOREIGN, BIRTH_MOBILE, BIRTH_AGAIN]
    assert codes(query="dang ky k") == [MARRIAGE, BIRTH, BIRTH_FOREIGN, BIRTH_MOBILE, BIRTH_AGAIN]


def test_words_before_the_last_must_be_whole(catalog):
    assert codes(query="khai si dang") == []
    assert codes(query="dan ky") == []


def test_a_code_finds_its_procedure_first(catalog):
    assert codes(query=BIRTH) == [BIRTH]
    assert codes(query="1.00119") == [BIRTH]
    assert codes(query="1.0011") == [BIRTH]


def test_the_field_name_is_searched_too(catalog):
    assert codes(query="dat dai") == [LAND]


def test_characters_of_the_query_language_are_only_separators(catalog):
    assert codes(query="khai & sinh | !lưu: (động)*") == [BIRTH_MOBILE]
    assert codes(query="'; DROP TABLE catalog_procedure; --") == []


def test_words_after_the_twenty_fourth_are_ignored(catalog):
    query = "dang ky " * 11 + "khai sinh " + "zzz " * 10

    assert sorted(codes(query=query)) == sorted([BIRTH, BIRTH_MOBILE, BIRTH_AGAIN, BIRTH_FOREIGN])


def test_an_empty_query_lists_every_current_procedure_by_folded_name(catalog):
    expected = [LAND, COPY, MARRIAGE, BIRTH, BIRTH_FOREIGN, BIRTH_MOBILE, BIRTH_AGAIN]
    assert codes() == expected
    assert codes(query="  ?! ") == expected


def test_filters_by_field_level_agency_and_online_level_combine(catalog):
    assert codes(field="dat-dai") == [LAND]
    assert codes(level="province") == [LAND, COPY, BIRTH_FOREIGN]
    assert codes(agency=JUSTICE) == [COPY, BIRTH_FOREIGN]
    assert codes(online_level="partial") == [LAND, BIRTH_MOBILE]
    assert codes(query="khai sinh", online_level="none") == [BIRTH_AGAIN]
    assert codes(query="khai sinh", level="province") == [BIRTH_FOREIGN]
    assert codes(level="commune", agency=JUSTICE) == []
    assert codes(field="khong-co") == []


def test_a_procedure_with_several_matching_implementations_is_listed_once(refs):
    make_procedure(
        code=COPY,
        name="Chứng thực bản sao",
        implementations=[
            {"level": "province", "agency": JUSTICE},
            {"level": "province", "agency": ENVIRONMENT},
            {"level": "commune", "agency": None},
        ],
    )

    assert codes(level="province") == [COPY]
    assert procedure_search(level="province").count() == 1


def test_only_current_versions_are_found(catalog):
    make_procedure(code=MARRIAGE, name="Đăng ký kết hôn trong nước")

    assert codes(query="ket hon") == [MARRIAGE]
    assert [p.version for p in procedure_search(query="ket hon")] == [2]
    assert codes(query="ket hon trong nuoc") == [MARRIAGE]


def test_a_page_of_results_costs_two_queries_with_fields_and_implementations(
    catalog, django_assert_num_queries
):
    """One query for the procedures with their fields, one for all their implementations."""
    with django_assert_num_queries(2):
        page = list(procedure_search(query="dang ky")[:20])
        summary = [(p.field.name, [i.level for i in p.implementations.all()]) for p in page]

    assert summary[0] == ("Hộ tịch", ["commune"])


@pytest.mark.parametrize(
    ("page", "page_size", "queries", "expected"),
    [
        (1, 20, 2, [BIRTH, BIRTH_FOREIGN, BIRTH_MOBILE, BIRTH_AGAIN]),
        (1, 3, 2, [BIRTH, BIRTH_FOREIGN, BIRTH_MOBILE]),
        (2, 3, 2, [BIRTH_AGAIN]),
        (2, 2, 2, [BIRTH_MOBILE, BIRTH_AGAIN]),
        (3, 2, 2, []),
    ],
)
def test_a_page_of_search_costs_two_queries_wherever_it_falls(
    catalog, django_assert_num_queries, page, page_size, queries, expected
):
    """The ranked ids with the total, then the page's rows with their levels; a page past
    the end has no row to carry the total, so it counts instead."""
    with django_assert_num_queries(queries):
        found = procedure_search_page(query="khai sinh", page=page, page_size=page_size)

    assert found.count == 4
    assert [procedure.code for procedure in found.procedures] == expected
    assert all(found.levels[procedure.pk] for procedure in found.procedures)


def ids_of(code: str) -> set[int]:
    return set(Procedure.objects.filter(code=code).values_list("pk", flat=True))


def test_text_names_every_version_of_the_procedures_matching_by_code_or_words(catalog):
    # Given marriage registration amended: version 1 is superseded, version 2 current
    make_procedure(code=MARRIAGE, name="Đăng ký kết hôn trong nước")
    marriage = ids_of(MARRIAGE)
    births = ids_of(BIRTH) | ids_of(BIRTH_MOBILE) | ids_of(BIRTH_AGAIN) | ids_of(BIRTH_FOREIGN)
    assert len(marriage) == 2

    def named(text: str) -> set[int]:
        found = procedure_ids_named(text=text, limit=100)
        assert len(found) == len(set(found))
        return set(found)

    assert named("ket hon") == marriage
    assert named("kết hôn trong nư") == marriage
    assert named(f" {MARRIAGE} ") == marriage
    assert named("Đăng ký khai sinh") == births
    assert named("DANG KY KHAI SINH") == births
    assert named("dat dai") == ids_of(LAND)
    assert named("ly hon") == set()
    assert named("?!") == set()


def test_naming_procedures_is_one_query_none_for_blank_text_and_stops_at_the_limit(
    catalog, django_assert_num_queries
):
    with django_assert_num_queries(0):
        assert procedure_ids_named(text="  ", limit=10) == []
    with django_assert_num_queries(1):
        assert len(procedure_ids_named(text="khai sinh", limit=10)) == 4
    assert len(procedure_ids_named(text="khai sinh", limit=3)) == 3


def test_levels_of_a_result_read_province_then_commune(catalog):
    found = procedure_search_page(query="chung thuc")

    assert found.levels == {found.procedures[0].pk: ["province", "commune"]}


def test_each_database_searches_through_its_own_index(db):
    """PostgreSQL: a GIN index without fast update. SQLite: a covering index, so that the
    scan of the folded text reads the narrow index rather than the wide rows."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT indexdef FROM pg_indexes WHERE indexname = %s",
                ["catalog_procedure_search_vector"],
            )
            assert cursor.fetchone()[0] == (
                "CREATE INDEX catalog_procedure_search_vector ON public.catalog_procedure "
                "USING gin (search_vector) WITH (fastupdate=off) WHERE is_current"
            )
        else:
            ranking = procedure_search(query="khai sinh").values_list("pk", flat=True)
            sql, params = ranking.query.sql_with_params()
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
            plan = " ".join(str(row[-1]) for row in cursor.fetchall())
            assert "COVERING INDEX catalog_procedure_search_cover" in plan


def test_search_words_fold_and_keep_procedure_codes_whole():
    assert search_words("Đăng ký kết hôn (trong nước) — 1.000894") == [
        "dang",
        "ki",
        "ket",
        "hon",
        "trong",
        "nuoc",
        "1.000894",
    ]
    assert (
        search_phrase("Cấp bản sao Trích lục hộ tịch, v1.2") == "cap ban sao trich luc ho tich v1 2"
    )
    assert tsquery_text(["dang", "ky", "khai", "si"]) == "'dang' & 'ky' & 'khai' & 'si':*"
    assert tsquery_text([]) == ""


@given(st.text())
def test_search_words_hold_only_letters_digits_and_inner_dots(text):
    for word in search_words(text):
        assert word
        assert set(word) <= set("abcdefghijklmnopqrstuvwxyz0123456789.")
        assert not word.startswith(".") and not word.endswith(".")
    assert search_words(search_phrase(text)) == search_words(text)
