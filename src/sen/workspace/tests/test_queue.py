"""The queue page /can-bo/ ("Hồ sơ cần xử lý"): the officer's dossiers, soonest due first."""

import re
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sen.catalog.tests.factories import make_procedure, one_step
from sen.core.models import AgencyKind, Role
from sen.core.tests.factories import AgencyFactory, MembershipFactory
from sen.dossiers import services
from sen.dossiers.models import Dossier
from sen.dossiers.tests.factories import officer
from sen.tests.clock import at

pytestmark = pytest.mark.django_db


def codes_on(html: str) -> list[str]:
    return re.findall(r'<a class="code" href="/can-bo/ho-so/([^/]+)/">', html)


def test_an_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get("/can-bo/")

    assert response.status_code == 302
    assert "next=/can-bo/" in response.headers["Location"]


def test_a_citizen_without_a_role_gets_a_forbidden_page(client, people):
    client.force_login(people.applicant)

    response = client.get("/can-bo/")

    assert response.status_code == 403
    page = response.content.decode()
    assert "Không có quyền truy cập" in page
    # and no officers' menu: there is nothing behind it for them
    assert 'class="ws-nav"' not in page
    assert "Hồ sơ cần xử lý" not in page


def test_the_queue_lists_the_agencys_dossiers_soonest_due_first_and_marks_them(
    client, people, submit, clock
):
    # Given, on Friday 20/11/2026: one dossier received on the 20th at 09:00 (due Mon 23
    # at 14:00), one received a week earlier (overdue), one waiting for intake
    clock(at(13, 9))
    late = services.dossier_receive(dossier=submit(), actor=people.desk, expected_revision=1)
    clock(at(20, 9))
    soon = services.dossier_receive(dossier=submit(), actor=people.desk, expected_revision=1)
    waiting = submit()

    # When the one-stop officer opens the queue on Monday 23/11 at 09:00
    clock(at(23, 9))
    client.force_login(people.desk)
    response = client.get("/can-bo/")

    # Then they come by due moment, the one not yet received last
    html = response.content.decode()
    assert response.status_code == 200
    assert codes_on(html) == [late.code, soon.code, waiting.code]
    # the first overdue; the second due soon, and its first step (the desk's, due on the
    # 20th at 11:00) late
    assert html.count("ws-flag--overdue") == 2
    assert html.count("Bước đang xử lý quá hạn") == 1
    assert html.count("ws-flag--soon") == 1
    assert "14:00 23/11/2026" in html


@pytest.mark.parametrize(
    "new_due_at", [at(27, 17), at(25, 9)], ids=["due-later", "due-within-a-working-day"]
)
def test_a_step_late_at_another_agency_is_marked_though_the_dossier_is_not(
    client, people, received, clock, new_due_at
):
    # Given a dossier due Friday 27/11, or Wednesday 25/11 (a new appointment), handed to Sở
    # Tư pháp on Friday 20/11 at 10:00: its step is due Monday 23/11 at 10:00
    services.dossier_apologize(
        dossier=received,
        reason="Cần xác minh",
        new_due_at=new_due_at,
        actor=people.leader,
        expected_revision=2,
    )
    clock(at(20, 10))
    services.dossier_complete_step(dossier=received, actor=people.desk, expected_revision=3)

    # When the department's specialist opens the queue before and after the step's due moment
    clock(at(23, 9))
    client.force_login(people.specialist)
    before = client.get("/can-bo/").content.decode()
    clock(at(23, 11))
    after = client.get("/can-bo/").content.decode()

    # Then the row says the step is late once it is, whether or not the dossier is due soon
    assert codes_on(after) == [received.code]
    assert "Bước đang xử lý quá hạn" not in before
    assert "ws-flag--overdue" not in before
    assert "Bước đang xử lý quá hạn" in after
    assert after.count("ws-flag--overdue") == 1


