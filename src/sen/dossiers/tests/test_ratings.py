"""Rating a returned dossier on the official criteria, and an agency's satisfaction figures.

Dossiers reach "returned" through the services: received at the one-stop desk, handed to the
leader, result attached and approved, returned electronically.
"""

from collections.abc import Callable
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest

from sen.core.errors import NotAllowed
from sen.core.models import AuditEntry, Role
from sen.core.tests.factories import AgencyFactory
from sen.dossiers.errors import AlreadyRated, InvalidRating, NotReturned
from sen.dossiers.models import Dossier, DossierRating
from sen.dossiers.ratings import agency_satisfaction, dossier_rate, rating_criteria
from sen.dossiers.services import (
    dossier_attach_result,
    dossier_complete_step,
    dossier_receive,
    dossier_return_result,
)
from sen.dossiers.tests.factories import PDF, birth_procedure, citizen, officer, upload
from sen.dossiers.tests.state import written_state
from sen.tests.clock import at

pytestmark = pytest.mark.django_db

GOOD = {"total_time": 2, "contacts": 2, "attitude": 2, "on_time": 1, "information": 2}


@pytest.fixture
def procedure(centre):
    steps = [
        {"name": "Tiếp nhận", "role": "one_stop", "agency": None, "duration": "2", "unit": "hours"},
        {"name": "Phê duyệt", "role": "leader", "agency": None, "duration": "6", "unit": "hours"},
    ]
    return birth_procedure(agencies=[centre], processing_days="1", steps=steps)


@pytest.fixture
def people(centre, applicant):
    return SimpleNamespace(
        desk=officer(centre, username="motcua"),
        leader=officer(centre, Role.LEADER, username="lanhdao"),
        applicant=applicant,
        stranger=citizen(username="nguoila"),
    )


@pytest.fixture
def make_returned(submit, clock, people) -> Callable[..., Dossier]:
    """Return a function taking a dossier of ``applicant`` all the way to its returned result."""

    def make(applicant: Any = None) -> Dossier:
        applicant = applicant or people.applicant
        dossier = submit(applicant=applicant, actor=applicant).dossier
        dossier_receive(dossier=dossier, actor=people.desk, expected_revision=1)
        dossier_complete_step(dossier=dossier, actor=people.desk, expected_revision=2)
        dossier_attach_result(
            dossier=dossier, upload=upload(PDF, "kq.pdf"), actor=people.leader, expected_revision=3
        )
        dossier_complete_step(dossier=dossier, actor=people.leader, expected_revision=4)
        dossier_return_result(
            dossier=dossier, method="electronic", actor=people.desk, expected_revision=5
        )
        returned = Dossier.objects.get(pk=dossier.pk)
        assert returned.status == "returned"
        return returned

    return make


@pytest.fixture
def returned(make_returned) -> Dossier:
    return make_returned()


# --- The criteria -----------------------------------------------------------------------------


def test_the_form_gets_every_criterion_with_its_label_and_allowed_scores():
    criteria = rating_criteria()
    assert [c["code"] for c in criteria] == [
        "total_time",
        "contacts",
        "attitude",
        "on_time",
        "information",
    ]
    assert criteria[2] == {
        "code": "attitude",
        "label": "Thái độ, tinh thần trách nhiệm của cán bộ, công chức",
        "values": [
            {"value": 2, "label": "Hài lòng"},
            {"value": 1, "label": "Bình thường"},
            {"value": 0, "label": "Không hài lòng"},
        ],
    }
    assert all([v["value"] for v in c["values"]] == [2, 1, 0] for c in criteria)
    assert all(isinstance(c["label"], str) and c["label"] for c in criteria)


# --- Rating -----------------------------------------------------------------------------------


def test_the_applicant_rates_a_returned_dossier_once_with_an_audit_entry(returned, clock, people):
    clock(at(24, 10))
    rating = dossier_rate(
        dossier=returned, scores=dict(GOOD), comment="  Cán bộ tận tình.  ", actor=people.applicant
    )

    stored = DossierRating.objects.get()
    assert stored.pk == rating.pk
    assert (stored.dossier_id, stored.applicant_id, stored.scores, stored.comment) == (
        returned.pk,
        people.applicant.pk,
        GOOD,
        "Cán bộ tận tình.",
    )
    assert stored.rated_at == at(24, 10)
    entry = AuditEntry.objects.filter(target_key=returned.code).latest("id")
    assert (entry.action, entry.actor_id, entry.target_type, entry.data) == (
        "dossiers.dossier.rated",
        people.applicant.pk,
        "dossiers.dossier",
        {"scores": GOOD, "has_comment": True},
    )

    before = written_state()
    with pytest.raises(AlreadyRated) as caught:
        dossier_rate(dossier=returned, scores=dict(GOOD), actor=people.applicant)
    assert (caught.value.code, caught.value.status) == ("already_rated", 409)
    assert written_state() == before


def test_only_the_applicant_rates(returned, people):
    before = written_state()
    for intruder in (people.stranger, people.desk, people.leader, None):
        with pytest.raises(NotAllowed) as caught:
            dossier_rate(dossier=returned, scores=dict(GOOD), actor=intruder)
        assert (caught.value.code, caught.value.status) == ("permission_denied", 403)
    assert written_state() == before


