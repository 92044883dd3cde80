"""Papers handed in at the desk or by post: what the officer counts, the receipt slip lists,
and every way the count can be wrong."""

import pytest

from sen.core.models import AuditEntry
from sen.dossiers.errors import IdempotencyKeyReused, InvalidDossier
from sen.dossiers.models import DossierPaper
from sen.dossiers.selectors import dossier_get_for_officer
from sen.dossiers.services import MAX_PAPER_COUNT, PaperHandedIn, dossier_receive
from sen.dossiers.slipdata import receipt_slip_data
from sen.dossiers.slips import ComponentLine, render_receipt
from sen.dossiers.tests.factories import officer, upload
from sen.dossiers.tests.pdf import pdf_text
from sen.dossiers.tests.state import written_state

pytestmark = pytest.mark.django_db

TRACKING = "https://sen.example.vn/tra-cuu/x/"


@pytest.fixture
def desk(centre):
    return officer(centre, username="motcua", full_name="Lê Thị Hoa")


@pytest.fixture
def enter(submit, desk):
    """Return a function entering a birth registration at the desk with ``papers``."""

    def enter(*papers: PaperHandedIn, channel: str = "desk", **overrides):
        arguments = {"channel": channel, "applicant": None, "actor": desk, **overrides}
        return submit(papers=list(papers), **arguments)

    return enter


def test_the_desk_records_each_paper_it_counted_and_the_receipt_lists_them(enter, desk):
    # Given the declaration handed in as one original and one photocopy, and the letter of
    # authority only shown and given back
    dossier = enter(
        PaperHandedIn(position=1, originals=1, photocopies=1),
        PaperHandedIn(position=2, original_shown=True),
    ).dossier

    # Then the dossier keeps them, the audit entry counts them, and the receipt lists them
    # instead of counting the desk's scans as photocopies
    assert list(
        dossier.papers.values_list(
            "component__position", "originals", "certified_copies", "photocopies", "original_shown"
        )
    ) == [(1, 1, 0, 1, False), (2, 0, 0, 0, True)]
    entry = AuditEntry.objects.get(action="dossiers.dossier.submitted")
    assert entry.data["papers"] == 2
    dossier_receive(dossier=dossier, actor=desk, expected_revision=dossier.revision)
    read = dossier_get_for_officer(code=dossier.code, user=desk, purpose="receipt_slip")
    assert receipt_slip_data(read, tracking_url=TRACKING).components == (
        ComponentLine(name="Tờ khai đăng ký khai sinh", originals=1, photocopies=1),
        ComponentLine(name="Văn bản ủy quyền (đã đối chiếu bản chính)"),
    )


def test_a_paper_counted_nothing_is_not_recorded_and_its_scan_counts_as_a_photocopy(enter, desk):
    # Given the declaration counted, and the letter of authority scanned but not counted
    scans = [upload(), upload(name="uy-quyen.pdf", position=2)]
    papers = [PaperHandedIn(position=1, certified_copies=2), PaperHandedIn(position=2)]
    dossier = enter(*papers, files=scans).dossier

    dossier_receive(dossier=dossier, actor=desk, expected_revision=dossier.revision)
    read = dossier_get_for_officer(code=dossier.code, user=desk, purpose="receipt_slip")
    assert list(dossier.papers.values_list("component__position", flat=True)) == [1]
    assert receipt_slip_data(read, tracking_url=TRACKING).components == (
        ComponentLine(name="Tờ khai đăng ký khai sinh", certified_copies=2),
        ComponentLine(name="Văn bản ủy quyền", photocopies=1),
    )


def test_papers_change_what_the_same_key_means(enter):
    """A retry with the same key and the same count is the same dossier; with another
    count it is another request, refused as a reused key."""
    first = enter(PaperHandedIn(position=1, originals=1), idempotency_key="k1")
    again = enter(PaperHandedIn(position=1, originals=1), idempotency_key="k1")

    assert (again.created, again.dossier) == (False, first.dossier)
    with pytest.raises(IdempotencyKeyReused) as refused:
        enter(PaperHandedIn(position=1, originals=2), idempotency_key="k1")
    assert refused.value.code == "idempotency_key_reused"


