"""Which document components a dossier must carry a file of."""

import pytest

from sen.catalog.models import DocumentComponent


@pytest.mark.parametrize(
    ("originals", "copies", "required", "shown_only", "upload_required"),
    [
        (1, 0, True, False, True),  # a declaration handed in
        (0, 1, True, False, True),  # a copy handed in
        (1, 0, False, False, False),  # a power of attorney, when there is one
        (0, 0, True, True, False),  # an identity card shown (xuất trình), checked in person
        (0, 0, False, True, False),
    ],
)
def test_a_paper_of_which_nothing_is_handed_in_is_only_shown_and_needs_no_file(
    originals, copies, required, shown_only, upload_required
):
    component = DocumentComponent(originals=originals, copies=copies, required=required)

    assert (component.shown_only, component.upload_required) == (shown_only, upload_required)
