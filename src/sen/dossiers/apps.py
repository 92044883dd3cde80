from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DossiersConfig(AppConfig):
    name = "sen.dossiers"
    label = "dossiers"
    verbose_name = _("Hồ sơ một cửa")

    def ready(self) -> None:
        from sen.core.signals import agency_closing
        from sen.dossiers.receivers import open_dossiers_at_closing_agency

        agency_closing.connect(open_dossiers_at_closing_agency, dispatch_uid="dossiers")
