"""Factories of the core app's models, for tests of this and other apps."""

import factory

from sen.core.models import AdministrativeUnit, Agency, AgencyKind, Membership, Role, User
from sen.core.text import fold


class ProvinceFactory(factory.django.DjangoModelFactory):
    """A current province; codes from 90 up so as not to meet real ones loaded beside."""

    class Meta:
        model = AdministrativeUnit
        django_get_or_create = ("level", "code", "is_legacy")

    level = "province"
    code = factory.Sequence(lambda n: f"{90 + n % 10:02d}")
    name = factory.Sequence(lambda n: f"Tỉnh Thử Nghiệm {n}")
    folded_name = factory.LazyAttribute(lambda unit: fold(unit.name))
    division_type = "tỉnh"
    is_legacy = False


class CommuneFactory(ProvinceFactory):
    level = "commune"
    code = factory.Sequence(lambda n: f"{90000 + n:05d}")
    name = factory.Sequence(lambda n: f"Xã Thử Nghiệm {n}")
    division_type = "xã"
    parent = factory.SubFactory(ProvinceFactory)


class AgencyFactory(factory.django.DjangoModelFactory):
    """A department of a province; ``kind``/``unit`` to make another kind."""

    class Meta:
        model = Agency

    code = factory.Sequence(lambda n: f"000.{n % 100:02d}.{n // 100 % 100:02d}.H90")
    name = factory.Sequence(lambda n: f"Sở Thử Nghiệm {n}")
    kind = AgencyKind.DEPARTMENT
    unit = factory.SubFactory(ProvinceFactory)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"canbo{n}")
    full_name = factory.Sequence(lambda n: f"Nguyễn Văn {n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@sen.example")
    password = factory.django.Password("mat-khau-thu-nghiem")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    agency = factory.SubFactory(AgencyFactory)
    role = Role.SPECIALIST
