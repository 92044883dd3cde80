"""A file storage that fills up, for the tests of what a full disk does."""

import errno
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import InMemoryStorage

FULL_DISK = {"BACKEND": "sen.tests.storage.FullDisk"}


class FullDisk(InMemoryStorage):
    """An in-memory storage that writes the first bytes of a file, then finds no space."""

    def _save(self, name: str, content: Any) -> str:
        super()._save(name, ContentFile(content.read()[:16]))
        raise OSError(errno.ENOSPC, "No space left on device")
