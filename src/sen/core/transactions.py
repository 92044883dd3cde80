"""A transaction that writes files to storage beside its rows."""

from collections.abc import Iterator
from contextlib import contextmanager

from django.core.files.storage import Storage, default_storage
from django.db import transaction


@contextmanager
def atomic_with_files(storage: Storage = default_storage) -> Iterator[list[str]]:
    """Run the block in a transaction; yield the list it appends the names it stores to.

    A failure inside the block rolls the rows back and deletes those files: nothing is left
    half-written. A failure of the commit itself (the database's answer lost, say) leaves
    them: the commit may have happened, and a dossier whose papers were deleted is worse
    than a file no row names.
    """
    stored: list[str] = []
    committing = False
    try:
        with transaction.atomic():
            yield stored
            committing = True
    except BaseException:
        if not committing:
            for name in stored:
                storage.delete(name)
        raise
