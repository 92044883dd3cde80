"""Where people follow a dossier: the public tracking page of the portal.

Slips (their QR code) and emails send people to the page, ``/tra-cuu/<code>/``, which
shows the dossier's progress without personal data; programs use the JSON API
(``/api/v1/tracking/<code>``) instead.
"""

from urllib.parse import quote

from django.urls import NoReverseMatch, reverse

# The portal's tracking page, as its URL pattern ``tra-cuu/<str:code>/`` (``portal:tracking``)
# builds it.
TRACKING_PAGE = "/tra-cuu/{code}/"


def tracking_page_path(code: str) -> str:
    """Return the path of the dossier's public tracking page."""
    try:
        return reverse("portal:tracking", kwargs={"code": code})
    except NoReverseMatch:
        # The page is the portal's; until its URL is installed, the path it will have.
        return TRACKING_PAGE.format(code=quote(code))
