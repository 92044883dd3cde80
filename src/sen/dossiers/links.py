"""Where people follow a dossier: the public tracking page of the portal.

Slips (their QR code) and emails send people to the page, ``/tra-cuu/<code>/``, which
shows the dossier's progress without personal data; programs use the JSON API
(``/api/v1/tracking/<code>``) instead.
"""

from django.urls import reverse


def tracking_page_path(code: str) -> str:
    """Return the path of the dossier's public tracking page (``portal:tracking``)."""
    return reverse("portal:tracking", kwargs={"code": code})
