from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "sen.reports"
    label = "reports"
    verbose_name = _("Chỉ số và thống kê")
