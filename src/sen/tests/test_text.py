import pytest
from hypothesis import given
from hypothesis import strategies as st

from sen.core.text import fold, mask_identifying_numbers, typed_code


def test_vietnamese_is_folded_to_plain_lowercase_ascii_letters():
    assert fold("Đăng ký khai sinh") == "dang ky khai sinh"
    assert fold("  ĐĂNG   KÝ\tKẾT HÔN ") == "dang ky ket hon"
    assert fold("Thừa Thiên Huế; Phường Ngọc Hà") == "thua thien hue; phuong ngoc ha"


def test_a_code_typed_loosely_is_written_as_codes_are_stored():
    assert typed_code(" ktxh-01\t") == "KTXH-01"
    assert typed_code("2026-q1") == "2026-Q1"


def test_text_without_diacritics_folds_to_itself_lowercased():
    assert fold("dang ky khai sinh") == "dang ky khai sinh"
    assert fold("1.001193") == "1.001193"


def test_precomposed_and_decomposed_forms_fold_alike():
    precomposed = "Hộ tịch"
    decomposed = "Ho\u0323\u0302 ti\u0323ch"
    assert fold(precomposed) == fold(decomposed) == "ho tich"


@given(st.text())
def test_folding_is_idempotent(text):
    assert fold(fold(text)) == fold(text)


@pytest.mark.parametrize(
    ("written", "masked"),
    [
        ("Lê Văn Cường, CCCD 037090001111", "Lê Văn Cường, CCCD *********111"),
        ("CMND 162345678, ĐT 0912345678", "CMND ******678, ĐT *******678"),
        ("hộ chiếu C1234567", "hộ chiếu C****567"),
        # An authorization's reference, a year, a short number: nothing to hide
        (
            "theo giấy ủy quyền số 12/UQ ngày 03/11/2026",
            "theo giấy ủy quyền số 12/UQ ngày 03/11/2026",
        ),
        ("", ""),
    ],
)
def test_identifying_numbers_are_masked_but_for_their_last_digits(written, masked):
    assert mask_identifying_numbers(written) == masked
