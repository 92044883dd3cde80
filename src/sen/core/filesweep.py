"""Stored files that no row names, and their sweep (``sen sweep_files``).

A file is stored before the row that names it commits (``atomic_with_files``). It is left
behind, named by nothing, when a transaction around the service's rolls back after the
service's block ended, when the commit fails (its outcome unknown, the file is kept on
purpose), or when a process dies between a deletion's commit and the deletion itself. No
one can reach such a file, but it holds a citizen's papers: it should not stay.

The folders swept are those of the project's file fields (``upload_to``); a file counts as
named when any of those fields of any row holds its name. Each folder is read as it is
walked, its names checked against the database some hundreds at a time, so that the memory
used does not grow with the number of files.
"""

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from itertools import islice

from django.apps import apps
from django.core.files.storage import Storage
from django.db.models import FileField, Model

# Names checked per query: well under the bound parameters any SQLite build allows.
BATCH = 500


@dataclass(frozen=True)
class FileOwner:
    """A file field of a model: its rows name the files they keep."""

    model: type[Model]
    field: str

    def named(self, names: Iterable[str]) -> set[str]:
        """Return those of ``names`` some row names (every row: the base manager)."""
        rows = self.model._base_manager.filter(**{f"{self.field}__in": list(names)})
        return set(rows.values_list(self.field, flat=True))


@dataclass(frozen=True)
class Folder:
    """A folder of a storage and the file fields that keep their files under it."""

    storage: Storage
    path: str
    owners: tuple[FileOwner, ...]


def swept_folders() -> list[Folder]:
    """Return the folders of Sen's file fields, each with every field that stores there.

    A field's folder is the fixed start of its ``upload_to`` (before any date pattern); a
    field with a callable ``upload_to`` or none would have its files anywhere, and is not
    swept.
    """
    owners: dict[tuple[Storage, str], list[FileOwner]] = defaultdict(list)
    for model in apps.get_models():
        if not model.__module__.startswith("sen."):
            continue
        for field in model._meta.get_fields():
            if not isinstance(field, FileField) or not isinstance(field.upload_to, str):
                continue
            path = field.upload_to.split("%")[0].rsplit("/", 1)[0]
            if path:
                owners[(field.storage, f"{path}/")].append(FileOwner(model, field.name))
    return [
        Folder(storage, path, tuple(found))
        for (storage, path), found in sorted(owners.items(), key=lambda item: item[0][1])
    ]


def _walk(storage: Storage, path: str) -> Iterator[str]:
    try:
        folders, files = storage.listdir(path)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield f"{path}{name}"
    for folder in sorted(folders):
        yield from _walk(storage, f"{path}{folder}/")


def _batches(names: Iterator[str]) -> Iterator[list[str]]:
    while batch := list(islice(names, BATCH)):
        yield batch


def unnamed_files(folder: Folder, *, stored_before: datetime) -> Iterator[str]:
    """Yield the files of ``folder`` that no row names, stored before ``stored_before``.

    Only older files: a file stored a moment ago may belong to a transaction that has not
    committed yet.
    """
    for names in _batches(_walk(folder.storage, folder.path)):
        named = set().union(*(owner.named(names) for owner in folder.owners))
        for name in names:
            if name not in named and folder.storage.get_modified_time(name) < stored_before:
                yield name
