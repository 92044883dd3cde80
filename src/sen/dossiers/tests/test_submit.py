"""Submitting a dossier: the good path, every refusal, retries with an Idempotency-Key."""

import hashlib
import io
import re
import unicodedata

import pytest
from django.core.files.storage import default_storage
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sen.catalog.selectors import ProcedureNotFound
from sen.catalog.tests.factories import make_procedure
from sen.catalog.tests.samples import docx
from sen.core.errors import NotAllowed
from sen.core.models import AgencyKind, AuditEntry
from sen.core.tests.factories import AgencyFactory, CommuneFactory
from sen.dossiers.codes import dossier_code
from sen.dossiers.errors import IdempotencyKeyReused, InvalidDossier
from sen.dossiers.models import (
    DailySequence,
    Dossier,
    DossierEvent,
    DossierFile,
    DossierNotice,
    IdempotencyKey,
)
from sen.dossiers.procedures import FRESH_FOR, agency_row, current_procedure
from sen.dossiers.services import MAX_FILE_BYTES, SubmittedFile, accepted_kinds, file_problem
from sen.dossiers.tests.conftest import NOW
from sen.dossiers.tests.factories import (
    APPLICANT,
    JPEG,
    PDF,
    PNG,
    birth_procedure,
    officer,
    submit_online,
    upload,
)
from sen.dossiers.tests.state import stored_names

pytestmark = pytest.mark.django_db


def assert_nothing_created():
    assert Dossier.objects.count() == 0
    assert DossierEvent.objects.count() == 0
    assert DossierFile.objects.count() == 0
    assert IdempotencyKey.objects.count() == 0
    assert list(DailySequence.objects.values_list("last", flat=True)) in ([], [0])
    assert not AuditEntry.objects.filter(action__startswith="dossiers.").exists()
    assert stored_names() == []


def test_a_citizen_submits_online_and_gets_the_first_code_of_the_day(
    submit, procedure, centre, applicant, frozen_now
):
    result = submit(files=[upload(PDF, "C:\\giay to\\to khai.pdf"), upload(PNG, "uq.png", 2)])

    dossier = result.dossier
    assert result.created is True
    assert dossier.code == "000.00.01.H37-261120-0001"
    assert dossier.procedure == procedure
    assert dossier.agency == centre
    assert dossier.channel == "online"
    assert dossier.status == "submitted"
    assert dossier.applicant == applicant
    assert (dossier.applicant_name, dossier.applicant_id_number) == (
        "Trần Thị Bình",
        "037190001234",
    )
    assert (dossier.applicant_phone, dossier.applicant_email) == ("0912345678", "binh@example.vn")
    assert dossier.applicant_address == "Phường Hoa Lư, tỉnh Ninh Bình"
    assert dossier.form_data == {"ho_ten": "Trần Văn Con"}
    assert dossier.submitted_at == NOW
    assert (dossier.received_at, dossier.due_at, dossier.finished_at) == (None, None, None)
    assert dossier.legal_basis == "Nghị định 118/2025/NĐ-CP; Thông tư 03/2025/TT-VPCP"
    assert (dossier.revision, dossier.supplement_count) == (1, 0)

    [event] = DossierEvent.objects.filter(dossier=dossier)
    assert (event.sequence, event.action, event.from_status, event.to_status) == (
        1,
        "submit",
        "",
        "submitted",
    )
    assert (event.at, event.actor, event.actor_label) == (NOW, applicant, "congdan")
    assert event.data == {"channel": "online"}

    files = list(DossierFile.objects.filter(dossier=dossier).order_by("id"))
    pdf_digest = hashlib.sha256(PDF).hexdigest()
    png_digest = hashlib.sha256(PNG).hexdigest()
    assert [(f.component.position, f.event, f.original_name) for f in files] == [
        (1, event, "to khai.pdf"),
        (2, event, "uq.png"),
    ]
    assert [(f.content_type, f.size, f.sha256) for f in files] == [
        ("application/pdf", len(PDF), pdf_digest),
        ("image/png", len(PNG), png_digest),
    ]
    assert [f.file.name for f in files] == [
        f"dossiers/2026/11/20/{dossier.pk}/01-01-{pdf_digest[:12]}.pdf",
        f"dossiers/2026/11/20/{dossier.pk}/02-02-{png_digest[:12]}.png",
    ]
    assert default_storage.open(files[0].file.name).read() == PDF

    [entry] = AuditEntry.objects.filter(action="dossiers.dossier.submitted")
    assert (entry.actor, entry.target_type, entry.target_key) == (
        applicant,
        "dossiers.dossier",
        "000.00.01.H37-261120-0001",
    )
    assert entry.data == {
        "procedure": "1.001193@1",
        "agency": "000.00.01.H37",
        "channel": "online",
        "files": 2,
    }
    assert DailySequence.objects.get().last == 1