def test_a_dossier_late_by_law_but_rescheduled_says_so_and_a_stopped_clock_is_not_due_soon(
    client, people, received, submit, clock
):
    # Given, on Friday 20/11, a dossier due Monday 23/11 at 14:00 whose leader apologized
    # with a new appointment on Friday 27/11,
    services.dossier_apologize(
        dossier=received,
        reason="Cần xác minh",
        new_due_at=at(27, 17),
        actor=people.leader,
        expected_revision=2,
    )
    # and one at the department's specialist, due the same Monday at 14:00, whose
    # specialist asks for a supplement on Monday at 09:00: its clock stops there.
    waiting = services.dossier_receive(dossier=submit(), actor=people.desk, expected_revision=1)
    clock(at(20, 10))
    services.dossier_complete_step(dossier=waiting, actor=people.desk, expected_revision=2)
    clock(at(23, 9))
    services.dossier_request_supplement(
        dossier=waiting,
        items=[{"name": "Giấy chứng sinh", "reason": "Ảnh mờ"}],
        actor=people.specialist,
        expected_revision=3,
    )

    # When the desk opens the queue on Wednesday 25/11 (Tuesday 24/11 is a day off)
    clock(at(25, 9))
    client.force_login(people.desk)
    html = client.get("/can-bo/").content.decode()
    rows = dict(zip(codes_on(html), html.split('class="ws-queue__item')[1:], strict=True))

    # Then the first is late by law though due again on Friday, not "overdue" nor due soon;
    assert "Trễ hạn theo quy định, đã hẹn lại" in rows[received.code]
    assert "Quá hạn<" not in rows[received.code]
    # and the second, waiting with its clock stopped before its due moment, is neither
    # overdue nor due soon: its due moment moves when the supplement comes.
    assert "ws-flag" not in rows[waiting.code]


def test_filters_keep_the_overdue_or_a_status(client, people, submit, clock):
    clock(at(13, 9))
    late = services.dossier_receive(dossier=submit(), actor=people.desk, expected_revision=1)
    clock(at(20, 9))
    waiting = submit()
    client.force_login(people.desk)

    overdue = client.get("/can-bo/", {"overdue": "on"}).content.decode()
    submitted = client.get("/can-bo/", {"status": "submitted"}).content.decode()
    other_procedure = client.get("/can-bo/", {"procedure": "9.999999"}).content.decode()

    assert codes_on(overdue) == [late.code]
    assert codes_on(submitted) == [waiting.code]
    assert codes_on(other_procedure) == []
    assert "Không có thủ tục nào khớp với “9.999999”." in other_procedure


def test_a_status_that_does_not_exist_is_said_by_its_field_and_the_other_filters_still_apply(
    client, people, submit, clock
):
    # Given an overdue dossier and one waiting for intake
    clock(at(13, 9))
    late = services.dossier_receive(dossier=submit(), actor=people.desk, expected_revision=1)
    clock(at(20, 9))
    submit()
    client.force_login(people.desk)

    # When the officer follows an address with a status that does not exist, with "overdue"
    response = client.get("/can-bo/", {"status": "nonsense", "overdue": "on"})

    # Then the status field says so, and the queue is filtered by what was valid only: the
    # open dossiers that are overdue
    html = response.content.decode()
    assert response.status_code == 200
    assert '<select name="status" aria-invalid="true" aria-describedby="id_status_error"' in html
    assert (
        '<p class="error" id="id_status_error">Không có trạng thái hồ sơ “nonsense”; danh sách '
        "dưới đây là các hồ sơ chưa kết thúc."
    ) in html
    assert codes_on(html) == [late.code]


# --- The procedure filter: a code, or words of the name ---------------------------------------


