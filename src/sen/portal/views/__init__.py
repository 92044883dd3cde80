"""The portal's pages, one module per concern: the catalog, signing in, tracking, applying
and the citizen's own dossiers."""

from sen.portal.views.account import LoginView, LogoutView
from sen.portal.views.applying import apply
from sen.portal.views.catalog import home, procedure_detail, procedure_list, robots_txt
from sen.portal.views.my_dossiers import (
    dossier_file,
    my_dossier,
    my_dossiers,
    rate,
    result_file,
    supplement,
    withdraw,
)
from sen.portal.views.tracking import tracking, tracking_search

__all__ = [
    "LoginView",
    "LogoutView",
    "apply",
    "dossier_file",
    "home",
    "my_dossier",
    "my_dossiers",
    "procedure_detail",
    "procedure_list",
    "rate",
    "result_file",
    "robots_txt",
    "supplement",
    "tracking",
    "tracking_search",
    "withdraw",
]