def test_the_next_dossier_of_the_day_gets_the_next_number(submit, frozen_now):
    first = submit().dossier
    second = submit().dossier
    assert (first.code, second.code) == (
        "000.00.01.H37-261120-0001",
        "000.00.01.H37-261120-0002",
    )


def test_past_9999_the_number_grows_a_fifth_digit_as_the_code_is_read_back(
    submit, frozen_now, centre
):
    # On PostgreSQL the code is written by the statement that draws the number, padded
    # there; it must read as codes.dossier_code writes it, on both databases.
    DailySequence.objects.create(agency=centre, day=frozen_now.date(), last=9998)

    codes = [submit().dossier.code for _ in range(2)]

    assert codes == ["000.00.01.H37-261120-9999", "000.00.01.H37-261120-10000"]
    assert codes == [dossier_code(centre.code, frozen_now, n) for n in (9999, 10000)]
    assert list(Dossier.objects.order_by("pk").values_list("code", flat=True)) == codes


def test_a_submission_with_many_problems_names_every_one_and_creates_nothing(submit):
    with pytest.raises(InvalidDossier) as caught:
        submit(
            applicant_details={
                "name": " ",
                "id_number": "03719000123",
                "phone": "912345678",
                "email": "binh@",
                "nickname": "Bình",
            },
            form_data={"ho_ten": 5},
            files=[
                upload(b"GIF89a....", "anh.gif", 2),
                upload(b"", "rong.pdf", 2),
                upload(PDF, "thua.pdf", 7),
            ],
        )

    assert caught.value.code == "invalid_dossier"
    assert caught.value.status == 400
    assert caught.value.details == [
        {"field": "component_2", "message": "Tệp “anh.gif” không phải PDF, JPEG hoặc PNG."},
        {"field": "component_2", "message": "Tệp “rong.pdf” rỗng."},
        {"field": "form.ho_ten", "message": "Phải là một chuỗi ký tự."},
        {"field": "applicant.nickname", "message": "Trường không được hỗ trợ."},
        {"field": "applicant.name", "message": "Hãy nhập họ và tên người nộp."},
        {
            "field": "applicant.id_number",
            "message": "Số định danh cá nhân (CCCD) gồm đúng 12 chữ số.",
        },
        {"field": "applicant.phone", "message": "Số điện thoại gồm 10 chữ số, bắt đầu bằng 0."},
        {"field": "applicant.email", "message": "Địa chỉ thư điện tử không hợp lệ."},
        {"field": "component_7", "message": "Thủ tục không có thành phần hồ sơ thứ 7."},
        {"field": "component_1", "message": "Thiếu “Tờ khai đăng ký khai sinh”."},
    ]
    assert_nothing_created()


def test_a_form_missing_a_required_answer_is_refused(submit):
    with pytest.raises(InvalidDossier) as caught:
        submit(form_data={})
    # The answer names the field missing, not the form that lacks it
    assert caught.value.details == [{"field": "form.ho_ten", "message": "Bắt buộc nhập."}]
    assert_nothing_created()


@pytest.mark.parametrize("blank", ["", "   ", "\t", "\n", "\u3000"])
def test_a_required_answer_left_blank_is_missing_as_the_page_says(submit, blank):
    # The page strips what is typed; the API now does as well, before the schema judges it
    with pytest.raises(InvalidDossier) as caught:
        submit(form_data={"ho_ten": blank})
    assert caught.value.details == [{"field": "form.ho_ten", "message": "Bắt buộc nhập."}]
    assert_nothing_created()


