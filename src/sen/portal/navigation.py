"""What the main navigation offers the person signed in, besides the citizen's pages.

The citizen's pages, "Hồ sơ của tôi" included, stay in everyone's menu: an account is a
person, and an officer applies online as a citizen with the same account (the submission
takes any signed-in account as the applicant), so their own dossiers are found there.

Officers get their workspace (``/can-bo/``); anyone whose agency reports periodically, and
the province's administrators, get periodic reporting; leaders and province administrators
will get the operations dashboard (IOC). Worked out once per request: one query for a
citizen, two for an officer (their roles, which the user object then remembers for the
page's own access checks, and their reporting duty), none for a visitor.
"""

from dataclasses import dataclass

from django.http import HttpRequest

from sen.core.models import Role
from sen.core.selectors import officer_roles
from sen.periodic.selectors import has_reporting_duty

_CACHE_ATTRIBUTE = "_sen_staff_navigation"
# Who will see the operations dashboard (IOC).
DASHBOARD_ROLES = {Role.LEADER, Role.PROVINCE_ADMIN}


@dataclass(frozen=True)
class StaffNavigation:
    """Which staff pages the main navigation links to."""

    workspace: bool = False
    periodic: bool = False
    dashboard: bool = False


NONE = StaffNavigation()


def staff_navigation(request: HttpRequest) -> StaffNavigation:
    """Return the staff pages ``request.user`` may use (cached on the request)."""
    cached = getattr(request, _CACHE_ATTRIBUTE, None)
    if isinstance(cached, StaffNavigation):
        return cached
    navigation = _work_out(request)
    setattr(request, _CACHE_ATTRIBUTE, navigation)
    return navigation


def _work_out(request: HttpRequest) -> StaffNavigation:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return NONE
    roles = officer_roles(user)
    superuser = bool(getattr(user, "is_superuser", False))
    if not roles and not superuser:
        return NONE
    periodic = superuser or Role.PROVINCE_ADMIN in roles or has_reporting_duty(user)
    return StaffNavigation(
        workspace=bool(roles),
        periodic=periodic,
        dashboard=superuser or bool(roles & DASHBOARD_ROLES),
    )


def lands_on(request: HttpRequest) -> str:
    """Return the URL name a person lands on after signing in without ``next``: an officer
    their workspace, anyone else their dossiers. Worked out afresh: the user just changed."""
    return "workspace:queue" if _work_out(request).workspace else "portal:my_dossiers"
