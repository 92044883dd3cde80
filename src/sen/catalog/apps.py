from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "sen.catalog"
    label = "catalog"
    verbose_name = _("Danh mục thủ tục hành chính")

    def ready(self) -> None:
        from sen.catalog.receivers import procedures_of_closing_agency
        from sen.core.signals import agency_closing

        agency_closing.connect(procedures_of_closing_agency, dispatch_uid="catalog")
