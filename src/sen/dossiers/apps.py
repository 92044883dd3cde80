from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DossiersConfig(AppConfig):
    name = "sen.dossiers"
    label = "dossiers"
    verbose_name = _("Hồ sơ một cửa")

    def ready(self) -> None:
        from sen.core.signals import agency_closing, roles_vacant
        from sen.dossiers.receivers import (
            deadlines_follow_calendar,
            dossiers_waiting_on_vacant_roles,
            open_dossiers_at_closing_agency,
        )
        from sen.workdays.signals import calendar_changed

        agency_closing.connect(open_dossiers_at_closing_agency, dispatch_uid="dossiers")
        roles_vacant.connect(dossiers_waiting_on_vacant_roles, dispatch_uid="dossiers")
        calendar_changed.connect(deadlines_follow_calendar, dispatch_uid="dossiers")