@pytest.fixture
def two_procedures(centre, people, submit, clock):
    """Two birth registrations and a marriage registration at the centre, and a death
    registration at a ward, all waiting for intake."""
    marriage = make_procedure(
        code="1.000894",
        name="Đăng ký kết hôn",
        processing_days="3",
        steps=one_step("3"),
        implementations=[{"level": "province", "agency": centre.code}],
    )
    ward = AgencyFactory(name="Ủy ban nhân dân phường Hoa Lư")
    make_procedure(
        code="1.000656",
        name="Đăng ký khai tử",
        processing_days="3",
        steps=one_step("3"),
        implementations=[{"level": "province", "agency": ward.code}],
    )
    births = [submit(), submit()]
    marriages = [submit(procedure_code=marriage.code)]
    deaths = [submit(procedure_code="1.000656", agency_code=ward.code)]
    return SimpleNamespace(
        births=codes_of(births),
        marriages=codes_of(marriages),
        deaths=codes_of(deaths),
        ward_desk=officer(ward, username="motcuaphuong"),
    )


def codes_of(dossiers: list[Dossier]) -> list[str]:
    return [dossier.code for dossier in dossiers]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Đăng ký khai sinh", "births"),
        ("dang ky khai sinh", "births"),
        ("ĐĂNG KÝ KHAI SINH", "births"),
        ("khai si", "births"),
        ("1.001193", "births"),
        (" 1.001193 ", "births"),
        ("kết hôn", "marriages"),
        ("1.000894", "marriages"),
        ("dang ky", "births marriages"),
    ],
)
def test_the_procedure_filter_takes_a_code_or_words_of_the_name_with_or_without_diacritics(
    client, people, two_procedures, text, expected
):
    client.force_login(people.desk)

    html = client.get("/can-bo/", {"procedure": text}).content.decode()

    # The centre's dossiers of the procedures named, never the ward's death registration
    wanted = [code for name in expected.split() for code in getattr(two_procedures, name)]
    assert sorted(codes_on(html)) == sorted(wanted)
    assert "Thủ tục (mã hoặc tên), hoặc mã hồ sơ" in html
    assert 'placeholder="1.001193, khai sinh hoặc mã trên giấy hẹn"' in html


def test_a_procedure_named_lists_only_the_officers_own_agencys_dossiers(
    client, people, two_procedures
):
    # Given the ward's one-stop officer, whose agency receives death registrations only
    client.force_login(two_procedures.ward_desk)

    # When they ask for birth registrations, then for every registration
    births = client.get("/can-bo/", {"procedure": "khai sinh"}).content.decode()
    registrations = client.get("/can-bo/", {"procedure": "Đăng ký"}).content.decode()

    # Then the centre's dossiers never show; the procedure exists, so no "no procedure"
    assert codes_on(births) == []
    assert "Không có hồ sơ nào phù hợp." in births
    assert "Không có thủ tục nào khớp" not in births
    assert codes_on(registrations) == two_procedures.deaths


def test_a_dossier_code_typed_in_the_box_opens_that_dossier(client, people, two_procedures):
    # A citizen on the phone reads their receipt's code aloud; the officer types it loosely
    code = two_procedures.births[0]
    client.force_login(people.desk)

    response = client.get("/can-bo/", {"procedure": f" {code.replace('-', ' ').lower()} "})

    assert response.status_code == 302
    assert response.headers["Location"] == f"/can-bo/ho-so/{code}/"
    # and another agency's dossier, opened so, is not found there (its page decides)
    ward = client.get(f"/can-bo/ho-so/{two_procedures.deaths[0]}/")
    assert ward.status_code == 404


def test_text_that_names_no_procedure_gives_an_empty_queue_that_says_so(
    client, people, two_procedures, django_assert_num_queries
):
    client.force_login(people.desk)

    # The queue is neither counted nor read: session and user, the officer's agencies, the
    # procedures named (none), the menu's roles and reporting duty.
    with django_assert_num_queries(QUEUE_QUERIES - 1):
        response = client.get("/can-bo/", {"procedure": "giay phep xay dung"})

    html = response.content.decode()
    assert response.status_code == 200
    assert codes_on(html) == []
    assert "Không có thủ tục nào khớp với “giay phep xay dung”." in html
    assert "Không có hồ sơ nào phù hợp." not in html
    assert 'value="giay phep xay dung"' in html


