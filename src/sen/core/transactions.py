"""A transaction that writes files to storage beside its rows."""

import logging
from collections.abc import Iterator
from contextlib import contextmanager, suppress

from django.core.files.base import File
from django.core.files.storage import Storage, default_storage
from django.db import transaction
from django.utils.translation import gettext as _

from sen.core.errors import StorageUnavailable

logger = logging.getLogger(__name__)


class StoredFiles:
    """The files a transaction stores (``atomic_with_files``), each with ``save``."""

    def __init__(self, storage: Storage) -> None:
        self.storage = storage
        self.names: list[str] = []

    def save(self, name: str, content: File) -> str:
        """Store ``content`` as ``name`` (or the name the storage gives it); return that name.

        A write the storage refuses (a full disk, a lost mount, a folder made read-only)
        raises ``StorageUnavailable``, said to people as such rather than as a server error,
        with what it had written of the file deleted.
        """
        was_there = self.storage.exists(name)
        try:
            saved = self.storage.save(name, content)
        except OSError as error:
            logger.exception("The file storage refused to write %s", name)
            if not was_there:
                with suppress(OSError):
                    self.storage.delete(name)  # what a full disk let through of it
            raise StorageUnavailable(
                _(
                    "Máy chủ chưa lưu được tệp (kho lưu trữ đang gặp sự cố); chưa có gì được "
                    "ghi nhận. Hãy thử lại sau ít phút."
                )
            ) from error
        self.names.append(saved)
        return saved

    def delete_all(self) -> None:
        for name in self.names:
            self.storage.delete(name)


@contextmanager
def atomic_with_files(storage: Storage = default_storage) -> Iterator[StoredFiles]:
    """Run the block in a transaction; yield what it stores its files with.

    A failure inside the block rolls the rows back and deletes those files: nothing is left
    half-written. A failure of the commit itself (the database's answer lost, say) leaves
    them: the commit may have happened, and a dossier whose papers were deleted is worse
    than a file no row names.
    """
    stored = StoredFiles(storage)
    committing = False
    try:
        with transaction.atomic():
            yield stored
            committing = True
    except BaseException:
        if not committing:
            stored.delete_all()
        raise
