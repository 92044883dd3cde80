"""Factories of the working-day calendar's tests."""

import datetime

import factory

from sen.core.models import (
    AdministrativeUnit,
    Agency,
    AgencyKind,
    Membership,
    Role,
    UnitLevel,
    User,
)
from sen.workdays.models import CalendarEntry, EntryKind, OfficeHours


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"quantri{n}")
    full_name = "Nguyễn Văn An"


class SuperuserFactory(UserFactory):
    username = factory.Sequence(lambda n: f"sieuquantri{n}")
    is_staff = True
    is_superuser = True


class ProvinceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AdministrativeUnit

    code = factory.Sequence(lambda n: f"{n % 100:02d}")
    name = "Ninh Bình"
    division_type = "tỉnh"
    level = UnitLevel.PROVINCE


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    code = factory.Sequence(lambda n: f"X{n // 100 % 100:02d}.{n % 100:02d}.00.H37")
    name = factory.Sequence(lambda n: f"Ủy ban nhân dân xã số {n}")
    kind = AgencyKind.COMMUNE_COMMITTEE
    unit = factory.SubFactory(ProvinceFactory)


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


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    agency = factory.SubFactory(AgencyFactory)
    role = Role.SPECIALIST


def province_admin(username: str = "quantritinh") -> User:
    """Return an officer holding the provincial administrator role in a provincial agency."""
    membership = MembershipFactory(
        user=UserFactory(username=username),
        agency=AgencyFactory(kind=AgencyKind.PROVINCIAL_COMMITTEE),
        role=Role.PROVINCE_ADMIN,
    )
    return membership.user
