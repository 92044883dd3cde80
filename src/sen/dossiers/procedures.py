"""The procedure version a submission is checked against, with its parts cached in-process.

A procedure version is never edited once published, only superseded (``sen.catalog``): its
components, fees, steps and implementations are the same for every submission under it. So
the parts are read once per process and version, and a submission pays one query to find
which version of the code is current, which is always read fresh, so that a newly
published version is used at once. Agencies are not part of a version (one can be closed
at any time): the submission reads the receiving agency itself.
"""

import threading
from collections import OrderedDict

from sen.catalog.models import Procedure
from sen.catalog.selectors import procedure_missing, procedures_with_parts

# Versions kept per process: a province publishes about 1,700 procedures, most never used.
CACHE_SIZE = 1024

_versions: OrderedDict[int, Procedure] = OrderedDict()
_lock = threading.Lock()


def current_procedure(*, code: str) -> Procedure:
    """Return the current version of procedure ``code`` with its parts; one query when cached.

    Raise ``ProcedureNotFound`` for an unknown code (``ProcedureAbolished`` for an abolished
    one). The instance is shared by the
    process's threads: read it, never change it.
    """
    # One current version per code (a unique constraint): no ORDER BY needed.
    current = Procedure.objects.filter(code=code, is_current=True).order_by()
    found = list(current.values_list("pk", flat=True)[:1])
    if not found:
        raise procedure_missing(code)
    [pk] = found
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


def procedure_cache_clear() -> None:
    """Forget the cached versions (tests, whose rolled-back ids come back with other data)."""
    with _lock:
        _versions.clear()
