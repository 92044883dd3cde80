"""Catalog rows for the portal's tests, built directly with the ORM.

The portal only reads the catalog; these factories do not go through catalog services so
that the pages can be tested on their own. Units, agencies and fields are the catalog's.
"""

from decimal import Decimal

import factory
from django.contrib.postgres.search import SearchVector
from django.db import connection
from django.db.models import Value

from sen.catalog.models import (
    DocumentComponent,
    DurationUnit,
    Fee,
    FeeKind,
    Implementation,
    OnlineLevel,
    Procedure,
    ProcedureLevel,
    ProcessStep,
)
from sen.catalog.search import search_document, search_phrase
from sen.catalog.tests.factories import FieldFactory
from sen.core.models import Role


class ProcedureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Procedure
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"9.{n:06d}")
    name = factory.Sequence(lambda n: f"Thủ tục thử số {n}")
    field = factory.SubFactory(FieldFactory)
    online_level = OnlineLevel.PARTIAL
    processing_days = Decimal(5)
    is_current = True
    version = 1
    search_text = factory.LazyAttribute(
        lambda p: search_document(name=p.name, code=p.code, field_name=p.field.name)
    )
    search_name = factory.LazyAttribute(lambda p: search_phrase(p.name))

    @factory.post_generation
    def search_vector(self, create: bool, extracted: object, **kwargs: object) -> None:
        """Fill the PostgreSQL search vector the way the catalog's services do."""
        if create and connection.vendor == "postgresql":
            Procedure.objects.filter(pk=self.pk).update(
                search_vector=SearchVector(Value(self.search_text), config="simple")
            )


class ImplementationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Implementation

    procedure = factory.SubFactory(ProcedureFactory)
    position = factory.Sequence(lambda n: n + 1)
    level = ProcedureLevel.COMMUNE
    agency = None


class DocumentComponentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DocumentComponent

    procedure = factory.SubFactory(ProcedureFactory)
    position = factory.Sequence(lambda n: n + 1)
    name = factory.Sequence(lambda n: f"Giấy tờ số {n}")
    originals = 1
    copies = 0
    required = True


class FeeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Fee

    procedure = factory.SubFactory(ProcedureFactory)
    position = factory.Sequence(lambda n: n + 1)
    kind = FeeKind.FEE
    amount = 0


class ProcessStepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProcessStep

    procedure = factory.SubFactory(ProcedureFactory)
    position = factory.Sequence(lambda n: n + 1)
    name = factory.Sequence(lambda n: f"Bước {n}")
    role = Role.SPECIALIST
    duration = Decimal(1)
    unit = DurationUnit.DAYS
