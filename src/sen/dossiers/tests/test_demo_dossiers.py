"""`sen seed_demo_dossiers`: demo dossiers in every state, written only by the services."""

import io
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from sen.catalog.selectors import procedure_get
from sen.core.demo import demo_logins, seed_demo_org
from sen.core.management.commands.demo import DEMO_CATALOG
from sen.core.models import AuditEntry, Membership, User
from sen.core.services import units_load
from sen.dossiers.demo import (
    CITIZEN,
    CITIZEN_USERNAME,
    NAM_DINH,
    _form,
    demo_dossiers,
    minimal_pdf,
    replay_demo_history,
)
from sen.dossiers.models import (
    DossierEvent,
    DossierFile,
    DossierNotice,
    DossierRating,
    DossierResult,
)
from sen.dossiers.outbox import send_pending_notices
from sen.dossiers.sender import send_waiting_notices
from sen.dossiers.services import SubmittedFile, dossier_submit
from sen.dossiers.states import finished_late, is_late

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_province(db: None) -> None:
    """Province 37 with the demo agencies, officers and the demo catalog."""
    units_load(province_codes=["37"])
    seed_demo_org()
    call_command("load_catalog", str(DEMO_CATALOG), verbosity=0)


def test_the_demo_dossiers_cover_every_state_and_a_second_run_adds_nothing(demo_province):
    out = io.StringIO()
    call_command("seed_demo_dossiers", stdout=out)

    dossiers = list(demo_dossiers().select_related("agency", "procedure"))
    assert len(dossiers) == 29
    assert {d.status for d in dossiers} == {
        "submitted",
        "received",
        "processing",
        "supplement_requested",
        "refused",
        "withdrawn",
        "stopped",
        "result_ready",
        "returned",
    }
    now = timezone.now()
    assert all(d.submitted_at < now for d in dossiers)
    open_late = [d for d in dossiers if d.finished_at is None and is_late(d, now)]
    assert len(open_late) == 3
    # (the one stopped while waiting for a supplement is not late: the wait does not count)
    assert sum(finished_late(d) is True for d in dossiers) == 4
    apologized = [d for d in dossiers if d.apologized_at is not None]
    assert len(apologized) == 2
    assert any(d in open_late for d in apologized)
    assert DossierRating.objects.filter(dossier__in=dossiers).count() == 3
    # Several agencies and communes, both channels, an inter-agency step held elsewhere.
    assert {d.agency.code for d in dossiers} == {
        "000.10.00.H37",
        "000.20.01.H37",
        "000.20.02.H37",
    }
    assert {d.channel for d in dossiers} == {"online", "desk"}
    assert {
        d.current_step.agency.code
        for d in dossiers
        if d.current_step is not None and d.current_step.agency is not None
    } == {"000.12.00.H37", "000.19.00.H37"}
    # Each agency's register numbers its received dossiers 1, 2, … in order of receipt.
    for agency in {d.agency for d in dossiers}:
        received = sorted(
            (d for d in dossiers if d.agency == agency and d.received_at is not None),
            key=lambda d: (d.received_at, d.register_number),
        )
        assert [d.register_number for d in received] == list(range(1, len(received) + 1))
    # Each dossier's events are numbered 1..revision, in time order.
    for dossier in dossiers:
        events = list(DossierEvent.objects.filter(dossier=dossier).order_by("sequence"))
        assert [e.sequence for e in events] == list(range(1, dossier.revision + 1))
        assert [e.at for e in events] == sorted(e.at for e in events)
        assert events[0].at == dossier.submitted_at
    # Files are real PDFs; every result-ready or returned dossier has its result.
    assert (
        DossierFile.objects.filter(dossier__in=dossiers)
        .exclude(content_type="application/pdf")
        .count()
        == 0
    )
    # A supplement sent is filed under the paper the request named.
    supplements = DossierFile.objects.filter(
        dossier__in=dossiers, event__action__startswith="submit_supplement"
    )
    assert {f.requested_item for f in supplements} == {"Bản chụp giấy tờ tùy thân"}
    assert DossierResult.objects.filter(dossier__in=dossiers).values(
        "dossier"
    ).distinct().count() >= sum(d.status in ("result_ready", "returned") for d in dossiers)
    assert User.objects.get(username=CITIZEN_USERNAME).full_name == "Nguyễn Thị Hương"
    text = out.getvalue()
    assert "Đã tạo 29 hồ sơ mẫu." in text
    assert "  Đã trả kết quả: 7" in text

    counts = (
        demo_dossiers().count(),
        DossierEvent.objects.count(),
        AuditEntry.objects.count(),
        User.objects.count(),
        Membership.objects.count(),
    )
    again = io.StringIO()
    call_command("seed_demo_dossiers", stdout=again)

    assert (
        demo_dossiers().count(),
        DossierEvent.objects.count(),
        AuditEntry.objects.count(),
        User.objects.count(),
        Membership.objects.count(),
    ) == counts
    assert "Đã có 29 hồ sơ mẫu; không tạo thêm." in again.getvalue()
    assert demo_dossiers().values("status").annotate(n=Count("id")).count() == 9


