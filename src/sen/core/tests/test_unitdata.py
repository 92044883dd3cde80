"""The unit data and the derivation of successors, without the database."""

import gzip

import pytest

from sen.core import unitdata
from sen.core.data.build_legacy_units import clean_name, division_type, rows
from sen.core.errors import UnitDataError, UnitNotFound
from sen.core.unitdata import UnitRow, derive_successors, read_successor_map


def current(level: str, code: str, parent: str = "") -> UnitRow:
    return UnitRow(level, code, f"{level} {code}", "xã", parent, False)


def legacy(level: str, code: str, parent: str = "") -> UnitRow:
    return UnitRow(level, code, f"{level} {code}", "xã", parent, True)


# Two former provinces 01 and 02 merged into current 10; former 03 became current 20.
CURRENT = [
    current("province", "10"),
    current("commune", "00001", "10"),
    current("commune", "00005", "10"),
    current("province", "20"),
    current("commune", "00007", "20"),
]
LEGACY = [
    legacy("province", "01"),
    legacy("province", "02"),
    legacy("province", "03"),
    legacy("district", "001", "01"),
    legacy("district", "002", "02"),
    legacy("district", "003", "03"),
    legacy("commune", "00001", "001"),
    legacy("commune", "00002", "001"),
    legacy("commune", "00005", "002"),
    legacy("commune", "00006", "002"),
    legacy("commune", "00007", "003"),
]


def test_a_former_commune_whose_code_lives_on_is_succeeded_by_that_commune() -> None:
    successors, _, _ = derive_successors(CURRENT, LEGACY)

    assert successors[("commune", "00001", True)] == {("commune", "00001", False)}
    assert successors[("commune", "00005", True)] == {("commune", "00005", False)}


def test_other_former_units_are_succeeded_by_the_current_province() -> None:
    successors, provinces, warnings = derive_successors(CURRENT, LEGACY)

    assert provinces == {"01": "10", "02": "10", "03": "20"}
    assert successors[("province", "02", True)] == {("province", "10", False)}
    assert successors[("district", "001", True)] == {("province", "10", False)}
    assert successors[("commune", "00002", True)] == {("province", "10", False)}
    assert successors[("commune", "00006", True)] == {("province", "10", False)}
    assert warnings == []


def test_an_official_table_completes_the_commune_successors() -> None:
    successors, _, _ = derive_successors(CURRENT, LEGACY, [("00002", "00001")])

    assert successors[("commune", "00002", True)] == {("commune", "00001", False)}


def test_a_former_commune_split_in_two_has_both_successors() -> None:
    successors, _, _ = derive_successors(CURRENT, LEGACY, [("00001", "00005")])

    assert successors[("commune", "00001", True)] == {
        ("commune", "00001", False),
        ("commune", "00005", False),
    }


@pytest.mark.parametrize(
    ("pair", "needle"),
    [(("00099", "00001"), "00099"), (("00002", "00099"), "00099")],
)
def test_an_official_table_naming_an_unknown_commune_is_refused(
    pair: tuple[str, str], needle: str
) -> None:
    with pytest.raises(UnitDataError, match=needle):
        derive_successors(CURRENT, LEGACY, [pair])


def test_a_province_split_evenly_between_two_successors_is_refused() -> None:
    # Former 03 now has one commune in 20 and, by the table, one in 10: no majority.
    with pytest.raises(UnitDataError) as caught:
        derive_successors(CURRENT, LEGACY, [("00007", "00005")])

    assert caught.value.code == "unit_data_error"
    assert "03" in caught.value.message


def test_a_minority_of_communes_moving_elsewhere_is_a_warning() -> None:
    more = [*LEGACY, legacy("commune", "00008", "003"), legacy("commune", "00009", "003")]
    pairs = [("00008", "00007"), ("00009", "00001")]

    successors, provinces, warnings = derive_successors(CURRENT, more, pairs)

    assert provinces["03"] == "20"
    assert warnings == ["03: 1 of 3 communes moved outside province 20"]
    assert successors[("commune", "00009", True)] == {("commune", "00001", False)}