FAMILY_FORM = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["ho_ten", "me"],
    "properties": {
        "ho_ten": {"type": "string"},
        "so_dinh_danh": {"type": "string", "pattern": r"^\d{12}$"},
        "ten_goi_khac": {"type": "array", "items": {"type": "string"}},
        "me": {
            "type": "object",
            "required": ["ho_ten_me"],
            "properties": {"ho_ten_me": {"type": "string"}, "ghi_chu": {"type": "string"}},
        },
    },
}


def test_the_form_is_stored_as_it_was_checked_stripped_in_nfc_and_without_blank_fields(
    centre, applicant
):
    # Given a form whose text came decomposed (NFD, as some keyboards type it), with white
    # space around it and an optional field left blank, at every depth
    procedure = birth_procedure(agencies=[centre], code="1.000001", form_schema=FAMILY_FORM)
    typed = {
        "ho_ten": "  Tra\u0302\u0300n Văn Con\n",
        "so_dinh_danh": "   ",
        "ten_goi_khac": [" Cu\u0301n ", "Bi"],
        "me": {"ho_ten_me": "\tNguyễn Thị Mẹ ", "ghi_chu": ""},
    }
    assert unicodedata.normalize("NFC", typed["ho_ten"]) != typed["ho_ten"]

    dossier = submit_online(procedure, applicant, form_data=typed).dossier

    # Then what is stored is what was judged: the optional blank field is left out, as the
    # page leaves it out, instead of being refused by its pattern
    dossier.refresh_from_db()
    assert dossier.form_data == {
        "ho_ten": "Trần Văn Con",
        "ten_goi_khac": ["Cún", "Bi"],
        "me": {"ho_ten_me": "Nguyễn Thị Mẹ"},
    }


def test_a_required_answer_of_a_group_left_blank_is_missing_at_its_own_path(centre, applicant):
    procedure = birth_procedure(agencies=[centre], code="1.000001", form_schema=FAMILY_FORM)

    with pytest.raises(InvalidDossier) as caught:
        submit_online(procedure, applicant, form_data={"ho_ten": "A", "me": {"ho_ten_me": " "}})

    assert caught.value.details == [{"field": "form.me.ho_ten_me", "message": "Bắt buộc nhập."}]


def test_an_id_number_is_judged_by_its_pattern_as_the_browser_judges_it(centre, applicant):
    procedure = birth_procedure(agencies=[centre], code="1.000001", form_schema=FAMILY_FORM)
    person = {"ho_ten": "A", "me": {"ho_ten_me": "B"}}

    # Arabic-Indic digits are digits to Python's \d, not to the browser's
    with pytest.raises(InvalidDossier) as caught:
        submit_online(procedure, applicant, form_data={**person, "so_dinh_danh": "٠٠١٠٩٠٠١٢٣٤٥"})
    assert caught.value.details == [
        {"field": "form.so_dinh_danh", "message": "Gồm đúng 12 chữ số."}
    ]

    # a newline after the number, which Python's $ lets through, is not stored
    sent = {**person, "so_dinh_danh": "001090012345\n"}
    dossier = submit_online(procedure, applicant, form_data=sent).dossier
    dossier.refresh_from_db()
    assert dossier.form_data["so_dinh_danh"] == "001090012345"


def test_a_file_over_ten_megabytes_is_refused_whatever_size_it_declares(submit):
    big = b"%PDF-" + bytes(MAX_FILE_BYTES)
    declared_big = SubmittedFile(position=1, name="lon.pdf", stream=io.BytesIO(b""), size=11 << 20)
    lying = SubmittedFile(position=1, name="doi.pdf", stream=io.BytesIO(big), size=10)
    with pytest.raises(InvalidDossier) as caught:
        submit(files=[declared_big, lying])
    assert caught.value.details == [
        {"field": "component_1", "message": "Tệp “lon.pdf” lớn hơn 10 MB."},
        {"field": "component_1", "message": "Tệp “doi.pdf” lớn hơn 10 MB."},
        {"field": "component_1", "message": "Thiếu “Tờ khai đăng ký khai sinh”."},
    ]
    assert_nothing_created()


def test_files_together_over_fifty_megabytes_are_refused(submit):
    nine = JPEG + bytes(9 << 20)
    files = [upload(nine, f"anh{n}.jpg", 1) for n in range(6)]
    with pytest.raises(InvalidDossier) as caught:
        submit(files=files)
    assert caught.value.details == [
        {"field": "files", "message": "Tổng dung lượng các tệp lớn hơn 50 MB."}
    ]
    assert_nothing_created()


