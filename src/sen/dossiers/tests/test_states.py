"""The dossier state machine: every (status, action) pair answers as the table says."""

import itertools

import pytest

from sen.dossiers.states import (
    NATIONAL_CHANNEL,
    NATIONAL_STATUS,
    Action,
    Channel,
    DossierStatus,
    TransitionNotAllowed,
    next_status,
)

S = DossierStatus
EXPECTED = {
    (None, Action.SUBMIT): S.SUBMITTED,
    (S.SUBMITTED, Action.RECEIVE): S.RECEIVED,
    (S.SUBMITTED, Action.REQUEST_SUPPLEMENT): S.SUPPLEMENT_REQUESTED,
    (S.SUPPLEMENT_REQUESTED, Action.SUBMIT_SUPPLEMENT): S.SUBMITTED,
    (S.SUBMITTED, Action.REFUSE): S.REFUSED,
    (S.SUPPLEMENT_REQUESTED, Action.REFUSE): S.REFUSED,  # before receipt only
    (S.SUBMITTED, Action.WITHDRAW): S.WITHDRAWN,
    (S.RECEIVED, Action.WITHDRAW): S.WITHDRAWN,
    (S.PROCESSING, Action.WITHDRAW): S.WITHDRAWN,
    (S.SUPPLEMENT_REQUESTED, Action.WITHDRAW): S.WITHDRAWN,
    (S.RECEIVED, Action.COMPLETE_STEP): S.PROCESSING,
    (S.PROCESSING, Action.COMPLETE_STEP): S.PROCESSING,
    (S.PROCESSING, Action.SEND_BACK): S.PROCESSING,
    (S.RECEIVED, Action.FINISH_PROCESSING): S.RESULT_READY,
    (S.PROCESSING, Action.FINISH_PROCESSING): S.RESULT_READY,
    (S.PROCESSING, Action.ATTACH_RESULT): S.PROCESSING,
    (S.PROCESSING, Action.GENERATE_RESULT): S.PROCESSING,
    (S.PROCESSING, Action.REMOVE_RESULT): S.PROCESSING,
    (S.PROCESSING, Action.REQUEST_SUPPLEMENT): S.SUPPLEMENT_REQUESTED,
    (S.SUPPLEMENT_REQUESTED, Action.SUBMIT_SUPPLEMENT_IN_PROCESSING): S.PROCESSING,
    (S.RECEIVED, Action.APOLOGIZE): S.RECEIVED,
    (S.PROCESSING, Action.APOLOGIZE): S.PROCESSING,
    (S.RECEIVED, Action.STOP): S.STOPPED,
    (S.PROCESSING, Action.STOP): S.STOPPED,
    (S.SUPPLEMENT_REQUESTED, Action.STOP): S.STOPPED,  # after receipt only
    (S.RESULT_READY, Action.RETURN_RESULT): S.RETURNED,
    # Deadlines moved by a day declared off, while the dossier's time runs or stands still.
    (S.RECEIVED, Action.RESCHEDULE): S.RECEIVED,
    (S.PROCESSING, Action.RESCHEDULE): S.PROCESSING,
    (S.SUPPLEMENT_REQUESTED, Action.RESCHEDULE): S.SUPPLEMENT_REQUESTED,
}
PAIRS = list(itertools.product([None, *DossierStatus], Action))


@pytest.mark.parametrize(("status", "action"), PAIRS)
def test_every_status_and_action_answers_as_the_one_stop_table_says(status, action):
    expected = EXPECTED.get((status, action))
    if expected is not None:
        assert next_status(status, action) == expected
    else:
        with pytest.raises(TransitionNotAllowed) as caught:
            next_status(status, action)
        assert caught.value.code == "transition_not_allowed"
        assert caught.value.status == 409


def test_a_refused_dossier_cannot_be_received_and_the_message_says_why_in_vietnamese():
    with pytest.raises(TransitionNotAllowed) as caught:
        next_status("refused", "receive")
    assert caught.value.message == (
        "Không thể tiếp nhận hồ sơ khi hồ sơ đang ở trạng thái “Từ chối”."
    )


def test_statuses_and_channels_map_to_the_national_portal_codes():
    assert dict(NATIONAL_STATUS) == {
        "submitted": 1,
        "received": 2,
        "refused": 3,
        "processing": 4,
        "supplement_requested": 5,
        "withdrawn": 7,
        "stopped": 8,
        "result_ready": 9,
        "returned": 10,
    }
    assert set(NATIONAL_STATUS) == set(DossierStatus)
    assert dict(NATIONAL_CHANNEL) == {"desk": 1, "online": 2, "post": 3}
    assert set(NATIONAL_CHANNEL) == set(Channel)
