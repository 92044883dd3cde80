"""How often one client address may do a thing a minute: public lookups anyone can script.

A fixed window per minute, counted in the cache (Redis in production, shared by every
process; each process's own memory without it). Where the cache fails, nothing is counted
and nothing refused: the limit slows scripts down, it does not guard data.
"""

from django.core.cache import cache
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from sen.core.requests import client_ip
from sen.errors import DomainError

WINDOW = 60


class RateLimited(DomainError):
    """The client address asked more than its allowance this minute."""

    code = "too_many_requests"
    status = 429

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


def check_rate(request: HttpRequest, *, scope: str, per_minute: int | None) -> None:
    """Count this request of ``scope`` against its client address's ``per_minute``; raise
    ``RateLimited`` (with the seconds until the next minute) past it. ``None``: no limit."""
    if per_minute is None:
        return
    now = timezone.now().timestamp()
    window = int(now // WINDOW)
    key = f"sen:rate:{scope}:{client_ip(request)}:{window}"
    cache.add(key, 0, timeout=WINDOW * 2)
    try:
        count = cache.incr(key)
    except ValueError:  # gone between the two calls (evicted); count this one alone
        return
    if count is not None and count > per_minute:
        retry_after = max(1, WINDOW * (window + 1) - int(now))
        raise RateLimited(
            _(
                "Địa chỉ của bạn đã gửi quá %(limit)d yêu cầu loại này trong một phút; hãy thử "
                "lại sau %(seconds)d giây."
            )
            % {"limit": per_minute, "seconds": retry_after},
            retry_after=retry_after,
        )