def test_seeding_without_the_demo_organisation_fails_clearly_and_creates_nothing(db):
    with pytest.raises(CommandError, match="seed_demo_org"):
        call_command("seed_demo_dossiers", verbosity=0)

    assert demo_dossiers().count() == 0
    assert User.objects.count() == 0


def test_the_generated_pdf_is_well_formed():
    pdf = minimal_pdf("Ho so mau (1)")

    assert pdf.startswith(b"%PDF-1.4\n")
    assert pdf.endswith(b"%%EOF\n")
    xref = int(pdf.rsplit(b"startxref\n", 1)[1].split(b"\n")[0])
    assert pdf[xref:].startswith(b"xref\n0 6\n")
    # Each object's offset in the table points at that object.
    offsets = [int(line[:10]) for line in pdf[xref:].split(b"\n")[3:8]]
    assert [pdf[o:].split(b"\n")[0] for o in offsets] == [
        f"{n} 0 obj".encode() for n in range(1, 6)
    ]
    assert b"(Ho so mau [1]) Tj" in pdf


def test_the_demo_dossiers_are_worked_only_by_accounts_of_the_printed_table(demo_province):
    # Given the demo organisation and its dossiers,
    call_command("seed_demo_dossiers", verbosity=0)

    # when sen demo prints its login table, then every account the dossiers name is in it.
    printed = {login.username for login in demo_logins()}
    assert set(User.objects.values_list("username", flat=True)) == printed
    actors = set(
        DossierEvent.objects.filter(actor__isnull=False).values_list("actor__username", flat=True)
    )
    applicants = set(demo_dossiers().values_list("applicant__username", flat=True)) - {None}
    assert actors | applicants <= printed
    assert {"congdan", "motcua.phuly", "lanhdao.phuly"} <= actors


def test_the_replayed_history_finishes_dossiers_in_each_earlier_month(demo_province):
    call_command("seed_demo_dossiers", stdout=io.StringIO())
    now = timezone.now()
    before = set(demo_dossiers().values_list("pk", flat=True))

    told = replay_demo_history(months=3, seed=7)

    assert len(told) == 2 and all(count > 0 for count in told)
    replayed = demo_dossiers().exclude(pk__in=before)
    assert replayed.count() == sum(told)
    # Every replayed dossier ended, weeks before now, and the second month lies further back.
    assert not replayed.filter(finished_at=None).exists()
    assert not replayed.filter(submitted_at__gte=now - timedelta(days=14)).exists()
    assert replayed.filter(submitted_at__lt=now - timedelta(days=60)).exists()


# The queue `sen demo` runs on: django-tasks-db, whose worker sends the notices' outbox.
DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def submit_birth_registration(citizen: User):
    """Submit a birth registration online at the Nam Định ward, as the demo citizen."""
    code = "1.001193"
    content = minimal_pdf("Giay to")
    files = [
        SubmittedFile(
            position=c.position, name="giay-to.pdf", stream=io.BytesIO(content), size=len(content)
        )
        for c in procedure_get(code=code).components.all()
        if c.required
    ]
    return dossier_submit(
        procedure_code=code,
        channel="online",
        applicant=citizen,
        applicant_details=CITIZEN.details(),
        form_data=_form(code, CITIZEN, on=timezone.localdate()),
        files=files,
        agency_code=NAM_DINH,
        actor=citizen,
    ).dossier


def test_seeding_leaves_no_notice_to_send_and_a_later_submission_is_notified(
    demo_province, settings, mailoutbox
):
    """The seeded history happened weeks ago: a worker started after `sen demo` used to
    email its applicants about it (103 notices)."""
    # Given the database queue, when the demo dossiers are seeded,
    settings.TASKS = DATABASE_QUEUE
    call_command("seed_demo_dossiers", stdout=io.StringIO())

    # then no notice waits and no task is queued: the worker and the sweeper send nothing.
    assert DossierEvent.objects.filter(dossier__in=demo_dossiers()).count() > 100
    assert not DossierNotice.objects.filter(sent_at__isnull=True).exists()
    assert not DBTaskResult.objects.ready().exists()
    assert send_pending_notices(now=timezone.now() + timedelta(hours=1)) == 0
    assert mailoutbox == []

    # When the demo citizen submits a dossier afterwards, it is notified as always.
    citizen = User.objects.get(username=CITIZEN_USERNAME)
    dossier = submit_birth_registration(citizen)

    assert DossierNotice.objects.filter(event__dossier=dossier, sent_at__isnull=True).count() == 1
    # No task: the worker's sender sends the outbox as it fills.
    assert not DBTaskResult.objects.ready().exists()
    assert send_waiting_notices() == (1, 1)
    assert [(m.to, dossier.code in m.subject) for m in mailoutbox] == [([citizen.email], True)]


def test_the_replayed_history_leaves_no_notice_to_send(demo_province, settings, mailoutbox):
    settings.TASKS = DATABASE_QUEUE
    call_command("seed_demo_dossiers", stdout=io.StringIO())

    replay_demo_history(months=2, seed=7)

    assert not DossierNotice.objects.filter(sent_at__isnull=True).exists()
    assert not DBTaskResult.objects.ready().exists()