def test_one_file_is_judged_alone_as_the_submission_judges_it_and_can_still_be_read():
    # Given a form that checks each file as it is chosen, before submitting them all
    good = upload(PDF, "to-khai.pdf")

    # Then a good file has no problem and is left at its start, to be read whole again
    assert file_problem(good) == ""
    assert good.stream.read() == PDF
    # And a bad one gets the words the submission would use
    assert file_problem(upload(b"GIF89a....", "anh.gif")) == (
        "Tệp “anh.gif” không phải PDF, JPEG hoặc PNG."
    )
    assert file_problem(upload(b"", "rong.pdf")) == "Tệp “rong.pdf” rỗng."
    big = SubmittedFile(position=1, name="lon.pdf", stream=io.BytesIO(b""), size=11 << 20)
    assert file_problem(big) == "Tệp “lon.pdf” lớn hơn 10 MB."
    # And the kinds are the procedure's
    office = accepted_kinds(office_documents=True)
    assert file_problem(upload(docx(), "to-khai.docx")) != ""
    assert file_problem(upload(docx(), "to-khai.docx"), kinds=office) == ""


def test_an_unknown_procedure_is_not_found(submit):
    with pytest.raises(ProcedureNotFound) as caught:
        submit(procedure_code="9.999999")
    assert (caught.value.code, caught.value.status) == ("procedure_not_found", 404)
    assert_nothing_created()


def test_a_procedure_not_offered_online_refuses_online_dossiers_but_takes_them_at_the_desk(
    centre, applicant, submit
):
    birth_procedure(agencies=[centre], code="1.000001", online_level="none")
    with pytest.raises(InvalidDossier) as caught:
        submit(procedure_code="1.000001")
    assert caught.value.details == [
        {"field": "channel", "message": "Thủ tục này không tiếp nhận hồ sơ trực tuyến."}
    ]
    assert_nothing_created()
    desk = officer(centre, username="motcua")
    entered = submit(procedure_code="1.000001", channel="desk", applicant=None, actor=desk)
    assert entered.dossier.channel == "desk"


@pytest.mark.parametrize("channel", ["desk", "post"])
def test_only_the_receiving_agencys_desk_enters_a_dossier_brought_or_posted_to_it(
    centre, applicant, submit, channel
):
    """Given a procedure the centre receives, when a citizen or a one-stop officer of
    another agency enters a dossier for the centre as brought to its desk or posted to it,
    then it is refused with 403 and nothing is created."""
    other_desk = officer(AgencyFactory(code="000.00.15.H37"), username="motcuakhac")
    for intruder in (applicant, other_desk):
        with pytest.raises(NotAllowed) as caught:
            submit(channel=channel, applicant=None, actor=intruder)
        assert (caught.value.code, caught.value.status) == ("permission_denied", 403)
        assert_nothing_created()


def test_an_applicant_without_an_account_gets_no_electronic_result(centre, submit):
    desk = officer(centre, username="motcua")

    with pytest.raises(InvalidDossier) as caught:
        submit(channel="desk", applicant=None, actor=desk, result_delivery="electronic")

    assert [detail["field"] for detail in caught.value.details] == ["result_delivery"]
    assert_nothing_created()
    # what a walk-in registers, and what they get by default: the desk
    assert submit(channel="desk", applicant=None, actor=desk).dossier.result_delivery == "desk"


def test_with_two_implementing_agencies_the_applicant_chooses_one_of_them(centre, submit):
    justice = AgencyFactory(code="000.00.12.H37", name="Sở Tư pháp")
    other = AgencyFactory(code="000.00.15.H37")
    birth_procedure(agencies=[centre, justice], code="1.000002")

    with pytest.raises(InvalidDossier) as caught:
        submit(procedure_code="1.000002")
    assert caught.value.details == [
        {"field": "agency", "message": "Hãy chọn cơ quan tiếp nhận hồ sơ."}
    ]
    with pytest.raises(InvalidDossier) as caught:
        submit(procedure_code="1.000002", agency_code=other.code)
    assert caught.value.details == [
        {"field": "agency", "message": "Cơ quan 000.00.15.H37 không giải quyết thủ tục này."}
    ]
    assert_nothing_created()

    dossier = submit(procedure_code="1.000002", agency_code=justice.code).dossier
    assert dossier.agency == justice
    assert dossier.code.startswith("000.00.12.H37-")


