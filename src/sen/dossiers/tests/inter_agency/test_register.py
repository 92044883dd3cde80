"""The dossier register (Sổ theo dõi hồ sơ, mẫu 07) of an agency over a period, as PDF.

For the agency's one-stop officers and leaders only; the read of the applicants' data is
recorded. The dossiers of the procedure are received by the provincial service centre and
go, at their second step, to the justice department.
"""

from datetime import date

import pytest

from sen.core.models import Agency, AuditEntry, Membership, Role
from sen.core.selectors import audit_for
from sen.dossiers.models import Dossier
from sen.dossiers.register import register_data, register_dossiers
from sen.dossiers.services import dossier_receive
from sen.dossiers.tests.factories import SERVICE_CENTRE_CODE, officer
from sen.dossiers.tests.inter_agency.conftest import CODE, URL, as_user
from sen.dossiers.tests.pdf import codes_joined, pdf_text
from sen.tests.clock import at

pytestmark = pytest.mark.django_db

NOVEMBER = {"agency": SERVICE_CENTRE_CODE, "from": "2026-11-01", "to": "2026-11-30"}


def get_register(user, **params):
    return as_user(user).get(f"{URL}/register", {**NOVEMBER, **params})


def register_reads() -> list[dict]:
    return list(AuditEntry.objects.filter(target_type="core.agency").values_list("data", flat=True))


def error_of(response) -> str:
    return response.json()["error"]["code"]


def receive_more(submit, people, count: int) -> None:
    """Submit and receive ``count`` more dossiers at the service centre."""
    for _ in range(count):
        dossier = submit().dossier
        dossier_receive(dossier=dossier, actor=people.desk, expected_revision=1)


# --- Allowed ----------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["desk", "leader"])
def test_the_agencys_one_stop_officer_and_leader_print_its_register(at_specialist, people, who):
    # Given a dossier received on 20/11 and handed to the justice department at 10:00,
    # when an officer of the service centre asks for November's register,
    response = get_register(getattr(people, who))

    # then it is the PDF of mẫu 07 with one line for the dossier, and the read is recorded.
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'inline; filename="so-theo-doi-ho-so-{SERVICE_CENTRE_CODE}-20261101-20261130.pdf"'
    )
    text = codes_joined(pdf_text(response.content))
    for piece in (
        "SỔ THEO DÕI HỒ SƠ",
        "Từ ngày 01/11/2026 đến ngày 30/11/2026",
        CODE,
        "Đăng ký khai sinh",
        "Trần Thị Bình",
        "Sở Tư pháp",
    ):
        assert piece in text, piece
    assert register_reads() == [
        {"purpose": "register", "from": "2026-11-01", "to": "2026-11-30", "dossiers": 1}
    ]


def test_a_register_line_follows_the_dossier_to_its_result(result_ready, people):
    # Given a dossier received Friday 09:00, sent to the department at 10:00 and approved
    # on Monday at 10:00, when its register line is drawn,
    read = register_dossiers(
        user=people.desk,
        agency_code=SERVICE_CENTRE_CODE,
        start=date(2026, 11, 20),
        end=date(2026, 11, 20),
    )
    [line] = register_data(read, now=at(23, 11)).lines

    # then it shows each hand-off.
    assert (line.code, line.applicant_name) == (CODE, "Trần Thị Bình")
    assert (line.received_at, line.due_at) == (at(20, 9), at(23, 14))
    assert (line.processing_agency, line.transferred_at) == ("Sở Tư pháp", at(20, 10))
    assert (line.result_received_at, line.returned_at) == (at(23, 10), None)
    assert line.note == ""


def test_a_register_line_names_the_agency_that_resolves_the_dossier_before_it_goes_there(
    received, people
):
    """The column was blank until the hand-off: the desk's register of the day, printed in
    the afternoon, had no agency for the dossiers received that day."""
    read = register_dossiers(
        user=people.desk,
        agency_code=SERVICE_CENTRE_CODE,
        start=date(2026, 11, 20),
        end=date(2026, 11, 20),
    )
    [line] = register_data(read, now=at(20, 9, 30)).lines

    assert (line.processing_agency, line.transferred_at) == ("Sở Tư pháp", None)


def test_the_register_holds_only_the_agencys_dossiers_received_in_the_period(
    submit, received, clock, people
):
    # Given a dossier received on 20/11, one received on 01/12 and one never received,
    clock(at(20, 9).replace(month=12, day=1))
    receive_more(submit, people, 1)
    submit()

    # when the desk reads the register of 20/11 only, then only the first is in it.
    read = register_dossiers(
        user=people.desk,
        agency_code=SERVICE_CENTRE_CODE,
        start=date(2026, 11, 20),
        end=date(2026, 11, 20),
    )
    assert [dossier.code for dossier in read.dossiers] == [CODE]
    assert Dossier.objects.count() == 3


