from django.conf import settings
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path
from django.utils.translation import gettext_lazy as _

from sen.api import api

admin.site.site_header = _("Sen — Quản trị hệ thống")
admin.site.site_title = "Sen"
admin.site.index_title = _("Quản trị")

urlpatterns: list[URLPattern | URLResolver] = [
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("bao-cao-dinh-ky/", include("sen.periodic.urls")),
    path("can-bo/", include("sen.workspace.urls")),
    path("ioc/", include("sen.reports.urls")),
    path("", include("sen.portal.urls")),
]

if settings.DEBUG:  # pragma: no cover - uploaded files are served by the web server in production
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
