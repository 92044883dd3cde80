"""What an action on a dossier may write, for the tests that check a refusal wrote nothing.

A test takes ``written_state()`` before an action that must be refused or denied and asserts
that it is equal afterwards. It reads the whole database, not one dossier's rows, so that a
write to another dossier, a counter or the audit log is caught too.
"""

from typing import Any

from django.core.files.storage import default_storage
from django.db.models import Model
from django_tasks_db.models import DBTaskResult

from sen.core.models import AuditEntry
from sen.dossiers.models import (
    ClockStop,
    DailySequence,
    Dossier,
    DossierEvent,
    DossierFile,
    DossierNotice,
    DossierRating,
    DossierResult,
    IdempotencyKey,
    RegisterSequence,
    StepRecord,
)
from sen.reports.models import (
    AgencyMonth,
    DossierFact,
    OpenLateDay,
    ProcedureMonth,
    ProvinceMonth,
    ProvinceProcedureMonth,
)

# Every table a service of sen.dossiers writes, in its own transaction or on commit.
WRITTEN: tuple[type[Model], ...] = (
    # The dossier, its history and what hangs on it.
    Dossier,
    DossierEvent,
    DossierNotice,
    DossierFile,
    DossierResult,
    StepRecord,
    ClockStop,
    DossierRating,
    IdempotencyKey,
    DailySequence,
    RegisterSequence,
    # The audit log, read of personal data included.
    AuditEntry,
    # The indicators' counters and live rows (sen.reports.services).
    DossierFact,
    AgencyMonth,
    ProcedureMonth,
    ProvinceMonth,
    ProvinceProcedureMonth,
    OpenLateDay,
    # Queued tasks, when the queue is the database (tests run them inline: see the notices).
    DBTaskResult,
)


def written_state() -> dict[str, Any]:
    """Return every row of the tables an action may write, by model name, and the names of
    every stored file (under ``"stored"``)."""
    rows = {model.__name__: list(model.objects.order_by("pk").values()) for model in WRITTEN}
    return {**rows, "stored": stored_names()}


def stored_names(path: str = "") -> list[str]:
    """Return every file name in the default storage, recursively."""
    try:
        folders, files = default_storage.listdir(path)
    except FileNotFoundError:
        return []
    names = [f"{path}{name}" for name in files]
    for folder in folders:
        names += stored_names(f"{path}{folder}/")
    return sorted(names)