def test_a_procedure_of_every_commune_is_received_by_the_chosen_commune_committee(submit):
    commune = AgencyFactory(
        code="000.21.37.H37", kind=AgencyKind.COMMUNE_COMMITTEE, unit=CommuneFactory()
    )
    birth_procedure(agencies=[], code="1.000003", implementations=[{"level": "commune"}])
    assert submit(procedure_code="1.000003", agency_code=commune.code).dossier.agency == commune


def test_a_procedure_of_every_commune_refuses_other_agencies_and_closed_communes(submit, centre):
    closed = AgencyFactory(
        code="000.21.39.H37",
        kind=AgencyKind.COMMUNE_COMMITTEE,
        unit=CommuneFactory(),
        is_active=False,
    )
    birth_procedure(agencies=[], code="1.000003", implementations=[{"level": "commune"}])

    refusals = {}
    for code in (centre.code, closed.code, "000.99.99.H37"):
        with pytest.raises(InvalidDossier) as caught:
            submit(procedure_code="1.000003", agency_code=code)
        refusals[code] = caught.value.details
    with pytest.raises(InvalidDossier) as caught:
        submit(procedure_code="1.000003")
    unchosen = caught.value.details

    assert refusals == {
        "000.00.01.H37": [
            {"field": "agency", "message": "Cơ quan 000.00.01.H37 không giải quyết thủ tục này."}
        ],
        "000.21.39.H37": [
            {"field": "agency", "message": "Cơ quan 000.21.39.H37 đã ngừng hoạt động."}
        ],
        "000.99.99.H37": [
            {"field": "agency", "message": "Cơ quan 000.99.99.H37 không giải quyết thủ tục này."}
        ],
    }
    assert unchosen == [{"field": "agency", "message": "Hãy chọn cơ quan tiếp nhận hồ sơ."}]
    assert_nothing_created()


def test_a_closed_agency_among_the_named_ones_is_refused_and_the_open_one_receives(centre, submit):
    justice = AgencyFactory(code="000.00.12.H37", name="Sở Tư pháp")
    birth_procedure(agencies=[centre, justice], code="1.000002")
    justice.is_active = False
    justice.save(update_fields=["is_active"])

    with pytest.raises(InvalidDossier) as caught:
        submit(procedure_code="1.000002", agency_code=justice.code)

    assert caught.value.details == [
        {"field": "agency", "message": "Cơ quan 000.00.12.H37 đã ngừng hoạt động."}
    ]
    assert_nothing_created()
    assert submit(procedure_code="1.000002", agency_code=centre.code).dossier.agency == centre


def test_a_retry_with_the_same_idempotency_key_returns_the_first_dossier(submit, frozen_now):
    first = submit(idempotency_key="b1c9-0001")
    again = submit(idempotency_key="b1c9-0001", files=[upload()])

    assert (first.created, again.created) == (True, False)
    assert again.dossier.pk == first.dossier.pk
    assert again.dossier.code == "000.00.01.H37-261120-0001"
    assert Dossier.objects.count() == 1
    assert DossierEvent.objects.count() == 1
    assert DossierNotice.objects.count() == 1
    assert DossierFile.objects.count() == 1
    assert IdempotencyKey.objects.count() == 1
    assert AuditEntry.objects.filter(action="dossiers.dossier.submitted").count() == 1
    assert DailySequence.objects.get().last == 1
    assert len(stored_names()) == 1


def test_a_new_idempotency_key_is_claimed_by_its_insert_without_being_looked_up(submit):
    # Nearly every key is new: asking whether it was used would be a read for nothing.
    with CaptureQueriesContext(connection) as queries:
        result = submit(idempotency_key="b1c9-0001")

    key_table = IdempotencyKey._meta.db_table
    touching_key = [q["sql"].split()[0] for q in queries.captured_queries if key_table in q["sql"]]
    assert touching_key == ["INSERT"]
    assert IdempotencyKey.objects.get().dossier == result.dossier


