from pathlib import Path

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path, re_path
from django.utils.translation import gettext_lazy as _

from sen.api import api, unknown_address
from sen.catalog.models import TEMPLATES_FOLDER

admin.site.site_header = _("Sen — Quản trị hệ thống")
admin.site.site_title = "Sen"
admin.site.index_title = _("Quản trị")

# An unforeseen failure under /api/ answers in the API's error shape (sen.api.server_error);
# a page's form too large for Django to read, 413 naming the limit (sen.api.bad_request).
handler400 = "sen.api.bad_request"
handler500 = "sen.api.server_error"

urlpatterns: list[URLPattern | URLResolver] = [
    # The API's root is no endpoint: django-ninja's view for it (kept, to name the root)
    # answered the site's HTML 404 page there.
    path("api/v1/", unknown_address),
    path("api/v1/", api.urls),
    re_path(r"^api/", unknown_address),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("bao-cao-dinh-ky/", include("sen.periodic.urls")),
    path("can-bo/", include("sen.workspace.urls")),
    path("ioc/", include("sen.reports.urls")),
    path("", include("sen.portal.urls")),
]


def public_media_urls() -> list[URLPattern]:
    """Return the address of the public uploaded files while ``DEBUG`` is on (none after).

    Only the catalog's blank templates are public. A citizen's papers and the results
    are never served by their storage address: the authorized views send them (the
    workspace, "my dossiers"). In production the web server serves the same folder only.
    """
    return static(
        f"{settings.MEDIA_URL}{TEMPLATES_FOLDER}",
        document_root=Path(settings.MEDIA_ROOT) / TEMPLATES_FOLDER,
    )


urlpatterns += public_media_urls()
