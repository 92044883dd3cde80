"""Where people follow a dossier: the public tracking page and the applicant's own page.

Slips (their QR code) and emails send people to the public tracking page,
``/tra-cuu/<code>/``, which shows the dossier's progress without personal data; programs use
the JSON API (``/api/v1/tracking/<code>``) instead. The applicant's own page under "Hồ sơ
của tôi", ``/ho-so-cua-toi/<code>/``, needs their login and is where they act on the
dossier: send a supplement, withdraw it, download the result, rate the service.
"""

from django.conf import settings
from django.urls import reverse


def tracking_page_path(code: str) -> str:
    """Return the path of the dossier's public tracking page (``portal:tracking``)."""
    return reverse("portal:tracking", kwargs={"code": code})


def applicant_page_path(code: str) -> str:
    """Return the path of the applicant's own page of the dossier (``portal:my_dossier``)."""
    return reverse("portal:my_dossier", kwargs={"code": code})


def officer_page_path(code: str) -> str:
    """Return the path of the officers' page of the dossier (``workspace:dossier``), where
    they act on it; reminders link there."""
    return reverse("workspace:dossier", kwargs={"code": code})


def public_url(path: str) -> str:
    """Return the address of ``path`` on ``SEN_PUBLIC_URL``, the portal's public address:
    what is handed to people (emails, slips) must open from anywhere, whatever address the
    officer who printed it used (an intranet name, a proxy's)."""
    return f"{settings.SEN_PUBLIC_URL.rstrip('/')}{path}"


def tracking_url(code: str) -> str:
    """Return the public address of the dossier's tracking page."""
    return public_url(tracking_page_path(code))
