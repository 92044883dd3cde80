from django.urls import path

from sen.workspace import intake, register, views

app_name = "workspace"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("ho-so/<str:code>/", views.dossier_detail, name="dossier"),
    path("ho-so/<str:code>/tep/<int:number>/", views.dossier_file, name="file"),
    path("ho-so/<str:code>/ket-qua/<int:number>/", views.result_file, name="result"),
    path("ho-so/<str:code>/<slug:slug>/", views.dossier_act, name="act"),
    path("tiep-nhan/", intake.intake_start, name="intake"),
    path("tiep-nhan/<str:code>/", intake.intake_form, name="intake_form"),
    path("so-theo-doi/", register.register_page, name="register"),
]