def test_a_retry_gets_its_first_dossier_even_when_the_request_would_now_be_refused(submit, centre):
    # Given a dossier submitted with a key, then its agency closed
    first = submit(idempotency_key="b1c9-0001")
    centre.is_active = False
    centre.save(update_fields=["is_active"])

    # When the client retries the same request with the same key
    again = submit(idempotency_key="b1c9-0001")

    # Then it gets the first dossier, not the refusal a new request would get
    assert (again.created, again.dossier.pk) == (False, first.dossier.pk)
    assert Dossier.objects.count() == 1
    with pytest.raises(InvalidDossier):
        submit(idempotency_key="b1c9-0002")


def test_a_key_reused_for_a_refused_request_is_answered_as_reused(submit):
    submit(idempotency_key="b1c9-0001")
    with pytest.raises(IdempotencyKeyReused):
        submit(idempotency_key="b1c9-0001", applicant_details={**APPLICANT, "name": ""})
    with pytest.raises(IdempotencyKeyReused):
        submit(idempotency_key="b1c9-0001", procedure_code="9.999999")
    assert Dossier.objects.count() == 1


def test_the_same_idempotency_key_for_a_different_request_is_refused(submit):
    submit(idempotency_key="b1c9-0001")
    with pytest.raises(IdempotencyKeyReused) as caught:
        submit(idempotency_key="b1c9-0001", applicant_details={**APPLICANT, "phone": ""})
    assert (caught.value.code, caught.value.status) == ("idempotency_key_reused", 422)
    assert Dossier.objects.count() == 1
    assert DailySequence.objects.get().last == 1


