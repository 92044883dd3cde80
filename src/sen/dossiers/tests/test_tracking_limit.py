"""Public tracking answers a few lookups a minute per address, so no script reads every
dossier of a day by walking its codes (``SEN_TRACKING_PER_MINUTE``)."""

from datetime import timedelta

import pytest
from django.core.cache import cache

from sen.core.ratelimit import RateLimited
from sen.dossiers.selectors import check_tracking_rate
from sen.tests.clock import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def limit(settings, clock) -> int:
    settings.SEN_TRACKING_PER_MINUTE = 3
    cache.clear()
    clock(at(20, 9, 0) + timedelta(seconds=15))
    return 3


def test_an_address_past_its_lookups_of_the_minute_waits_for_the_next(client, limit, clock, submit):
    code = submit().dossier.code

    # When one address looks up three codes by the API, a fourth by the API, and a fifth on
    # the tracking page, all in the same minute
    answers = [client.get(f"/api/v1/tracking/{code}").status_code for _ in range(limit)]
    refused = client.get(f"/api/v1/tracking/{code}-0{limit}")
    page = client.get(f"/tra-cuu/{code}/")

    # Then the fourth and fifth are refused, saying when to come back, whether the code
    # exists or not
    assert answers == [200] * limit
    assert refused.status_code == page.status_code == 429
    assert refused["Retry-After"] == page["Retry-After"] == "45"
    assert refused.json()["error"]["code"] == "too_many_requests"
    message = (
        "Địa chỉ của bạn đã gửi quá 3 yêu cầu loại này trong một phút; hãy thử lại sau 45 giây."
    )
    assert refused.json()["error"]["message"] == message
    assert message in page.content.decode()
    assert "Đăng ký khai sinh" not in page.content.decode()

    # and another address still may; the next minute, this one again
    assert client.get(f"/api/v1/tracking/{code}", REMOTE_ADDR="10.0.0.2").status_code == 200
    clock(at(20, 9, 1))
    assert client.get(f"/tra-cuu/{code}/").status_code == 200


def test_without_a_limit_every_lookup_is_answered(client, settings, submit):
    settings.SEN_TRACKING_PER_MINUTE = None
    code = submit().dossier.code

    answers = {client.get(f"/api/v1/tracking/{code}").status_code for _ in range(100)}

    assert answers == {200}


def test_the_page_and_the_api_count_their_lookups_by_one_rule(client, rf, limit, submit):
    """``check_tracking_rate`` is what both doors call: lookups it counted for an address
    leave that address none on the page nor by the API, and its refusal is the same."""
    code = submit().dossier.code
    for _ in range(limit):
        check_tracking_rate(rf.get("/", REMOTE_ADDR="127.0.0.1"))

    with pytest.raises(RateLimited) as refused:
        check_tracking_rate(rf.get("/", REMOTE_ADDR="127.0.0.1"))

    assert refused.value.retry_after == 45
    assert client.get(f"/api/v1/tracking/{code}").status_code == 429
    assert client.get(f"/tra-cuu/{code}/").status_code == 429
    assert client.get(f"/tra-cuu/{code}/", REMOTE_ADDR="10.0.0.2").status_code == 200
