"""Factories of the working-day calendar's tests."""

import datetime

import factory

from sen.core.models import AdministrativeUnit, Agency, AgencyKind, UnitLevel, User
from sen.workdays.models import CalendarEntry, EntryKind, OfficeHours


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"quantri{n}")
    full_name = "Nguyễn Văn An"


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

    code = factory.Sequence(lambda n: f"000.00.{n % 100:02d}.H37")
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
