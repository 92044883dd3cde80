"""What one dossier contributes to the monthly counters: the progress rules of the index."""

from datetime import date, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from sen.reports.facts import (
    RESULT,
    STOPPED,
    WITHDRAWN,
    DossierFacts,
    contribution,
    late_from,
    open_late_day,
    outcome,
)
from sen.tests.clock import at

NOV, DEC = date(2026, 11, 1), date(2026, 12, 1)


def received(**changes: object) -> DossierFacts:
    """A dossier submitted online and received Fri 20/11 09:00, due Mon 23/11 13:00."""
    values: dict[str, object] = {
        "channel": "online",
        "online_capable": True,
        "submitted_at": at(20, 8),
        "received_at": at(20, 9),
        "original_due_at": at(23, 13),
    }
    values.update(changes)
    return DossierFacts(**values)  # type: ignore[arg-type]


def test_a_dossier_finished_before_its_due_day_counts_early():
    facts = received(finished_at=at(20, 16), ending=RESULT, result_file=True)
    assert outcome(facts) == "early"
    assert contribution(facts) == {
        NOV: {
            "submitted": 1,
            "received": 1,
            "received_online": 1,
            "online_capable": 1,
            "online_capable_online": 1,
            "resolved": 1,
            "resolved_early": 1,
            "processing_seconds": 7 * 3600,
            "with_result": 1,
            "electronic_result": 1,
        }
    }


def test_finished_on_the_due_day_is_on_time_and_after_the_due_moment_late():
    assert outcome(received(finished_at=at(23, 12), ending=RESULT)) == "on_time"
    assert outcome(received(finished_at=at(23, 14), ending=RESULT)) == "late"


def test_more_than_one_supplement_request_counts_late_however_fast():
    facts = received(finished_at=at(20, 10), ending=RESULT, supplement_count=2)
    assert outcome(facts) == "late"


def test_a_stopped_dossier_is_judged_and_a_withdrawn_one_is_not():
    assert outcome(received(finished_at=at(24, 9), ending=STOPPED)) == "late"
    withdrawn = received(finished_at=at(24, 9), ending=WITHDRAWN)
    assert outcome(withdrawn) is None
    assert contribution(withdrawn)[NOV]["withdrawn"] == 1
    assert "resolved" not in contribution(withdrawn)[NOV]


def test_an_unfinished_dossier_is_open_from_its_receipt_and_late_from_its_due_moment():
    facts = received(original_due_at=at(2, 9, month=12))
    assert contribution(facts)[NOV]["open_delta"] == 1
    assert contribution(facts)[DEC] == {"open_late_delta": 1}


def test_while_the_clock_is_stopped_the_dossier_is_judged_at_the_stop():
    waiting_in_time = received(clock_stopped_at=at(23, 9))
    waiting_late = received(clock_stopped_at=at(24, 9))
    assert late_from(waiting_in_time) is None
    assert late_from(waiting_late) == at(23, 13)


def test_a_dossier_finished_late_in_the_next_month_was_late_and_open_at_the_month_end():
    facts = received(original_due_at=at(27, 9), finished_at=at(3, 9, month=12), ending=RESULT)
    counted = contribution(facts)
    assert counted[NOV]["open_delta"] == 1 and counted[NOV]["open_late_delta"] == 1
    assert counted[DEC]["open_delta"] == -1 and counted[DEC]["open_late_delta"] == -1
    assert counted[DEC]["resolved_late"] == 1


moments = st.integers(min_value=0, max_value=24 * 90).map(
    lambda hours: datetime(2026, 10, 1, 8, tzinfo=at(1, 0).tzinfo) + timedelta(hours=hours)
)


@st.composite
def any_facts(draw: st.DrawFn) -> DossierFacts:
    submitted = draw(moments)
    receipt = draw(
        st.one_of(st.none(), st.just(submitted + timedelta(hours=draw(st.integers(0, 50)))))
    )
    finished = draw(st.one_of(st.none(), moments))
    return DossierFacts(
        channel=draw(st.sampled_from(["desk", "online", "post"])),
        online_capable=draw(st.booleans()),
        submitted_at=submitted,
        received_at=receipt,
        finished_at=finished,
        ending=draw(st.sampled_from(["", RESULT, STOPPED, WITHDRAWN])) if finished else "",
        original_due_at=draw(st.one_of(st.none(), moments)),
        clock_stopped_at=draw(st.one_of(st.none(), moments)),
        supplement_count=draw(st.integers(0, 2)),
        digitized=draw(st.booleans()),
        result_file=draw(st.booleans()),
        rated_at=draw(st.one_of(st.none(), moments)),
        rating_satisfied=draw(st.booleans()),
    )


@given(any_facts())
def test_every_received_dossier_is_open_until_it_finishes(facts):
    counted = contribution(facts)
    opened = sum(values.get("open_delta", 0) for values in counted.values())
    late = sum(values.get("open_late_delta", 0) for values in counted.values())
    still_open = facts.received_at is not None and facts.finished_at is None
    assert opened == int(still_open)
    assert late in (0, 1) and late <= opened


def test_an_open_dossier_is_counted_on_the_day_it_becomes_late_and_nowhere_once_finished():
    assert open_late_day(received()) == date(2026, 11, 23)
    assert open_late_day(received(supplement_count=2)) == date(2026, 11, 20)
    assert open_late_day(received(clock_stopped_at=at(21, 9))) is None  # stopped in time
    assert open_late_day(received(finished_at=at(20, 16), ending=RESULT)) is None
    assert open_late_day(received(received_at=None)) is None
