"""Who read a citizen's data: the administrator finds the reads by the citizen's CCCD."""

import pytest
from django.test import Client

from sen.core.models import AuditEntry
from sen.core.tests.factories import UserFactory
from sen.dossiers.selectors import dossier_get_for_officer
from sen.dossiers.tests.factories import APPLICANT, officer

pytestmark = pytest.mark.django_db

URL = "/admin/dossiers/personaldataread/"


@pytest.fixture
def reads(centre, submit):
    """Two dossiers of the citizen 037190001234 and one of another, each read once by the
    desk officer of the centre."""
    mine = [submit().dossier, submit().dossier]
    other = {**APPLICANT, "id_number": "036090012345", "name": "Lê Văn Khác"}
    theirs = submit(applicant_details=other).dossier
    desk = officer(centre, username="motcua")
    for dossier in [*mine, theirs]:
        dossier_get_for_officer(code=dossier.code, user=desk)
    return mine, theirs


def test_the_administrator_finds_who_read_a_citizens_data_by_their_cccd(client: Client, reads):
    mine, theirs = reads
    root = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(root)

    # When the administrator searches the reads by the citizen's number, typed in groups
    response = client.get(URL, {"q": "037 190 001 234"})

    # Then the reads of that citizen's dossiers are listed, with who read them, and no other
    assert response.status_code == 200
    listed = list(response.context["cl"].result_list)
    assert sorted(entry.target_key for entry in listed) == sorted(d.code for d in mine)
    assert {entry.actor_label for entry in listed} == {"motcua"}
    assert theirs.code not in response.content.decode()
    # and the search is recorded with the dossiers it found, not the number
    searched = AuditEntry.objects.get(action="dossiers.personal_data_reads.searched")
    assert searched.actor == root
    assert searched.data == {"dossiers": sorted(d.code for d in mine)}
    assert APPLICANT["id_number"] not in str(searched.data)


def test_a_dossier_code_finds_its_reads_too(client: Client, reads):
    mine, _theirs = reads
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))

    response = client.get(URL, {"q": mine[0].code.lower()})

    assert [entry.target_key for entry in response.context["cl"].result_list] == [mine[0].code]


def test_staff_without_the_right_cannot_read_the_reads(client: Client, reads):
    client.force_login(UserFactory(username="nhanvien", is_staff=True))

    assert client.get(URL, {"q": APPLICANT["id_number"]}).status_code == 403
    assert not AuditEntry.objects.filter(action="dossiers.personal_data_reads.searched").exists()