def test_a_former_province_without_any_known_successor_is_refused() -> None:
    lonely = [*LEGACY, legacy("province", "04"), legacy("district", "004", "04")]

    with pytest.raises(UnitDataError, match="04"):
        derive_successors(CURRENT, lonely)


def test_the_successor_map_csv_accepts_a_header_comments_and_unpadded_codes() -> None:
    text = "legacy_code,current_code\n# Nam Định\n13669,13666\n\n70 , 00070\n"

    assert read_successor_map(text) == [("13669", "13666"), ("00070", "00070")]


@pytest.mark.parametrize("text", ["13669\n", "13669,abc\n", "1366900,13666\n"])
def test_a_malformed_successor_map_is_refused(text: str) -> None:
    with pytest.raises(UnitDataError):
        read_successor_map(text)


def test_the_packaged_data_has_the_whole_country_before_and_after_the_reform() -> None:
    data = unitdata.unit_data()

    levels = [(row.level, row.is_legacy) for row in data.rows]
    assert levels.count(("province", False)) == 34
    assert levels.count(("commune", False)) == 3321
    assert levels.count(("province", True)) == 63
    assert levels.count(("district", True)) == 696
    assert levels.count(("commune", True)) == 10051
    assert data.province_successor["36"] == "37"  # Nam Định → Ninh Bình
    assert data.province_successor["35"] == "37"  # Hà Nam → Ninh Bình
    assert data.province_successor["02"] == "08"  # Hà Giang → Tuyên Quang
    assert data.warnings == ()
    same_code = [
        key
        for key, targets in data.successors.items()
        if key[0] == "commune" and targets == {("commune", key[1], False)}
    ]
    assert len(same_code) == 3310


def test_codes_are_zero_padded_as_the_statistics_office_writes_them() -> None:
    rows_by_key = {row.key: row for row in unitdata.unit_data(province_codes=["1"]).rows}

    assert rows_by_key[("province", "01", False)].name == "Thành phố Hà Nội"
    assert rows_by_key[("commune", "00070", False)].name == "Phường Hoàn Kiếm"
    assert rows_by_key[("commune", "00070", False)].parent_code == "01"
    assert rows_by_key[("district", "001", True)].name == "Quận Ba Đình"
    assert rows_by_key[("commune", "00001", True)].parent_code == "001"


def test_a_slice_keeps_the_former_provinces_the_current_one_absorbed() -> None:
    data = unitdata.unit_data(province_codes=["37"])

    assert sorted(r.code for r in data.current if r.level == "province") == ["37"]
    assert sorted(r.code for r in data.legacy if r.level == "province") == ["35", "36", "37"]
    assert data.province_successor == {"35": "37", "36": "37", "37": "37"}
    assert len([r for r in data.current if r.level == "commune"]) == 129
    assert set(data.successors) == {row.key for row in data.legacy}


def test_a_slice_of_an_unknown_province_is_refused() -> None:
    with pytest.raises(UnitNotFound, match="36"):
        unitdata.unit_data(province_codes=["36"])  # a former province, not a current one


def test_the_committed_legacy_file_is_small() -> None:
    assert unitdata.LEGACY_UNITS_PATH.stat().st_size < 200_000
    with gzip.open(unitdata.LEGACY_UNITS_PATH, "rt", encoding="utf-8") as handle:
        assert handle.readline() == "level,code,name,division_type,parent_code\n"


def test_the_build_script_derives_types_from_names_and_pads_codes() -> None:
    nested = [
        {
            "code": 1,
            "name": "Thành phố Hà Nội",
            "districts": [
                {
                    "code": 1,
                    "name": "Thành Phố  Ba Đình",
                    "wards": [{"code": 4, "name": "Thị trấn Trúc Bạch"}],
                }
            ],
        }
    ]

    assert rows(nested) == [
        ["province", "01", "Thành phố Hà Nội", "thành phố trung ương", ""],
        ["district", "001", "Thành phố Ba Đình", "thành phố", "01"],
        ["commune", "00004", "Thị trấn Trúc Bạch", "thị trấn", "001"],
    ]
    assert clean_name("Xã  Xuân   Giang") == "Xã Xuân Giang"
    with pytest.raises(ValueError, match="Làng"):
        division_type("commune", "Làng Thử")
