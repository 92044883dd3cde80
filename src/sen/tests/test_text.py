from hypothesis import given
from hypothesis import strategies as st

from sen.core.text import fold, typed_code


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
