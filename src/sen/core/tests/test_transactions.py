"""``atomic_with_files``: files stored in a failed transaction go, unless the commit failed.

The commit is made to fail as a lost answer would, from the database itself: a foreign key
to no row, which both SQLite and PostgreSQL check only at commit (Django declares them
deferred). Real transactions, so that there is a commit to fail.
"""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import InMemoryStorage, default_storage
from django.db import IntegrityError

from sen.core.errors import StorageUnavailable
from sen.core.models import Membership, Role
from sen.core.tests.factories import AgencyFactory
from sen.core.transactions import StoredFiles, atomic_with_files
from sen.tests.storage import FullDisk

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def empty_storage(settings):
    """A fresh in-memory storage for each test."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }


def store(stored: StoredFiles, name: str) -> None:
    stored.save(name, ContentFile(b"%PDF-1.7 to khai"))


def test_files_of_a_committed_transaction_stay():
    with atomic_with_files() as stored:
        store(stored, "papers/to-khai.pdf")

    assert default_storage.exists("papers/to-khai.pdf")


def test_files_of_a_block_that_fails_are_deleted():
    with pytest.raises(ValueError), atomic_with_files() as stored:
        store(stored, "papers/to-khai.pdf")
        raise ValueError("a check after the file was stored")

    assert not default_storage.exists("papers/to-khai.pdf")


def test_files_of_a_transaction_whose_commit_fails_are_kept():
    # The commit's outcome is unknown to the caller: the rows may be there, naming the file.
    agency = AgencyFactory()

    with pytest.raises(IntegrityError), atomic_with_files() as stored:
        store(stored, "papers/to-khai.pdf")
        Membership.objects.create(user_id=10**9, agency=agency, role=Role.CLERK)

    assert default_storage.exists("papers/to-khai.pdf")


def test_a_file_already_there_under_the_name_survives_a_write_the_disk_refuses():
    # Given a paper stored before on a disk that then fills up
    disk = FullDisk()
    InMemoryStorage._save(disk, "papers/to-khai.pdf", ContentFile(b"%PDF-1.7 the first"))

    # When another file is written under the same name, and refused
    with pytest.raises(StorageUnavailable), atomic_with_files(disk) as stored:
        stored.save("papers/to-khai.pdf", ContentFile(b"%PDF-1.7 the second"))

    # Then the paper stored before is not deleted with what the full disk let through
    with disk.open("papers/to-khai.pdf") as kept:
        assert kept.read() == b"%PDF-1.7 the first"
