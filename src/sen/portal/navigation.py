"""What the main navigation offers the person signed in, besides the citizen's pages, and
where they land after signing in.

The citizen's pages, "Hồ sơ của tôi" included, stay in everyone's menu: an account is a
person, and an officer applies online as a citizen with the same account (the submission
takes any signed-in account as the applicant), so their own dossiers are found there.

Officers get their workspace (``/can-bo/``) and the operations dashboard (IOC, ``/ioc/``),
which reads at least their own agency (``sen.reports.access``); anyone whose agency
reports periodically, the province's administrators and its leaders (of its people's
committee, who read its reports) get periodic reporting. Worked out once per request: one
query for a citizen, two for an officer (their roles, which the user object then remembers
for the page's own access checks, and whether periodic reporting has work for them), none
for a visitor.
"""

from dataclasses import dataclass

from django.http import HttpRequest

from sen.core.models import Role
from sen.core.selectors import AnyUser, officer_agencies, officer_roles
from sen.dossiers.register import REGISTER_ROLES
from sen.dossiers.selectors import dossiers_reach
from sen.periodic.selectors import has_periodic_work
from sen.reports.access import reads_any_unit

_CACHE_ATTRIBUTE = "_sen_staff_navigation"
# The roles that oversee rather than process. An officer holding only these, in agencies
# that dossiers do not reach (a provincial committee, as a rule), works from the dashboard.
OVERSIGHT_ROLES = frozenset({Role.LEADER, Role.PROVINCE_ADMIN})


@dataclass(frozen=True)
class StaffNavigation:
    """Which staff pages the main navigation links to."""

    workspace: bool = False
    periodic: bool = False
    dashboard: bool = False
    # Within the workspace: the desk's intake, and the register (the roles each page takes).
    intake: bool = False
    register: bool = False


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
    periodic = superuser or Role.PROVINCE_ADMIN in roles or has_periodic_work(user)
    return StaffNavigation(
        workspace=bool(roles),
        periodic=periodic,
        # The dashboard's own rule, so that the link is there exactly when the page opens.
        dashboard=reads_any_unit(user),
        intake=Role.ONE_STOP_OFFICER in roles,
        register=bool(roles & set(REGISTER_ROLES)),
    )


def lands_on(request: HttpRequest) -> str:
    """Return the URL name a person lands on after signing in without ``next``.

    An officer lands on their workspace's queue, unless they only oversee (leader or
    provincial administrator) in agencies that no dossier reaches: an empty queue is no
    place to start for them, the operations dashboard is. Anyone else lands on their own
    dossiers. Worked out afresh (the user just changed); the oversight check costs two or
    three small queries, for those who hold only oversight roles, once per sign-in.
    """
    navigation = _work_out(request)
    if not navigation.workspace:
        return "portal:my_dossiers"
    if _only_oversees(request.user) and navigation.dashboard:
        return "reports:ioc"
    return "workspace:queue"


def _only_oversees(user: AnyUser) -> bool:
    if not officer_roles(user) <= OVERSIGHT_ROLES:
        return False
    return not dossiers_reach(agencies=list(officer_agencies(user)))