def test_a_failure_while_writing_leaves_no_file_and_draws_no_number(submit, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("audit log unavailable")

    monkeypatch.setattr("sen.dossiers.services._transitions.audit_record", broken)
    with pytest.raises(RuntimeError):
        submit(files=[upload(), upload(JPEG, "uq.jpg", 2)], idempotency_key="k")
    assert_nothing_created()


# --- The order of the writes (ADR 0012) -------------------------------------------------------


def test_the_hot_rows_are_written_last_the_province_counters_after_the_number(submit):
    # A row that other submissions also write stays locked from its statement to the commit:
    # the agency's number of the day, and above all the province's counters of the month,
    # which every submission of the province updates.
    with CaptureQueriesContext(connection) as queries:
        submit()

    writes = [
        q["sql"] for q in queries if q["sql"].lstrip().startswith(("INSERT", "UPDATE", "WITH"))
    ]
    tables = [re.search(r'(?:INTO|UPDATE) "?(\w+)"?', sql).group(1) for sql in writes]
    drawn = tables.index("dossiers_dailysequence")
    assert {"dossiers_dossier", "dossiers_dossierevent", "dossiers_dossierfile"} <= set(
        tables[:drawn]
    )
    # After the number: the code it makes (in the same statement on PostgreSQL), the audit
    # entry, then only the counters
    coded = drawn if 'UPDATE "dossiers_dossier"' in writes[drawn] else drawn + 1
    assert re.search(r'UPDATE "?dossiers_dossier"? SET "?code"?', writes[coded])
    assert tables[coded + 1] == "core_auditentry"
    counters = tables[coded + 2 :]
    assert counters and all(table.startswith("reports_") for table in counters)
    assert any("reports_provincemonth" in sql for sql in writes[coded + 2 :])


# --- The procedure version, cached per process ------------------------------------------------


def test_a_newly_published_version_is_used_by_the_next_submission(submit, procedure, centre):
    # Given a first submission, which cached the current version's components
    first = submit().dossier
    # When a new version adds a second required component
    components = [
        {"name": "Tờ khai", "originals": 1, "copies": 0, "required": True, "note": ""},
        {"name": "Giấy chứng sinh", "originals": 1, "copies": 0, "required": True, "note": ""},
    ]
    newer = make_procedure(
        code=procedure.code,
        implementations=[{"level": "province", "agency": centre.code}],
        components=components,
    )
    assert newer.version == procedure.version + 1

    # Then a submission without the new component is refused, as the new version says
    with pytest.raises(InvalidDossier) as refused:
        submit()
    assert [problem["field"] for problem in refused.value.details] == ["component_2"]
    # And one with both is made under the new version; the first keeps its own
    second = submit(files=[upload(position=1), upload(position=2)]).dossier
    assert (first.procedure_id, second.procedure_id) == (procedure.pk, newer.pk)


def test_a_closed_agency_is_refused_even_when_the_version_is_cached(submit, centre):
    submit()  # caches the version, with the agency as it was then
    centre.is_active = False
    centre.save(update_fields=["is_active"])

    with pytest.raises(InvalidDossier) as refused:
        submit()

    assert [problem["field"] for problem in refused.value.details] == ["agency"]


def test_the_chosen_agency_is_the_one_row_read_besides_the_version(
    submit, procedure, centre, clock_of_the_catalog, django_assert_num_queries
):
    # Given a procedure of every commune committee and one naming the centre, both cached
    commune = AgencyFactory(
        code="000.21.37.H37", kind=AgencyKind.COMMUNE_COMMITTEE, unit=CommuneFactory()
    )
    birth_procedure(agencies=[], code="1.000003", implementations=[{"level": "commune"}])
    current_procedure(code="1.000003")
    current_procedure(code=procedure.code)
    # and read more than a second ago
    clock_of_the_catalog.advance(FRESH_FOR)

    # When a submission is refused only for its agency (the centre is no commune committee)
    with django_assert_num_queries(2) as queries, pytest.raises(InvalidDossier):
        submit(procedure_code="1.000003", agency_code=centre.code)
    # Or names an unknown agency under a procedure that names its own, a second later
    clock_of_the_catalog.advance(FRESH_FOR)
    with django_assert_num_queries(1), pytest.raises(InvalidDossier):
        submit(agency_code=commune.code)

    # Then it read the current version's id and the chosen agency, by its unique code
    # and in no order; an agency the catalog does not name is not even looked up.
    agency_sql = queries.captured_queries[1]["sql"]
    assert '"core_agency"' in agency_sql
    assert "ORDER BY" not in agency_sql


def test_within_a_second_the_next_submission_reads_neither_version_nor_agency(
    submit, procedure, centre, clock_of_the_catalog, django_assert_num_queries
):
    submit()
    clock_of_the_catalog.advance(FRESH_FOR * 0.9)
    with django_assert_num_queries(0):
        found = current_procedure(code=procedure.code)
        agency = agency_row(pk=centre.pk)
    assert (found.pk, agency.code) == (procedure.pk, centre.code)
    # What the second submission wrote is all it cost: no read of the catalog
    with CaptureQueriesContext(connection) as queries:
        submit()
    assert not [q for q in queries if '"catalog_procedure"' in q["sql"].split("WHERE")[0]]
    assert not [q for q in queries if 'FROM "core_agency"' in q["sql"]]


def test_an_agency_closed_by_another_process_receives_nothing_after_a_second(
    submit, centre, clock_of_the_catalog
):
    submit()
    # Another server process closes the agency: no signal reaches this one
    type(centre).objects.filter(pk=centre.pk).update(is_active=False)

    # Within the second, this process still takes the agency as it read it
    submit()
    # After it, the agency is read again and refused
    clock_of_the_catalog.advance(FRESH_FOR)
    with pytest.raises(InvalidDossier) as refused:
        submit()
    assert [problem["field"] for problem in refused.value.details] == ["agency"]


def test_a_version_abolished_by_another_process_is_refused_after_a_second(
    submit, procedure, clock_of_the_catalog
):
    submit()
    type(procedure).objects.filter(pk=procedure.pk).update(is_current=False)

    submit()
    clock_of_the_catalog.advance(FRESH_FOR)
    with pytest.raises(ProcedureNotFound):
        submit()


def test_an_agency_handed_out_is_the_callers_own_copy(centre, clock_of_the_catalog):
    first = agency_row(pk=centre.pk)
    first.name = "Đã sửa trong một yêu cầu"
    first._state.fields_cache["unit"] = None

    again = agency_row(pk=centre.pk)

    assert again.name == centre.name
    assert "unit" not in again._state.fields_cache


def test_a_cached_version_costs_one_query_to_find(
    submit, procedure, clock_of_the_catalog, django_assert_num_queries
):
    submit()
    clock_of_the_catalog.advance(FRESH_FOR)
    # The current version's id, then the version's parts come from the process's cache.
    with django_assert_num_queries(1):
        found = current_procedure(code=procedure.code)
    assert found.pk == procedure.pk
    assert [component.position for component in found.components.all()] == [1, 2]