def test_a_dossier_not_yet_returned_cannot_be_rated(submit, clock, people):
    dossier = submit().dossier
    dossier_receive(dossier=dossier, actor=people.desk, expected_revision=1)
    before = written_state()
    with pytest.raises(NotReturned) as caught:
        dossier_rate(dossier=dossier, scores=dict(GOOD), actor=people.applicant)
    assert (caught.value.code, caught.value.status) == ("dossier_not_returned", 409)
    assert written_state() == before


@pytest.mark.parametrize(
    ("scores", "comment", "details"),
    [
        (
            {"total_time": 2, "contacts": 2, "attitude": 2},
            "",
            [
                {"field": "on_time", "message": "Hãy chấm điểm tiêu chí này."},
                {"field": "information", "message": "Hãy chấm điểm tiêu chí này."},
            ],
        ),
        (
            {**GOOD, "speed": 2},
            "",
            [{"field": "speed", "message": "Không có tiêu chí đánh giá này."}],
        ),
        (
            {**GOOD, "attitude": 3, "contacts": "2", "on_time": True, "information": 1.0},
            "",
            [
                {"field": "contacts", "message": "Điểm phải là một trong: 2, 1, 0."},
                {"field": "attitude", "message": "Điểm phải là một trong: 2, 1, 0."},
                {"field": "on_time", "message": "Điểm phải là một trong: 2, 1, 0."},
                {"field": "information", "message": "Điểm phải là một trong: 2, 1, 0."},
            ],
        ),
        (
            dict(GOOD),
            "x" * 1001,
            [{"field": "comment", "message": "Ý kiến dài tối đa 1.000 ký tự."}],
        ),
        (
            [2, 2, 2, 2, 2],
            "",
            [{"field": "scores", "message": "Điểm đánh giá phải là một đối tượng."}]
            + [
                {"field": code, "message": "Hãy chấm điểm tiêu chí này."}
                for code in ("total_time", "contacts", "attitude", "on_time", "information")
            ],
        ),
    ],
    ids=["missing", "unknown", "bad_values", "long_comment", "not_an_object"],
)
def test_a_rating_without_an_allowed_score_for_every_criterion_is_refused(
    returned, people, scores, comment, details
):
    before = written_state()
    with pytest.raises(InvalidRating) as caught:
        dossier_rate(dossier=returned, scores=scores, comment=comment, actor=people.applicant)
    assert (caught.value.code, caught.value.status) == ("invalid_rating", 400)
    assert caught.value.details == details
    assert written_state() == before


def test_a_comment_of_exactly_1000_characters_is_kept(returned, people):
    dossier_rate(dossier=returned, scores=dict(GOOD), comment="ý" * 1000, actor=people.applicant)
    assert DossierRating.objects.get().comment == "ý" * 1000


# --- Satisfaction of an agency ----------------------------------------------------------------


def test_an_agencys_satisfaction_counts_each_score_in_one_query(
    make_returned, clock, people, centre, django_assert_num_queries
):
    given = [
        (people.applicant, {"total_time": 2, "contacts": 2, "attitude": 2, "on_time": 2,
                            "information": 2}),
        (citizen(username="cd2"), {"total_time": 0, "contacts": 1, "attitude": 2, "on_time": 0,
                                   "information": 1}),
        (citizen(username="cd3"), {"total_time": 0, "contacts": 0, "attitude": 1, "on_time": 0,
                                   "information": 0}),
    ]  # fmt: skip
    for user, scores in given:
        dossier = make_returned(user)
        dossier_rate(dossier=dossier, scores=scores, actor=user)
    # A rating after the period is not counted.
    late_user = citizen(username="cd4")
    later = make_returned(late_user)
    clock(at(30, 9))
    dossier_rate(dossier=later, scores=dict(GOOD), actor=late_user)

    with django_assert_num_queries(1):
        figures = agency_satisfaction(agency=centre, start=at(20, 0), end=at(28, 0))

    assert figures.ratings == 3
    table = [(c.code, c.counts, c.satisfied, c.share) for c in figures.criteria]
    assert table == [
        ("total_time", {2: 1, 1: 0, 0: 2}, 1, Decimal("0.3333")),
        ("contacts", {2: 1, 1: 1, 0: 1}, 2, Decimal("0.6667")),
        ("attitude", {2: 2, 1: 1, 0: 0}, 3, Decimal("1.0000")),
        ("on_time", {2: 1, 1: 0, 0: 2}, 1, Decimal("0.3333")),
        ("information", {2: 1, 1: 1, 0: 1}, 2, Decimal("0.6667")),
    ]
    assert figures.criteria[0].label == "Tổng thời gian giải quyết so với thời gian theo quy định"


def test_an_agency_without_ratings_in_the_period_has_no_share(returned, people, centre):
    dossier_rate(dossier=returned, scores=dict(GOOD), actor=people.applicant)
    figures = agency_satisfaction(agency=centre, start=at(1, 0), end=at(20, 0))
    assert figures.ratings == 0
    assert [(c.satisfied, c.share) for c in figures.criteria] == [(0, None)] * 5
    elsewhere = agency_satisfaction(agency=AgencyFactory(), start=at(1, 0), end=at(30, 0))
    assert elsewhere.ratings == 0