@pytest.mark.parametrize("who", ["desk", "leader"])
def test_the_registers_queries_do_not_grow_with_its_dossiers(
    submit, at_specialist, people, who, django_assert_num_queries
):
    reader = as_user(getattr(people, who))

    def get() -> None:
        response = reader.get(f"{URL}/register", NOVEMBER)
        assert response.status_code == 200

    # Given one dossier, then six: the session, the user, the agency, the reader's roles
    # in it (one query whichever role grants the register), the dossiers with their
    # procedures, their step records with their agencies, their procedures' steps with
    # theirs, the audit entry of the read, and the audit entries of each dossier's read.
    with django_assert_num_queries(9):
        get()
    receive_more(submit, people, 5)
    assert Dossier.objects.count() == 6
    with django_assert_num_queries(9):
        get()


def test_each_dossier_in_the_register_logs_its_read_by_whom(submit, at_specialist, people):
    not_received = submit().dossier

    get_register(people.desk)

    reads = audit_for(target_type="dossiers.dossier", target_key=CODE)
    assert [(e.action, e.actor, e.data) for e in reads if e.action.endswith("read")] == [
        ("dossiers.dossier.personal_data_read", people.desk, {"purpose": "register"})
    ]
    # A dossier the register does not show records no read.
    assert not audit_for(target_type="dossiers.dossier", target_key=not_received.code).filter(
        action="dossiers.dossier.personal_data_read"
    )


# --- Denied -----------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["specialist", "outsider", "applicant", "stranger"])
def test_anyone_else_is_refused_the_register_and_nothing_is_recorded(received, people, who):
    response = get_register(getattr(people, who))

    assert response.status_code == 403
    assert error_of(response) == "permission_denied"
    assert register_reads() == []


def test_a_specialist_of_the_agency_itself_is_refused_the_register(
    received, people, django_assert_num_queries
):
    specialist = as_user(officer(received.agency, Role.SPECIALIST, username="chuyenvien2"))

    # The session, the user, the agency and the reader's roles in it: one query for both
    # roles that would grant the register.
    with django_assert_num_queries(4):
        response = specialist.get(f"{URL}/register", NOVEMBER)

    assert (response.status_code, error_of(response)) == (403, "permission_denied")
    assert register_reads() == []


@pytest.mark.parametrize(
    "role", [Role.SPECIALIST, Role.CLERK, Role.AGENCY_ADMIN, Role.PROVINCE_ADMIN]
)
def test_other_roles_in_the_agency_are_refused_the_register(received, role):
    reader = officer(received.agency, role, username="khac")

    response = get_register(reader)

    assert (response.status_code, error_of(response)) == (403, "permission_denied")
    assert register_reads() == []


def test_a_leader_of_another_agency_is_refused_the_register(received, department):
    leader = officer(department, Role.LEADER, username="lanhdaoso")

    response = get_register(leader)

    assert (response.status_code, error_of(response)) == (403, "permission_denied")
    assert register_reads() == []


@pytest.mark.parametrize("who", ["desk", "leader"])
def test_a_revoked_role_no_longer_opens_the_register(received, people, who):
    reader = getattr(people, who)
    Membership.objects.filter(user=reader).update(is_active=False)

    response = get_register(reader)

    assert (response.status_code, error_of(response)) == (403, "permission_denied")
    assert register_reads() == []


@pytest.mark.parametrize("who", ["desk", "leader"])
def test_a_closed_agency_gives_nobody_its_register(received, people, who):
    Agency.objects.filter(pk=received.agency_id).update(is_active=False)

    response = get_register(getattr(people, who))

    assert (response.status_code, error_of(response)) == (403, "permission_denied")
    assert register_reads() == []


def test_the_register_needs_a_signed_in_user(received):
    response = get_register(None)

    assert (response.status_code, error_of(response)) == (401, "not_authenticated")


def test_the_register_of_an_unknown_agency_is_not_found(received, people):
    response = get_register(people.desk, agency="000.00.99.H37")

    assert (response.status_code, error_of(response)) == (404, "agency_not_found")
    assert register_reads() == []


@pytest.mark.parametrize(
    "params",
    [
        {"from": "2026-11-30", "to": "2026-11-01"},  # ends before it starts
        {"from": "2025-11-30", "to": "2026-12-01"},  # 367 days
        {"from": "30/11/2026"},  # not a date
        {"to": ""},  # missing
        # dates no register can hold, whose day after is no date (an error 500 before)
        {"from": "9999-12-31", "to": "9999-12-31"},
        {"from": "0001-01-01", "to": "0001-01-02"},
    ],
)
def test_a_bad_period_is_refused_with_invalid_input(received, people, params):
    response = get_register(people.desk, **params)

    assert (response.status_code, error_of(response)) == (400, "invalid_input")
    assert register_reads() == []


def test_a_whole_leap_year_is_one_register(received, people):
    response = get_register(people.desk, **{"from": "2028-01-01", "to": "2028-12-31"})

    assert response.status_code == 200, response.content
