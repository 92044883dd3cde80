"""Factories of the working-day calendar's tests."""

import datetime

import factory

from sen.core.models import AgencyKind, Role, User
from sen.core.tests.factories import AgencyFactory, MembershipFactory, UserFactory
from sen.workdays.models import CalendarEntry, EntryKind, OfficeHours


class SuperuserFactory(UserFactory):
    username = factory.Sequence(lambda n: f"sieuquantri{n}")
    is_staff = True
    is_superuser = True


class CalendarEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CalendarEntry

    date = datetime.date(2027, 2, 20)
    kind = EntryKind.WORKING_DAY
    name = "Làm bù cho thứ Năm 04/02/2027"
    legal_basis = "Thông báo của Chính phủ về lịch nghỉ lễ năm 2027"


class OfficeHoursFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OfficeHours

    agency = factory.SubFactory(AgencyFactory)
    schedule = {
        day: [["07:30", "11:30"], ["13:30", "17:30"]] for day in ("mon", "tue", "wed", "thu", "fri")
    } | {"sat": [["07:30", "11:30"]]}


def province_admin(username: str = "quantritinh") -> User:
    """Return an officer holding the provincial administrator role in a provincial agency."""
    membership = MembershipFactory(
        user=UserFactory(username=username),
        agency=AgencyFactory(kind=AgencyKind.PROVINCIAL_COMMITTEE),
        role=Role.PROVINCE_ADMIN,
    )
    return membership.user