def test_the_procedure_filter_by_name_costs_one_query_more_for_1_or_3_dossiers(
    client, people, submit, two_procedures, django_assert_num_queries
):
    client.force_login(people.desk)
    with django_assert_num_queries(QUEUE_QUERIES + 1):
        one = client.get("/can-bo/", {"procedure": "ket hon"}).content.decode()

    # When two more marriages come (and births, not asked for)
    submit(procedure_code="1.000894")
    submit(procedure_code="1.000894")
    submit()

    # Then the page with the filter costs the same: QUEUE_QUERIES and the procedures named
    with django_assert_num_queries(QUEUE_QUERIES + 1):
        three = client.get("/can-bo/", {"procedure": "ket hon"}).content.decode()
    assert codes_on(one) == two_procedures.marriages
    assert len(codes_on(three)) == 3


def test_text_too_long_or_naming_too_many_procedures_is_shown_on_the_field(
    client, people, two_procedures, monkeypatch
):
    # Given a queue that filters by one procedure version at most
    monkeypatch.setattr("sen.dossiers.selectors.MAX_QUEUE_PROCEDURES", 1)
    client.force_login(people.desk)

    longest_text = "khai sinh " * 19 + "khai sinh."
    assert len(longest_text) == 200
    one = client.get("/can-bo/", {"procedure": "kết hôn"}).content.decode()
    broad = client.get("/can-bo/", {"procedure": "đăng ký"}).content.decode()
    longest = client.get("/can-bo/", {"procedure": longest_text}).content.decode()
    long = client.get("/can-bo/", {"procedure": longest_text + "."}).content.decode()

    # Then one procedure still filters; too many, or 201 characters, is the field's error,
    # and the queue shows without it, as for any invalid filter
    every = sorted(two_procedures.births + two_procedures.marriages)
    assert codes_on(one) == two_procedures.marriages
    assert "Quá nhiều thủ tục khớp với “đăng ký”; hãy gõ thêm từ" in broad
    assert sorted(codes_on(broad)) == every
    assert "Giá trị này chỉ có tối đa 200 kí tự (hiện có 201)" in long
    assert sorted(codes_on(long)) == every
    assert sorted(codes_on(longest)) == two_procedures.births


def test_my_turn_lists_what_waits_for_the_officer_at_no_cost_in_queries(
    client, people, submit, django_assert_num_queries
):
    # Given one dossier waiting for intake, one at the desk's own first step, and one handed
    # on to the specialist of Sở Tư pháp
    waiting = submit()
    at_desk = services.dossier_receive(dossier=submit(), actor=people.desk, expected_revision=1)
    handed = services.dossier_complete_step(
        dossier=services.dossier_receive(dossier=submit(), actor=people.desk, expected_revision=1),
        actor=people.desk,
        expected_revision=2,
    )

    # When each ticks "Đến lượt tôi xử lý"
    client.force_login(people.desk)
    with django_assert_num_queries(QUEUE_QUERIES):
        desk = client.get("/can-bo/", {"my_turn": "on"}).content.decode()
    everything = client.get("/can-bo/").content.decode()
    client.force_login(people.leader)
    leader = client.get("/can-bo/", {"my_turn": "on"}).content.decode()
    client.force_login(people.specialist)
    specialist = client.get("/can-bo/", {"my_turn": "on"}).content.decode()

    # Then each sees the dossiers waiting for them, and the box stays ticked
    assert codes_on(desk) == [at_desk.code, waiting.code]
    assert sorted(codes_on(everything)) == sorted([waiting.code, at_desk.code, handed.code])
    assert codes_on(leader) == []
    assert codes_on(specialist) == [handed.code]
    assert re.search(r'<input type="checkbox" name="my_turn"[^>]*checked', desk)
    assert "Đến lượt tôi xử lý" in everything


def test_an_officer_of_another_agency_sees_none_of_these_dossiers(client, people, submitted):
    client.force_login(people.other_desk)

    response = client.get("/can-bo/")
    asked = client.get("/can-bo/", {"agency": submitted.agency.code})

    assert response.status_code == 200
    assert codes_on(response.content.decode()) == []
    assert codes_on(asked.content.decode()) == []


