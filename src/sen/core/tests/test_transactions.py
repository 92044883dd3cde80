"""``atomic_with_files``: files stored in a failed transaction go, unless the commit failed.

The commit is made to fail as a lost answer would, from the database itself: a foreign key
to no row, which both SQLite and PostgreSQL check only at commit (Django declares them
deferred). Real transactions, so that there is a commit to fail.
"""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError

from sen.core.models import Membership, Role
from sen.core.tests.factories import AgencyFactory
from sen.core.transactions import atomic_with_files

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def empty_storage(settings):
    """A fresh in-memory storage for each test."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }


def store(stored: list[str], name: str) -> None:
    stored.append(default_storage.save(name, ContentFile(b"%PDF-1.7 to khai")))


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
