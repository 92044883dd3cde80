"""Where slips and emails send people to follow a dossier."""

from sen.dossiers.links import applicant_page_path, tracking_page_path


def test_the_tracking_page_of_a_dossier_is_under_tra_cuu():
    assert tracking_page_path("000.00.01.H37-261120-0001") == "/tra-cuu/000.00.01.H37-261120-0001/"


def test_the_applicants_own_page_of_a_dossier_is_under_ho_so_cua_toi():
    assert applicant_page_path("000.00.01.H37-261120-0001") == (
        "/ho-so-cua-toi/000.00.01.H37-261120-0001/"
    )