# The queue page of a one-stop officer, however many dossiers, procedures and agencies:
# session and user (2); the officer's agencies (1); the queue counted up to its cap (1); the
# officer's roles, read once for the desk's counts and the menu (1); the dossiers waiting
# for intake and the results waiting to be handed back at the officer's desks, each
# counted up to the cap (2; none for an officer without a desk, and one fewer when one of
# those statuses is the filter); the page of dossiers, with their procedures and agencies
# (1); the menu's reporting duty (1). The due-soon bound of each agency on the page comes
# from its working calendar, cached in the process since the dossiers' due moments were
# computed.
QUEUE_QUERIES = 9


def test_the_queue_costs_the_same_queries_for_1_or_30_dossiers_of_two_agencies_and_pages_by_20(
    client, people, submit, clock, django_assert_num_queries
):
    # Given the specialist of Sở Tư pháp, who is also the one-stop officer of a commune, and
    # one birth registration handed to Sở Tư pháp for its step
    commune = AgencyFactory(name="Ủy ban nhân dân xã Gia Viễn", kind=AgencyKind.COMMUNE_COMMITTEE)
    MembershipFactory(user=people.specialist, agency=commune, role=Role.ONE_STOP_OFFICER)
    marriage = make_procedure(
        code="1.000894",
        name="Đăng ký kết hôn",
        processing_days="3",
        steps=one_step("3"),
        implementations=[{"level": "commune", "agency": commune.code}],
    )

    def handed() -> Dossier:
        dossier = services.dossier_receive(dossier=submit(), actor=people.desk, expected_revision=1)
        return services.dossier_complete_step(
            dossier=dossier, actor=people.desk, expected_revision=2
        )

    first = handed()
    client.force_login(people.specialist)

    with django_assert_num_queries(QUEUE_QUERIES):
        alone = client.get("/can-bo/").content.decode()
    assert codes_on(alone) == [first.code]

    # When 29 more come: 9 more handed to Sở Tư pháp, and for the commune, 10 marriages
    # waiting, 5 received and 5 refused; the birth registrations still at the centre's desk
    # are not theirs
    for _index in range(9):
        handed()
    for _index in range(5):
        services.dossier_receive(dossier=submit(), actor=people.desk, expected_revision=1)
    desk = officer(commune, username="motcuaxa")
    at_commune = [submit(procedure_code=marriage.code, agency_code=commune.code) for _ in range(20)]
    for dossier in at_commune[:5]:
        services.dossier_receive(dossier=dossier, actor=desk, expected_revision=1)
    for dossier in at_commune[5:10]:
        services.dossier_refuse(
            dossier=dossier, reason="Sai thẩm quyền", actor=desk, expected_revision=1
        )

    # Then the queue costs the same queries, lists 20 of the 25 open ones, and the other 5
    # on page 2; the refused ones are finished, and listed under their status
    with django_assert_num_queries(QUEUE_QUERIES):
        html = client.get("/can-bo/").content.decode()
    with django_assert_num_queries(QUEUE_QUERIES):
        second = client.get("/can-bo/", {"page": 2}).content.decode()
    with django_assert_num_queries(QUEUE_QUERIES):
        refused = client.get("/can-bo/", {"status": "refused"}).content.decode()

    listed = codes_on(html) + codes_on(second)
    assert (len(codes_on(html)), len(codes_on(second))) == (20, 5)
    assert len(set(listed)) == 25
    assert set(codes_on(refused)) == {dossier.code for dossier in at_commune[5:10]}
    assert not set(listed) & set(codes_on(refused))
    assert "Đăng ký khai sinh" in html and "Đăng ký kết hôn" in html + second
    assert "Trang 2 / 2." in second


