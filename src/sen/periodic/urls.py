from django.urls import path

from sen.periodic import form_editor, views

app_name = "periodic"
urlpatterns = [
    path("", views.index, name="index"),
    # Before the periods' paths, which would take "bieu-mau" for a form code.
    path("bieu-mau/moi/", form_editor.form_new, name="form_new"),
    path("bieu-mau/<str:code>/", form_editor.form_edit, name="form_edit"),
    path("bieu-mau/<str:source>/sao-chep/", form_editor.form_new, name="form_copy"),
    path("<str:code>/mo-ky/", views.period_open, name="period_open"),
    path("<str:code>/<str:key>/", views.period_detail, name="period"),
    path("<str:code>/<str:key>/khoa/", views.period_lock, name="period_lock"),
    path(
        "<str:code>/<str:key>/xuat.xlsx",
        views.period_export,
        {"extension": "xlsx"},
        name="period_export_xlsx",
    ),
    path(
        "<str:code>/<str:key>/xuat.csv",
        views.period_export,
        {"extension": "csv"},
        name="period_export_csv",
    ),
    path("<str:code>/<str:key>/<str:agency>/", views.report_page, name="report"),
]