@pytest.mark.parametrize(
    ("papers", "channel", "where", "message"),
    [
        (
            [PaperHandedIn(position=1, originals=1)],
            "online",
            "papers",
            "Hồ sơ nộp trực tuyến không có giấy tờ bản giấy.",
        ),
        (
            [PaperHandedIn(position=7, originals=1)],
            "desk",
            "paper_7",
            "Thủ tục không có thành phần hồ sơ thứ 7.",
        ),
        (
            [PaperHandedIn(position=1, originals=1), PaperHandedIn(position=1, photocopies=1)],
            "desk",
            "paper_1",
            "Thành phần hồ sơ này đã được đếm.",
        ),
        (
            [PaperHandedIn(position=1, originals=MAX_PAPER_COUNT + 1)],
            "desk",
            "paper_1",
            "Số bản phải từ 0 đến 99.",
        ),
        (
            [PaperHandedIn(position=1, photocopies=-1)],
            "desk",
            "paper_1",
            "Số bản phải từ 0 đến 99.",
        ),
        (
            [PaperHandedIn(position=2, original_shown=True)],
            "post",
            "paper_2.original_shown",
            "Hồ sơ gửi qua bưu chính không có bản chính nào được xuất trình để đối chiếu.",
        ),
    ],
)
def test_a_wrong_count_is_named_and_nothing_is_written(
    enter, submit, applicant, papers, channel, where, message
):
    before = written_state()
    if channel == "online":
        call = lambda: submit(papers=papers)  # noqa: E731 - the citizen's own submission
    else:
        call = lambda: enter(*papers, channel=channel)  # noqa: E731

    with pytest.raises(InvalidDossier) as refused:
        call()

    assert {"field": where, "message": message} in refused.value.details
    assert written_state() == before
    assert not DossierPaper.objects.exists()


def test_the_api_shows_the_officer_the_papers_and_an_online_dossier_none(
    client, enter, submit, desk
):
    handed_in = enter(PaperHandedIn(position=1, originals=1, certified_copies=1)).dossier
    online = submit().dossier
    client.force_login(desk)

    papers = client.get(f"/api/v1/dossiers/{handed_in.code}").json()["papers"]
    none = client.get(f"/api/v1/dossiers/{online.code}").json()["papers"]

    assert papers == [
        {
            "component_position": 1,
            "component_name": "Tờ khai đăng ký khai sinh",
            "originals": 1,
            "certified_copies": 1,
            "photocopies": 0,
            "original_shown": False,
        }
    ]
    assert none == []


def test_the_papers_come_in_the_components_order_whatever_the_order_they_were_counted(enter, desk):
    dossier = enter(
        PaperHandedIn(position=2, original_shown=True), PaperHandedIn(position=1, originals=1)
    ).dossier

    read = dossier_get_for_officer(code=dossier.code, user=desk)

    assert [paper.component.position for paper in read.papers_handed_in()] == [1, 2]


@pytest.mark.parametrize(
    ("channel", "said"),
    [
        ("desk", None),
        ("post", "Hồ sơ gửi qua dịch vụ bưu chính công ích: người nộp không ký giấy này."),
        ("online", "Hồ sơ nộp trực tuyến trên Cổng Dịch vụ công: người nộp không ký giấy này."),
    ],
)
def test_only_an_applicant_at_the_desk_is_asked_to_sign_the_receipt(
    enter, submit, desk, channel, said
):
    if channel == "online":
        dossier = submit().dossier
    else:
        dossier = enter(PaperHandedIn(position=1, originals=1), channel=channel).dossier
    dossier_receive(dossier=dossier, actor=desk, expected_revision=dossier.revision)
    read = dossier_get_for_officer(code=dossier.code, user=desk, purpose="receipt_slip")

    text = pdf_text(render_receipt(receipt_slip_data(read, tracking_url=TRACKING)))

    assert ("NGƯỜI NỘP HỒ SƠ (Ký và ghi rõ họ tên)" in text) is (said is None)
    assert "NGƯỜI TIẾP NHẬN HỒ SƠ (Ký và ghi rõ họ tên) Lê Thị Hoa" in text
    if said is not None:
        assert said in text
