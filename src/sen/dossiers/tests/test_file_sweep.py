"""``sen sweep_files``: the papers a rolled-back transaction left on disk, and nothing else.

On the file system, as in production, with the files' times set back as days pass.
"""

import io
import os
import time
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import transaction

from sen.core.models import AuditEntry
from sen.dossiers.models import DossierFile
from sen.dossiers.tests.factories import PDF

DAY = 24 * 3600


@pytest.fixture
def media(settings, tmp_path: Path) -> Path:
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    return tmp_path


def stored(media: Path) -> set[str]:
    return {str(path.relative_to(media)) for path in media.rglob("*") if path.is_file()}


def age(media: Path, names: set[str], seconds: int) -> None:
    moment = time.time() - seconds
    for name in names:
        os.utime(media / name, (moment, moment))


def sweep(*args: str) -> str:
    out = io.StringIO()
    call_command("sweep_files", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def leftovers(media, submit) -> dict[str, set[str]]:
    """Two days ago: a dossier submitted, one whose transaction was rolled back after its
    service stored its papers, and a drafted result and a blank form no row names; an hour
    ago, another rolled-back dossier's papers."""
    kept = submit().dossier
    named = set(DossierFile.objects.filter(dossier=kept).values_list("file", flat=True))
    with pytest.raises(RuntimeError), transaction.atomic():
        submit()
        raise RuntimeError("the view's next step failed")
    orphans = stored(media) - named
    orphans |= {
        default_storage.save(f"results/{kept.code}/0123456789abcdef.pdf", ContentFile(PDF)),
        default_storage.save("catalog/templates/to-khai-cu.pdf", ContentFile(PDF)),
    }
    age(media, named | orphans, 2 * DAY)
    with pytest.raises(RuntimeError), transaction.atomic():
        submit()
        raise RuntimeError("the view's next step failed")
    recent = stored(media) - named - orphans
    return {"named": named, "orphans": orphans, "recent": recent}


def test_the_sweep_lists_the_files_no_row_names_and_deletes_nothing_by_default(media, leftovers):
    # When the administrator runs the sweep
    out = sweep()

    # Then it lists the papers, result and form no row names, stored over a day ago, and
    # deletes nothing
    listed = set(out.splitlines()[:-1])
    assert listed == leftovers["orphans"] and len(listed) == 3
    assert out.splitlines()[-1] == ("Có 3 tệp không thuộc hồ sơ nào; chạy lại với --delete để xoá.")
    assert stored(media) == leftovers["named"] | leftovers["orphans"] | leftovers["recent"]


def test_the_sweep_deletes_only_old_files_no_row_names_and_records_them(media, leftovers):
    # When the sweep runs with --delete
    out = sweep("--delete")

    # Then the papers of the submitted dossier stay, and so do the papers of a transaction
    # perhaps still running (stored an hour ago); the rest are gone, and the log says which
    assert out.splitlines()[-1] == "Đã xoá 3 tệp không thuộc hồ sơ nào."
    assert stored(media) == leftovers["named"] | leftovers["recent"]
    entry = AuditEntry.objects.get(action="core.files.swept")
    assert entry.actor is None and set(entry.data["files"]) == leftovers["orphans"]

    # and a second run finds nothing more
    assert sweep("--delete").splitlines() == ["Đã xoá 0 tệp không thuộc hồ sơ nào."]


def test_a_sweep_that_finds_more_than_it_may_delete_deletes_nothing(media, leftovers):
    # When the sweep finds more files than --at-most (a wrong database, say)
    with pytest.raises(CommandError, match="Có hơn 2 tệp không thuộc hồ sơ nào, nên chưa xoá"):
        sweep("--delete", "--at-most", "2")

    # Then every file is still there, and nothing is recorded
    assert stored(media) == leftovers["named"] | leftovers["orphans"] | leftovers["recent"]
    assert not AuditEntry.objects.filter(action="core.files.swept").exists()


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("--older-than-hours", "0"),  # would touch files of transactions being written
        ("--older-than-hours", "-1"),
        ("--older-than-hours", "một"),
        ("--at-most", "0"),  # would refuse everything, saying it found "more than 0"
        ("--at-most", "1.5"),
    ],
)
def test_the_sweep_refuses_a_bound_that_is_not_a_whole_number_of_one_or_more(
    media, leftovers, option, value
):
    with pytest.raises(CommandError, match="cần một số nguyên từ 1 trở lên"):
        sweep("--delete", option, value)
    assert stored(media) == leftovers["named"] | leftovers["orphans"] | leftovers["recent"]
