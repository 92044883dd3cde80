from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DossiersConfig(AppConfig):
    name = "sen.dossiers"
    label = "dossiers"
    verbose_name = _("Hồ sơ một cửa")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from sen.catalog.models import Procedure
        from sen.catalog.signals import procedures_published
        from sen.core.models import Agency
        from sen.core.signals import agency_closing, roles_vacant
        from sen.dossiers.procedures import forget_catalog
        from sen.dossiers.receivers import (
            deadlines_follow_calendar,
            dossiers_waiting_on_vacant_roles,
            open_dossiers_at_closing_agency,
        )
        from sen.workdays.signals import calendar_changed

        agency_closing.connect(open_dossiers_at_closing_agency, dispatch_uid="dossiers")
        roles_vacant.connect(dossiers_waiting_on_vacant_roles, dispatch_uid="dossiers")
        calendar_changed.connect(deadlines_follow_calendar, dispatch_uid="dossiers")
        # A version published or an agency changed here is used at once by this process's
        # submissions (``procedures``); by the others within a second.
        for model in (Procedure, Agency):
            post_save.connect(forget_catalog, sender=model, dispatch_uid="dossiers.catalog")
            post_delete.connect(forget_catalog, sender=model, dispatch_uid="dossiers.catalog")
        procedures_published.connect(forget_catalog, dispatch_uid="dossiers.catalog")