def test_a_queue_past_the_count_cap_says_more_than_and_lists_the_soonest_due(
    client, people, submit, clock, monkeypatch
):
    # Given three dossiers waiting at the desk, and a page that counts only up to two
    monkeypatch.setattr("sen.workspace.views.QUEUE_COUNT_CAP", 2)
    dossiers = [submit() for _ in range(3)]
    client.force_login(people.desk)

    # When the one-stop officer opens the queue
    html = client.get("/can-bo/").content.decode()

    # Then it says there are more than two and still lists them in queue order
    assert "Hơn 2 hồ sơ; danh sách hiện 2 hồ sơ đến hạn sớm nhất" in html
    assert codes_on(html) == [dossier.code for dossier in dossiers][:2]


def test_the_queue_in_english(client, people, submitted):
    client.force_login(people.desk)
    client.post("/i18n/setlang/", {"language": "en", "next": "/can-bo/"})

    html = client.get("/can-bo/").content.decode()

    assert '<html lang="en">' in html
    assert "<h1>Dossiers to process</h1>" in html
    assert "Due soon (within 1 working day)" in html
    assert "1 dossier." in html


def test_the_desk_is_told_how_many_dossiers_wait_for_intake_which_the_queue_lists_last(
    client, people, submit, clock
):
    # Given two dossiers sent online and one already received (so it has a due moment)
    submit()
    submit()
    services.dossier_receive(dossier=submit(), actor=people.desk, expected_revision=1)

    desk = page_as(client, people.desk, "/can-bo/")
    filtered = page_as(client, people.desk, "/can-bo/?status=submitted")
    specialist = page_as(client, people.specialist, "/can-bo/")
    # The count costs a query at a desk only: elsewhere the page costs what it costs when
    # the waiting dossiers are the filter, which counts nothing more
    costs = {}
    for user in (people.desk, people.specialist):
        client.force_login(user)
        for query in ("", "?status=submitted"):
            with CaptureQueriesContext(connection) as queries:
                client.get(f"/can-bo/{query}")
            costs[user.username, query] = len(queries)
    assert costs["motcua", ""] == costs["motcua", "?status=submitted"] + 1
    assert costs["chuyenvien", ""] == costs["chuyenvien", "?status=submitted"]
    other_desk = page_as(client, people.other_desk, "/can-bo/")

    # Then the desk's queue says so at the top, with a link to them
    notice = re.search(r'<p class="notice ws-waiting">(.*?)</p>', desk, re.S)
    assert notice is not None
    assert '<a href="/can-bo/?status=submitted">2 hồ sơ đang chờ tiếp nhận</a>' in notice.group(1)
    # Not when they are what is listed, nor to the officers who do not receive them
    assert "ws-waiting" not in filtered
    assert len(codes_on(filtered)) == 2
    assert "ws-waiting" not in specialist
    assert "ws-waiting" not in other_desk


def test_the_desk_is_told_how_many_results_wait_to_be_handed_back(
    client, people, submit, walk_in_ready
):
    # Given one dossier whose result is ready, which the unfiltered queue no longer lists
    # (its processing is over), and one still in processing
    ready = walk_in_ready
    services.dossier_receive(dossier=submit(), actor=people.desk, expected_revision=1)

    desk = page_as(client, people.desk, "/can-bo/")
    listed = page_as(client, people.desk, "/can-bo/?status=result_ready")
    leader = page_as(client, people.leader, "/can-bo/")

    # Then the desk's queue says so at the top, with a link to them
    notice = re.search(r'<p class="notice ws-waiting ws-to-return">(.*?)</p>', desk, re.S)
    link = '<a href="/can-bo/?status=result_ready">1 hồ sơ có kết quả chờ trả</a>'
    assert notice is not None
    assert link in notice.group(1)
    assert ready.code not in codes_on(desk)
    # Not when they are what is listed, nor to officers who hand nothing back
    assert "ws-to-return" not in listed
    assert codes_on(listed) == [ready.code]
    assert "ws-to-return" not in leader


def page_as(client, user, url: str) -> str:
    client.force_login(user)
    return client.get(url).content.decode()
