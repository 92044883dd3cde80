"""What a submission is checked against, remembered in-process: the procedure version and
the agency that receives it.

A procedure version is never edited once published, only superseded (``sen.catalog``): its
components, fees, steps and implementations are the same for every submission under it. So
its parts are read once per process and version.

Which version of a code is current, and the receiving agency's row (an agency can be closed
at any time), do change. Each process reads them again once what it read is a second old
(``FRESH_FOR``), and at once after a procedure or an agency is written in the process
(``forget_catalog``, connected to their ``post_save`` and ``post_delete`` and to the
catalog's ``procedures_published``). So a version published, or an agency closed, through
another server process is used by this one within a second: no applicant can tell that
second from the time their request took to arrive. At hundreds of submissions a second,
those two reads were about a tenth of a submission's work (ADR 0012, decision 8).

The instances are shared by the process's threads: read them, never change them. The
agency is handed out as a copy, as a dossier created with it keeps it.
"""

import copy
import threading
import time
from collections import OrderedDict
from typing import Any

from django.db import transaction

from sen.catalog.models import Procedure
from sen.catalog.selectors import procedure_missing, procedures_with_parts
from sen.core.models import Agency

# Versions kept per process: a province publishes about 1,700 procedures, most never used.
CACHE_SIZE = 1024
# How long a process trusts which version is current and what an agency's row says.
FRESH_FOR = 1.0  # seconds

_versions: OrderedDict[int, Procedure] = OrderedDict()
# Procedure code → (when read, the current version's id).
_current: dict[str, tuple[float, int]] = {}
# ("pk", id) or ("code", code) → (when read, the agency).
_agencies: dict[tuple[str, Any], tuple[float, Agency]] = {}
_lock = threading.Lock()
# The clock the second is measured on; a test moves it.
_clock = time.monotonic


def current_procedure(*, code: str) -> Procedure:
    """Return the current version of procedure ``code`` with its parts.

    No query when the process read the code's current version less than a second ago, one
    when it knows the version's parts. Raise ``ProcedureNotFound`` for an unknown code
    (``ProcedureAbolished`` for an abolished one), which is never remembered.
    """
    pk = _recent(_current, code)
    if pk is None:
        # One current version per code (a unique constraint): no ORDER BY needed.
        current = Procedure.objects.filter(code=code, is_current=True).order_by()
        found = list(current.values_list("pk", flat=True)[:1])
        if not found:
            raise procedure_missing(code)
        [pk] = found
        _remember(_current, code, pk)
    with _lock:
        cached = _versions.get(pk)
        if cached is not None:
            _versions.move_to_end(pk)
            return cached
    # Read outside the lock; two threads may both read a version, and either copy will do.
    version = procedures_with_parts(Procedure.objects.filter(pk=pk)).get()
    with _lock:
        _versions[pk] = version
        while len(_versions) > CACHE_SIZE:
            _versions.popitem(last=False)
    return version


def agency_row(*, pk: int | None = None, code: str | None = None) -> Agency | None:
    """Return the agency with id ``pk``, or else with code ``code``, or None if none has it.

    No query when the process read it less than a second ago; an agency not found is never
    remembered. The copy returned is the caller's own.
    """
    key = ("pk", pk) if pk is not None else ("code", code)
    agency = _recent(_agencies, key)
    if agency is None:
        found = Agency.objects.filter(pk=pk) if pk is not None else Agency.objects.filter(code=code)
        # At most one agency matches (by id, or by its unique code).
        agency = next(iter(found.order_by()[:1]), None)
        if agency is None:
            return None
        _remember(_agencies, key, agency)
    return copy.copy(agency)


def forget_catalog(**kwargs: Any) -> None:
    """Forget which versions are current and the agencies read, now and once the change
    being written commits (a thread may read the row as it was before the commit)."""
    _forget_what_changes()
    transaction.on_commit(_forget_what_changes)


def catalog_cache_clear() -> None:
    """Forget everything (tests, whose rolled-back ids come back with other data)."""
    with _lock:
        _versions.clear()
    _forget_what_changes()


def _forget_what_changes() -> None:
    with _lock:
        _current.clear()
        _agencies.clear()


def _recent(remembered: dict[Any, tuple[float, Any]], key: Any) -> Any:
    """Return what ``remembered`` holds for ``key`` if it is less than ``FRESH_FOR`` old."""
    entry = remembered.get(key)
    if entry is None or _clock() - entry[0] >= FRESH_FOR:
        return None
    return entry[1]


def _remember(remembered: dict[Any, tuple[float, Any]], key: Any, value: Any) -> None:
    with _lock:
        # A process meets as many codes and agencies as the province has: past that, a key
        # seen once (a mistyped code) is not worth a sweep, so start again.
        if len(remembered) >= CACHE_SIZE:
            remembered.clear()
        remembered[key] = (_clock(), value)
