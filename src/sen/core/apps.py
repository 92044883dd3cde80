from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "sen.core"
    label = "core"
    verbose_name = _("Đơn vị hành chính, cơ quan và cán bộ")
